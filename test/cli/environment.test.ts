/**
 * A failing environment and real files (issue 22), through a spawned `zabsim` so the real
 * process io is what is judged: a full disk behind stdout (/dev/full) or behind the trace file,
 * a reader that closes stdout (EPIPE), a trace file that cannot be created; inputs that are not
 * regular files or are larger than any input, refused before they are read; and `-` as standard
 * input and output. A failing environment is one line naming the file and the reason, exit 2,
 * never a stack trace, never "a bug in zabsim", never exit 1 (which means a check failed).
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { UsageError } from "../../src/cli/args.js";
import { INPUT_BYTES_MAX, processIo } from "../../src/cli/io.js";

const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = resolve(ROOT, "src/cli/main.ts");
// The basic workload writes at once, so a 300 ms healed phase always sees a write (in the fixed
// world: these runs check plumbing, and a swarm world may be slower).
const SHORT = [
  "--swarm", "off", "--workload", "basic", "--duration-ms", "300", "--liveness-ms", "300",
];
const dir = mkdtempSync(resolve(tmpdir(), "zabsim-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Stdio = "pipe" | "ignore" | number;

/** Runs zabsim; `stdout` may be a file descriptor (a device such as /dev/full). */
function zabsim(argv: readonly string[], stdout: Stdio = "pipe", input?: string) {
  const child = spawnSync(process.execPath, ["--import", "tsx", MAIN, ...argv], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" },
    stdio: ["pipe", stdout, "pipe"], ...(input === undefined ? {} : { input }),
  });
  return { code: child.status, stdout: child.stdout ?? "", stderr: child.stderr };
}

/** The environment contract: exit 2, exactly one stderr line, no stack, not our bug. */
function environmentFailure(result: { code: number | null; stderr: string }): string {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toContain("a bug in zabsim");
  expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  return lines[0] ?? "";
}

function withFull<T>(body: (fd: number) => T): T {
  const fd = openSync("/dev/full", "w");
  try {
    return body(fd);
  } finally {
    closeSync(fd);
  }
}

describe("output that cannot be written is the environment failing: one line, exit 2", () => {
  test("a full disk behind stdout", () => {
    const line = withFull((fd) => environmentFailure(zabsim(["run", ...SHORT, "--json"], fd)));
    expect(line).toBe("zabsim: cannot write standard output (ENOSPC)");
  });
  test("a full disk behind the trace file", () => {
    const line = environmentFailure(zabsim(["run", ...SHORT, "--trace", "/dev/full"]));
    expect(line).toBe("zabsim: cannot write /dev/full (ENOSPC)");
  });
  test("a trace file in a directory that does not exist", () => {
    const path = resolve(dir, "missing", "t.jsonl");
    const line = environmentFailure(zabsim(["run", ...SHORT, "--trace", path]));
    expect(line).toBe(`zabsim: cannot write ${path} (ENOENT)`);
  });
  test("a reader that closes stdout early (EPIPE)", async () => {
    const child = spawn(process.execPath,
      ["--import", "tsx", MAIN, "run", "--seed", "3", "--trace", "-"],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on("close", done));
    const line = environmentFailure({ code, stderr });
    expect(line).toBe("zabsim: cannot write standard output (EPIPE)");
  });
});

describe("inputs are bounded and refused before they are read", () => {
  const io = processIo();
  test.each([
    [dir, "it is a directory"],
    ["/dev/zero", "it is a device"],
  ])("%s", (path, reason) => {
    expect(() => io.readFile(path)).toThrow(UsageError);
    expect(() => io.readFile(path)).toThrow(reason);
  });
  test("a file larger than any input (a sparse file: nothing is read)", () => {
    const big = resolve(dir, "big.json");
    writeFileSync(big, "");
    truncateSync(big, INPUT_BYTES_MAX + 1);
    expect(() => io.readFile(big)).toThrow(/more than any input zabsim reads/);
    const line = environmentFailure(zabsim(["replay", big]));
    expect(line).toContain(`cannot read ${big}`);
  });
  test("a directory given to replay is one line, exit 2", () => {
    expect(environmentFailure(zabsim(["replay", dir]))).toContain("it is a directory");
  });
});

describe("- means standard input or output where a file is expected", () => {
  test("run --json | replay - | and --trace - writes the trace to stdout", () => {
    const saved = zabsim(["run", "--seed", "4", ...SHORT, "--json"]);
    expect(saved.code).toBe(0);
    const replayed = zabsim(["replay", "-", "--limit", "0"], "pipe", saved.stdout);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain("matches -");
    const trace = zabsim(["run", "--seed", "4", ...SHORT, "--trace", "-"]);
    expect(trace.code).toBe(0);
    const first = JSON.parse(trace.stdout.split("\n")[0] ?? "") as { i: number };
    expect(first.i).toBe(0);
    const script = zabsim(["script", "-"], "pipe",
      '{"sessions": 1, "steps": [{"s": 0, "op": "exists", "path": "/"}]}');
    expect(script.code, script.stderr).toBe(0);
    expect(script.stdout).toContain('"err":"OK"');
  });
});
