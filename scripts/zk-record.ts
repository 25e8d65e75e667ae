/**
 * Records real ZooKeeper results as golden files for test/golden/real.test.ts:
 *
 *   npx tsx scripts/zk-record.ts [--seeds 1..40] [--out test/golden/real] [--no-hand]
 *
 * Each scenario (scenarios/*.json and one generated scenario per seed) runs twice, each time on
 * a fresh throwaway server; it is recorded only when both runs agree (after zxid normalization),
 * so a recording never captures a timing accident. A recording holds the scenario and the real
 * results: `{source, zookeeper, scenario, results}`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareResults } from "../src/script/index.js";
import { allStopped, runOnFreshServer } from "./lib/real-run.js";
import { generated, handWritten, parseSeeds } from "./lib/scenarios.js";
import type { NamedScenario } from "./lib/scenarios.js";
import { ensureInstalled } from "./lib/zk-server.js";

function usage(message: string): never {
  process.stderr.write(`zk-record: ${message}\n`);
  process.stderr.write(
    "usage: npx tsx scripts/zk-record.ts [--seeds A..B] [--out DIR] [--no-hand]\n",
  );
  process.exit(2);
}

interface Options {
  readonly seeds: number[];
  readonly out: string;
  readonly hand: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  let seeds = parseSeeds("1..40") ?? [];
  let out = join("test", "golden", "real");
  let hand = true;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === "--seeds") {
      const text = value();
      seeds = parseSeeds(text) ?? usage(`--seeds takes A..B, got "${text}"`);
    } else if (flag === "--out") out = value();
    else if (flag === "--no-hand") hand = false;
    else usage(`unknown flag "${flag}"`);
  }
  return { seeds, out, hand };
}

async function recordOne(item: NamedScenario, source: string, out: string): Promise<string> {
  const first = await runOnFreshServer(item.scenario);
  const second = await runOnFreshServer(item.scenario);
  const same = compareResults(item.scenario, first.results, second.results);
  if (!same.equal) return `UNSTABLE ${item.name}: step ${same.step} differs between two real runs`;
  const recording = {
    source,
    zookeeper: first.version.split(/[-\s]/)[0] ?? first.version,
    scenario: item.json,
    results: first.results,
  };
  writeFileSync(join(out, `${item.name}.json`), `${JSON.stringify(recording, null, 1)}\n`);
  return `recorded ${item.name} (${item.scenario.steps.length} steps, ${first.wallMs} ms)`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  ensureInstalled();
  mkdirSync(options.out, { recursive: true });
  const items: Array<[NamedScenario, string]> = [
    ...(options.hand ? handWritten("scenarios") : []).map(
      (item): [NamedScenario, string] => [item, `scenarios/${item.name.split("--")[0] ?? ""}.json`],
    ),
    ...options.seeds.map((seed): [NamedScenario, string] => [generated(seed), `generate(${seed})`]),
  ];
  let failures = 0;
  for (const [item, source] of items) {
    const line = await recordOne(item, source, options.out).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      return `ERROR ${item.name}: ${message}`;
    });
    if (!line.startsWith("recorded")) failures++;
    process.stdout.write(`${line}\n`);
  }
  await allStopped();
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`zk-record: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
