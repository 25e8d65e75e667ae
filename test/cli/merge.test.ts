/**
 * `zabsim merge` refuses files that are not the shards of one sweep, each with one line on
 * stderr and exit 2: different versions, options or ranges, overlapping shards, a set leaving
 * seeds unrun (named), files that are not sweep results or contradict themselves, and with and
 * without --shrink mixed. It sums coverage counts when the shards carry them. The shard files
 * are real `sweep --shard K/2 --json` outputs of a short passing configuration, doctored
 * field by field for each refusal.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { memoryIo, zabsim } from "./memory-io.js";
import type { MemoryIo } from "./memory-io.js";

// The fixed world: these shards must pass, and a 1 s liveness bound is short for a swarm world.
const SHORT = ["--seeds", "1..5", "--workload", "basic", "--duration-ms", "1000",
  "--liveness-ms", "1000", "--swarm", "off", "--json"];

type Shard = Record<string, unknown>;
let shards: Shard[] = [];

beforeAll(async () => {
  const io = memoryIo();
  shards = [];
  for (const k of [1, 2]) {
    const result = await zabsim(["sweep", ...SHORT, "--shard", `${k}/2`, "--workers", "1"], io);
    expect(result.code).toBe(0);
    shards.push(JSON.parse(result.stdout) as Shard);
  }
});

/** An io holding the given file contents as a.json, b.json, ... and the merge's result. */
async function merge(...files: unknown[]): Promise<{ code: number; out: string; err: string }> {
  const io: MemoryIo = memoryIo();
  const names = files.map((file, i) => {
    const name = `${String.fromCharCode(97 + i)}.json`;
    io.files.set(name, typeof file === "string" ? file : JSON.stringify(file));
    return name;
  });
  const result = await zabsim(["merge", ...names, "--json"], io);
  return { code: result.code, out: result.stdout, err: result.stderr };
}

function refused(result: { code: number; out: string; err: string }, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.out).toBe("");
  expect(result.err.trim().split("\n")).toHaveLength(1);
  expect(result.err).toMatch(message);
}

const first = (): Shard => shards[0] ?? {};
const second = (): Shard => shards[1] ?? {};

describe("zabsim merge refuses shards that do not belong together", () => {
  test("the two real shards merge (exit 0): the control for every refusal below", async () => {
    const result = await merge(first(), second());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ seeds: 5, passed: 5, shard: { index: 1 } });
  });

  test("different versions", async () => {
    refused(await merge(first(), { ...second(), version: "0.0.1" }),
      /b\.json and a\.json come from different zabsim versions \(0\.0\.1 vs /);
  });

  test("different options, naming the first that differs", async () => {
    const options = { ...(second()["options"] as object), replicas: 5 };
    refused(await merge(first(), { ...second(), options }),
      /different options \(options\.replicas: 5 vs 3\)/);
  });

  test("different ranges", async () => {
    refused(await merge(first(), { ...second(), range: { first: 1, last: 4 } }),
      /b\.json and a\.json sweep different ranges \(1\.\.4 vs 1\.\.5\)/);
  });

  test("overlapping shards: the same shard twice", async () => {
    refused(await merge(first(), second(), first()),
      /a\.json \(shard 1\/2\) and c\.json \(shard 1\/2\) both ran seed 1: overlapping shards/);
  });

  test("shards of different splits that overlap", async () => {
    // 1/1 holds every seed, so it overlaps 2/2 at seed 2.
    const whole = { ...first(), shard: { index: 1, count: 1 }, seeds: 5, passed: 5 };
    refused(await merge(whole, second()), /both ran seed 2: overlapping shards/);
  });

  test("a set that leaves seeds unrun names them", async () => {
    refused(await merge(first()), /the shards leave 2 seeds of 1\.\.5 unrun: 2, 4 /);
  });

  test("with and without --shrink", async () => {
    refused(await merge(first(), { ...second(), shrunk: [] }), /differ in --shrink/);
  });

  test("a file that is not JSON, not a sweep result, or contradicts itself", async () => {
    refused(await merge("{not json", second()), /a\.json is not valid JSON/);
    refused(await merge({ seed: 3 }, second()), /a\.json is not a sweep result/);
    refused(await merge({ ...first(), seeds: 7 }, second()),
      /a\.json: shard 1\/2 of 1\.\.5 holds 3 seeds, but the file counts 7/);
    const stray = { seed: 2, violations: [{ checker: "x" }], replay: "zabsim run --seed 2" };
    refused(await merge({ ...first(), passed: 2, failing: [stray] }, second()),
      /failing seed 2 is not a seed of shard 1\/2/);
    refused(await merge({ ...first(), shard: { index: 3, count: 2 } }, second()),
      /"shard" must be \{index, count\} with 1 <= index <= count/);
  });

  test("no files at all", async () => {
    refused(await merge(), /merge needs at least one sweep --json file/);
  });
});

describe("zabsim merge sums", () => {
  test("coverage counts by mark, and events and simulated time exactly", async () => {
    const a = { ...first(), coverage: { "sync: TRUNC": 1, "sync: SNAP": 0 } };
    const b = { ...second(), coverage: { "sync: TRUNC": 2, "sync: SNAP": 1 } };
    const result = await merge(a, b);
    expect(result.code).toBe(0);
    const merged = JSON.parse(result.out) as Record<string, unknown>;
    expect(merged["coverage"]).toEqual({ "sync: TRUNC": 3, "sync: SNAP": 1 });
    expect(merged["events"]).toBe((first()["events"] as number) + (second()["events"] as number));
    expect(merged["simTimeMs"]).toBe(10_000);
  });
});
