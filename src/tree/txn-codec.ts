/**
 * Txn fingerprints and a text form. The fingerprint is a stable 64-bit hash (as 16 hex digits)
 * over every field of a txn, cheap enough for checkers to compare logs entry by entry. The text
 * form is JSON with znode data in base64, for logs and traces that need bytes or text.
 */
import { assertNever } from "../util/index.js";
import type { Acl } from "./acl.js";
import { base64Decode, base64Encode } from "./sha1.js";
import type { SubTxn, Txn, TxnBody } from "./txn.js";

/** Two FNV-1a lanes with different offsets: 64 bits of state without BigInt. */
class Fingerprinter {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  byte(value: number): void {
    this.a = Math.imul(this.a ^ (value & 0xff), 0x01000193) >>> 0;
    this.b = Math.imul(this.b ^ (value & 0xff), 0x01000193 + 2) >>> 0;
  }

  text(value: string): void {
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      this.byte(code >>> 8);
      this.byte(code);
    }
    this.byte(0xff);
  }

  number(value: number): void {
    this.text(String(value));
  }

  bytes(value: Uint8Array | null): void {
    if (value === null) {
      this.text("null");
      return;
    }
    this.number(value.length);
    for (let i = 0; i < value.length; i++) this.byte(value[i] ?? 0);
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
    return this.a.toString(16).padStart(8, "0") + this.b.toString(16).padStart(8, "0");
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

/** A stable 16-hex-digit hash of every field of the txn (header and body). */
export function txnFingerprint(txn: Txn): string {
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

/** A txn (or any tree value holding Uint8Array data) as JSON text, data in base64. */
export function encodeTxn(txn: Txn): string {
  return JSON.stringify(txn, encodeData);
}

/** The inverse of encodeTxn. The text must come from encodeTxn (fields are not re-validated). */
export function decodeTxn(text: string): Txn {
  return JSON.parse(text, decodeData) as Txn;
}

/** JSON with Uint8Array values as base64 (used by snapshots too). */
export function encodeWithData(value: unknown): string {
  return JSON.stringify(value, encodeData);
}

/** The inverse of encodeWithData. */
export function decodeWithData(text: string): unknown {
  return JSON.parse(text, decodeData);
}
