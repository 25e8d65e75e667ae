import { runSimulation } from "../src/run/index.js";
const t = Date.now();
const r = runSimulation(Number(process.argv[2] ?? 1), {});
console.log(JSON.stringify({ ...r, stats: undefined, violations: r.violations.slice(0, 5), faults: r.faults.length }, null, 1), Date.now() - t, "ms");
