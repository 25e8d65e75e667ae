/**
 * Fuzzing the write path with bad input: random paths (NUL, control and surrogate characters,
 * empty and dot segments), random data sizes and random ACL lists. Each expected error comes
 * from an independent oracle written from PathUtils, PrepRequestProcessor and the two auth
 * providers (regular expressions, not the tree's code); every failure must leave the digest
 * unchanged and still consume its zxid, and nothing may throw.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { CREATE_MODE_FLAGS, OPEN_ACL_UNSAFE, utf8Bytes } from "../../src/tree/index.js";
import type { Acl, CreateMode, Id } from "../../src/tree/index.js";
import { Harness } from "../unit/tree/helpers.js";

/** PathUtils.validatePath restated: "/" or non-empty segments, none "." or "..", no bad chars. */
function oracleValidPath(path: string): boolean {
  if (path === "/") return true;
  if (!path.startsWith("/") || path.endsWith("/")) return false;
  const bad = /[\u0000-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\uffff]/;
  return path.slice(1).split("/").every((segment) =>
    segment.length > 0 && segment !== "." && segment !== ".." && !bad.test(segment));
}

const charArb = fc.constantFrom("/", "/", "/", "a", "b", ".", "\u0000", "\u0001", "\u007f",
  "\ud800", "\uffff", "\u00e9", " ", "z");
const pathArb = fc.oneof(
  fc.array(charArb, { maxLength: 8 }).map((chars) => chars.join("")),
  fc.constantFrom("/", "", "/a", "/a/", "//a", "/a/.", "/a/..", "/..a", "/a/...", "/zookeeper",
    "/zookeeper/x", "/a/b"),
);

function prepared(): { h: Harness; s: number } {
  const h = new Harness();
  const s = h.openSession();
  h.writeAs(s, { type: "create2", path: "/a", data: null, acl: OPEN_ACL_UNSAFE, flags: 0 });
  return { h, s };
}

test.prop([pathArb, fc.constantFrom<CreateMode>("PERSISTENT", "PERSISTENT_SEQUENTIAL")],
  { numRuns: 500 })("create on a fuzzed path gives the oracle's error", (path, mode) => {
  const { h, s } = prepared();
  const digest = h.tree.digest();
  const zxid = h.nextZxid;
  const result = h.writeAs(s, { type: "create2", path, data: null, acl: OPEN_ACL_UNSAFE,
    flags: CREATE_MODE_FLAGS[mode] });
  const sequential = mode === "PERSISTENT_SEQUENTIAL";
  const cut = path.lastIndexOf("/");
  let expected: string;
  if (cut === -1 || path.includes("\u0000")) expected = "BADARGUMENTS";
  else if (h.tree.getNode(path.slice(0, cut)) === undefined) expected = "NONODE";
  else {
    const parentCVersion = h.tree.getNode(path.slice(0, cut))?.cversion ?? 0;
    const final = sequential ? path + String(parentCVersion).padStart(10, "0") : path;
    if (!oracleValidPath(final)) expected = "BADARGUMENTS";
    else if (final === "/" || final === "/a" || final.startsWith("/zookeeper") &&
      ["/zookeeper", "/zookeeper/quota", "/zookeeper/config"].includes(final)) {
      expected = "NODEEXISTS";
    } else expected = "OK";
  }
  expect(result.err).toBe(expected);
  expect(result.zxid).toBe(zxid);
  if (expected !== "OK") expect(h.tree.digest()).toBe(digest);
});

test.prop([pathArb], { numRuns: 300 })("setData and delete on fuzzed paths", (path) => {
  const { h, s } = prepared();
  const digest = h.tree.digest();
  const setResult = h.writeAs(s, { type: "setData", path, data: null, version: 5 });
  const exists = oracleValidPath(path) && h.tree.getNode(path) !== undefined;
  expect(setResult.err).toBe(!oracleValidPath(path) ? "BADARGUMENTS"
    : exists ? "BADVERSION" : "NONODE");
  const delResult = h.writeAs(s, { type: "delete", path, version: 5 });
  const special = ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"].includes(path);
  const cut = path.lastIndexOf("/");
  const expectedDelete = cut === -1 || path.includes("\u0000") || special ? "BADARGUMENTS"
    : h.tree.getNode(path.slice(0, cut)) === undefined || h.tree.getNode(path) === undefined
      ? "NONODE" : "BADVERSION";
  expect(delResult.err).toBe(expectedDelete);
  expect(h.tree.digest()).toBe(digest);
});

test.prop([fc.nat({ max: 2_000_000 })], { numRuns: 20 })(
  "any data size is stored and reported as is", (size) => {
    const { h, s } = prepared();
    const data = new Uint8Array(size).fill(120);
    const result = h.writeAs(s, { type: "setData", path: "/a", data, version: -1 });
    expect(result.stat?.dataLength).toBe(size);
    expect(h.read(s, { type: "getData", path: "/a", watch: false }).data?.length).toBe(size);
  });

/** The digest provider's isValid restated: exactly two ':'-parts once trailing empties go. */
function oracleDigestId(id: string): boolean {
  return /^[^:]*:[^:]+:*$/.test(id);
}

const IP_IDS: Array<[string, boolean]> = [
  ["10.0.0.1", true], ["10.0.0.0/8", true], ["1.2.3.4/32", true], ["1.2.3.4/33", false],
  ["1.2.3", false], ["256.1.1.1", false], ["1.2.3.4/", false], ["a.b.c.d", false], ["", false],
  ["0.0.0.0/0", true], ["1.2.3.4/-1", false],
];
const aclEntryArb: fc.Arbitrary<[Acl, "ok" | "bad" | "auth"]> = fc.oneof(
  fc.constant<[Acl, "ok"]>([{ perms: 31, id: { scheme: "world", id: "anyone" } }, "ok"]),
  fc.constantFrom("someone", "", "Anyone").map((id): [Acl, "bad"] =>
    [{ perms: 31, id: { scheme: "world", id } }, "bad"]),
  fc.constant<[Acl, "auth"]>([{ perms: 31, id: { scheme: "auth", id: "" } }, "auth"]),
  fc.constantFrom("u:p", "u:", ":p", "u:p:", "u::", "u:p:q", "", ":", "up").map(
    (id): [Acl, "ok" | "bad"] => [{ perms: 31, id: { scheme: "digest", id } },
      oracleDigestId(id) ? "ok" : "bad"]),
  fc.constantFrom(...IP_IDS).map(([id, ok]): [Acl, "ok" | "bad"] =>
    [{ perms: 1, id: { scheme: "ip", id } }, ok ? "ok" : "bad"]),
  fc.constantFrom("super", "x509", "sasl", "").map((scheme): [Acl, "bad"] =>
    [{ perms: 31, id: { scheme, id: "x" } }, "bad"]),
);
const authArb: fc.Arbitrary<Id[]> = fc.constantFrom<Id[]>([], [{ scheme: "ip", id: "10.0.0.1" }],
  [{ scheme: "digest", id: "u:hash" }], [{ scheme: "ip", id: "1.1.1.1" },
    { scheme: "digest", id: "v:hash" }]);

test.prop([fc.array(aclEntryArb, { maxLength: 4 }), authArb], { numRuns: 400 })(
  "fuzzed ACL lists give INVALIDACL exactly where fixupACL does", (entries, authInfo) => {
    const { h, s } = prepared();
    const digest = h.tree.digest();
    const acl = entries.map(([entry]) => entry);
    const authenticated = authInfo.some((id) => id.scheme === "digest");
    const invalid = acl.length === 0 || entries.some(([, kind]) => kind === "bad" ||
      (kind === "auth" && !authenticated));
    const result = h.writeAs(s, { type: "create2", path: "/a/n", data: utf8Bytes("d"), acl,
      flags: 0 }, authInfo);
    expect(result.err).toBe(invalid ? "INVALIDACL" : "OK");
    const setAcl = h.writeAs(s, { type: "setACL", path: "/a", acl, version: -1 }, authInfo);
    expect(setAcl.err).toBe(invalid ? "INVALIDACL" : "OK");
    if (invalid) expect(h.tree.digest()).toBe(digest);
  });
