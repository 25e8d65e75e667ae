/**
 * ACLs: the digest id format (checked against node:crypto's SHA-1, an independent
 * implementation), fixupACL's "auth" expansion, which permission each operation checks and on
 * which node (ZooKeeper's PrepRequestProcessor and FinalRequestProcessor), the super bypass, ip
 * prefixes, and getACL's masking of digest ids without ADMIN.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Perms, addAuth, checkACL, generateDigest } from "../../../src/tree/index.js";
import type { Acl, Id } from "../../../src/tree/index.js";
import { Harness, create, del, setData } from "./helpers.js";

describe("digest ids", () => {
  it("digest ids agree with node:crypto's SHA-1 on assorted inputs (block edges, UTF-8)", () => {
    const texts = ["", "abc", "super:admin", "x".repeat(55), "y".repeat(64), "\u00e9:\u4e16"];
    for (const text of texts) {
      const expected = createHash("sha1").update(text, "utf8").digest("base64");
      const user = text.includes(":") ? text.slice(0, text.indexOf(":")) : text;
      expect(generateDigest(text)).toBe(`${user}:${expected}`);
    }
  });

  it("generateDigest is user:base64(sha1(user:password))", () => {
    expect(generateDigest("super:admin")).toBe("super:xQJmxLMiHGwaqBvst5y6rkB6HQs=");
    const expected = createHash("sha1").update("bob:pw:with:colons").digest("base64");
    expect(generateDigest("bob:pw:with:colons")).toBe(`bob:${expected}`);
    expect(addAuth("digest", "super:admin", "super:xQJmxLMiHGwaqBvst5y6rkB6HQs="))
      .toEqual({ err: "OK", ids: [{ scheme: "super", id: "" },
        { scheme: "digest", id: "super:xQJmxLMiHGwaqBvst5y6rkB6HQs=" }] });
    expect(addAuth("kerberos", "x")).toEqual({ err: "AUTHFAILED" });
    expect(addAuth("world", "anyone")).toEqual({ err: "AUTHFAILED" });
    expect(addAuth("ip", "ignored", undefined, "10.0.0.7"))
      .toEqual({ err: "OK", ids: [{ scheme: "ip", id: "10.0.0.7" }] });
  });
});

describe("checkACL", () => {
  const ip = (id: string, perms: number = Perms.ALL): Acl[] => [{ perms, id: { scheme: "ip", id } }];
  it("matches ip prefixes and passes super and empty ACLs", () => {
    const caller: Id[] = [{ scheme: "ip", id: "10.1.2.3" }];
    expect(checkACL(ip("10.0.0.0/8"), Perms.READ, caller)).toBe(true);
    expect(checkACL(ip("10.1.2.0/24"), Perms.READ, caller)).toBe(true);
    expect(checkACL(ip("10.1.3.0/24"), Perms.READ, caller)).toBe(false);
    expect(checkACL(ip("10.1.2.3", Perms.WRITE), Perms.READ, caller)).toBe(false);
    expect(checkACL(ip("11.0.0.0/8"), Perms.READ, [{ scheme: "super", id: "" }])).toBe(true);
    expect(checkACL([], Perms.ADMIN, [])).toBe(true);
  });
});

describe("where permissions are checked", () => {
  const alice = addAuth("digest", "alice:secret");
  const aliceIds: Id[] = alice.err === "OK" ? [...alice.ids] : [];
  const creatorOnly: Acl[] = [{ perms: Perms.ALL, id: { scheme: "auth", id: "" } }];

  it("auth expands to the caller's digest ids; without one it is INVALIDACL", () => {
    const h = new Harness();
    const s = h.openSession();
    expect(h.writeAs(s, create("/x", "PERSISTENT", "", creatorOnly)).err).toBe("INVALIDACL");
    expect(h.writeAs(s, create("/x", "PERSISTENT", "", creatorOnly), aliceIds).err).toBe("OK");
    expect(h.tree.getNode("/x")?.acl).toEqual([{ perms: Perms.ALL, id: aliceIds[0] }]);
  });

  it("create and delete need the parent's bits; setData the node's; exists none (3.8.0)", () => {
    const h = new Harness();
    const s = h.openSession();
    const readOnly: Acl[] = [{ perms: Perms.READ, id: { scheme: "world", id: "anyone" } }];
    h.writeAs(s, create("/p", "PERSISTENT", "", creatorOnly), aliceIds);
    h.writeAs(s, create("/p/c", "PERSISTENT", "d", readOnly), aliceIds);
    expect(h.writeAs(s, create("/p/d")).err).toBe("NOAUTH");
    expect(h.writeAs(s, setData("/p/c", "x")).err).toBe("NOAUTH");
    expect(h.writeAs(s, setData("/p/c", "x"), aliceIds).err).toBe("NOAUTH");
    expect(h.writeAs(s, del("/p/c")).err).toBe("NOAUTH");
    expect(h.read(s, { type: "getData", path: "/p/c", watch: false }).err).toBe("OK");
    expect(h.read(s, { type: "getData", path: "/p", watch: false }).err).toBe("NOAUTH");
    expect(h.read(s, { type: "getChildren2", path: "/p", watch: false }).err).toBe("NOAUTH");
    expect(h.read(s, { type: "exists", path: "/p", watch: false }).err).toBe("OK");
    expect(h.writeAs(s, del("/p/c"), aliceIds).err).toBe("OK");
    // The parent's DELETE check comes before the node lookup: a missing child is NOAUTH.
    expect(h.writeAs(s, del("/p/none")).err).toBe("NOAUTH");
  });

  it("getACL needs READ or ADMIN and masks digest ids without ADMIN", () => {
    const h = new Harness();
    const s = h.openSession();
    const acl: Acl[] = [
      { perms: Perms.READ, id: { scheme: "world", id: "anyone" } },
      { perms: Perms.ADMIN, id: aliceIds[0] as Id },
    ];
    h.writeAs(s, create("/g", "PERSISTENT", "", acl));
    const masked = h.read(s, { type: "getACL", path: "/g" });
    expect(masked.acl?.[1]?.id).toEqual({ scheme: "digest", id: "alice:x" });
    const full = h.read(s, { type: "getACL", path: "/g" }, aliceIds);
    expect(full.acl?.[1]?.id).toEqual(aliceIds[0]);
    expect(full.stat?.aversion).toBe(0);
  });

  it("setACL needs ADMIN, bumps aversion, and checks the expected aversion", () => {
    const h = new Harness();
    const s = h.openSession();
    h.writeAs(s, create("/a"));
    const open: Acl[] = [{ perms: Perms.ALL, id: { scheme: "world", id: "anyone" } }];
    expect(h.writeAs(s, { type: "setACL", path: "/a", acl: open, version: 1 }).err)
      .toBe("BADVERSION");
    const done = h.writeAs(s, { type: "setACL", path: "/a", acl: creatorOnly, version: 0 },
      aliceIds);
    expect(done.stat?.aversion).toBe(1);
    expect(h.writeAs(s, { type: "setACL", path: "/a", acl: open, version: -1 }).err)
      .toBe("NOAUTH");
    expect(h.read(s, { type: "getACL", path: "/zookeeper/config" }).stat?.aversion).toBe(-1);
  });
});
