import { defineConfig } from "vitest/config";

/**
 * `npm run test:real`: tests against real ZooKeeper servers (test/real), which `npm test` does
 * not run. They install Debian's zookeeper package when it is missing and start real JVMs, so
 * they run one file at a time; the CLI they drive is the built one (dist/).
 */
export default defineConfig({
  test: {
    include: ["test/real/**/*.test.ts"],
    globalSetup: ["test/build-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
