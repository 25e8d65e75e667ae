/**
 * The request size the server compares with jute.maxbuffer. A naive jute encoder here writes
 * real bytes (BinaryOutputArchive's rules: int 4, long 8, boolean 1, ustring/buffer as an int
 * length plus bytes, -1 for null, vector as a count plus items, MultiHeader before each op and
 * at the end); the computed frame length must equal what it writes, for random requests.
 * The boundary of the hand-written oversized scenario is pinned too.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { JUTE_MAX_BUFFER, exceedsMaxBuffer, requestFrameLength, utf8Length }
  from "../../../src/standalone/index.js";
import { OPEN_ACL_UNSAFE } from "../../../src/tree/index.js";
import type { Acl, MultiOp, Request } from "../../../src/tree/index.js";

class Writer {
  readonly bytes: number[] = [];
  int(value: number): void {
    const view = new DataView(new ArrayBuffer(4));
    view.setInt32(0, value);
    this.bytes.push(...new Uint8Array(view.buffer));
  }
  long(value: number): void {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigInt64(0, BigInt(value));
    this.bytes.push(...new Uint8Array(view.buffer));
  }
  bool(value: boolean): void {
    this.bytes.push(value ? 1 : 0);
  }
  buffer(data: Uint8Array | null): void {
    if (data === null) return this.int(-1);
    this.int(data.length);
    this.bytes.push(...data);
  }
  string(text: string): void {
    this.buffer(new TextEncoder().encode(text));
  }
  acl(acl: readonly Acl[]): void {
    this.int(acl.length);
    for (const entry of acl) {
      this.int(entry.perms);
      this.string(entry.id.scheme);
      this.string(entry.id.id);
    }
  }
}

function writeOp(w: Writer, op: MultiOp): void {
  switch (op.type) {
    case "create": case "create2": case "createContainer": case "createTTL":
      w.string(op.path); w.buffer(op.data); w.acl(op.acl); w.int(op.flags);
      if (op.type === "createTTL") w.long(op.ttl);
      return;
    case "delete": case "check":
      w.string(op.path); w.int(op.version);
      return;
    case "setData":
      w.string(op.path); w.buffer(op.data); w.int(op.version);
  }
}

function encode(request: Request): number {
  const w = new Writer();
  w.int(7); // xid
  w.int(0); // type
  switch (request.type) {
    case "multi":
      for (const op of request.ops) {
        w.int(1); w.bool(false); w.int(-1);
        writeOp(w, op);
      }
      w.int(-1); w.bool(true); w.int(-1);
      break;
    case "getData": case "exists": case "getChildren2":
      w.string(request.path); w.bool(request.watch);
      break;
    case "sync":
      w.string(request.path);
      break;
    case "closeSession":
      break;
    default:
      writeOp(w, request as MultiOp);
  }
  return w.bytes.length;
}

const path = fc.string({ unit: "binary", maxLength: 12 });
const data = fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null });
const version = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const acl = fc.constantFrom<readonly Acl[]>(OPEN_ACL_UNSAFE, [], [
  { perms: 1, id: { scheme: "digest", id: "user:ab\u00e9" } },
  { perms: 31, id: { scheme: "ip", id: "127.0.0.1" } },
]);
const flags = fc.integer({ min: 0, max: 6 });
const op: fc.Arbitrary<MultiOp> = fc.oneof(
  fc.record({ type: fc.constantFrom("create", "create2", "createContainer" as const), path, data,
    acl, flags }),
  fc.record({ type: fc.constant("createTTL" as const), path, data, acl, flags,
    ttl: fc.integer({ min: -5, max: 2 ** 40 }) }),
  fc.record({ type: fc.constantFrom("delete", "check" as const), path, version }),
  fc.record({ type: fc.constant("setData" as const), path, data, version }),
);
const request: fc.Arbitrary<Request> = fc.oneof(
  op,
  fc.record({ type: fc.constant("multi" as const), ops: fc.array(op, { maxLength: 4 }) }),
  fc.record({ type: fc.constantFrom("getData", "exists", "getChildren2" as const), path,
    watch: fc.boolean() }),
  fc.record({ type: fc.constant("sync" as const), path }),
  fc.constant({ type: "closeSession" as const }),
);

describe("requestFrameLength", () => {
  it("equals the length a naive jute encoder writes", () => {
    fc.assert(fc.property(request, (r) => {
      expect(requestFrameLength(r)).toBe(encode(r));
    }), { numRuns: 400 });
  });

  it("counts UTF-8 bytes as TextEncoder does, lone surrogates included", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }), { numRuns: 400 });
  });

  it("puts a create of /big with 1048524 bytes exactly at jute.maxbuffer", () => {
    const create = (p: string, n: number): Request => ({
      type: "create2", path: p, data: new Uint8Array(n), acl: OPEN_ACL_UNSAFE, flags: 0,
    });
    expect(requestFrameLength(create("/big", 1048524))).toBe(JUTE_MAX_BUFFER);
    expect(exceedsMaxBuffer(create("/big", 1048524))).toBe(false);
    expect(exceedsMaxBuffer(create("/big", 1048525))).toBe(true);
    expect(exceedsMaxBuffer(create("/big2", 1048524))).toBe(true);
  });
});
