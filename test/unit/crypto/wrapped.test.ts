/**
 * Key material wrapped under the root key (src/crypto/wrapped.ts): it unwraps to the same key
 * under the same root, name and version; any other root (generation or material), name or
 * version, any flipped bit and any truncation give a typed error, never a key.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Keyring, SecretKey, generateRootKey, newKeyring, openValue, sealValue, unwrapKey, wrapKey,
} from "../../../src/crypto/index.js";
import { utf8 } from "../../../src/crypto/bytes.js";
import { codeOf, keyName, random } from "./helpers.js";

const root = generateRootKey(random(1, "root"));

describe("wrapped key material", () => {
  it("unwraps to material that opens what the original sealed", () => {
    fc.assert(fc.property(keyName, fc.integer({ min: 1, max: 2 ** 32 - 1 }), (name, version) => {
      const material = SecretKey.generate(random(version), "m");
      const wrapped = wrapKey(root, name, version, material, random(2));
      const back = unwrapKey(root, name, version, wrapped);
      const meta = { ...newKeyring(name) };
      const sealed = sealValue({ name, version: 1, key: material }, { kind: "path", path: "/w" },
        utf8("x"), random());
      expect(openValue(new Keyring(meta, new Map([[1, back]])), "/w", sealed)).toEqual(utf8("x"));
    }), { numRuns: 50 });
  });

  it("refuses another root, name, version; flips and truncations are typed errors", () => {
    const material = SecretKey.generate(random(3), "m");
    const wrapped = wrapKey(root, "k", 4, material, random(4));
    const otherGeneration = { ...root, generation: 2 };
    const otherMaterial = generateRootKey(random(9, "root"));
    expect(codeOf(() => unwrapKey(otherGeneration, "k", 4, wrapped))).toBe("WRONG_KEY");
    expect(codeOf(() => unwrapKey(otherMaterial, "k", 4, wrapped))).toBe("NOT_AUTHENTIC");
    expect(codeOf(() => unwrapKey(root, "j", 4, wrapped))).toBe("WRONG_KEY");
    expect(codeOf(() => unwrapKey(root, "k", 5, wrapped))).toBe("WRONG_KEY");
    for (let bit = 0; bit < wrapped.length * 8; bit++) {
      const copy = wrapped.slice();
      copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(codeOf(() => unwrapKey(root, "k", 4, copy))).not.toMatch(/^(returned|untyped)/);
    }
    for (let length = 0; length < wrapped.length; length++) {
      expect(codeOf(() => unwrapKey(root, "k", 4, wrapped.subarray(0, length))))
        .toBe("TRUNCATED");
    }
    expect(codeOf(() => unwrapKey(root, "k", 4, Uint8Array.of(...wrapped, 0)))).toBe("MALFORMED");
  });

  it("a sealed value is not a wrapped key, nor the reverse", () => {
    const material = SecretKey.generate(random(3), "m");
    const wrapped = wrapKey(root, "k", 1, material, random(4));
    const sealed = sealValue({ name: "k", version: 1, key: root.key },
      { kind: "path", path: "/x" }, new Uint8Array(32), random());
    expect(codeOf(() => unwrapKey(root, "k", 1, sealed))).toBe("GARBAGE");
    const ring = new Keyring(newKeyring("k"), new Map([[1, root.key]]));
    expect(codeOf(() => openValue(ring, "/x", wrapped))).toBe("GARBAGE");
  });

  it("bad arguments are typed", () => {
    const material = SecretKey.generate(random(3), "m");
    expect(codeOf(() => wrapKey(root, "", 1, material, random()))).toBe("BAD_KEY_NAME");
    expect(codeOf(() => wrapKey(root, "k", 0, material, random()))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => generateRootKey(random(), 0))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => unwrapKey(root, "k", 1, null as never))).toBe("BAD_ARGUMENT");
  });
});
