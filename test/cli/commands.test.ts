/**
 * The commands against their contract (shared/spec/cli.md), in-process with an in-memory io:
 * run --json carries every contract field and its exit code follows its violations; --trace
 * gives the same bytes for the same seed; sweep --json lists failing seeds with a replay line
 * that names every non-default option; replay compares trace hashes (exit 1 on a difference);
 * show renders a run file and a trace file; script runs a scenario file. Runs are kept short
 * (a few simulated seconds) so the file stays fast.
 */
import { describe, expect, test } from "vitest";
import { RUN_DEFAULTS } from "../../src/run/index.js";
import { ReplicaHost } from "../../src/ensemble/replica-host.js";
import { AssertionError } from "../../src/util/assert.js";
import { memoryIo, zabsim } from "./memory-io.js";

const SHORT = ["--duration-ms", "2000", "--liveness-ms", "2000"];

async function runJson(seed: number, extra: readonly string[] = []) {
  const result = await zabsim(["run", "--seed", String(seed), ...SHORT, "--json", ...extra]);
  return { ...result, report: JSON.parse(result.stdout) as Record<string, unknown> };
}

describe("zabsim run --json", () => {
  test("prints one object with the contract's fields; exit code follows violations", async () => {
    const { code, stdout, stderr, report } = await runJson(3, ["--swarm", "off"]);
    expect(stderr).toBe("");
    expect(stdout.trim().split("\n")).toHaveLength(1);
    for (const key of ["seed", "options", "traceHash", "events", "simTimeMs", "wallMs", "faults",
      "violations", "committed", "leaderChanges"]) {
      expect(report).toHaveProperty(key);
    }
    expect(report["seed"]).toBe(3);
    expect(report["traceHash"]).toMatch(/^[0-9a-f]{16}$/);
    expect(report["simTimeMs"]).toBe(4000);
    expect(report["options"]).toEqual({
      replicas: 3, observers: 0, clients: 3, workload: "sessions", durationMs: 2000,
      livenessMs: 2000, faults: "standard", bug: null, secureQuorum: false, encrypt: false,
      swarm: false, schedule: [], network: RUN_DEFAULTS.network,
      disk: RUN_DEFAULTS.disk, clock: RUN_DEFAULTS.clock, nemesis: RUN_DEFAULTS.nemesis,
      powerLosses: null, zxidCounterStart: 0,
    });
    const violations = report["violations"] as { checker: string; event: number }[];
    expect(code).toBe(violations.length === 0 ? 0 : 1);
    for (const v of violations) {
      expect(v).toEqual({
        checker: expect.any(String), message: expect.any(String),
        simTimeMs: expect.any(Number), event: expect.any(Number),
      });
    }
  });

  test("--trace FILE: the same seed writes the same bytes", async () => {
    const a = await zabsim(["run", "--seed", "4", ...SHORT, "--trace", "t.jsonl"]);
    const b = await zabsim(["run", "--seed", "4", ...SHORT, "--trace", "t.jsonl"]);
    const first = a.io.files.get("t.jsonl") ?? "";
    expect(first.split("\n").length).toBeGreaterThan(100);
    expect(b.io.files.get("t.jsonl")).toBe(first);
    expect(JSON.parse(first.split("\n")[0] ?? "")).toHaveProperty("kind");
  });

  test("human output names the seed, the hash and the verdict; no colour off a TTY", async () => {
    const { stdout } = await zabsim(["run", "--seed", "3", ...SHORT]);
    expect(stdout).toContain("seed 3");
    expect(stdout).toMatch(/trace hash [0-9a-f]{16}/);
    expect(stdout).toMatch(/PASS|FAIL/);
    expect(stdout).not.toContain("\u001b[");
  });

  test("colour on a TTY, but never with NO_COLOR", async () => {
    const tty = await zabsim(["run", "--seed", "3", ...SHORT], memoryIo({ isTTY: true }));
    expect(tty.stdout).toContain("\u001b[");
    const noColor = await zabsim(["run", "--seed", "3", ...SHORT],
      memoryIo({ isTTY: true, env: { NO_COLOR: "1" } }));
    expect(noColor.stdout).not.toContain("\u001b[");
  });
});

describe("zabsim sweep", () => {
  test("--json counts seeds and lists failing ones with an exact replay line", async () => {
    const result = await zabsim(["sweep", "--seeds", "1..2", ...SHORT, "--clients", "2", "--json"]);
    const sweep = JSON.parse(result.stdout) as {
      seeds: number; failing: { seed: number; violations: unknown[]; replay: string }[];
    };
    expect(sweep.seeds).toBe(2);
    expect(result.code).toBe(sweep.failing.length === 0 ? 0 : 1);
    for (const f of sweep.failing) {
      expect(f.violations.length).toBeGreaterThan(0);
      expect(f.replay).toBe(
        `zabsim run --seed ${f.seed} --clients 2 --duration-ms 2000 --liveness-ms 2000`);
    }
  });
});

describe("zabsim replay", () => {
  test("a saved run file replays with the same hash (exit 0); a changed hash exits 1", async () => {
    const saved = await runJson(5);
    const io = memoryIo();
    io.files.set("run.json", saved.stdout);
    const same = await zabsim(["replay", "run.json", "--json"], io);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ same: true });
    const tampered = { ...saved.report, traceHash: "0000000000000000" };
    io.files.set("run.json", JSON.stringify(tampered));
    const differs = await zabsim(["replay", "run.json"], memoryIo());
    expect(differs.code).toBe(2); // the fresh io has no run.json: bad input
    const again = await zabsim(["replay", "run.json"], io);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("DIFFERENT");
  });
  test("--seed runs twice and the hashes agree", async () => {
    const result = await zabsim(["replay", "--seed", "6", ...SHORT, "--limit", "5"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("matches a second run");
  });
});

describe("zabsim show", () => {
  test("renders a trace file as a timeline and as a Mermaid diagram", async () => {
    const run = await zabsim(["run", "--seed", "4", ...SHORT, "--trace", "t.jsonl"]);
    const io = run.io;
    const timeline = await zabsim(["show", "t.jsonl", "--limit", "10"], io);
    expect(timeline.code).toBe(0);
    expect(timeline.stdout.split("\n").filter((l) => / ms +#\d+/.test(l))).toHaveLength(10);
    const diagram = await zabsim(["show", "t.jsonl", "--mermaid", "5"], io);
    expect(diagram.stdout.startsWith("sequenceDiagram\n")).toBe(true);
    expect(diagram.stdout.split("\n").filter((l) => /->>|--x/.test(l))).toHaveLength(5);
  });
  test("renders a run file by running it again", async () => {
    const saved = await runJson(4);
    const io = memoryIo();
    io.files.set("run.json", saved.stdout);
    const shown = await zabsim(["show", "run.json", "--limit", "3"], io);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("START");
  });
});

describe("zabsim script", () => {
  test("runs a scenario on the simulated server: one line per step", async () => {
    const io = memoryIo();
    io.files.set("s.json", JSON.stringify({
      sessions: 1,
      steps: [
        { op: "create", s: 0, path: "/a", data: "x", mode: "PERSISTENT" },
        { op: "getData", s: 0, path: "/a" },
      ],
    }));
    const result = await zabsim(["script", "s.json"], io);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n").map((l) => JSON.parse(l) as { err: string });
    expect(lines.map((l) => l.err)).toEqual(["OK", "OK"]);
  });
  test("a malformed scenario is one line on stderr and exit 2", async () => {
    const io = memoryIo();
    io.files.set("s.json", JSON.stringify({ sessions: 1, steps: [{ op: "frob" }] }));
    const result = await zabsim(["script", "s.json"], io);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("frob");
  });
  test("a malformed ensemble file names its step: one line, exit 2", async () => {
    const io = memoryIo();
    io.files.set("e.json", JSON.stringify({ servers: 3, sessions: 1, steps: [
      { op: "start", server: 1 }, { op: "stop", server: 2 },
    ] }));
    const result = await zabsim(["script", "e.json"], io);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("step 1: stop of server 2, which is not running");
  });
  test("a valid ensemble file runs on the simulated ensemble, one line per step", async () => {
    const io = memoryIo();
    io.files.set("e.json", JSON.stringify({ servers: 3, sessions: 1, steps: [
      { op: "start", server: 1 }, { op: "stable" }, { op: "start", server: 2 }, { op: "stable" },
    ] }));
    const result = await zabsim(["script", "e.json"], io);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split("\n").map((line) => JSON.parse(line) as unknown)).toEqual([
      { err: "OK" }, { err: "NOQUORUM" }, { err: "OK" },
      { err: "OK", leader: 2, epoch: 1, zxid: 2 ** 32 },
    ]);
  });
});

describe("an assertion inside the world", () => {
  test("is a violation 'assertion'; the JSON is still printed and the exit code is 1", async () => {
    // Plant an impossible state: server 2 finds one at its first timer after 1 s of local time.
    const original = ReplicaHost.prototype.timerFired;
    ReplicaHost.prototype.timerFired = function planted(this: ReplicaHost, ctx, name, generation) {
      if (this.id === 2 && ctx.localMicros > 1_000_000) {
        throw new AssertionError("planted by the test: an impossible state");
      }
      original.call(this, ctx, name, generation);
    };
    try {
      const result = await runJson(3);
      expect(result.code).toBe(1);
      expect(result.report["outcome"]).toBe("failed");
      const violations = result.report["violations"] as Record<string, unknown>[];
      expect(violations.find((v) => v["checker"] === "assertion")).toMatchObject({
        message: "assertion failed in node 2: planted by the test: an impossible state",
        simTimeMs: expect.any(Number), event: expect.any(Number),
      });
    } finally {
      ReplicaHost.prototype.timerFired = original;
    }
  });
});

describe("zabsim demo", () => {
  test("without a NAME lists the demos", async () => {
    const result = await zabsim(["demo"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}election /m);
    expect(result.stdout).toMatch(/^ {2}leader-crash /m);
  });
  test("leader-crash narrates an election, a leader crash, a new leader and the sync", async () => {
    const result = await zabsim(["demo", "leader-crash"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Fast Leader Election");
    expect(result.stdout).toContain("CRASHES");
    expect(result.stdout.match(/ESTABLISHED: server \d leads epoch/g)?.length)
      .toBeGreaterThanOrEqual(2);
    // The restarted leader is brought back by a sync decision, explained.
    expect(result.stdout).toMatch(/(DIFF|TRUNC|SNAP) (to|at) 0x[0-9a-f]+ \(\d+:\d+\): server/);
    expect(result.stdout).toContain("Every checker held");
  });
  test("election says why the winner won and follows one write through its quorum", async () => {
    const io = memoryIo();
    const result = await zabsim(["demo", "election", "--html", "e.html"], io);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/votes for server \d .* from \{[\d,]+\} \(a quorum is 2 of 3\)/);
    expect(result.stdout).toMatch(/the higher server id wins|history is longer|epoch \d+ is newer/);
    expect(result.stdout).toMatch(/PROPOSAL 0x[0-9a-f]+ \(1:\d+\) (create|setData|delete) \//);
    expect(result.stdout).toMatch(/a quorum of 2 of 3: the leader can COMMIT/);
    expect(result.stdout).toMatch(/COMMIT 0x[0-9a-f]+ \(1:\d+\) (create|setData|delete) \//);
    expect(io.files.get("e.html")).toMatch(/^<!DOCTYPE html>/);
  });
  test("lock-partition: the cut-off holder's stale write is refused by fencing", async () => {
    const io = memoryIo();
    const result = await zabsim(["demo", "lock-partition", "--html", "l.html"], io);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("network partition");
    expect(result.stdout).toMatch(/EXPIRES session/);
    expect(result.stdout).toMatch(/REFUSED, the resource already took the newer token/);
    expect(io.files.get("l.html")).toMatch(/^<!DOCTYPE html>/);
  });
  test("lock-partition-no-fencing: the same stale write is taken, and fencing flags it",
    async () => {
      const result = await zabsim(["demo", "lock-partition-no-fencing"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/VIOLATION \(fencing\): writes to \/recipes\/lock .*ACCEPTED/);
      expect(result.stdout).toContain("[fencing]");
    });
  test("client-election: the lowest candidate leads, and a resign wakes one client", async () => {
    const result = await zabsim(["demo", "client-election"]);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/LEADS \/recipes\/election for epoch/g)?.length)
      .toBeGreaterThanOrEqual(3);
    expect(result.stdout).toContain("resigns the leadership");
    expect(result.stdout).toContain("Every checker held");
  });
});
