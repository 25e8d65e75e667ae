/**
 * vitest globalSetup: builds src/ into dist/ (tsconfig.build.json) before any test runs, because
 * `sweep --workers N` runs seeds on worker threads that load the BUILT code
 * (src/cli/sweep/pool.ts), and a test must never run stale code. Incremental, so an unchanged
 * tree costs a few seconds; the build info lives inside dist/ so deleting dist/ rebuilds all.
 */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

export default function setup(): void {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [
    tsc, "-p", "tsconfig.build.json", "--incremental",
    "--tsBuildInfoFile", join("dist", ".tsbuildinfo"),
  ], { cwd: ROOT, stdio: "inherit" });
}
