/**
 * Coverage marks: each rare branch of the tree is reached by a named scenario (markHit from
 * src/util), so a refactor that silently stops exercising one fails here. The scenarios are the
 * ZooKeeper situations that need those branches.
 */
import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE, applyTxn, DataTree } from "../../../src/tree/index.js";
import { markHit } from "../../../src/util/index.js";
import { Harness, create, doctored, setData } from "./helpers.js";

describe("coverage marks", () => {
  it("a failed multi restores the earlier pending record of its path", () => {
    const { hit } = markHit("tree: failed multi restores an earlier pending record", () => {
      const h = new Harness();
      const s = h.openSession();
      h.writeAs(s, create("/a"));
      h.prep(s, setData("/a", "pending"));
      h.prep(s, { type: "multi", ops: [setData("/a", "x") as never, create("/nope/x") as never] });
      expect(h.changes.get("/a")?.data).toEqual(new TextEncoder().encode("pending"));
    });
    expect(hit).toBe(true);
  });

  it("a replayed create finds its node", () => {
    const { hit } = markHit("tree: replayed create finds its node", () => {
      const tree = new DataTree();
      const txn = { header: { sessionId: 0, cxid: 0, zxid: 1, timeMs: 0, type: "create" as const },
        body: { type: "create" as const, path: "/a", data: null, acl: OPEN_ACL_UNSAFE,
          ephemeral: false, parentCVersion: 1 } };
      applyTxn(tree, txn);
      applyTxn(tree, txn);
    });
    expect(hit).toBe(true);
  });

  it("closeSession sees an ephemeral still being created", () => {
    const { hit } = markHit("tree: closeSession sees a pending ephemeral", () => {
      const h = new Harness();
      const s = h.openSession();
      h.prep(s, create("/e", "EPHEMERAL"));
      h.prep(s, { type: "closeSession" });
    });
    expect(hit).toBe(true);
  });

  it("closeSession deletes the session's ephemerals", () => {
    const { hit } = markHit("tree: closeSession deletes ephemerals", () => {
      const h = new Harness();
      const s = h.openSession();
      h.writeAs(s, create("/e", "EPHEMERAL"));
      h.writeAs(s, { type: "closeSession" });
      expect(h.tree.getNode("/e")).toBeUndefined();
    });
    expect(hit).toBe(true);
  });

  it("closeSession of a session without ephemerals does not reach that mark", () => {
    const { hit } = markHit("tree: closeSession deletes ephemerals", () => {
      const h = new Harness();
      h.writeAs(h.openSession(), { type: "closeSession" });
    });
    expect(hit).toBe(false);
  });

  it("a sequential name comes from a wrapped cversion", () => {
    const { hit } = markHit("tree: sequential name from a wrapped cversion", () => {
      const h = new Harness();
      const s = h.openSession();
      h.writeAs(s, create("/p"));
      const h2 = doctored(h, (n) => (n.path === "/p" ? { ...n, cversion: -5 } : n));
      const s2 = h2.openSession();
      expect(h2.writeAs(s2, create("/p/n", "PERSISTENT_SEQUENTIAL")).path).toBe("/p/n-000000005");
    });
    expect(hit).toBe(true);
  });

  it("a standard watch replaces a persistent one", () => {
    const { hit } = markHit("tree: standard watch replaces a persistent one", () => {
      const h = new Harness();
      const s = h.openSession();
      h.read(s, { type: "addWatch", path: "/w", mode: "PERSISTENT" });
      h.read(s, { type: "exists", path: "/w", watch: true });
    });
    expect(hit).toBe(true);
  });
});
