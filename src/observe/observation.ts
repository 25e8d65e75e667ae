/**
 * The observation vocabulary: the facts the hosts report to the trace, so that the checkers
 * (src/check) judge a run from the trace alone, without reading replica internals. Two kinds:
 * protocol facts that replicas report (state changes, establishment, proposals, deliveries,
 * restores, truncations) and client operations that clients report (what they asked and what
 * they were told). This module is neutral ground: consensus and the ensemble's hosts write these
 * records, check reads them, and none of them imports the others. The world (src/sim) carries
 * them as opaque payloads.
 */
import type { EventType, ProcessTxnResult, ReadResult, Request } from "../tree/index.js";
import type { KeyObservation } from "./key-observation.js";
import type { RecipeObservation } from "./recipe.js";

/** ZooKeeper's peer states (QuorumPeer.ServerState). */
export type PeerState = "LOOKING" | "FOLLOWING" | "LEADING" | "OBSERVING";

/**
 * Protocol facts a replica reports for the trace, so that the checkers (src/check) can judge a
 * run without reading replica internals. The replica host forwards them unchanged. Node ids,
 * epochs and zxids are plain numbers. `txn` is a short content fingerprint of a transaction
 * (same txn, same string), so a checker can tell "the same txn at the same zxid" from "a
 * different txn that reused the zxid".
 */
export type ProtocolObservation =
  /** A node changed its peer state; `epoch` is its acceptedEpoch at that moment. */
  | {
      readonly kind: "state";
      readonly node: number;
      readonly state: PeerState;
      readonly epoch: number;
    }
  /**
   * A leader became established for `epoch`: a quorum acknowledged NEWLEADER (Zab phase 2 ends).
   * `lastZxid` is the last zxid of its initial history.
   */
  | {
      readonly kind: "established";
      readonly node: number;
      readonly epoch: number;
      readonly lastZxid: number;
    }
  /** A primary broadcast a transaction (Leader.propose). */
  | {
      readonly kind: "propose";
      readonly node: number;
      readonly epoch: number;
      readonly zxid: number;
      readonly txn: string;
    }
  /**
   * A node delivered (applied to its tree, in zxid order) a committed transaction. `digest` is the
   * tree digest right after applying it.
   */
  | {
      readonly kind: "deliver";
      readonly node: number;
      readonly zxid: number;
      readonly txn: string;
      readonly digest: string;
    }
  /**
   * A node rebuilt its tree from durable state after a restart, or installed a SNAP from the
   * leader: its delivered history is now everything up to `zxid`, with this digest. Deliveries
   * that follow continue from there.
   */
  | {
      readonly kind: "restore";
      readonly node: number;
      readonly cause: "restart" | "snap";
      readonly zxid: number;
      readonly digest: string;
    }
  /** A node truncated its log to `zxid` (TRUNC from the leader): proposals above it are gone. */
  | { readonly kind: "truncate"; readonly node: number; readonly zxid: number }
  /**
   * A leader decided that `session` expired (SessionTrackerImpl.run) and submits its
   * closeSession; `epoch` is the leader's.
   */
  | {
      readonly kind: "expire";
      readonly node: number;
      readonly session: number;
      readonly epoch: number;
    }
  /**
   * A node applied the closeSession txn `zxid` of `session` (a close or an expiry).
   * `ephemerals` counts the nodes the session still owns in this node's tree right after: the
   * txn must have deleted them all.
   */
  | {
      readonly kind: "session-closed";
      readonly node: number;
      readonly session: number;
      readonly zxid: number;
      readonly ephemerals: number;
    };

/**
 * What a write's reply told the client besides its header: the path it created or changed (a
 * sequential create's final name), the node's stat after the change, a multi's per-op results.
 */
export type WriteOutcome = Pick<ProcessTxnResult, "path" | "stat" | "multiResult">;

/**
 * What clients report: a request sent and the answer received, in the tree's own request and
 * result types (src/tree), so a checker reads the operation itself, not a rendering of it.
 */
export type ClientObservation =
  /** A client sent `request` to server `node` (`op` numbers one client's requests 0, 1, 2 …). */
  | {
      readonly kind: "invoke";
      readonly client: number;
      readonly op: number;
      readonly node: number;
      readonly request: Request;
    }
  /**
   * A client received the answer to request `op`. `zxid` is the zxid the reply carries (for a
   * write, the zxid of its transaction; for a read, the server's last processed zxid); `err` is
   * ZooKeeper's error code name or "OK"; `txn` the write's txn fingerprint.
   */
  | {
      readonly kind: "complete";
      readonly client: number;
      readonly op: number;
      readonly err: string;
      readonly zxid: number;
      readonly txn: string | null;
      /** A read's values (data, stat with its versions, children, …); null for a write. */
      readonly read: ReadResult | null;
      /** A write's outcome; null for a read, and for an answer that never reached the tree. */
      readonly write: WriteOutcome | null;
    };

/**
 * What a session client reports about its session and its watches (src/ensemble's session
 * clients; the request-level facts are invoke/complete).
 */
export type SessionObservation =
  /**
   * The client's session changed state: `connected` on server `node` (opened or moved there,
   * with the negotiated timeout), `expired` (a server said the ensemble no longer knows it), or
   * `closed` (the client closed it).
   */
  | {
      readonly kind: "session";
      readonly client: number;
      readonly node: number;
      readonly session: number;
      readonly event: "connected" | "expired" | "closed";
      readonly timeoutMs: number;
    }
  /**
   * A watch notification reached the client from server `node`: the event, its path, and the
   * zxid of the txn that fired it (for setWatches, the server's last processed zxid).
   */
  | {
      readonly kind: "notify";
      readonly client: number;
      readonly node: number;
      readonly session: number;
      readonly type: EventType;
      readonly path: string;
      readonly zxid: number;
    };

/** Every observation a run's trace can hold. */
export type Observation =
  | ProtocolObservation | ClientObservation | SessionObservation | KeyObservation
  | RecipeObservation;
