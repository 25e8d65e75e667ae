/**
 * Byte strings for headers and KDF inputs: UTF-8, big-endian integers and a cursor that reads a
 * header field by field and reports a short buffer as `TRUNCATED` instead of reading past the end.
 * Every variable-length field is length-prefixed, so two different field lists never encode to
 * the same bytes (no ambiguous concatenation in a KDF input).
 */
import { CryptoError } from "./errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A string from UTF-8 bytes, or undefined when they are not valid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Concatenation of byte strings. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A 4-byte big-endian unsigned integer. */
export function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** A byte string prefixed with its length as 4 bytes big-endian. */
export function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  return concat([u32(bytes.length), bytes]);
}

/** Reads a buffer front to back; every read past the end throws TRUNCATED. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array, private readonly what: string) {}

  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }

  /** Bytes left. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(count: number): Uint8Array {
    if (this.remaining < count) {
      throw new CryptoError("TRUNCATED", `${this.what} ends after ${this.bytes.length} bytes`);
    }
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  byte(): number {
    return this.take(1)[0] ?? 0;
  }

  uint32(): number {
    const four = this.take(4);
    return new DataView(four.buffer, four.byteOffset, 4).getUint32(0);
  }

  /** Everything not read yet. */
  rest(): Uint8Array {
    return this.take(this.remaining);
  }
}
