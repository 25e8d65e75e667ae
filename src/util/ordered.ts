/**
 * Helpers that make iteration order explicit. JavaScript's Map and Set iterate in insertion order,
 * which is deterministic but easy to get wrong when insertion order depends on message timing;
 * where the order reaches a trace, a reply or a checker verdict, sort first.
 */

/** Numeric ascending comparator (Array.prototype.sort compares strings by default). */
export function byNumber(a: number, b: number): number {
  return a - b;
}

/** UTF-16 code unit comparator, the order of JavaScript's default sort, without the string cast. */
export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The keys of a map, sorted. */
export function sortedKeys<K extends number | string, V>(map: ReadonlyMap<K, V>): K[] {
  const keys = [...map.keys()];
  return keys.sort((a, b) =>
    typeof a === "number" ? byNumber(a, b as number) : byString(a as string, b as string),
  );
}

/** The entries of a map, sorted by key. */
export function sortedEntries<K extends number | string, V>(map: ReadonlyMap<K, V>): [K, V][] {
  return sortedKeys(map).map((key) => [key, map.get(key) as V]);
}
