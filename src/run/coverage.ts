/**
 * Coverage of rare branches over a sweep: for every mark registered for the sweep's options
 * (run/marks.ts), how many seeds reached it. Each run is recorded on its own (marksReached
 * returns a fresh set per run), so nothing one seed reached is counted for another.
 */
import { marksReached } from "../util/index.js";
import { marksFor } from "./marks.js";
import type { RunOptionsInput } from "./options.js";

/** Counts, per registered mark, the seeds that reached it. */
export class CoverageCount {
  private readonly seeds = new Map<string, number>();

  /** `input`: the sweep's options as given (a swarm sweep's draws are per seed). */
  constructor(input: RunOptionsInput) {
    for (const name of marksFor(input)) this.seeds.set(name, 0);
  }

  /** Runs one seed's `body`, counting the registered marks it reached. */
  record<T>(body: () => T): T {
    const { reached, value } = marksReached(body);
    this.add(reached);
    return value;
  }

  /** Counts one seed's reached marks (recorded where the seed ran, e.g. a worker thread). */
  add(reached: Iterable<string>): void {
    for (const name of reached) {
      const count = this.seeds.get(name);
      if (count !== undefined) this.seeds.set(name, count + 1);
    }
  }

  /** Every registered mark with its count, in registry order. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.seeds);
  }

  /** The registered marks no seed reached yet. */
  unreached(): string[] {
    return [...this.seeds].filter(([, count]) => count === 0).map(([name]) => name);
  }
}
