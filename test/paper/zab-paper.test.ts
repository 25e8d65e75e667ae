/**
 * One describe per property of the Zab paper (Junqueira, Reed, Serafini, DSN 2011, as formalised
 * in ZooKeeper's zookeeper-specifications/protocol-spec) and per ZooKeeper guarantee the replicas
 * must keep. Each property is checked directly on the observations of seeded harness runs
 * (test/helpers/cluster.ts) with fault schedules drawn by fast-check: crashes, restarts,
 * partitions and heals between client writes. The checks here are written independently of
 * src/check, so a mistake in one is not hidden by the same mistake in the other.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { counterOf, epochOf } from "../../src/util/index.js";
import type { Observation } from "../../src/consensus/index.js";
import { Cluster } from "../helpers/cluster.js";

type Action =
  | { kind: "write"; server: number }
  | { kind: "crash"; server: number }
  | { kind: "restart"; server: number }
  | { kind: "partition"; side: number[] }
  | { kind: "heal" }
  | { kind: "wait"; micros: number };

const VOTERS = 3;
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: VOTERS }).map((server): Action => ({ kind: "write", server })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: VOTERS }).map((server): Action => ({ kind: "crash", server })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: VOTERS }).map((server): Action => ({ kind: "restart", server })) },
  {
    weight: 1,
    arbitrary: fc.subarray([1, 2, 3], { minLength: 1, maxLength: 1 }).map((side): Action => ({ kind: "partition", side })),
  },
  { weight: 1, arbitrary: fc.constant<Action>({ kind: "heal" }) },
  { weight: 3, arbitrary: fc.integer({ min: 10_000, max: 1_500_000 }).map((micros): Action => ({ kind: "wait", micros })) },
);

/** Runs a schedule on a fresh 3-voter ensemble, then heals and settles; returns observations. */
function runSchedule(seed: number, actions: readonly Action[]): { c: Cluster; obs: Observation[] } {
  const c = new Cluster({ voters: VOTERS, seed }).start();
  c.elect();
  const sessions = new Map<number, number>();
  for (let s = 1; s <= VOTERS; s++) sessions.set(s, c.openSession(s, 100 + s, 0));
  let requestId = 1;
  for (const a of actions) {
    if (a.kind === "write") {
      const data = new TextEncoder().encode(`w${requestId}`);
      c.request(a.server, 100 + a.server, requestId, {
        type: "setData", path: "/", data, version: -1,
      }, sessions.get(a.server) ?? 0);
      requestId += 1;
      c.runFor(5_000);
    } else if (a.kind === "crash") {
      if (c.down.size === 0) c.crash(a.server);
    } else if (a.kind === "restart") {
      if (c.down.has(a.server as never)) c.restart(a.server);
    } else if (a.kind === "partition") {
      c.partition(a.side, [1, 2, 3].filter((id) => !a.side.includes(id)));
    } else if (a.kind === "heal") {
      c.heal();
    } else {
      c.runFor(a.micros);
    }
  }
  c.heal();
  for (const id of [...c.down]) c.restart(id);
  c.runFor(4_000_000);
  return { c, obs: c.observations };
}

const schedule = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  actions: fc.array(action, { minLength: 5, maxLength: 40 }),
});
const RUNS = { numRuns: 12 };

interface NodeHistory {
  base: number;
  delivered: { zxid: number; txn: string }[];
}

/** Replays deliver/restore/truncate per node; calls `onDeliver` with the state before each. */
function replay(obs: readonly Observation[], onDeliver?: (node: number, h: NodeHistory, zxid: number, txn: string) => void): Map<number, NodeHistory> {
  const nodes = new Map<number, NodeHistory>();
  const get = (n: number): NodeHistory => {
    let h = nodes.get(n);
    if (h === undefined) nodes.set(n, (h = { base: 0, delivered: [] }));
    return h;
  };
  for (const o of obs) {
    if (o.kind === "deliver") {
      const h = get(o.node);
      onDeliver?.(o.node, h, o.zxid, o.txn);
      h.delivered.push({ zxid: o.zxid, txn: o.txn });
    } else if (o.kind === "restore" || o.kind === "truncate") {
      const h = get(o.node);
      h.delivered = h.delivered.filter((d) => d.zxid <= o.zxid);
      h.base = o.zxid;
    }
  }
  return nodes;
}

/** Every txn delivered anywhere, by zxid (first seen). */
function deliveredTxns(obs: readonly Observation[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const o of obs) if (o.kind === "deliver" && !out.has(o.zxid)) out.set(o.zxid, o.txn);
  return out;
}

describe("Integrity: if a process delivers a txn, some primary broadcast it", () => {
  test.prop([schedule], RUNS)("every delivery matches a propose of the same zxid and txn", ({ seed, actions }) => {
    const { obs } = runSchedule(seed, actions);
    const proposed = new Set(obs.filter((o) => o.kind === "propose").map((o) => `${o.zxid}/${o.txn}`));
    for (const o of obs) if (o.kind === "deliver") expect(proposed.has(`${o.zxid}/${o.txn}`)).toBe(true);
  });
});

describe("Agreement: if f delivers a and f' delivers b, then f' delivers a or f delivers b", () => {
  test.prop([schedule], RUNS)("no two nodes deliver different txns at one zxid", ({ seed, actions }) => {
    const { obs } = runSchedule(seed, actions);
    const first = deliveredTxns(obs);
    for (const o of obs) if (o.kind === "deliver") expect(o.txn).toBe(first.get(o.zxid));
  });
});

describe("Total order: if some process delivers a before b, any process that delivers b delivers a before b", () => {
  test.prop([schedule], RUNS)("each node's history is a gap-free prefix of the global order", ({ seed, actions }) => {
    const { obs } = runSchedule(seed, actions);
    const global = [...deliveredTxns(obs).keys()].sort((a, b) => a - b);
    replay(obs, (_node, h, zxid) => {
      const last = h.delivered[h.delivered.length - 1]?.zxid ?? h.base;
      expect(zxid).toBeGreaterThan(last);
      const skipped = global.filter((z) => z > last && z < zxid);
      expect(skipped).toEqual([]);
    });
  });
});

describe("Local primary order: if a primary broadcasts a before b, a process that delivers b delivers a before b", () => {
  test.prop([schedule], RUNS)("within an epoch, deliveries follow counters without gaps", ({ seed, actions }) => {
    const { obs } = runSchedule(seed, actions);
    replay(obs, (_node, h, zxid) => {
      const last = h.delivered[h.delivered.length - 1]?.zxid ?? h.base;
      if (epochOf(zxid) === epochOf(last)) expect(counterOf(zxid)).toBe(counterOf(last) + 1);
      else expect(counterOf(zxid)).toBe(1);
    });
  });
});

describe("Global primary order: a process delivering a (epoch e) and b (epoch e' > e) delivers a before b", () => {
  test.prop([schedule], RUNS)("deliveries never go back to an older epoch", ({ seed, actions }) => {
    const { obs } = runSchedule(seed, actions);
    replay(obs, (_node, h, zxid) => {
      const last = h.delivered[h.delivered.length - 1]?.zxid ?? h.base;
      expect(epochOf(zxid)).toBeGreaterThanOrEqual(epochOf(last));
    });
  });
});

describe("Primary integrity: a primary of epoch e has delivered every txn of an earlier epoch that anyone delivers", () => {
  test.prop([schedule], RUNS)("each established leader's initial history covers older deliveries", ({ seed, actions }) => {
    const { obs } = runSchedule(seed, actions);
    const delivered = [...deliveredTxns(obs).keys()];
    for (const o of obs) {
      if (o.kind !== "established") continue;
      const older = delivered.filter((z) => epochOf(z) < o.epoch);
      for (const z of older) expect(z).toBeLessThanOrEqual(o.lastZxid);
    }
  });
});

describe("Leadership (Zab.tla Leadership2): at most one established leader per epoch", () => {
  test.prop([schedule], RUNS)("established epochs are distinct", ({ seed, actions }) => {
    const { obs } = runSchedule(seed, actions);
    const epochs = obs.filter((o) => o.kind === "established").map((o) => o.epoch);
    expect(new Set(epochs).size).toBe(epochs.length);
  });
});

describe("ZooKeeper reliability: an update a client was told succeeded is never rolled back", () => {
  test.prop([schedule], RUNS)("every OK write is delivered by every replica after the heal", ({ seed, actions }) => {
    const { c } = runSchedule(seed, actions);
    const nodes = replay(c.observations);
    const finalZxids = new Map<number, Set<number>>();
    for (const [node, h] of nodes) finalZxids.set(node, new Set(h.delivered.map((d) => d.zxid)));
    for (const reply of c.replies) {
      if (reply.result.err !== "OK" || reply.result.txn === undefined) continue;
      for (const [node, h] of nodes) {
        if (reply.result.zxid <= h.base) continue; // inside a restored snapshot
        expect(finalZxids.get(node)?.has(reply.result.zxid), `node ${node} lacks 0x${reply.result.zxid.toString(16)}`).toBe(true);
      }
    }
  });
});

describe("Liveness after heal: with a quorum up and connected, a leader is established and all replicas converge", () => {
  test.prop([schedule], RUNS)("every replica serves with the same tree", ({ seed, actions }) => {
    const { c } = runSchedule(seed, actions);
    expect(c.allUpToDate()).toBe(true);
    const digests = new Set(c.ids.map((id) => `${c.replica(id).tree.lastProcessedZxid}:${c.replica(id).tree.digest()}`));
    expect(digests.size).toBe(1);
  });
});
