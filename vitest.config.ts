import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/real starts real ZooKeeper servers: `npm run test:real` (vitest.real.config.ts).
    exclude: ["test/real/**", "**/node_modules/**"],
    // Sweep's worker threads load dist/: build it first so no test runs stale code.
    globalSetup: ["test/build-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
