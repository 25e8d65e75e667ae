/**
 * Convergence: replicas that have applied the same prefix hold the same tree. Every delivery and
 * every restore reports the tree digest at its zxid; two different digests at one zxid mean two
 * replicas applied the same history differently (a non-deterministic apply, a snapshot that lost
 * or invented state, a session table that diverged).
 */
import { showZxid } from "./history.js";
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

/** Checks equal digests at equal zxids. */
export function checkConvergence(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const digestAt = new Map<number, { node: number; digest: string }>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "deliver" && o.kind !== "restore") continue;
    const first = digestAt.get(o.zxid);
    if (first === undefined) {
      digestAt.set(o.zxid, { node: o.node, digest: o.digest });
    } else if (first.digest !== o.digest) {
      const how = o.kind === "deliver" ? "after delivering" : `after a ${o.cause} restore at`;
      found.add(violationAt("convergence", record,
        `node ${o.node} has tree digest ${o.digest} ${how} ${showZxid(o.zxid)}, but node ` +
        `${first.node} had ${first.digest} there`));
    }
  }
  return found.items;
}
