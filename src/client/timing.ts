/**
 * The client's clocks, as ClientCnxn computes them (all in integer milliseconds, Java int
 * division, then converted to microseconds once):
 * - readTimeout = 2/3 of the session timeout: no byte from the server for that long and the
 *   connection is given up (SessionTimeoutException in SendThread.run);
 * - connectTimeout = session timeout / number of servers: a connection that brings no
 *   ConnectResponse for that long is given up and the next server is tried;
 * - pings: when nothing was sent for readTimeout / 2 (a third of the session timeout), less a
 *   second of slack once the idle time passes a second, or for 10 s (MAX_SEND_PING_INTERVAL).
 * Before the first ConnectResponse the requested timeout stands in for the negotiated one.
 */
import { assert } from "../util/index.js";

const MICROS_PER_MS = 1000;
/** SendThread.run: one second of slack, lest the second ping be missed (its own comment). */
const PING_SLACK_MS = 1000;
/** SendThread.run: MAX_SEND_PING_INTERVAL. */
const MAX_SEND_PING_INTERVAL_MS = 10000;
/** StaticHostProvider.next(1000) in SendThread.run: the pause after a full round of servers. */
export const SPIN_DELAY_MICROS = 1000 * MICROS_PER_MS;
/** startConnect: a reconnect first sleeps a random 0..999 ms (nextLong(1000)). */
export const RECONNECT_JITTER_MS_MAX = 999;

/** The three durations the SendThread loop waits on, in microseconds. */
export interface SessionTiming {
  readonly readTimeoutMicros: number;
  readonly connectTimeoutMicros: number;
  /** Idle send time after which a ping goes out. */
  readonly pingAfterMicros: number;
}

/** ClientCnxn's readTimeout and connectTimeout for a session timeout over `servers` servers. */
export function sessionTiming(sessionTimeoutMs: number, servers: number): SessionTiming {
  assert(Number.isSafeInteger(sessionTimeoutMs) && sessionTimeoutMs > 0, "bad session timeout",
    { sessionTimeoutMs });
  assert(Number.isSafeInteger(servers) && servers > 0, "bad server count", { servers });
  const readTimeoutMs = Math.floor((sessionTimeoutMs * 2) / 3);
  const connectTimeoutMs = Math.floor(sessionTimeoutMs / servers);
  return {
    readTimeoutMicros: readTimeoutMs * MICROS_PER_MS,
    connectTimeoutMicros: connectTimeoutMs * MICROS_PER_MS,
    pingAfterMicros: pingAfterMicros(Math.floor(readTimeoutMs / 2)),
  };
}

/**
 * The idle send time at which SendThread.run's condition `timeToNextPing <= 0 || idleSend >
 * MAX_SEND_PING_INTERVAL` first holds, where timeToNextPing = half - idleSend - (idleSend > 1000
 * ? 1000 : 0). Java compares whole milliseconds; here "more than" a bound is one microsecond
 * past it.
 */
export function pingAfterMicros(halfReadTimeoutMs: number): number {
  let dueMs: number;
  if (halfReadTimeoutMs <= PING_SLACK_MS) dueMs = halfReadTimeoutMs;
  else if (halfReadTimeoutMs <= 2 * PING_SLACK_MS) dueMs = PING_SLACK_MS;
  else dueMs = halfReadTimeoutMs - PING_SLACK_MS;
  const slackEdge = halfReadTimeoutMs > PING_SLACK_MS && dueMs === PING_SLACK_MS ? 1 : 0;
  const due = dueMs * MICROS_PER_MS + slackEdge;
  return Math.min(due, MAX_SEND_PING_INTERVAL_MS * MICROS_PER_MS + 1);
}

/** Milliseconds to microseconds. */
export function millisToMicros(ms: number): number {
  return ms * MICROS_PER_MS;
}
