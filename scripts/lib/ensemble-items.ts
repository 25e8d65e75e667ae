/**
 * The ensemble scenarios of a `--servers N` run of zk-diff or zk-record: the hand-written
 * ensemble files of scenarios/ensemble/ whose `servers` is N, then one generated scenario per
 * seed (src/script/generate-ensemble.ts).
 */
import { generatedEnsemble, handWritten } from "./scenarios.js";
import type { NamedScenario } from "./scenarios.js";

/** Hand-written ensemble scenarios live apart, so standalone runs never pick them up. */
export const ENSEMBLE_HAND_DIR = "scenarios/ensemble";

export function ensembleItems(servers: number, seeds: readonly number[], hand: boolean)
  : NamedScenario[] {
  const written = hand
    ? handWritten(ENSEMBLE_HAND_DIR).filter((item) => item.scenario.servers === servers)
    : [];
  return [...written, ...seeds.map((seed) => generatedEnsemble(seed, servers))];
}

/** Reads `--servers N` (1..7), or undefined when the flag is absent. */
export function parseServers(text: string): number | undefined {
  const servers = Number(text);
  return Number.isInteger(servers) && servers >= 1 && servers <= 7 ? servers : undefined;
}
