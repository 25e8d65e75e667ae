/**
 * Rewrap (src/keys/rewrap.ts) over the real tree: every value below the primary is re-sealed
 * and still opens to the same plaintext; each batch is one multi; a crash at any write
 * (CONNECTIONLOSS before the multi reached the tree, or after it was applied) loses no committed
 * progress, leaves every value readable, and a later call resumes from the cursor; a concurrent
 * write is never lost; a second job running at the same time gets CONFLICT.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sealValue, sealedHeaderOf, seededRandom } from "../../../src/crypto/index.js";
import { Prng } from "../../../src/util/index.js";
import { comparePreorder, keeperCodeOf } from "../../../src/keys/index.js";
import type { KeyService } from "../../../src/keys/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import { codeOf, service, text } from "./helpers.js";

const random = (seed: number) => seededRandom(new Prng(seed, "test"));
const ACL = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];

/** A key "k" with `count` values spread over nested nodes, sealed under v1, then v2 promoted. */
async function populated(count: number, seed = 1): Promise<{
  zk: TreeZooKeeper; admin: KeyService; values: Map<string, string>;
}> {
  const zk = new TreeZooKeeper();
  const admin = service(zk, seed);
  await admin.createKey("k");
  await admin.createKey("other");
  await zk.create("/data", null, ACL, "PERSISTENT");
  const values = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const parent = `/data/g${i % 7}`;
    if (i < 7) await zk.create(parent, i % 2 === 0 ? null : text("plain parent"), ACL, "PERSISTENT");
    const path = i % 5 === 0
      ? await admin.createSealed("k", `${parent}/s-`, text(`v${i}`), "PERSISTENT_SEQUENTIAL")
      : await admin.createSealed(i % 11 === 3 ? "other" : "k", `${parent}/n${i}`, text(`v${i}`));
    values.set(path, `v${i}`);
  }
  await admin.addVersion("k");
  await admin.promote("k", 2);
  return { zk, admin, values };
}

async function expectAllOpen(admin: KeyService, values: Map<string, string>): Promise<void> {
  for (const [path, plain] of values) {
    expect(new TextDecoder().decode((await admin.getSealed(path)).plaintext)).toBe(plain);
  }
}

async function versionOf(zk: TreeZooKeeper, path: string): Promise<[string, number]> {
  const header = sealedHeaderOf((await zk.getData(path)).data ?? new Uint8Array());
  return [header.keyName, header.keyVersion];
}

describe("rewrap", () => {
  it("re-seals every value of the key to the primary, in batches of one multi each", async () => {
    const { zk, admin, values } = await populated(60);
    const multisBefore = zk.writes;
    const report = await admin.rewrap("k", "/data", { batchSize: 8 });
    const keyValues = [...values.keys()].filter((_, i) => i % 11 !== 3 || i % 5 === 0);
    expect(report.rewrapped).toBe(keyValues.length);
    expect(report.batches).toBe(Math.ceil(keyValues.length / 8));
    expect(zk.writes - multisBefore).toBe(report.batches + 1); // + the cursor's create
    for (const path of values.keys()) {
      const [name, version] = await versionOf(zk, path);
      expect(version).toBe(name === "k" ? 2 : 1);
    }
    await expectAllOpen(admin, values);
    const again = await admin.rewrap("k", "/data");
    expect(again.rewrapped).toBe(0);
    expect(again.resumedAfter).toBeUndefined();
  });

  it("keeps batches under the byte budget (one multi is one request)", async () => {
    const zk = new TreeZooKeeper();
    const admin = service(zk);
    await admin.createKey("k");
    await zk.create("/data", null, ACL, "PERSISTENT");
    for (let i = 0; i < 6; i++) {
      await admin.createSealed("k", `/data/big${i}`, new Uint8Array(40_000));
    }
    await admin.addVersion("k");
    await admin.promote("k", 2);
    const sizes: number[] = [];
    zk.fault = (call) => {
      sizes.push(call.ops);
      return undefined;
    };
    const report = await admin.rewrap("k", "/data", { batchBytesMax: 100_000 });
    expect(report.rewrapped).toBe(6);
    // The cursor's create, then per multi: two 40 kB values, the cursor, the check of the
    // actor's policy node, the audit record and the audit head.
    expect(sizes).toEqual([1, 6, 6, 6]);
    expect(report.batches).toBe(3);
  });

  it("survives a crash at any write: progress kept, values readable, resumes", async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 9 }),
      fc.array(fc.tuple(fc.nat(12), fc.constantFrom("before", "after") as fc.Arbitrary<
        "before" | "after">), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 50 }),
      async (batchSize, crashes, seed) => {
        const { zk, values } = await populated(40, seed);
        let calls = 0;
        const plan = new Map(crashes);
        let crashed = 0;
        for (let attempt = 0; attempt < 20; attempt++) {
          const worker = service(zk, seed + attempt); // a fresh process after each crash
          zk.fault = () => plan.get(calls++);
          try {
            await worker.rewrap("k", "/data", { batchSize });
            break;
          } catch (error) {
            expect(keeperCodeOf(error)).toBe("CONNECTIONLOSS");
            crashed++;
            zk.fault = undefined;
            await expectAllOpen(service(zk, 99), values);
          }
        }
        zk.fault = undefined;
        for (const path of values.keys()) {
          const [name, version] = await versionOf(zk, path);
          expect(version).toBe(name === "k" ? 2 : 1);
        }
        await expectAllOpen(service(zk, 98), values);
        expect(crashed).toBeLessThanOrEqual(crashes.length);
      }), { numRuns: 25 });
  });

  it("resumes after the committed cursor without re-reading finished subtrees", async () => {
    const { zk, admin } = await populated(70);
    let calls = 0;
    zk.fault = () => (calls++ === 3 ? "after" : undefined);
    expect(await codeOf(admin.rewrap("k", "/data", { batchSize: 5 }))).toBe("CONNECTIONLOSS");
    zk.fault = undefined;
    const readsBefore = zk.reads;
    const report = await service(zk, 7).rewrap("k", "/data", { batchSize: 5 });
    expect(report.resumedAfter).toBeDefined();
    expect(report.examined).toBeLessThan(70);
    expect(zk.reads - readsBefore).toBeLessThan(2 * 70 + 20);
    expect(comparePreorder(report.resumedAfter ?? "/", "/data/g0")).toBeGreaterThan(0);
  });

  it("never loses a concurrent write: the batch's multi fails BADVERSION and is redone",
    async () => {
      const { zk, admin, values } = await populated(30);
      const staleRing = await service(zk, 6).keyring("k"); // a client that still seals with v1
      let victim = "";
      zk.fault = (call) => {
        if (call.method !== "multi") return undefined;
        zk.fault = undefined;
        // Between the batch's reads and its multi, a client rewrites the batch's first value.
        victim = call.paths[0] ?? "";
        const sealed = sealValue(staleRing.primaryKey(), { kind: "path", path: victim },
          text("rewritten"), random(3));
        void zk.setData(victim, sealed, -1); // applied at once: the adapter is synchronous
        return undefined;
      };
      const report = await admin.rewrap("k", "/data", { batchSize: 4 });
      expect(victim).not.toBe("");
      values.set(victim, "rewritten");
      await expectAllOpen(admin, values);
      expect((await versionOf(zk, victim))[1]).toBe(2);
      expect(report.rewrapped).toBeGreaterThanOrEqual(values.size - 3);
    });

  it("an unfinished job over another subtree blocks a new one until finished or abandoned",
    async () => {
      const { zk, admin, values } = await populated(30);
      let calls = 0;
      zk.fault = () => (calls++ === 2 ? "before" : undefined);
      expect(await codeOf(admin.rewrap("k", "/data/g1", { batchSize: 1 })))
        .toBe("CONNECTIONLOSS");
      zk.fault = undefined;
      expect(await codeOf(admin.rewrap("k", "/data"))).toBe("CONFLICT");
      const report = await admin.rewrap("k", "/data", { restart: true });
      expect(report.resumedAfter).toBeUndefined();
      await expectAllOpen(admin, values);
      for (const path of values.keys()) {
        const [name, version] = await versionOf(zk, path);
        expect(version).toBe(name === "k" ? 2 : 1);
      }
    });

  it("a job interrupted before a new rotation starts over at the new primary", async () => {
    const { zk, admin, values } = await populated(30);
    let calls = 0;
    zk.fault = () => (calls++ === 2 ? "after" : undefined);
    expect(await codeOf(admin.rewrap("k", "/data", { batchSize: 3 }))).toBe("CONNECTIONLOSS");
    zk.fault = undefined;
    await admin.addVersion("k");
    await admin.promote("k", 3);
    const report = await admin.rewrap("k", "/data");
    expect(report.target).toBe(3);
    expect(report.resumedAfter).toBeUndefined();
    for (const path of values.keys()) {
      const [name, version] = await versionOf(zk, path);
      expect(version).toBe(name === "k" ? 3 : 1);
    }
  });

  it("a second job running at the same time gets CONFLICT; the first completes", async () => {
    const { zk, admin, values } = await populated(30);
    const results = await Promise.allSettled([
      admin.rewrap("k", "/data", { batchSize: 4 }), service(zk, 8).rewrap("k", "/data",
        { batchSize: 4 }),
    ]);
    const codes = results.map((r) => r.status === "rejected"
      ? (r.reason as { code: string }).code : "ok");
    expect(codes.filter((c) => c !== "ok").every((c) => c === "CONFLICT")).toBe(true);
    expect(codes).toContain("ok");
    await expectAllOpen(admin, values);
    for (const path of values.keys()) {
      const [name, version] = await versionOf(zk, path);
      expect(version).toBe(name === "k" ? 2 : 1);
    }
  });
});
