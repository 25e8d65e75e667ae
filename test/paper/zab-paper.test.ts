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
import type { Observation } from "../../src/observe/index.js";
import { Cluster } from "../helpers/cluster.js";

type Action =
  | { kind: "write"; server: number }
  | { kind: "crash"; server: number }
  | { kind: "restart"; server: number }
  | { kind: "partition"; side: number[] }
  | { kind: "heal" }
  | { kind: "wait"; micros: number };

const VOTERS = 3;
const server = fc.integer({ min: 1, max: VOTERS });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: server.map((s): Action => ({ kind: "write", server: s })) },
  { weight: 1, arbitrary: server.map((s): Action => ({ kind: "crash", server: s })) },
  { weight: 1, arbitrary: server.map((s): Action => ({ kind: "restart", server: s })) },
  { weight: 1, arbitrary: server.map((s): Action => ({ kind: "partition", side: [s] })) },
  { weight: 1, arbitrary: fc.constant<Action>({ kind: "heal" }) },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 10_000, max: 1_500_000 })
      .map((micros): Action => ({ kind: "wait", micros })),
  },
);

/** How long a healed ensemble may take to elect again: maxNotificationInterval and a margin. */
const SETTLE_MICROS_MAX = 65_000_000;

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
  // A LOOKING server re-sends its vote only when its poll timeout fires, and a long partition
  // doubles that timeout up to maxNotificationInterval (60 s, FastLeaderElection.lookForLeader),
  // so recovery may take that long; then a few ticks more for the last commits to spread.
  for (let t = 0; t < SETTLE_MICROS_MAX && !(c.leader() !== undefined && c.allUpToDate()); ) {
    c.runFor(500_000);
    t += 500_000;
  }
  c.runFor(4_000_000);
  return { c, obs: c.observations };
}

const schedule = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  actions: fc.array(action, { minLength: 5, maxLength: 40 }),
});
/**
 * Always tried first: a node cut off as leader comes back and is synced by SNAP to 2:1, above
 * everything it delivered, then delivers 2:2 (a history position is the restore's zxid then).
 */
const SNAP_ABOVE_DELIVERED: { seed: number; actions: Action[] } = {
  seed: 1,
  actions: [
    { kind: "partition", side: [3] }, { kind: "wait", micros: 477_506 },
    { kind: "write", server: 3 }, { kind: "wait", micros: 1_122_017 },
    { kind: "write", server: 1 }, { kind: "partition", side: [1] }, { kind: "write", server: 2 },
  ],
};
/** Always tried too: a long partition backs the election off past the old 4 s settling time. */
const SLOW_REELECTION: { seed: number; actions: Action[] } = {
  seed: 1,
  actions: [
    { kind: "partition", side: [1] }, { kind: "write", server: 2 },
    { kind: "wait", micros: 295_000 }, { kind: "partition", side: [2] },
    { kind: "wait", micros: 1_193_174 }, { kind: "write", server: 1 },
    { kind: "wait", micros: 1_687_232 }, { kind: "write", server: 1 },
    { kind: "wait", micros: 1_406_452 }, { kind: "write", server: 1 },
  ],
};
const RUNS = {
  numRuns: 12,
  examples: [[SNAP_ABOVE_DELIVERED], [SLOW_REELECTION]] as [typeof SNAP_ABOVE_DELIVERED][],
};

interface NodeHistory {
  base: number;
  delivered: { zxid: number; txn: string }[];
}

/** Replays deliver/restore/truncate per node; calls `onDeliver` with the state before each. */
type OnDeliver = (node: number, h: NodeHistory, zxid: number, txn: string) => void;

function replay(obs: readonly Observation[], onDeliver?: OnDeliver): Map<number, NodeHistory> {
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
      // A restore (restart or SNAP) puts the node at its zxid, above or below what it delivered;
      // a TRUNC only ever lowers it (a TRUNC point above the tree leaves the tree where it is).
      const h = get(o.node);
      h.base = o.kind === "restore" ? o.zxid : Math.min(lastOf(h), o.zxid);
      h.delivered = h.delivered.filter((d) => d.zxid <= h.base);
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

/** Where a node's history stands: its last delivery, or its restore or TRUNC point if later. */
function lastOf(h: NodeHistory): number {
  return Math.max(h.delivered[h.delivered.length - 1]?.zxid ?? 0, h.base);
}

interface Property {
  /** The sentence of the paper (or of ZooKeeper's guarantees) being checked. */
  readonly sentence: string;
  readonly name: string;
  readonly check: (run: { c: Cluster; obs: Observation[] }) => void;
}

const PROPERTIES: Property[] = [
  {
    sentence: "Integrity: if a process delivers a txn, some primary broadcast it",
    name: "every delivery matches a propose of the same zxid and txn",
    check: ({ obs }) => {
      const key = (o: { zxid: number; txn: string }): string => `${o.zxid}/${o.txn}`;
      const proposed = new Set(obs.flatMap((o) => (o.kind === "propose" ? [key(o)] : [])));
      for (const o of obs) if (o.kind === "deliver") expect(proposed.has(key(o))).toBe(true);
    },
  },
  {
    sentence: "Agreement: if f delivers a and f' delivers b, then f' delivers a or f delivers b",
    name: "no two nodes deliver different txns at one zxid",
    check: ({ obs }) => {
      const first = deliveredTxns(obs);
      for (const o of obs) if (o.kind === "deliver") expect(o.txn).toBe(first.get(o.zxid));
    },
  },
  {
    sentence: "Total order: if some process delivers a before b, " +
      "any process that delivers b delivers a before b",
    name: "each node's history is a gap-free prefix of the global order",
    check: ({ obs }) => {
      const global = [...deliveredTxns(obs).keys()].sort((a, b) => a - b);
      replay(obs, (_node, h, zxid) => {
        expect(zxid).toBeGreaterThan(lastOf(h));
        expect(global.filter((z) => z > lastOf(h) && z < zxid)).toEqual([]);
      });
    },
  },
  {
    sentence: "Local primary order: if a primary broadcasts a before b, " +
      "a process that delivers b delivers a before b",
    name: "within an epoch, deliveries follow counters without gaps",
    check: ({ obs }) => {
      replay(obs, (_node, h, zxid) => {
        const last = lastOf(h);
        if (epochOf(zxid) === epochOf(last)) expect(counterOf(zxid)).toBe(counterOf(last) + 1);
        else expect(counterOf(zxid)).toBe(1);
      });
    },
  },
  {
    sentence: "Global primary order: a process delivering a (epoch e) and b (epoch e' > e) " +
      "delivers a before b",
    name: "deliveries never go back to an older epoch",
    check: ({ obs }) => {
      replay(obs, (_node, h, zxid) => {
        expect(epochOf(zxid)).toBeGreaterThanOrEqual(epochOf(lastOf(h)));
      });
    },
  },
  {
    sentence: "Primary integrity: a primary of epoch e has delivered every txn of an earlier " +
      "epoch that anyone delivers",
    name: "each established leader's initial history covers older deliveries",
    check: ({ obs }) => {
      const delivered = [...deliveredTxns(obs).keys()];
      for (const o of obs) {
        if (o.kind !== "established") continue;
        for (const z of delivered.filter((x) => epochOf(x) < o.epoch)) {
          expect(z).toBeLessThanOrEqual(o.lastZxid);
        }
      }
    },
  },
  {
    sentence: "Leadership (Zab.tla Leadership2): at most one established leader per epoch",
    name: "established epochs are distinct",
    check: ({ obs }) => {
      const epochs = obs.flatMap((o) => (o.kind === "established" ? [o.epoch] : []));
      expect(new Set(epochs).size).toBe(epochs.length);
    },
  },
  {
    sentence: "ZooKeeper reliability: an update a client was told succeeded is never rolled back",
    name: "every OK write is delivered by every replica after the heal",
    check: ({ c }) => {
      const nodes = replay(c.observations);
      for (const reply of c.replies) {
        if (reply.result.err !== "OK" || reply.result.txn === undefined) continue;
        for (const [node, h] of nodes) {
          if (reply.result.zxid <= h.base) continue; // inside a restored snapshot
          const has = h.delivered.some((d) => d.zxid === reply.result.zxid);
          expect(has, `node ${node} lacks 0x${reply.result.zxid.toString(16)}`).toBe(true);
        }
      }
    },
  },
  {
    sentence: "Liveness after heal: with a quorum up and connected, a leader is established " +
      "and all replicas converge",
    name: "every replica serves with the same tree",
    check: ({ c }) => {
      expect(c.allUpToDate()).toBe(true);
      const trees = c.ids.map((id) => c.replica(id).stateMachine);
      const digests = new Set(trees.map((t) => `${t.lastProcessedZxid}:${t.digest()}`));
      expect(digests.size).toBe(1);
    },
  },
];

for (const property of PROPERTIES) {
  describe(property.sentence, () => {
    test.prop([schedule], RUNS)(property.name, ({ seed, actions }) => {
      property.check(runSchedule(seed, actions));
    });
  });
}
