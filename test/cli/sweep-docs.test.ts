/**
 * The shard commands documented in docs/sweeps.md (a local loop, a GitHub Actions matrix, a
 * Kubernetes indexed Job) really split a sweep: for each documented `zabsim sweep ... --shard
 * K/N` command, the test works out the values K takes there (the loop's list, the matrix, the
 * Job's completions with JOB_COMPLETION_INDEX + 1), checks they are exactly 1..N, runs those
 * shards with the documented flags (on a small range of short runs with a planted bug, so some
 * seeds fail), merges them, and checks the merge equals the whole sweep, wallMs aside.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { memoryIo, zabsim } from "./memory-io.js";

const DOC = readFileSync(new URL("../../docs/sweeps.md", import.meta.url), "utf8");

/** Small and quick, with failing seeds (5 and 6 of 1..8) in the fixed world (--swarm off). */
const SMALL = ["--workload", "basic", "--duration-ms", "3000", "--liveness-ms", "2000",
  "--bug", "ack-before-fsync", "--swarm", "off"];

interface Documented {
  readonly line: string;
  /** The sweep's flags before --shard. */
  readonly flags: string[];
  readonly values: number[];
  readonly count: number;
}

const numbers = (text: string): number[] => text.split(/[ ,]+/).filter(Boolean).map(Number);

/** The values the shard index takes where `line` is documented. */
function valuesOf(line: string, index: string): number[] {
  const loop = /for K in ([0-9 ]+);/.exec(line);
  if (index === "$K" && loop?.[1] !== undefined) return numbers(loop[1]);
  if (index === "$K" && line.includes("K=$((JOB_COMPLETION_INDEX + 1))")) {
    expect(DOC).toContain("completionMode: Indexed");
    const completions = Number(/completions: ([0-9]+)/.exec(DOC)?.[1]);
    return Array.from({ length: completions }, (_, i) => i + 1);
  }
  if (index === "${{ matrix.shard }}") return numbers(/shard: \[([0-9, ]+)\]/.exec(DOC)?.[1] ?? "");
  throw new Error(`docs/sweeps.md: no known source of shard indexes in: ${line}`);
}

function documented(): Documented[] {
  const found: Documented[] = [];
  for (const line of DOC.split("\n")) {
    const match = /zabsim sweep (.*?) --shard (\$\{\{ matrix\.shard \}\}|\S+)\/([0-9]+) --json/
      .exec(line);
    if (match === null) continue;
    const [, flags = "", index = "", count = ""] = match;
    found.push({ line, flags: flags.split(" "), values: valuesOf(line, index), count: +count });
  }
  return found;
}

/** The documented flags with the range made small and the short, failing options added. */
function small(flags: readonly string[]): string[] {
  const out = [...flags];
  const at = out.indexOf("--seeds");
  expect(at).toBeGreaterThanOrEqual(0);
  out[at + 1] = "1..8";
  return [...out, ...SMALL];
}

const withoutWall = (stdout: string): unknown => {
  const { wallMs: _wall, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return rest;
};

describe("docs/sweeps.md shard commands", () => {
  const commands = documented();

  test("the page documents a local loop, a GitHub Actions matrix and a Kubernetes Job", () => {
    expect(commands).toHaveLength(3);
    expect(DOC.match(/zabsim merge /g)?.length).toBeGreaterThanOrEqual(3);
  });

  test.each(commands.map((c) => [c.line.trim().slice(0, 60), c] as const))(
    "%s ... : shards 1..N whose merge equals the whole sweep", async (_name, command) => {
      expect(command.values).toEqual(Array.from({ length: command.count }, (_, i) => i + 1));
      const io = memoryIo();
      const flags = small(command.flags);
      const names: string[] = [];
      for (const k of command.values) {
        const shard = await zabsim(
          ["sweep", ...flags, "--shard", `${k}/${command.count}`, "--json"], io);
        expect([0, 1]).toContain(shard.code);
        names.push(`shard-${k}.json`);
        io.files.set(`shard-${k}.json`, shard.stdout);
      }
      const merged = await zabsim(["merge", ...names, "--json"], io);
      const whole = await zabsim(["sweep", ...flags, "--json"], io);
      expect(merged.code).toBe(1);
      expect(whole.code).toBe(1);
      expect(withoutWall(merged.stdout)).toEqual(withoutWall(whole.stdout));
    });
});
