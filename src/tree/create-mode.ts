/**
 * Create modes (CreateMode.java) and the stored ephemeral-owner encoding (EphemeralType.java).
 *
 * ZooKeeper keeps one 64-bit `ephemeralOwner` per node: 0, a session id, Long.MIN_VALUE for a
 * container, or 0xFF00000000000000 | ttl for a TTL node. JavaScript numbers are exact only to
 * 2^53, so the tree stores an `EphemeralOwner` number with the same information: 0, a positive
 * session id, CONTAINER_OWNER (-1), or -2 - ttl for a TTL node. `ownerAsJavaLong` gives back
 * ZooKeeper's 64-bit value (for the digest).
 */
import { assert, assertNever } from "../util/index.js";

/** The seven create modes, spelled as CreateMode's constants. */
export type CreateMode =
  | "PERSISTENT"
  | "EPHEMERAL"
  | "PERSISTENT_SEQUENTIAL"
  | "EPHEMERAL_SEQUENTIAL"
  | "CONTAINER"
  | "PERSISTENT_WITH_TTL"
  | "PERSISTENT_SEQUENTIAL_WITH_TTL";

/** The wire flag of each mode (CreateMode.toFlag). */
export const CREATE_MODE_FLAGS: Readonly<Record<CreateMode, number>> = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
};

/** Every mode, in flag order. */
export const CREATE_MODES: readonly CreateMode[] = [
  "PERSISTENT",
  "EPHEMERAL",
  "PERSISTENT_SEQUENTIAL",
  "EPHEMERAL_SEQUENTIAL",
  "CONTAINER",
  "PERSISTENT_WITH_TTL",
  "PERSISTENT_SEQUENTIAL_WITH_TTL",
];

/** CreateMode.fromFlag: undefined for a flag ZooKeeper rejects (BADARGUMENTS). */
export function createModeFromFlag(flag: number): CreateMode | undefined {
  if (!Number.isInteger(flag) || flag < 0 || flag >= CREATE_MODES.length) return undefined;
  return CREATE_MODES[flag];
}

/** CreateMode.isSequential. */
export function isSequential(mode: CreateMode): boolean {
  return (
    mode === "PERSISTENT_SEQUENTIAL" ||
    mode === "EPHEMERAL_SEQUENTIAL" ||
    mode === "PERSISTENT_SEQUENTIAL_WITH_TTL"
  );
}

/** CreateMode.isEphemeral (session-owned; containers and TTL nodes are not). */
export function isEphemeral(mode: CreateMode): boolean {
  return mode === "EPHEMERAL" || mode === "EPHEMERAL_SEQUENTIAL";
}

/** CreateMode.isContainer. */
export function isContainer(mode: CreateMode): boolean {
  return mode === "CONTAINER";
}

/** CreateMode.isTTL. */
export function isTTL(mode: CreateMode): boolean {
  return mode === "PERSISTENT_WITH_TTL" || mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
}

/** EphemeralType.TTL.maxValue(): EXTENDED_FEATURE_VALUE_MASK, 2^40 - 1 ms (about 34 years). */
export const TTL_MAX = 2 ** 40 - 1;

/** EphemeralType.validateTTL: a TTL mode needs 0 < ttl <= TTL_MAX; other modes need ttl < 0. */
export function isValidTtlForMode(mode: CreateMode, ttl: number): boolean {
  if (isTTL(mode)) return Number.isSafeInteger(ttl) && ttl > 0 && ttl <= TTL_MAX;
  return ttl < 0;
}

/** A node's stored owner: 0, a session id (> 0), CONTAINER_OWNER, or ttlOwner(ttl). */
export type EphemeralOwner = number;

/** The stored owner of a container (ZooKeeper: Long.MIN_VALUE). */
export const CONTAINER_OWNER: EphemeralOwner = -1;

/** EphemeralType.get, over the tree's owner encoding. */
export type EphemeralType = "VOID" | "NORMAL" | "CONTAINER" | "TTL";

/** The stored owner of a TTL node (ZooKeeper: EphemeralType.TTL.toEphemeralOwner(ttl)). */
export function ttlOwner(ttl: number): EphemeralOwner {
  assert(Number.isInteger(ttl) && ttl > 0 && ttl <= TTL_MAX, "bad ttl", { ttl });
  return -2 - ttl;
}

/** Which kind of node an owner value denotes. */
export function ephemeralTypeOf(owner: EphemeralOwner): EphemeralType {
  if (owner === 0) return "VOID";
  if (owner > 0) return "NORMAL";
  if (owner === CONTAINER_OWNER) return "CONTAINER";
  return "TTL";
}

/** The ttl of a TTL node's owner value. */
export function ttlOfOwner(owner: EphemeralOwner): number {
  assert(ephemeralTypeOf(owner) === "TTL", "not a TTL owner");
  return -2 - owner;
}

/** DataNode.getClientEphemeralOwner: the session id for plain ephemerals, else 0. */
export function clientEphemeralOwner(owner: EphemeralOwner): number {
  return owner > 0 ? owner : 0;
}

/** ZooKeeper's 64-bit ephemeralOwner, as [high 32 bits, low 32 bits] unsigned words. */
export function ownerAsJavaLong(owner: EphemeralOwner): [number, number] {
  const kind = ephemeralTypeOf(owner);
  switch (kind) {
    case "VOID":
      return [0, 0];
    case "NORMAL":
      return [Math.floor(owner / 2 ** 32) >>> 0, owner >>> 0];
    case "CONTAINER":
      return [0x80000000, 0];
    case "TTL": {
      const ttl = ttlOfOwner(owner);
      return [(0xff000000 | Math.floor(ttl / 2 ** 32)) >>> 0, ttl >>> 0];
    }
    default:
      return assertNever(kind, "ephemeral type");
  }
}
