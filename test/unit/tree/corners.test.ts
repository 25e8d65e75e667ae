/**
 * Table tests for ZooKeeper's surprising corners, each expectation derived by hand from the 3.8
 * source (PrepRequestProcessor, DataTree, DataNode.copyStat, FinalRequestProcessor) rather than
 * from this implementation's output. Zxids count from 1: the harness's session takes zxid 1.
 */
import { describe, expect, it } from "vitest";
import { Harness, check, create, createTtl, del, doctored, setData } from "./helpers.js";

function fresh(): { h: Harness; s: number } {
  const h = new Harness();
  return { h, s: h.openSession() };
}

describe("sequential names", () => {
  it("count child creations, not current children, and skip failed creates", () => {
    const { h, s } = fresh();
    h.writeAs(s, create("/p"));
    expect(h.writeAs(s, create("/p/s-", "PERSISTENT_SEQUENTIAL")).path).toBe("/p/s-0000000000");
    expect(h.writeAs(s, create("/p/s-", "PERSISTENT_SEQUENTIAL")).path).toBe("/p/s-0000000001");
    expect(h.writeAs(s, del("/p/s-0000000001")).err).toBe("OK");
    expect(h.writeAs(s, create("/p/x")).err).toBe("OK");
    expect(h.writeAs(s, create("/p/x")).err).toBe("NODEEXISTS");
    // Creates so far: s-0, s-1, x -> stored cversion 3.
    expect(h.writeAs(s, create("/p/s-", "PERSISTENT_SEQUENTIAL")).path).toBe("/p/s-0000000003");
  });

  it("are not consumed by a failed multi, even while its records are outstanding", () => {
    const { h, s } = fresh();
    h.writeAs(s, create("/p"));
    const failed = h.prep(s, { type: "multi", ops: [
      create("/p/q-", "PERSISTENT_SEQUENTIAL", "", undefined, "create"),
      create("/missing/x", "PERSISTENT", "", undefined, "create"),
    ] });
    const next = h.prep(s, create("/p/q-", "PERSISTENT_SEQUENTIAL"));
    expect(h.apply(failed).err).toBe("NONODE");
    expect(h.apply(next).path).toBe("/p/q-0000000000");
  });

  it("after the int wraps, a pipelined create gets %010d of the negative cversion", () => {
    // Prep computes parentCVersion + 1 = MIN_VALUE as a Java int; DataTree.createNode only
    // raises a cversion that grows, so once applied the parent stays at MAX_VALUE and the next
    // unpipelined sequential create reuses the name (NODEEXISTS). A create prepped while the
    // first is still outstanding sees the pending MIN_VALUE instead.
    const { h, s } = fresh();
    h.writeAs(s, create("/p"));
    const h2 = doctored(h, (n) => (n.path === "/p" ? { ...n, cversion: 2147483647 } : n));
    const s2 = h2.openSession();
    const first = h2.prep(s2, create("/p/n", "PERSISTENT_SEQUENTIAL"));
    const pipelined = h2.prep(s2, create("/p/n", "PERSISTENT_SEQUENTIAL"));
    expect(h2.apply(first).path).toBe("/p/n2147483647");
    expect(h2.apply(pipelined).path).toBe("/p/n-2147483648");
    expect(h2.tree.getNode("/p")?.cversion).toBe(2147483647);
    expect(h2.writeAs(s2, create("/p/n", "PERSISTENT_SEQUENTIAL")).err).toBe("NODEEXISTS");
  });
});

describe("parent stat on child changes", () => {
  it("delete raises pzxid, leaves stored cversion; reported cversion counts both", () => {
    const { h, s } = fresh();
    h.writeAs(s, create("/p")); // zxid 2
    h.writeAs(s, create("/p/a")); // zxid 3
    h.writeAs(s, setData("/p/a", "x")); // zxid 4: no effect on the parent
    h.writeAs(s, del("/p/a")); // zxid 5
    const stat = h.read(s, { type: "exists", path: "/p", watch: false }).stat;
    expect(stat).toMatchObject({ czxid: 2, mzxid: 2, pzxid: 5, cversion: 2, numChildren: 0 });
    h.writeAs(s, create("/p/b")); // zxid 6: stored cversion 2, one child -> reported 3
    expect(h.read(s, { type: "exists", path: "/p", watch: false }).stat)
      .toMatchObject({ pzxid: 6, cversion: 3, numChildren: 1, version: 0 });
  });

  it("a fresh root reports cversion -1 (its child was never counted as a create)", () => {
    const { h, s } = fresh();
    const root = h.read(s, { type: "getChildren2", path: "/", watch: false });
    expect(root.children).toEqual(["zookeeper"]);
    expect(root.stat).toMatchObject({ cversion: -1, numChildren: 1, pzxid: 0, dataLength: 0 });
  });
});

describe("versions", () => {
  it("-1 matches any version for setData and delete; a wrong one is BADVERSION", () => {
    const { h, s } = fresh();
    h.writeAs(s, create("/v"));
    expect(h.writeAs(s, setData("/v", "a", -1)).stat?.version).toBe(1);
    expect(h.writeAs(s, setData("/v", "b", 0)).err).toBe("BADVERSION");
    expect(h.writeAs(s, setData("/v", "b", 1)).stat?.version).toBe(2);
    expect(h.writeAs(s, del("/v", 1)).err).toBe("BADVERSION");
    expect(h.writeAs(s, del("/v", -1)).err).toBe("OK");
  });

  it("wrap as a Java int: MAX -> MIN, and -2 -> -1 (3.8 has no skip)", () => {
    const { h, s } = fresh();
    h.writeAs(s, create("/v"));
    h.writeAs(s, create("/w"));
    const h2 = doctored(h, (n) => (n.path === "/v" ? { ...n, version: 2147483647 }
      : n.path === "/w" ? { ...n, version: -2 } : n));
    const s2 = h2.openSession();
    expect(h2.writeAs(s2, setData("/v", "x", 2147483647)).stat?.version).toBe(-2147483648);
    expect(h2.writeAs(s2, setData("/w", "x", -2)).stat?.version).toBe(-1);
  });
});

describe("every write takes a zxid", () => {
  it("failed writes are error txns with their own zxid; reads take none", () => {
    const { h, s } = fresh();
    const failed = h.writeAs(s, setData("/nope", "x"));
    expect(failed).toMatchObject({ type: "error", err: "NONODE", zxid: 2 });
    h.read(s, { type: "getData", path: "/", watch: false });
    expect(h.writeAs(s, create("/a")).zxid).toBe(3);
    expect(h.tree.lastProcessedZxid).toBe(3);
  });
});

describe("multi", () => {
  it("reports OK before the failure, its code, then RUNTIMEINCONSISTENCY; applies nothing", () => {
    const { h, s } = fresh();
    h.writeAs(s, create("/x"));
    const digest = h.tree.digest();
    const result = h.writeAs(s, { type: "multi", ops: [
      create("/m", "PERSISTENT", "", undefined, "create"),
      setData("/nope", "d") as never,
      del("/x") as never,
    ] });
    expect(result.type).toBe("multi");
    expect(result.zxid).toBe(3);
    expect(result.err).toBe("NONODE");
    expect(result.multiResult).toEqual([
      { type: "error", err: "OK" },
      { type: "error", err: "NONODE" },
      { type: "error", err: "RUNTIMEINCONSISTENCY" },
    ]);
    expect(h.tree.getNode("/m")).toBeUndefined();
    expect(h.tree.getNode("/x")).toBeDefined();
    expect(h.tree.digest()).toBe(digest);
  });

  it("sees its own earlier ops, and a success reports each op's result", () => {
    const { h, s } = fresh();
    const result = h.writeAs(s, { type: "multi", ops: [
      create("/m", "PERSISTENT", "", undefined, "create"),
      create("/m/c", "CONTAINER", "", undefined, "createContainer"),
      setData("/m", "z", 0) as never,
      check("/m", 1) as never,
      del("/m/c") as never,
    ] });
    expect(result.err).toBe("OK");
    const ops = result.multiResult ?? [];
    expect(ops.map((r) => [r.type, r.err, r.path])).toEqual([
      ["create", "OK", "/m"], ["createContainer", "OK", "/m/c"], ["setData", "OK", "/m"],
      ["check", "OK", "/m"], ["delete", "OK", "/m/c"],
    ]);
    expect(ops[0]?.stat).toBeUndefined();
    expect(ops[1]?.stat).toMatchObject({ czxid: 2, ephemeralOwner: 0 });
    expect(ops[2]?.stat).toMatchObject({ version: 1, mzxid: 2, numChildren: 1 });
  });

  it("a failed check fails the whole multi", () => {
    const { h, s } = fresh();
    h.writeAs(s, create("/c"));
    const result = h.writeAs(s, { type: "multi", ops: [
      check("/c", 5) as never, create("/d", "PERSISTENT", "", undefined, "create"),
    ] });
    expect(result.err).toBe("BADVERSION");
    expect(result.multiResult?.map((r) => r.err)).toEqual(["BADVERSION", "RUNTIMEINCONSISTENCY"]);
    expect(h.tree.getNode("/d")).toBeUndefined();
  });
});

describe("check order", () => {
  const cases: Array<[string, Parameters<typeof create>, string]> = [
    ["bad sequential name under a missing parent is NONODE first",
      ["/missing/\u0001", "PERSISTENT_SEQUENTIAL"], "NONODE"],
    ["trailing slash under a missing parent is NONODE", ["/missing/"], "NONODE"],
    ["trailing slash under an existing parent is BADARGUMENTS", ["/p/"], "BADARGUMENTS"],
    ["a sequential trailing slash is a fine name", ["/p/", "PERSISTENT_SEQUENTIAL"], "OK"],
    ["no slash at all is BADARGUMENTS", ["p"], "BADARGUMENTS"],
    ["a '.' segment is BADARGUMENTS", ["/p/."], "BADARGUMENTS"],
    ["an empty ACL is INVALIDACL before the missing parent", ["/missing/x", "PERSISTENT", "",
      []], "INVALIDACL"],
    ["a child of an ephemeral is NOCHILDRENFOREPHEMERALS", ["/e/c"], "NOCHILDRENFOREPHEMERALS"],
    ["an existing node is NODEEXISTS", ["/p"], "NODEEXISTS"],
  ];
  for (const [name, args, code] of cases) {
    it(`create: ${name}`, () => {
      const { h, s } = fresh();
      h.writeAs(s, create("/p"));
      h.writeAs(s, create("/e", "EPHEMERAL"));
      const digest = h.tree.digest();
      const result = h.writeAs(s, create(...args));
      expect(result.err).toBe(code);
      if (code !== "OK") expect(h.tree.digest()).toBe(digest);
    });
  }

  it("create: an unknown mode flag is BADARGUMENTS even for an unknown session", () => {
    const h = new Harness();
    const result = h.writeAs(12345, { ...create("/x"), flags: 7 });
    expect(result.err).toBe("BADARGUMENTS");
    expect(h.writeAs(12345, create("/x")).err).toBe("UNKNOWNSESSION");
    expect(h.writeAs(12345, create("/x", "EPHEMERAL")).err).toBe("SESSIONEXPIRED");
  });

  it("delete: special paths are BADARGUMENTS, no validatePath, NOTEMPTY after version", () => {
    const { h, s } = fresh();
    h.writeAs(s, create("/p"));
    h.writeAs(s, create("/p/c"));
    expect(h.writeAs(s, del("/")).err).toBe("BADARGUMENTS");
    expect(h.writeAs(s, del("/zookeeper")).err).toBe("BADARGUMENTS");
    expect(h.writeAs(s, del("/zookeeper/config")).err).toBe("BADARGUMENTS");
    expect(h.writeAs(s, del("")).err).toBe("BADARGUMENTS");
    expect(h.writeAs(s, del("/p//c")).err).toBe("NONODE");
    expect(h.writeAs(s, del("/p/")).err).toBe("NONODE");
    expect(h.writeAs(s, del("/p", 3)).err).toBe("BADVERSION");
    expect(h.writeAs(s, del("/p", 0)).err).toBe("NOTEMPTY");
  });

  it("setData validates the path before looking it up", () => {
    const { h, s } = fresh();
    expect(h.writeAs(s, setData("/a/", "x")).err).toBe("BADARGUMENTS");
    expect(h.writeAs(s, setData("/a", "x")).err).toBe("NONODE");
  });

  it("setACL: INVALIDACL comes before NONODE", () => {
    const { h, s } = fresh();
    const bad = { type: "setACL", path: "/none", acl: [], version: -1 } as const;
    expect(h.writeAs(s, bad).err).toBe("INVALIDACL");
    const good = { ...bad, acl: [{ perms: 31, id: { scheme: "world", id: "anyone" } }] };
    expect(h.writeAs(s, good).err).toBe("NONODE");
  });

  it("TTL: range and mode checks give BADARGUMENTS; a ttl on a plain mode too", () => {
    const { h, s } = fresh();
    expect(h.writeAs(s, createTtl("/t", "PERSISTENT_WITH_TTL", 0)).err).toBe("BADARGUMENTS");
    expect(h.writeAs(s, createTtl("/t", "PERSISTENT_WITH_TTL", 2 ** 40)).err)
      .toBe("BADARGUMENTS");
    expect(h.writeAs(s, createTtl("/t", "PERSISTENT", 100)).err).toBe("BADARGUMENTS");
    expect(h.writeAs(s, create("/t", "PERSISTENT_WITH_TTL")).err).toBe("BADARGUMENTS");
    const ok = h.writeAs(s, createTtl("/t", "PERSISTENT_WITH_TTL", 2 ** 40 - 1));
    expect(ok.stat).toMatchObject({ ephemeralOwner: 0, czxid: 6 });
  });
});

describe("ephemerals", () => {
  it("report their owner; containers and TTL nodes report 0", () => {
    const { h, s } = fresh();
    expect(h.writeAs(s, create("/e", "EPHEMERAL")).stat?.ephemeralOwner).toBe(s);
    expect(h.writeAs(s, create("/c", "CONTAINER", "", undefined, "createContainer")).stat
      ?.ephemeralOwner).toBe(0);
  });

  it("closeSession deletes them in one txn, raising parent pzxid and firing events", () => {
    const h = new Harness();
    const a = h.openSession(); // zxid 1
    const b = h.openSession(); // zxid 2
    h.writeAs(a, create("/p")); // 3
    h.writeAs(a, create("/p/e1", "EPHEMERAL")); // 4
    h.writeAs(a, create("/e2", "EPHEMERAL_SEQUENTIAL")); // 5
    h.read(b, { type: "getChildren", path: "/p", watch: true });
    h.read(b, { type: "exists", path: "/p/e1", watch: true });
    const closed = h.writeAs(a, { type: "closeSession" }); // 6
    expect(closed.err).toBe("OK");
    expect(h.tree.getNode("/p/e1")).toBeUndefined();
    expect(h.tree.getNode("/e20000000001")).toBeUndefined();
    expect(h.read(b, { type: "exists", path: "/p", watch: false }).stat)
      .toMatchObject({ pzxid: 6, cversion: 2, numChildren: 0 });
    expect(closed.events.map((e) => [e.sessionId, e.type, e.path])).toEqual(expect.arrayContaining([
      [b, "NodeDeleted", "/p/e1"], [b, "NodeChildrenChanged", "/p"],
    ]));
    expect(closed.events).toHaveLength(2);
    expect(h.tree.sessionsWithTimeouts.has(a)).toBe(false);
    expect(h.writeAs(a, create("/x")).err).toBe("UNKNOWNSESSION");
  });

  it("a pipelined closeSession also deletes ephemerals still being created", () => {
    const h = new Harness();
    const a = h.openSession();
    const pending = h.prep(a, create("/e", "EPHEMERAL"));
    const close = h.prep(a, { type: "closeSession" });
    expect(close.body).toEqual({ type: "closeSession", paths2Delete: ["/e"] });
    h.apply(pending);
    h.apply(close);
    expect(h.tree.getNode("/e")).toBeUndefined();
    expect(h.changes.size).toBe(0);
  });
});
