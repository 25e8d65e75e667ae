import { runSimulation } from "../src/run/index.js";
const workload = (process.argv[2] ?? "sessions") as "sessions" | "basic";
const n = Number(process.argv[3] ?? 20);
const extra = process.argv[4] ? JSON.parse(process.argv[4]) : {};
const t0 = performance.now();
let fails = 0, events = 0, committed = 0;
for (let seed = 1; seed <= n; seed++) {
  const r = runSimulation(seed, { workload, ...extra });
  events += r.events; committed += r.committed;
  if (r.violations.length > 0) { fails++; console.log(seed, r.violations.slice(0,2).map(v => v.checker + ": " + v.message.slice(0, 200))); }
}
const ms = performance.now() - t0;
console.log(workload, "fails", fails, "ms", Math.round(ms), "events", events, "committed", committed, "seeds/min", Math.round(n / ms * 60000));
