/**
 * Builds src/ into dist/ (tsconfig.build.json), incrementally: `sweep --workers N` runs seeds on
 * worker threads that load the built code, so tests (test/build-setup.ts) and benches build it
 * first and never run stale code. The build info lives inside dist/, so deleting dist/ rebuilds
 * everything.
 */
import { execFileSync } from "node:child_process";
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
}
