/**
 * Leader election and membership among clients, judged from recipe observations:
 *
 * - client-leader: at most one leader per leader epoch (the candidate node's czxid), and no
 *   two leaderships of a group at once, a leadership lasting from its `leader` event until its
 *   `resign` or until some replica applied its session's closeSession (then the next candidate
 *   may lead; the old one, paused, may still believe it leads, which is why the epoch fences).
 * - membership: once changes settled, every member's last view of a group is the same set.
 */
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

interface Reign {
  readonly node: number;
  readonly session: number;
  readonly epoch: number;
}

/** Checks client-leader over every group of the run. */
export function checkClientLeaders(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const reigning = new Map<string, Reign>();
  const epochs = new Map<number, number>();
  const closed = new Set<number>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "session-closed") {
      closed.add(o.session);
      for (const [group, reign] of reigning) {
        if (reign.session === o.session) reigning.delete(group);
      }
      continue;
    }
    if (o.kind !== "recipe") continue;
    const event = o.event;
    if (event.type === "resign") {
      if (reigning.get(event.group)?.epoch === event.epoch) reigning.delete(event.group);
      continue;
    }
    if (event.type !== "leader") continue;
    const owner = epochs.get(event.epoch);
    if (owner !== undefined && owner !== o.session) {
      found.add(violationAt("client-leader", record,
        `client ${o.node} leads ${event.group} for epoch ${event.epoch}, which another ` +
        "session already led"));
    }
    epochs.set(event.epoch, o.session);
    if (closed.has(o.session)) continue; // A belief only: the ensemble ended the session.
    const current = reigning.get(event.group);
    if (current !== undefined) {
      found.add(violationAt("client-leader", record,
        `client ${o.node} leads ${event.group} (epoch ${event.epoch}) while client ` +
        `${current.node} still leads it (epoch ${current.epoch})`));
    }
    reigning.set(event.group, { node: o.node, session: o.session, epoch: event.epoch });
  }
  return found.items;
}

/** Checks membership: the last views of each group agree. */
export function checkMembership(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const last = new Map<string, Map<number, { members: string; record: ObservationRecord }>>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "recipe" || o.event.type !== "view") continue;
    const views = last.get(o.event.group) ?? new Map();
    views.set(o.node, { members: o.event.members.join(","), record });
    last.set(o.event.group, views);
  }
  for (const [group, views] of last) {
    const entries = [...views.entries()];
    const [firstNode, first] = entries[0] ?? [0, undefined];
    for (const [node, view] of entries.slice(1)) {
      if (first === undefined || view.members === first.members) continue;
      found.add(violationAt("membership", view.record,
        `client ${node} sees ${group} as {${view.members}} but client ${firstNode} as ` +
        `{${first.members}} after the changes settled`));
    }
  }
  return found.items;
}
