/**
 * Planted bugs, one scenario each on the harness: the situation where the bug's missing rule
 * matters, run once with the bug (the mistake shows in the observations or replies) and once
 * without (the correct replica keeps the guarantee). This proves each bug is a real protocol
 * mistake a trace can reveal, independently of which fault mix a sweep happens to draw.
 */
import { describe, expect, it } from "vitest";
import type { BugName } from "../../src/consensus/index.js";
import type { Observation } from "../../src/observe/index.js";
import { BUG_NAMES, bugNames } from "../../src/consensus/index.js";
import { OPEN_ACL_UNSAFE } from "../../src/tree/index.js";
import { Cluster } from "../helpers/cluster.js";
import type { InFlight } from "../helpers/cluster.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function create(c: Cluster, id: number, requestId: number, session: number, path: string): void {
  const data = enc(path);
  const request = { type: "create", path, data, acl: OPEN_ACL_UNSAFE, flags: 0 } as const;
  c.request(id, 100, requestId, request, session);
}

/** Zxids some node delivered with a txn no other delivery at that zxid agrees with. */
function forks(obs: readonly Observation[]): number[] {
  const seen = new Map<number, string>();
  const out: number[] = [];
  for (const o of obs) {
    if (o.kind !== "deliver") continue;
    const first = seen.get(o.zxid);
    if (first === undefined) seen.set(o.zxid, o.txn);
    else if (first !== o.txn) out.push(o.zxid);
  }
  return out;
}

/** Zxids `node` delivered that no other node delivered (though they delivered beyond them). */
function strays(obs: readonly Observation[], node: number): number[] {
  const deliveries = obs.flatMap((o) => (o.kind === "deliver" ? [o] : []));
  const others = deliveries.filter((o) => o.node !== node).map((o) => o.zxid);
  const top = Math.max(0, ...others);
  return deliveries
    .filter((o) => o.node === node && o.zxid < top && !others.includes(o.zxid))
    .map((o) => o.zxid);
}

/** Deliveries that went back on themselves: a TRUNC below what the node had delivered. */
function undoneDeliveries(obs: readonly Observation[]): number {
  const last = new Map<number, number>();
  let undone = 0;
  for (const o of obs) {
    if (o.kind === "deliver") last.set(o.node, o.zxid);
    if (o.kind === "truncate" && (last.get(o.node) ?? 0) > o.zxid) undone += 1;
    if (o.kind === "restore") last.set(o.node, o.zxid);
  }
  return undone;
}

/** An acknowledged write that a replica, fully synced after the heal, does not have. */
function lostAcknowledged(c: Cluster, path: string, requestId: number): boolean {
  if (c.replyTo(100, requestId)?.result.err !== "OK") return false;
  return c.ids.some((id) => {
    const meta = { sessionId: 0, cxid: 0, authInfo: [] };
    const read = c.replica(id).stateMachine.read(meta, { type: "exists", path, watch: false });
    return read.err === "NONODE";
  });
}

describe("the planted bug list", () => {
  it("names at least five bugs, lowercase-hyphenated, each with a description", () => {
    expect(bugNames().length).toBeGreaterThanOrEqual(5);
    for (const name of bugNames()) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)+$/);
      expect(BUG_NAMES[name].length).toBeGreaterThan(20);
    }
  });
});

/** A write acknowledged, then every server loses power before its disk write completes. */
function powerLoss(bugs: BugName[]): { acked: boolean; lost: boolean } {
  const c = new Cluster({ voters: 3, bugs }).start();
  c.elect();
  const session = c.openSession(3, 100);
  c.autoPersist = false;
  create(c, 3, 1, session, "/p");
  c.stabilize();
  const acked = c.replyTo(100, 1)?.result.err === "OK";
  for (const id of c.ids) c.crash(id);
  for (const id of c.ids) c.restart(id);
  c.autoPersist = true;
  c.elect();
  return { acked, lost: lostAcknowledged(c, "/p", 1) };
}

describe("ack-before-fsync", () => {
  it("with the bug, a write acknowledged before any fsync is lost in a power loss", () => {
    expect(powerLoss(["ack-before-fsync"])).toEqual({ acked: true, lost: true });
  });
  it("without it, nothing is acknowledged before a quorum's fsync", () => {
    expect(powerLoss([])).toEqual({ acked: false, lost: false });
  });
});

/** The leader is cut off from both followers and takes a write. */
function isolatedLeaderWrite(bugs: BugName[]): { acked: boolean; lost: boolean } {
  const c = new Cluster({ voters: 3, bugs }).start();
  c.elect();
  const session = c.openSession(3, 100);
  c.partition([3], [1, 2]);
  create(c, 3, 1, session, "/m");
  c.runFor(3_000_000);
  const acked = c.replyTo(100, 1)?.result.err === "OK";
  c.heal();
  c.runFor(3_000_000);
  return { acked, lost: lostAcknowledged(c, "/m", 1) };
}

describe("commit-on-minority", () => {
  it("with the bug, a leader without a quorum acknowledges a write that is then lost", () => {
    expect(isolatedLeaderWrite(["commit-on-minority"])).toEqual({ acked: true, lost: true });
  });
  it("without it, the isolated leader acknowledges nothing", () => {
    expect(isolatedLeaderWrite([])).toEqual({ acked: false, lost: false });
  });
});

/** An old leader keeps an uncommitted proposal, a new leader commits others at those zxids. */
function oldLeaderRejoins(bugs: BugName[]): Observation[] {
  const c = new Cluster({ voters: 3, bugs }).start();
  c.elect();
  const session = c.openSession(3, 100);
  c.partition([3], [1, 2]);
  create(c, 3, 1, session, "/old");
  c.runFor(3_000_000);
  c.heal();
  c.runFor(3_000_000);
  const session2 = c.openSession(1, 101, 50);
  for (let i = 0; i < 3; i++) {
    const request = {
      type: "create", path: `/new${i}`, data: null, acl: OPEN_ACL_UNSAFE, flags: 0,
    } as const;
    c.request(1, 101, 51 + i, request, session2);
    c.runFor(50_000);
  }
  return c.observations;
}

describe("skip-trunc", () => {
  it("with the bug, the old leader delivers its uncommitted txn, which no one else has", () => {
    const obs = oldLeaderRejoins(["skip-trunc"]);
    expect(strays(obs, 3).length).toBeGreaterThan(0);
  });
  it("without it, the old leader truncates and delivers only what the others deliver", () => {
    const obs = oldLeaderRejoins([]);
    expect(obs.some((o) => o.kind === "truncate" && o.node === 3)).toBe(true);
    expect(strays(obs, 3)).toEqual([]);
  });
});

/** Two elections in a row (the first leader crashes). */
function twoLeaders(bugs: BugName[]): number[] {
  const c = new Cluster({ voters: 3, bugs }).start();
  c.elect();
  c.crash(3);
  c.runFor(3_000_000);
  return c.observationsOf("established").map((o) => o.epoch);
}

describe("reuse-old-epoch", () => {
  it("with the bug, two leaders are established in one epoch", () => {
    const epochs = twoLeaders(["reuse-old-epoch"]);
    expect(epochs.length).toBe(2);
    expect(new Set(epochs).size).toBe(1);
  });
  it("without it, each leader has its own, higher epoch", () => {
    expect(twoLeaders([])).toEqual([1, 2]);
  });
});

/**
 * Follower 1 alone logs a proposal; the leader crashes before its own fsync and follower 1 is
 * cut off while 2 and the restarted 3 elect a leader without it; then 1 rejoins.
 */
function proposalNeverCommitted(bugs: BugName[]): Observation[] {
  const c = new Cluster({ voters: 3, bugs }).start();
  c.elect();
  const session = c.openSession(3, 100);
  c.autoPersist = false;
  create(c, 3, 1, session, "/unc");
  const isProposal = (m: InFlight, to: number): boolean =>
    m.to === to && m.msg.kind === "quorum" && m.msg.packet.type === "PROPOSAL";
  c.deliver((m) => isProposal(m, 1));
  c.inflight = c.inflight.filter((m) => !isProposal(m, 2));
  c.persist(1);
  c.crash(3);
  c.partition([1], [2, 3]);
  c.restart(3);
  c.autoPersist = true;
  c.runFor(3_000_000);
  c.heal();
  c.runFor(3_000_000);
  return c.observations;
}

describe("apply-before-commit", () => {
  it("with the bug, a follower delivers a proposal that is never committed", () => {
    const obs = proposalNeverCommitted(["apply-before-commit"]);
    expect(forks(obs).length + undoneDeliveries(obs)).toBeGreaterThan(0);
  });
  it("without it, nothing uncommitted is delivered", () => {
    const obs = proposalNeverCommitted([]);
    expect(forks(obs).length + undoneDeliveries(obs)).toBe(0);
  });
});

/** A follower misses commits while partitioned, then rejoins the same leader. */
function lagging(bugs: BugName[]): { gap: boolean; converged: boolean } {
  const c = new Cluster({ voters: 3, bugs }).start();
  c.elect();
  const session = c.openSession(3, 100);
  c.partition([1], [2, 3]);
  for (let i = 1; i <= 3; i++) create(c, 3, i, session, `/d${i}`);
  c.runFor(1_500_000);
  c.heal();
  c.runFor(3_000_000);
  create(c, 3, 9, session, "/after");
  c.runFor(100_000);
  const digests = new Set(c.ids.map((id) => c.replica(id).stateMachine.digest()));
  const delivered1 = c.observationsOf("deliver").filter((o) => o.node === 1).map((o) => o.zxid);
  const delivered3 = c.observationsOf("deliver").filter((o) => o.node === 3).map((o) => o.zxid);
  const gap = delivered3.some((z) => z <= Math.max(...delivered1) && !delivered1.includes(z));
  return { gap, converged: digests.size === 1 };
}

describe("stale-diff", () => {
  it("with the bug, the rejoining follower skips the commits it missed", () => {
    expect(lagging(["stale-diff"])).toEqual({ gap: true, converged: false });
  });
  it("without it, DIFF carries them and the trees converge", () => {
    expect(lagging([])).toEqual({ gap: false, converged: true });
  });
});
