import { runSimulation } from "../src/run/index.js";
for (const seed of [2, 21, 24, 25]) {
  const r = runSimulation(seed);
  console.log(seed, r.violations.map(v => `${v.simTimeMs}ms ${v.message.slice(0, 80)}`).join(" | "));
  console.log("  faults:", r.faults.filter(f => f.fault.kind.includes("clock") || f.fault.kind.includes("skew") || f.fault.kind.includes("jump")).map(f => `${f.atMicros / 1000}ms ${JSON.stringify(f.fault)}`).join(", "));
}
