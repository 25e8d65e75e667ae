/**
 * A node's clock. The world keeps one true time; each node reads it through an offset (skew)
 * and a rate error (drift, in parts per million), like a quartz clock that is set wrong and runs
 * fast or slow. Every input a host gets carries this local reading.
 *
 * Timers are set in local durations and fire by the local clock's *rate*: a node whose clock
 * runs fast sees its timers fire early in true time. A clock jump (a step of the offset, as NTP
 * does) changes readings but not pending timers, the way ZooKeeper's timeouts run on
 * System.nanoTime (Time.currentElapsedTime), which is immune to wall-clock steps.
 */
import { assert } from "../util/assert.js";

const MILLION = 1_000_000;

/**
 * Every local reading starts from this base (about 11.6 days of microseconds), so a clock set
 * behind true time, or stepped back by a jump, still reads a positive time, as a real wall clock
 * does. Without it a node skewed by -5 ms would read negative times at the start of a run, and
 * ZooKeeper's session tracker and txn timestamps have no meaning for those.
 */
export const LOCAL_CLOCK_BASE_MICROS = 1_000_000_000_000;

/** One node's view of time. */
export class NodeClock {
  private offsetMicros: number;
  private readonly driftPpm: number;
  /** The sum of the jumps so far (the monotonic reading leaves them out). */
  private jumpedMicros = 0;

  constructor(offsetMicros: number, driftPpm: number) {
    assert(Number.isSafeInteger(offsetMicros), "clock offset must be whole microseconds");
    assert(Number.isInteger(driftPpm), "clock drift must be whole ppm");
    assert(Math.abs(driftPpm) < MILLION / 2, "clock drift out of range");
    this.offsetMicros = offsetMicros;
    this.driftPpm = driftPpm;
  }

  /** The local reading at true time `trueMicros`: monotone in true time between jumps. */
  read(trueMicros: number): number {
    const base = LOCAL_CLOCK_BASE_MICROS + trueMicros + this.offsetMicros;
    if (this.driftPpm === 0) return base;
    return base + Math.floor((trueMicros * this.driftPpm) / MILLION);
  }

  /** The true duration that `localMicros` of this clock's time takes (at least 1 if positive). */
  toTrueDuration(localMicros: number): number {
    assert(Number.isInteger(localMicros), "timer duration must be whole µs");
    assert(localMicros >= 0, "timer duration must not be negative");
    if (this.driftPpm === 0) return localMicros;
    return Math.ceil((localMicros * MILLION) / (MILLION + this.driftPpm));
  }

  /**
   * The monotonic reading at true time `trueMicros` (System.nanoTime, Time.currentElapsedTime):
   * the same rate as `read`, but never stepped by a jump.
   */
  monotonic(trueMicros: number): number {
    return this.read(trueMicros) - this.jumpedMicros;
  }

  /** Steps the clock by `deltaMicros` (a clock-jump fault). */
  jump(deltaMicros: number): void {
    assert(Number.isSafeInteger(deltaMicros), "clock jump must be whole microseconds");
    this.offsetMicros += deltaMicros;
    this.jumpedMicros += deltaMicros;
  }

  /** The current settings, for the report. */
  describe(): { offsetMicros: number; driftPpm: number } {
    return { offsetMicros: this.offsetMicros, driftPpm: this.driftPpm };
  }
}
