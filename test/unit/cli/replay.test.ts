/**
 * The replay's pure parts (src/cli/replay): the delivery tap changes nothing in a run; every
 * tree the replay rebuilds matches the replica's own digest wherever the run carried the txns;
 * the vote order is FastLeaderElection's totalOrderPredicate (checked against a naive
 * lexicographic order); the narrator names writes and declares a quorum once per write; the
 * story of a failure ends at the violating event and keeps the faults and syncs that led to it.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { capturedRun } from "../../../src/cli/replay/capture.js";
import { narrateAll } from "../../../src/cli/replay/narrator.js";
import { markViolations } from "../../../src/cli/replay/replay.js";
import { storyOf } from "../../../src/cli/replay/story.js";
import { rebuildTrees } from "../../../src/cli/replay/trees.js";
import { Ballots, beats } from "../../../src/cli/replay/votes.js";
import { resolveRunOptions, runSimulation } from "../../../src/run/index.js";
import { memoryIo } from "../../cli/memory-io.js";

const SHORT = { durationMs: 3_000, livenessMs: 2_000 };

describe("capture and trees", () => {
  test("the tap leaves the run as it was; every rebuilt tree matches the replica's", async () => {
    const options = resolveRunOptions(SHORT);
    const plain = runSimulation(5, options);
    const run = await capturedRun(memoryIo(), 5, options);
    expect(run.report.traceHash).toBe(plain.traceHash);
    const states = rebuildTrees(run.lines, run.extras);
    expect(states.length).toBeGreaterThan(100);
    expect(states.filter((s) => !s.verified)).toEqual([]);
    // The book names the txns by operation, not by fingerprint.
    const texts = narrateAll(run.lines, { extras: run.extras, voters: 3 });
    expect(texts.some((t) => /^proposes 0x[0-9a-f]+ \(\d+:\d+\) (create|setData|delete) \//
      .test(t))).toBe(true);
    expect(texts.filter((t) => t.startsWith("applies ") && / txn [0-9a-f]{8}$/.test(t)))
      .toEqual([]);
  });
  test("a quorum is declared once per write, by the ACK that completes it", async () => {
    const run = await capturedRun(memoryIo(), 5, resolveRunOptions(SHORT));
    const texts = narrateAll(run.lines, { extras: run.extras, voters: 3 });
    const declared = texts.filter((t) => t.includes("the leader can COMMIT"))
      .map((t) => /ACK (0x[0-9a-f]+)/.exec(t)?.[1]);
    expect(declared.length).toBeGreaterThan(10);
    expect(new Set(declared).size).toBe(declared.length);
  });
});

describe("votes", () => {
  const vote = fc.record({
    leader: fc.integer({ min: 1, max: 7 }), zxid: fc.integer({ min: 0, max: 2 ** 40 }),
    peerEpoch: fc.integer({ min: 0, max: 9 }),
  });
  test("beats is totalOrderPredicate: (peerEpoch, zxid, sid) compared in that order", () => {
    fc.assert(fc.property(vote, vote, (a, b) => {
      const key = (v: typeof a) => [v.peerEpoch, v.zxid, v.leader];
      const [ka, kb] = [key(a), key(b)];
      const k = ka.findIndex((x, i) => x !== kb[i]);
      const naive = k >= 0 && (ka[k] as number) > (kb[k] as number);
      expect(beats(a, b)).toBe(naive);
    }));
  });
  test("a decision names the quorum and why the winner beat the others", () => {
    const ballots = new Ballots();
    ballots.looking(1);
    ballots.receive(2, 1, { leader: 2, zxid: 5, peerEpoch: 1 });
    ballots.receive(3, 1, { leader: 3, zxid: 4, peerEpoch: 1 });
    ballots.receive(3, 1, { leader: 2, zxid: 5, peerEpoch: 1 });
    expect(ballots.explain(1, 3)).toBe("votes for server 2 (epoch 1, zxid 0x5 (0:5)) from " +
      "{1,2,3} (a quorum is 2 of 3); it beats server 3: its history is longer (last zxid 0x5 " +
      "> 0x4)");
  });
});

describe("the story of a failure", () => {
  test("skip-trunc: from the lost write to the violation, with the fault and the TRUNC", async () => {
    const run = await capturedRun(memoryIo(), 2, resolveRunOptions({ bug: "skip-trunc" }));
    const first = run.report.violations[0];
    expect(first).toBeDefined();
    if (first === undefined) return;
    const story = storyOf(run.lines, first);
    const lines = story.picked.map((k) => run.lines[k]);
    expect(lines.length).toBeLessThanOrEqual(60);
    expect(lines[lines.length - 1]?.i).toBe(first.event);
    expect(lines.some((l) => l?.kind === "fault")).toBe(true);
    expect(lines.some((l) => String(l?.["message"] ?? "").startsWith("TRUNC"))).toBe(true);
    // Every line of the story comes before (or at) the violation, in trace order.
    expect(story.picked).toEqual([...story.picked].sort((a, b) => a - b));
    const marks = markViolations(run.lines, run.report.violations);
    for (const k of story.violating) expect(marks.get(k)?.[0]?.event).toBe(first.event);
  });
});
