/**
 * Sealed values (src/crypto/sealed.ts), as properties over random paths, plaintexts and keys:
 * a value opens at the path it was sealed for and nowhere else; a sequential value opens at any
 * sequence-numbered child of its parent with its prefix and nowhere else; every change to the
 * bytes (a flipped bit, a truncation, a relabelled key name or version, garbage) gives a typed
 * CryptoError and never plaintext; destroyed and below-minimum versions refuse to open.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CryptoError, NONCE_BYTES, TAG_BYTES, destroyVersion, openValue, sealValue, sealedHeaderOf,
  sequentialContext, setMinDecryption, Keyring,
} from "../../../src/crypto/index.js";
import { utf8 } from "../../../src/crypto/bytes.js";
import { SecretKey } from "../../../src/crypto/secret-key.js";
import { codeOf, keyring, path, random } from "./helpers.js";

const plaintext = fc.uint8Array({ maxLength: 300 });

describe("a value sealed for a path", () => {
  it("opens at that path with the same plaintext", () => {
    const ring = keyring(3);
    fc.assert(fc.property(path, plaintext, fc.integer({ min: 1, max: 3 }), (p, text, v) => {
      const sealed = sealValue(ring.versionKey(v), { kind: "path", path: p }, text, random(v));
      expect(openValue(ring, p, sealed)).toEqual(text);
      expect(sealedHeaderOf(sealed)).toMatchObject({ keyName: "k", keyVersion: v, kind: "path" });
    }));
  });

  it("fails NOT_AUTHENTIC at any other path", () => {
    const ring = keyring();
    fc.assert(fc.property(path, path, plaintext, (p, q, text) => {
      fc.pre(p !== q);
      const sealed = sealValue(ring.primaryKey(), { kind: "path", path: p }, text, random());
      expect(codeOf(() => openValue(ring, q, sealed))).toBe("NOT_AUTHENTIC");
    }));
  });

  it("costs exactly header + 24-byte nonce + 16-byte tag", () => {
    const ring = keyring();
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/a" }, utf8("xyz"),
      random());
    const headerBytes = 3 + 1 + 1 + 1 + 1 + 4; // magic, format, kind, name length, "k", version
    expect(sealed.length).toBe(headerBytes + NONCE_BYTES + TAG_BYTES + 3);
  });

  it("never opens after any single-bit flip: a typed error, never plaintext", () => {
    const ring = keyring(2);
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/a/b" }, utf8("secret"),
      random());
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const copy = sealed.slice();
      copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const code = codeOf(() => openValue(ring, "/a/b", copy));
      expect(["GARBAGE", "UNSUPPORTED_FORMAT", "MALFORMED", "WRONG_KEY", "UNKNOWN_VERSION",
        "TRUNCATED", "NOT_AUTHENTIC"]).toContain(code);
    }
  });

  it("never opens truncated: every proper prefix gives a typed error", () => {
    const ring = keyring();
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/t" }, utf8("0123456789"),
      random());
    for (let length = 0; length < sealed.length; length++) {
      const code = codeOf(() => openValue(ring, "/t", sealed.subarray(0, length)));
      expect(["TRUNCATED", "NOT_AUTHENTIC"]).toContain(code);
      if (length < sealed.length - 10) expect(code).toBe("TRUNCATED");
    }
  });

  it("relabelled to another version of the same key: NOT_AUTHENTIC", () => {
    const ring = keyring(2);
    const sealed = sealValue(ring.versionKey(1), { kind: "path", path: "/r" }, utf8("v1 data"),
      random());
    const relabelled = sealed.slice();
    relabelled[10] = 2; // the low byte of the u32 key version after "zsv",1,0,1,"k"
    expect(sealedHeaderOf(relabelled).keyVersion).toBe(2);
    expect(codeOf(() => openValue(ring, "/r", relabelled))).toBe("NOT_AUTHENTIC");
  });

  it("relabelled to another key name with the same material: NOT_AUTHENTIC", () => {
    const ring = keyring(1, "k");
    const twin = keyring(1, "j"); // same seed, so the same material under another name
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/r" }, utf8("x"), random());
    const relabelled = sealed.slice();
    relabelled[6] = "j".charCodeAt(0);
    expect(codeOf(() => openValue(twin, "/r", relabelled))).toBe("NOT_AUTHENTIC");
    expect(codeOf(() => openValue(twin, "/r", sealed))).toBe("WRONG_KEY");
  });

  it("garbage, empty and non-byte inputs give typed errors", () => {
    const ring = keyring();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      expect(codeOf(() => openValue(ring, "/g", bytes))).not.toMatch(/^(returned|untyped)/);
    }));
    expect(codeOf(() => openValue(ring, "/g", new Uint8Array()))).toBe("TRUNCATED");
    expect(codeOf(() => openValue(ring, "/g", utf8("plain text value")))).toBe("GARBAGE");
    expect(codeOf(() => openValue(ring, "/g", "zsv" as never))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => openValue(ring, "g", new Uint8Array(60)))).toBe("BAD_PATH");
  });

  it("a flipped format byte is UNSUPPORTED_FORMAT, a bad kind MALFORMED", () => {
    const ring = keyring();
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/f" }, utf8("x"), random());
    expect(codeOf(() => openValue(ring, "/f", Uint8Array.of(...sealed.subarray(0, 3), 2,
      ...sealed.subarray(4))))).toBe("UNSUPPORTED_FORMAT");
    expect(codeOf(() => openValue(ring, "/f", Uint8Array.of(...sealed.subarray(0, 4), 9,
      ...sealed.subarray(5))))).toBe("MALFORMED");
  });

  it("a nonce is never repeated across 10,000 seals (fresh draws)", () => {
    const ring = keyring();
    const rng = random(3);
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/n" }, utf8("x"), rng);
      nonces.add(Buffer.from(sealed.subarray(11, 11 + NONCE_BYTES)).toString("hex"));
    }
    expect(nonces.size).toBe(10_000);
  });
});

describe("a value sealed for a sequential create", () => {
  const suffix = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) =>
    String(n).padStart(10, "0")), fc.constantFrom("-000000001", "-2147483648"));

  it("opens at any sequence-numbered child with the sealed prefix", () => {
    const ring = keyring();
    fc.assert(fc.property(path, fc.constantFrom("", "item-", "lock-", "é7"), suffix, plaintext,
      (parent, prefix, seq, text) => {
        const context = sequentialContext(`${parent}/${prefix}`);
        const sealed = sealValue(ring.primaryKey(), context, text, random());
        expect(openValue(ring, `${parent}/${prefix}${seq}`, sealed)).toEqual(text);
      }));
  });

  it("under the root too", () => {
    const ring = keyring();
    const sealed = sealValue(ring.primaryKey(), sequentialContext("/q-"), utf8("x"), random());
    expect(openValue(ring, "/q-0000000007", sealed)).toEqual(utf8("x"));
  });

  it("fails under another parent, with another prefix, or without a sequence suffix", () => {
    const ring = keyring();
    const sealed = sealValue(ring.primaryKey(), sequentialContext("/q/item-"), utf8("x"),
      random());
    expect(codeOf(() => openValue(ring, "/p/item-0000000001", sealed))).toBe("NOT_AUTHENTIC");
    expect(codeOf(() => openValue(ring, "/q/itex-0000000001", sealed))).toBe("NOT_AUTHENTIC");
    expect(codeOf(() => openValue(ring, "/q/item-", sealed))).toBe("CONTEXT_MISMATCH");
    expect(codeOf(() => openValue(ring, "/q/item-00001", sealed))).toBe("CONTEXT_MISMATCH");
    expect(codeOf(() => openValue(ring, "/q/it", sealed))).toBe("CONTEXT_MISMATCH");
    expect(codeOf(() => openValue(ring, "/", sealed))).toBe("CONTEXT_MISMATCH");
  });

  it("a path-bound value does not open as sequential, nor the reverse", () => {
    const ring = keyring();
    const text = utf8("x");
    const bound = sealValue(ring.primaryKey(), { kind: "path", path: "/q/item-0000000001" }, text,
      random());
    const sequential = sealValue(ring.primaryKey(), sequentialContext("/q/item-"), text, random());
    const flipped = bound.slice();
    flipped[4] = 1; // kind byte: claims sequential; the header is then misparsed or wrong
    expect(codeOf(() => openValue(ring, "/q/item-0000000001", flipped))).not.toBe("returned");
    const unflipped = sequential.slice();
    unflipped[4] = 0;
    expect(codeOf(() => openValue(ring, "/q/item-0000000001", unflipped))).not.toBe("returned");
  });

  it("carries a fresh random value id in its header", () => {
    const ring = keyring();
    const a = sealValue(ring.primaryKey(), sequentialContext("/q/x"), utf8("same"), random(1));
    const b = sealValue(ring.primaryKey(), sequentialContext("/q/x"), utf8("same"), random(2));
    expect(sealedHeaderOf(a).valueId).toHaveLength(16);
    expect(sealedHeaderOf(a).valueId).not.toEqual(sealedHeaderOf(b).valueId);
  });
});

describe("version rules when opening", () => {
  it("destroyed and below-minimum versions refuse to open; the primary still opens", () => {
    const ring = keyring(3);
    const sealedAt = (v: number) =>
      sealValue(ring.versionKey(v), { kind: "path", path: "/v" }, utf8(`v${v}`), random(v));
    const [one, two, three] = [sealedAt(1), sealedAt(2), sealedAt(3)];
    const raised = setMinDecryption(ring.meta, 3);
    const destroyed = destroyVersion(raised, 1);
    const material = new Map([1, 2, 3].filter((v) => v !== 1)
      .map((v) => [v, ring.decryptionKey(v)] as const));
    const after = new Keyring(destroyed, material);
    expect(codeOf(() => openValue(after, "/v", one))).toBe("VERSION_DESTROYED");
    expect(codeOf(() => openValue(after, "/v", two))).toBe("VERSION_BELOW_MINIMUM");
    expect(openValue(after, "/v", three)).toEqual(utf8("v3"));
  });

  it("an unknown version is UNKNOWN_VERSION", () => {
    const old = keyring(1);
    const newer = keyring(2);
    const sealed = sealValue(newer.versionKey(2), { kind: "path", path: "/u" }, utf8("x"),
      random());
    expect(codeOf(() => openValue(old, "/u", sealed))).toBe("UNKNOWN_VERSION");
  });

  it("other material under the same name and version: NOT_AUTHENTIC", () => {
    const ring = keyring(1, "k", 1);
    const impostor = keyring(1, "k", 2);
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/m" }, utf8("x"), random());
    expect(codeOf(() => openValue(impostor, "/m", sealed))).toBe("NOT_AUTHENTIC");
  });
});

describe("bad arguments to sealValue", () => {
  it("bad paths, names, versions and plaintexts give typed errors", () => {
    const key = keyring().primaryKey();
    const text = utf8("x");
    expect(codeOf(() => sealValue(key, { kind: "path", path: "a" }, text, random())))
      .toBe("BAD_PATH");
    expect(codeOf(() => sealValue(key, { kind: "path", path: "/a/" }, text, random())))
      .toBe("BAD_PATH");
    expect(codeOf(() => sealValue(key, { kind: "path", path: "/a/../b" }, text, random())))
      .toBe("BAD_PATH");
    expect(codeOf(() => sealValue(key, { kind: "sequential", parentPath: "/a", prefix: "x/y" },
      text, random()))).toBe("BAD_PATH");
    expect(codeOf(() => sealValue({ ...key, name: "a/b" }, { kind: "path", path: "/a" }, text,
      random()))).toBe("BAD_KEY_NAME");
    expect(codeOf(() => sealValue({ ...key, version: 0 }, { kind: "path", path: "/a" }, text,
      random()))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => sealValue(key, { kind: "path", path: "/a" }, "text" as never,
      random()))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => SecretKey.fromBytes(new Uint8Array(31), "short"))).toBe("BAD_ARGUMENT");
    expect(new CryptoError("GARBAGE", "m").message).toBe("GARBAGE: m");
  });
});
