/**
 * A first end-to-end pass over the tree: create, read back, update, delete, with stats checked
 * against the values ZooKeeper's rules give (DataTree.createStat, DataNode.copyStat).
 */
import { describe, expect, it } from "vitest";
import { Harness, create, del, setData, text } from "./helpers.js";

describe("tree smoke", () => {
  it("creates, reads, updates and deletes a node", () => {
    const h = new Harness();
    const s = h.openSession();
    const created = h.writeAs(s, create("/a", "PERSISTENT", "hi"));
    expect(created.err).toBe("OK");
    expect(created.zxid).toBe(2);
    expect(created.stat).toMatchObject({ czxid: 2, mzxid: 2, pzxid: 2, version: 0, dataLength: 2 });
    const read = h.read(s, { type: "getData", path: "/a", watch: false });
    expect(text(read.data)).toBe("hi");
    expect(h.writeAs(s, setData("/a", "bye", 0)).stat).toMatchObject({ version: 1, mzxid: 3 });
    expect(h.writeAs(s, setData("/a", "x", 0)).err).toBe("BADVERSION");
    expect(h.writeAs(s, del("/a")).err).toBe("OK");
    const root = h.read(s, { type: "getChildren2", path: "/", watch: false });
    expect(root.children).toEqual(["zookeeper"]);
    // Stored cversion 1 (one child created); "zookeeper" was never counted as a create, so
    // the reported value is 2 * 1 - 1 = 1 (a fresh server reports -1 for "/").
    expect(root.stat).toMatchObject({ pzxid: 5, cversion: 1, numChildren: 1 });
  });
});
