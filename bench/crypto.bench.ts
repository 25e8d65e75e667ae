/**
 * Crypto and key-service benchmarks, all in one run so the figures compare:
 * - seal and open per wall-second of zabsim's sealed values (HKDF subkey + tweetnacl secretbox)
 *   against bare libsodium crypto_secretbox_easy/open_easy and bare tweetnacl, at 100 B, 1 KiB
 *   and 64 KiB (the subkey derivation is the price of the context binding);
 * - encrypted against plain writes per wall-second through the key service over the tree adapter
 *   (prep + apply; the ensemble's clients are not built yet, so this is the client-side cost on
 *   top of a standalone tree, not an end-to-end figure);
 * - rotate (add + promote) plus rewrap of 10,000 values, and its multis.
 */
import nacl from "tweetnacl";
import sodium from "libsodium-wrappers";
import {
  Principal, generateRootKey, openValue, sealValue, seededRandom,
} from "../src/crypto/index.js";
import { KeyService } from "../src/keys/index.js";
import { Prng } from "../src/util/index.js";
import { TreeZooKeeper } from "../test/helpers/tree-zk.js";
import { keyring } from "../test/unit/crypto/helpers.js";
import type { Benchmark, BenchRow } from "./main.js";

const SIZES: readonly [string, number][] = [["100B", 100], ["1KiB", 1024], ["64KiB", 65_536]];
const ACL = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

/**
 * Operations per wall-second of `op`: a warm-up of about `budgetMs`, then the median of three
 * samples of `budgetMs` each (the machine is shared, so single samples wander).
 */
function rate(op: () => void, budgetMs = 250): number {
  const sample = (): number => {
    let count = 0;
    const start = wallMs();
    while (wallMs() - start < budgetMs) {
      for (let i = 0; i < 20; i++) op();
      count += 20;
    }
    return count / ((wallMs() - start) / 1000);
  };
  sample();
  const samples = [sample(), sample(), sample()].sort((a, b) => a - b);
  return Math.round(samples[1] ?? 0);
}

async function sealOpen(): Promise<BenchRow> {
  await sodium.ready;
  const ring = keyring();
  const random = seededRandom(new Prng(1, "bench"));
  const key = random.bytes(32);
  const nonce = random.bytes(24);
  const row: Record<string, number> = {};
  for (const [label, size] of SIZES) {
    const plain = random.bytes(size);
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/a/b" }, plain, random);
    const box = sodium.crypto_secretbox_easy(plain, nonce, key);
    row[`zabsimSeal${label}PerSec`] = rate(() => {
      sealValue(ring.primaryKey(), { kind: "path", path: "/a/b" }, plain, random);
    });
    row[`zabsimOpen${label}PerSec`] = rate(() => openValue(ring, "/a/b", sealed));
    row[`sodiumSeal${label}PerSec`] = rate(() => sodium.crypto_secretbox_easy(plain, nonce, key));
    row[`sodiumOpen${label}PerSec`] = rate(() => sodium.crypto_secretbox_open_easy(box, nonce, key));
    row[`naclSeal${label}PerSec`] = rate(() => nacl.secretbox(plain, nonce, key));
  }
  return row;
}

async function ready(values: number, valueBytes: number): Promise<{
  zk: TreeZooKeeper; service: KeyService;
}> {
  const zk = new TreeZooKeeper();
  const random = seededRandom(new Prng(2, "bench"));
  const service = new KeyService({
    zk, root: generateRootKey(random), random, actor: Principal.generate("admin", random),
  });
  await service.createKey("k");
  await zk.create("/data", null, ACL, "PERSISTENT");
  const plain = new Uint8Array(valueBytes).fill(0x61);
  for (let i = 0; i < values; i++) {
    if (i % 100 === 0) await zk.create(`/data/g${i / 100}`, null, ACL, "PERSISTENT");
    await service.createSealed("k", `/data/g${Math.floor(i / 100)}/v${i}`, plain);
  }
  return { zk, service };
}

/** setData per wall-second, plain and sealed, on one node, through the tree adapter. */
async function encryptedVsPlain(): Promise<BenchRow> {
  const row: Record<string, number> = {};
  for (const [label, size] of SIZES) {
    const { zk, service } = await ready(1, size);
    const plain = new Uint8Array(size).fill(0x62);
    const writes = size > 10_000 ? 2_000 : 20_000;
    let start = wallMs();
    for (let i = 0; i < writes; i++) await zk.setData("/data/g0/v0", plain, -1);
    const plainRate = writes / ((wallMs() - start) / 1000);
    start = wallMs();
    for (let i = 0; i < writes; i++) await service.setSealed("k", "/data/g0/v0", plain);
    const sealedRate = writes / ((wallMs() - start) / 1000);
    row[`plain${label}PerSec`] = Math.round(plainRate);
    row[`sealed${label}PerSec`] = Math.round(sealedRate);
    row[`slowdown${label}`] = Number((plainRate / sealedRate).toFixed(2));
  }
  return row;
}

async function rotateRewrap(): Promise<BenchRow> {
  const { zk, service } = await ready(10_000, 100);
  const writesBefore = zk.writes;
  const start = wallMs();
  await service.addVersion("k");
  await service.promote("k", 2);
  const report = await service.rewrap("k", "/data", { batchSize: 100 });
  const ms = wallMs() - start;
  return {
    values: report.rewrapped, rotateRewrapMs: Math.round(ms),
    valuesPerSec: Math.round(report.rewrapped / (ms / 1000)), batches: report.batches,
    writes: zk.writes - writesBefore,
  };
}

export const benchmarks: Benchmark[] = [
  { name: "crypto/seal-open", run: sealOpen },
  { name: "crypto/encrypted-vs-plain", run: encryptedVsPlain },
  { name: "crypto/rotate-rewrap-10k", run: rotateRewrap },
];
