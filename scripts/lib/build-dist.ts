/**
 * Builds src/ into dist/ (tsconfig.build.json), incrementally: `sweep --workers N` runs seeds on
 * worker threads that load the built code, so tests (test/build-setup.ts) and benches build it
 * first and never run stale code. The build info lives inside dist/, so deleting dist/ rebuilds
 * everything.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository's root (this file is scripts/lib/build-dist.ts). */
export const ROOT = resolve(import.meta.dirname, "..", "..");

/** Runs the incremental build; throws (with tsc's output on stderr) when it fails. */
export function buildDist(): void {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [
    tsc, "-p", "tsconfig.build.json", "--incremental",
    "--tsBuildInfoFile", join("dist", ".tsbuildinfo"),
  ], { cwd: ROOT, stdio: "inherit" });
  markCurrent(join(ROOT, "src"), join(ROOT, "dist"));
}

/**
 * After a successful build every built file is current, but tsc does not rewrite a file whose
 * output did not change, so its time can stay older than an edited source (a comment or a type
 * changed) and the sweep's staleness check (src/cli/sweep/pool.ts) would refuse a fresh build.
 * Brings each such file's time up to now.
 */
function markCurrent(src: string, dist: string): void {
  const now = new Date();
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    if (entry.isDirectory()) {
      markCurrent(from, join(dist, entry.name));
    } else if (entry.name.endsWith(".ts")) {
      const to = join(dist, entry.name.replace(/\.ts$/, ".js"));
      if (existsSync(to) && statSync(to).mtimeMs < statSync(from).mtimeMs) utimesSync(to, now, now);
    }
  }
}
