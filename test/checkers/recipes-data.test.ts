/**
 * The data recipes' checkers (src/check/recipes-data.ts) on hand-written report lists: a
 * clean list passes, and each doctored one (a reader going back to an older configuration or
 * ending on a stale one, a cache ending unlike the tree, an acknowledged item nobody processed,
 * a member passing the entry before everyone arrived, a missing referee read) is flagged by the
 * checker owning the property. The planted recipe bugs caught in real runs are in
 * test/properties/recipes-data.test.ts.
 */
import { describe, expect, test } from "vitest";
import {
  checkBarrierRecipe, checkCacheRecipe, checkConfigRecipe, checkQueueRecipe, checkRecipesData,
} from "../../src/check/index.js";
import type { ObservationRecord } from "../../src/check/index.js";
import type { DataEvent } from "../../src/observe/index.js";

/** A data event reported by client `node`. */
interface By {
  readonly node: number;
  readonly event: DataEvent;
}

function records(reports: readonly By[]): ObservationRecord[] {
  return reports.map(({ node, event }, index) => ({
    index, timeMicros: index * 1000, observation: { kind: "recipe", node, session: 7, event },
  }));
}

const adopt = (node: number, key: string, counter: number, mzxid: number): By =>
  ({ node, event: { type: "config-adopt", config: "/c", key, counter, mzxid } });
const configFinal = (counter: number): By =>
  ({ node: 9, event: { type: "config-final", config: "/c", entries: [{ key: "db", counter }] } });

describe("config", () => {
  test("readers moving forward and ending on the last configuration: clean", () => {
    const clean = [adopt(1, "db", 1, 10), adopt(2, "db", 2, 20), adopt(1, "db", 3, 30),
      adopt(2, "db", 3, 30), configFinal(3)];
    expect(checkConfigRecipe(records(clean))).toEqual([]);
  });

  test("flags a reader that adopts an older configuration", () => {
    const found = checkConfigRecipe(records([adopt(1, "db", 3, 30), adopt(1, "db", 2, 20),
      adopt(1, "db", 3, 30), configFinal(3)]));
    // The step back is flagged; the step forward again after it is not.
    expect(found).toHaveLength(1);
    expect(found[0]?.checker).toBe("recipe-config");
    expect(found[0]?.message).toContain("configuration 2 of \"db\" after 3");
    expect(found[0]?.event).toBe(1);
  });

  test("flags a reader that ends on a stale configuration, and a missing referee", () => {
    const stale = checkConfigRecipe(records([adopt(1, "db", 2, 20), adopt(2, "db", 3, 30),
      configFinal(3)]));
    expect(stale.map((v) => v.message)).toEqual([expect.stringContaining("client 1 ends on")]);
    const none = checkConfigRecipe(records([adopt(1, "db", 2, 20)]));
    expect(none[0]?.message).toContain("no settled read");
  });
});

const entries = (...pairs: Array<[string, string]>) =>
  pairs.map(([path, data]) => ({ path, data }));

describe("cache", () => {
  const final: By = { node: 9,
    event: { type: "cache-final", root: "/c", entries: entries(["/c/a", "1"], ["/c/b", "2"]) } };
  const content = (node: number, ...pairs: Array<[string, string]>): By =>
    ({ node, event: { type: "cache-content", root: "/c", entries: entries(...pairs) } });

  test("caches ending on the tree's content: clean, whatever they held before", () => {
    const clean = [content(1, ["/c/a", "0"]), content(1, ["/c/a", "1"], ["/c/b", "2"]),
      content(2, ["/c/a", "1"], ["/c/b", "2"]), final];
    expect(checkCacheRecipe(records(clean))).toEqual([]);
  });

  test("flags a cache that ends with a stale or missing entry", () => {
    const found = checkCacheRecipe(records([content(1, ["/c/a", "1"]),
      content(2, ["/c/a", "0"], ["/c/b", "2"]), final]));
    expect(found.map((v) => v.checker)).toEqual(["recipe-cache", "recipe-cache"]);
    expect(found[0]?.message).toContain("client 1 ends as {/c/a=1}");
  });
});

describe("queue", () => {
  const enqueued = (item: string): By =>
    ({ node: 1, event: { type: "queue-enqueued", queue: "/q", item } });
  const processed = (item: string): By =>
    ({ node: 2, event: { type: "queue-processed", queue: "/q", item } });

  test("every acknowledged item processed, some twice: clean", () => {
    const clean = [enqueued("a"), processed("a"), enqueued("b"), processed("b"), processed("a")];
    expect(checkQueueRecipe(records(clean))).toEqual([]);
  });

  test("flags an acknowledged item nobody processed, at its enqueue", () => {
    const found = checkQueueRecipe(records([enqueued("a"), enqueued("b"), processed("a")]));
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("item b of /q");
    expect(found[0]?.event).toBe(1);
  });
});

describe("barrier", () => {
  const step = (node: number, kind: "enter" | "entered" | "leave" | "left", round = 0): By =>
    ({ node, event: { type: "barrier", barrier: "/b", step: kind, round, members: 2 } });

  test("both members arrive before either passes: clean", () => {
    const clean = [step(1, "enter"), step(2, "enter"), step(2, "entered"), step(1, "entered"),
      step(1, "leave"), step(2, "leave"), step(1, "left"), step(2, "left"), step(1, "enter", 1),
      step(2, "enter", 1), step(1, "entered", 1)];
    expect(checkBarrierRecipe(records(clean))).toEqual([]);
  });

  test("flags a member passing the entry before the other arrived", () => {
    const found = checkBarrierRecipe(records([step(1, "enter"), step(1, "entered"),
      step(2, "enter"), step(2, "entered")]));
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("client 1 passed the entry of round 0 when 1 of 2");
  });
});

test("checkRecipesData runs every data checker", () => {
  const found = checkRecipesData(records([
    { node: 1, event: { type: "queue-enqueued", queue: "/q", item: "x" } },
    { node: 1, event: { type: "barrier", barrier: "/b", step: "entered", round: 0, members: 2 } },
    // Other recipes' events are not the data checkers' business.
    { node: 1, event: { type: "task-failed", message: "boom" } as unknown as DataEvent },
  ]));
  expect(found.map((v) => v.checker).sort()).toEqual(["recipe-barrier", "recipe-queue"]);
});
