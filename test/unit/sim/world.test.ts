/**
 * The world's contract with hosts, one behaviour per test, with scripted hosts: timers by name
 * and generation (replaced, cancelled and crash-voided timers never fire), same-instant events
 * in scheduling order, fsync completions in issue order, a crash keeping only synced writes,
 * local clocks (skew, drift, jumps), the adversary hook, heal, run limits, and host failures
 * reported with seed, time, node and event index.
 */
import { describe, expect, it } from "vitest";
import { AssertionError, assert } from "../../../src/util/assert.js";
import { World } from "../../../src/sim/world.js";
import type { SimOptionsInput } from "../../../src/sim/options.js";
import { Scripted } from "./scripted.js";
import type { Script } from "./scripted.js";

function world(scripts: Script[], options: SimOptionsInput = {}, seed = 1): World<string> {
  return new World({ seed, options, hosts: scripts.map((s, i) => new Scripted(i + 1, s)) });
}
const hostOf = (w: World<string>, id: number): Scripted => w.node(id).host as Scripted;

describe("timers", () => {
  it("fires only the latest timer of a name, with its generation", () => {
    const w = world([{
      start(ctx) {
        ctx.setTimer("a", 100);
        ctx.setTimer("a", 300); // replaces the first
        ctx.setTimer("b", 200);
        ctx.setTimer("c", 50);
        ctx.cancelTimer("c");
      },
    }]);
    w.runUntil(1_000);
    expect(hostOf(w, 1).log).toEqual(["0 start boot", "200 timer b#3", "300 timer a#2"]);
    expect(w.stats.timersStale).toBe(2);
  });

  it("runs events due at the same instant in the order they were scheduled", () => {
    const w = world([{
      start(ctx) {
        for (const name of ["x", "y", "z", "w"]) ctx.setTimer(name, 500);
      },
    }]);
    w.runUntil(1_000);
    expect(hostOf(w, 1).log.slice(1)).toEqual(
      ["500 timer x#1", "500 timer y#2", "500 timer z#3", "500 timer w#4"],
    );
  });

  it("voids every timer at a crash", () => {
    const bootTimer: Script = {
      start: (ctx, cause) => void (cause === "boot" && ctx.setTimer("t", 500)),
    };
    const w = world([bootTimer], {
      nemesis: {
        schedule: [
          { atMicros: 100, fault: { kind: "crash", node: 1 } },
          { atMicros: 200, fault: { kind: "restart", node: 1 } },
        ],
      },
    });
    w.runUntil(1_000);
    expect(hostOf(w, 1).log).toEqual(["0 start boot", "crashed", "200 start restart"]);
  });
});

describe("disk through the host context", () => {
  it("a heal that ends a pause early lets no later fsync overtake a deferred one", () => {
    const w = world([{
      start(ctx, cause) {
        if (cause !== "boot") return;
        ctx.append("log", "a");
        ctx.fsync(); // completes at 1 ms, inside the pause: deferred to its end
        ctx.setTimer("later", 3_000);
      },
      timerFired(ctx) {
        ctx.append("log", "b");
        ctx.fsync();
      },
    }], {
      disk: { fsyncMicrosMin: 1_000, fsyncMicrosMax: 1_000 },
      nemesis: {
        schedule: [
          { atMicros: 500, fault: { kind: "pause", node: 1, durationMicros: 10_000 } },
          { atMicros: 2_000, fault: { kind: "heal" } },
        ],
      },
    });
    w.runUntil(20_000);
    expect(w.failure).toBeNull();
    const events = hostOf(w, 1).log.slice(1);
    expect(events).toEqual(["3000 timer later#1", "10500 disk 1", "10500 disk 2"]);
  });

  it("completes fsyncs in issue order and keeps only synced writes at a crash", () => {
    const seen: string[][] = [];
    const w = world([{
      start(ctx, cause) {
        seen.push([...ctx.read("log")]);
        if (cause !== "boot") return;
        ctx.append("log", "a");
        ctx.fsync();
        ctx.append("log", "b");
        ctx.fsync();
      },
      diskCompleted(ctx, writeId) {
        if (writeId === 2) ctx.append("log", "c"); // never synced
      },
    }], {
      disk: { fsyncMicrosMin: 10, fsyncMicrosMax: 5_000 },
      nemesis: {
        schedule: [
          { atMicros: 20_000, fault: { kind: "crash", node: 1 } },
          { atMicros: 30_000, fault: { kind: "restart", node: 1 } },
        ],
      },
    });
    w.runUntil(40_000);
    const disks = hostOf(w, 1).log.filter((line) => line.includes(" disk "));
    expect(disks.map((line) => line.split(" ")[2])).toEqual(["1", "2"]);
    expect(seen).toEqual([[], ["a", "b"]]);
  });

  it("drops the completion of an fsync that a crash interrupted", () => {
    const w = world([{
      start(ctx, cause) {
        if (cause === "boot") {
          ctx.append("log", "x");
          ctx.fsync();
        }
      },
    }], {
      disk: { fsyncMicrosMin: 1_000, fsyncMicrosMax: 1_000 },
      nemesis: {
        schedule: [
          { atMicros: 500, fault: { kind: "crash", node: 1 } },
          { atMicros: 600, fault: { kind: "restart", node: 1 } },
        ],
      },
    });
    w.runUntil(5_000);
    expect(hostOf(w, 1).log).toEqual(["0 start boot", "crashed", "600 start restart"]);
    expect(w.node(1).read("log")).toEqual([]);
  });
});

describe("clocks", () => {
  it("reads skewed, drifting local time and fires timers by the local rate", () => {
    const w = world([{ start: (ctx) => void ctx.setTimer("t", 1_000_000) }], {
      clock: { nodes: [{ node: 1, offsetMicros: 5_000, driftPpm: 100_000 }] },
    });
    w.runUntil(2_000_000);
    // Local = true + 5000 + true/10; a local second takes 1/1.1 true seconds.
    const fired = hostOf(w, 1).log[1] ?? "";
    const trueFire = Math.ceil(1_000_000 / 1.1);
    expect(fired).toBe(`${trueFire + 5_000 + Math.floor(trueFire / 10)} timer t#1`);
  });

  it("jumps the reading, not the pending timers", () => {
    const jump = { kind: "clock-jump", node: 1, deltaMicros: -300 } as const;
    const w = world([{ start: (ctx) => void ctx.setTimer("t", 1_000) }], {
      nemesis: { schedule: [{ atMicros: 500, fault: jump }] },
    });
    w.runUntil(2_000);
    expect(hostOf(w, 1).log).toEqual(["0 start boot", "700 timer t#1"]);
  });
});

describe("network hooks and faults", () => {
  const chatty: Script = {
    start: (ctx) => void ctx.setTimer("send", 100),
    timerFired(ctx) {
      ctx.send(ctx.node === 1 ? 2 : 1, `hi from ${ctx.node}`);
    },
  };

  it("lets the adversary drop or rewrite a message", () => {
    const w = new World<string>({
      seed: 3,
      hosts: [new Scripted(1, chatty), new Scripted(2, chatty)],
      adversary: (envelope) =>
        envelope.from === 1 ? undefined : { ...envelope, message: envelope.message.toUpperCase() },
    });
    w.runUntil(10_000);
    expect(hostOf(w, 2).log.filter((l) => l.includes("deliver"))).toEqual([]);
    expect(hostOf(w, 1).log.filter((l) => l.includes("deliver"))[0]).toMatch(/2:HI FROM 2$/);
    expect(w.stats.dropped.adversary).toBe(1);
  });

  it("drops messages to a crashed node, and heal restarts it and stops later faults", () => {
    const w = world([chatty, chatty], {
      nemesis: {
        schedule: [
          { atMicros: 50, fault: { kind: "crash", node: 2 } },
          { atMicros: 3_000, fault: { kind: "heal" } },
          { atMicros: 4_000, fault: { kind: "crash", node: 1 } },
        ],
      },
    });
    w.runUntil(10_000);
    expect(w.stats.dropped.down).toBe(1);
    expect(hostOf(w, 2).log).toContain("3000 start restart");
    expect(w.node(1).up).toBe(true);
    expect(w.faults.map((f) => f.fault.kind)).toEqual(["crash", "heal"]);
  });
});

describe("trace", () => {
  it("keeps observations in order with their time, event index and node", () => {
    const w = world([
      { start: (ctx) => void ctx.setTimer("t", 300) },
      {
        start: (ctx) => void ctx.setTimer("t", 200),
        timerFired(ctx) {
          ctx.observe({ kind: "truncate", node: 2, zxid: 5 });
          ctx.observe({ kind: "truncate", node: 2, zxid: 6 });
        },
      },
    ], { trace: { keepEvents: true } });
    w.runUntil(1_000);
    // Events: starts (0, 1), node 2's timer at 200 (2), node 1's timer at 300 (3).
    expect(w.observations).toEqual([
      { index: 2, timeMicros: 200, node: 2, observation: { kind: "truncate", node: 2, zxid: 5 } },
      { index: 2, timeMicros: 200, node: 2, observation: { kind: "truncate", node: 2, zxid: 6 } },
    ]);
    const kinds = (w.traceEvents ?? []).map((r) => `${r.index}:${r.timeMicros}:${r.event.kind}`);
    expect(kinds).toEqual([
      "0:0:start", "1:0:start", "2:200:timer", "2:200:observe", "2:200:observe", "3:300:timer",
    ]);
  });

  it("changes the hash when any event changes", () => {
    const run = (zxid: number): string => {
      const w = world([{ start: (ctx) => ctx.observe({ kind: "truncate", node: 1, zxid }) }]);
      w.runUntil(10);
      return w.trace.hash();
    };
    expect(run(1)).toBe(run(1));
    expect(run(1)).not.toBe(run(2));
  });
});

describe("run control and failures", () => {
  it("reports a failed host assertion with seed, time, node and event index", () => {
    const w = world([
      { start: (ctx) => void ctx.setTimer("t", 10) },
      {
        start: (ctx) => void ctx.setTimer("boom", 1_234),
        timerFired: () => assert(false, "bad state"),
      },
    ], {}, 77);
    expect(w.runUntil(5_000)).toBe("failed");
    // Events: two starts (0, 1), node 1's timer (2), node 2's timer (3).
    expect(w.failure).toEqual({
      kind: "assertion", message: "bad state", seed: 77, timeMicros: 1_234, node: 2, eventIndex: 3,
    });
    expect(w.failureError).toBeInstanceOf(AssertionError);
    expect(w.step()).toBe(false);
    expect(w.report().failure?.node).toBe(2);
    const trace = w.trace.hash();
    expect(trace).toMatch(/^[0-9a-f]{16}$/);
  });

  it("says when nothing is left to run", () => {
    const w = world([{ start: (ctx) => void ctx.setTimer("once", 10) }]);
    expect(w.runUntil(5_000)).toBe("idle");
    expect(w.nowMicrosTrue).toBe(5_000);
  });

  it("stops at the event limit and says so", () => {
    const w = world([{
      start: (ctx) => void ctx.setTimer("t", 1),
      timerFired: (ctx) => void ctx.setTimer("t", 1),
    }], { limits: { eventsMax: 100 } });
    expect(w.runUntil(1_000_000)).toBe("event-limit");
    expect(w.events).toBe(100);
  });

  it("refuses invalid options with errors naming the field", () => {
    const bad = { network: { latencyMicrosMin: -1 } };
    expect(() => world([{}], bad)).toThrow(/network\.latencyMicrosMin/);
  });
});
