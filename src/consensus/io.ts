/**
 * The whole replica boundary on one screen: what goes in (Input), what comes out (Effect), and
 * the records and observations those carry. A replica is `step(input): Effect[]`; the host turns
 * effects into world actions and world events into inputs. Every input carries `now`, the node's
 * local clock reading in microseconds (skewed as the world decides); a replica never reads a clock.
 */
import type { ProtocolObservation } from "../observe/index.js";
import type { Message } from "./messages.js";
import type { ClientId, Epoch, ServerId, Zxid } from "./ids.js";
import type { Id, WatchEvent } from "../tree/index.js";
import type { ClientResult, LogEntry, Request, Snapshot } from "./state-machine.js";

/** Named timers. A setTimer for a name replaces the previous one of that name. */
export type TimerName =
  /** FLE: re-send notifications when no notification arrived (notTimeout, doubling). */
  | "electionTimer"
  /** FLE: the finalizeWait pause before acting on a quorum of agreeing votes. */
  | "finalizeTimer"
  /** Leader discovery/sync deadline, learner connect/sync deadline (initLimit ticks). */
  | "phaseTimer"
  /** Leader: ping learners every tickTime/2 and check the quorum is still synced. */
  | "pingTimer"
  /** Learner: check every tickTime/2 that the leader spoke within syncLimit ticks. */
  | "learnerTimer"
  /** Leader: the container manager's next check (containerCheckIntervalMs). */
  | "containerTimer";

/** Names of all timers, for hosts that keep one slot per name. */
export const TIMER_NAMES: readonly TimerName[] = [
  "electionTimer", "finalizeTimer", "phaseTimer", "pingTimer", "learnerTimer", "containerTimer",
];

/**
 * A durable record. The host stores records in order (checksummed); on restart the replica gets
 * back what survived. ZooKeeper's data dir holds the same facts: txn log entries, snapshots, and
 * the acceptedEpoch/currentEpoch files.
 */
export type PersistRecord =
  /** A transaction appended to the txn log. */
  | { readonly type: "txn"; readonly entry: LogEntry }
  /** The acceptedEpoch file was rewritten. */
  | { readonly type: "acceptedEpoch"; readonly epoch: Epoch }
  /** The currentEpoch file was rewritten. */
  | { readonly type: "currentEpoch"; readonly epoch: Epoch }
  /**
   * A snapshot of the tree at `snapshot.zxid`. `fromLeader` (SNAP sync) means the log before it
   * belongs to another history and is discarded on recovery; a local snapshot keeps the log.
   * `named` is the zxid the file is named by (FileTxnSnapLog.save: the data tree's
   * lastProcessedZxid), above `snapshot.zxid` when a SNAP carried an established leader's
   * makeZxid(epoch, 0); FileSnap.deserialize makes it the restarted tree's lastProcessedZxid.
   */
  | {
    readonly type: "snapshot"; readonly snapshot: Snapshot; readonly fromLeader: boolean;
    readonly named: number;
  }
  /** The txn log was truncated to `zxid` (TRUNC from the leader). */
  | { readonly type: "truncate"; readonly zxid: Zxid };

/** What the host found on disk for one record: the record, or a damaged one (bad checksum). */
export type RecoveredRecord = PersistRecord | { readonly type: "damaged" };

/**
 * A client's request as it reaches a replica; `requestId` is ZooKeeper's xid. `sessionId`: a
 * host leaves it out, and the replica takes the session of the client's connection (refusing a
 * client without one); a test that drives a replica without connections gives it (0 for
 * createSession: the server picks the id).
 */
export interface ClientRequest {
  readonly client: ClientId;
  /** Numbers one client's requests; echoed in the reply (and the txn header's cxid). */
  readonly requestId: number;
  readonly sessionId?: number;
  /** The connection's authenticated ids (addAuth); none when absent. */
  readonly authInfo?: readonly Id[];
  readonly request: Request;
}

/**
 * A client's ConnectRequest: open a session (`session` null) or move one the client already has
 * to this server. `lastZxidSeen` is the highest zxid the client has seen; `timeoutMs` the
 * session timeout it asks for (the server negotiates it into [2, 20] ticks).
 */
export interface ConnectRequest {
  readonly client: ClientId;
  readonly session: { readonly sessionId: number; readonly lastZxidSeen: number } | null;
  readonly timeoutMs: number;
}

/**
 * What goes into a replica. Besides `now` (the local clock's reading, which a clock jump steps),
 * a host may give `elapsed`, the node's monotonic clock (System.nanoTime): session timeouts are
 * measured on it, as SessionTrackerImpl measures them on Time.currentElapsedTime. Without it,
 * `now` stands in.
 */
export type Input = InputOf & { readonly elapsed?: number };

type InputOf =
  | {
      readonly kind: "receive";
      readonly now: number;
      readonly from: ServerId;
      readonly msg: Message;
    }
  | {
      readonly kind: "timeout";
      readonly now: number;
      readonly timer: TimerName;
      readonly generation: number;
    }
  /** A client connects (ZooKeeperServer.processConnectRequest): connected or refused follows. */
  | ({ readonly kind: "connect"; readonly now: number } & ConnectRequest)
  | ({ readonly kind: "clientRequest"; readonly now: number } & ClientRequest)
  /** The client's connection closed (its FIN, or a broken stream): removeCnxn. */
  | { readonly kind: "disconnect"; readonly now: number; readonly client: ClientId }
  /** The write `writeId` is durable (fsync returned). Writes complete in issue order. */
  | { readonly kind: "persisted"; readonly now: number; readonly writeId: number }
  /**
   * The node (re)starts with what survived on its disk, oldest first. The first input a replica
   * ever gets; after a crash the host sends it again and the replica forgets everything else.
   */
  | {
      readonly kind: "restart";
      readonly now: number;
      readonly recovered: readonly RecoveredRecord[];
    };

export type Effect =
  | { readonly kind: "send"; readonly to: ServerId; readonly msg: Message }
  /** Append `records` in order, then fsync; answer with `persisted{writeId}`. */
  | {
      readonly kind: "persist";
      readonly writeId: number;
      readonly records: readonly PersistRecord[];
    }
  | {
      readonly kind: "reply";
      readonly client: ClientId;
      readonly requestId: number;
      readonly result: ClientResult;
    }
  /**
   * The client's session is open on this server: its requests are now served. `timeoutMs` is
   * the negotiated session timeout; 0 says the ensemble no longer knows the session (it
   * expired), and the client reports SESSIONEXPIRED (ConnectResponse with timeout 0).
   */
  | {
      readonly kind: "connected";
      readonly client: ClientId;
      readonly sessionId: number;
      readonly timeoutMs: number;
    }
  /**
   * A watch of the session on the client's connection fired (NIOServerCnxn.process): the
   * notification goes out before any later reply on that connection.
   */
  | { readonly kind: "notify"; readonly client: ClientId; readonly event: WatchEvent }
  /** The server closes the client's connection (its session was closed or expired). */
  | { readonly kind: "closeConnection"; readonly client: ClientId }
  /**
   * This server will not take the client now (not serving, behind the client, the session could
   * not be created, or a request came without a connection): it should try another server.
   */
  | { readonly kind: "refused"; readonly client: ClientId }
  | { readonly kind: "setTimer"; readonly timer: TimerName; readonly afterMicros: number }
  | { readonly kind: "cancelTimer"; readonly timer: TimerName }
  | { readonly kind: "observe"; readonly observation: ProtocolObservation };
