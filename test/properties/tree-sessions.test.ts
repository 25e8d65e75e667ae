/**
 * Session expiry against a naive rule: a session last touched at t with timeout T expires at the
 * first tick boundary strictly after t + T (ExpiryQueue.roundToNextInterval), and the tracker
 * reports it from the first expireSessions call at or after that time, never earlier. Random
 * touch schedules over a few sessions, with the clock only moving forward.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { SessionTracker } from "../../src/tree/index.js";

const TICK = 1000;
const stepArb = fc.record({
  advanceMs: fc.integer({ min: 0, max: 2500 }),
  touch: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
});

test.prop([fc.array(fc.integer({ min: 2000, max: 6000 }), { minLength: 1, maxLength: 4 }),
  fc.array(stepArb, { maxLength: 60 })], { numRuns: 300 })(
  "sessions expire exactly at the tick after their last touch plus timeout",
  (timeouts, steps) => {
    let now = 10_000;
    const tracker = new SessionTracker({ tickTimeMs: TICK, serverId: 1, nowMs: now });
    const ids = timeouts.map((timeout) => tracker.createSession(timeout, now));
    const deadline = new Map(ids.map((id, i) => [id, (Math.floor((now + (timeouts[i] ?? 0))
      / TICK) + 1) * TICK]));
    const expired = new Set<number>();
    for (const step of steps) {
      now += step.advanceMs;
      for (const id of tracker.expireSessions(now)) {
        const due = deadline.get(id) ?? Number.POSITIVE_INFINITY;
        expect(now).toBeGreaterThanOrEqual(due);
        expired.add(id);
      }
      for (const [id, due] of deadline) {
        if (!expired.has(id)) expect(due).toBeGreaterThan(now);
      }
      const slot = step.touch;
      const id = slot === undefined ? undefined : ids[slot];
      if (id !== undefined && !expired.has(id)) {
        const timeout = timeouts[slot ?? 0] ?? 0;
        expect(tracker.touchSession(id, timeout, now)).toBe(true);
        deadline.set(id, (Math.floor((now + timeout) / TICK) + 1) * TICK);
      } else if (id !== undefined) {
        expect(tracker.touchSession(id, 1000, now)).toBe(false);
      }
    }
  },
);
