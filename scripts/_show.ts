import { generateScenario } from "../src/script/generate.js";
const g = generateScenario(Number(process.argv[2]));
let t = 0;
g.steps.forEach((s, i) => { if (s.op === "sleep") t += s.ms as number; console.log(i, t, JSON.stringify(s).slice(0, 220)); });
