/**
 * The CLI as a hostile user finds it (issue 22), in-process with an in-memory io: flags a
 * command cannot honour beside a run file, an output path that is also an input, pointless or
 * impossible options, control characters in what the user typed, files of the wrong kind given
 * to show and script, filters that select nothing, and planted bugs without the options they
 * need. Every one is bad input: one line on stderr naming it, nothing on stdout, exit 2, no
 * stack, no "internal error". The counts of bad inputs by class are printed for the report.
 */
import { describe, expect, test } from "vitest";
import { memoryIo, zabsim } from "./memory-io.js";

const SHORT = ["--duration-ms", "300", "--liveness-ms", "300"];
const RUN_FILE = '{"seed": 2, "options": {"durationMs": 300, "livenessMs": 300}}';
const SCENARIO = '{"sessions": 1, "steps": [{"s": 0, "op": "exists", "path": "/"}]}';

/** Bad inputs tried, by class (printed once the file's tests ran). */
const tried = new Map<string, number>();

/** Asserts the bad-input contract and returns the one stderr line. */
async function refused(
  kind: string, argv: readonly string[], files: Record<string, string> = {},
): Promise<string> {
  tried.set(kind, (tried.get(kind) ?? 0) + 1);
  const io = memoryIo();
  for (const [path, text] of Object.entries(files)) io.files.set(path, text);
  const result = await zabsim(argv, io);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.split("\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe("");
  expect(lines[0]).toMatch(/^zabsim: /);
  expect(result.stderr).not.toContain("internal error");
  expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  // Nothing was written where the refused command would have written.
  for (const path of io.files.keys()) expect(Object.keys(files)).toContain(path);
  return lines[0] ?? "";
}

describe("flags a command cannot honour beside a run file are refused", () => {
  test.each([
    [["replay", "r.json", "--seed", "3"], "--seed"],
    [["replay", "r.json", "--bug", "skip-trunc"], "--bug"],
    [["replay", "r.json", "--loss", "0.1"], "--loss"],
    [["replay", "r.json", "--replicas", "3"], "--replicas"],
    [["shrink", "r.json", "--bug", "skip-trunc"], "--bug"],
    [["shrink", "r.json", "--seed", "1"], "--seed"],
  ])("%j", async (argv, flag) => {
    const line = await refused("flag beside a run file", argv, { "r.json": RUN_FILE });
    expect(line).toContain(`${flag} cannot be honoured beside it`);
  });
});

describe("an output path equal to an input path is refused", () => {
  test.each([
    [["shrink", "r.json", "--out", "r.json"], "--out r.json"],
    [["shrink", "r.json", "--out", "./r.json"], "--out ./r.json"],
    [["show", "r.json", "--html", "r.json"], "--html r.json"],
    [["replay", "r.json", "--trace", "r.json"], "--trace r.json"],
    [["run", ...SHORT, "--schedule", "s.json", "--trace", "s.json"], "--trace s.json"],
    [["shrink", "--seed", "1", "--schedule", "s.json", "--out", "s.json"], "--out s.json"],
  ])("%j", async (argv, named) => {
    const line = await refused("output path is an input path", argv,
      { "r.json": RUN_FILE, "s.json": "[]" });
    expect(line).toContain(named);
    expect(line).toContain("destroy the input");
  });
});

describe("pointless or impossible options are refused", () => {
  test("a liveness bound of 0, by flag and in a run file", async () => {
    expect(await refused("pointless option", ["run", "--liveness-ms", "0"]))
      .toContain("--liveness-ms takes a whole number from 1");
    expect(await refused("pointless option", ["replay", "r.json"],
      { "r.json": '{"seed": 1, "options": {"livenessMs": 0}}' })).toContain("livenessMs");
  });
  test("--trace - beside --json (both would write standard output)", async () => {
    expect(await refused("pointless option", ["run", ...SHORT, "--trace", "-", "--json"]))
      .toContain("both write standard output");
  });
  test("a sweep of billions of seeds, with an estimate of its length", async () => {
    const line = await refused("pointless option",
      ["sweep", "--seeds", "1..5000000000", ...SHORT]);
    expect(line).toMatch(/5000000000 seeds: at the \d+ ms seed 1 took here, about [\d.]+ \w+/);
    expect(line).toContain("at most 1000000 seeds");
  });
  test.each([
    [["--bug", "skip-trunc", "--faults", "none"], "--faults standard"],
    [["--bug", "ack-before-fsync", "--clients", "0"], "--clients 1 or more"],
    [["--bug", "reuse-old-epoch", "--faults", "none"], "--faults standard"],
  ])("a planted bug without the options it needs: %j", async (args, needed) => {
    for (const command of ["run", "sweep"]) {
      const line = await refused("bug without its options", [command, ...SHORT, ...args]);
      expect(line).toContain("cannot show with these options");
      expect(line).toContain(needed);
    }
  });
  test("reuse-old-epoch needs no clients, and an explicit schedule stands for a fault mix",
    async () => {
      const io = memoryIo();
      io.files.set("s.json", JSON.stringify([
        { atMicros: 100_000, fault: { kind: "crash", node: 1 } },
      ]));
      for (const argv of [
        ["run", ...SHORT, "--bug", "reuse-old-epoch", "--clients", "0"],
        ["run", ...SHORT, "--bug", "skip-trunc", "--faults", "none", "--schedule", "s.json"],
      ]) {
        expect([0, 1]).toContain((await zabsim(argv, io)).code);
      }
    });
});

describe("error lines never echo raw control characters", () => {
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
  test.each([
    [["\u001b[31mrun"]],
    [["run", "--bug", "\u001b[2Jboom"]],
    [["run", "--\u0007bell"]],
    [["run", "--seed", "1\n2"]],
    [["replay", "no\u001b]0;title\u0007such.json"]],
    [["show", "\r\u0000.json"]],
  ])("%j", async (argv) => {
    const line = await refused("control characters", argv);
    expect(line).not.toMatch(RAW);
    expect(line).toMatch(/\\u00|\\n|\\r/);
  });
});

describe("show and script never answer silently", () => {
  test.each([
    [["show", "e.json"], { "e.json": "" }, "is empty"],
    [["show", "e.json"], { "e.json": "\n  \n" }, "is empty"],
    [["show", "sc.json"], { "sc.json": SCENARIO }, "zabsim script sc.json"],
    [["show", "r.json", "--node", "42"], { "r.json": RUN_FILE }, "--node 42 is not in this run"],
    [["show", "r.json", "--from", "99999999"], { "r.json": RUN_FILE }, "past the end"],
    [["script", "r.json"], { "r.json": RUN_FILE }, "zabsim show r.json"],
    [["script", "t.jsonl"], { "t.jsonl": '{"i":0,"t":0,"kind":"start","node":1}\n' },
      "is a trace"],
    [["script", "e.json"], { "e.json": "" }, "is empty"],
    [["script", "n.json"], { "n.json": '{"sessions": 1, "steps": []}' }, "has no steps"],
    [["script", "n.json"], { "n.json": '{"scenarios": []}' }, "has no steps"],
  ])("%j", async (argv, files, reason) => {
    expect(await refused("show/script silent", argv, files)).toContain(reason);
  });
  test("a node with no lines in the window says so on stdout", async () => {
    const io = memoryIo();
    io.files.set("r.json", RUN_FILE);
    const result = await zabsim(["show", "r.json", "--node", "1", "--from", "5", "--limit",
      "1"], io);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).not.toBe("");
  });
});

test("the count of bad inputs tried, by class", () => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(30);
  console.log(`bad inputs tried by class: ${JSON.stringify(Object.fromEntries(tried))}, ` +
    `total ${total}`);
});
