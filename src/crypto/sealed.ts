/**
 * Sealed values: a znode value encrypted on the client before it enters the tree, so replicas,
 * their disks, snapshots and traces hold only ciphertext. The format is versioned and
 * self-describing (docs/keys.md draws it):
 *
 *   "zsv" | format=1 | kind | nameLength | keyName | keyVersion(u32) | [sequential fields]
 *   | nonce(24) | secretbox(tag 16 + ciphertext)
 *
 * where the sequential fields are prefixLength(u32) and a 16-byte random value id. Everything
 * before the nonce is the header. The box key is HKDF(version key; header, context) (kdf.ts says
 * why: secretbox has no associated data), where the context is the znode path, or for a
 * sequential create, whose final name the server picks, the parent path and the name prefix;
 * the value id makes every such sealing distinct.
 */
import nacl from "tweetnacl";
import { ByteReader, concat, fromUtf8, u32, utf8 } from "./bytes.js";
import { CryptoError } from "./errors.js";
import { LABEL_SEALED_VALUE, deriveSubkey } from "./kdf.js";
import {
  SEQUENCE_SUFFIX, checkKeyName, checkPath, childNameOf, keyNameProblem, parentOf,
} from "./names.js";
import type { RandomSource } from "./random.js";
import type { SecretKey } from "./secret-key.js";
import { exposeKeyBytes } from "./secret-key.js";

/** "zsv": the first bytes of every sealed value. */
export const SEALED_MAGIC = Uint8Array.of(0x7a, 0x73, 0x76);
/** The only format this code writes and reads. */
export const SEALED_FORMAT = 1;
export const NONCE_BYTES = nacl.secretbox.nonceLength;
export const TAG_BYTES = nacl.secretbox.overheadLength;
export const VALUE_ID_BYTES = 16;
/** Key versions count from 1 and fit in a u32. */
export const KEY_VERSION_MAX = 0xffff_ffff;

/** Where a value may be opened: exactly one path, or any sequential child of a parent. */
export type SealContext =
  | { readonly kind: "path"; readonly path: string }
  | {
    readonly kind: "sequential"; readonly parentPath: string; readonly prefix: string;
    /** The value id to carry (rewrap keeps a value's id); a fresh random one when absent. */
    readonly valueId?: Uint8Array;
  };

/** One version of a named key, as sealing needs it. */
export interface VersionedKey {
  readonly name: string;
  readonly version: number;
  readonly key: SecretKey;
}

/** The keys a reader holds for one key name; resolving a version may fail with a typed error. */
export interface DecryptionKeys {
  readonly name: string;
  /** The key of `version`, or a CryptoError: UNKNOWN_VERSION, VERSION_DESTROYED, ..._MINIMUM. */
  decryptionKey(version: number): SecretKey;
}

/** The cleartext header of a sealed value (public: key name and version, never material). */
export interface SealedHeader {
  readonly format: number;
  readonly kind: SealContext["kind"];
  readonly keyName: string;
  readonly keyVersion: number;
  /** Sequential values: the UTF-8 length of the sealed name prefix. */
  readonly prefixBytes?: number;
  /** Sequential values: the random id that makes each sealing distinct. */
  readonly valueId?: Uint8Array;
}

/** A parsed sealed value: its header, the header's bytes, the nonce and the box. */
export interface SealedParts {
  readonly header: SealedHeader;
  readonly headerBytes: Uint8Array;
  readonly nonce: Uint8Array;
  readonly box: Uint8Array;
}

const KIND_PATH = 0;
const KIND_SEQUENTIAL = 1;

/** The context for `create(createPath, ..., *_SEQUENTIAL)`: its parent and its name prefix. */
export function sequentialContext(createPath: string): SealContext {
  checkPath(createPath.endsWith("/") ? `${createPath}0` : createPath);
  const slash = createPath.lastIndexOf("/");
  const parentPath = slash === 0 ? "/" : createPath.slice(0, slash);
  return { kind: "sequential", parentPath, prefix: createPath.slice(slash + 1) };
}

function encodeHeader(name: string, version: number, context: SealContext,
  valueId: Uint8Array | undefined): Uint8Array {
  const nameBytes = utf8(name);
  const common = [SEALED_MAGIC, Uint8Array.of(SEALED_FORMAT)];
  if (context.kind === "path") {
    return concat([...common, Uint8Array.of(KIND_PATH, nameBytes.length), nameBytes, u32(version)]);
  }
  const prefix = utf8(context.prefix);
  return concat([...common, Uint8Array.of(KIND_SEQUENTIAL, nameBytes.length), nameBytes,
    u32(version), u32(prefix.length), valueId ?? new Uint8Array(VALUE_ID_BYTES)]);
}

/** The KDF context fields: the path, or the parent path and the prefix. */
function contextFields(context: SealContext): Uint8Array[] {
  return context.kind === "path"
    ? [utf8(context.path)]
    : [utf8(context.parentPath), utf8(context.prefix)];
}

function checkContext(context: SealContext): void {
  if (context.kind === "path") {
    checkPath(context.path);
    return;
  }
  checkPath(context.parentPath);
  if (typeof context.prefix !== "string" || context.prefix.includes("/")) {
    throw new CryptoError("BAD_PATH", "a sequential name prefix is a string without '/'");
  }
  const child = context.parentPath === "/" ? "/" : `${context.parentPath}/`;
  checkPath(`${child}${context.prefix}0000000000`);
  if (context.valueId !== undefined && !(context.valueId instanceof Uint8Array &&
    context.valueId.length === VALUE_ID_BYTES)) {
    throw new CryptoError("BAD_ARGUMENT", `a value id is ${VALUE_ID_BYTES} bytes`);
  }
}

/** Encrypts `plaintext` for `context` under one key version (a fresh nonce from `random`). */
export function sealValue(key: VersionedKey, context: SealContext, plaintext: Uint8Array,
  random: RandomSource): Uint8Array {
  checkKeyName(key.name);
  if (!Number.isInteger(key.version) || key.version < 1 || key.version > KEY_VERSION_MAX) {
    throw new CryptoError("BAD_ARGUMENT", `key version ${key.version} is not in 1..2^32-1`);
  }
  if (!(plaintext instanceof Uint8Array)) {
    throw new CryptoError("BAD_ARGUMENT", "a plaintext is a Uint8Array");
  }
  checkContext(context);
  const valueId = context.kind === "sequential"
    ? context.valueId ?? random.bytes(VALUE_ID_BYTES) : undefined;
  const headerBytes = encodeHeader(key.name, key.version, context, valueId);
  const subkey = deriveSubkey(exposeKeyBytes(key.key), LABEL_SEALED_VALUE,
    [headerBytes, ...contextFields(context)]);
  const nonce = random.bytes(NONCE_BYTES);
  const box = nacl.secretbox(plaintext, nonce, subkey);
  subkey.fill(0);
  return concat([headerBytes, nonce, box]);
}

/** Reads the magic bytes: GARBAGE on a wrong byte, TRUNCATED when the value stops inside them. */
export function readMagic(reader: ByteReader, magic: Uint8Array, what: string,
  bytes: Uint8Array): void {
  for (let i = 0; i < magic.length; i++) {
    if (i < bytes.length && bytes[i] !== magic[i]) {
      throw new CryptoError("GARBAGE", `not a ${what}`);
    }
  }
  reader.take(magic.length);
}

/** Reads a length-prefixed (1 byte) key name and checks it: MALFORMED when invalid. */
export function readKeyName(reader: ByteReader): string {
  const name = fromUtf8(reader.take(reader.byte()));
  if (name === undefined || keyNameProblem(name) !== undefined) {
    throw new CryptoError("MALFORMED", "the header's key name is invalid");
  }
  return name;
}

/** Reads a key version: MALFORMED for 0. */
export function readKeyVersion(reader: ByteReader): number {
  const version = reader.uint32();
  if (version === 0) throw new CryptoError("MALFORMED", "the header's key version is 0");
  return version;
}

/** Splits a sealed value into header, nonce and box, with typed errors for bad bytes. */
export function parseSealed(sealed: Uint8Array): SealedParts {
  if (!(sealed instanceof Uint8Array)) {
    throw new CryptoError("BAD_ARGUMENT", "a sealed value is a Uint8Array");
  }
  const reader = new ByteReader(sealed, "sealed value");
  readMagic(reader, SEALED_MAGIC, "sealed value", sealed);
  const format = reader.byte();
  if (format !== SEALED_FORMAT) {
    throw new CryptoError("UNSUPPORTED_FORMAT", `sealed value format ${format}`);
  }
  const kindByte = reader.byte();
  if (kindByte !== KIND_PATH && kindByte !== KIND_SEQUENTIAL) {
    throw new CryptoError("MALFORMED", `unknown context kind ${kindByte}`);
  }
  const keyName = readKeyName(reader);
  const keyVersion = readKeyVersion(reader);
  let header: SealedHeader = { format, kind: "path", keyName, keyVersion };
  if (kindByte === KIND_SEQUENTIAL) {
    const prefixBytes = reader.uint32();
    const valueId = Uint8Array.from(reader.take(VALUE_ID_BYTES));
    header = { ...header, kind: "sequential", prefixBytes, valueId };
  }
  const headerBytes = sealed.subarray(0, reader.position);
  const nonce = reader.take(NONCE_BYTES);
  const box = reader.rest();
  if (box.length < TAG_BYTES) {
    throw new CryptoError("TRUNCATED", "the sealed value's box is shorter than its tag");
  }
  return { header, headerBytes, nonce, box };
}

/** The context a value at `path` was sealed for, per its header; CONTEXT_MISMATCH if none fits. */
export function contextAt(path: string, header: SealedHeader): SealContext {
  if (header.kind === "path") return { kind: "path", path };
  const mismatch = (why: string) =>
    new CryptoError("CONTEXT_MISMATCH", `a sequential value cannot be at ${path}: ${why}`);
  if (path === "/") throw mismatch("the root has no name");
  const name = utf8(childNameOf(path));
  const prefixBytes = header.prefixBytes ?? 0;
  if (prefixBytes > name.length) throw mismatch("the name is shorter than the sealed prefix");
  const prefix = fromUtf8(name.subarray(0, prefixBytes));
  const suffix = fromUtf8(name.subarray(prefixBytes));
  if (prefix === undefined || suffix === undefined || !SEQUENCE_SUFFIX.test(suffix)) {
    throw mismatch("the name has no sequence suffix after the sealed prefix");
  }
  return { kind: "sequential", parentPath: parentOf(path), prefix, valueId: header.valueId };
}

/**
 * Decrypts the value stored at `path`. Returns the plaintext only when the header names the
 * reader's key, the version may decrypt, the path fits the sealed context and the authenticator
 * verifies; otherwise a typed CryptoError (never wrong plaintext).
 */
export function openValue(keys: DecryptionKeys, path: string, sealed: Uint8Array): Uint8Array {
  checkPath(path);
  const parts = parseSealed(sealed);
  const { header } = parts;
  if (header.keyName !== keys.name) {
    throw new CryptoError("WRONG_KEY",
      `the value is sealed under key "${header.keyName}", not "${keys.name}"`);
  }
  const key = keys.decryptionKey(header.keyVersion);
  const context = contextAt(path, header);
  const subkey = deriveSubkey(exposeKeyBytes(key), LABEL_SEALED_VALUE,
    [parts.headerBytes, ...contextFields(context)]);
  const plaintext = nacl.secretbox.open(parts.box, parts.nonce, subkey);
  subkey.fill(0);
  if (plaintext === null) {
    throw new CryptoError("NOT_AUTHENTIC", `the value at ${path} does not authenticate under ` +
      `"${header.keyName}" v${header.keyVersion} (tampered, relabelled or moved)`);
  }
  return plaintext;
}

/** The header of a sealed value without opening it (rewrap decides from it what to re-seal). */
export function sealedHeaderOf(sealed: Uint8Array): SealedHeader {
  return parseSealed(sealed).header;
}

/** True when the bytes start like a sealed value (the magic and a known format). */
export function looksSealed(bytes: Uint8Array | null): boolean {
  if (bytes === null || bytes.length < SEALED_MAGIC.length + 1) return false;
  return bytes[0] === SEALED_MAGIC[0] && bytes[1] === SEALED_MAGIC[1] &&
    bytes[2] === SEALED_MAGIC[2] && bytes[3] === SEALED_FORMAT;
}

/** The box key of a value (for interop tests: libsodium opens the box with it). */
export function valueSubkey(key: SecretKey, path: string, sealed: Uint8Array): Uint8Array {
  const parts = parseSealed(sealed);
  return deriveSubkey(exposeKeyBytes(key), LABEL_SEALED_VALUE,
    [parts.headerBytes, ...contextFields(contextAt(path, parts.header))]);
}
