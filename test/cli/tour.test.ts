/**
 * The README's tour, run as a newcomer would paste it (issue 22): the test reads the tour's
 * commands from README.md itself, builds zabsim as `npm install` does (tsc with
 * tsconfig.build.json, into test-output/), and runs every line in order with a POSIX shell in a
 * fresh temporary directory holding only the clone's scenarios/. Each line must exit as its
 * comment says (0 unless the comment starts with "exit 1"), never 2, and write no stack trace;
 * the files one line makes are what the next lines read. Prints the tour's wall time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { afterAll, expect, test } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const BUILD = resolve(ROOT, "test-output", "tour");

/** One command of the tour and the exit code its comment promises. */
interface TourLine {
  readonly command: string;
  readonly exit: number;
}

/** The tour's commands: the `npx zabsim` lines of the README's "A tour of the CLI" block. */
function tourLines(readme: string): TourLine[] {
  const section = readme.split("## A tour of the CLI")[1] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  const lines: { command: string; comment: string }[] = [];
  for (const raw of block.split("\n")) {
    const hash = raw.indexOf("#");
    const code = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    const comment = hash < 0 ? "" : raw.slice(hash + 1).trim();
    if (code !== "") {
      lines.push({ command: code, comment });
    } else if (comment !== "" && lines.length > 0) {
      const last = lines[lines.length - 1];
      if (last !== undefined) last.comment = `${last.comment} ${comment}`.trim();
    }
  }
  return lines.map(({ command, comment }) => ({
    command, exit: comment.startsWith("exit 1") ? 1 : 0,
  }));
}

const dir = mkdtempSync(resolve(tmpdir(), "zabsim-tour-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the README's tour works pasted in order on a fresh directory", () => {
  const tour = tourLines(readFileSync(resolve(ROOT, "README.md"), "utf8"));
  expect(tour.length).toBeGreaterThan(15);
  for (const line of tour) expect(line.command).toMatch(/^npx zabsim /);
  rmSync(BUILD, { recursive: true, force: true });
  execFileSync(process.execPath, [resolve(ROOT, "node_modules/typescript/bin/tsc"), "-p",
    resolve(ROOT, "tsconfig.build.json"), "--outDir", resolve(BUILD, "dist")], { cwd: ROOT });
  // dist/cli/version.js reads ../../package.json, as it does in an installed zabsim.
  cpSync(resolve(ROOT, "package.json"), resolve(BUILD, "package.json"));
  cpSync(resolve(ROOT, "scenarios"), resolve(dir, "scenarios"), { recursive: true });
  const zabsim = `"${process.execPath}" "${resolve(BUILD, "dist/cli/main.js")}"`;
  const started = performance.now();
  for (const line of tour) {
    const shell = line.command.replace(/^npx zabsim/, zabsim);
    const result = spawnSync("sh", ["-c", shell], {
      cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" },
    });
    const what = `${line.command}\n${result.stderr}`;
    expect(result.status, what).toBe(line.exit);
    // Nothing on stderr but a long sweep's plain progress lines, which wall time decides (a
    // loaded machine takes over PLAIN_EVERY_MS for a few seeds).
    expect(withoutProgress(result.stderr), what).toBe("");
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`README tour: ${tour.length} commands in ${seconds.toFixed(1)} s of wall time`);
  for (const made of ["run.json", "run.mmd", "run.html", "trace.jsonl", "fail.json",
    "small.json", "election.html"]) {
    expect(readFileSync(resolve(dir, made), "utf8").length, made).toBeGreaterThan(0);
  }
}, 600_000);

/** stderr without the plain progress lines of src/cli/sweep/progress.ts. */
function withoutProgress(stderr: string): string {
  const progress = /^[\w -]+: \d+ of \d+ seeds \(\d+%\), [\d.]+ seeds\/s, ETA \S+, \d+ failing$/;
  return stderr.split("\n").filter((line) => !progress.test(line)).join("\n");
}
