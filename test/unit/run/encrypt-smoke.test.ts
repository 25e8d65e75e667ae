import { describe, expect, it } from "vitest";
import { runEncrypted } from "../../../src/run/encrypt/index.js";
import { keyEvents } from "../../../src/check/index.js";
import type { ObservationRecord } from "../../../src/check/index.js";

describe("smoke", () => {
  it("runs", async () => {
    let records: readonly ObservationRecord[] = [];
    const seed = Number(process.env.SEED ?? 1);
    const bug = process.env.BUG ?? null;
    const t0 = Date.now();
    const { report, tasks } = await runEncrypted(seed, { encrypt: true, bug }, {
      observationSink: (r) => { records = r; } });
    const events = keyEvents(records);
    const counts = new Map<string, number>();
    for (const e of events) {
      const k = `${e.action}:${e.outcome}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    console.log(Date.now() - t0, "ms", JSON.stringify(report.violations, null, 1),
      JSON.stringify(tasks), JSON.stringify([...counts].sort()));
    expect(report).toBeDefined();
  }, 600_000);
});
