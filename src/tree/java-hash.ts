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

/** ConcurrentHashMap resizes once the count reaches 3/4 of the table (addCount, sizeCtl). */
function concurrentMapCapacityAfter(count: number): number {
  let capacity = 16;
  while (count >= capacity * 0.75) capacity *= 2;
  return capacity;
}

/** HashSet(Collection c): HashMap(max(c.size() / .75f + 1, 16)) rounded up to a power of 2. */
function copyConstructorCapacity(count: number): number {
  const wanted = Math.max(Math.floor(count / 0.75) + 1, 16);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  return capacity;
}

/** How the table that holds the keys was built, which fixes its capacity. */
export type JavaSetKind = "HashSet" | "HashSetCopy" | "ConcurrentHashSet";

function capacityFor(kind: JavaSetKind, count: number): number {
  if (kind === "HashSet") return hashMapCapacityAfter(count);
  if (kind === "HashSetCopy") return copyConstructorCapacity(count);
  return concurrentMapCapacityAfter(count);
}

/**
 * The iteration order of a Java hash set of strings holding `keys`, added in the given order
 * (duplicates ignored): by bucket at the table's capacity, then by insertion order.
 */
export function javaHashSetOrder(keys: Iterable<string>, kind: JavaSetKind = "HashSet"):
  string[] {
  const unique: string[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(key);
  }
  const mask = capacityFor(kind, unique.length) - 1;
  const indexed = unique.map((key, order) => ({ key, order,
    bucket: spread(javaStringHash(key)) & mask }));
  indexed.sort((a, b) => a.bucket - b.bucket || a.order - b.order);
  return indexed.map((entry) => entry.key);
}
