/**
 * Interop with libsodium (libsodium-wrappers, an independent implementation): a value sealed by
 * zabsim opens with crypto_secretbox_open_easy on the derived subkey, and a box libsodium makes
 * with that subkey, framed in zabsim's header, opens with openValue. Also checks the subkey is
 * the RFC 5869 HKDF-SHA256 of the documented inputs, computed here with node:crypto.
 */
import { hkdfSync } from "node:crypto";
import sodium from "libsodium-wrappers";
import { beforeAll, describe, expect, it } from "vitest";
import { NONCE_BYTES, openValue, sealValue, sequentialContext } from "../../../src/crypto/index.js";
import { concat, lengthPrefixed, utf8 } from "../../../src/crypto/bytes.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { parseSealed, valueSubkey } from "../../../src/crypto/sealed.js";
import { keyring, random } from "./helpers.js";

beforeAll(async () => {
  await sodium.ready;
});

const SIZES = [0, 1, 100, 1024, 65_536];

describe("libsodium interop", () => {
  it("libsodium opens zabsim's sealed values with the derived subkey", () => {
    const ring = keyring(2);
    for (const size of SIZES) {
      const plaintext = random(size).bytes(size);
      const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/i/a" }, plaintext,
        random());
      const parts = parseSealed(sealed);
      const subkey = valueSubkey(ring.decryptionKey(2), "/i/a", sealed);
      expect(sodium.crypto_secretbox_open_easy(parts.box, parts.nonce, subkey)).toEqual(plaintext);
    }
  });

  it("zabsim opens libsodium's boxes framed with a zabsim header", () => {
    const ring = keyring();
    for (const context of [{ kind: "path", path: "/j" } as const, sequentialContext("/q/x-")]) {
      const path = context.kind === "path" ? "/j" : "/q/x-0000000042";
      const template = sealValue(ring.primaryKey(), context, new Uint8Array(), random());
      const { headerBytes } = parseSealed(template);
      const subkey = valueSubkey(ring.decryptionKey(1), path, template);
      for (const size of SIZES) {
        const plaintext = random(size + 1).bytes(size);
        const nonce = sodium.randombytes_buf(NONCE_BYTES);
        const box = sodium.crypto_secretbox_easy(plaintext, nonce, subkey);
        expect(openValue(ring, path, concat([headerBytes, nonce, box]))).toEqual(plaintext);
      }
    }
  });

  it("the subkey is HKDF-SHA256(version key, no salt, label and fields length-prefixed)", () => {
    const ring = keyring();
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/h" }, utf8("x"), random());
    const info = concat([lengthPrefixed(utf8("zabsim/sealed-value/v1")),
      lengthPrefixed(parseSealed(sealed).headerBytes), lengthPrefixed(utf8("/h"))]);
    const expected = hkdfSync("sha256", exposeKeyBytes(ring.decryptionKey(1)), new Uint8Array(),
      info, 32);
    expect(valueSubkey(ring.decryptionKey(1), "/h", sealed)).toEqual(new Uint8Array(expected));
  });
});
