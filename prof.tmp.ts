import { runEncrypted } from "./src/run/encrypt/index.js";
import { keyEvents } from "./src/check/index.js";
import type { ObservationRecord } from "./src/check/index.js";
const seeds = (process.env.SEEDS ?? "1").split(",").map(Number);
const bug = process.env.BUG ?? null;
for (const seed of seeds) {
  let records: readonly ObservationRecord[] = [];
  const t0 = Date.now();
  const { report, tasks } = await runEncrypted(seed, { encrypt: true, bug }, {
    observationSink: (r) => { records = r; } });
  const counts = new Map<string, number>();
  for (const e of keyEvents(records)) {
    const k = `${e.action}:${e.outcome}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  console.log(seed, Date.now() - t0, "ms", report.violations.map((v) => `${v.checker}: ${v.message}`),
    tasks.filter((t) => t.status !== "done"), process.env.V ? JSON.stringify([...counts].sort()) : "");
}
