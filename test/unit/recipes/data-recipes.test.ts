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
import type { DataEvent } from "../../../src/observe/index.js";
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
  random: new Prng(1, "test"),
  record: () => {
    throw new Error("the recipe reported before checking its input");
  },
  elapsedMs: () => 0,
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
      await badArguments(() => runConfigReader(trapClient, { path, keys: [] }));
    }
    expect(await badArguments(() => setUpConfig(trapClient, trapZk, { path: "/c", keys: [""] })))
      .toContain("empty name");
    expect(await badArguments(() => setUpConfig(trapClient, trapZk,
      { path: "/c", keys: ["a/b"] }))).toContain("slash");
    await badArguments(() => setUpConfig(trapClient, trapZk, { path: "/c", keys: [".."] }));
  });

  test("cache, queue, barrier", async () => {
    await badArguments(() => runCache(trapClient, "cached"));
    await badArguments(() => setUpQueue(trapClient, trapZk, { path: "/q", lockPath: "/l/" }));
    await badArguments(() => enqueue(trapClient, trapZk, { path: "/q", lockPath: "/l" }, "",
      "id"));
    await badArguments(() => runConsumer(trapClient, { path: "q", lockPath: "/l" },
      { deleteFirst: false, processMs: () => 1, crashAt: never }, new Prng(1, "t"), 1));
    for (const members of [0, -1, 1.5, 1e9]) {
      expect(() => checkBarrier({ path: "/b", members, name: "m" })).toThrow(KeeperError);
    }
    const session = { zk: trapZk, wakeup: openMemberWakeup() };
    await badArguments(() => enterBarrier(trapClient, session,
      { path: "/b", members: 2, name: "" }, 0));
  });
});

function openMemberWakeup() {
  return openMember({ ...trapClient, connect: () => trapZk }).wakeup;
}

describe("protected create", () => {
  test("a create whose answer was lost is found by its protected name", async () => {
    const created: string[] = [];
    const fake = {
      state: "CONNECTED",
      create: (path: string) => {
        created.push(`${path}0000000007`);
        return Promise.reject(new KeeperError("CONNECTIONLOSS", path));
      },
      getChildren: () => Promise.resolve(["other", ...created.map((p) => p.slice(3))]),
    } as unknown as ZooKeeper;
    const client: RecipeClient = { ...trapClient, connect: () => fake };
    const path = await createProtected(client, fake, "/q", "item-", "abc", "x",
      "PERSISTENT_SEQUENTIAL");
    expect(created).toEqual([`/q/${protectedPrefix("abc")}item-0000000007`]);
    expect(path).toBe(created[0]);
  });
});

describe("each data workload on seed 1 with the standard fault mix", () => {
  const count = (events: readonly DataEvent[], type: string, step?: string): number =>
    events.filter((e) => e.type === type && (step === undefined ||
      ("step" in e && e.step === step))).length;

  test.each(["config", "cache", "queue", "barrier"] as const)("%s", async (name) => {
    const run = await runDataWorkload(name, 1);
    expect(run.report.violations).toEqual([]);
    const again = await runDataWorkload(name, 1);
    expect(again.report.traceHash).toBe(run.report.traceHash);
    const events = run.events;
    if (name === "config") {
      expect(count(events, "config-adopt")).toBeGreaterThan(8);
      expect(count(events, "config-final")).toBe(1);
    }
    if (name === "cache") {
      expect(count(events, "cache-content")).toBeGreaterThan(2);
      expect(count(events, "cache-final")).toBe(1);
    }
    if (name === "queue") {
      expect(count(events, "queue-enqueued")).toBeGreaterThan(3);
      expect(count(events, "queue-processed"))
        .toBeGreaterThanOrEqual(count(events, "queue-enqueued"));
    }
    if (name === "barrier") {
      // Three clients, five rounds and one after the heal: each step once per member and round.
      for (const step of ["enter", "entered", "leave", "left"]) {
        expect(count(events, "barrier", step)).toBe(18);
      }
    }
  });
});
