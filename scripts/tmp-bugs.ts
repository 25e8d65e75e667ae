import { runSimulation } from "../src/run/index.js";
const bugs = process.argv.slice(3);
const max = Number(process.argv[2] ?? 50);
for (const bug of bugs) {
  let caught = 0, first = -1; const checkers = new Set<string>();
  for (let seed = 1; seed <= max; seed++) {
    const r = runSimulation(seed, { bug });
    if (r.violations.length > 0) { caught++; if (first < 0) first = seed; r.violations.forEach(v => checkers.add(v.checker)); }
  }
  console.log(bug, "caught", caught, "/", max, "first", first, [...checkers].join(","));
}
