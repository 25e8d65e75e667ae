/**
 * Java's HashSet<String> iteration order, for the few places where ZooKeeper's output order comes
 * from one (the container reaper's candidate set). A HashMap puts a key in bucket
 * (h ^ (h >>> 16)) & (capacity - 1), with h = String.hashCode; iteration walks the buckets in
 * order and each bucket in insertion order; the capacity starts at 16 and doubles whenever the
 * size passes 3/4 of it, and splitting a bucket keeps the relative order.
 */

/** String.hashCode: s[0]*31^(n-1) + ... + s[n-1] in int arithmetic over UTF-16 code units. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/** HashMap.hash: the high half folded into the low half. */
function spread(hash: number): number {
  return (hash ^ (hash >>> 16)) | 0;
}

/** The capacity a HashMap reaches after inserting `count` keys one by one from 16. */
function hashMapCapacityAfter(count: number): number {
  let capacity = 16;
  while (count > capacity * 0.75) capacity *= 2;
  return capacity;
}

/** HashSet(Collection c): HashMap(max(c.size() / .75f + 1, 16)) rounded up to a power of 2. */
function copyConstructorCapacity(count: number): number {
  return tableSizeFor(Math.max(Math.floor(count / 0.75) + 1, 16));
}

/** How the table that holds the keys was built, which fixes its capacity. */
export type JavaSetKind = "HashSet" | "HashSetCopy" | "ConcurrentHashSet";

/** Java's HashMap.tableSizeFor: the least power of two >= n (at least 1). */
function tableSizeFor(n: number): number {
  let capacity = 1;
  while (capacity < n) capacity *= 2;
  return capacity;
}

/**
 * The capacity of `(HashSet) set.clone()` for a set of `size` keys (HashMap.putMapEntries into
 * an empty map: tableSizeFor((int) (size / 0.75f + 1))); an empty clone starts at 16.
 */
export function cloneCapacity(size: number): number {
  return size === 0 ? 16 : tableSizeFor(Math.floor(size / 0.75 + 1));
}

/** One change to a simulated HashSet. */
export interface SetOp {
  readonly add: boolean;
  readonly key: string;
}

/**
 * The iteration order of a HashMap-backed set after `ops`, starting from an empty table of
 * `initialCapacity`: the table doubles whenever an add takes the size past 3/4 of it; keys
 * iterate by bucket at the final capacity, then in the order they were (last) added.
 */
export function hashSetOrderAfter(ops: readonly SetOp[], initialCapacity: number): string[] {
  let capacity = initialCapacity;
  const addedAt = new Map<string, number>();
  ops.forEach((op, index) => {
    if (!op.add) {
      addedAt.delete(op.key);
      return;
    }
    if (addedAt.has(op.key)) return;
    addedAt.set(op.key, index);
    while (addedAt.size > capacity * 0.75) capacity *= 2;
  });
  const mask = capacity - 1;
  const entries = [...addedAt].map(([key, order]) => ({ key, order,
    bucket: spread(javaStringHash(key)) & mask }));
  entries.sort((a, b) => a.bucket - b.bucket || a.order - b.order);
  return entries.map((entry) => entry.key);
}

function capacityFor(kind: "HashSet" | "HashSetCopy", count: number): number {
  return kind === "HashSet" ? hashMapCapacityAfter(count) : copyConstructorCapacity(count);
}

/** Keys without repeats, first occurrence kept. */
function distinct(keys: Iterable<string>): string[] {
  const unique: string[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(key);
  }
  return unique;
}

/**
 * ConcurrentHashMap's iteration order after inserting `keys` one by one: each key is appended
 * to its bin; when the count reaches 3/4 of the table, transfer() splits every bin in two,
 * keeping the longest tail run of keys bound for the same half ("lastRun") in place and
 * prepending the others one by one, which reverses them. Iteration walks bins in index order.
 */
function concurrentHashSetOrder(keys: readonly string[]): string[] {
  let bins: string[][] = Array.from({ length: 16 }, () => []);
  const hashOf = new Map(keys.map((key) => [key, spread(javaStringHash(key))]));
  let count = 0;
  for (const key of keys) {
    bins[(hashOf.get(key) ?? 0) & (bins.length - 1)]?.push(key);
    count++;
    while (count >= bins.length * 0.75) bins = transfer(bins, hashOf);
  }
  return bins.flat();
}

/** ConcurrentHashMap.transfer for one doubling (bin order as described above). */
function transfer(bins: string[][], hashOf: ReadonlyMap<string, number>): string[][] {
  const n = bins.length;
  const next: string[][] = Array.from({ length: n * 2 }, () => []);
  for (let i = 0; i < n; i++) {
    const bin = bins[i] ?? [];
    if (bin.length === 0) continue;
    const bit = (key: string): number => (hashOf.get(key) ?? 0) & n;
    let lastRun = bin.length - 1;
    while (lastRun > 0 && bit(bin[lastRun - 1] ?? "") === bit(bin[lastRun] ?? "")) lastRun--;
    const runBit = bit(bin[lastRun] ?? "");
    const low: string[] = runBit === 0 ? bin.slice(lastRun) : [];
    const high: string[] = runBit === 0 ? [] : bin.slice(lastRun);
    for (let k = 0; k < lastRun; k++) {
      const key = bin[k] ?? "";
      if (bit(key) === 0) low.unshift(key);
      else high.unshift(key);
    }
    next[i] = low;
    next[i + n] = high;
  }
  return next;
}

/**
 * The iteration order of a Java hash set of strings holding `keys`, added in the given order
 * (duplicates ignored). A HashMap-backed set iterates by bucket at its capacity, each bucket in
 * insertion order (splits keep the order); a ConcurrentHashMap-backed one as
 * concurrentHashSetOrder says.
 */
export function javaHashSetOrder(keys: Iterable<string>, kind: JavaSetKind = "HashSet"):
  string[] {
  const unique = distinct(keys);
  if (kind === "ConcurrentHashSet") return concurrentHashSetOrder(unique);
  const mask = capacityFor(kind, unique.length) - 1;
  const indexed = unique.map((key, order) => ({ key, order,
    bucket: spread(javaStringHash(key)) & mask }));
  indexed.sort((a, b) => a.bucket - b.bucket || a.order - b.order);
  return indexed.map((entry) => entry.key);
}
