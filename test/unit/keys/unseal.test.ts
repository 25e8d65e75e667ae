/**
 * Unseal and the root key (src/keys/unseal.ts) over the real tree: a sealed service can do
 * nothing (every operation is a typed SEALED error and the tree is unchanged); t of the n
 * shares, in any order, unseal a fresh instance; a wrong share is NOT_AUTHENTIC and resets the
 * progress; malformed shares are refused and change nothing; a root rotation makes the old
 * shares useless and the new ones work, with every value still readable; the root key never
 * reaches the tree.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Principal, seededRandom } from "../../../src/crypto/index.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { KeyService, readRootMeta } from "../../../src/keys/index.js";
import { Prng } from "../../../src/util/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import { ADMIN, allData, codeOf, text } from "./helpers.js";

const ACL = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];

function sealedService(zk: TreeZooKeeper, seed: number, actor: Principal = ADMIN): KeyService {
  return new KeyService({ zk, actor, random: seededRandom(new Prng(seed, "unseal")) });
}

async function initialized(n = 5, t = 3): Promise<{
  zk: TreeZooKeeper; shares: Uint8Array[]; first: KeyService;
}> {
  const zk = new TreeZooKeeper();
  const first = sealedService(zk, 1);
  const shares = await first.initialize(n, t);
  await first.createKey("k");
  await zk.create("/app", null, ACL, "PERSISTENT");
  await first.createSealed("k", "/app/a", text("alpha"));
  return { zk, shares, first };
}

describe("a sealed service", () => {
  it("can do nothing: every operation is SEALED and the tree does not change", async () => {
    const { zk } = await initialized();
    const sealed = sealedService(zk, 2);
    const digest = zk.tree.digest();
    const attempts: Promise<unknown>[] = [
      sealed.createKey("j"), sealed.addVersion("k"), sealed.promote("k", 1),
      sealed.setMinDecryptionVersion("k", 1), sealed.destroyVersion("k", 1),
      sealed.rewrap("k", "/app"), sealed.getSealed("/app/a"), sealed.describe("k"),
      sealed.setSealed("k", "/app/a", text("x")), sealed.rotateRoot(),
      sealed.registerPrincipal(
        Principal.generate("p", seededRandom(new Prng(3, "p"))).publicPart()),
      sealed.grant("k", "admin"), sealed.revoke("k", "admin"), sealed.shredStatus(),
      sealed.verifyAudit(), sealed.refresh("k"),
    ];
    for (const attempt of attempts) expect(await codeOf(attempt)).toBe("SEALED");
    expect(zk.tree.digest()).toBe(digest);
  });
});

describe("unseal", () => {
  it("any t shares in any order unseal; fewer leave it sealed", async () => {
    const { zk, shares } = await initialized();
    await fc.assert(fc.asyncProperty(fc.shuffledSubarray(shares, { minLength: 3, maxLength: 3 }),
      async (chosen) => {
        const service = sealedService(zk, 4);
        expect((await service.unseal(chosen[0] ?? new Uint8Array())).progress).toBe(1);
        expect((await service.unseal(chosen[1] ?? new Uint8Array())).sealed).toBe(true);
        expect(await codeOf(service.getSealed("/app/a"))).toBe("SEALED");
        expect((await service.unseal(chosen[2] ?? new Uint8Array())).sealed).toBe(false);
        expect((await service.getSealed("/app/a")).plaintext).toEqual(text("alpha"));
      }), { numRuns: 10 });
  });

  it("a wrong share is NOT_AUTHENTIC and resets progress; a malformed one changes nothing",
    async () => {
      const { zk, shares } = await initialized();
      const service = sealedService(zk, 5);
      const wrong = Uint8Array.from(shares[2] ?? []);
      wrong[5] = (wrong[5] ?? 0) ^ 0x40;
      await service.unseal(shares[0] ?? new Uint8Array());
      await service.unseal(shares[1] ?? new Uint8Array());
      expect(await codeOf(service.unseal(wrong))).toBe("NOT_AUTHENTIC");
      expect(service.sealed).toBe(true);
      expect((await service.unseal(shares[3] ?? new Uint8Array())).progress).toBe(1); // reset
      const digest = zk.tree.digest();
      for (const bad of [new Uint8Array(32), new Uint8Array(34), new Uint8Array(33),
        shares[3] ?? new Uint8Array(), "share" as unknown as Uint8Array]) {
        expect(await codeOf(service.unseal(bad))).toBe("BAD_ARGUMENT");
      }
      expect((await service.unseal(shares[4] ?? new Uint8Array())).progress).toBe(2);
      expect(zk.tree.digest()).toBe(digest);
      await service.unseal(shares[1] ?? new Uint8Array());
      expect(service.sealed).toBe(false);
    });

  it("a second initialize is refused; an uninitialized tree says so", async () => {
    const { zk } = await initialized();
    const other = sealedService(zk, 6);
    expect(await codeOf(other.initialize())).toBe("ALREADY_INITIALIZED");
    expect(await codeOf(sealedService(new TreeZooKeeper(), 7).unseal(new Uint8Array(33))))
      .toBe("NOT_INITIALIZED");
  });
});

describe("root rotation", () => {
  it("new shares work, old ones do not; values stay readable; the key never hits the tree",
    async () => {
      const { zk, shares, first } = await initialized();
      await first.addVersion("k");
      const fresh = await first.rotateRoot(4, 2);
      expect((await readRootMeta(first)).meta).toMatchObject({ generation: 2, shares: 4,
        threshold: 2 });
      const stale = sealedService(zk, 8);
      for (const s of shares.slice(0, 3)) await stale.unseal(s).catch(() => undefined);
      expect(stale.sealed).toBe(true);
      const next = sealedService(zk, 9);
      await next.unseal(fresh[3] ?? new Uint8Array());
      await next.unseal(fresh[1] ?? new Uint8Array());
      expect((await next.getSealed("/app/a")).plaintext).toEqual(text("alpha"));
      expect((await first.getSealed("/app/a")).plaintext).toEqual(text("alpha"));
      const root = exposeKeyBytes(next.requireRoot().key);
      expect(Buffer.concat(allData(zk)).includes(Buffer.from(root))).toBe(false);
      expect((await first.verifyAudit()).ok).toBe(true);
    });
});

describe("unseal fails closed", () => {
  it("when its audit record cannot be written, the service stays sealed", async () => {
    const { zk, shares } = await initialized();
    const service = sealedService(zk, 11);
    await service.unseal(shares[0] ?? new Uint8Array());
    await service.unseal(shares[1] ?? new Uint8Array());
    zk.fault = () => "before";
    expect(await codeOf(service.unseal(shares[2] ?? new Uint8Array()))).toBe("CONNECTIONLOSS");
    zk.fault = undefined;
    expect(service.sealed).toBe(true);
    expect(await codeOf(service.getSealed("/app/a"))).toBe("SEALED");
    for (const s of shares.slice(2, 5)) await service.unseal(s);
    expect((await service.getSealed("/app/a")).plaintext).toEqual(text("alpha"));
  });
});

describe("real use splits with the audited package", () => {
  it("a system random source without a splitter is refused; systemSplit shares unseal",
    async () => {
      const { systemRandom, systemSplit } = await import("../../../src/crypto/system-random.js");
      const zk = new TreeZooKeeper();
      expect(() => new KeyService({ zk, actor: ADMIN, random: systemRandom() }))
        .toThrow(/splitter/);
      const real = new KeyService({ zk, actor: ADMIN, random: systemRandom(),
        splitter: systemSplit });
      const shares = await real.initialize(3, 2);
      const other = new KeyService({ zk, actor: ADMIN, random: systemRandom(),
        splitter: systemSplit });
      await other.unseal(shares[2] ?? new Uint8Array());
      expect((await other.unseal(shares[0] ?? new Uint8Array())).sealed).toBe(false);
    });
});
