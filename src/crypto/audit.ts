/**
 * The audit chain's records: what a key-management operation did, signed by the principal that
 * did it (Ed25519, tweetnacl) and chained by hash (SHA-256 of the previous record's bytes), so
 * an offline verifier detects a missing, reordered, altered, unsigned or forked record. Records
 * name keys, versions, principals and generations, which are public; never material.
 *
 *   record = JSON { format: 1, body: { seq, prev, actor, op, key?, version?, subject?, detail? },
 *                   sig: hex(Ed25519(canonical body)) }
 *   head   = JSON { format: 1, seq, hash }   (the chain head node the next append guards on)
 *
 * The verifier takes records in their stored order (the sequential znode names) and the signers'
 * public keys; it is pure and usable by a checker.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import nacl from "tweetnacl";
import { fromUtf8, utf8 } from "./bytes.js";
import { CryptoError } from "./errors.js";
import type { Principal } from "./principal.js";

/** The audited operations (every key-management operation; not each encrypt or decrypt). */
export const AUDIT_OPS = [
  "init", "unseal", "register", "policy", "create", "add-version", "promote", "rewrap-batch",
  "min-decryption", "destroy", "grant", "revoke", "root-rotation", "principal-rotation",
] as const;
export type AuditOp = (typeof AUDIT_OPS)[number];

/** What one record says. */
export interface AuditBody {
  readonly seq: number;
  /** SHA-256 (hex) of the previous record's bytes; GENESIS for the first. */
  readonly prev: string;
  readonly actor: string;
  readonly op: AuditOp;
  readonly key?: string;
  readonly version?: number;
  readonly subject?: string;
  readonly detail?: string;
}

/** The chain head: the newest record's sequence number and hash. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export const GENESIS = "0".repeat(64);
const OPS: ReadonlySet<string> = new Set(AUDIT_OPS);

/** The bytes a record's signature covers: the body's fields in a fixed order. */
function canonical(body: AuditBody): Uint8Array {
  const { seq, prev, actor, op, key, version, subject, detail } = body;
  return utf8(JSON.stringify([seq, prev, actor, op, key ?? null, version ?? null,
    subject ?? null, detail ?? null]));
}

/** A record signed by `signer` (`unsigned` only for the planted bug: no signature at all). */
export function encodeAuditRecord(body: AuditBody, signer: Principal | undefined): Uint8Array {
  const sig = signer === undefined ? "" : bytesToHex(signer.sign(canonical(body)));
  return utf8(JSON.stringify({ format: 1, body, sig }));
}

/** SHA-256 of a record's bytes, hex: what the next record's `prev` names. */
export function auditHash(record: Uint8Array): string {
  return bytesToHex(sha256(record));
}

export function encodeAuditHead(head: AuditHead): Uint8Array {
  return utf8(JSON.stringify({ format: 1, ...head }));
}

const HEX64 = /^[0-9a-f]{64}$/;

function parseJson(bytes: Uint8Array | null, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(fromUtf8(bytes ?? new Uint8Array()) ?? "");
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new CryptoError("MALFORMED", `${what} is not JSON`);
}

function isSeq(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** Parses a chain head; MALFORMED for anything else. */
export function decodeAuditHead(bytes: Uint8Array | null): AuditHead {
  const value = parseJson(bytes, "the audit head");
  if (value.format !== 1 || !isSeq(value.seq) || typeof value.hash !== "string" ||
    !HEX64.test(value.hash)) {
    throw new CryptoError("MALFORMED", "the audit head is invalid");
  }
  return { seq: value.seq, hash: value.hash };
}

function optional(v: unknown, type: "string" | "number"): boolean {
  return v === undefined || typeof v === type;
}

/** Parses a record: its body and signature; MALFORMED for anything else. */
export function decodeAuditRecord(bytes: Uint8Array | null): { body: AuditBody; sig: string } {
  const value = parseJson(bytes, "an audit record");
  const body = value.body as Record<string, unknown> | undefined;
  const ok = value.format === 1 && typeof value.sig === "string" &&
    /^(?:[0-9a-f]{128})?$/.test(value.sig) && typeof body === "object" && body !== null &&
    isSeq(body.seq) && body.seq >= 1 && typeof body.prev === "string" && HEX64.test(body.prev) &&
    typeof body.actor === "string" && typeof body.op === "string" && OPS.has(body.op) &&
    optional(body.key, "string") && optional(body.version, "number") &&
    optional(body.subject, "string") && optional(body.detail, "string");
  if (!ok) throw new CryptoError("MALFORMED", "an audit record is invalid");
  return { body: body as unknown as AuditBody, sig: value.sig as string };
}

/** How a chain fails verification. */
export type AuditProblem =
  | "malformed" | "unsigned" | "unknown-signer" | "bad-signature" | "missing" | "reordered"
  | "fork" | "broken-link" | "head-mismatch";

export type AuditVerdict =
  | { readonly ok: true; readonly count: number; readonly head: AuditHead }
  | { readonly ok: false; readonly index: number; readonly problem: AuditProblem;
    readonly message: string };

/** Ed25519 verification; tweetnacl's by default (a checker may inject another). */
export type SignatureCheck = (message: Uint8Array, sig: Uint8Array, key: Uint8Array) => boolean;
const naclVerify: SignatureCheck = (m, s, k) => nacl.sign.detached.verify(m, s, k);

/** tweetnacl's Ed25519 verification, the default SignatureCheck. */
export const verifySignature: SignatureCheck = naclVerify;

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Checks one record against its predecessor; the problem found, or undefined. */
function recordProblem(record: Uint8Array, index: number, prev: { seq: number; hash: string },
  signKeyOf: (actor: string) => Uint8Array | undefined, verify: SignatureCheck):
  { problem: AuditProblem; message: string } | { body: AuditBody } {
  let parsed;
  try {
    parsed = decodeAuditRecord(record);
  } catch {
    return { problem: "malformed", message: `record ${index} cannot be parsed` };
  }
  const { body, sig } = parsed;
  const at = `record ${index} (seq ${body.seq})`;
  if (sig === "") return { problem: "unsigned", message: `${at} carries no signature` };
  const key = signKeyOf(body.actor);
  if (key === undefined) return { problem: "unknown-signer", message: `${at}: ${body.actor}?` };
  if (!verify(canonical(body), hexBytes(sig), key)) {
    return { problem: "bad-signature", message: `${at} does not verify under ${body.actor}` };
  }
  if (body.seq === prev.seq) return { problem: "fork", message: `${at} repeats a sequence` };
  if (body.seq > prev.seq + 1) return { problem: "missing", message: `${at} after ${prev.seq}` };
  if (body.seq < prev.seq) return { problem: "reordered", message: `${at} after ${prev.seq}` };
  if (body.prev !== prev.hash) {
    return { problem: "broken-link", message: `${at} does not follow the record before it` };
  }
  return { body };
}

/**
 * Verifies a whole chain offline: every record parses, is signed by its actor's registered key,
 * follows its predecessor (sequence number + 1 and `prev` its hash), and the head names the
 * last one (a truncated tail is `missing`).
 */
export function verifyAuditChain(records: readonly Uint8Array[], head: AuditHead,
  signKeyOf: (actor: string) => Uint8Array | undefined,
  verify: SignatureCheck = naclVerify): AuditVerdict {
  let prev = { seq: 0, hash: GENESIS };
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? new Uint8Array();
    const found = recordProblem(record, i, prev, signKeyOf, verify);
    if ("problem" in found) return { ok: false, index: i, ...found };
    prev = { seq: found.body.seq, hash: auditHash(record) };
  }
  if (head.seq > prev.seq) {
    return { ok: false, index: records.length, problem: "missing",
      message: `the head names seq ${head.seq}, the chain ends at ${prev.seq}` };
  }
  if (head.seq !== prev.seq || head.hash !== prev.hash) {
    return { ok: false, index: records.length, problem: "head-mismatch",
      message: `the head (seq ${head.seq}) does not name the last record` };
  }
  return { ok: true, count: records.length, head };
}
