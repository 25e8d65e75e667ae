/**
 * Key material never leaks through text: a SecretKey, a Keyring or a RootKey renders as a label
 * through JSON, util.inspect and template strings, and no error message of any failing crypto
 * call holds the hex or base64 of any key, version key or derived subkey involved.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  SecretKey, generateRootKey, openValue, sealValue, unwrapKey, wrapKey,
} from "../../../src/crypto/index.js";
import { utf8 } from "../../../src/crypto/bytes.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { valueSubkey } from "../../../src/crypto/sealed.js";
import { base64, hex, keyring, random } from "./helpers.js";

function leaks(text: string, secrets: readonly Uint8Array[]): boolean {
  return secrets.some((s) => text.includes(hex(s)) || text.includes(base64(s)) ||
    text.includes(Array.from(s).join(",")));
}

describe("no key material in text", () => {
  const ring = keyring(2);
  const root = generateRootKey(random(1, "root"));
  const secrets = [exposeKeyBytes(ring.decryptionKey(1)), exposeKeyBytes(ring.decryptionKey(2)),
    exposeKeyBytes(root.key)];

  it("keys, keyrings and root keys render as labels", () => {
    const renderings = [
      JSON.stringify(ring), JSON.stringify(root), JSON.stringify({ k: ring.decryptionKey(1) }),
      inspect(ring.decryptionKey(1)), inspect(root, { depth: 5 }), inspect(ring, { depth: 5 }),
      `${ring.decryptionKey(2)}`, String(root.key), JSON.stringify(ring.primaryKey()),
    ];
    for (const text of renderings) expect(leaks(text, secrets)).toBe(false);
    expect(`${root.key}`).toBe("[secret key root gen 1]");
    expect(Object.keys(ring.decryptionKey(1))).toEqual(["label"]);
  });

  it("no failing call's error message holds a key or subkey", () => {
    const sealed = sealValue(ring.primaryKey(), { kind: "path", path: "/s" }, utf8("pw"),
      random());
    const subkeys = [valueSubkey(ring.decryptionKey(2), "/s", sealed),
      valueSubkey(ring.decryptionKey(2), "/t", sealed)];
    const wrapped = wrapKey(root, "k", 1, ring.decryptionKey(1), random());
    const tampered = sealed.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    const failing: (() => unknown)[] = [
      () => openValue(ring, "/t", sealed), () => openValue(ring, "/s", tampered),
      () => openValue(keyring(1, "j"), "/s", sealed), () => openValue(keyring(1), "/s", sealed),
      () => unwrapKey(generateRootKey(random(5)), "k", 1, wrapped),
      () => unwrapKey(root, "k", 2, wrapped), () => SecretKey.fromBytes(secrets[0] ?? utf8(""),
        "x").toString() + String(SecretKey.fromBytes(new Uint8Array(3), "short")),
    ];
    for (const f of failing) {
      let message = "";
      try {
        f();
      } catch (error) {
        message = `${String(error)} ${(error as Error).stack ?? ""} ${JSON.stringify(error)}`;
      }
      expect(message).not.toBe("");
      expect(leaks(message, [...secrets, ...subkeys])).toBe(false);
    }
  });
});
