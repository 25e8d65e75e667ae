/**
 * Watch semantics from WatchManager, WatcherModeManager and DataTree: one-shot delivery, which
 * ops fire which events, exists-watches on missing nodes, no watch left by a failed read, no
 * event from a failed write, no duplicate NodeDeleted, persistent and recursive watches, the
 * downgrade of a persistent watch by a standard one, setWatches on reconnect, and removal when
 * a session closes. Expectations follow the 3.8 source, not this implementation.
 */
import { describe, expect, it } from "vitest";
import type { ProcessTxnResult } from "../../../src/tree/index.js";
import { Harness, create, del, setData } from "./helpers.js";

function two(): { h: Harness; a: number; b: number } {
  const h = new Harness();
  return { h, a: h.openSession(), b: h.openSession() };
}

function seen(result: ProcessTxnResult): Array<[number, string, string]> {
  return result.events.map((e) => [e.sessionId, e.type, e.path]);
}

describe("standard watches", () => {
  it("fire once only", () => {
    const { h, a, b } = two();
    h.writeAs(a, create("/w"));
    h.read(b, { type: "getData", path: "/w", watch: true });
    h.read(b, { type: "getData", path: "/w", watch: true });
    const first = h.writeAs(a, setData("/w", "1"));
    expect(seen(first)).toEqual([[b, "NodeDataChanged", "/w"]]);
    expect(first.events[0]?.zxid).toBe(first.zxid);
    expect(seen(h.writeAs(a, setData("/w", "2")))).toEqual([]);
  });

  it("exists on a missing node arms a watch that fires NodeCreated", () => {
    const { h, a, b } = two();
    expect(h.read(b, { type: "exists", path: "/n", watch: true }).err).toBe("NONODE");
    const created = h.writeAs(a, create("/n"));
    expect(seen(created)).toEqual([[b, "NodeCreated", "/n"]]);
  });

  it("getData on a missing node leaves no watch", () => {
    const { h, a, b } = two();
    expect(h.read(b, { type: "getData", path: "/n", watch: true }).err).toBe("NONODE");
    expect(h.read(b, { type: "getChildren", path: "/n", watch: true }).err).toBe("NONODE");
    expect(seen(h.writeAs(a, create("/n")))).toEqual([]);
  });

  it("a failed write fires nothing and keeps the watch", () => {
    const { h, a, b } = two();
    h.writeAs(a, create("/w"));
    h.read(b, { type: "getData", path: "/w", watch: true });
    expect(seen(h.writeAs(a, setData("/w", "x", 7)))).toEqual([]);
    expect(seen(h.writeAs(a, create("/w")))).toEqual([]);
    expect(seen(h.writeAs(a, setData("/w", "x")))).toEqual([[b, "NodeDataChanged", "/w"]]);
  });

  it("create fires NodeCreated and the parent's NodeChildrenChanged; delete NodeDeleted", () => {
    const { h, a, b } = two();
    h.writeAs(a, create("/p"));
    h.read(b, { type: "getChildren", path: "/p", watch: true });
    h.read(b, { type: "exists", path: "/p/c", watch: true });
    expect(seen(h.writeAs(a, create("/p/c")))).toEqual([
      [b, "NodeCreated", "/p/c"], [b, "NodeChildrenChanged", "/p"],
    ]);
    h.read(b, { type: "getChildren", path: "/p", watch: true });
    h.read(b, { type: "getData", path: "/p/c", watch: true });
    expect(seen(h.writeAs(a, del("/p/c")))).toEqual([
      [b, "NodeDeleted", "/p/c"], [b, "NodeChildrenChanged", "/p"],
    ]);
  });

  it("a child of the root notifies watchers of \"/\"", () => {
    const { h, a, b } = two();
    h.read(b, { type: "getChildren", path: "/", watch: true });
    expect(seen(h.writeAs(a, create("/top")))).toEqual([[b, "NodeChildrenChanged", "/"]]);
  });

  it("delete tells a watcher with data and child watches on the node only once", () => {
    const { h, a, b } = two();
    h.writeAs(a, create("/d"));
    h.read(b, { type: "getData", path: "/d", watch: true });
    h.read(b, { type: "getChildren", path: "/d", watch: true });
    h.read(a, { type: "getChildren", path: "/d", watch: true });
    const deleted = h.writeAs(a, del("/d"));
    expect(seen(deleted)).toEqual([[b, "NodeDeleted", "/d"], [a, "NodeDeleted", "/d"]]);
    // b's child watch was consumed too (no second event later).
    h.writeAs(a, create("/d"));
    expect(seen(h.writeAs(a, create("/d/x")))).toEqual([]);
  });

  it("setACL fires nothing", () => {
    const { h, a, b } = two();
    h.writeAs(a, create("/s"));
    h.read(b, { type: "getData", path: "/s", watch: true });
    const acl = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
    expect(seen(h.writeAs(a, { type: "setACL", path: "/s", acl, version: -1 }))).toEqual([]);
  });
});

describe("persistent watches", () => {
  it("PERSISTENT stays, and gets data and child events for its own path only", () => {
    const { h, a, b } = two();
    h.read(b, { type: "addWatch", path: "/p", mode: "PERSISTENT" });
    expect(seen(h.writeAs(a, create("/p")))).toEqual([[b, "NodeCreated", "/p"]]);
    expect(seen(h.writeAs(a, setData("/p", "1")))).toEqual([[b, "NodeDataChanged", "/p"]]);
    expect(seen(h.writeAs(a, setData("/p", "2")))).toEqual([[b, "NodeDataChanged", "/p"]]);
    expect(seen(h.writeAs(a, create("/p/c")))).toEqual([[b, "NodeChildrenChanged", "/p"]]);
    expect(seen(h.writeAs(a, setData("/p/c", "x")))).toEqual([]);
  });

  it("PERSISTENT_RECURSIVE fires for descendants and never NodeChildrenChanged", () => {
    const { h, a, b } = two();
    h.read(b, { type: "addWatch", path: "/r", mode: "PERSISTENT_RECURSIVE" });
    expect(seen(h.writeAs(a, create("/r")))).toEqual([[b, "NodeCreated", "/r"]]);
    expect(seen(h.writeAs(a, create("/r/c")))).toEqual([[b, "NodeCreated", "/r/c"]]);
    expect(seen(h.writeAs(a, create("/r/c/d")))).toEqual([[b, "NodeCreated", "/r/c/d"]]);
    expect(seen(h.writeAs(a, del("/r/c/d")))).toEqual([[b, "NodeDeleted", "/r/c/d"]]);
    expect(seen(h.writeAs(a, create("/rx")))).toEqual([]);
  });

  it("a standard watch on the same path downgrades a persistent one", () => {
    const { h, a, b } = two();
    h.writeAs(a, create("/p"));
    h.read(b, { type: "addWatch", path: "/p", mode: "PERSISTENT" });
    h.read(b, { type: "getData", path: "/p", watch: true });
    expect(seen(h.writeAs(a, setData("/p", "1")))).toEqual([[b, "NodeDataChanged", "/p"]]);
    expect(seen(h.writeAs(a, setData("/p", "2")))).toEqual([]);
  });

  it("removeWatches removes; checkWatches reports NOWATCHER when absent", () => {
    const { h, a, b } = two();
    h.read(b, { type: "addWatch", path: "/p", mode: "PERSISTENT" });
    expect(h.read(b, { type: "checkWatches", path: "/p", watcherType: "Any" }).err).toBe("OK");
    expect(h.read(b, { type: "removeWatches", path: "/p", watcherType: "Any" }).err).toBe("OK");
    expect(h.read(b, { type: "checkWatches", path: "/p", watcherType: "Data" }).err)
      .toBe("NOWATCHER");
    expect(seen(h.writeAs(a, create("/p")))).toEqual([]);
  });
});

describe("sessions and reconnects", () => {
  it("closing a session drops its watches", () => {
    const { h, a, b } = two();
    h.writeAs(a, create("/w"));
    h.read(b, { type: "getData", path: "/w", watch: true });
    h.writeAs(b, { type: "closeSession" });
    expect(seen(h.writeAs(a, setData("/w", "x")))).toEqual([]);
  });

  it("setWatches fires what changed since relativeZxid and re-arms the rest", () => {
    const { h, a, b } = two();
    h.writeAs(a, create("/same")); // 3
    h.writeAs(a, create("/changed")); // 4
    const rel = h.tree.lastProcessedZxid;
    h.writeAs(a, setData("/changed", "x")); // 5
    h.writeAs(a, create("/born")); // 6
    h.writeAs(a, create("/same/kid")); // 7: /same pzxid 7 > rel
    const result = h.read(b, { type: "setWatches", relativeZxid: rel,
      dataWatches: ["/same", "/changed", "/gone"], existWatches: ["/born", "/unborn"],
      childWatches: ["/same", "/changed", "/gone"], persistentWatches: [],
      persistentRecursiveWatches: [] });
    expect(result.events?.map((e) => [e.type, e.path])).toEqual([
      ["NodeDataChanged", "/changed"], ["NodeDeleted", "/gone"], ["NodeCreated", "/born"],
      ["NodeChildrenChanged", "/same"], ["NodeDeleted", "/gone"],
    ]);
    // Re-armed: data watch on /same, exist watch on /unborn, child watch on /changed.
    expect(seen(h.writeAs(a, setData("/same", "y")))).toEqual([[b, "NodeDataChanged", "/same"]]);
    expect(seen(h.writeAs(a, create("/unborn")))).toEqual([[b, "NodeCreated", "/unborn"]]);
    expect(seen(h.writeAs(a, create("/changed/k"))))
      .toEqual([[b, "NodeChildrenChanged", "/changed"]]);
  });
});
