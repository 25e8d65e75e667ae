/**
 * Observations: the protocol facts hosts report to the trace, so that the checkers (src/check)
 * judge a run from the trace alone, without reading replica internals. The kernel treats them as
 * opaque trace payloads. Replicas report theirs (state changes, establishment, proposals,
 * deliveries, restores, truncations: defined with their contracts in src/consensus/io.ts); the
 * client workload (src/sim/workload.ts) reports what clients asked and were answered.
 */
import type { Observation as ReplicaObservation } from "../consensus/io.js";

export type { PeerState } from "../consensus/io.js";

export type Observation =
  | ReplicaObservation
  /** A client sent a request (`op` numbers one client's requests 0, 1, 2 …). */
  | {
      readonly kind: "invoke";
      readonly client: number;
      readonly op: number;
      readonly node: number;
      readonly request: string;
    }
  /**
   * A client received the answer to request `op`. `zxid` is the zxid the reply carries (for a
   * write, the zxid of its transaction); `err` is ZooKeeper's error code name or "OK".
   */
  | {
      readonly kind: "complete";
      readonly client: number;
      readonly op: number;
      readonly err: string;
      readonly zxid: number;
      readonly txn: string | null;
    };
