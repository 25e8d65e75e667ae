/**
 * A bound on how many violations one checker reports per run. A single broken invariant tends to
 * repeat at every later event; the first few say everything, and a cap keeps the JSON readable
 * and the run fast when a planted bug fires thousands of times.
 */
export const VIOLATIONS_PER_CHECKER_MAX = 5;

/** Collects violations, keeping at most VIOLATIONS_PER_CHECKER_MAX of them. */
export class ViolationList<T> {
  readonly items: T[] = [];

  add(item: T): void {
    if (this.items.length < VIOLATIONS_PER_CHECKER_MAX) this.items.push(item);
  }
}
