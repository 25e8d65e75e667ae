/**
 * ACLs, getACL masking, getAllChildrenNumber and getEphemerals against a real server: the
 * expected lines were printed by ZooKeeper 3.8.0 (a standalone server on loopback, driven by a
 * small Java client doing the same calls: two sessions from 127.0.0.1, the first adding
 * digest auth alice:secret). Each line is "OK <detail>" or the error code name.
 */
import { describe, expect, it } from "vitest";
import {
  CREATOR_ALL_ACL, OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, addAuth, generateDigest,
} from "../../../src/tree/index.js";
import type { Acl, Id, ProcessTxnResult, ReadRequest, ReadResult, WriteRequest }
  from "../../../src/tree/index.js";
import { Harness } from "./helpers.js";

const RECORDED = [
  "INVALIDACL",
  "OK /p",
  "OK 31:digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E= aversion=0",
  "NOAUTH",
  "OK true",
  "NOAUTH",
  "NOAUTH",
  "NOAUTH",
  "NOAUTH",
  "NOAUTH",
  "OK /g",
  "OK 1:world:anyone 16:digest:alice:x aversion=0",
  "NOAUTH",
  "OK /h",
  "OK 31:digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E= aversion=0",
  "BADVERSION",
  "OK 1",
  "NOAUTH",
  "OK /i1",
  "INVALIDACL",
  "INVALIDACL",
  "INVALIDACL",
  "INVALIDACL",
  "OK /i6",
  "OK true",
  "NOAUTH",
  "OK 1:world:anyone aversion=-1",
  "INVALIDACL",
  "NONODE",
  "OK /dup",
  "OK 31:world:anyone 1:digest:a:b aversion=0",
  "NOAUTH",
  "OK 9",
  "OK []",
];

function list(...x: Array<number | string>): Acl[] {
  const acl: Acl[] = [];
  for (let i = 0; i < x.length; i += 3) {
    acl.push({ perms: Number(x[i]), id: { scheme: String(x[i + 1]), id: String(x[i + 2]) } });
  }
  return acl;
}

function showAcl(r: ReadResult): string {
  const entries = (r.acl ?? []).map((e) => `${e.perms}:${e.id.scheme}:${e.id.id}`).join(" ");
  return `${entries} aversion=${r.stat?.aversion}`;
}

/** The calls of the recording, in order, on one harness. */
function probe(): string[] {
  const h = new Harness();
  const s1 = h.openSession();
  const s2 = h.openSession();
  const ip: Id = { scheme: "ip", id: "127.0.0.1" };
  let a1: Id[] = [ip];
  const a2: Id[] = [ip];
  const out: string[] = [];
  const write = (s: number, auth: Id[], req: WriteRequest,
    show: (r: ProcessTxnResult) => string = () => ""): void => {
    const r = h.writeAs(s, req, auth);
    out.push(r.err === "OK" ? `OK ${show(r)}` : r.err);
  };
  const create = (s: number, auth: Id[], path: string, acl: readonly Acl[]): void =>
    write(s, auth, { type: "create", path, data: null, acl, flags: 0 }, (r) => r.path ?? "");
  const read = (s: number, auth: Id[], req: ReadRequest, show: (r: ReadResult) => string):
    void => {
    const r = h.read(s, req, auth);
    out.push(r.err === "OK" ? `OK ${show(r)}` : r.err);
  };
  const yes = (): string => "true";
  create(s1, a1, "/p", CREATOR_ALL_ACL);
  const alice = addAuth("digest", "alice:secret");
  if (alice.err === "OK") a1 = [...a1, ...alice.ids];
  create(s1, a1, "/p", CREATOR_ALL_ACL);
  read(s1, a1, { type: "getACL", path: "/p" }, showAcl);
  read(s2, a2, { type: "getData", path: "/p", watch: false }, () => "");
  read(s2, a2, { type: "exists", path: "/p", watch: false }, yes);
  read(s2, a2, { type: "getChildren", path: "/p", watch: false }, (r) => `[${r.children}]`);
  create(s2, a2, "/p/c", OPEN_ACL_UNSAFE);
  write(s2, a2, { type: "delete", path: "/p/x", version: -1 });
  write(s2, a2, { type: "setData", path: "/p", data: null, version: -1 }, yes);
  read(s2, a2, { type: "getACL", path: "/p" }, showAcl);
  create(s1, a1, "/g", list(1, "world", "anyone", 16, "digest", "alice:x1"));
  read(s2, a2, { type: "getACL", path: "/g" }, showAcl);
  write(s2, a2, { type: "setACL", path: "/g", acl: OPEN_ACL_UNSAFE, version: -1 }, yes);
  const hash = generateDigest("alice:secret").split(":")[1] ?? "";
  create(s1, a1, "/h", list(31, "digest", `alice:${hash}`));
  read(s1, a1, { type: "getACL", path: "/h" }, showAcl);
  write(s1, a1, { type: "setACL", path: "/h", acl: OPEN_ACL_UNSAFE, version: 3 }, yes);
  write(s1, a1, { type: "setACL", path: "/h", acl: READ_ACL_UNSAFE, version: 0 },
    (r) => `${r.stat?.aversion}`);
  write(s2, a2, { type: "setData", path: "/h", data: null, version: -1 }, yes);
  create(s1, a1, "/i1", list(31, "ip", "10.0.0.0/8"));
  create(s1, a1, "/i2", list(31, "ip", "1.2.3.4/33"));
  create(s1, a1, "/i3", list(31, "digest", "u:"));
  create(s1, a1, "/i4", list(31, "world", "someone"));
  create(s1, a1, "/i5", list(31, "x509", "CN=x"));
  create(s1, a1, "/i6", list(31, "ip", "127.0.0.1"));
  read(s2, a2, { type: "getData", path: "/i6", watch: false }, yes);
  read(s2, a2, { type: "getData", path: "/i1", watch: false }, yes);
  read(s2, a2, { type: "getACL", path: "/zookeeper/config" }, showAcl);
  write(s1, a1, { type: "setACL", path: "/p", acl: [], version: -1 }, yes);
  write(s1, a1, { type: "setACL", path: "/none", acl: OPEN_ACL_UNSAFE, version: -1 }, yes);
  create(s1, a1, "/dup", list(31, "world", "anyone", 31, "world", "anyone", 1, "digest", "a:b"));
  read(s1, a1, { type: "getACL", path: "/dup" }, showAcl);
  read(s2, a2, { type: "getAllChildrenNumber", path: "/p" }, (r) => `${r.count}`);
  read(s1, a1, { type: "getAllChildrenNumber", path: "/" }, (r) => `${r.count}`);
  read(s1, a1, { type: "getEphemerals", prefixPath: "/" }, (r) => `[${r.paths}]`);
  return out;
}

describe("ACL behaviour recorded from ZooKeeper 3.8.0", () => {
  it("gives the same answers, call by call", () => {
    expect(probe()).toEqual(RECORDED);
  });
});
