/**
 * Assertions for programmer errors. A failed assertion means the code found its own state
 * impossible: it is a bug, never a bad client request (those get a typed ZooKeeper error code).
 * The simulated world catches AssertionError and reports it with the seed, the simulated time and
 * the node, so a failing run can be replayed.
 */

/** Thrown by assert(); carries optional structured context for the run's report. */
export class AssertionError extends Error {
  readonly context: Readonly<Record<string, unknown>> | undefined;

  constructor(message: string, context?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = "AssertionError";
    this.context = context;
  }
}

/** Fails loudly when `condition` is false. */
export function assert(
  condition: boolean,
  message = "assertion failed",
  context?: Readonly<Record<string, unknown>>,
): asserts condition {
  if (!condition) throw new AssertionError(message, context);
}

/** Ends every switch over a closed union: the type checker proves this line unreachable. */
export function assertNever(value: never, what = "value"): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Marks a branch that must never run. */
export function unreachable(message = "unreachable"): never {
  throw new AssertionError(message);
}

/** Returns `value`, asserting it is neither undefined nor null (instead of the banned `!`). */
export function defined<T>(value: T | undefined | null, what = "value"): T {
  if (value === undefined || value === null) throw new AssertionError(`${what} is missing`);
  return value;
}
