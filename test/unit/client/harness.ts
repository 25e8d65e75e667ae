/**
 * Builders for the client session tests: a session over three servers with a 30 s timeout, a
 * clock the test moves by hand, and helpers that pick effects out of a step's output and play a
 * server's part (ConnectResponse, replies, notifications).
 */
import type {
  CallResult, ClientCall, ClientEffect, ClientInput, ClientPacket, ReplyBody, ServerPacket,
} from "../../../src/client/index.js";
import { ClientSession } from "../../../src/client/index.js";
import type { ErrorCode } from "../../../src/tree/index.js";
import { Prng } from "../../../src/util/index.js";

export const SERVERS = [1, 2, 3];
export const TIMEOUT_MS = 30000;

/** A session plus the test's clock and the connection the session opened last. */
export class Harness {
  readonly session: ClientSession;
  now = 1_000_000;
  connection = 0;
  server = 0;
  nextCall = 1;

  constructor(seed = 1, servers = SERVERS, timeoutMs = TIMEOUT_MS, pinned?: number) {
    this.session = new ClientSession({
      servers, sessionTimeoutMs: timeoutMs, prng: new Prng(seed, "client"),
      ...(pinned === undefined ? {} : { pinned }),
    });
  }

  /** Steps the session; remembers the connection of any connect effect. */
  step(input: ClientInput): ClientEffect[] {
    const effects = this.session.step(input);
    for (const effect of effects) {
      if (effect.kind === "connect") {
        this.connection = effect.connection;
        this.server = effect.server;
      }
    }
    return effects;
  }

  open(): ClientEffect[] {
    return this.step({ kind: "open", now: this.now });
  }

  /** Opens and answers the ConnectResponse: a CONNECTED session with id 0x100. */
  connect(sessionId = 0x100, timeoutMs = TIMEOUT_MS): ClientEffect[] {
    this.open();
    return this.receive({ type: "connected", sessionId, timeoutMs });
  }

  receive(packet: ServerPacket): ClientEffect[] {
    return this.step({ kind: "receive", now: this.now, connection: this.connection, packet });
  }

  reply(xid: number, zxid: number, err: ErrorCode = "OK", body?: ReplyBody):
    ClientEffect[] {
    return this.receive(body === undefined ? { type: "reply", xid, zxid, err }
      : { type: "reply", xid, zxid, err, body });
  }

  call(op: ClientCall): { call: number; effects: ClientEffect[] } {
    const call = this.nextCall++;
    return { call, effects: this.step({ kind: "call", now: this.now, call, op }) };
  }

  /** Moves the clock and fires a timer. */
  fire(timer: "sessionTimer" | "reconnectTimer", afterMicros: number): ClientEffect[] {
    this.now += afterMicros;
    return this.step({ kind: "timeout", now: this.now, timer });
  }
}

/** The packets a step sent, in order. */
export function sent(effects: readonly ClientEffect[]): ClientPacket[] {
  return effects.flatMap((effect) => (effect.kind === "send" ? [effect.packet] : []));
}

/** The results a step completed, by call number. */
export function completed(effects: readonly ClientEffect[]): Map<number, CallResult> {
  const out = new Map<number, CallResult>();
  for (const effect of effects) if (effect.kind === "complete") out.set(effect.call, effect.result);
  return out;
}

/** The session states a step reported, in order. */
export function states(effects: readonly ClientEffect[]): string[] {
  return effects.flatMap((effect) =>
    effect.kind === "watch" && effect.event.type === "None" ? [effect.event.state] : []);
}

/** The afterMicros of the last setTimer for `timer` in a step, or undefined. */
export function timerSet(effects: readonly ClientEffect[], timer: string): number | undefined {
  let after: number | undefined;
  for (const effect of effects) {
    if (effect.kind === "setTimer" && effect.timer === timer) after = effect.afterMicros;
  }
  return after;
}
