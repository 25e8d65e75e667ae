/**
 * The pure parts of sweeps at scale: shard arithmetic against a naive filter of the range (the
 * N shards of a range partition it, each strided), runInOrder handing results back in item
 * order however the tasks finish and never more than its bound in flight, and the staleness
 * check that keeps worker threads from running a dist/ older than the sources.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { runInOrder, staleSource } from "../../../src/cli/sweep/pool.js";
import { parseShard, shardHolds, shardSeeds, shardSize } from "../../../src/cli/sweep/shard.js";

describe("shards", () => {
  test("the N shards of a range partition it; shard K is seeds first+K-1 stepping by N", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 1, max: 70 }),
      (first, length, count) => {
        const range = { first, last: first + length };
        const seen: number[] = [];
        for (let index = 1; index <= count; index++) {
          const shard = { index, count };
          const seeds = [...shardSeeds(range, shard)];
          const naive: number[] = [];
          for (let s = range.first; s <= range.last; s++) {
            if ((s - range.first) % count === index - 1) naive.push(s);
          }
          expect(seeds).toEqual(naive);
          expect(shardSize(range, shard)).toBe(naive.length);
          for (let s = range.first - 2; s <= range.last + 2; s++) {
            expect(shardHolds(range, shard, s)).toBe(naive.includes(s));
          }
          seen.push(...seeds);
        }
        expect(seen.sort((a, b) => a - b)).toEqual(
          Array.from({ length: length + 1 }, (_, i) => first + i));
      }));
  });

  test("K/N parses only for 1 <= K <= N", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/3", "4/3", "1/0", "1/3/4", "a/3", "1/", "/3", " 1/3", "01/3"]) {
      expect(() => parseShard(bad)).toThrow(/--shard takes K\/N/);
    }
  });
});

describe("runInOrder", () => {
  test("results come out in item order, at most inFlightMax run at once", async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.nat({ max: 5 }), { maxLength: 30 }), fc.integer({ min: 1, max: 6 }),
      async (delays, inFlightMax) => {
        let active = 0;
        let activeMax = 0;
        const done: number[] = [];
        const next: number[] = [];
        const items = delays.map((delay, index) => ({ delay, index }));
        await runInOrder(items, inFlightMax, async (item) => {
          active++;
          activeMax = Math.max(activeMax, active);
          for (let i = 0; i < item.delay; i++) await Promise.resolve();
          active--;
          return item.index;
        }, (r) => done.push(r), (r) => next.push(r));
        expect(next).toEqual(items.map((item) => item.index));
        expect([...done].sort((a, b) => a - b)).toEqual(next);
        expect(activeMax).toBeLessThanOrEqual(inFlightMax);
      }));
  });

  test("rejects with the first failure", async () => {
    const run = (n: number) => (n === 3 ? Promise.reject(new Error("boom")) : Promise.resolve(n));
    await expect(runInOrder([1, 2, 3, 4], 2, run, () => {}, () => {})).rejects.toThrow("boom");
  });
});

describe("staleSource", () => {
  test("names a source newer than its build, or without one", () => {
    const root = mkdtempSync(join(tmpdir(), "zabsim-stale-"));
    try {
      mkdirSync(join(root, "src", "a"), { recursive: true });
      mkdirSync(join(root, "dist", "a"), { recursive: true });
      writeFileSync(join(root, "src", "a", "x.ts"), "");
      writeFileSync(join(root, "dist", "a", "x.js"), "");
      utimesSync(join(root, "src", "a", "x.ts"), 1000, 1000);
      utimesSync(join(root, "dist", "a", "x.js"), 2000, 2000);
      expect(staleSource(join(root, "src"), join(root, "dist"))).toBeUndefined();
      utimesSync(join(root, "src", "a", "x.ts"), 3000, 3000);
      expect(staleSource(join(root, "src"), join(root, "dist"))).toBe(join(root, "src", "a", "x.ts"));
      utimesSync(join(root, "src", "a", "x.ts"), 1000, 1000);
      writeFileSync(join(root, "src", "y.ts"), "");
      expect(staleSource(join(root, "src"), join(root, "dist"))).toBe(join(root, "src", "y.ts"));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
