/**
 * The secure quorum and adversary flags of the CLI: `--faults adversary` turns secure quorum on
 * and reports what the attacker tried (`adversary` in --json); `--secure-quorum off` with it
 * writes the replay line with the flag, and the run file replays with the same hash;
 * `--secure-quorum on` alone seals traffic without an attacker; a bad value exits 2 with one
 * line; `--bug list` names the channel bugs.
 */
import { describe, expect, test } from "vitest";
import { memoryIo, zabsim } from "./memory-io.js";

const SHORT = ["--duration-ms", "2000", "--liveness-ms", "2000", "--json"];

describe("secure quorum flags", () => {
  test("--faults adversary turns secure quorum on and reports the attacker", async () => {
    const { code, stdout } = await zabsim(["run", "--seed", "2", "--faults", "adversary", ...SHORT]);
    const report = JSON.parse(stdout) as {
      options: { secureQuorum: boolean }; adversary: Record<string, number>; faultModel: string;
    };
    expect(code).toBe(0);
    expect(report.options.secureQuorum).toBe(true);
    expect(Object.keys(report.adversary).sort())
      .toEqual(["forged", "impersonated", "rejected", "replayed", "tampered"]);
    expect(report.faultModel).toBe("inside");
  });

  test("--secure-quorum off under attack replays with the same hash", async () => {
    const io = memoryIo();
    const args = ["run", "--seed", "2", "--faults", "adversary", "--secure-quorum", "off", ...SHORT];
    const first = await zabsim(args, io);
    const report = JSON.parse(first.stdout) as { options: { secureQuorum: boolean } };
    expect(report.options.secureQuorum).toBe(false);
    io.files.set("run.json", first.stdout);
    const replayed = await zabsim(["replay", "run.json", "--json"], io);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ same: true });
  });

  test("--secure-quorum on alone seals traffic, with no attacker", async () => {
    const { code, stdout } = await zabsim(["run", "--seed", "1", "--secure-quorum", "on", ...SHORT]);
    const report = JSON.parse(stdout) as { options: { secureQuorum: boolean }; adversary?: unknown };
    expect(code).toBe(0);
    expect(report.options.secureQuorum).toBe(true);
    expect(report.adversary).toBeUndefined();
  });

  test("a bad value exits 2 with one line; --bug list names the channel bugs", async () => {
    const bad = await zabsim(["run", "--secure-quorum", "maybe"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const list = await zabsim(["run", "--bug", "list"]);
    for (const name of ["skip-frame-auth", "replayable-counter", "no-ephemeral-handshake"]) {
      expect(list.stdout).toContain(name);
    }
  });
});
