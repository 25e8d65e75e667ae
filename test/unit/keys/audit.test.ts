/**
 * The audit chain in the tree (src/keys/audit-log.ts): every key-management operation appends
 * exactly one signed record in its own multi; the chain verifies offline, and libsodium
 * verifies its signatures; two services racing never fork it (the head's version check makes
 * the loser retry), while the planted bug `unguarded-audit-head` forks it and the verifier says
 * so; `unsigned-audit` is caught as unsigned; a record altered or removed in the tree is caught;
 * an operation whose record cannot be written does not happen (fail closed); and under
 * crashes (CONNECTIONLOSS before or after a write) the chain always verifies and holds one
 * record per applied operation.
 */
import fc from "fast-check";
import sodium from "libsodium-wrappers";
import { beforeAll, describe, expect, it } from "vitest";
import { Principal, decodeAuditRecord, seededRandom } from "../../../src/crypto/index.js";
import {
  AUDIT_ROOT, KeyService, auditBodies, readAuditChain, verifyStoredChain,
} from "../../../src/keys/index.js";
import type { KeyBug, Op, OpResult, ZooKeeperApi } from "../../../src/keys/index.js";
import { Prng } from "../../../src/util/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import type { FaultPoint } from "../../helpers/tree-zk.js";
import { ADMIN, ROOT, codeOf, service, text } from "./helpers.js";

beforeAll(async () => {
  await sodium.ready;
});

/** A connection whose next multi waits for `release()`: a writer paused mid-operation. */
class PausedZk implements ZooKeeperApi {
  private gate: Promise<void> | undefined;
  private open: () => void = () => undefined;
  reached: Promise<void>;
  private arrive: () => void = () => undefined;

  constructor(private readonly inner: ZooKeeperApi) {
    this.gate = new Promise((resolve) => { this.open = resolve; });
    this.reached = new Promise((resolve) => { this.arrive = resolve; });
  }

  release(): void {
    this.open();
  }

  create = (...a: Parameters<ZooKeeperApi["create"]>) => this.inner.create(...a);
  getData = (path: string) => this.inner.getData(path);
  setData = (...a: Parameters<ZooKeeperApi["setData"]>) => this.inner.setData(...a);
  delete = (path: string, version?: number) => this.inner.delete(path, version);
  getChildren = (path: string) => this.inner.getChildren(path);
  addAuth = (scheme: string, auth: string) => this.inner.addAuth(scheme, auth);

  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    const gate = this.gate;
    this.gate = undefined;
    if (gate !== undefined) {
      this.arrive();
      await gate;
    }
    return this.inner.multi(ops);
  }
}

async function race(bugs: ReadonlySet<KeyBug>): Promise<TreeZooKeeper> {
  const zk = new TreeZooKeeper();
  await service(zk).ensureRoot();
  const paused = new PausedZk(zk);
  const a = new KeyService({ zk: paused, root: ROOT, actor: ADMIN, bugs,
    random: seededRandom(new Prng(1, "a")) });
  const b = service(zk, 2, { bugs });
  const first = a.createKey("a");
  await paused.reached; // a has read the head and built its multi
  await b.createKey("b");
  paused.release();
  await first;
  return zk;
}

describe("audit chain in the tree", () => {
  it("one signed record per operation, in order; libsodium verifies every signature",
    async () => {
      const zk = new TreeZooKeeper();
      const admin = service(zk);
      const bob = Principal.generate("bob", seededRandom(new Prng(3, "bob")));
      await admin.createKey("k");
      await admin.registerPrincipal(bob.publicPart(), { rules: [{ key: "k", ops: ["decrypt"] }] });
      await admin.grant("k", "bob");
      await admin.addVersion("k");
      await admin.promote("k", 2);
      await zk.create("/d", null, [{ perms: 31, id: { scheme: "world", id: "anyone" } }],
        "PERSISTENT");
      await admin.createSealed("k", "/d/x", text("x")); // not audited: a data write
      await admin.rewrap("k", "/d");
      await admin.setMinDecryptionVersion("k", 2);
      await admin.revoke("k", "bob");
      await admin.setPolicy("bob", { rules: [] });
      const { records } = await readAuditChain(zk);
      expect(auditBodies(records).map((b) => b.op)).toEqual(["init", "create", "register",
        "grant", "add-version", "promote", "rewrap-batch", "min-decryption", "revoke", "policy"]);
      expect(await verifyStoredChain(zk)).toMatchObject({ ok: true, count: 10 });
      for (const record of records) {
        const { body, sig } = decodeAuditRecord(record);
        const signed = text(JSON.stringify([body.seq, body.prev, body.actor, body.op,
          body.key ?? null, body.version ?? null, body.subject ?? null, body.detail ?? null]));
        expect(sodium.crypto_sign_verify_detached(Buffer.from(sig, "hex"), signed,
          ADMIN.publicPart().signPublic)).toBe(true);
      }
    });

  it("two racing writers never fork it; without the head's version check they do",
    async () => {
      const good = await race(new Set());
      expect(await verifyStoredChain(good)).toMatchObject({ ok: true, count: 3 });
      const forked = await race(new Set<KeyBug>(["unguarded-audit-head"]));
      expect(await verifyStoredChain(forked)).toMatchObject({ ok: false, problem: "fork" });
    });

  it("planted bug unsigned-audit is caught as unsigned", async () => {
    const zk = new TreeZooKeeper();
    await service(zk, 1, { bugs: new Set<KeyBug>(["unsigned-audit"]) }).createKey("k");
    expect(await verifyStoredChain(zk)).toMatchObject({ ok: false, problem: "unsigned" });
  });

  it("a record altered, removed or reordered in the tree is caught", async () => {
    const zk = new TreeZooKeeper();
    const admin = service(zk);
    for (const name of ["a", "b", "c"]) await admin.createKey(name);
    const names = (await zk.getChildren(AUDIT_ROOT)).sort();
    const second = `${AUDIT_ROOT}/${names[1] ?? ""}`;
    const original = (await zk.getData(second)).data ?? text("");
    await zk.setData(second, text(new TextDecoder().decode(original).replace('"a"', '"z"')), -1);
    expect(await verifyStoredChain(zk)).toMatchObject({ ok: false, problem: "bad-signature" });
    const third = `${AUDIT_ROOT}/${names[2] ?? ""}`;
    await zk.setData(second, (await zk.getData(third)).data, -1); // reorder: swap 2 and 3
    await zk.setData(third, original, -1);
    expect(await verifyStoredChain(zk)).toMatchObject({ ok: false, index: 1,
      problem: "missing" }); // seq 3 where seq 2 belongs
    await zk.setData(third, (await zk.getData(second)).data, -1); // swap back: intact again
    await zk.setData(second, original, -1);
    expect(await verifyStoredChain(zk)).toMatchObject({ ok: true });
    await zk.setData(second, (await zk.getData(third)).data, -1); // seq 3 twice
    expect(await verifyStoredChain(zk)).toMatchObject({ ok: false, problem: "missing" });
    await zk.setData(second, original, -1);
    await zk.delete(second, -1);
    expect(await verifyStoredChain(zk)).toMatchObject({ ok: false, problem: "missing" });
  });

  it("fails closed: with an unwritable chain head the operation does not happen", async () => {
    const zk = new TreeZooKeeper();
    const admin = service(zk);
    await admin.createKey("k");
    await zk.setData(AUDIT_ROOT, text("not a head"), -1);
    const digest = zk.tree.digest();
    expect(await codeOf(admin.addVersion("k"))).toBe("MALFORMED");
    expect(await codeOf(admin.createKey("j"))).toBe("MALFORMED");
    expect(zk.tree.digest()).toBe(digest);
    expect((await admin.describe("k")).versions).toEqual(["enabled"]);
  });
});

/** A reader's connection that runs `between` before each getChildren: a writer mid-read. */
class InterleavedZk implements ZooKeeperApi {
  constructor(private readonly inner: ZooKeeperApi,
    private readonly between: () => Promise<unknown>) {}

  create = (...a: Parameters<ZooKeeperApi["create"]>) => this.inner.create(...a);
  getData = (path: string) => this.inner.getData(path);
  setData = (...a: Parameters<ZooKeeperApi["setData"]>) => this.inner.setData(...a);
  delete = (path: string, version?: number) => this.inner.delete(path, version);
  addAuth = (scheme: string, auth: string) => this.inner.addAuth(scheme, auth);
  multi = (ops: readonly Op[]) => this.inner.multi(ops);

  async getChildren(path: string): Promise<string[]> {
    await this.between();
    return this.inner.getChildren(path);
  }
}

describe("reading the chain while a writer appends", () => {
  it("a read that an append overtakes starts over and returns one consistent cut", async () => {
    const zk = new TreeZooKeeper();
    const admin = service(zk);
    await admin.createKey("a");
    let appends = 0;
    const reader = new InterleavedZk(zk.connect(), async () => {
      if (appends++ < 2) await admin.createKey(`k${appends}`); // after the head was read
    });
    const { records, head } = await readAuditChain(reader);
    expect(head.seq).toBe(records.length);
    expect(await verifyStoredChain(reader)).toMatchObject({ ok: true, count: records.length });
    expect(auditBodies(records).map((b) => b.key)).toContain("k2");
  });

  it("still reports a record the head does not name, and CONFLICT if appends never stop",
    async () => {
      const zk = new TreeZooKeeper();
      const admin = service(zk);
      await admin.createKey("a");
      const { records } = await readAuditChain(zk);
      const last = records[records.length - 1] ?? text("");
      await zk.create(`${AUDIT_ROOT}/r-`, last, undefined, "PERSISTENT_SEQUENTIAL");
      expect(await verifyStoredChain(zk)).toMatchObject({ ok: false });
      let n = 0;
      const busy = new InterleavedZk(zk.connect(), () => admin.createKey(`busy${n++}`));
      expect(await codeOf(readAuditChain(busy))).toBe("CONFLICT");
    });
});

describe("audit chain under crashes", () => {
  it("always verifies, with one record per applied operation", async () => {
    const op = fc.constantFrom("add", "promote", "min", "grant", "revoke", "policy");
    const fault = fc.constantFrom<FaultPoint | "none">("none", "none", "before", "after");
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(op, fault), { maxLength: 12 }),
      async (steps) => {
        const zk = new TreeZooKeeper();
        const admin = service(zk);
        const bob = Principal.generate("bob", seededRandom(new Prng(4, "bob")));
        await admin.createKey("k");
        await admin.registerPrincipal(bob.publicPart(), { rules: [{ key: "k",
          ops: ["decrypt"] }] });
        let applied = 3;
        for (const [name, point] of steps) {
          const before = (await readAuditChain(zk)).records.length;
          zk.fault = (call) => (call.method === "multi" ? (zk.fault = undefined,
            point === "none" ? undefined : point) : undefined);
          const run = {
            add: () => admin.addVersion("k"),
            promote: async () => admin.promote("k", (await admin.describe("k")).versions.length),
            min: async () =>
              admin.setMinDecryptionVersion("k", (await admin.describe("k")).primary),
            grant: () => admin.grant("k", "bob"),
            revoke: () => admin.revoke("k", "bob"),
            policy: () => admin.setPolicy("bob", { rules: [{ key: "k", ops: ["decrypt"] }] }),
          }[name];
          await run().catch(() => undefined);
          zk.fault = undefined;
          const after = (await readAuditChain(zk)).records.length;
          expect(after - before).toBeLessThanOrEqual(1);
          applied += after - before;
          expect(await verifyStoredChain(zk)).toMatchObject({ ok: true, count: applied });
        }
      }), { numRuns: 20 });
  });
});
