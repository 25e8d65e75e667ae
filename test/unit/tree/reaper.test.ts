/**
 * The container/TTL reaper (ContainerManager.getCandidates) and deleteContainer prep: only
 * containers that once had a child, TTL nodes past mtime + ttl, never a node with children; a
 * deleteContainer that raced with a new child fails NOTEMPTY; Java HashSet order for the list.
 */
import { describe, expect, it } from "vitest";
import { SERVER_REQUEST_META, containerCandidates, prepRequest } from "../../../src/tree/index.js";
import { javaHashSetOrder, javaStringHash } from "../../../src/tree/java-hash.js";
import { Harness, create, createTtl, del, setData } from "./helpers.js";

function deleteContainer(h: Harness, path: string): string {
  const txn = prepRequest(h.ctx, SERVER_REQUEST_META, { type: "deleteContainer", path },
    h.nextZxid++, h.nowMs);
  return h.apply(txn).err;
}

describe("containerCandidates", () => {
  it("lists containers that had a child and have none, never the unused ones", () => {
    const h = new Harness();
    const s = h.openSession();
    h.writeAs(s, create("/used", "CONTAINER", "", undefined, "createContainer"));
    h.writeAs(s, create("/unused", "CONTAINER", "", undefined, "createContainer"));
    h.writeAs(s, create("/used/c"));
    expect(containerCandidates(h.tree, h.nowMs)).toEqual([]);
    h.writeAs(s, del("/used/c"));
    expect(containerCandidates(h.tree, h.nowMs)).toEqual(["/used"]);
    expect(containerCandidates(h.tree, h.nowMs + 10, { maxNeverUsedIntervalMs: 5 }).sort())
      .toEqual(["/unused", "/used"]);
    expect(deleteContainer(h, "/used")).toBe("OK");
    expect(h.tree.getNode("/used")).toBeUndefined();
  });

  it("lists TTL nodes once now - mtime exceeds the ttl, and only without children", () => {
    const h = new Harness();
    const s = h.openSession();
    h.writeAs(s, createTtl("/t", "PERSISTENT_WITH_TTL", 100));
    const mtime = h.tree.getNode("/t")?.mtime ?? 0;
    expect(containerCandidates(h.tree, mtime + 100)).toEqual([]);
    expect(containerCandidates(h.tree, mtime + 101)).toEqual(["/t"]);
    h.nowMs = mtime + 50;
    h.writeAs(s, setData("/t", "x")); // setData moves mtime
    expect(containerCandidates(h.tree, mtime + 101)).toEqual([]);
    h.writeAs(s, create("/t/c"));
    expect(containerCandidates(h.tree, mtime + 10_000)).toEqual([]);
  });

  it("deleteContainer fails NOTEMPTY if a child arrived, BADVERSION on an ephemeral", () => {
    const h = new Harness();
    const s = h.openSession();
    h.writeAs(s, create("/c", "CONTAINER", "", undefined, "createContainer"));
    h.writeAs(s, create("/c/x"));
    expect(deleteContainer(h, "/c")).toBe("NOTEMPTY");
    h.writeAs(s, create("/e", "EPHEMERAL"));
    expect(deleteContainer(h, "/e")).toBe("BADVERSION");
    expect(deleteContainer(h, "/")).toBe("BADARGUMENTS");
    expect(deleteContainer(h, "/none")).toBe("NONODE");
  });
});

describe("Java hash order", () => {
  it("String.hashCode matches Java's values", () => {
    // Values from the Java String.hashCode definition s[0]*31^(n-1) + ... (int arithmetic).
    expect(javaStringHash("")).toBe(0);
    expect(javaStringHash("a")).toBe(97);
    expect(javaStringHash("hello")).toBe(99162322);
    expect(javaStringHash("/zookeeper")).toBe(((): number => {
      let h = 0;
      for (const c of "/zookeeper") h = (h * 31 + c.charCodeAt(0)) | 0;
      return h;
    })());
  });

  it("orders by bucket (low bits of the spread hash), then insertion", () => {
    // "a" -> 97 -> bucket 1 of 16, "b" -> 98 -> bucket 2, "q" -> 113 -> bucket 1 too.
    expect(javaHashSetOrder(["b", "q", "a"])).toEqual(["q", "a", "b"]);
  });
});
