/**
 * The data recipes (src/recipes: config, cache, queue, barrier) in isolation and on a seed.
 * Bad input is refused with a typed BADARGUMENTS before the recipe touches a session (the
 * client and session given are traps that fail the test when used). Curator's protected create
 * finds its node again after a CONNECTIONLOSS instead of creating it twice (a fake session that
 * applies the create and loses the answer). Each workload then runs on seed 1 with the
 * standard fault mix: no task fails, the recipe's checker and the run's checkers pass, the
 * recipe did its work (adoptions, cache contents, items processed, rounds), and a second run
 * reports the same events.
 */
import { describe, expect, test } from "vitest";
import { KeeperError } from "../../../src/client/index.js";
import type { ZooKeeper } from "../../../src/client/index.js";
import {
  checkBarrier, createProtected, enqueue, enterBarrier, openMember, protectedPrefix, runCache,
  runConfigReader, runConsumer, setUpConfig, setUpQueue,
} from "../../../src/recipes/index.js";
import type { RecipeClient } from "../../../src/recipes/index.js";
import { Prng } from "../../../src/util/index.js";
import { runDataWorkload } from "../../helpers/recipes-data.js";

const trapZk = new Proxy({}, {
  get: (_, name) => {
    throw new Error(`the recipe used the session (${String(name)}) before checking its input`);
  },
}) as ZooKeeper;

const trapClient: RecipeClient = {
  node: 1,
  connect: () => {
    throw new Error("the recipe opened a session before checking its input");
  },
  sleep: () => Promise.resolve(),
};

async function badArguments(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(KeeperError);
    expect((error as KeeperError).code).toBe("BADARGUMENTS");
    return (error as KeeperError).message;
  }
  throw new Error("no error");
}

const never = (): null => null;

describe("bad input gives BADARGUMENTS before anything is sent", () => {
  test("config: paths ZooKeeper rejects, empty or slashed keys", async () => {
    for (const path of ["config", "/config/", "/a//b", "/", ""]) {
      await badArguments(() => setUpConfig(trapClient, trapZk, { path, keys: [] }));
      await badArguments(() => runConfigReader(trapClient, { path, keys: [] }, () => {}));
    }
    expect(await badArguments(() => setUpConfig(trapClient, trapZk, { path: "/c", keys: [""] })))
      .toContain("empty name");
    expect(await badArguments(() => setUpConfig(trapClient, trapZk,
      { path: "/c", keys: ["a/b"] }))).toContain("slash");
    await badArguments(() => setUpConfig(trapClient, trapZk, { path: "/c", keys: [".."] }));
  });

  test("cache, queue, barrier", async () => {
    await badArguments(() => runCache(trapClient, "cached", () => {}));
    await badArguments(() => setUpQueue(trapClient, trapZk, { path: "/q", lockPath: "/l/" }));
    await badArguments(() => enqueue(trapClient, trapZk, { path: "/q", lockPath: "/l" }, "",
      "id"));
    await badArguments(() => runConsumer(trapClient, { path: "q", lockPath: "/l" },
      { deleteFirst: false, processMs: () => 1, crashAt: never }, new Prng(1, "t"), () => {}, 1));
    for (const members of [0, -1, 1.5, 1e9]) {
      expect(() => checkBarrier({ path: "/b", members, name: "m" })).toThrow(KeeperError);
    }
    const session = { zk: trapZk, wakeup: openMemberWakeup() };
    await badArguments(() => enterBarrier(trapClient, session,
      { path: "/b", members: 2, name: "" }, 0, () => {}));
  });
});

function openMemberWakeup() {
  return openMember({ ...trapClient, connect: () => trapZk }).wakeup;
}

describe("protected create", () => {
  test("a create whose answer was lost is found by its protected name, not sent twice", async () => {
    const created: string[] = [];
    const fake = {
      state: "CONNECTED",
      create: (path: string) => {
        created.push(`${path}0000000007`);
        return Promise.reject(new KeeperError("CONNECTIONLOSS", path));
      },
      getChildren: () => Promise.resolve(["other", ...created.map((p) => p.slice(3))]),
    } as unknown as ZooKeeper;
    const client: RecipeClient = { node: 1, connect: () => fake, sleep: () => Promise.resolve() };
    const path = await createProtected(client, fake, "/q", "item-", "abc", "x",
      "PERSISTENT_SEQUENTIAL");
    expect(created).toEqual([`/q/${protectedPrefix("abc")}item-0000000007`]);
    expect(path).toBe(created[0]);
  });
});

describe("each data workload on seed 1 with the standard fault mix", () => {
  const count = (events: readonly { event: { event: string } }[], kind: string): number =>
    events.filter((r) => r.event.event === kind).length;

  test.each(["config", "cache", "queue", "barrier"] as const)("%s", async (name) => {
    const run = await runDataWorkload(name, 1);
    expect(run.tasks.filter((t) => t.status === "failed")).toEqual([]);
    expect(run.violations).toEqual([]);
    expect(run.runViolations).toEqual([]);
    const again = await runDataWorkload(name, 1);
    expect(again.records).toEqual(run.records);
    const events = run.records;
    if (name === "config") expect(count(events, "adopt")).toBeGreaterThan(12);
    if (name === "cache") expect(count(events, "content")).toBeGreaterThan(6);
    if (name === "queue") {
      expect(count(events, "enqueued")).toBeGreaterThan(3);
      expect(count(events, "processed")).toBeGreaterThanOrEqual(count(events, "enqueued"));
    }
    if (name === "barrier") {
      expect(count(events, "left")).toBe(count(events, "enter"));
      expect(count(events, "enter") % 4).toBe(0);
      expect(count(events, "enter")).toBeGreaterThanOrEqual(12);
    }
  });
});
