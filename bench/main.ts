/**
 * `npm run bench`: runs every benchmark module in bench/ (files named *.bench.ts, found by
 * name and run in name order, so a new bench needs no edit here), prints one table row per
 * benchmark, and writes all rows to bench/results/latest.json.
 *
 * A bench module exports `benchmarks: Benchmark[]`; each run() returns a row of named figures.
 * `npm run bench -- kernel` runs only benchmarks whose name contains "kernel".
 * Bench code may read wall time: it is not simulated code.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** One figure-producing benchmark. */
export interface Benchmark {
  /** "module/what", e.g. "kernel/fixture-events". */
  readonly name: string;
  /** Runs the measurement (warm-up included) and returns its figures. */
  run(): BenchRow | Promise<BenchRow>;
}

/** Named figures: numbers (with their unit in the name) or short strings. */
export type BenchRow = Readonly<Record<string, number | string>>;

const HERE = dirname(fileURLToPath(import.meta.url));

async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = readdirSync(HERE).filter((name) => name.endsWith(".bench.ts")).sort();
  const all: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(HERE, file)).href)) as {
      benchmarks?: Benchmark[];
    };
    if (!Array.isArray(module.benchmarks)) {
      process.stderr.write(`bench: ${file} exports no benchmarks array; skipped\n`);
      continue;
    }
    all.push(...module.benchmarks);
  }
  return all;
}

function format(value: number | string): string {
  if (typeof value === "string") return value;
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value.toPrecision(4);
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const benchmarks = (await loadBenchmarks())
    .filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  const results: { name: string; figures: BenchRow }[] = [];
  for (const benchmark of benchmarks) {
    const figures = await benchmark.run();
    results.push({ name: benchmark.name, figures });
    const cells = Object.entries(figures).map(([key, value]) => `${key}=${format(value)}`);
    process.stdout.write(`${benchmark.name.padEnd(32)} ${cells.join("  ")}\n`);
  }
  const report = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    results,
  };
  writeFileSync(join(HERE, "results", "latest.json"), JSON.stringify(report, null, 2) + "\n");
  process.stdout.write(`wrote bench/results/latest.json (${results.length} benchmarks)\n`);
}

await main();
