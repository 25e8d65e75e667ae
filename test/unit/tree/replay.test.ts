/**
 * Apply over a state that already holds a txn's effects (a replica replaying its log over a
 * newer snapshot) and the outstanding-change bookkeeping around leader changes. Expectations
 * from DataTree.processTxn (the NODEEXISTS fix-up through setCversionPzxid), DataTree.deleteNode
 * (pzxid raised even when the child is gone) and ZooKeeperServer.processTxn (records dropped up
 * to the applied zxid, a newer record for the same path kept).
 */
import { describe, expect, it } from "vitest";
import { DataTree, OPEN_ACL_UNSAFE, applyTxn } from "../../../src/tree/index.js";
import type { Txn } from "../../../src/tree/index.js";
import { Harness, create, setData } from "./helpers.js";

function createTxn(zxid: number, path: string, parentCVersion: number): Txn {
  return { header: { sessionId: 0, cxid: 0, zxid, timeMs: zxid, type: "create" },
    body: { type: "create", path, data: null, acl: OPEN_ACL_UNSAFE, ephemeral: false,
      parentCVersion } };
}

describe("replaying txns", () => {
  it("a create that finds its node raises the parent's cversion and pzxid, and says so", () => {
    const tree = new DataTree();
    expect(applyTxn(tree, createTxn(1, "/a", 1)).err).toBe("OK");
    const again = applyTxn(tree, createTxn(5, "/a", 3));
    expect(again.err).toBe("NODEEXISTS");
    expect(tree.getNode("/")?.cversion).toBe(3);
    expect(tree.getNode("/")?.pzxid).toBe(5);
    // A smaller cversion changes nothing.
    applyTxn(tree, createTxn(6, "/a", 2));
    expect(tree.getNode("/")?.pzxid).toBe(5);
    tree.checkInvariants();
  });

  it("a delete of a missing child still raises the parent's pzxid", () => {
    const tree = new DataTree();
    applyTxn(tree, createTxn(1, "/a", 1));
    const gone: Txn = { header: { sessionId: 0, cxid: 0, zxid: 9, timeMs: 9, type: "delete" },
      body: { type: "delete", path: "/a/none" } };
    expect(applyTxn(tree, gone).err).toBe("NONODE");
    expect(tree.getNode("/a")?.pzxid).toBe(9);
    expect(tree.lastProcessedZxid).toBe(9);
  });
});

describe("outstanding changes", () => {
  it("applying drops records up to the zxid but keeps a newer one for the same path", () => {
    const h = new Harness();
    const s = h.openSession();
    h.writeAs(s, create("/a"));
    const first = h.prep(s, setData("/a", "1"));
    const second = h.prep(s, setData("/a", "2"));
    expect(h.changes.size).toBe(2);
    h.apply(first);
    expect(h.changes.get("/a")?.zxid).toBe(second.header.zxid);
    h.apply(second);
    expect(h.changes.size).toBe(0);
    expect(h.changes.get("/a")).toBeUndefined();
  });

  it("a new leader starts from the committed tree (clear drops unapplied records)", () => {
    const h = new Harness();
    const s = h.openSession();
    const lost = h.prep(s, create("/gone"));
    expect(lost.body.type).toBe("create2");
    h.changes.clear();
    // The prepped-but-never-committed create is forgotten: the same path can be created again.
    const fresh = h.prep(s, create("/gone"));
    expect(fresh.body.type).toBe("create2");
    expect(h.apply(fresh).err).toBe("OK");
  });
});
