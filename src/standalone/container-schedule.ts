/**
 * When the container manager runs. ContainerManager.start schedules its task with
 * Timer.scheduleAtFixedRate(task, checkIntervalMs, checkIntervalMs) as the server starts: the
 * first check one interval after start, then every interval, whatever each check costs. Which
 * nodes a check deletes is the tree's rule (containerCandidates, ContainerManager.getCandidates).
 *
 * Not modelled: znode.container.maxPerMinute (default 10000) makes a check pause 6 ms between
 * two deletions; those pauses shift no later check (fixed rate) and no result a client can see,
 * except through the ctime of nodes created while a long check is still deleting.
 */
import { assert } from "../util/index.js";
import { containerCandidates } from "../tree/index.js";
import type { DataTree } from "../tree/index.js";

/** The fixed-rate schedule of container checks, in simulated microseconds since start. */
export class ContainerSchedule {
  private readonly intervalMicros: number;
  private nextMicros: number;

  constructor(intervalMs: number) {
    assert(Number.isSafeInteger(intervalMs) && intervalMs > 0, `bad interval ${intervalMs}`);
    this.intervalMicros = intervalMs * 1000;
    this.nextMicros = this.intervalMicros;
  }

  /** The next check at or before `endMicros`, consumed; undefined when none is due. */
  next(endMicros: number): number | undefined {
    if (this.nextMicros > endMicros) return undefined;
    const due = this.nextMicros;
    this.nextMicros += this.intervalMicros;
    assert(Number.isSafeInteger(this.nextMicros), "container schedule overflow");
    return due;
  }

  /** The paths one check deletes, in ZooKeeper's order. */
  candidates(tree: DataTree, nowMs: number): string[] {
    return containerCandidates(tree, nowMs);
  }
}
