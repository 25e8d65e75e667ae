/**
 * Shared by the shredding tests: the scenario (keys, principals, grants, a revoke, a rotation)
 * and the scan of the tree adapter's whole history (every txn and snapshot) with the keys that
 * still exist.
 */
import {
  Principal, isCryptoError, looksSealed, openGrant, openValue, seededRandom, sealedHeaderOf,
  unwrapKey,
} from "../../../src/crypto/index.js";
import type { RootKey } from "../../../src/crypto/index.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { grantHeaderOf } from "../../../src/crypto/grant.js";
import { KeyService } from "../../../src/keys/index.js";
import type { KeyBug } from "../../../src/keys/index.js";
import { Prng } from "../../../src/util/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import { ADMIN, text } from "./helpers.js";

export const rng = (seed: number, name: string) => seededRandom(new Prng(seed, name));
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

export function history(zk: TreeZooKeeper): Uint8Array[] {
  const out: Uint8Array[] = [];
  blobsIn(zk.server.history, out);
  blobsIn(zk.server.snapshots, out);
  return out;
}

const starts = (b: Uint8Array, magic: number[]) => magic.every((m, i) => b[i] === m);
export const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Everything the existing keys recover from the history: "<name> v<N>" -> material (hex), and
 * the paths of sealed values that open.
 */
export function recover(blobs: Uint8Array[], roots: RootKey[], principals: Principal[]):
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

export async function scenario(bugs: ReadonlySet<KeyBug> = new Set()) {
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

