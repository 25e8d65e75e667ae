/**
 * Shards of a seed range: `--shard K/N` runs seeds A+K-1, A+K-1+N, A+K-1+2N, … of A..B
 * (shared/spec/cli.md). Strided rather than contiguous so that a slow region of the range (many
 * failing seeds, long recoveries) spreads over every shard instead of landing on one. Pure
 * arithmetic, shared by sweep (which seeds to run) and merge (which seeds a file must hold).
 */
import type { SeedRange } from "../args.js";
import { UsageError } from "../args.js";

/** Shard K of N: 1 <= index <= count. The whole range is shard 1 of 1. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The whole range as one shard: what an unsharded sweep records. */
export const WHOLE: Shard = { index: 1, count: 1 };

/** Shard counts above this are surely a typo (a CI matrix or an indexed Job is far smaller). */
export const SHARD_COUNT_MAX = 1_000_000;

/** Reads "K/N" (1 <= K <= N <= SHARD_COUNT_MAX) or throws a one-line UsageError. */
export function parseShard(text: string): Shard {
  const match = /^([1-9][0-9]{0,6})\/([1-9][0-9]{0,6})$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || index > count || count > SHARD_COUNT_MAX) {
    throw new UsageError(`--shard takes K/N with whole numbers 1 <= K <= N <= ` +
      `${SHARD_COUNT_MAX} (the K-th of N strided shards), got "${text}"`);
  }
  return { index, count };
}

/** "2/4". */
export const shardText = (shard: Shard): string => `${shard.index}/${shard.count}`;

/** The first seed of the shard (it may lie past the range's end: an empty shard). */
const firstSeed = (range: SeedRange, shard: Shard): number => range.first + shard.index - 1;

/** How many seeds of `range` the shard holds. */
export function shardSize(range: SeedRange, shard: Shard): number {
  const first = firstSeed(range, shard);
  return first > range.last ? 0 : Math.floor((range.last - first) / shard.count) + 1;
}

/** The shard's seeds in increasing order. */
export function* shardSeeds(range: SeedRange, shard: Shard): Generator<number> {
  for (let seed = firstSeed(range, shard); seed <= range.last; seed += shard.count) yield seed;
}

/** True when `seed` is one of the shard's seeds. */
export function shardHolds(range: SeedRange, shard: Shard, seed: number): boolean {
  if (seed < range.first || seed > range.last) return false;
  return (seed - range.first) % shard.count === shard.index - 1;
}
