import { runSimulation } from "../src/run/index.js";
const args = process.argv.slice(2);
const secure = args[0] === "on";
const n = Number(args[1] ?? 10);
const bug = args[2] ?? null;
let bad = 0;
const t0 = Date.now();
for (let seed = 1; seed <= n; seed++) {
  const r = runSimulation(seed, { faults: "adversary", secureQuorum: secure, bug, livenessMs: 5000 });
  const v = r.violations;
  if (v.length > 0) bad++;
  if (v.length > 0 || seed <= 3) console.log(seed, r.committed, JSON.stringify(r.adversary), v.slice(0, 2).map((x) => `${x.checker}: ${x.message.slice(0, 140)}`));
}
console.log("bad", bad, "of", n, "ms", Date.now() - t0);
