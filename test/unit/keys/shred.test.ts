/**
 * Crypto-shredding (src/keys/shred.ts), proven over the tree's whole history: the adapter keeps
 * every txn ever applied and every snapshot taken, as a replica's disk does with purge off. The
 * property: after a completed destroy, nothing in that history (wrapped versions, grants,
 * sealed values) decrypts with any key that still exists: the service's root key, every
 * principal's current box private key, and every version key those open. Controls: before the
 * destroy the same scan does recover the version (so the scan can see it), a principal whose
 * box key has not rotated yet keeps the destroy pending (and the scan finds its grant), and
 * the planted bug `destroy-keeps-root` is caught. Deleting the znode alone destroys nothing.
 */
import { describe, expect, it } from "vitest";
import {
  Principal, isCryptoError, looksSealed, openGrant, openValue, seededRandom, sealedHeaderOf,
  unwrapKey,
} from "../../../src/crypto/index.js";
import type { RootKey } from "../../../src/crypto/index.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { grantHeaderOf } from "../../../src/crypto/grant.js";
import { KeyService, versionPath } from "../../../src/keys/index.js";
import type { KeyBug } from "../../../src/keys/index.js";
import { Prng } from "../../../src/util/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import { ADMIN, codeOf, text } from "./helpers.js";

const rng = (seed: number, name: string) => seededRandom(new Prng(seed, name));
const ACL = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
const WRAPPED = [0x7a, 0x77, 0x6b];
const GRANT = [0x7a, 0x67, 0x74];

/** Every byte array anywhere in a value (txn bodies, multi subtxns, snapshot nodes). */
function blobsIn(value: unknown, out: Uint8Array[]): void {
  if (value instanceof Uint8Array) out.push(value);
  else if (Array.isArray(value)) for (const v of value) blobsIn(v, out);
  else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) blobsIn(record[key], out);
  }
}

function history(zk: TreeZooKeeper): Uint8Array[] {
  const out: Uint8Array[] = [];
  blobsIn(zk.server.history, out);
  blobsIn(zk.server.snapshots, out);
  return out;
}

const starts = (b: Uint8Array, magic: number[]) => magic.every((m, i) => b[i] === m);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Everything the existing keys recover from the history: "<name> v<N>" -> material (hex), and
 * the paths of sealed values that open.
 */
function recover(blobs: Uint8Array[], roots: RootKey[], principals: Principal[]):
  { material: Map<string, Set<string>>; opened: number } {
  const material = new Map<string, Set<string>>();
  const keys: { name: string; key: ReturnType<typeof unwrapKey> }[] = [];
  const add = (name: string, version: number, key: ReturnType<typeof unwrapKey>) => {
    const id = `${name} v${version}`;
    material.set(id, (material.get(id) ?? new Set()).add(hex(exposeKeyBytes(key))));
    keys.push({ name, key });
  };
  const attempt = (f: () => void) => {
    try {
      f();
    } catch (error) {
      if (!isCryptoError(error)) throw error;
    }
  };
  for (const blob of blobs) {
    if (starts(blob, WRAPPED)) {
      const name = new TextDecoder().decode(blob.subarray(9, 9 + (blob[8] ?? 0)));
      const version = new DataView(blob.buffer, blob.byteOffset + 9 + (blob[8] ?? 0), 4)
        .getUint32(0);
      for (const root of roots) {
        attempt(() => add(name, version, unwrapKey(root, name, version, blob)));
      }
    }
    if (starts(blob, GRANT)) {
      const h = grantHeaderOf(blob);
      for (const p of principals) {
        attempt(() => add(h.keyName, h.keyVersion, openGrant(p, h.keyName, h.keyVersion, blob)));
      }
    }
  }
  let opened = 0;
  for (const blob of blobs.filter((b) => looksSealed(b))) {
    const header = sealedHeaderOf(blob);
    if (header.keyName !== "k" || header.keyVersion !== 1) continue;
    for (const { name, key } of keys.filter((k) => k.name === "k")) {
      attempt(() => {
        openValue({ name, decryptionKey: () => key }, "/app/a", blob);
        opened++;
      });
    }
  }
  return { material, opened };
}

async function scenario(bugs: ReadonlySet<KeyBug> = new Set()) {
  const zk = new TreeZooKeeper();
  const admin = new KeyService({ zk, actor: ADMIN, random: rng(1, "admin"), bugs });
  const firstShares = await admin.initialize(5, 3);
  const [alice, bob, carol] = ["alice", "bob", "carol"].map((id, i) =>
    Principal.generate(id, rng(20 + i, id))) as [Principal, Principal, Principal];
  for (const p of [alice, bob]) {
    await admin.registerPrincipal(p.publicPart(), { rules: [{ key: "k", ops: ["decrypt"] }] });
  }
  await admin.registerPrincipal(carol.publicPart(), { rules: [{ key: "j", ops: ["decrypt"] }] });
  await admin.createKey("k");
  await admin.createKey("j");
  await zk.create("/app", null, ACL, "PERSISTENT");
  await admin.createSealed("k", "/app/a", text("shred me"));
  await admin.createSealed("j", "/app/b", text("keep me"));
  await admin.grant("k", "alice");
  await admin.grant("k", "bob");
  await admin.grant("j", "carol");
  await admin.revoke("k", "bob"); // bob's grant of v1 is still in the log
  await admin.addVersion("k");
  await admin.promote("k", 2);
  zk.server.snapshot();
  const v1 = hex(exposeKeyBytes((await admin.refresh("k")).versionKey(1).key));
  await admin.setMinDecryptionVersion("k", 2);
  return { zk, admin, alice, bob, carol, v1, firstShares };
}

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
