/**
 * ZooKeeper's error codes (KeeperException.Code in 3.8), as a closed union of the names the Java
 * enum uses. The tree never throws for a bad request: every failure is one of these codes, in a
 * result or in an error txn, so the server and the scenario runner can print it as ZooKeeper does.
 */
import { assert } from "../util/index.js";

/** The numeric value of every code, as on the wire (KeeperException.Code). */
export const ERROR_CODE_VALUES = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  UNKNOWNSESSION: -12,
  NEWCONFIGNOQUORUM: -13,
  RECONFIGINPROGRESS: -14,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
  EPHEMERALONLOCALSESSION: -120,
  NOWATCHER: -121,
  REQUESTTIMEOUT: -122,
  RECONFIGDISABLED: -123,
  SESSIONCLOSEDREQUIRESASLAUTH: -124,
  QUOTAEXCEEDED: -125,
  THROTTLEDOP: -127,
} as const;

/** A ZooKeeper error code name, e.g. "NONODE". "OK" means success. */
export type ErrorCode = keyof typeof ERROR_CODE_VALUES;

/** Every code name, in declaration order. */
export const ERROR_CODES: readonly ErrorCode[] = Object.keys(ERROR_CODE_VALUES) as ErrorCode[];

const byValue = new Map<number, ErrorCode>(
  ERROR_CODES.map((code) => [ERROR_CODE_VALUES[code], code]),
);

/** The name of a numeric code; asserts that the value is one ZooKeeper defines. */
export function errorCodeOf(value: number): ErrorCode {
  const code = byValue.get(value);
  assert(code !== undefined, "unknown ZooKeeper error code", { value });
  return code;
}

/** True for a name this module knows (for decoding txns read from a log). */
export function isErrorCode(name: string): name is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODE_VALUES, name);
}

/**
 * Internal control flow of prep, mirroring KeeperException: thrown by a check and caught at the
 * prep boundary (prepRequest), which turns it into an error txn. Never escapes the tree module.
 */
export class KeeperFailure extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode) {
    // Every failing client request throws one (a create of an existing node, a bad version), so
    // it is on a run's hot path; no one reads its stack (prepRequest catches it), and capturing
    // one cost as much as the rest of prep. So the stack is switched off while it is built.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(code);
    Error.stackTraceLimit = stackTraceLimit;
    assert(code !== "OK", "a failure needs a non-OK code");
    this.code = code;
  }
}
