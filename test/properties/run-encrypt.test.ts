/**
 * The `--encrypt` run (docs/keys.md, "The --encrypt run"), through runSeed as `zabsim run` and
 * `sweep` drive it, under the default standard fault mix (crashes, partitions, power loss,
 * message faults):
 * - each planted key-service bug is caught by a default sweep over seeds 1..200 with
 *   `--encrypt`, by the checker meant for it; the sweep stops at the first seed that fails, to
 *   stay fast (a bug the checkers miss runs all 200 and fails the test);
 * - a correct service passes on a few seeds, and a seed replays to the same trace hash;
 * - no plaintext the run generated and no root key's bytes appear in the trace (as the JSON
 *   lines of `--trace`, byte strings in hex), the report, or a task's error.
 * The clean sweep `zabsim sweep --seeds 1..100 --encrypt --workers 1` is run by hand (its
 * figures are in docs/keys.md); here a few seeds stand for it.
 */
import { describe, expect, it } from "vitest";
import { exposeKeyBytes } from "../../src/crypto/secret-key.js";
import { runSeed } from "../../src/run/index.js";
import { runEncrypted } from "../../src/run/encrypt/index.js";
import type { RunReport } from "../../src/run/index.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

const CAUGHT_BY: Readonly<Record<string, string>> = {
  "plaintext-at-rest": "secrets-at-rest",
  "nonce-reuse": "nonce-reuse",
  "no-context-binding": "forgery",
  "promote-before-readable": "rotation",
  "unsigned-audit": "audit-chain",
  "unguarded-audit-head": "audit-chain",
  "grant-skips-policy": "key-access",
  "destroy-keeps-root": "shredding",
};

/** The first seed of 1..200 whose run with `bug` fails, and that run's report. */
async function firstFailing(bug: string): Promise<{ seed: number; report: RunReport }> {
  for (let seed = 1; seed <= 200; seed++) {
    const report = await runSeed(seed, { encrypt: true, bug });
    if (report.violations.length > 0) return { seed, report };
  }
  throw new Error(`--bug ${bug}: seeds 1..200 all passed`);
}

describe("zabsim run --encrypt", () => {
  for (const [bug, checker] of Object.entries(CAUGHT_BY)) {
    it(`a default sweep with --encrypt catches --bug ${bug} (${checker})`, async () => {
      const { seed, report } = await firstFailing(bug);
      expect(report.violations.map((v) => v.checker), `seed ${seed}`).toContain(checker);
    }, 1_200_000);
  }

  it("a correct key service passes under crashes and partitions, and replays", async () => {
    for (const seed of [11, 12]) {
      const report = await runSeed(seed, { encrypt: true });
      expect(report.violations, `seed ${seed}`).toEqual([]);
      expect(report.faults.some((f) => f.fault.kind === "crash" ||
        f.fault.kind === "partition")).toBe(true);
      if (seed === 11) {
        expect((await runSeed(seed, { encrypt: true })).traceHash).toBe(report.traceHash);
      }
    }
  }, 600_000);

  it("no plaintext and no root key reaches the trace, the report or an error", async () => {
    const secrets: string[] = [];
    const lines: string[] = [];
    const { report, tasks } = await runEncrypted(3, { encrypt: true }, {
      traceSink: (line) => { lines.push(line); },
    }, {
      secret: (plaintext) => secrets.push(hex(plaintext)),
      root: (root) => secrets.push(hex(exposeKeyBytes(root.key))),
    });
    expect(secrets.length).toBeGreaterThan(10);
    const text = [...lines, JSON.stringify(report), JSON.stringify(tasks)].join("\n");
    expect(text.length).toBeGreaterThan(100_000);
    // The sealed values themselves are in the trace (as hex): the test would see a leak.
    expect(text).toContain("7a7376"); // "zsv", the sealed-value magic
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  }, 600_000);
});
