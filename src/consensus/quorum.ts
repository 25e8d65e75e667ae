/**
 * Majority quorums over the voting members (ZooKeeper's QuorumMaj): a set is a quorum when it
 * holds more than half of the voters. Observers and unknown ids weigh nothing.
 */
import { assert } from "../util/index.js";
import type { ServerId } from "./ids.js";

/** How many voters form a quorum: floor(n / 2) + 1. */
export function quorumSize(voters: readonly ServerId[]): number {
  assert(voters.length > 0, "an ensemble without voters has no quorum");
  return Math.floor(voters.length / 2) + 1;
}

/** True when the voters among `acks` are more than half of `voters` (QuorumMaj.containsQuorum). */
export function hasQuorum(voters: readonly ServerId[], acks: Iterable<ServerId>): boolean {
  const counted = new Set<ServerId>();
  for (const sid of acks) if (voters.includes(sid)) counted.add(sid);
  assert(counted.size <= voters.length, "more acking voters than voters");
  return counted.size >= quorumSize(voters);
}
