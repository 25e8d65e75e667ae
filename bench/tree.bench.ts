/**
 * Tree benchmarks: committed txns applied per wall-second for a create/setData/delete mix on
 * trees of 1k, 100k and 1M znodes (the apply path should cost the same whatever the tree's size:
 * hash-map lookups, an O(1) digest update, no JSON), the same with prep in front (a standalone
 * server's write path), and the heap one znode costs at 1M znodes with 100-byte values.
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import {
  DataTree, OPEN_ACL_UNSAFE, OutstandingChanges, SessionTracker, applyTxn, prepRequest,
} from "../src/tree/index.js";
import type { Txn, TxnBody, WriteRequest } from "../src/tree/index.js";
import { Prng } from "../src/util/index.js";
import type { Benchmark, BenchRow } from "./main.js";

const FANOUT = 1000;
const MIX_TXNS = 200_000;
const VALUE_BYTES = 100;

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

function value(): Uint8Array {
  return new Uint8Array(VALUE_BYTES).fill(0x61);
}

function txn(zxid: number, body: TxnBody): Txn {
  return { header: { sessionId: 0, cxid: 0, zxid, timeMs: zxid, type: body.type }, body };
}

/** A tree of `size` znodes: FANOUT parents under "/", children spread over them. */
function buildTree(size: number): { tree: DataTree; zxid: number; paths: string[] } {
  const tree = new DataTree();
  const paths: string[] = [];
  let zxid = 0;
  const parents = Math.min(FANOUT, size);
  for (let p = 0; p < parents; p++) {
    applyTxn(tree, txn(++zxid, { type: "create", path: `/p${p}`, data: value(),
      acl: OPEN_ACL_UNSAFE, ephemeral: false, parentCVersion: p + 1 }));
    if (size <= FANOUT) paths.push(`/p${p}`); // small trees: every node is a setData target
  }
  for (let i = parents; i < size; i++) {
    const path = `/p${i % parents}/n${i}`;
    applyTxn(tree, txn(++zxid, { type: "create", path, data: value(), acl: OPEN_ACL_UNSAFE,
      ephemeral: false, parentCVersion: -1 }));
    paths.push(path);
  }
  return { tree, zxid, paths };
}

/**
 * A mix of creates (30%), setData (40%) and deletes of earlier creates (30%), so the tree keeps
 * its size while the mix runs.
 */
function mixTxns(startZxid: number, paths: readonly string[], count: number): Txn[] {
  const prng = new Prng(7, "tree-bench");
  const created: string[] = [];
  const txns: Txn[] = [];
  let zxid = startZxid;
  for (let i = 0; i < count; i++) {
    const roll = prng.intBetween(0, 9);
    if (roll < 3 || (roll >= 7 && created.length === 0)) {
      const path = `/p${prng.intBetween(0, FANOUT - 1)}/m${i}`;
      created.push(path);
      txns.push(txn(++zxid, { type: "create", path, data: value(), acl: OPEN_ACL_UNSAFE,
        ephemeral: false, parentCVersion: -1 }));
    } else if (roll < 7) {
      const path = prng.pick(paths);
      txns.push(txn(++zxid, { type: "setData", path, data: value(), version: i }));
    } else {
      const index = prng.intBetween(0, created.length - 1);
      const path = created[index] ?? "/none";
      created[index] = created[created.length - 1] ?? path;
      created.pop();
      txns.push(txn(++zxid, { type: "delete", path }));
    }
  }
  return txns;
}

/** Rounds of the mix per tree: the machine may be shared, so the best and median are shown. */
const ROUNDS = 3;

function applyRate(size: number): BenchRow {
  const { tree, zxid, paths } = buildTree(size);
  const warm = mixTxns(zxid, paths, 20_000);
  for (const t of warm) applyTxn(tree, t);
  let next = zxid + warm.length;
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const txns = mixTxns(next, paths, MIX_TXNS);
    next += txns.length;
    const start = wallMs();
    for (const t of txns) applyTxn(tree, t);
    rates.push(Math.round(txns.length / ((wallMs() - start) / 1000)));
  }
  rates.sort((a, b) => a - b);
  return { znodes: tree.nodeCount, txnsPerRound: MIX_TXNS,
    bestTxnsPerSecond: rates[ROUNDS - 1] ?? 0, medianTxnsPerSecond: rates[1] ?? 0 };
}

/** Prep then apply, as a standalone server does, for the same mix as requests. */
function prepApplyRate(size: number): BenchRow {
  const { tree, zxid, paths } = buildTree(size);
  const changes = new OutstandingChanges();
  const sessions = new SessionTracker({ tickTimeMs: 2000, serverId: 1, nowMs: 0 });
  const sessionId = sessions.createSession(30_000, 0);
  const ctx = { tree, changes, sessions };
  const requests: WriteRequest[] = mixTxns(zxid, paths, MIX_TXNS).map((t): WriteRequest => {
    const b = t.body;
    if (b.type === "create") return { type: "create", path: b.path, data: b.data,
      acl: OPEN_ACL_UNSAFE, flags: 0 };
    if (b.type === "setData") return { type: "setData", path: b.path, data: b.data, version: -1 };
    return { type: "delete", path: b.type === "delete" ? b.path : "/none", version: -1 };
  });
  let next = zxid;
  const start = wallMs();
  for (const request of requests) {
    const t = prepRequest(ctx, { sessionId, cxid: 0, authInfo: [] }, request, ++next, next);
    applyTxn(tree, t, { changes, sessions });
  }
  const seconds = (wallMs() - start) / 1000;
  return { znodes: tree.nodeCount, requestsPerSecond: Math.round(requests.length / seconds) };
}

function memoryPerZnode(): BenchRow {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const { tree } = buildTree(1_000_000);
  gc();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const perZnode = (after - before) / tree.nodeCount;
  return { znodes: tree.nodeCount, valueBytes: VALUE_BYTES, bytesPerZnode: Math.round(perZnode) };
}

export const benchmarks: Benchmark[] = [
  { name: "tree/apply-mix-1k", run: () => applyRate(1_000) },
  { name: "tree/apply-mix-100k", run: () => applyRate(100_000) },
  { name: "tree/apply-mix-1m", run: () => applyRate(1_000_000) },
  { name: "tree/prep-apply-mix-100k", run: () => prepApplyRate(100_000) },
  { name: "tree/memory-1m-100B", run: memoryPerZnode },
];
