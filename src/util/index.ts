export { assert, assertNever, unreachable, defined, AssertionError } from "./assert.js";
export type { Brand } from "./brand.js";
export { Prng, SEED_MAX } from "./prng.js";
export { byNumber, byString, sortedKeys, sortedEntries } from "./ordered.js";
export { mark, markHit, marksReached, marksReachedAsync } from "./mark.js";
export type { Zxid, Epoch } from "./zxid.js";
export {
  makeZxid, epochOf, counterOf, formatZxid, ZXID_ZERO, ZXID_COUNTER_MAX, EPOCH_MAX,
} from "./zxid.js";
export { hexOf, hexWord, hexWords } from "./hex.js";
export { blobsIn } from "./blobs.js";
