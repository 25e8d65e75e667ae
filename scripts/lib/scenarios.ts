/**
 * The scenarios a differential run covers, each with the JSON text of a single-scenario file
 * (what `zabsim script` replays): hand-written files from scenarios/*.json (a multi-scenario
 * file contributes each of its scenarios) and seeded generated ones.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseScenarioFile } from "../../src/script/index.js";
import type { Scenario } from "../../src/script/index.js";
import { generateScenario } from "../../src/script/generate.js";
import { generateEnsembleScenario } from "../../src/script/generate-ensemble.js";

/** One scenario to run: a name for reports and file names, its parsed form and its file text. */
export interface NamedScenario {
  readonly name: string;
  readonly scenario: Scenario;
  /** A single-scenario file holding exactly this scenario. */
  readonly text: string;
  /** The scenario as a JSON value (for saving beside results). */
  readonly json: Record<string, unknown>;
}

function single(name: string, json: Record<string, unknown>): NamedScenario {
  const text = JSON.stringify(json);
  const parsed = parseScenarioFile(text);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
  if (parsed.file.kind !== "single") throw new Error(`${name}: expected a single scenario`);
  return { name, scenario: parsed.file.scenario, text, json };
}

/** The scenario generated from `seed`. */
export function generated(seed: number): NamedScenario {
  return single(`seed-${seed}`, { ...generateScenario(seed) });
}

/** The ensemble scenario generated from `seed` for `servers` servers. */
export function generatedEnsemble(seed: number, servers: number): NamedScenario {
  return single(`ensemble-${servers}-seed-${seed}`, { ...generateEnsembleScenario(seed, servers) });
}

/** Every scenario in the *.json files of `dir` (sorted by file name). */
export function handWritten(dir: string): NamedScenario[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".json")).sort();
  } catch {
    return [];
  }
  const out: NamedScenario[] = [];
  for (const file of files) {
    const base = file.replace(/\.json$/, "");
    const json = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
    const many = json["scenarios"];
    if (Array.isArray(many)) {
      many.forEach((entry: Record<string, unknown>, index) => {
        const { id, ...rest } = entry;
        out.push(single(`${base}--${String(id ?? index)}`, rest));
      });
    } else {
      out.push(single(base, json));
    }
  }
  return out;
}

/** Parses "A..B" (or a single number) into the inclusive list of seeds. */
export function parseSeeds(text: string): number[] | undefined {
  const match = /^(\d+)(?:\.\.(\d+))?$/.exec(text.trim());
  if (match === null) return undefined;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) return undefined;
  if (to - from > 1_000_000) return undefined;
  const seeds: number[] = [];
  for (let seed = from; seed <= to; seed++) seeds.push(seed);
  return seeds;
}
