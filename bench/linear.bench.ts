/**
 * Linearizability checker benchmarks: the time to check cas-register histories of 1k, 10k and
 * 100k operations over 5 and 50 processes, linearizable (made by construction) and not (the same with the last completed read changed to a value never written, so
 * the search must get through the whole history first). The goal is 10k operations in under a
 * second. The same at 1k and 10k operations over 5 processes with 1% of outcomes unknown
 * (Jepsen's :info: each may take effect at any later point or never), which is what makes
 * histories hard for every Wing-Gong checker. With ZABSIM_LINEAR_EXPORT=DIR the histories are also written there as JSON (one
 * operation per line: process, f, values, call, ret, output), for comparing with Porcupine.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { casRegisterModel, checkLinearizable, DEFAULT_BUDGET }
  from "../src/check/linear/index.js";
import { constructHistory, mutate } from "../test/helpers/histories.js";
import type { RegisterOp } from "../test/helpers/histories.js";
import type { Benchmark, BenchRow } from "./main.js";

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

function history(ops: number, processes: number, linearizable: boolean, crash: number):
RegisterOp[] {
  const made = constructHistory(ops * 31 + processes, { processes, ops, cas: true, crash });
  if (linearizable) return made;
  const reads = made.filter((op) => op.input.f === "read" && op.output !== undefined).length;
  return mutate(made, "fresh-read", reads - 1) ?? made;
}

/** One JSON object per operation, the shape the Porcupine driver reads. */
function exported(ops: readonly RegisterOp[]): string {
  return ops.map((op) => JSON.stringify({
    process: op.process, f: op.input.f,
    value: op.input.f === "write" ? op.input.value : null,
    from: op.input.f === "cas" ? op.input.from : null,
    to: op.input.f === "cas" ? op.input.to : null,
    call: op.call, ret: op.ret, known: op.output !== undefined,
    read: op.output?.f === "read" ? op.output.value : null,
    ok: op.output?.f === "cas" ? op.output.ok : null,
  })).join("\n") + "\n";
}

function bench(ops: number, processes: number, linearizable: boolean, crash = 0): Benchmark {
  const label = `${ops / 1000}k-ops-${processes}-procs-${linearizable ? "valid" : "invalid"}` +
    (crash > 0 ? `-${crash * 100}pct-info` : "");
  return {
    name: `linear/${label}`,
    run: (): BenchRow => {
      const made = history(ops, processes, linearizable, crash);
      const dir = process.env["ZABSIM_LINEAR_EXPORT"];
      if (dir !== undefined) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${label}.jsonl`), exported(made));
      }
      checkLinearizable(casRegisterModel(), made.slice(0, 200));
      const started = wallMs();
      const result = checkLinearizable(casRegisterModel(), made, DEFAULT_BUDGET);
      const ms = wallMs() - started;
      return { verdict: String(result.valid), ms: Math.round(ms * 10) / 10, steps: result.steps };
    },
  };
}

export const benchmarks: Benchmark[] = [
  ...[1000, 10_000, 100_000].flatMap((ops) =>
    [5, 50].flatMap((processes) => [true, false].map((valid) => bench(ops, processes, valid)))),
  ...[1000, 10_000].flatMap((ops) => [true, false].map((valid) => bench(ops, 5, valid, 0.01))),
];
