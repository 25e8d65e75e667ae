/**
 * Session tracking on the server that owns sessions (ZooKeeper's SessionTrackerImpl and
 * ExpiryQueue): live sessions with their timeouts and closing flags, expiry in tickTime buckets,
 * and session id allocation. The committed session table that replicas share lives in the
 * DataTree (createSession/closeSession txns update it in apply.ts); a new leader builds its
 * tracker from that table. Nothing here reads a clock: every call takes the time.
 */
import { assert } from "../util/index.js";
import type { ErrorCode } from "./errors.js";

/**
 * ExpiryQueue: elements expire in buckets `interval` ms wide. An element touched at `now` with
 * `timeout` goes to bucket roundToNextInterval(now + timeout); poll() hands out a whole bucket
 * once `now` reaches it.
 */
export class ExpiryQueue {
  private readonly elemMap = new Map<number, number>();
  private readonly expiryMap = new Map<number, Set<number>>();
  private nextExpirationTime: number;

  constructor(
    readonly expirationIntervalMs: number,
    nowMs: number,
  ) {
    assert(Number.isInteger(expirationIntervalMs) && expirationIntervalMs > 0, "bad interval");
    this.nextExpirationTime = this.roundToNextInterval(nowMs);
  }

  /** ((time / interval) + 1) * interval, in integer arithmetic. */
  roundToNextInterval(timeMs: number): number {
    const interval = this.expirationIntervalMs;
    return (Math.floor(timeMs / interval) + 1) * interval;
  }

  /** ExpiryQueue.update: moves `elem` to its new bucket; returns the bucket or undefined. */
  update(elem: number, timeoutMs: number, nowMs: number): number | undefined {
    assert(Number.isFinite(timeoutMs) && Number.isSafeInteger(nowMs), "bad expiry update");
    const previous = this.elemMap.get(elem);
    const next = this.roundToNextInterval(nowMs + timeoutMs);
    if (next === previous) return undefined;
    let set = this.expiryMap.get(next);
    if (set === undefined) {
      set = new Set();
      this.expiryMap.set(next, set);
    }
    set.add(elem);
    this.elemMap.set(elem, next);
    if (previous !== undefined) this.expiryMap.get(previous)?.delete(elem);
    return next;
  }

  /** ExpiryQueue.remove. */
  remove(elem: number): number | undefined {
    const expiry = this.elemMap.get(elem);
    if (expiry === undefined) return undefined;
    this.elemMap.delete(elem);
    this.expiryMap.get(expiry)?.delete(elem);
    return expiry;
  }

  /** ExpiryQueue.getWaitTime: ms until the next bucket is due (0 if due now). */
  getWaitTime(nowMs: number): number {
    return nowMs < this.nextExpirationTime ? this.nextExpirationTime - nowMs : 0;
  }

  /** The time the next bucket is due. */
  get nextExpirationTimeMs(): number {
    return this.nextExpirationTime;
  }

  /** ExpiryQueue.poll: the due bucket's elements (ascending), advancing by one interval. */
  poll(nowMs: number): number[] {
    const expirationTime = this.nextExpirationTime;
    if (nowMs < expirationTime) return [];
    this.nextExpirationTime = expirationTime + this.expirationIntervalMs;
    const set = this.expiryMap.get(expirationTime);
    this.expiryMap.delete(expirationTime);
    if (set === undefined) return [];
    const due = [...set].sort((a, b) => a - b);
    for (const elem of due) this.elemMap.delete(elem);
    return due;
  }
}

/** The largest server id when extended types (TTL) are enabled (EphemeralType). */
export const MAX_EXTENDED_SERVER_ID = 254;
const SERVER_ID_SPAN = 2 ** 45;

/**
 * SessionTrackerImpl.initializeNextSessionId, fitted to exact JavaScript numbers: ZooKeeper puts
 * the server id in the top byte of a 64-bit id and 40 bits of the start time below it; here the
 * server id takes the top 8 of 53 bits, with 29 bits of the time (ms) and 16 bits of counter
 * room below. Sessions then take consecutive ids from this value.
 */
export function initializeNextSessionId(serverId: number, nowMs: number): number {
  assert(Number.isInteger(serverId) && serverId >= 0 && serverId <= MAX_EXTENDED_SERVER_ID,
    "bad server id", { serverId });
  assert(Number.isInteger(nowMs) && nowMs >= 0, "bad time", { nowMs });
  const timePart = (nowMs % 2 ** 29) * 2 ** 16;
  const id = serverId * SERVER_ID_SPAN + timePart;
  return id === 0 ? 1 : id;
}

/** The server id in a session id made by initializeNextSessionId. */
export function serverIdOfSession(sessionId: number): number {
  return Math.floor(sessionId / SERVER_ID_SPAN);
}

/** One tracked session (SessionTrackerImpl.SessionImpl). */
export interface SessionInfo {
  readonly sessionId: number;
  readonly timeoutMs: number;
  /** Set by closeSession prep or expiry; a closing session fails checkSession. */
  readonly isClosing: boolean;
  /** The server (or connection) that owns it; undefined until the first check. */
  readonly owner: number | undefined;
}

interface MutableSession {
  sessionId: number;
  timeoutMs: number;
  isClosing: boolean;
  owner: number | undefined;
}

/** Options of a SessionTracker. */
export interface SessionTrackerOptions {
  /** ZooKeeper's tickTime in ms: the expiry bucket width. */
  readonly tickTimeMs: number;
  /** This server's id (top byte of the session ids it makes). */
  readonly serverId: number;
  /** The time the tracker starts (leader's clock, ms). */
  readonly nowMs: number;
  /** Committed sessions to track from the start (a new leader passes tree.sessionsWithTimeouts). */
  readonly sessions?: ReadonlyMap<number, number>;
}

/**
 * SessionTrackerImpl: the live sessions of the server that decides expiry (the leader, or a
 * standalone server). Ids come from createSession; prep calls trackSession/setSessionClosing and
 * checkSession; applying closeSession calls removeSession; pings call touchSession.
 */
export class SessionTracker {
  private readonly sessionsById = new Map<number, MutableSession>();
  private readonly expiryQueue: ExpiryQueue;
  private nextSessionId: number;

  constructor(options: SessionTrackerOptions) {
    this.expiryQueue = new ExpiryQueue(options.tickTimeMs, options.nowMs);
    this.nextSessionId = initializeNextSessionId(options.serverId, options.nowMs);
    const committed = [...(options.sessions ?? new Map<number, number>()).entries()];
    committed.sort((a, b) => a[0] - b[0]);
    for (const [sessionId, timeoutMs] of committed) {
      this.trackSession(sessionId, timeoutMs, options.nowMs);
    }
  }

  /** SessionTrackerImpl.createSession: a fresh id, tracked from now. */
  createSession(timeoutMs: number, nowMs: number): number {
    const sessionId = this.nextSessionId;
    this.nextSessionId += 1;
    assert(Number.isSafeInteger(this.nextSessionId), "session ids exhausted");
    this.trackSession(sessionId, timeoutMs, nowMs);
    return sessionId;
  }

  /** SessionTrackerImpl.trackSession: adds (or keeps) the session and touches it. */
  trackSession(sessionId: number, timeoutMs: number, nowMs: number): boolean {
    assert(Number.isSafeInteger(sessionId) && sessionId > 0, "bad session id", { sessionId });
    let session = this.sessionsById.get(sessionId);
    const added = session === undefined;
    if (session === undefined) {
      session = { sessionId, timeoutMs, isClosing: false, owner: undefined };
      this.sessionsById.set(sessionId, session);
    }
    this.expiryQueue.update(sessionId, session.timeoutMs, nowMs);
    return added;
  }

  /** SessionTrackerImpl.touchSession: false for an unknown or closing session. */
  touchSession(sessionId: number, timeoutMs: number, nowMs: number): boolean {
    const session = this.sessionsById.get(sessionId);
    if (session === undefined || session.isClosing) return false;
    this.expiryQueue.update(sessionId, timeoutMs, nowMs);
    return true;
  }

  /** SessionTrackerImpl.setSessionClosing. */
  setSessionClosing(sessionId: number): void {
    const session = this.sessionsById.get(sessionId);
    if (session !== undefined) session.isClosing = true;
  }

  /** SessionTrackerImpl.removeSession (applying closeSession). */
  removeSession(sessionId: number): void {
    this.sessionsById.delete(sessionId);
    this.expiryQueue.remove(sessionId);
  }

  /**
   * SessionTrackerImpl.checkSession: UNKNOWNSESSION, SESSIONEXPIRED (closing), SESSIONMOVED
   * (owned by another server), else OK. The first check with an owner claims the session.
   */
  checkSession(sessionId: number, owner?: number): ErrorCode {
    const session = this.sessionsById.get(sessionId);
    if (session === undefined) return "UNKNOWNSESSION";
    if (session.isClosing) return "SESSIONEXPIRED";
    if (owner === undefined) return "OK";
    if (session.owner === undefined) session.owner = owner;
    else if (session.owner !== owner) return "SESSIONMOVED";
    return "OK";
  }

  /** SessionTrackerImpl.checkGlobalSession: as checkSession, unknown reads as SESSIONEXPIRED. */
  checkGlobalSession(sessionId: number, owner?: number): ErrorCode {
    const code = this.checkSession(sessionId, owner);
    return code === "UNKNOWNSESSION" ? "SESSIONEXPIRED" : code;
  }

  /** SessionTrackerImpl.setOwner: SESSIONEXPIRED for an unknown or closing session. */
  setOwner(sessionId: number, owner: number): ErrorCode {
    const session = this.sessionsById.get(sessionId);
    if (session === undefined || session.isClosing) return "SESSIONEXPIRED";
    session.owner = owner;
    return "OK";
  }

  /**
   * SessionTrackerImpl.run, one wake-up at `nowMs`: polls every due bucket, marks those sessions
   * closing, and returns them (ascending within a bucket) for the server to submit closeSession.
   */
  expireSessions(nowMs: number): number[] {
    const expired: number[] = [];
    for (let guard = 0; this.expiryQueue.getWaitTime(nowMs) === 0; guard++) {
      assert(guard < 1_000_000, "expiry polling made no progress");
      for (const sessionId of this.expiryQueue.poll(nowMs)) {
        this.setSessionClosing(sessionId);
        expired.push(sessionId);
      }
    }
    return expired;
  }

  /** When expireSessions next has something to do (ms). */
  get nextExpirationTimeMs(): number {
    return this.expiryQueue.nextExpirationTimeMs;
  }

  /** A session's state, or undefined. */
  get(sessionId: number): SessionInfo | undefined {
    return this.sessionsById.get(sessionId);
  }

  /** Tracked session ids, ascending. */
  sessionIds(): number[] {
    return [...this.sessionsById.keys()].sort((a, b) => a - b);
  }
}
