/**
 * The wire encoding of requests and the decoding of replies, checked byte by byte against the
 * jute definitions in ZooKeeper's zookeeper.jute (RequestHeader, CreateRequest, CreateTTLRequest,
 * MultiHeader ...), written out here by hand, and against a size the real server was observed
 * to accept (a 1048575-byte create) and refuse (one byte more).
 */
import { describe, expect, it } from "vitest";
import { JuteReader, JuteWriter } from "../../../src/real/jute.js";
import { encodeRequest, readResponseBody, requestOpcode } from "../../../src/real/requests.js";
import type { CreateSpec, ZkRequest } from "../../../src/real/requests.js";

/** Hand-rolled jute pieces, independent of JuteWriter. */
function int(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value);
  return out;
}
function long(value: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigInt64BE(value);
  return out;
}
function str(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  return Buffer.concat([int(bytes.length), bytes]);
}
const OPEN_ACL = Buffer.concat([int(1), int(31), str("world"), str("anyone")]);

function create(path: string, mode: CreateSpec["mode"], ttl?: number, data?: string): CreateSpec {
  return { path, data: data === undefined ? null : Buffer.from(data), mode, ttl };
}

describe("request encoding", () => {
  it("encodes create2 as header, path, data, OPEN_ACL_UNSAFE and flags", () => {
    const request: ZkRequest = { op: "create", create: create("/a", "EPHEMERAL", undefined, "hi") };
    const bytes = encodeRequest(7, request);
    const expected = Buffer.concat([int(7), int(15), str("/a"), str("hi"), OPEN_ACL, int(1)]);
    expect(bytes.equals(expected)).toBe(true);
  });

  it("sends null data as length -1", () => {
    const bytes = encodeRequest(1, { op: "setData", path: "/a", data: null, version: -1 });
    expect(bytes.equals(Buffer.concat([int(1), int(5), str("/a"), int(-1), int(-1)]))).toBe(true);
  });

  it("uses createContainer (19) for CONTAINER and createTTL (21) for TTL modes", () => {
    expect(requestOpcode({ op: "create", create: create("/c", "CONTAINER") })).toBe(19);
    const request: ZkRequest = { op: "create", create: create("/t", "PERSISTENT_WITH_TTL", 500) };
    const ttl = encodeRequest(2, request);
    const expected = Buffer.concat([
      int(2), int(21), str("/t"), int(-1), OPEN_ACL, int(5), long(500n),
    ]);
    expect(ttl.equals(expected)).toBe(true);
  });

  it("sends ttl -1 for a TTL mode without a ttl (the server answers BADARGUMENTS)", () => {
    const mode = "PERSISTENT_SEQUENTIAL_WITH_TTL";
    const bytes = encodeRequest(3, { op: "create", create: create("/t", mode) });
    expect(bytes.subarray(bytes.length - 12).equals(Buffer.concat([int(6), long(-1n)]))).toBe(true);
  });

  it("turns ttl >= 0 on a non-TTL mode into createTTL, and ignores a negative one", () => {
    const withTtl: ZkRequest = { op: "create", create: create("/p", "PERSISTENT", 0) };
    expect(requestOpcode(withTtl)).toBe(21);
    const negative: ZkRequest = { op: "create", create: create("/p", "PERSISTENT", -3) };
    expect(requestOpcode(negative)).toBe(15);
    expect(encodeRequest(1, negative).length).toBe(8 + 6 + 4 + OPEN_ACL.length + 4);
  });

  it("encodes a multi as MultiHeaders with bodies and a done marker", () => {
    const bytes = encodeRequest(9, {
      op: "multi",
      ops: [
        { op: "create", create: create("/x", "PERSISTENT") },
        { op: "check", path: "/x", version: 0 },
        { op: "delete", path: "/y", version: -1 },
      ],
    });
    const header = (type: number): Buffer => Buffer.concat([int(type), Buffer.from([0]), int(-1)]);
    const expected = Buffer.concat([
      int(9), int(14),
      header(1), str("/x"), int(-1), OPEN_ACL, int(0),
      header(13), str("/x"), int(0),
      header(2), str("/y"), int(-1),
      int(-1), Buffer.from([1]), int(-1),
    ]);
    expect(bytes.equals(expected)).toBe(true);
  });

  it("sizes a create exactly as the server's 1048575-byte limit counts it", () => {
    // Recorded on ZooKeeper 3.8.0: this create was applied, the same with path "/big2" dropped.
    const fill = "x".repeat(1048524);
    const big = (path: string): ZkRequest => ({
      op: "create",
      create: create(path, "PERSISTENT", undefined, fill),
    });
    const fits = encodeRequest(1, big("/big"));
    const over = encodeRequest(1, big("/big2"));
    expect(fits.length).toBe(1048575);
    expect(over.length).toBe(1048576);
  });
});

describe("reply decoding", () => {
  const stat = (czxid: bigint): Buffer =>
    Buffer.concat([
      long(czxid), long(czxid + 1n), long(0n), long(0n), int(2), int(3), int(0), long(0n),
      int(5), int(1), long(czxid + 2n),
    ]);

  it("reads a MultiResponse typed by each entry's opcode", () => {
    const header = (type: number, err: number): Buffer =>
      Buffer.concat([int(type), Buffer.from([0]), int(err)]);
    const body = Buffer.concat([
      header(1, 0), str("/x"),
      header(15, 0), str("/c"), stat(4n),
      header(5, 0), stat(6n),
      header(2, 0),
      header(13, 0),
      header(-1, -101), int(-101),
      int(-1), Buffer.from([1]), int(-1),
    ]);
    const reply = readResponseBody({ op: "multi", ops: [] }, body);
    expect(reply.kind).toBe("multi");
    if (reply.kind !== "multi") return;
    expect(reply.results.map((entry) => entry.type)).toEqual([
      "create", "create2", "setData", "delete", "check", "error",
    ]);
    expect(reply.results[5]).toEqual({ type: "error", err: -101 });
    const second = reply.results[1];
    expect(second?.type === "create2" ? second.stat.pzxid : 0n).toBe(6n);
  });

  it("reads getChildren2 children and the parent's stat", () => {
    const body = Buffer.concat([int(2), str("b"), str("a"), stat(10n)]);
    const reply = readResponseBody({ op: "getChildren", path: "/", watch: false }, body);
    expect(reply).toMatchObject({ kind: "children", children: ["b", "a"] });
  });
});

describe("jute primitives", () => {
  it("round-trips ints, longs, booleans, buffers and string vectors", () => {
    const writer = new JuteWriter();
    writer.writeInt(-5);
    writer.writeLong(0x7123456789abcdefn);
    writer.writeBool(true);
    writer.writeBuffer(null);
    writer.writeStrings(["x", "\u00e9"]);
    const reader = new JuteReader(writer.toBuffer());
    expect(reader.readInt()).toBe(-5);
    expect(reader.readLong()).toBe(0x7123456789abcdefn);
    expect(reader.readBool()).toBe(true);
    expect(reader.readBuffer()).toBeNull();
    expect(reader.readStrings()).toEqual(["x", "\u00e9"]);
    expect(reader.remaining).toBe(0);
  });

  it("refuses a frame shorter than its record", () => {
    expect(() => new JuteReader(Buffer.from([0, 0, 0, 9, 1])).readBuffer()).toThrow(/too short/);
  });
});
