/**
 * Where a sweep's tasks run: in this thread (`--workers 1`), or on a piscina pool of worker
 * threads that load the built code (dist/cli/sweep/worker.js; `npm test` builds it first, see
 * test/build-setup.ts). `runInOrder` keeps a bounded number of tasks in flight and hands results
 * back in task order, whatever order the threads finish in, so what a sweep prints and sums
 * cannot depend on the worker count.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { UsageError } from "../args.js";
import type { SeedOutcome } from "./summary.js";
import type { SeedTask, ShrinkOutcome, ShrinkTask } from "./tasks.js";
import { runSeedTask, runShrinkTask } from "./tasks.js";

/** Runs tasks somewhere; close() ends the threads. */
export interface TaskRunner {
  runSeed(task: SeedTask): Promise<SeedOutcome>;
  runShrink(task: ShrinkTask): Promise<ShrinkOutcome>;
  close(): Promise<void>;
}

/** Worker counts above this are surely a typo. */
export const WORKERS_MAX = 256;

/** The default --workers: every core the process may use. */
export const defaultWorkers = (): number => Math.min(availableParallelism(), WORKERS_MAX);

/** The first source file under `src` whose built file under `dist` is missing or older. */
export function staleSource(src: string, dist: string): string | undefined {
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    if (entry.isDirectory()) {
      const stale = staleSource(from, join(dist, entry.name));
      if (stale !== undefined) return stale;
    } else if (entry.name.endsWith(".ts")) {
      const to = join(dist, entry.name.replace(/\.ts$/, ".js"));
      if (!existsSync(to) || statSync(to).mtimeMs < statSync(from).mtimeMs) return from;
    }
  }
  return undefined;
}

/**
 * The built worker file: beside this one when running built code; under dist/ when running the
 * sources (tsx, vitest), since a worker thread cannot load TypeScript. Then every source file
 * must be older than its build (an incremental build rewrites only what changed), or the threads
 * would run other code than this one.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "worker.js");
  const root = resolve(dirname(here), "../../..");
  const stale = staleSource(join(root, "src"), join(root, "dist"));
  if (stale !== undefined) {
    throw new UsageError(`worker threads run the built code, and dist/ is older than ` +
      `${stale.slice(root.length + 1)}: run npm run build (or use --workers 1)`);
  }
  return join(root, "dist", "cli", "sweep", "worker.js");
}

/** Tasks in this thread, one after another. */
const inline: TaskRunner = {
  runSeed: (task) => runSeedTask(task),
  runShrink: (task) => runShrinkTask(task),
  close: () => Promise.resolve(),
};

/** A runner with `workers` threads (1: this thread, no pool). */
export function taskRunner(workers: number): TaskRunner {
  if (workers <= 1) return inline;
  const pool = new Piscina({ filename: workerFile(), minThreads: workers, maxThreads: workers });
  return {
    runSeed: (task) => pool.run(task) as Promise<SeedOutcome>,
    runShrink: (task) => pool.run(task) as Promise<ShrinkOutcome>,
    close: () => pool.destroy(),
  };
}

/**
 * Runs `run` over `items` with at most `inFlightMax` at once. `onDone` sees each result as it
 * finishes (progress); `onNext` sees them in item order (output). Rejects on the first failure
 * and starts nothing after it.
 */
export function runInOrder<T, R>(
  items: Iterable<T>, inFlightMax: number, run: (item: T) => Promise<R>,
  onDone: (result: R) => void, onNext: (result: R) => void,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const finished = new Map<number, R>();
  let started = 0;
  let emitted = 0;
  let active = 0;
  let exhausted = false;
  return new Promise<void>((resolveAll, rejectAll) => {
    const fail = (error: unknown): void => {
      exhausted = true;
      rejectAll(error);
    };
    const launch = (): void => {
      while (!exhausted && active < inFlightMax) {
        const step = iterator.next();
        if (step.done === true) {
          exhausted = true;
          break;
        }
        const index = started++;
        active++;
        run(step.value).then((result) => {
          active--;
          onDone(result);
          finished.set(index, result);
          for (let r = finished.get(emitted); r !== undefined; r = finished.get(emitted)) {
            finished.delete(emitted++);
            onNext(r);
          }
          launch();
        }).catch(fail);
      }
      if (exhausted && active === 0) resolveAll();
    };
    launch();
  });
}
