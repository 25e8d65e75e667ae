/**
 * Txn fingerprints and a text form. The fingerprint is a stable 64-bit hash (as 16 hex digits)
 * over every field of a txn, cheap enough for checkers to compare logs entry by entry. The text
 * form is JSON with znode data in base64, for logs and traces that need bytes or text.
 */
import { assert, assertNever, hexWords } from "../util/index.js";
import type { Acl } from "./acl.js";
import { base64Decode, base64Encode } from "./base64.js";
import type { SubTxn, Txn, TxnBody } from "./txn.js";

/**
 * Two FNV-1a-style lanes with different offsets and primes: 64 bits of state without BigInt. It
 * is fed whole 16-bit code units and 32-bit words, not bytes, so a txn costs a few dozen
 * multiplications: it runs for every proposal and delivery of a run.
 */
class Fingerprinter {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  /** Folds one 32-bit word (a number is reduced to its low 32 bits). */
  word(value: number): void {
    this.a = Math.imul(this.a ^ value, 0x01000193);
    this.b = Math.imul(this.b ^ value ^ (this.a >>> 15), 0x2127599b);
  }

  /** Folds the code units, then the length (so "ab"+"c" and "a"+"bc" differ). */
  text(value: string): void {
    for (let i = 0; i < value.length; i++) this.word(value.charCodeAt(i));
    this.word(value.length ^ 0x5f5f5f5f);
  }

  /** A safe integer exactly, as two words; any other number by its decimal text (rare). */
  number(value: number): void {
    if (Number.isSafeInteger(value)) {
      this.word(value >>> 0);
      this.word(Math.floor(value / 0x1_0000_0000));
      return;
    }
    this.text(String(value));
  }

  bytes(value: Uint8Array | null): void {
    if (value === null) {
      this.word(0xffff_fffe);
      return;
    }
    this.number(value.length);
    for (let i = 0; i < value.length; i++) this.word(value[i] ?? 0);
  }

  acl(value: readonly Acl[]): void {
    this.number(value.length);
    for (const entry of value) {
      this.number(entry.perms);
      this.text(entry.id.scheme);
      this.text(entry.id.id);
    }
  }

  hex(): string {
    return hexWords(this.a, this.b);
  }
}

function fingerprintBody(f: Fingerprinter, body: TxnBody | SubTxn): void {
  f.text(body.type);
  switch (body.type) {
    case "create":
    case "create2":
      f.text(body.path); f.bytes(body.data); f.acl(body.acl);
      f.number(body.ephemeral ? 1 : 0); f.number(body.parentCVersion);
      return;
    case "createContainer":
      f.text(body.path); f.bytes(body.data); f.acl(body.acl); f.number(body.parentCVersion);
      return;
    case "createTTL":
      f.text(body.path); f.bytes(body.data); f.acl(body.acl); f.number(body.parentCVersion);
      f.number(body.ttl);
      return;
    case "delete":
    case "deleteContainer":
      f.text(body.path);
      return;
    case "setData":
      f.text(body.path); f.bytes(body.data); f.number(body.version);
      return;
    case "setACL":
      f.text(body.path); f.acl(body.acl); f.number(body.version);
      return;
    case "check":
      f.text(body.path); f.number(body.version);
      return;
    case "error":
      f.text(body.err);
      return;
    case "createSession":
      f.number(body.timeoutMs);
      return;
    case "closeSession":
      f.number(body.paths2Delete.length);
      for (const path of body.paths2Delete) f.text(path);
      return;
    case "multi":
      f.number(body.txns.length);
      for (const sub of body.txns) fingerprintBody(f, sub);
      return;
    default:
      assertNever(body, "txn body");
  }
}

/**
 * Fingerprints and text forms already computed, by txn object. A txn is immutable plain data
 * (txn.ts; the tree never edits a data array in place), and in a simulated ensemble the one
 * object the leader made travels by reference to every follower, its log and the checkers'
 * observations: caching turns one encoding per replica and per observation into one per txn.
 * Weak, so a txn no one holds is not kept alive.
 */
const fingerprints = new WeakMap<Txn, string>();
const texts = new WeakMap<Txn, string>();

/** A stable 16-hex-digit hash of every field of the txn (header and body). */
export function txnFingerprint(txn: Txn): string {
  let fingerprint = fingerprints.get(txn);
  if (fingerprint === undefined) {
    fingerprint = computeFingerprint(txn);
    fingerprints.set(txn, fingerprint);
  }
  return fingerprint;
}

function computeFingerprint(txn: Txn): string {
  const f = new Fingerprinter();
  const { header } = txn;
  f.number(header.sessionId);
  f.number(header.cxid);
  f.number(header.zxid);
  f.number(header.timeMs);
  f.text(header.type);
  fingerprintBody(f, txn.body);
  return f.hex();
}

/** JSON.stringify replacer: znode data as {"base64": "..."}. */
function encodeData(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { base64: base64Encode(value) } : value;
}

/** JSON.parse reviver: undoes encodeData. */
function decodeData(_key: string, value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === "base64" && typeof record.base64 === "string") {
      return base64Decode(record.base64) ?? value;
    }
  }
  return value;
}

/**
 * A body with its data field as {"base64": ...}: the one place a txn holds bytes (txn.ts). The
 * spread keeps the key order, so the text equals what the encodeData replacer gives, without
 * a replacer call per value (which makes JSON.stringify several times slower).
 */
function bodyForJson<B extends TxnBody | SubTxn>(body: B): B {
  if (body.type === "multi") return { ...body, txns: body.txns.map(bodyForJson) };
  if (!("data" in body) || body.data === null) return body;
  assert(body.data instanceof Uint8Array, "txn data is bytes");
  return { ...body, data: { base64: base64Encode(body.data) } };
}

/** The inverse of bodyForJson, on a body just parsed from encodeTxn's text. */
function bodyFromJson(body: Record<string, unknown>): void {
  const { data, txns } = body;
  if (Array.isArray(txns)) for (const sub of txns) bodyFromJson(sub as Record<string, unknown>);
  if (typeof data !== "object" || data === null) return;
  const { base64 } = data as { base64?: unknown };
  assert(typeof base64 === "string", "txn data is {base64} in the text form");
  const bytes = base64Decode(base64);
  assert(bytes !== undefined, "txn data is valid base64");
  body.data = bytes;
}

/** A txn (or any tree value holding Uint8Array data) as JSON text, data in base64. */
export function encodeTxn(txn: Txn): string {
  let text = texts.get(txn);
  if (text === undefined) {
    text = JSON.stringify({ ...txn, body: bodyForJson(txn.body) });
    texts.set(txn, text);
  }
  return text;
}

/** The inverse of encodeTxn. The text must come from encodeTxn (fields are not re-validated). */
export function decodeTxn(text: string): Txn {
  const txn = JSON.parse(text) as { body: Record<string, unknown> };
  bodyFromJson(txn.body);
  return txn as unknown as Txn;
}

/** JSON with Uint8Array values as base64 (used by snapshots too). */
export function encodeWithData(value: unknown): string {
  return JSON.stringify(value, encodeData);
}

/** The inverse of encodeWithData. */
export function decodeWithData(text: string): unknown {
  return JSON.parse(text, decodeData);
}
