/**
 * Records real ZooKeeper results as golden files for test/golden/real.test.ts:
 *
 *   npx tsx scripts/zk-record.ts [--seeds 1..40] [--out test/golden/real] [--no-hand]
 *   npm run zk-record -- --servers 3 [--seeds 1..100] [--out test/golden/ensemble]
 *
 * Each scenario (scenarios/*.json and one generated scenario per seed) runs twice, each time on
 * a fresh throwaway server; it is recorded only when both runs agree (after zxid normalization),
 * so a recording never captures a timing accident. A recording holds the scenario and the real
 * results: `{source, zookeeper, scenario, results}`.
 *
 * With `--servers N` the scenarios are ensemble scenarios (scenarios/ensemble/*.json with that
 * many servers, and generateEnsembleScenario(seed, N)), each run twice on a fresh real ensemble
 * of N servers and compared with raw zxids: two recordings that differ mean the scenario races,
 * and it is reported UNSTABLE instead of recorded.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareResults } from "../src/script/index.js";
import { allStopped, runOnFreshServer } from "./lib/real-run.js";
import { ensembleItems, ENSEMBLE_HAND_DIR, parseServers } from "./lib/ensemble-items.js";
import { generated, handWritten, parseSeeds } from "./lib/scenarios.js";
import type { NamedScenario } from "./lib/scenarios.js";
import { ensureInstalled } from "./lib/zk-server.js";

function usage(message: string): never {
  process.stderr.write(`zk-record: ${message}\n`);
  process.stderr.write(
    "usage: npx tsx scripts/zk-record.ts [--servers N] [--seeds A..B] [--out DIR] [--no-hand]\n",
  );
  process.exit(2);
}

interface Options {
  readonly seeds: number[];
  readonly out: string;
  readonly hand: boolean;
  /** Ensemble size, or undefined for standalone scenarios. */
  readonly servers: number | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  let seeds = parseSeeds("1..40") ?? [];
  let out: string | undefined;
  let hand = true;
  let servers: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === "--seeds") {
      const text = value();
      // "none": only the hand-written scenarios.
      seeds = text === "none" ? [] : parseSeeds(text) ?? usage(`--seeds takes A..B, got "${text}"`);
    } else if (flag === "--servers") {
      const text = value();
      servers = parseServers(text) ?? usage(`--servers takes 1..7, got "${text}"`);
    } else if (flag === "--out") out = value();
    else if (flag === "--no-hand") hand = false;
    else usage(`unknown flag "${flag}"`);
  }
  out ??= join("test", "golden", servers === undefined ? "real" : "ensemble");
  return { seeds, out, hand, servers };
}

async function recordOne(item: NamedScenario, source: string, out: string): Promise<string> {
  const first = await runOnFreshServer(item.scenario);
  const second = await runOnFreshServer(item.scenario);
  // Ensemble zxids are compared raw: their epoch half is part of what is recorded.
  const raw = item.scenario.servers !== undefined;
  const same = compareResults(item.scenario, first.results, second.results, { raw });
  if (!same.equal) {
    return `UNSTABLE ${item.name}: step ${same.step} differs between two real runs\n` +
      `  first:  ${JSON.stringify(same.expected)}\n  second: ${JSON.stringify(same.actual)}`;
  }
  const recording = {
    source,
    zookeeper: first.version.split(/[-\s]/)[0] ?? first.version,
    scenario: item.json,
    results: first.results,
  };
  writeFileSync(join(out, `${item.name}.json`), `${JSON.stringify(recording, null, 1)}\n`);
  const took = `${first.wallMs} + ${second.wallMs} ms`;
  return `recorded ${item.name} (${item.scenario.steps.length} steps, ${took})`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  ensureInstalled();
  mkdirSync(options.out, { recursive: true });
  const items = options.servers === undefined ? standaloneItems(options)
    : ensembleItems(options.servers, options.seeds, options.hand).map(
      (item): [NamedScenario, string] => [item, sourceOf(item, options.servers ?? 0)]);
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

/** Where an ensemble scenario came from: its hand-written file or its generator call. */
function sourceOf(item: NamedScenario, servers: number): string {
  const seed = /^ensemble-\d+-seed-(\d+)$/.exec(item.name)?.[1];
  return seed === undefined ? `${ENSEMBLE_HAND_DIR}/${item.name}.json`
    : `generateEnsembleScenario(${seed}, ${servers})`;
}

function standaloneItems(options: Options): Array<[NamedScenario, string]> {
  return [
    ...(options.hand ? handWritten("scenarios") : []).map(
      (item): [NamedScenario, string] => [item, `scenarios/${item.name.split("--")[0] ?? ""}.json`],
    ),
    ...options.seeds.map((seed): [NamedScenario, string] => [generated(seed), `generate(${seed})`]),
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(`zk-record: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
