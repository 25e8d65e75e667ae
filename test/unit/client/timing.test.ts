/**
 * The client's clocks (src/client/timing.ts) against ClientCnxn: readTimeout is 2/3 and
 * connectTimeout 1/n of the session timeout in Java int arithmetic, and the ping threshold equals
 * the first idle time at which SendThread.run's condition holds, checked against a naive scan
 * over every microsecond-resolution candidate.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sessionTiming } from "../../../src/client/index.js";

/** SendThread.run's condition, literally, for an idle send time in microseconds. */
function pingDue(readTimeoutMs: number, idleSendMicros: number): boolean {
  const idle = idleSendMicros / 1000;
  const timeToNextPing = Math.floor(readTimeoutMs / 2) - idle - (idle > 1000 ? 1000 : 0);
  return timeToNextPing <= 0 || idle > 10000;
}

describe("sessionTiming", () => {
  it("divides as ClientCnxn does", () => {
    expect(sessionTiming(30000, 3)).toEqual({
      readTimeoutMicros: 20_000_000, connectTimeoutMicros: 10_000_000, pingAfterMicros: 9_000_000,
    });
    expect(sessionTiming(4000, 5).readTimeoutMicros).toBe(2_666_000);
    expect(sessionTiming(4000, 5).connectTimeoutMicros).toBe(800_000);
  });

  it("pings first when SendThread.run's condition first holds", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60000 }), (timeoutMs) => {
      const { pingAfterMicros } = sessionTiming(timeoutMs, 1);
      const readTimeoutMs = Math.floor((timeoutMs * 2) / 3);
      expect(pingDue(readTimeoutMs, pingAfterMicros)).toBe(true);
      expect(pingDue(readTimeoutMs, pingAfterMicros - 1)).toBe(false);
    }), { numRuns: 2000 });
  });
});
