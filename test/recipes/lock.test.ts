/**
 * The lock recipe's lessons, run on the simulated ensemble. The famous one (Kleppmann's): a
 * holder pauses in its critical section (a long GC stall), its session expires, the next
 * contender takes the lock and writes; the paused holder resumes believing it still holds the
 * lock and writes too. Without fencing the resource takes the stale write (the fencing checker
 * flags it); with fencing it refuses it, and the run is clean. Then: the herd-free recipe wakes
 * at most 2 watchers per acquisition with 3, 10 and 50 contending clients under the standard
 * faults. Bad arguments are refused with BADARGUMENTS before anything is written.
 */
import { describe, expect, test } from "vitest";
import type { ObservationRecord } from "../../src/check/index.js";
import { KeeperError } from "../../src/client/index.js";
import {
  DistributedLock, FencedResource, GroupMembership, LeaderElection, Semaphore, SessionLost,
} from "../../src/recipes/index.js";
import type { RecipeClient } from "../../src/recipes/index.js";
import { API_CLIENT_ID_BASE, runSeed } from "../../src/run/index.js";
import type { ScenarioTask } from "../../src/run/index.js";

/** Holder A pauses 8 s inside its critical section; B takes the lock after A's expiry. */
function lesson(fencing: boolean): ScenarioTask[] {
  const lock = new DistributedLock("/lesson/lock");
  const resource = new FencedResource("/lesson/resource", fencing);
  const idle = async (client: RecipeClient): Promise<void> => {
    for (;;) await client.sleep(1_000);
  };
  const holder: ScenarioTask = async (client) => {
    const zk = client.connect();
    try {
      const lease = await lock.acquire(client, zk);
      resource.write(client, lease.token);
      await client.sleep(5_000); // The pause strikes here: the timer fires 8 s late.
      resource.write(client, lease.token);
      await lock.release(client, zk, lease);
    } catch (error) {
      if (!(error instanceof SessionLost)) throw error;
    }
    await idle(client);
  };
  const next: ScenarioTask = async (client) => {
    await client.sleep(1_500);
    const zk = client.connect();
    for (;;) {
      const lease = await lock.acquire(client, zk);
      resource.write(client, lease.token);
      await client.sleep(1_000);
      await lock.release(client, zk, lease);
    }
  };
  return [holder, next];
}

async function runLesson(fencing: boolean) {
  let records: readonly ObservationRecord[] = [];
  const report = await runSeed(1, {
    workload: "lock", clients: 2, faults: "none", durationMs: 15_000, livenessMs: 5_000,
    schedule: [{
      atMicros: 3_000_000,
      fault: { kind: "pause", node: API_CLIENT_ID_BASE, durationMicros: 8_000_000 },
    }],
  }, { observationSink: (r) => { records = r; } }, lesson(fencing));
  const writes = records.flatMap((r) => r.observation.kind === "recipe" &&
    r.observation.event.type === "resource" ? [{ node: r.observation.node, ...r.observation.event }]
    : []);
  return { report, writes };
}

describe("the fencing lesson", () => {
  test("without fencing, the paused holder whose session expired corrupts the resource",
    async () => {
      const { report, writes } = await runLesson(false);
      expect(report.violations.map((v) => v.checker)).toEqual(["fencing"]);
      const stale = writes.find((w) => w.node === API_CLIENT_ID_BASE && w.token < w.newest);
      expect(stale?.accepted).toBe(true);
    });
  test("with fencing, the stale write is refused and the run is clean", async () => {
    const { report, writes } = await runLesson(true);
    expect(report.violations).toEqual([]);
    const stale = writes.find((w) => w.node === API_CLIENT_ID_BASE && w.token < w.newest);
    expect(stale?.accepted).toBe(false);
  });
});

/** Watch notifications on lock nodes per acquisition of the lock workload's lock. */
async function notificationsPerAcquisition(clients: number, seed: number) {
  let records: readonly ObservationRecord[] = [];
  await runSeed(seed, { workload: "lock", clients, durationMs: 6_000, livenessMs: 4_000 },
    { observationSink: (r) => { records = r; } });
  let acquisitions = 0;
  let notifications = 0;
  const deleted = new Set<string>();
  const released = new Set<string>();
  for (const { observation: o } of records) {
    if (o.kind === "recipe" && o.event.type === "acquired" && o.event.lock === "/recipes/lock") {
      acquisitions++;
    }
    if (o.kind === "recipe" && o.event.type === "releasing" && o.event.lock === "/recipes/lock") {
      released.add(`/recipes/lock/${o.event.holder}`);
    }
    if (o.kind === "invoke" && o.request.type === "delete"
      && o.request.path.startsWith("/recipes/lock/")) deleted.add(o.request.path);
    if (o.kind === "notify" && o.path.startsWith("/recipes/lock/")) notifications++;
  }
  // A timed take that gives up deletes its own node, which wakes its one successor without an
  // acquisition: a wake-up cause like a release, not a herd.
  const giveUps = [...deleted].filter((path) => !released.has(path)).length;
  return { acquisitions, notifications, giveUps };
}

describe("herd-free", () => {
  test.each([3, 10, 50])("%i contending clients: at most 2 notifications per acquisition",
    async (clients) => {
      let acquisitions = 0;
      let notifications = 0;
      let giveUps = 0;
      // Seeds 1..3 together, so the count rests on more than one seed's few acquisitions.
      for (const seed of [1, 2, 3]) {
        const counted = await notificationsPerAcquisition(clients, seed);
        acquisitions += counted.acquisitions;
        notifications += counted.notifications;
        giveUps += counted.giveUps;
      }
      expect(acquisitions).toBeGreaterThan(3);
      // A herd wakes every waiter per release (about `clients` notifications each).
      expect(notifications).toBeLessThanOrEqual(2 * (acquisitions + giveUps));
    }, 120_000);
});

describe("bad arguments are refused before anything is written", () => {
  test.each([
    ["a lock on an empty path", () => new DistributedLock("")],
    ["a lock on a relative path", () => new DistributedLock("locks/a")],
    ["a lock on the root", () => new DistributedLock("/")],
    ["an election on a path ending in /", () => new LeaderElection("/e/")],
    ["a group path with an empty segment", () => new GroupMembership("/g//x")],
    ["a semaphore of zero permits", () => new Semaphore("/s", 0)],
    ["a semaphore of 1.5 permits", () => new Semaphore("/s", 1.5)],
  ])("%s", (_, make) => {
    expect(make).toThrow(KeeperError);
    try {
      make();
    } catch (error) {
      expect((error as KeeperError).code).toBe("BADARGUMENTS");
    }
  });
});
