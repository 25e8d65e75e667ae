/**
 * Each server's znode tree over a run, rebuilt from the trace and the txns the run carried, so
 * the replay can show the tree on any server at any moment. The rebuild uses the real tree
 * (src/tree) and follows what the replica does: a delivery applies the txn; a TRUNC drops log
 * entries above its zxid; a restart recovers the last snapshot plus the logged txns up to the
 * zxid it reports; a SNAP installs the leader's snapshot. Every delivery and restore in the
 * trace carries the replica's own tree digest, and each rebuilt tree is checked against it: a
 * tree the replay cannot vouch for is shown as unverified, never passed off as the server's.
 */
import type { Snapshot } from "../../consensus/index.js";
import {
  DataTree, applyTxn, decodeSnapshot, restoreSnapshot,
} from "../../tree/index.js";
import type { Txn } from "../../tree/index.js";
import { hexOf } from "../../util/index.js";
import type { TraceLine } from "../timeline.js";
import type { Extras } from "./capture.js";

/** One znode as the page lists it: path, data as text (cut short), data version. */
export type ZnodeRow = readonly [path: string, data: string, version: number];

/** A server's whole tree from event `i` on; `verified` when its digest matched the replica's. */
export interface TreeState {
  readonly i: number;
  readonly node: number;
  readonly zxid: number;
  readonly rows: readonly ZnodeRow[];
  readonly verified: boolean;
}

const DATA_SHOWN_MAX = 40;
const decoder = new TextDecoder("utf-8", { fatal: false });

function rowsOf(tree: DataTree): ZnodeRow[] {
  const rows: ZnodeRow[] = [];
  for (const [path, node] of tree.entries()) {
    const text = node.data === null ? "" : decoder.decode(node.data);
    rows.push([path, text.length > DATA_SHOWN_MAX ? `${text.slice(0, DATA_SHOWN_MAX)}…` : text,
      node.version]);
  }
  return rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** What the rebuild keeps per server. */
interface Server {
  tree: DataTree;
  /** The last snapshot installed (the empty tree at first): recovery starts there. */
  base: Snapshot | null;
  /** Logged txns after the base, by zxid. */
  readonly log: Map<number, Txn>;
}

/** Rebuilds the trees; returns every server's state after each change, in trace order. */
export function rebuildTrees(lines: readonly TraceLine[], extras: Extras): TreeState[] {
  const servers = new Map<number, Server>();
  const out: TreeState[] = [];
  const serverOf = (node: number): Server => {
    let server = servers.get(node);
    if (server === undefined) {
      server = { tree: new DataTree(), base: null, log: new Map() };
      servers.set(node, server);
    }
    return server;
  };
  const txnOf = (fingerprint: unknown): Txn | undefined =>
    extras.book.entries.get(String(fingerprint))?.txn;
  const lastSnap = new Map<number, Snapshot>();
  for (const line of lines) {
    if (line.kind === "deliver") {
      const snap = extras.snaps.get(line["id"] as number);
      if (snap !== undefined) lastSnap.set(line["to"] as number, snap);
      const fingerprint = extras.proposals.get(line["id"] as number);
      const txn = fingerprint === undefined ? undefined : txnOf(fingerprint);
      if (txn !== undefined) serverOf(line["to"] as number).log.set(txn.header.zxid, txn);
      continue;
    }
    if (line.kind !== "observe") continue;
    const o = line["observation"] as Record<string, unknown>;
    const node = line["node"] as number;
    const changed = step(serverOf(node), o, txnOf, lastSnap.get(node));
    if (changed === undefined) continue;
    const server = serverOf(node);
    const zxid = server.tree.lastProcessedZxid;
    const verified = hexOf(server.tree.digest()) === changed;
    out.push({ i: line.i, node, zxid, rows: rowsOf(server.tree), verified });
  }
  return out;
}

/**
 * Applies one observation to a server; returns the replica's digest to check against when the
 * tree changed, undefined when it did not.
 */
function step(
  server: Server, o: Record<string, unknown>, txnOf: (fingerprint: unknown) => Txn | undefined,
  snap: Snapshot | undefined,
): string | undefined {
  switch (o["kind"]) {
    case "propose": {
      const txn = txnOf(o["txn"]);
      if (txn !== undefined) server.log.set(txn.header.zxid, txn);
      return undefined;
    }
    case "deliver": {
      // A txn the book lacks (a lone leader's proposal no one received) is skipped: the tree
      // goes on from there but no longer matches the replica's digest, so it shows unverified.
      const txn = txnOf(o["txn"]);
      if (txn === undefined) return String(o["digest"]);
      server.log.set(txn.header.zxid, txn);
      if (txn.header.zxid > server.tree.lastProcessedZxid) applyTxn(server.tree, txn);
      return String(o["digest"]);
    }
    case "truncate":
      for (const zxid of [...server.log.keys()]) {
        if (zxid > Number(o["zxid"])) server.log.delete(zxid);
      }
      return undefined;
    case "restore":
      restore(server, o["cause"] === "snap" ? snap : undefined, Number(o["zxid"]));
      return String(o["digest"]);
    default:
      return undefined;
  }
}

/** Rebuilds a server's tree: a SNAP's snapshot, or its base plus its log up to `zxid`. */
function restore(server: Server, snap: Snapshot | undefined, zxid: number): void {
  if (snap !== undefined) {
    server.base = snap;
    server.log.clear();
  }
  const base = server.base;
  server.tree = base === null ? new DataTree() : restoreSnapshot(decodeSnapshot(base.data));
  const zxids = [...server.log.keys()].sort((a, b) => a - b);
  for (const at of zxids) {
    const txn = server.log.get(at);
    if (txn === undefined || at <= server.tree.lastProcessedZxid) continue;
    if (at > zxid) server.log.delete(at);
    else applyTxn(server.tree, txn);
  }
}
