/**
 * At most one leader established per epoch (Zab.tla's Leadership1 and Leadership2). Two nodes
 * completing Zab phase 2 for one epoch means two primaries could assign the same zxids.
 */
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

/** Checks one established leader per epoch. */
export function checkLeadership(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const leaderOf = new Map<number, number>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "established") continue;
    const first = leaderOf.get(o.epoch);
    if (first === undefined) leaderOf.set(o.epoch, o.node);
    else if (first !== o.node) {
      found.add(violationAt("leadership", record,
        `node ${o.node} was established as leader of epoch ${o.epoch}, ` +
        `which node ${first} already leads`));
    }
  }
  return found.items;
}
