/**
 * The keyring's lifecycle rules (src/crypto/keyring.ts) against a naive model: random sequences
 * of add, promote, set-minimum and destroy either apply exactly as the model says or fail with a
 * typed error and change nothing; the invariants (1 <= min <= primary <= latest, the primary
 * enabled, destroyed versions below the minimum) hold after every step; the stored JSON form
 * round-trips and every malformed form is a typed MALFORMED error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addVersion, decodeKeyringMeta, destroyVersion, encodeKeyringMeta, keyringProblem, newKeyring,
  promote, setMinDecryption,
} from "../../../src/crypto/index.js";
import type { KeyringMeta } from "../../../src/crypto/index.js";
import { utf8 } from "../../../src/crypto/bytes.js";
import { codeOf } from "./helpers.js";

type Op =
  | { readonly type: "add" }
  | { readonly type: "promote" | "min" | "destroy"; readonly version: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ type: "add" } as const),
  fc.record({ type: fc.constantFrom("promote", "min", "destroy"),
    version: fc.integer({ min: 0, max: 8 }) }),
);

/** The naive model: what each op should do, written from the rules' text. */
function model(meta: KeyringMeta, o: Op): KeyringMeta | "error" {
  const latest = meta.versions.length;
  if (o.type === "add") return { ...meta, versions: [...meta.versions, "enabled"] };
  const v = o.version;
  const exists = v >= 1 && v <= latest;
  if (!exists) return "error";
  const destroyed = meta.versions[v - 1] === "destroyed";
  if (o.type === "promote") {
    return destroyed || v < meta.minDecryption ? "error" : { ...meta, primary: v };
  }
  if (o.type === "min") {
    if (v > meta.primary) return "error";
    const lowered = meta.versions.slice(v - 1, meta.minDecryption - 1);
    return lowered.includes("destroyed") ? "error" : { ...meta, minDecryption: v };
  }
  if (destroyed) return meta;
  if (v >= meta.minDecryption) return "error";
  return { ...meta, versions: meta.versions.map((s, i) => (i === v - 1 ? "destroyed" : s)) };
}

function apply(meta: KeyringMeta, o: Op): KeyringMeta {
  switch (o.type) {
    case "add": return addVersion(meta);
    case "promote": return promote(meta, o.version);
    case "min": return setMinDecryption(meta, o.version);
    case "destroy": return destroyVersion(meta, o.version);
  }
}

describe("keyring lifecycle", () => {
  it("matches the naive model; failures are typed and change nothing", () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      let meta = newKeyring("k");
      for (const o of ops) {
        const expected = model(meta, o);
        const before = meta;
        let got: KeyringMeta | "error";
        try {
          got = apply(meta, o);
        } catch (error) {
          expect(codeOf(() => { throw error; })).toMatch(
            /^(UNKNOWN_VERSION|VERSION_DESTROYED|NOT_ALLOWED)$/);
          got = "error";
        }
        expect(got).toEqual(expected);
        expect(meta).toBe(before);
        if (got !== "error") meta = got;
        expect(keyringProblem(meta)).toBeUndefined();
      }
    }));
  });

  it("the stored form round-trips", () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
      let meta = newKeyring("k");
      for (const o of ops) {
        try {
          meta = apply(meta, o);
        } catch {
          // rejected ops are covered above
        }
      }
      expect(decodeKeyringMeta("k", encodeKeyringMeta(meta))).toEqual(meta);
    }));
  });

  it("malformed stored forms are MALFORMED", () => {
    const good = JSON.parse(new TextDecoder().decode(encodeKeyringMeta(newKeyring("k"))));
    const bad: unknown[] = [
      null, "[]", "{", "null", { ...good, format: 2 }, { ...good, name: "j" },
      { ...good, versions: [] }, { ...good, versions: ["enabled", "lost"] },
      { ...good, primary: 2 }, { ...good, minDecryption: 0 }, { ...good, primary: "1x" },
      { ...good, versions: ["destroyed"] }, { ...good, versions: "enabled" },
    ];
    for (const value of bad) {
      const bytes = value === null ? null
        : utf8(typeof value === "string" ? value : JSON.stringify(value));
      expect(codeOf(() => decodeKeyringMeta("k", bytes))).toBe("MALFORMED");
    }
    expect(codeOf(() => decodeKeyringMeta("k", Uint8Array.of(0xff, 0xfe)))).toBe("MALFORMED");
    expect(codeOf(() => newKeyring("bad/name"))).toBe("BAD_KEY_NAME");
  });
});
