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
import type { RecipeDataRecord } from "../../src/check/index.js";
import type { RecipeDataEvent } from "../../src/observe/index.js";

function records(events: readonly RecipeDataEvent[]): RecipeDataRecord[] {
  return events.map((event, index) => ({ index, timeMicros: index * 1000, event }));
}

const adopt = (client: number, key: string, counter: number, mzxid: number): RecipeDataEvent =>
  ({ recipe: "config", event: "adopt", client, key, counter, mzxid });
const configFinal = (counter: number): RecipeDataEvent =>
  ({ recipe: "config", event: "final", client: 9, entries: [{ key: "db", counter }] });

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
  const final: RecipeDataEvent = { recipe: "cache", event: "final", client: 9,
    entries: entries(["/c/a", "1"], ["/c/b", "2"]) };
  const content = (client: number, ...pairs: Array<[string, string]>): RecipeDataEvent =>
    ({ recipe: "cache", event: "content", client, entries: entries(...pairs) });

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
  const enqueued = (item: string): RecipeDataEvent =>
    ({ recipe: "queue", event: "enqueued", client: 1, item });
  const processed = (item: string): RecipeDataEvent =>
    ({ recipe: "queue", event: "processed", client: 2, item });

  test("every acknowledged item processed, some twice: clean", () => {
    const clean = [enqueued("a"), processed("a"), enqueued("b"), processed("b"), processed("a")];
    expect(checkQueueRecipe(records(clean))).toEqual([]);
  });

  test("flags an acknowledged item nobody processed, at its enqueue", () => {
    const found = checkQueueRecipe(records([enqueued("a"), enqueued("b"), processed("a")]));
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("item b");
    expect(found[0]?.event).toBe(1);
  });
});

describe("barrier", () => {
  const step = (client: number, event: "enter" | "entered" | "leave" | "left", round = 0):
    RecipeDataEvent => ({ recipe: "barrier", event, client, round, members: 2 });

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
    { recipe: "queue", event: "enqueued", client: 1, item: "x" },
    { recipe: "barrier", event: "entered", client: 1, round: 0, members: 2 },
  ]));
  expect(found.map((v) => v.checker).sort()).toEqual(["recipe-barrier", "recipe-queue"]);
});
