/**
 * The key service (src/keys) over the real tree (test/helpers/tree-zk.ts: prep + apply): the
 * lifecycle of a key (create, seal and open, two-phase rotation gated on readers, minimum
 * decryption version, destroy), typed errors that change nothing in the tree (its digest is
 * compared), copied and relabelled ciphertexts that never open, concurrent administrators, and
 * no plaintext or key material anywhere in the tree's data.
 */
import { describe, expect, it } from "vitest";
import { sealedHeaderOf } from "../../../src/crypto/index.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { keyPath, versionPath } from "../../../src/keys/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import { ROOT, allData, codeOf, service, text } from "./helpers.js";

async function ready(): Promise<{ zk: TreeZooKeeper; admin: ReturnType<typeof service> }> {
  const zk = new TreeZooKeeper();
  const admin = service(zk);
  await admin.createKey("k");
  await zk.create("/app", null, [{ perms: 31, id: { scheme: "world", id: "anyone" } }],
    "PERSISTENT");
  return { zk, admin };
}

describe("key lifecycle", () => {
  it("seals, rotates in two phases, raises the minimum and destroys", async () => {
    const { zk, admin } = await ready();
    await admin.createSealed("k", "/app/a", text("alpha"));
    const version = await admin.addVersion("k");
    expect(version).toBe(2);
    await admin.createSealed("k", "/app/b", text("beta")); // phase one: v1 still seals
    expect(sealedHeaderOf((await zk.getData("/app/b")).data ?? text("")).keyVersion).toBe(1);
    await admin.promote("k", 2);
    await admin.createSealed("k", "/app/c", text("gamma"));
    expect(sealedHeaderOf((await zk.getData("/app/c")).data ?? text("")).keyVersion).toBe(2);
    expect((await admin.getSealed("/app/a")).plaintext).toEqual(text("alpha"));
    await admin.setMinDecryptionVersion("k", 2);
    expect(await codeOf(admin.getSealed("/app/a"))).toBe("VERSION_BELOW_MINIMUM");
    await admin.setMinDecryptionVersion("k", 1); // reversible until destroyed
    expect((await admin.getSealed("/app/a")).plaintext).toEqual(text("alpha"));
    await admin.setMinDecryptionVersion("k", 2);
    await admin.destroyVersion("k", 1);
    expect(await codeOf(admin.getSealed("/app/a"))).toBe("VERSION_DESTROYED");
    expect(await codeOf(zk.getData(versionPath("k", 1)))).toBe("NONODE");
    expect(await codeOf(admin.setMinDecryptionVersion("k", 1))).toBe("VERSION_DESTROYED");
    expect((await admin.getSealed("/app/c")).plaintext).toEqual(text("gamma"));
    expect(await admin.describe("k")).toEqual(
      { name: "k", primary: 2, minDecryption: 2, versions: ["destroyed", "enabled"] });
  });

  it("sequential creates bind the parent and prefix, not the final name", async () => {
    const { zk, admin } = await ready();
    const path = await admin.createSealed("k", "/app/item-", text("q1"), "PERSISTENT_SEQUENTIAL");
    expect(path).toBe("/app/item-0000000000");
    expect((await admin.getSealed(path)).plaintext).toEqual(text("q1"));
    const copy = (await zk.getData(path)).data;
    const acl = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
    await zk.create("/app/other-0000000001", copy, acl, "PERSISTENT");
    expect(await codeOf(admin.getSealed("/app/other-0000000001"))).toBe("NOT_AUTHENTIC");
    // What the binding does not prevent (docs/keys.md): a copy to another sequence number under
    // the same parent and prefix opens; its header carries the same value id, so a reader that
    // tracks ids sees the duplicate.
    await zk.create("/app/item-0000000099", copy, acl, "PERSISTENT");
    expect((await admin.getSealed("/app/item-0000000099")).plaintext).toEqual(text("q1"));
  });

  it("promote waits until every registered reader has loaded the version", async () => {
    const { zk, admin } = await ready();
    const reader = service(zk, 2, { readerId: "reader-1" });
    await admin.createSealed("k", "/app/a", text("alpha"));
    expect((await reader.getSealed("/app/a")).plaintext).toEqual(text("alpha"));
    await admin.addVersion("k");
    expect(await codeOf(admin.promote("k", 2))).toBe("NOT_YET_READABLE");
    expect((await admin.describe("k")).primary).toBe(1);
    await reader.refresh("k"); // a watch on the metadata would do this
    await admin.promote("k", 2);
    await admin.createSealed("k", "/app/b", text("beta"));
    expect((await reader.getSealed("/app/b")).plaintext).toEqual(text("beta"));
    await admin.addVersion("k");
    await reader.retireReader("k");
    await admin.promote("k", 3);
    expect((await admin.describe("k")).primary).toBe(3);
  });

  it("a reader with a stale keyring reloads once for a newer version", async () => {
    const { zk, admin } = await ready();
    const reader = service(zk, 2);
    await reader.keyring("k");
    await admin.addVersion("k");
    await admin.promote("k", 2);
    await admin.createSealed("k", "/app/n", text("new"));
    expect((await reader.getSealed("/app/n")).plaintext).toEqual(text("new"));
  });

  it("concurrent administrators both rotate: distinct versions, no lost update", async () => {
    const { zk } = await ready();
    const [a, b] = [service(zk, 3), service(zk, 4)];
    const versions = await Promise.all([a.addVersion("k"), b.addVersion("k"), a.addVersion("k")]);
    expect([...versions].sort()).toEqual([2, 3, 4]);
    expect((await a.describe("k")).versions).toHaveLength(4);
    const ring = await service(zk, 5).refresh("k");
    expect(ring.meta.versions).toEqual(["enabled", "enabled", "enabled", "enabled"]);
  });
});

describe("bad input: typed errors that change nothing", () => {
  it("bad names, unknown keys and versions, forbidden transitions", async () => {
    const { zk, admin } = await ready();
    await admin.createSealed("k", "/app/a", text("alpha"));
    const failing: [Promise<unknown>, string][] = [
      [admin.createKey("bad/name"), "BAD_KEY_NAME"], [admin.createKey(""), "BAD_KEY_NAME"],
      [admin.createKey("k"), "KEY_EXISTS"], [admin.describe("nokey"), "NO_SUCH_KEY"],
      [admin.addVersion("nokey"), "NO_SUCH_KEY"], [admin.promote("k", 9), "UNKNOWN_VERSION"],
      [admin.promote("k", 0), "UNKNOWN_VERSION"], [admin.setMinDecryptionVersion("k", 2),
        "UNKNOWN_VERSION"], [admin.destroyVersion("k", 1), "NOT_ALLOWED"],
      [admin.createSealed("nokey", "/app/x", text("x")), "NO_SUCH_KEY"],
      [admin.createSealed("k", "app/x", text("x")), "BAD_PATH"],
      [admin.createSealed("k", "/app/x", "x" as never), "BAD_ARGUMENT"],
      [admin.rewrap("k", "/app", { batchSize: 0 }), "BAD_ARGUMENT"],
      [admin.rewrap("k", "no-slash"), "BAD_PATH"],
    ];
    for (const [promise, code] of failing) {
      const digest = zk.tree.digest();
      expect(await codeOf(promise)).toBe(code);
      expect(zk.tree.digest()).toBe(digest);
    }
    expect(() => service(zk, 1, { readerId: "a/b" })).toThrow(/BAD_ARGUMENT/);
    expect(() => service(zk, 1, { retriesMax: -1 })).toThrow(/BAD_ARGUMENT/);
  });

  it("garbage, copied, relabelled and tampered values never open", async () => {
    const { zk, admin } = await ready();
    await admin.createKey("j");
    await admin.createSealed("k", "/app/a", text("alpha"));
    const sealed = (await zk.getData("/app/a")).data ?? text("");
    const acl = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
    const relabelled = Uint8Array.from(sealed);
    relabelled[6] = "j".charCodeAt(0);
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x80;
    const cases: [string, Uint8Array | null, string][] = [
      ["/app/plain", text("not sealed"), "GARBAGE"], ["/app/null", null, "GARBAGE"],
      ["/app/copy", sealed, "NOT_AUTHENTIC"], ["/app/relabelled", relabelled, "NOT_AUTHENTIC"],
      ["/app/tampered", tampered, "NOT_AUTHENTIC"],
      ["/app/cut", sealed.subarray(0, 20), "TRUNCATED"],
    ];
    for (const [path, data, code] of cases) {
      await zk.create(path, data, acl, "PERSISTENT");
      expect(await codeOf(admin.getSealed(path))).toBe(code);
    }
  });

  it("corrupt keyring metadata is a typed MALFORMED error", async () => {
    const { zk, admin } = await ready();
    await zk.setData(keyPath("k"), text("{\"format\":1,\"name\":\"k\""), -1);
    expect(await codeOf(admin.describe("k"))).toBe("MALFORMED");
    expect(await codeOf(admin.addVersion("k"))).toBe("MALFORMED");
  });
});

describe("malformed key material", () => {
  it("a tampered or garbage version node is a typed error; promote refuses it", async () => {
    const { zk, admin } = await ready();
    await admin.createSealed("k", "/app/a", text("alpha"));
    await admin.addVersion("k");
    const wrapped = (await zk.getData(versionPath("k", 2))).data ?? text("");
    const tampered = Uint8Array.from(wrapped);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    await zk.setData(versionPath("k", 2), tampered, -1);
    const digest = zk.tree.digest();
    expect(await codeOf(admin.promote("k", 2))).toBe("NOT_AUTHENTIC");
    expect(zk.tree.digest()).toBe(digest);
    expect((await admin.describe("k")).primary).toBe(1);
    expect(await codeOf(service(zk, 9).getSealed("/app/a"))).toBe("NOT_AUTHENTIC");
    await zk.setData(versionPath("k", 2), text("garbage"), -1);
    expect(await codeOf(service(zk, 9).getSealed("/app/a"))).toBe("GARBAGE");
    await zk.setData(versionPath("k", 2), wrapped.subarray(0, 30), -1);
    expect(await codeOf(service(zk, 9).getSealed("/app/a"))).toBe("TRUNCATED");
  });

  it("no error message of the service holds key material", async () => {
    const { zk, admin } = await ready();
    await admin.createSealed("k", "/app/a", text("alpha"));
    const ring = await admin.refresh("k");
    const secrets = [exposeKeyBytes(ROOT.key), exposeKeyBytes(ring.decryptionKey(1))]
      .flatMap((b) => [Buffer.from(b).toString("hex"), Buffer.from(b).toString("base64")]);
    await zk.create("/app/b", (await zk.getData("/app/a")).data,
      [{ perms: 31, id: { scheme: "world", id: "anyone" } }], "PERSISTENT");
    const failing = [admin.getSealed("/app/b"), admin.promote("k", 3), admin.createKey("k"),
      admin.destroyVersion("k", 1), admin.getSealed("/nonode")];
    for (const promise of failing) {
      const error = await promise.then(() => undefined, (e: unknown) => e);
      const textOf = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ""}`;
      expect(error).toBeDefined();
      for (const secret of secrets) expect(textOf.includes(secret)).toBe(false);
    }
  });
});

describe("secrets at rest", () => {
  it("no plaintext, root key or version key appears in any znode's data", async () => {
    const { zk, admin } = await ready();
    const plaintexts = ["correct horse battery staple", "hunter2-hunter2", "s3cr3t-token-xyz"];
    for (const [i, p] of plaintexts.entries()) await admin.createSealed("k", `/app/${i}`, text(p));
    await admin.addVersion("k");
    await admin.promote("k", 2);
    await admin.rewrap("k", "/app");
    const ring = await admin.refresh("k");
    const keys = [exposeKeyBytes(ROOT.key), exposeKeyBytes(ring.decryptionKey(1)),
      exposeKeyBytes(ring.decryptionKey(2))];
    const stored = Buffer.concat(allData(zk));
    for (const p of plaintexts) expect(stored.includes(Buffer.from(p))).toBe(false);
    for (const k of keys) expect(stored.includes(Buffer.from(k))).toBe(false);
    expect(stored.length).toBeGreaterThan(100);
  });
});
