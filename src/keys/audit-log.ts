/**
 * Appending to the audit chain in the tree. An operation's record goes into the SAME multi as
 * the operation: a sequential create of the record under /_zabsim/audit, and a setData of the
 * chain head guarded by the head's version as read. Two writers that read the same head cannot
 * both commit (the second gets BADVERSION and retries on the new head), so the chain never
 * forks; and an operation whose record cannot be written does not happen (fail closed), as
 * Vault refuses a request no audit device can record.
 */
import {
  auditHash, decodeAuditHead, decodeAuditRecord, encodeAuditHead, encodeAuditRecord,
  decodePublicPrincipal, verifyAuditChain,
} from "../crypto/index.js";
import type {
  AuditBody, AuditHead, AuditVerdict, Principal, SignatureCheck,
} from "../crypto/index.js";
import { byString } from "../util/index.js";
import type { KeyBug } from "./bugs.js";
import { KeyServiceError } from "./errors.js";
import { AUDIT_RECORD_PREFIX, AUDIT_ROOT, PRINCIPALS_ROOT, principalPath } from "./layout.js";
import { keeperCodeOf } from "./zk.js";
import type { Acl, Op, ZooKeeperApi } from "./zk.js";

/** What an operation records (the chain fills in seq, prev and actor). */
export type AuditEntry = Omit<AuditBody, "seq" | "prev" | "actor">;

/** The record and head for appending `entry` after `head`. */
export function appendRecord(head: AuditHead, actor: Principal, entry: AuditEntry,
  bugs: ReadonlySet<KeyBug>): { record: Uint8Array; next: AuditHead } {
  const body: AuditBody = { seq: head.seq + 1, prev: head.hash, actor: actor.id, ...entry };
  const record = encodeAuditRecord(body, bugs.has("unsigned-audit") ? undefined : actor);
  return { record, next: { seq: body.seq, hash: auditHash(record) } };
}

/** The two ops that append `entry`: the record, and the head guarded by its version. */
export async function auditOps(zk: ZooKeeperApi, actor: Principal, entry: AuditEntry,
  bugs: ReadonlySet<KeyBug>, acl: readonly Acl[]): Promise<Op[]> {
  const { data, stat } = await zk.getData(AUDIT_ROOT);
  const { record, next } = appendRecord(decodeAuditHead(data), actor, entry, bugs);
  return [
    { type: "create", path: AUDIT_RECORD_PREFIX, data: record, acl,
      mode: "PERSISTENT_SEQUENTIAL", ttl: -1 },
    { type: "setData", path: AUDIT_ROOT, data: encodeAuditHead(next),
      version: bugs.has("unguarded-audit-head") ? -1 : stat.version },
  ];
}

/** How many times a chain read starts over because an append moved the head meanwhile. */
const CHAIN_READ_ATTEMPTS = 20;

/**
 * The stored chain as of one moment: records in sequence-name order, and the head. Reading it
 * takes several calls, and a writer may append between them (a record created after the head
 * was read would look like a record the head does not name). Every append changes the head in
 * the same multi, and a session's reads see the tree at non-decreasing zxids, so when the head's
 * version is the same after the records as before them no append committed in between: the
 * records and the head are one consistent cut. Otherwise the read starts over; a chain that
 * keeps moving for CHAIN_READ_ATTEMPTS reads is CONFLICT.
 */
export async function readAuditChain(zk: ZooKeeperApi):
  Promise<{ records: Uint8Array[]; head: AuditHead }> {
  for (let attempt = 0; attempt < CHAIN_READ_ATTEMPTS; attempt++) {
    const { data, stat } = await zk.getData(AUDIT_ROOT);
    const names = (await zk.getChildren(AUDIT_ROOT)).sort(byString);
    const records: Uint8Array[] = [];
    for (const name of names) {
      records.push((await zk.getData(`${AUDIT_ROOT}/${name}`)).data ?? new Uint8Array());
    }
    const after = await zk.getData(AUDIT_ROOT);
    if (after.stat.version === stat.version) return { records, head: decodeAuditHead(data) };
  }
  throw new KeyServiceError("CONFLICT",
    `the audit chain kept growing over ${CHAIN_READ_ATTEMPTS} reads`);
}

/** The registered signing keys of every principal. */
export async function readSignKeys(zk: ZooKeeperApi): Promise<Map<string, Uint8Array>> {
  const keys = new Map<string, Uint8Array>();
  for (const id of (await zk.getChildren(PRINCIPALS_ROOT)).sort(byString)) {
    try {
      const { data } = await zk.getData(principalPath(id));
      keys.set(id, decodePublicPrincipal(id, data).signPublic);
    } catch (error) {
      if (keeperCodeOf(error) !== "NONODE") throw error;
    }
  }
  return keys;
}

/** Reads and verifies the whole chain in the tree (what a checker runs at the end of a run). */
export async function verifyStoredChain(zk: ZooKeeperApi, verify?: SignatureCheck):
  Promise<AuditVerdict> {
  const { records, head } = await readAuditChain(zk);
  const keys = await readSignKeys(zk);
  return verifyAuditChain(records, head, (actor) => keys.get(actor), verify);
}

/** The bodies of a chain's records (for tests and reports; no verification). */
export function auditBodies(records: readonly Uint8Array[]): AuditBody[] {
  return records.map((r) => decodeAuditRecord(r).body);
}
