/**
 * The zxid: ZooKeeper's 64-bit transaction id, epoch in the high 32 bits and a counter in the low
 * 32 (ZooKeeper's ZxidUtils). JavaScript numbers hold integers exactly up to 2^53, so a zxid is a
 * plain number built with multiplication: `<<` works on 32-bit integers and would wrap.
 * Epochs therefore stay below 2^21, far beyond any simulated run.
 */
import { assert } from "./assert.js";
import type { Brand } from "./brand.js";
import { hexOf } from "./hex.js";

export type Zxid = Brand<number, "Zxid">;
export type Epoch = Brand<number, "Epoch">;

const COUNTER_SPAN = 2 ** 32;
/** The largest counter; ZooKeeper forces a re-election when a counter reaches it. */
export const ZXID_COUNTER_MAX = COUNTER_SPAN - 1;
/** The largest epoch that keeps epoch * 2^32 + counter a safe integer. */
export const EPOCH_MAX = 2 ** 21 - 1;

/** makeZxid(epoch, counter) = epoch * 2^32 + counter. */
export function makeZxid(epoch: number, counter: number): Zxid {
  assert(Number.isInteger(epoch) && epoch >= 0 && epoch <= EPOCH_MAX, "bad epoch", { epoch });
  assert(
    Number.isInteger(counter) && counter >= 0 && counter <= ZXID_COUNTER_MAX,
    "bad zxid counter", { counter },
  );
  return (epoch * COUNTER_SPAN + counter) as Zxid;
}

/** The epoch half of a zxid. */
export function epochOf(zxid: number): Epoch {
  return Math.floor(zxid / COUNTER_SPAN) as Epoch;
}

/** The counter half of a zxid. */
export function counterOf(zxid: number): number {
  return zxid % COUNTER_SPAN;
}

/** The zxid 0: nothing has happened yet. */
export const ZXID_ZERO = 0 as Zxid;

/** A zxid as ZooKeeper prints it: 0x followed by lowercase hex. */
export function formatZxid(zxid: number): string {
  return "0x" + hexOf(zxid);
}
