/**
 * Faults: the closed set of things the nemesis (or a test, or a schedule file) can do to a run.
 * A fault is plain JSON-able data, so a fault plan can be printed in the run's report, saved, and
 * fed back as an explicit schedule to replay or shrink the run. Applying a fault draws no
 * randomness: every choice (which record to corrupt, which bit) is in the fault itself.
 */

/** A node id as the world knows it: servers and clients share one numbering. */
export type NodeId = number;

/** Something the nemesis does to the world. */
export type Fault =
  /** The process stops: volatile state gone, timers dropped, unsynced disk writes lost. */
  | { readonly kind: "crash"; readonly node: NodeId }
  /** A crashed process starts again and recovers from its disk. */
  | { readonly kind: "restart"; readonly node: NodeId }
  /**
   * Messages from every node of `from` to every node of `to` are dropped (and, unless
   * `oneWay`, the other direction too), both at send and at delivery time.
   */
  | {
      readonly kind: "partition";
      readonly from: readonly NodeId[];
      readonly to: readonly NodeId[];
      readonly oneWay: boolean;
    }
  /** Every partition ends. */
  | { readonly kind: "heal-partitions" }
  /**
   * Links from `from` to `to` (both ways unless `oneWay`) hold their messages until
   * `durationMicros` from now: a clogged link delays, it never drops (FoundationDB's clog).
   */
  | {
      readonly kind: "clog";
      readonly from: readonly NodeId[];
      readonly to: readonly NodeId[];
      readonly oneWay: boolean;
      readonly durationMicros: number;
    }
  /** Every clog ends now (held messages leave at their held time: late, never dropped). */
  | { readonly kind: "unclog" }
  /** For `durationMicros`, every link loses and duplicates messages at least this often. */
  | {
      readonly kind: "loss-burst";
      readonly lossProbability: number;
      readonly duplicateProbability: number;
      readonly durationMicros: number;
    }
  /**
   * The process stops taking steps for `durationMicros` (a long garbage-collection stall), then
   * resumes with every belief it had: messages, timers and disk completions for it wait and
   * arrive late, in their order; nothing is lost. Its clock keeps running, so on resuming it
   * sees the time jump. A client's session may expire meanwhile without its knowing.
   */
  | { readonly kind: "pause"; readonly node: NodeId; readonly durationMicros: number }
  /** The node's clock reading jumps by `deltaMicros` (either sign); its timers are unaffected. */
  | { readonly kind: "clock-jump"; readonly node: NodeId; readonly deltaMicros: number }
  /**
   * One bit of one synced record on the node's disk flips. `pick` chooses the file and record
   * (by remainder over what exists when the fault applies) and the bit.
   */
  | { readonly kind: "corrupt"; readonly node: NodeId; readonly pick: number }
  /**
   * Every fault stops for good: partitions and clogs end, bursts end, crashed nodes restart,
   * base message loss, duplication and delay spikes turn off, later scheduled faults are skipped.
   * Used to begin a liveness phase.
   */
  | { readonly kind: "heal" };

/** The name of a kind of fault. */
export type FaultKind = Fault["kind"];

/** A fault and the simulated time it applies at. */
export interface ScheduledFault {
  readonly atMicros: number;
  readonly fault: Fault;
}

/** Every fault kind, in a fixed order (for validation and docs). */
export const FAULT_KINDS: readonly FaultKind[] = [
  "crash", "restart", "partition", "heal-partitions", "clog", "unclog", "loss-burst",
  "clock-jump", "corrupt", "heal", "pause",
];
