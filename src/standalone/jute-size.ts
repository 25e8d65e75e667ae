/**
 * The jute serialization size of a client request: what NIOServerCnxn.readLength compares with
 * jute.maxbuffer before it reads the request. The frame is the RequestHeader {int xid, int type}
 * followed by the request record (zookeeper.jute); the 4-byte frame length is not counted.
 * Sizes are computed, never serialized, so a 1 MiB fill costs nothing.
 *
 * Jute encodings (BinaryOutputArchive): int 4 bytes, long 8, boolean 1, ustring and buffer an int
 * length then the bytes (a null one is the length -1 alone), vector an int count then the items.
 */
import { assertNever } from "../util/index.js";
import type { Acl } from "../tree/index.js";
import type { MultiOp, Request } from "../tree/index.js";

/** BinaryInputArchive.maxBuffer: jute.maxbuffer's default 0xfffff, just under 1 MiB. */
export const JUTE_MAX_BUFFER = 0xfffff;

const INT = 4;
const LONG = 8;
const BOOL = 1;
/** RequestHeader: int xid, int type. */
const REQUEST_HEADER = INT + INT;
/** MultiHeader: int type, boolean done, int err; one before each op and one to end the list. */
const MULTI_HEADER = INT + BOOL + INT;

/** The UTF-8 byte length of a string, as TextEncoder encodes it (lone surrogates as U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function ustring(text: string): number {
  return INT + utf8Length(text);
}

function buffer(data: Uint8Array | null): number {
  return INT + (data === null ? 0 : data.length);
}

function aclVector(acl: readonly Acl[]): number {
  let size = INT;
  for (const entry of acl) size += INT + ustring(entry.id.scheme) + ustring(entry.id.id);
  return size;
}

/** The size of a request record that may appear inside a multi. */
function opRecordSize(op: MultiOp): number {
  switch (op.type) {
    case "create":
    case "create2":
    case "createContainer":
      return ustring(op.path) + buffer(op.data) + aclVector(op.acl) + INT;
    case "createTTL":
      return ustring(op.path) + buffer(op.data) + aclVector(op.acl) + INT + LONG;
    case "delete":
    case "check":
      return ustring(op.path) + INT;
    case "setData":
      return ustring(op.path) + buffer(op.data) + INT;
    default:
      return assertNever(op, "multi op");
  }
}

/** The size of a request's record (without the header), for the requests a client sends. */
function recordSize(request: Request): number {
  switch (request.type) {
    case "create":
    case "create2":
    case "createContainer":
    case "createTTL":
    case "delete":
    case "check":
    case "setData":
      return opRecordSize(request);
    case "multi": {
      let size = MULTI_HEADER;
      for (const op of request.ops) size += MULTI_HEADER + opRecordSize(op);
      return size;
    }
    case "getData":
    case "exists":
    case "getChildren":
    case "getChildren2":
      return ustring(request.path) + BOOL;
    case "sync":
    case "getACL":
    case "getAllChildrenNumber":
      return ustring(request.path);
    case "closeSession":
      // ZooKeeper.close submits the header alone (ClientCnxn.submitRequest with no record).
      return 0;
    default:
      // Server-made or session-level requests never arrive as a client frame here.
      return 0;
  }
}

/** The frame length the server reads for `request`: header plus record. */
export function requestFrameLength(request: Request): number {
  return REQUEST_HEADER + recordSize(request);
}

/** True when the server drops the connection instead of reading the request. */
export function exceedsMaxBuffer(request: Request): boolean {
  return requestFrameLength(request) > JUTE_MAX_BUFFER;
}
