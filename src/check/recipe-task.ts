/**
 * A recipe run's tasks must not throw: a task that did reported a `task-failed` recipe event
 * (src/run/scenario.ts), and the run fails there with the task's message, like any other
 * violation. A recipe turns every error ZooKeeper's recipes expect (CONNECTIONLOSS,
 * SESSIONEXPIRED, NONODE races) into a retry or a fresh start, so a throw is a recipe's bug.
 */
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

/** One violation per task that threw. */
export function checkRecipeTasks(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "recipe" || o.event.type !== "task-failed") continue;
    found.add(violationAt("recipe-task", record,
      `the task on client node ${o.node} threw: ${o.event.message}`));
  }
  return found.items;
}
