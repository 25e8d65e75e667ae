/**
 * PathUtils.validatePath, case by case from its source and tests, and the txn text form and
 * fingerprint: a round trip keeps every field (znode bytes included) and any changed field
 * changes the fingerprint.
 */
import { describe, expect, it } from "vitest";
import {
  decodeTxn, encodeTxn, isValidPath, isValidPathForMode, sequenceSuffix, txnFingerprint,
  utf8Bytes,
} from "../../../src/tree/index.js";
import type { Txn } from "../../../src/tree/index.js";

describe("validatePath", () => {
  const valid = ["/", "/a", "/a/b", "/a.", "/.a", "/...", "/a/..b", "/\u00e9", "/ ", "/a b"];
  const invalid = ["", "a", "a/b", "/a/", "//", "/a//b", "/.", "/..", "/a/.", "/a/../b",
    "/a\u0000", "/\u0001", "/\u001f", "/\u007f", "/\u009f", "/\ud800", "/\uf8ff", "/\ufff0",
    "/\uffff"];
  for (const path of valid) it(`accepts ${JSON.stringify(path)}`, () => {
    expect(isValidPath(path)).toBe(true);
  });
  for (const path of invalid) it(`rejects ${JSON.stringify(path)}`, () => {
    expect(isValidPath(path)).toBe(false);
  });
  it("checks sequential names with a 1 appended", () => {
    expect(isValidPathForMode("/a/", true)).toBe(true);
    expect(isValidPathForMode("/a/", false)).toBe(false);
  });
  it("formats sequence numbers as %010d", () => {
    expect(sequenceSuffix(0)).toBe("0000000000");
    expect(sequenceSuffix(42)).toBe("0000000042");
    expect(sequenceSuffix(-2147483648)).toBe("-2147483648");
    expect(sequenceSuffix(-5)).toBe("-000000005");
  });
});

describe("txn codec", () => {
  const txn: Txn = {
    header: { sessionId: 77, cxid: 3, zxid: 2 ** 32 + 5, timeMs: 1234, type: "multi" },
    body: { type: "multi", txns: [
      { type: "create", path: "/a", data: utf8Bytes("h\u00e9"), ephemeral: false,
        parentCVersion: 1, acl: [{ perms: 31, id: { scheme: "world", id: "anyone" } }] },
      { type: "setData", path: "/a", data: null, version: 1 },
      { type: "error", err: "RUNTIMEINCONSISTENCY" },
    ] },
  };

  it("round trips through text", () => {
    const back = decodeTxn(encodeTxn(txn));
    expect(back).toEqual(txn);
    expect(txnFingerprint(back)).toBe(txnFingerprint(txn));
  });

  it("fingerprints differ when any field differs", () => {
    const base = txnFingerprint(txn);
    const variants: Txn[] = [
      { ...txn, header: { ...txn.header, zxid: txn.header.zxid + 1 } },
      { ...txn, header: { ...txn.header, timeMs: 1235 } },
      { ...txn, body: { type: "multi", txns: [] } },
      { header: { ...txn.header, type: "setData" },
        body: { type: "setData", path: "/a", data: utf8Bytes("x"), version: 1 } },
      { header: { ...txn.header, type: "setData" },
        body: { type: "setData", path: "/a", data: utf8Bytes("y"), version: 1 } },
    ];
    const prints = variants.map(txnFingerprint);
    expect(new Set([base, ...prints]).size).toBe(variants.length + 1);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
  });
});
