/**
 * Makes sure Debian's chromium is installed for the HTML replay's browser test
 * (test/browser/replay-page.test.ts), so `npm test` passes on a fresh machine: `npm test` runs
 * this first (the `pretest` script). Quiet and idempotent: nothing happens when the browser is
 * there. As root it installs the package with apt-get; otherwise it says what to run. It never
 * fails the test run itself: a browser still missing makes the browser test fail, with the
 * reason, rather than be skipped.
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

/** Where Debian's chromium package puts the browser (the test launches this path). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

function run(command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return result.status === 0;
}

function main(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root) {
    process.stderr.write(`ensure-chromium: ${CHROMIUM_PATH} is missing; install it with ` +
      "`sudo apt-get install -y chromium` (the browser test fails without it)\n");
    return;
  }
  process.stderr.write("ensure-chromium: installing Debian's chromium for the browser test\n");
  const installed = run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"])
    || (run("apt-get", ["update", "-q"]) &&
      run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"]));
  if (!installed || !existsSync(CHROMIUM_PATH)) {
    process.stderr.write("ensure-chromium: apt-get could not install chromium " +
      "(the browser test will fail)\n");
  }
}

main();
