/**
 * Coverage marks (after TigerBeetle's marks.zig): code calls mark("sync: TRUNC follower ahead")
 * on a rare branch. A scenario test calls markHit(name, fn) to prove it reached that branch; a
 * sweep calls marksReached(fn) around each run to count which rare branches the run reached
 * (`zabsim sweep --coverage`). Every name is declared once in run/marks.ts, with the run
 * options that reach it; the tidy test checks both directions.
 *
 * The recording set lives only for the duration of one body and is restored afterwards, so
 * nothing recorded in one run leaks into the next. Outside a recording mark() costs one
 * comparison.
 */
let recording: Set<string> | undefined;

/** Records that a rare branch ran. */
export function mark(name: string): void {
  if (recording !== undefined) recording.add(name);
}

/**
 * Runs `body` and returns the marks it reached. Nested recordings also report to the enclosing
 * one, so a markHit inside a sweep does not hide its marks from the sweep.
 */
export function marksReached<T>(body: () => T): { reached: ReadonlySet<string>; value: T } {
  const previous = recording;
  const reached = new Set<string>();
  recording = reached;
  try {
    const value = body();
    return { reached, value };
  } finally {
    recording = previous;
    if (previous !== undefined) for (const name of reached) previous.add(name);
  }
}

/**
 * marksReached for an asynchronous body (a run with API tasks). The recording stays on while
 * the body is pending, so the caller must not run anything else that marks meanwhile: a sweep
 * runs one seed at a time per thread.
 */
export async function marksReachedAsync<T>(
  body: () => Promise<T>,
): Promise<{ reached: ReadonlySet<string>; value: T }> {
  const previous = recording;
  const reached = new Set<string>();
  recording = reached;
  try {
    const value = await body();
    return { reached, value };
  } finally {
    recording = previous;
    if (previous !== undefined) for (const name of reached) previous.add(name);
  }
}

/** Runs `body` and reports whether it reached mark(name). */
export function markHit<T>(name: string, body: () => T): { hit: boolean; value: T } {
  const { reached, value } = marksReached(body);
  return { hit: reached.has(name), value };
}
