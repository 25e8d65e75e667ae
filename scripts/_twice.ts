import { generated } from "./lib/scenarios.js";
import { runOnFreshServer } from "./lib/real-run.js";
import { compareResults } from "../src/script/index.js";
const seed = Number(process.argv[2]);
const item = generated(seed);
const a = await runOnFreshServer(item.scenario);
const b = await runOnFreshServer(item.scenario);
const c = compareResults(item.scenario, a.results, b.results);
console.log(JSON.stringify(item.json.server));
if (!c.equal) {
  for (let i = Math.max(0, c.step - 8); i <= c.step; i++) console.log(i, JSON.stringify(item.scenario.steps[i]).slice(0, 200), "\n   A:", JSON.stringify(a.results[i]).slice(0, 300), "\n   B:", JSON.stringify(b.results[i]).slice(0,300));
} else console.log("equal");
