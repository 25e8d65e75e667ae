/**
 * The tree digest against ZooKeeper's own: the expected values were printed by ZooKeeper
 * 3.8.0's DataTree.getTreeDigest() after processTxn of the same txns (run on a JDK with the
 * zookeeper-3.8.0 jar), covering the fresh tree, a plain node, an ephemeral, a container, a TTL
 * node with a non-ASCII name, setData, delete and setData on the root.
 */
import { describe, expect, it } from "vitest";
import { DataTree, OPEN_ACL_UNSAFE, applyTxn, utf8Bytes } from "../../../src/tree/index.js";
import type { TxnBody } from "../../../src/tree/index.js";

describe("tree digest", () => {
  it("equals ZooKeeper 3.8.0's DataTree digest after the same txns", () => {
    const tree = new DataTree();
    const sessionId = 0x1234567890;
    const apply = (zxid: number, timeMs: number, body: TxnBody): void => {
      applyTxn(tree, { header: { sessionId, cxid: zxid, zxid, timeMs, type: body.type }, body });
    };
    expect(tree.digest()).toBe(1371985504);
    apply(1, 1000, { type: "create", path: "/a", data: utf8Bytes("hi"), acl: OPEN_ACL_UNSAFE,
      ephemeral: false, parentCVersion: 1 });
    expect(tree.digest()).toBe(4301487204);
    apply(2, 2000, { type: "create", path: "/a/e", data: null, acl: OPEN_ACL_UNSAFE,
      ephemeral: true, parentCVersion: 1 });
    apply(3, 3000, { type: "createContainer", path: "/c", data: new Uint8Array(0),
      acl: OPEN_ACL_UNSAFE, parentCVersion: 2 });
    apply(4, 4000, { type: "createTTL", path: "/t\u00e9", data: new Uint8Array([1, 2, 3]),
      acl: OPEN_ACL_UNSAFE, parentCVersion: 3, ttl: 5000 });
    expect(tree.digest()).toBe(13191984181);
    apply(5, 5000, { type: "setData", path: "/a", data: utf8Bytes("bye"), version: 1 });
    apply(6, 6000, { type: "delete", path: "/a/e" });
    apply(7, 7000, { type: "setData", path: "/", data: utf8Bytes("r"), version: 1 });
    expect(tree.digest()).toBe(11833051885);
    tree.checkInvariants();
  });
});

describe("crc32", () => {
  it("agrees with node:zlib's crc32 on assorted lengths and chained updates", async () => {
    const { crc32 } = await import("node:zlib");
    const { crc32Update } = await import("../../../src/tree/digest.js");
    for (let length = 0; length < 70; length++) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 37 + length * 11) & 0xff);
      expect(crc32Update(0, bytes)).toBe(crc32(bytes));
      const cut = Math.floor(length / 3);
      expect(crc32Update(crc32Update(0, bytes.subarray(0, cut)), bytes.subarray(cut)))
        .toBe(crc32(bytes));
    }
  });
});
