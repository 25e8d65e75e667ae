import { runSimulation } from "../src/run/index.js";
const seed = Number(process.argv[2] ?? 4);
const client = process.argv[3] ?? "102";
const lines: string[] = [];
const r = runSimulation(seed, {}, { traceSink: (l: string) => { lines.push(l); } });
console.log(r.violations.slice(0, 2).map(v => v.message + " @" + v.event));
const from = Number(process.argv[4] ?? 0), to = Number(process.argv[5] ?? 1e9);
for (const l of lines) {
  const i = JSON.parse(l).i;
  if (i < from || i > to) continue;
  if (l.includes(`"client":${client}`) || l.includes(`"from":${client}`) || l.includes(`"to":${client}`)) console.log(l.slice(0, 260));
}
