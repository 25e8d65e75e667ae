/**
 * Coverage marks (after TigerBeetle's marks.zig): code calls mark("sync: TRUNC follower ahead")
 * on a rare branch; a scenario test calls expectMark(name, fn) to prove it reached that branch.
 * Outside such a test, mark() costs one comparison.
 */
let watching: string | undefined;
let hit = false;

/** Records that a rare branch ran. */
export function mark(name: string): void {
  if (watching !== undefined && watching === name) hit = true;
}

/** Runs `body` and reports whether it reached mark(name). */
export function markHit<T>(name: string, body: () => T): { hit: boolean; value: T } {
  const previous = watching;
  watching = name;
  hit = false;
  try {
    const value = body();
    return { hit, value };
  } finally {
    watching = previous;
  }
}
