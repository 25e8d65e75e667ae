/**
 * Session tracking (SessionTrackerImpl, ExpiryQueue): tickTime buckets, touch moving a session
 * to a later bucket, expiry marking sessions closing, checkSession's error codes, id layout with
 * the server id on top, and a new leader rebuilding its tracker from the committed table.
 */
import { describe, expect, it } from "vitest";
import {
  ExpiryQueue, SessionTracker, initializeNextSessionId, serverIdOfSession,
} from "../../../src/tree/index.js";
import { Harness } from "./helpers.js";

describe("ExpiryQueue", () => {
  it("rounds deadlines up to the next tick boundary, as roundToNextInterval", () => {
    const queue = new ExpiryQueue(2000, 0);
    expect(queue.nextExpirationTimeMs).toBe(2000);
    expect(queue.update(7, 5000, 100)).toBe(6000); // (5100 / 2000 + 1) * 2000
    expect(queue.update(7, 5000, 500)).toBeUndefined(); // same bucket: no change
    expect(queue.update(7, 5000, 1000)).toBe(8000); // 6000 is a boundary: next one
  });

  it("hands out a bucket only once its time comes, one interval per poll", () => {
    const queue = new ExpiryQueue(1000, 0);
    queue.update(1, 1500, 0); // bucket 2000
    queue.update(2, 1500, 0);
    queue.update(3, 3500, 0); // bucket 4000
    expect(queue.poll(999)).toEqual([]); // nothing due before the first boundary, 1000
    expect(queue.poll(1999)).toEqual([]); // polls bucket 1000 (empty), next is 2000
    expect(queue.poll(2500)).toEqual([1, 2]);
    expect(queue.getWaitTime(2500)).toBe(500);
  });
});

describe("SessionTracker", () => {
  it("expires sessions not touched, and keeps touched ones", () => {
    const tracker = new SessionTracker({ tickTimeMs: 1000, serverId: 3, nowMs: 0 });
    const a = tracker.createSession(4000, 0); // bucket 5000
    const b = tracker.createSession(4000, 0);
    expect(tracker.touchSession(b, 4000, 3000)).toBe(true); // bucket 8000
    expect(tracker.expireSessions(4999)).toEqual([]);
    expect(tracker.expireSessions(5000)).toEqual([a]);
    expect(tracker.checkSession(a)).toBe("SESSIONEXPIRED");
    expect(tracker.touchSession(a, 4000, 5000)).toBe(false);
    expect(tracker.checkSession(b)).toBe("OK");
    expect(tracker.expireSessions(8000)).toEqual([b]);
  });

  it("checkSession: unknown, closing, moved", () => {
    const tracker = new SessionTracker({ tickTimeMs: 1000, serverId: 1, nowMs: 0 });
    const s = tracker.createSession(5000, 0);
    expect(tracker.checkSession(s + 1000)).toBe("UNKNOWNSESSION");
    expect(tracker.checkGlobalSession(s + 1000)).toBe("SESSIONEXPIRED");
    expect(tracker.checkSession(s, 7)).toBe("OK");
    expect(tracker.checkSession(s, 8)).toBe("SESSIONMOVED");
    tracker.setSessionClosing(s);
    expect(tracker.checkSession(s, 7)).toBe("SESSIONEXPIRED");
  });

  it("makes consecutive ids with the server id in the top bits", () => {
    const first = initializeNextSessionId(5, 123456);
    expect(serverIdOfSession(first)).toBe(5);
    const tracker = new SessionTracker({ tickTimeMs: 1000, serverId: 5, nowMs: 123456 });
    expect(tracker.createSession(1000, 123456)).toBe(first);
    expect(tracker.createSession(1000, 123456)).toBe(first + 1);
    expect(Number.isSafeInteger(initializeNextSessionId(254, 2 ** 40))).toBe(true);
  });

  it("a new leader tracks every committed session from its start time", () => {
    const h = new Harness();
    const a = h.openSession(6000);
    const b = h.openSession(6000);
    h.writeAs(b, { type: "closeSession" });
    expect([...h.tree.sessionsWithTimeouts.keys()]).toEqual([a]);
    const next = new SessionTracker({ tickTimeMs: 2000, serverId: 2, nowMs: 50_000,
      sessions: h.tree.sessionsWithTimeouts });
    expect(next.sessionIds()).toEqual([a]);
    expect(next.expireSessions(57_999)).toEqual([]);
    expect(next.expireSessions(58_000)).toEqual([a]);
  });
});
