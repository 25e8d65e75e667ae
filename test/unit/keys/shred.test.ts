/**
 * Crypto-shredding (src/keys/shred.ts), proven over the tree's whole history: the adapter keeps
 * every txn ever applied and every snapshot taken, as a replica's disk does with purge off. The
 * property: after a completed destroy, nothing in that history (wrapped versions, grants,
 * sealed values) decrypts with any key that still exists: the service's root key, every
 * principal's current box private key, and every version key those open. Controls: before the
 * destroy the same scan does recover the version (so the scan can see it), a principal whose
 * box key has not rotated yet keeps the destroy pending (and the scan finds its grant), and
 * the planted bug `destroy-keeps-root` is caught. Deleting the znode alone destroys nothing.
 * Under crashes (CONNECTIONLOSS before or after any write of the destroy), calling destroy
 * again completes it, and the property holds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exposeBoxSecret } from "../../../src/crypto/principal.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { KeyService, versionPath } from "../../../src/keys/index.js";
import type { KeyBug } from "../../../src/keys/index.js";
import type { FaultPoint } from "../../helpers/tree-zk.js";
import { ADMIN, codeOf, text } from "./helpers.js";
import { history, recover, rng, scenario } from "./shred-scan.js";

describe("destroy shreds", () => {
  it("after a completed destroy nothing in the history decrypts with any existing key",
    async () => {
      const { zk, admin, alice, bob, carol, v1, firstShares } = await scenario();
      const everyone = [alice, bob, carol, ADMIN];
      const before = recover(history(zk), [admin.requireRoot()], everyone);
      expect(before.material.get("k v1")?.has(v1)).toBe(true); // the scan sees it
      expect(before.opened).toBeGreaterThan(0);
      const report = await admin.destroyVersion("k", 1, everyone);
      expect(report.pending).toEqual([]);
      expect(report.shares).toHaveLength(5);
      expect(await admin.shredStatus()).toBeUndefined();
      zk.server.snapshot();
      const after = recover(history(zk), [admin.requireRoot()], everyone);
      expect(after.material.has("k v1")).toBe(false);
      expect([...after.material.values()].some((s) => s.has(v1))).toBe(false);
      expect(after.opened).toBe(0);
      expect(alice.boxGeneration).toBe(2);
      expect(bob.boxGeneration).toBe(2); // revoked, but his old grant is in the log
      expect(carol.boxGeneration).toBe(1); // never granted k v1
      // Surviving data still reads, through the service and through alice's re-issued grants.
      expect((await admin.getSealed("/app/b")).plaintext).toEqual(text("keep me"));
      expect(after.material.get("k v2")?.size).toBeGreaterThan(0);
      // The old shares no longer unseal anything.
      const stale = new KeyService({ zk, actor: ADMIN, random: rng(5, "stale") });
      const codes = [];
      for (const s of firstShares.slice(0, 3)) codes.push(await codeOf(stale.unseal(s)));
      expect(codes[2]).toBe("NOT_AUTHENTIC");
      expect((await admin.verifyAudit()).ok).toBe(true);
    });

  it("deleting the znode alone destroys nothing; a principal not rotated keeps it pending",
    async () => {
      const { zk, admin, alice, bob, v1 } = await scenario();
      const report = await admin.destroyVersion("k", 1, [alice]);
      expect(await codeOf(zk.getData(versionPath("k", 1)))).toBe("NONODE");
      expect(report.pending).toEqual(["bob"]);
      expect((await admin.shredStatus())?.principals).toEqual({ bob: 1 });
      const found = recover(history(zk), [admin.requireRoot()], [alice, bob]);
      expect(found.material.get("k v1")?.has(v1)).toBe(true); // bob's old grant still opens
      await admin.rotatePrincipal(bob);
      expect(await admin.shredStatus()).toBeUndefined();
      expect(recover(history(zk), [admin.requireRoot()], [alice, bob]).material.has("k v1"))
        .toBe(false);
    });

  it("planted bug destroy-keeps-root: the scan recovers the destroyed version", async () => {
    const { zk, admin, alice, bob, carol, v1 } = await scenario(
      new Set<KeyBug>(["destroy-keeps-root"]));
    const report = await admin.destroyVersion("k", 1, [alice, bob, carol]);
    expect(report.shares).toEqual([]);
    const found = recover(history(zk), [admin.requireRoot()], [alice, bob, carol]);
    expect(found.material.get("k v1")?.has(v1)).toBe(true);
    expect(found.opened).toBeGreaterThan(0);
    expect(await admin.shredStatus()).toBeDefined(); // and the status says it is not complete
  });
});

describe("destroy under crashes", () => {
  it("a destroy interrupted at any write completes when called again", async () => {
    await fc.assert(fc.asyncProperty(fc.nat(5), fc.constantFrom<FaultPoint>("before", "after"),
      async (at, point) => {
        const { zk, admin, alice, bob, carol, v1 } = await scenario();
        const everyone = [alice, bob, carol, ADMIN];
        let writes = 0;
        zk.fault = () => (writes++ === at ? point : undefined);
        let failures = 0;
        for (;;) {
          try {
            await admin.destroyVersion("k", 1, everyone);
            break;
          } catch (error) {
            expect((error as { code?: string }).code).toBe("CONNECTIONLOSS");
            expect(++failures).toBeLessThanOrEqual(1);
          }
        }
        zk.fault = undefined;
        expect(await admin.shredStatus()).toBeUndefined();
        const after = recover(history(zk), [admin.requireRoot()], everyone);
        expect([...after.material.values()].some((keys) => keys.has(v1))).toBe(false);
        expect(after.opened).toBe(0);
        expect((await admin.getSealed("/app/b")).plaintext).toEqual(text("keep me"));
        expect((await admin.verifyAudit()).ok).toBe(true);
      }), { numRuns: 10 });
  });
});

describe("secrets at rest in the whole history", () => {
  it("no root key, share, principal secret or version key is in any txn or snapshot",
    async () => {
      const { zk, admin, alice, bob, carol, firstShares } = await scenario();
      const people = [alice, bob, carol, ADMIN];
      // Copies taken before the destroy wipes the old root key and box keys.
      const secrets = [Uint8Array.from(exposeKeyBytes(admin.requireRoot().key)),
        ...people.map((p) => Uint8Array.from(exposeBoxSecret(p))), ...firstShares];
      const report = await admin.destroyVersion("k", 1, [alice, bob, carol]);
      secrets.push(exposeKeyBytes(admin.requireRoot().key), ...report.shares,
        ...people.map((p) => exposeBoxSecret(p)),
        exposeKeyBytes((await admin.refresh("k")).versionKey(2).key));
      zk.server.snapshot();
      const all = Buffer.concat(history(zk).map((b) => Buffer.from(b)));
      expect(all.length).toBeGreaterThan(10_000);
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThanOrEqual(32);
        expect(secret.some((b) => b !== 0)).toBe(true);
        expect(all.includes(Buffer.from(secret))).toBe(false);
        expect(all.includes(Buffer.from(Buffer.from(secret).toString("hex")))).toBe(false);
      }
      const digestPasswords = [alice, bob].map((p) => p.digestAuth().split(":")[1] ?? "");
      for (const password of digestPasswords) {
        expect(all.includes(Buffer.from(password))).toBe(false);
      }
    });
});
