/**
 * Key-management figures (issue 16): grant, revoke and root rotation with 10, 100 and 1,000
 * keys in the tree; audit records appended per second; offline verification of a 100,000-record
 * audit chain. Everything runs through the key service over the tree adapter, so each figure
 * includes the audited multi (policy check, Ed25519 signature, chain head guard).
 *
 * Ed25519 in tweetnacl is slow (about 100 verifications and 350 signatures per second here), so
 * the 100k chain is built with libsodium signatures (the same bytes tweetnacl would produce:
 * Ed25519 is deterministic) and verified three ways: hash links only, links plus libsodium
 * signature checks (the verifier takes the check as a parameter), and tweetnacl's checks timed
 * on the first 1,000 records and scaled (a full run would take many minutes).
 */
import sodium from "libsodium-wrappers";
import {
  GENESIS, Principal, auditHash, generateRootKey, seededRandom, verifyAuditChain,
} from "../src/crypto/index.js";
import type { AuditHead } from "../src/crypto/index.js";
import { KeyService } from "../src/keys/index.js";
import { Prng } from "../src/util/index.js";
import { TreeZooKeeper } from "../test/helpers/tree-zk.js";
import type { Benchmark, BenchRow } from "./main.js";

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

async function withKeys(count: number): Promise<{ service: KeyService; names: string[] }> {
  const zk = new TreeZooKeeper();
  const random = seededRandom(new Prng(3, "keys-bench"));
  const service = new KeyService({
    zk, root: generateRootKey(random), random, actor: Principal.generate("admin", random),
  });
  const names = Array.from({ length: count }, (_, i) => `key${i}`);
  for (const name of names) await service.createKey(name);
  const bob = Principal.generate("bob", random);
  await service.registerPrincipal(bob.publicPart(), { rules: [{ key: "*", ops: ["decrypt"] }] });
  return { service, names };
}

/** Milliseconds per call of `op` over `names` (every key once), and the total. */
async function perKey(names: readonly string[], op: (name: string) => Promise<unknown>):
  Promise<number> {
  const start = wallMs();
  for (const name of names) await op(name);
  return (wallMs() - start) / names.length;
}

async function grantRevokeRotate(): Promise<BenchRow> {
  const row: Record<string, number> = {};
  for (const count of [10, 100, 1000]) {
    const { service, names } = await withKeys(count);
    row[`grantMs@${count}`] = Number((await perKey(names, (n) => service.grant(n, "bob")))
      .toFixed(2));
    row[`revokeMs@${count}`] = Number((await perKey(names, (n) => service.revoke(n, "bob")))
      .toFixed(2));
    const start = wallMs();
    await service.rotateRoot();
    row[`rootRotationMs@${count}`] = Math.round(wallMs() - start);
  }
  return row;
}

async function auditAppends(): Promise<BenchRow> {
  const { service } = await withKeys(1);
  const count = 500;
  const start = wallMs();
  for (let i = 0; i < count; i++) {
    await service.attempt(async () => ({ ops: [], entry: { op: "policy", detail: `${i}` },
      permission: undefined }), "bench");
  }
  return { recordsPerSec: Math.round(count / ((wallMs() - start) / 1000)) };
}

/** A chain of `count` records signed with libsodium, in zabsim's record format. */
function buildChain(count: number, secretKey: Uint8Array): { records: Uint8Array[];
  head: AuditHead } {
  const records: Uint8Array[] = [];
  let prev = GENESIS;
  const encoder = new TextEncoder();
  for (let seq = 1; seq <= count; seq++) {
    const body = { seq, prev, actor: "admin", op: "grant", key: `key${seq % 1000}`, version: 1,
      subject: "bob" };
    const signed = encoder.encode(JSON.stringify([seq, prev, "admin", "grant", body.key, 1,
      "bob", null]));
    const sig = Buffer.from(sodium.crypto_sign_detached(signed, secretKey)).toString("hex");
    const record = encoder.encode(JSON.stringify({ format: 1, body, sig }));
    records.push(record);
    prev = auditHash(record);
  }
  return { records, head: { seq: count, hash: prev } };
}

async function chainVerification(): Promise<BenchRow> {
  await sodium.ready;
  const pair = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(7));
  const count = 100_000;
  const { records, head } = buildChain(count, pair.privateKey);
  const keyOf = () => pair.publicKey;
  let start = wallMs();
  const links = verifyAuditChain(records, head, keyOf, () => true);
  const linksMs = wallMs() - start;
  start = wallMs();
  const full = verifyAuditChain(records, head, keyOf,
    (m, s, k) => sodium.crypto_sign_verify_detached(s, m, k));
  const sodiumMs = wallMs() - start;
  const sample = records.slice(0, 1000);
  const sampleHead = { seq: 1000, hash: auditHash(sample[999] ?? new Uint8Array()) };
  start = wallMs();
  const nacl = verifyAuditChain(sample, sampleHead, keyOf);
  const naclMs = (wallMs() - start) * (count / 1000);
  if (!links.ok || !full.ok || !nacl.ok) throw new Error("bench chain does not verify");
  return { records: count, linksOnlyMs: Math.round(linksMs), withSodiumSigsMs: Math.round(sodiumMs),
    withTweetnaclSigsMsScaled: Math.round(naclMs) };
}

export const benchmarks: Benchmark[] = [
  { name: "keys/grant-revoke-rotate", run: grantRevokeRotate },
  { name: "keys/audit-appends", run: auditAppends },
  { name: "keys/chain-verify-100k", run: chainVerification },
];
