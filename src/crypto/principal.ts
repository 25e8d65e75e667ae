/**
 * A principal: a person or program the key service grants keys to. It holds
 * - a 32-byte secret, from which its ZooKeeper `digest` password is derived (HKDF), so the same
 *   identity authenticates to a real server unchanged (addAuth "digest" "<id>:<password>");
 * - an X25519 box key pair (tweetnacl box): grants are sealed to its public half. The pair has a
 *   generation and is rotated when a key version granted to it is destroyed (crypto-shredding:
 *   old transaction logs still hold grants sealed to the old public key, so the old private key
 *   must go);
 * - an Ed25519 signing key pair: it signs the audit records of what it does.
 * The public halves are registered in the tree (`PublicPrincipal`); the private halves live in
 * ES private fields and never print, like SecretKey's bytes.
 */
import { sha1 } from "@noble/hashes/legacy.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import nacl from "tweetnacl";
import { fromUtf8, utf8 } from "./bytes.js";
import { CryptoError } from "./errors.js";
import { LABEL_ZK_DIGEST, deriveSubkey } from "./kdf.js";
import type { RandomSource } from "./random.js";
import { KEY_VERSION_MAX } from "./sealed.js";
import { SecretKey, exposeKeyBytes } from "./secret-key.js";

const PRINCIPAL_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Why `id` cannot name a principal, or undefined. (It is a znode name and a digest user.) */
export function principalIdProblem(id: unknown): string | undefined {
  if (typeof id !== "string" || !PRINCIPAL_ID.test(id)) {
    return "a principal id is 1..64 of A-Z a-z 0-9 . _ - and starts with no dot or dash";
  }
  return undefined;
}

export function checkPrincipalId(id: unknown): asserts id is string {
  const problem = principalIdProblem(id);
  if (problem !== undefined) {
    throw new CryptoError("BAD_ARGUMENT", `${problem}: ${JSON.stringify(String(id))}`);
  }
}

/** What the tree holds about a principal: public keys only. */
export interface PublicPrincipal {
  readonly id: string;
  readonly boxGeneration: number;
  readonly boxPublic: Uint8Array;
  readonly signPublic: Uint8Array;
  /** The ACL id ZooKeeper's digest provider derives from the credentials: id:base64(sha1). */
  readonly zkDigest: string;
}

/** DigestAuthenticationProvider.generateDigest of "<id>:<password>". */
export function zkDigestOf(credentials: string): string {
  const id = credentials.slice(0, credentials.indexOf(":"));
  return `${id}:${btoa(String.fromCharCode(...sha1(utf8(credentials))))}`;
}

/** Reads a principal's private box key; set by the class's static block (grant.ts uses it). */
let readBoxSecret: (p: Principal) => Uint8Array = () => new Uint8Array();

/** A principal's key pairs and secret (held by the principal, never stored in the tree). */
export class Principal {
  readonly id: string;
  readonly #secret: SecretKey;
  #boxGeneration: number;
  #boxPublic: Uint8Array;
  #boxSecret: Uint8Array;
  readonly #signPublic: Uint8Array;
  readonly #signSecret: Uint8Array;
  #pendingBox: nacl.BoxKeyPair | undefined;

  private constructor(id: string, secret: SecretKey, box: nacl.BoxKeyPair,
    sign: nacl.SignKeyPair) {
    this.id = id;
    this.#secret = secret;
    this.#boxGeneration = 1;
    this.#boxPublic = box.publicKey;
    this.#boxSecret = box.secretKey;
    this.#signPublic = sign.publicKey;
    this.#signSecret = sign.secretKey;
  }

  /** A new principal, every key drawn from `random`. */
  static generate(id: string, random: RandomSource): Principal {
    checkPrincipalId(id);
    const secret = SecretKey.generate(random, `principal ${id}`);
    const box = nacl.box.keyPair.fromSecretKey(random.bytes(nacl.box.secretKeyLength));
    const seed = random.bytes(nacl.sign.seedLength);
    const sign = nacl.sign.keyPair.fromSeed(seed);
    seed.fill(0);
    return new Principal(id, secret, box, sign);
  }

  static {
    readBoxSecret = (p) => p.#boxSecret;
  }

  get boxGeneration(): number {
    return this.#boxGeneration;
  }

  /** The public halves, as registered in the tree. */
  publicPart(): PublicPrincipal {
    return {
      id: this.id, boxGeneration: this.#boxGeneration, boxPublic: this.#boxPublic.slice(),
      signPublic: this.#signPublic.slice(), zkDigest: zkDigestOf(this.digestAuth()),
    };
  }

  /**
   * ZooKeeper digest credentials: "<id>:<password>", the password HKDF(secret; label, id) in
   * hex. The server stores only "<id>:base64(sha1(<id>:<password>))" in ACLs.
   */
  digestAuth(): string {
    const password = deriveSubkey(exposeKeyBytes(this.#secret), LABEL_ZK_DIGEST, [utf8(this.id)]);
    const text = `${this.id}:${bytesToHex(password)}`;
    password.fill(0);
    return text;
  }

  /**
   * Phase one of a box key rotation: a new key pair (generation + 1), held aside; its public
   * part is what the tree must register (with the grants re-sealed to it) before it is used.
   */
  prepareBox(random: RandomSource): PublicPrincipal {
    if (this.#boxGeneration >= KEY_VERSION_MAX) {
      throw new CryptoError("NOT_ALLOWED", `principal ${this.id} has no box generations left`);
    }
    this.abortBox();
    this.#pendingBox = nacl.box.keyPair.fromSecretKey(random.bytes(nacl.box.secretKeyLength));
    return { ...this.publicPart(), boxGeneration: this.#boxGeneration + 1,
      boxPublic: this.#pendingBox.publicKey.slice() };
  }

  /** Phase two, once the tree holds the new public key: switch, and wipe the old private key. */
  commitBox(): void {
    const next = this.#pendingBox;
    if (next === undefined) throw new CryptoError("NOT_ALLOWED", "no box rotation prepared");
    this.#boxSecret.fill(0);
    this.#boxSecret = next.secretKey;
    this.#boxPublic = next.publicKey;
    this.#boxGeneration++;
    this.#pendingBox = undefined;
  }

  /** Drops a prepared rotation (the tree did not take it). */
  abortBox(): void {
    this.#pendingBox?.secretKey.fill(0);
    this.#pendingBox = undefined;
  }

  /** Both phases at once (for a principal not registered anywhere yet, and tests). */
  rotateBox(random: RandomSource): void {
    this.prepareBox(random);
    this.commitBox();
  }

  /** An Ed25519 detached signature of `message`. */
  sign(message: Uint8Array): Uint8Array {
    return nacl.sign.detached(message, this.#signSecret);
  }

  toString(): string {
    return `[principal ${this.id}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** The private box key of the principal's current generation (crypto's own files only). */
export function exposeBoxSecret(p: Principal): Uint8Array {
  return readBoxSecret(p);
}

/** The stored form of a public principal: JSON, keys in hex. */
export function encodePublicPrincipal(p: PublicPrincipal): Uint8Array {
  return utf8(JSON.stringify({
    format: 1, id: p.id, boxGeneration: p.boxGeneration, boxPublic: bytesToHex(p.boxPublic),
    signPublic: bytesToHex(p.signPublic), zkDigest: p.zkDigest,
  }));
}

function hexKey(value: unknown, length: number): Uint8Array | undefined {
  if (typeof value !== "string" || value.length !== 2 * length || !/^[0-9a-f]*$/.test(value)) {
    return undefined;
  }
  return hexToBytes(value);
}

/** Parses a registered principal; MALFORMED for anything else (the id must match `id`). */
export function decodePublicPrincipal(id: string, data: Uint8Array | null): PublicPrincipal {
  const bad = () => new CryptoError("MALFORMED", `principal ${id}'s record is not valid`);
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(fromUtf8(data ?? new Uint8Array()) ?? "") as Record<string, unknown>;
  } catch {
    throw bad();
  }
  if (typeof value !== "object" || value === null || value.format !== 1 || value.id !== id) {
    throw bad();
  }
  const boxPublic = hexKey(value.boxPublic, nacl.box.publicKeyLength);
  const signPublic = hexKey(value.signPublic, nacl.sign.publicKeyLength);
  const generation = value.boxGeneration;
  const zkDigest = value.zkDigest;
  if (typeof zkDigest !== "string" || !zkDigest.startsWith(`${id}:`) ||
    !/^[A-Za-z0-9+/]{27}=$/.test(zkDigest.slice(id.length + 1))) {
    throw bad();
  }
  if (boxPublic === undefined || signPublic === undefined || typeof generation !== "number" ||
    !Number.isInteger(generation) || generation < 1 || generation > KEY_VERSION_MAX) {
    throw bad();
  }
  return { id, boxGeneration: generation, boxPublic, signPublic, zkDigest };
}
