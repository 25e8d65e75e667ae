/**
 * The container/TTL reaper (ContainerManager.getCandidates) and deleteContainer prep: only
 * containers that once had a child, TTL nodes past mtime + ttl, never a node with children; a
 * deleteContainer that raced with a new child fails NOTEMPTY; Java HashSet order for the list.
 */
import { describe, expect, it } from "vitest";
import { SERVER_REQUEST_META, containerCandidates, prepRequest } from "../../../src/tree/index.js";
import {
  cloneCapacity, hashSetOrderAfter, javaHashSetOrder, javaStringHash,
} from "../../../src/tree/java-hash.js";
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

  // The expected orders below were printed by a JDK (java.util.HashSet, a ConcurrentHashMap
  // key set copied into a HashSet, and HashSet.clone() followed by adds and removes).
  const keys = ["/a/n190", "/e/n940", "/c/n838", "/a/n936", "/d/n881", "/c/n780", "/c/n192",
    "/e/n339", "/c/n270", "/e/n698", "/a/n283", "/b/n287", "/f/n395", "/f/n31", "/e/n481",
    "/d/n342", "/c/n588"];

  it("matches a JDK's HashSet and ConcurrentHashMap-copy iteration orders", () => {
    expect(javaHashSetOrder(keys)).toEqual(["/c/n780", "/a/n190", "/e/n339", "/c/n270",
      "/f/n395", "/e/n940", "/e/n698", "/a/n283", "/c/n192", "/d/n881", "/d/n342", "/c/n838",
      "/b/n287", "/f/n31", "/a/n936", "/e/n481", "/c/n588"]);
    // The ConcurrentHashMap resize reversed /e/n940 and /e/n698 within their bin.
    expect(javaHashSetOrder(javaHashSetOrder(keys, "ConcurrentHashSet"), "HashSetCopy"))
      .toEqual(["/c/n780", "/a/n190", "/e/n339", "/c/n270", "/f/n395", "/e/n698", "/e/n940",
        "/a/n283", "/c/n192", "/d/n881", "/d/n342", "/c/n838", "/b/n287", "/f/n31", "/a/n936",
        "/e/n481", "/c/n588"]);
  });

  it("matches a JDK's order for a cloned set edited afterwards (closeSession)", () => {
    const source = hashSetOrderAfter(["/e132", "/e255", "/e113", "/e166", "/e373", "/e141"]
      .map((key) => ({ add: true, key })), 16);
    const ops = [...source.map((key) => ({ add: true, key })),
      { add: false, key: "/e227" }, { add: false, key: "/e266" }, { add: true, key: "/e439" },
      { add: true, key: "/e164" }, { add: false, key: "/e412" }, { add: false, key: "/e110" }];
    expect(hashSetOrderAfter(ops, cloneCapacity(source.length))).toEqual(["/e439", "/e255",
      "/e113", "/e373", "/e141", "/e164", "/e132", "/e166"]);
  });

  it("orders by bucket (low bits of the spread hash), then insertion", () => {
    // "a" -> 97 -> bucket 1 of 16, "b" -> 98 -> bucket 2, "q" -> 113 -> bucket 1 too.
    expect(javaHashSetOrder(["b", "q", "a"])).toEqual(["q", "a", "b"]);
  });
});
