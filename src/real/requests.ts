/**
 * Request bodies and reply bodies of the operations a scenario can send, encoded as the Java
 * client does (ZooKeeper.java, Op.java, MultiOperationRecord, MultiResponse). Nothing is
 * validated here: a path, a version or a flag goes on the wire exactly as given, so the server
 * alone judges it.
 */
import { assertNever } from "../util/index.js";
import { JuteReader, JuteWriter } from "./jute.js";
import { CREATE_FLAGS, OpCode, readStat, writeOpenAcl } from "./protocol.js";
import type { CreateModeName, Stat } from "./protocol.js";

/** One ACL entry (data.ACL: perms and data.Id). */
export interface WireAcl {
  readonly perms: number;
  readonly scheme: string;
  readonly id: string;
}

/**
 * One create, as a scenario states it. `ttl` undefined means the step named none; `acl`
 * undefined means ZooDefs.Ids.OPEN_ACL_UNSAFE (scenarios never name one).
 */
export interface CreateSpec {
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly mode: CreateModeName;
  readonly ttl: number | undefined;
  readonly acl?: readonly WireAcl[];
}

/** An operation inside a multi. */
export type MultiOpRequest =
  | { readonly op: "create"; readonly create: CreateSpec }
  | { readonly op: "delete"; readonly path: string; readonly version: number }
  | {
      readonly op: "setData";
      readonly path: string;
      readonly data: Uint8Array | null;
      readonly version: number;
    }
  | { readonly op: "check"; readonly path: string; readonly version: number };

/** A request this client can send on a session. */
export type ZkRequest =
  /** create, delete and setData are shaped as inside a multi (check is multi-only). */
  | Exclude<MultiOpRequest, { readonly op: "check" }>
  | { readonly op: "getData"; readonly path: string; readonly watch: boolean }
  | { readonly op: "exists"; readonly path: string; readonly watch: boolean }
  | { readonly op: "getChildren"; readonly path: string; readonly watch: boolean }
  | { readonly op: "sync"; readonly path: string }
  | { readonly op: "multi"; readonly ops: readonly MultiOpRequest[] }
  | { readonly op: "closeSession" };

function isTtlMode(mode: CreateModeName): boolean {
  return mode === "PERSISTENT_WITH_TTL" || mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
}

/**
 * The ttl a create sends, or undefined for a request without one. A TTL mode always sends one
 * (-1 when absent, which the server refuses); a non-TTL mode sends a createTTL request only for
 * ttl >= 0, as the Java client's CreateOptions does.
 */
function ttlOnWire(create: CreateSpec): number | undefined {
  if (isTtlMode(create.mode)) return create.ttl ?? -1;
  if (create.ttl !== undefined && create.ttl >= 0) return create.ttl;
  return undefined;
}

/** The opcode of a create: `plain` is create2 at top level and create inside a multi. */
export function createOpcode(create: CreateSpec, plain: number): number {
  if (ttlOnWire(create) !== undefined) return OpCode.createTTL;
  if (create.mode === "CONTAINER") return OpCode.createContainer;
  return plain;
}

function writeCreate(writer: JuteWriter, create: CreateSpec): void {
  writer.writeString(create.path);
  writer.writeBuffer(create.data);
  if (create.acl === undefined) {
    writeOpenAcl(writer);
  } else {
    writer.writeInt(create.acl.length);
    for (const entry of create.acl) {
      writer.writeInt(entry.perms);
      writer.writeString(entry.scheme);
      writer.writeString(entry.id);
    }
  }
  writer.writeInt(CREATE_FLAGS[create.mode]);
  const ttl = ttlOnWire(create);
  if (ttl !== undefined) writer.writeLong(BigInt(ttl));
}

function writeMultiOp(writer: JuteWriter, op: MultiOpRequest): void {
  switch (op.op) {
    case "create":
      writer.writeInt(createOpcode(op.create, OpCode.create));
      writer.writeBool(false);
      writer.writeInt(-1);
      writeCreate(writer, op.create);
      return;
    case "delete":
    case "check":
      writer.writeInt(op.op === "delete" ? OpCode.delete : OpCode.check);
      writer.writeBool(false);
      writer.writeInt(-1);
      writer.writeString(op.path);
      writer.writeInt(op.version);
      return;
    case "setData":
      writer.writeInt(OpCode.setData);
      writer.writeBool(false);
      writer.writeInt(-1);
      writer.writeString(op.path);
      writer.writeBuffer(op.data);
      writer.writeInt(op.version);
      return;
    default:
      assertNever(op, "multi op");
  }
}

/** The opcode of a request (ZooDefs.OpCode), as the request header carries it. */
export function requestOpcode(request: ZkRequest): number {
  switch (request.op) {
    case "create": return createOpcode(request.create, OpCode.create2);
    case "delete": return OpCode.delete;
    case "setData": return OpCode.setData;
    case "getData": return OpCode.getData;
    case "exists": return OpCode.exists;
    case "getChildren": return OpCode.getChildren2;
    case "sync": return OpCode.sync;
    case "multi": return OpCode.multi;
    case "closeSession": return OpCode.closeSession;
    default: return assertNever(request, "request");
  }
}

/** Writes a request body (everything after the request header). */
export function writeRequestBody(writer: JuteWriter, request: ZkRequest): void {
  switch (request.op) {
    case "create":
      writeCreate(writer, request.create);
      return;
    case "delete":
      writer.writeString(request.path);
      writer.writeInt(request.version);
      return;
    case "setData":
      writer.writeString(request.path);
      writer.writeBuffer(request.data);
      writer.writeInt(request.version);
      return;
    case "getData":
    case "exists":
    case "getChildren":
      writer.writeString(request.path);
      writer.writeBool(request.watch);
      return;
    case "sync":
      writer.writeString(request.path);
      return;
    case "multi":
      for (const op of request.ops) writeMultiOp(writer, op);
      // The end marker: MultiHeader{type -1, done true, err -1}.
      writer.writeInt(-1);
      writer.writeBool(true);
      writer.writeInt(-1);
      return;
    case "closeSession":
      return;
    default:
      assertNever(request, "request");
  }
}

/** One entry of a MultiResponse, typed by its wire opcode. */
export type MultiOpResult =
  | { readonly type: "create"; readonly path: string }
  | { readonly type: "create2"; readonly path: string; readonly stat: Stat }
  | { readonly type: "delete" }
  | { readonly type: "setData"; readonly stat: Stat }
  | { readonly type: "check" }
  | { readonly type: "error"; readonly err: number };

/** A decoded reply body. */
export type ZkResponse =
  | { readonly kind: "empty" }
  | { readonly kind: "created"; readonly path: string; readonly stat: Stat }
  | { readonly kind: "stat"; readonly stat: Stat }
  | { readonly kind: "data"; readonly data: Buffer | null; readonly stat: Stat }
  | { readonly kind: "children"; readonly children: string[]; readonly stat: Stat }
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "multi"; readonly results: MultiOpResult[] };

function readMultiEntry(reader: JuteReader, type: number, err: number): MultiOpResult {
  switch (type) {
    case OpCode.create: return { type: "create", path: reader.readString() ?? "" };
    case OpCode.create2: {
      const path = reader.readString() ?? "";
      return { type: "create2", path, stat: readStat(reader) };
    }
    case OpCode.delete: return { type: "delete" };
    case OpCode.setData: return { type: "setData", stat: readStat(reader) };
    case OpCode.check: return { type: "check" };
    case OpCode.error: {
      const code = reader.readInt();
      return { type: "error", err: code === 0 && err !== 0 ? err : code };
    }
    default:
      throw new Error(`multi reply holds an unexpected op type ${type}`);
  }
}

function readMulti(reader: JuteReader): MultiOpResult[] {
  const results: MultiOpResult[] = [];
  for (;;) {
    const type = reader.readInt();
    const done = reader.readBool();
    const err = reader.readInt();
    if (done) return results;
    results.push(readMultiEntry(reader, type, err));
  }
}

/** Decodes the body of a successful reply (or of any multi reply: it always has results). */
export function readResponseBody(request: ZkRequest, body: Buffer): ZkResponse {
  const reader = new JuteReader(body);
  switch (request.op) {
    case "create": {
      const path = reader.readString() ?? "";
      return { kind: "created", path, stat: readStat(reader) };
    }
    case "setData":
    case "exists":
      return { kind: "stat", stat: readStat(reader) };
    case "getData": {
      const data = reader.readBuffer();
      return { kind: "data", data, stat: readStat(reader) };
    }
    case "getChildren": {
      const children = reader.readStrings();
      return { kind: "children", children, stat: readStat(reader) };
    }
    case "sync": return { kind: "path", path: reader.readString() ?? "" };
    case "multi": return { kind: "multi", results: readMulti(reader) };
    case "delete":
    case "closeSession":
      return { kind: "empty" };
    default:
      return assertNever(request, "request");
  }
}

/** The full serialized request (header and body) without the frame length. */
export function encodeRequest(xid: number, request: ZkRequest): Buffer {
  const writer = new JuteWriter();
  writer.writeInt(xid);
  writer.writeInt(requestOpcode(request));
  writeRequestBody(writer, request);
  return writer.toBuffer();
}
