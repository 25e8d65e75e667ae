/**
 * Seeded pseudo-random streams. One run has one seed; every component (network, disk, nemesis,
 * workload, each node) draws from its own named stream derived from that seed, so adding a draw in
 * one component never shifts the random choices of another. The generator is pure-rand's
 * xoroshiro128+, the one fast-check uses; this file only derives seeds and adds helpers.
 */
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { assert } from "./assert.js";

/** The largest seed a run accepts: seeds are whole numbers from 0 to 2^53-1. */
export const SEED_MAX = Number.MAX_SAFE_INTEGER;

/** A 32-bit FNV-1a hash of a string, mixed with a 32-bit starting value. */
function fnv1a32(text: string, start: number): number {
  let hash = (0x811c9dc5 ^ start) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** splitmix32: spreads a 32-bit value over all bits, so near seeds give unrelated states. */
function splitmix32(value: number): number {
  let z = (value + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A deterministic random stream. Only the seeded world creates these. */
export class Prng {
  readonly seed: number;
  readonly name: string;
  private readonly generator: ReturnType<typeof xoroshiro128plusFromState>;

  /** Derives the stream `name` of run `seed`. */
  constructor(seed: number, name: string) {
    assert(Number.isSafeInteger(seed) && seed >= 0, `seed must be in 0..2^53-1, got ${seed}`);
    this.seed = seed;
    this.name = name;
    const low = seed >>> 0;
    const high = Math.floor(seed / 2 ** 32) >>> 0;
    const a = fnv1a32(name, low);
    const b = fnv1a32(name, high ^ 0x5bd1e995);
    const state: [number, number, number, number] = [
      splitmix32(a), splitmix32(b ^ low), splitmix32(a ^ high), splitmix32(b + 1),
    ];
    // xoroshiro must not start from the all-zero state.
    if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
    this.generator = xoroshiro128plusFromState(state);
  }

  /** An independent stream for a sub-component, named `${this.name}/${name}`. */
  fork(name: string): Prng {
    return new Prng(this.seed, `${this.name}/${name}`);
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    return this.generator.next() >>> 0;
  }

  /** A uniform float in [0, 1) with 53 bits of randomness. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform integer in [min, max], both inclusive. */
  intBetween(min: number, max: number): number {
    assert(Number.isSafeInteger(min) && Number.isSafeInteger(max), "intBetween takes integers");
    assert(min <= max, "intBetween: min > max", { min, max });
    const span = max - min + 1;
    if (span <= 2 ** 32) {
      // Rejection sampling keeps the draw unbiased.
      const limit = 2 ** 32 - (2 ** 32 % span);
      for (;;) {
        const draw = this.nextUint32();
        if (draw < limit) return min + (draw % span);
      }
    }
    return min + Math.floor(this.nextFloat() * span);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.nextFloat() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, "pick from an empty array");
    return items[this.intBetween(0, items.length - 1)] as T;
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.intBetween(0, i);
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy;
  }

  /** `count` random bytes (for the crypto layer's seeded source inside the simulation). */
  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i += 4) {
      let word = this.nextUint32();
      for (let k = 0; k < 4 && i + k < count; k++) {
        out[i + k] = word & 0xff;
        word >>>= 8;
      }
    }
    return out;
  }
}
