/**
 * Bad usage and bad input (shared/spec/cli.md): every mistake gives exactly one line on stderr
 * that names the problem, nothing on stdout, exit code 2, and never a stack trace. Runs the CLI
 * in-process with an in-memory io, plus one spawned process to prove the real entry point
 * behaves the same (exit status, no stack).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { UsageError } from "../../src/cli/args.js";
import { processIo } from "../../src/cli/io.js";
import { describe, expect, test } from "vitest";
import { memoryIo, zabsim } from "./memory-io.js";

/** Asserts the contract for bad usage and returns the one stderr line. */
async function rejects(argv: readonly string[], files: Record<string, string> = {}) {
  const io = memoryIo();
  for (const [path, text] of Object.entries(files)) io.files.set(path, text);
  const result = await zabsim(argv, io);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^zabsim: /);
  expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  expect(result.stderr).not.toContain("internal error");
  return lines[0] ?? "";
}

describe("bad usage exits 2 with one line", () => {
  test("no command", async () => {
    expect(await rejects([])).toContain("no command");
  });
  test("unknown command", async () => {
    expect(await rejects(["frobnicate"])).toContain('unknown command "frobnicate"');
  });
  test("unknown flag", async () => {
    expect(await rejects(["run", "--speed", "3"])).toContain("unknown option --speed");
  });
  test("malformed seed, with the contract's wording", async () => {
    expect(await rejects(["run", "--seed", "x"])).toBe(
      'zabsim: --seed takes a whole number from 0 to 9007199254740991, got "x"');
  });
  test.each([["-1"], ["1.5"], ["9007199254740992"], ["0x10"], [""]])(
    "seed %j is refused", async (seed) => {
      expect(await rejects(["run", "--seed", seed])).toContain("--seed takes a whole number");
    });
  test("a flag without its value", async () => {
    expect(await rejects(["run", "--seed"])).toContain("--seed needs a value");
  });
  test("a flag given twice", async () => {
    expect(await rejects(["run", "--seed", "1", "--seed", "2"])).toContain("given twice");
  });
  test("replica count out of range", async () => {
    expect(await rejects(["run", "--replicas", "0"])).toContain("--replicas takes a whole number");
  });
  test("unknown fault mix", async () => {
    expect(await rejects(["run", "--faults", "chaos"])).toContain(
      "--faults takes one of none, standard");
  });
  test("unknown planted bug", async () => {
    expect(await rejects(["run", "--bug", "nope"])).toContain("--bug takes one of");
  });
  test("an impossible fault schedule: crashing a node that is not in the world", async () => {
    const schedule = JSON.stringify([{ atMicros: 1000, fault: { kind: "crash", node: 42 } }]);
    const line = await rejects(["run", "--schedule", "s.json"], { "s.json": schedule });
    expect(line).toContain("node 42");
  });
  test("a schedule with an unknown fault kind", async () => {
    const schedule = JSON.stringify([{ atMicros: 1000, fault: { kind: "meteor" } }]);
    expect(await rejects(["run", "--schedule", "s.json"], { "s.json": schedule }))
      .toContain("fault.kind");
  });
  test("a schedule file that is missing or not JSON", async () => {
    expect(await rejects(["run", "--schedule", "missing.json"])).toContain("cannot read");
    expect(await rejects(["run", "--schedule", "bad.json"], { "bad.json": "{" }))
      .toContain("not valid JSON");
  });
  test("seed ranges", async () => {
    expect(await rejects(["sweep", "--seeds", "5..1"])).toContain("--seeds takes a range");
    expect(await rejects(["sweep", "--seeds", "a..b"])).toContain("--seeds takes a range");
  });
  test("a run file with bad fields", async () => {
    expect(await rejects(["replay", "r.json"], { "r.json": "[]" })).toContain("not a run file");
    expect(await rejects(["replay", "r.json"], { "r.json": '{"seed": -3}' })).toContain('"seed"');
    expect(await rejects(["replay", "r.json"], {
      "r.json": '{"seed": 3, "options": {"replicas": 0}}',
    })).toContain("replicas");
    expect(await rejects(["replay", "r.json"], {
      "r.json": '{"seed": 3, "options": {"speed": 9}}',
    })).toContain('unknown option "speed"');
  });
  test("script: missing file, bad --against", async () => {
    expect(await rejects(["script"])).toContain("needs a FILE");
    expect(await rejects(["script", "none.json"])).toContain("cannot read");
    expect(await rejects(["script", "s.json", "--against", "localhost"], { "s.json": "{}" }))
      .toContain("HOST:PORT");
  });
  test("show: a file that is neither a run file nor a trace", async () => {
    expect(await rejects(["show", "t.jsonl"], { "t.jsonl": "hello\n" })).toContain("t.jsonl:1");
    expect(await rejects(["show", "r.json", "--html", "o.html"], { "r.json": '{"hello": 1}' }))
      .toContain('"seed"');
    expect(await rejects(["show", "r.json", "--html", "o.html"], { "r.json": "[1, 2]" }))
      .toContain("not a trace record");
    expect(await rejects(["show", "r.json", "--html"], { "r.json": "{}" })).toContain("--html");
  });
  test("demo: an unknown name", async () => {
    expect(await rejects(["demo", "lock"])).toContain('unknown demo "lock"');
  });
});

describe("help and listings", () => {
  test("every command's --help lists every option with its default, exit 0", async () => {
    for (const command of ["run", "sweep", "replay", "shrink", "show", "demo", "script"]) {
      const result = await zabsim([command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`usage: zabsim ${command}`);
    }
    const run = (await zabsim(["run", "--help"])).stdout;
    for (const flag of ["seed", "replicas", "observers", "clients", "duration-ms", "faults",
      "bug", "json", "trace"]) {
      expect(run).toContain(`--${flag}`);
    }
    expect(run).toContain("(default: 3)");
    expect(run).toContain("(default: standard)");
  });
  test("--bug list prints the names one a line and nothing else", async () => {
    const result = await zabsim(["run", "--bug", "list"]);
    expect(result.code).toBe(0);
    const names = result.stdout.trimEnd().split("\n");
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(result.stderr).toBe("");
  });
});

describe("the real io", () => {
  test("an unwritable trace or output file is a one-line usage error", () => {
    const io = processIo();
    const missing = resolve(tmpdir(), "zabsim-no-such-dir", "t.jsonl");
    expect(() => io.openLines(missing)).toThrow(UsageError);
    expect(() => io.openLines(missing)).toThrow(/^cannot write .* \(ENOENT\)$/);
    expect(() => io.writeFile(missing, "x")).toThrow(UsageError);
  });
});

describe("the real entry point", () => {
  test("show --html to a path that cannot be written: exit 2, one line, nothing half-written", () => {
    const root = resolve(import.meta.dirname, "../..");
    const dir = mkdtempSync(resolve(tmpdir(), "zabsim-show-"));
    const run = resolve(dir, "run.json");
    writeFileSync(run, '{"seed": 1, "options": {"durationMs": 200, "livenessMs": 200}}');
    const out = resolve(dir, "no-such-dir", "replay.html");
    const child = spawnSync(process.execPath,
      ["--import", "tsx", resolve(root, "src/cli/main.ts"), "show", run, "--html", out],
      { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    rmSync(dir, { recursive: true, force: true });
    expect(child.status).toBe(2);
    expect(child.stdout).toBe("");
    expect(child.stderr.trim().split("\n")).toEqual([
      `zabsim: cannot write ${out} (ENOENT)`,
    ]);
  });
  test("a spawned zabsim exits 2 with one stderr line and no stack", () => {
    const root = resolve(import.meta.dirname, "../..");
    const child = spawnSync(process.execPath,
      ["--import", "tsx", resolve(root, "src/cli/main.ts"), "run", "--seed", "x"],
      { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(child.status).toBe(2);
    expect(child.stdout).toBe("");
    expect(child.stderr.trim().split("\n")).toEqual([
      'zabsim: --seed takes a whole number from 0 to 9007199254740991, got "x"',
    ]);
  });
});
