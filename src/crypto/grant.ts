/**
 * A grant: one key version's material sealed to a principal's X25519 public key (tweetnacl box,
 * which libsodium opens with crypto_box_open_easy), as it is stored in the tree:
 *
 *   "zgt" | format=1 | boxGeneration(u32) | idLength | principalId | nameLength | keyName
 *   | keyVersion(u32) | senderPublic(32) | nonce(24) | box(tag 16 + header + key 32)
 *
 * The sender is an ephemeral key pair drawn per grant and wiped at once (like libsodium's sealed
 * boxes, but with the sender's public key in the clear so crypto_box_open_easy opens it). Box
 * has no associated data, so the header is also sealed inside the box, and opening compares the
 * two: a grant relabelled to another principal, key, version or box generation does not open.
 */
import nacl from "tweetnacl";
import { ByteReader, concat, fromUtf8, u32, utf8 } from "./bytes.js";
import { CryptoError } from "./errors.js";
import { checkKeyName } from "./names.js";
import { checkPrincipalId, exposeBoxSecret, principalIdProblem } from "./principal.js";
import type { Principal, PublicPrincipal } from "./principal.js";
import type { RandomSource } from "./random.js";
import { KEY_VERSION_MAX, readKeyName, readKeyVersion, readMagic } from "./sealed.js";
import { KEY_BYTES, SecretKey, exposeKeyBytes } from "./secret-key.js";

/** "zgt": the first bytes of every grant. */
export const GRANT_MAGIC = Uint8Array.of(0x7a, 0x67, 0x74);
export const GRANT_FORMAT = 1;

/** The public fields of a grant. */
export interface GrantHeader {
  readonly boxGeneration: number;
  readonly principalId: string;
  readonly keyName: string;
  readonly keyVersion: number;
}

function encodeHeader(h: GrantHeader): Uint8Array {
  const id = utf8(h.principalId);
  const name = utf8(h.keyName);
  return concat([GRANT_MAGIC, Uint8Array.of(GRANT_FORMAT), u32(h.boxGeneration),
    Uint8Array.of(id.length), id, Uint8Array.of(name.length), name, u32(h.keyVersion)]);
}

/** Seals version `version` of `name` to `recipient`'s current box public key. */
export function sealGrant(recipient: PublicPrincipal, name: string, version: number,
  material: SecretKey, random: RandomSource): Uint8Array {
  checkPrincipalId(recipient.id);
  checkKeyName(name);
  if (!Number.isInteger(version) || version < 1 || version > KEY_VERSION_MAX) {
    throw new CryptoError("BAD_ARGUMENT", `key version ${version} is not in 1..2^32-1`);
  }
  const header = encodeHeader({
    boxGeneration: recipient.boxGeneration, principalId: recipient.id, keyName: name,
    keyVersion: version,
  });
  const sender = nacl.box.keyPair.fromSecretKey(random.bytes(nacl.box.secretKeyLength));
  const nonce = random.bytes(nacl.box.nonceLength);
  const inner = concat([header, exposeKeyBytes(material)]);
  const box = nacl.box(inner, nonce, recipient.boxPublic, sender.secretKey);
  inner.fill(0);
  sender.secretKey.fill(0);
  return concat([header, sender.publicKey, nonce, box]);
}

/** The parts of a grant, with typed errors for bad bytes. */
export function parseGrant(grant: Uint8Array): {
  header: GrantHeader; headerBytes: Uint8Array; sender: Uint8Array; nonce: Uint8Array;
  box: Uint8Array;
} {
  if (!(grant instanceof Uint8Array)) {
    throw new CryptoError("BAD_ARGUMENT", "a grant is a Uint8Array");
  }
  const reader = new ByteReader(grant, "grant");
  readMagic(reader, GRANT_MAGIC, "grant", grant);
  const format = reader.byte();
  if (format !== GRANT_FORMAT) {
    throw new CryptoError("UNSUPPORTED_FORMAT", `grant format ${format}`);
  }
  const boxGeneration = reader.uint32();
  const principalId = fromUtf8(reader.take(reader.byte()));
  if (boxGeneration === 0 || principalIdProblem(principalId) !== undefined) {
    throw new CryptoError("MALFORMED", "the grant's header is invalid");
  }
  const header: GrantHeader = {
    boxGeneration, principalId: principalId ?? "", keyName: readKeyName(reader),
    keyVersion: readKeyVersion(reader),
  };
  const headerBytes = grant.subarray(0, reader.position);
  const sender = reader.take(nacl.box.publicKeyLength);
  const nonce = reader.take(nacl.box.nonceLength);
  const box = reader.rest();
  const expected = nacl.box.overheadLength + headerBytes.length + KEY_BYTES;
  if (box.length !== expected) {
    throw new CryptoError(box.length < expected ? "TRUNCATED" : "MALFORMED",
      "a grant's box holds its header and exactly one key");
  }
  return { header, headerBytes, sender, nonce, box };
}

/** The header of a grant without opening it. */
export function grantHeaderOf(grant: Uint8Array): GrantHeader {
  return parseGrant(grant).header;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Opens a grant of `name` v`version` with the principal's current box key. Typed errors:
 * GARBAGE, TRUNCATED, UNSUPPORTED_FORMAT, MALFORMED, WRONG_KEY (another principal, key,
 * version or box generation), NOT_AUTHENTIC (tampered, or relabelled inside).
 */
export function openGrant(principal: Principal, name: string, version: number,
  grant: Uint8Array): SecretKey {
  const parts = parseGrant(grant);
  const { header } = parts;
  if (header.principalId !== principal.id || header.keyName !== name ||
    header.keyVersion !== version || header.boxGeneration !== principal.boxGeneration) {
    throw new CryptoError("WRONG_KEY", `grant of "${header.keyName}" v${header.keyVersion} to ` +
      `${header.principalId} (box gen ${header.boxGeneration}), expected "${name}" v${version} ` +
      `to ${principal.id} (box gen ${principal.boxGeneration})`);
  }
  const inner = nacl.box.open(parts.box, parts.nonce, parts.sender, exposeBoxSecret(principal));
  if (inner === null || !sameBytes(inner.subarray(0, parts.headerBytes.length),
    parts.headerBytes)) {
    inner?.fill(0);
    throw new CryptoError("NOT_AUTHENTIC", `the grant of "${name}" v${version} to ` +
      `${principal.id} does not authenticate`);
  }
  const key = SecretKey.fromBytes(inner.subarray(parts.headerBytes.length), `${name} v${version}`);
  inner.fill(0);
  return key;
}
