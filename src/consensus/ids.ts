/**
 * Branded ids of the consensus layer. A ServerId is ZooKeeper's `myid`/`sid`; a ClientId names a
 * simulated client connection. Zxid and Epoch come from util so every module shares one
 * definition of the 64-bit transaction id (epoch * 2^32 + counter).
 */
import type { Brand } from "../util/index.js";
import { assert } from "../util/index.js";

export type { Zxid, Epoch } from "../util/index.js";

/** A server's id in the ensemble (`myid`, `sid` in QuorumPeer). Positive integer. */
export type ServerId = Brand<number, "ServerId">;

/** A client connection inside the world. Non-negative integer. */
export type ClientId = Brand<number, "ClientId">;

/** Brands a number as a ServerId after checking it is a positive integer. */
export function serverId(value: number): ServerId {
  assert(Number.isSafeInteger(value), `server id must be an integer, got ${value}`);
  assert(value > 0, `server id must be positive, got ${value}`);
  return value as ServerId;
}

/** Brands a number as a ClientId after checking it is a non-negative integer. */
export function clientId(value: number): ClientId {
  assert(Number.isSafeInteger(value), `client id must be an integer, got ${value}`);
  assert(value >= 0, `client id must be non-negative, got ${value}`);
  return value as ClientId;
}
