/**
 * vitest globalSetup: builds src/ into dist/ before any test runs, because `sweep --workers N`
 * runs seeds on worker threads that load the BUILT code (src/cli/sweep/pool.ts), and a test must
 * never run stale code. Incremental (scripts/lib/build-dist.ts): an unchanged tree costs seconds.
 */
import { buildDist } from "../scripts/lib/build-dist.js";

export default function setup(): void {
  buildDist();
}
