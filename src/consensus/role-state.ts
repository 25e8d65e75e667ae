/**
 * The state records a replica keeps per role: the election's (which outlives roles), the
 * leader's with one LearnerHandler per connected learner and its proposals in flight, and the
 * learner's; plus the continuations a persist carries. Only types and the election's initial
 * state live here, so that the replica core (core.ts) and the role files (election.ts,
 * leader*.ts, learner.ts) can all name them without importing one another.
 */
import type { Connection } from "./connection.js";
import type { ClientId, Epoch, ServerId, Zxid } from "./ids.js";
import type { PathRequest, RequestMeta, WriteRequest } from "../tree/index.js";
import type { LogEntry, Origin, Snapshot } from "./state-machine.js";
import type { StatedVote, Vote } from "./vote.js";
import { noVote } from "./vote.js";

/** The election's state; it survives role changes (logicalclock only grows) until a restart. */
export interface ElectionState {
  /** The round (`logicalclock`). */
  logicalclock: number;
  /** Our current proposal; its electionEpoch is always logicalclock. */
  proposal: Vote;
  /** Votes of this round, by sender. */
  readonly recvset: Map<ServerId, StatedVote>;
  /** Votes of settled (FOLLOWING/LEADING) servers from any round, by sender. */
  readonly outofelection: Map<ServerId, StatedVote>;
  /** True during the finalizeWait pause after a quorum agreed with our proposal. */
  finalizing: boolean;
  /** The current notification interval (doubles on silence up to maxNotificationInterval). */
  notTimeoutMs: number;
}

export function newElectionState(): ElectionState {
  return {
    logicalclock: 0,
    proposal: noVote(0),
    recvset: new Map(),
    outofelection: new Map(),
    finalizing: false,
    notTimeoutMs: 0,
  };
}

/** What to do once a persist completes, if the role that issued it is still current. */
export type AfterPersist =
  | { readonly kind: "none" }
  | { readonly kind: "leaderAcceptedEpoch"; readonly epoch: Epoch }
  | { readonly kind: "leaderCurrentEpoch"; readonly epoch: Epoch }
  | { readonly kind: "leaderProposal"; readonly zxid: Zxid }
  | { readonly kind: "learnerAcceptedEpoch"; readonly epoch: Epoch }
  | { readonly kind: "learnerNewLeader"; readonly zxid: Zxid }
  | { readonly kind: "learnerProposal"; readonly zxid: Zxid };

/** Where one learner's connection stands (LearnerHandler's progress through run()). */
export type HandlerPhase =
  /** FOLLOWERINFO received; waiting for the epoch to be decided. */
  | "info"
  /** LEADERINFO sent; waiting for ACKEPOCH. */
  | "leaderinfo-sent"
  /** ACKEPOCH received; waiting for the leader to reach a quorum of them. */
  | "epoch-acked"
  /** Sync stream and NEWLEADER sent; waiting for the NEWLEADER ACK. */
  | "newleader-sent"
  /** NEWLEADER acknowledged; waiting for the leader to be established. */
  | "newleader-acked"
  /** UPTODATE sent: a synced learner in broadcast. */
  | "uptodate";

/** The leader's side of one learner connection (LearnerHandler). */
export interface LearnerHandler {
  readonly sid: ServerId;
  readonly connection: Connection;
  readonly observer: boolean;
  phase: HandlerPhase;
  /** Epoch of the zxid in FOLLOWERINFO: the learner's acceptedEpoch. */
  readonly learnerAcceptedEpoch: Epoch;
  /** From ACKEPOCH: the learner's currentEpoch (-1 if it had accepted this epoch) and last zxid. */
  ackEpoch: { epoch: number; lastZxid: Zxid } | undefined;
  /** Local time the last packet from this learner arrived (tickOfNextAckDeadline). */
  lastHeardMicros: number;
}

/** Phases of the leader itself (Leader.lead). */
export type LeaderPhase =
  | "epoch-wait"
  | "accepted-persisting"
  | "ackepoch-wait"
  | "current-persisting"
  | "newleader-wait"
  | "broadcast";

export interface LeaderState {
  phase: LeaderPhase;
  /** The epoch being proposed: grows while learners connect, fixed once decided. */
  proposedEpoch: number;
  /** The decided new epoch, once a quorum connected. */
  epoch: Epoch | undefined;
  /** leaderStateSummary: (currentEpoch, lastZxid) at the start of leading. */
  readonly summary: { readonly currentEpoch: Epoch; readonly lastZxid: Zxid };
  /** Voters that sent FOLLOWERINFO (and the leader): connectingFollowers. */
  readonly connecting: Set<ServerId>;
  /** Voters whose ACKEPOCH counted (and the leader): electingFollowers. */
  readonly epochAcks: Set<ServerId>;
  /** Voters that acknowledged NEWLEADER (and the leader). */
  readonly newLeaderAcks: Set<ServerId>;
  readonly handlers: Map<ServerId, LearnerHandler>;
  /**
   * Secure quorum: per learner, the connection whose handshake this leader answered, until its
   * first frame arrives (then it is a handler's) or another handshake replaces it.
   */
  readonly accepting: Map<ServerId, Connection>;
  /**
   * The last connection id closed per learner. A closed TCP connection never carries packets
   * again; without this, a re-sent FOLLOWERINFO would reopen it with fresh sequence numbers
   * that the learner's end would take for duplicates.
   */
  readonly closed: Map<ServerId, number>;
  /** Proposals not yet committed, in zxid order (outstandingProposals). */
  readonly outstanding: Map<Zxid, Proposal>;
  lastProposed: Zxid;
  lastCommitted: Zxid;
  /** Client writes waiting for a free pipeline slot. */
  readonly queued: Submission[];
  /** Syncs waiting for a zxid to commit (Leader.pendingSyncs). */
  readonly pendingSyncs: Map<Zxid, Submission[]>;
  /** Pings sent: every second one checks the quorum (a full tick). */
  pings: number;
}

/** A proposal in flight (Leader.Proposal): the entry and who has acknowledged it. */
export interface Proposal {
  readonly entry: LogEntry;
  readonly acks: Set<ServerId>;
}

/** A request on its way into the pipeline, with whom to answer (none: server-made). */
export interface Submission {
  readonly origin: Origin | undefined;
  readonly meta: RequestMeta;
  readonly request: WriteRequest | PathRequest;
}

/** Where the learner stands with its leader. */
export type LearnerPhase =
  | "connecting"
  | "epoch-persisting"
  | "ackepoch-sent"
  | "syncing"
  | "newleader-persisting"
  | "newleader-acked"
  | "uptodate";

export interface LearnerState {
  readonly leaderSid: ServerId;
  readonly connection: Connection;
  readonly observer: boolean;
  phase: LearnerPhase;
  /** The epoch from LEADERINFO. */
  newEpoch: Epoch | undefined;
  /** Entries up to here are committed by the leader but not yet applied (packetsCommitted). */
  syncCommitTo: Zxid;
  /**
   * The sync stream's first packet, held until NEWLEADER: nothing of the stream touches the log
   * before it can be made durable, so a sync abandoned half-way leaves the log as it was.
   */
  syncStart: { readonly type: "DIFF" } | { readonly type: "TRUNC"; readonly zxid: Zxid }
    | { readonly type: "SNAP"; readonly snapshot: Snapshot; readonly processed: number }
    | undefined;
  /** Transactions of the sync stream, logged at NEWLEADER (packetsNotCommitted). */
  readonly syncEntries: LogEntry[];
  /** Local time the leader was last heard from (the socket read timeout). */
  lastHeardMicros: number;
  /** Sessions of this server's clients seen since the last PING, with their timeouts. */
  readonly touched: Map<number, number>;
  /**
   * Sessions that moved here and have not yet forwarded a request: the next one they forward
   * claims them at the leader (ForwardedRequest.moved), as REVALIDATE would.
   */
  readonly moved: Set<number>;
  /** Clients whose session the leader is asked about (pendingRevalidations): client → session. */
  readonly revalidating: Map<ClientId, number>;
}
