/**
 * A message on the wire. It is plain data, so the trace can render it and an adversary hook can
 * inspect, drop or replace it between the network and the receiving host.
 */
import type { NodeId } from "./faults.js";

/** One message in flight, from the send until its delivery or drop. */
export interface Envelope<M> {
  /** Discriminates envelopes from the world's other queued events. */
  readonly kind: "message";
  /** The send's ordinal in the run (a duplicate copy keeps the id of its original). */
  readonly id: number;
  readonly from: NodeId;
  readonly to: NodeId;
  /** The host-defined payload; the world never looks inside. */
  readonly message: M;
  /** True time the message was sent. */
  readonly sentMicros: number;
  /** 0 for the original, 1 for a duplicate the network made. */
  readonly copy: number;
}

/** Why a message was not delivered. */
export type DropReason = "loss" | "partition" | "down" | "adversary";

/**
 * The tampering hook: called for each message about to be delivered (after the network's own
 * faults). Return the envelope (possibly a modified copy) to deliver it, undefined to drop it,
 * or a list of envelopes for the same receiver to deliver in its place, in order (a copy, a
 * replayed or forged message next to the real one).
 */
export type Adversary<M> = (
  envelope: Envelope<M>, nowMicros: number,
) => Envelope<M> | readonly Envelope<M>[] | undefined;
