/**
 * What the key service's clients report in an `--encrypt` run (docs/keys.md, "The --encrypt
 * run"): each key-service action as an invoke and a complete (so a checker can order it against
 * others), the facts of every sealed value written or read, and, at the end of the run, the
 * data bytes on every server's disk. Plaintexts appear only as SHA-256 fingerprints and key
 * material never appears at all: the trace, `--history` and a replay page are built from these
 * records. Nonces, key names, versions and ciphertext fingerprints are public facts (the sealed
 * value's header and nonce are stored in the clear).
 */

/** The key-service actions an `--encrypt` run performs and observes. */
export const KEY_ACTIONS = [
  "create", "add-version", "promote", "min-decryption", "destroy", "grant", "revoke",
  "rotate-root", "rewrap", "register", "unseal", "load", "write", "read", "forge",
] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];

/** A sealed value's public facts: its header's key and version, its nonce, its fingerprint. */
export interface SealedFacts {
  readonly key: string;
  readonly version: number;
  /** The 24-byte nonce in hex (stored in the clear beside the box). */
  readonly nonce: string;
  /** SHA-256 of the whole sealed value, in hex: which ciphertext this is. */
  readonly ciphertext: string;
}

/**
 * The data bytes of every server's disk at the end of the run: the znode data of every txn and
 * snapshot record that still checks out, once each. Renders in a trace as its count and digest
 * only (toJSON), and the trace hash folds only the digest, so traces stay small.
 */
export class DiskBlobs {
  constructor(readonly blobs: readonly Uint8Array[], readonly digest: string) {}

  toJSON(): string {
    return `[${this.blobs.length} data blobs, sha256 ${this.digest}]`;
  }
}

export type KeyObservation =
  /**
   * A key-service action began: `actor` (a principal id, or "hostile") on `key` (empty when
   * none), with the version, path and subject (a principal id, or a forgery's source path)
   * it names.
   */
  | {
      readonly kind: "key-invoke";
      readonly client: number;
      readonly id: number;
      readonly action: KeyAction;
      readonly actor: string;
      readonly key: string;
      readonly version: number | null;
      readonly path: string | null;
      readonly subject: string | null;
    }
  /**
   * The action `id` ended: `outcome` is "OK" or the typed error's code (ZooKeeper's, the
   * service's or crypto's). A write names the plaintext it sealed (`plaintext`: SHA-256 hex,
   * `plaintextBytes` its length) and the sealed value; a read or a forgery's open names the
   * value it found and, when it opened, the plaintext's fingerprint; a load or a key operation
   * the version it reached. `readers`: for a write, the principals its ACL lets read; for a
   * register, the keys the principal's policy lets it decrypt.
   */
  | {
      readonly kind: "key-complete";
      readonly client: number;
      readonly id: number;
      readonly outcome: string;
      readonly version: number | null;
      readonly plaintext: string | null;
      readonly plaintextBytes: number | null;
      readonly sealed: SealedFacts | null;
      readonly readers: readonly string[] | null;
    }
  /** The servers' disks at the end of the run (see DiskBlobs). */
  | { readonly kind: "at-rest"; readonly disks: DiskBlobs }
  /**
   * The audit chain as one auditor read it (after a sync): the records in sequence order,
   * the head, and each signer's registered Ed25519 public key (hex). Public by design.
   */
  | {
      readonly kind: "audit-chain";
      readonly client: number;
      readonly records: readonly Uint8Array[];
      readonly head: Uint8Array;
      readonly signers: Readonly<Record<string, string>>;
    };
