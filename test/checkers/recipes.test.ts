/**
 * The recipe checkers (src/check/recipe-locks.ts, recipe-groups.ts, recipe-task.ts), two ways.
 * Hand-written observation lists: a clean history passes each checker, and a doctored one (two
 * exclusive holders at once, a third semaphore permit, a reader beside a writer, a stale token
 * accepted, one deletion waking two sessions, two leaders at once, disagreeing views) is
 * flagged by the checker owning the property; a holder whose session the ensemble closed
 * holds nothing, so the next holder is no violation. Planted recipe bugs: a default sweep of
 * the bug's workload (`zabsim sweep --seeds 1..200 --workload W --bug B`, stopping at the
 * first failing seed) catches each with its checker, and the correct recipe passes that seed.
 */
import { describe, expect, test } from "vitest";
import {
  checkClientLeaders, checkFencing, checkHerd, checkLockExclusion, checkMembership,
  checkRecipeTasks,
} from "../../src/check/index.js";
import type { CheckerName, ObservationRecord } from "../../src/check/index.js";
import type { LockEvent, Observation, RecipeEvent } from "../../src/observe/index.js";
import { runSeed } from "../../src/run/index.js";

function records(list: readonly Observation[]): ObservationRecord[] {
  return list.map((observation, index) => ({ index, timeMicros: index * 1000, observation }));
}

const recipe = (node: number, session: number, event: RecipeEvent): Observation =>
  ({ kind: "recipe", node, session, event });
type Mode = Extract<LockEvent, { type: "acquired" }>["mode"];
const acquired = (holder: string, token: number, mode: Mode = "exclusive", permits = 1):
  RecipeEvent =>
  ({ type: "acquired", lock: "/l", mode, holder, token, permits });
const releasing = (holder: string): RecipeEvent => ({ type: "releasing", lock: "/l", holder });
const closed = (session: number): Observation =>
  ({ kind: "session-closed", node: 1, session, zxid: 9, ephemerals: 0 });

describe("lock-exclusion", () => {
  test("one holder after another, and a reader beside a reader: clean", () => {
    expect(checkLockExclusion(records([
      recipe(201, 1, acquired("a", 10)), recipe(201, 1, releasing("a")),
      recipe(202, 2, acquired("b", 11)), recipe(202, 2, releasing("b")),
      recipe(201, 1, acquired("c", 12, "read")), recipe(202, 2, acquired("d", 13, "read")),
    ]))).toEqual([]);
  });
  test("a holder whose session was closed holds nothing, even if it still believes it", () => {
    expect(checkLockExclusion(records([
      recipe(201, 1, acquired("a", 10)), closed(1), recipe(202, 2, acquired("b", 11)),
      recipe(201, 1, acquired("a2", 10)),
    ]))).toEqual([]);
  });
  test("two exclusive holders, a writer beside a reader, a third permit: flagged", () => {
    const two = checkLockExclusion(records([
      recipe(201, 1, acquired("a", 10)), recipe(202, 2, acquired("b", 11)),
    ]));
    expect(two.map((v) => v.checker)).toEqual(["lock-exclusion"]);
    expect(two[0]?.message).toContain("client 202 took /l");
    expect(checkLockExclusion(records([
      recipe(201, 1, acquired("a", 10, "read")), recipe(202, 2, acquired("b", 11, "write")),
    ])).length).toBe(1);
    expect(checkLockExclusion(records([
      recipe(201, 1, acquired("a", 10, "permit", 2)),
      recipe(202, 2, acquired("b", 11, "permit", 2)),
    ]))).toEqual([]);
    expect(checkLockExclusion(records([
      recipe(201, 1, acquired("a", 10, "permit", 2)),
      recipe(202, 2, acquired("b", 11, "permit", 2)),
      recipe(203, 3, acquired("c", 12, "permit", 2)),
    ])).length).toBe(1);
  });
});

describe("fencing", () => {
  const write = (token: number, accepted: boolean, newest: number): RecipeEvent =>
    ({ type: "resource", resource: "/r", token, accepted, newest });
  test("tokens that only grow, and a stale one refused: clean", () => {
    expect(checkFencing(records([
      recipe(201, 1, write(10, true, 0)), recipe(202, 2, write(11, true, 10)),
      recipe(201, 1, write(10, false, 11)),
    ]))).toEqual([]);
  });
  test("a stale token accepted after a newer one: flagged", () => {
    const found = checkFencing(records([
      recipe(202, 2, write(11, true, 0)), recipe(201, 1, write(10, true, 11)),
    ]));
    expect(found.map((v) => v.checker)).toEqual(["fencing"]);
    expect(found[0]?.message).toContain("token 10 after client 202's with the newer token 11");
  });
});

describe("herd", () => {
  const notify = (client: number, session: number, path: string): Observation =>
    ({ kind: "notify", client, node: 1, session, type: "NodeDeleted", path, zxid: 5 });
  test("each deletion wakes one waiter: clean; two: flagged", () => {
    const base = [recipe(201, 1, acquired("lock-0000000001", 10))];
    expect(checkHerd(records([...base, notify(202, 2, "/l/lock-0000000001"),
      notify(203, 3, "/l/lock-0000000002")]))).toEqual([]);
    const found = checkHerd(records([...base, notify(202, 2, "/l/lock-0000000001"),
      notify(203, 3, "/l/lock-0000000001")]));
    expect(found.map((v) => v.checker)).toEqual(["herd"]);
  });
});

describe("client-leader and membership", () => {
  const leader = (epoch: number): RecipeEvent =>
    ({ type: "leader", group: "/g", epoch, candidate: `n_${epoch}` });
  const resign = (epoch: number): RecipeEvent => ({ type: "resign", group: "/g", epoch });
  test("leaders one after another (resigned or expired): clean; two at once: flagged", () => {
    expect(checkClientLeaders(records([
      recipe(201, 1, leader(10)), recipe(201, 1, resign(10)), recipe(202, 2, leader(11)),
      closed(2), recipe(203, 3, leader(12)),
    ]))).toEqual([]);
    const found = checkClientLeaders(records([recipe(201, 1, leader(10)),
      recipe(202, 2, leader(11))]));
    expect(found.map((v) => v.checker)).toEqual(["client-leader"]);
  });
  test("views that agree: clean; a view that differs: flagged", () => {
    const view = (members: string[]): RecipeEvent =>
      ({ type: "view", group: "/g", zxid: 5, members });
    expect(checkMembership(records([recipe(201, 1, view(["a", "b"])),
      recipe(202, 2, view(["a", "b"]))]))).toEqual([]);
    expect(checkMembership(records([recipe(201, 1, view(["a", "b"])),
      recipe(202, 2, view(["a"]))])).map((v) => v.checker)).toEqual(["membership"]);
  });
  test("a task that threw is a violation", () => {
    expect(checkRecipeTasks(records([recipe(201, 1,
      { type: "task-failed", message: "boom" })])).map((v) => v.checker)).toEqual(["recipe-task"]);
  });
});

/** The first seed in 1..200 on which `bug` fails `checker` under a default sweep of `workload`. */
async function firstCaught(workload: string, bug: string, checker: CheckerName):
  Promise<number | undefined> {
  for (let seed = 1; seed <= 200; seed++) {
    const report = await runSeed(seed, { workload: workload as "lock", bug });
    if (report.violations.some((v) => v.checker === checker)) return seed;
  }
  return undefined;
}

describe("planted recipe bugs are caught by a default sweep of their workload", () => {
  test.each([
    ["lock", "lock-no-predecessor-check", "lock-exclusion"],
    ["lock", "lock-no-fencing", "fencing"],
    ["election", "election-herd", "herd"],
  ] as const)("%s --bug %s: %s", async (workload, bug, checker) => {
    const seed = await firstCaught(workload, bug, checker);
    expect(seed).toBeDefined();
    const clean = await runSeed(seed ?? 1, { workload });
    expect(clean.violations).toEqual([]);
  }, 300_000);
});
