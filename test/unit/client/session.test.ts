/**
 * The pure client session (src/client/session.ts) step by step against ZooKeeper's ClientCnxn:
 * the connect handshake with the last zxid seen, xids answered in order, the last zxid taken from
 * replies, pings at a third of the timeout and the read timeout at two thirds, the connect
 * timeout of timeout / servers, CONNECTIONLOSS on a lost connection and a reconnect to the next
 * server with auths and setWatches first, SESSIONEXPIRED from a ConnectResponse with timeout 0,
 * close, AUTHFAILED, the jute.maxbuffer drop, and pinned sessions (the scenario runner's). The
 * test plays the server by hand.
 */
import { describe, expect, it } from "vitest";
import { JUTE_MAX_BUFFER } from "../../../src/client/index.js";
import { Harness, SERVERS, TIMEOUT_MS, completed, sent, states, timerSet } from "./harness.js";

const getData = (path: string, watcher?: number) => ({
  request: { type: "getData" as const, path, watch: watcher !== undefined }, watcher,
});

describe("connecting", () => {
  it("sends ConnectRequest first and times out the connect after timeout / servers", () => {
    const h = new Harness();
    const effects = h.open();
    expect(effects[0]).toEqual({ kind: "connect", connection: 1, server: h.server });
    expect(SERVERS).toContain(h.server);
    expect(sent(effects)).toEqual([
      { type: "connect", lastZxidSeen: 0, timeoutMs: 30000, sessionId: 0 },
    ]);
    expect(timerSet(effects, "sessionTimer")).toBe(10_000_000);
    const first = h.server;
    const lost = h.fire("sessionTimer", 10_000_000);
    expect(lost).toContainEqual({ kind: "disconnect", connection: 1 });
    // A reconnect pauses a random 0..999 ms first (startConnect), then tries the next server.
    const pause = timerSet(lost, "reconnectTimer");
    expect(pause).toBeGreaterThanOrEqual(0);
    expect(pause).toBeLessThan(1_000_000);
    h.fire("reconnectTimer", pause ?? 0);
    expect(h.connection).toBe(2);
    expect(h.server).not.toBe(first);
  });

  it("reports SyncConnected with the negotiated timeout and the session id", () => {
    const h = new Harness();
    const effects = h.connect(0x1234, 12000);
    expect(states(effects)).toEqual(["SyncConnected"]);
    expect(h.session.state).toBe("CONNECTED");
    expect(h.session.sessionId).toBe(0x1234);
    expect(h.session.negotiatedTimeoutMs).toBe(12000);
  });

  it("pauses the spin delay after a full round of servers without a connection", () => {
    const h = new Harness(7);
    h.open();
    const tried = [h.server];
    let spun = false;
    for (let attempt = 0; attempt < SERVERS.length; attempt++) {
      const lost = h.step({ kind: "closed", now: h.now, connection: h.connection });
      const pause = timerSet(lost, "reconnectTimer") ?? 0;
      if (pause >= 1_000_000) spun = true;
      h.fire("reconnectTimer", pause);
      tried.push(h.server);
    }
    expect(new Set(tried.slice(0, SERVERS.length))).toEqual(new Set(SERVERS));
    expect(tried[SERVERS.length]).toBe(tried[0]);
    expect(spun).toBe(true);
  });
});

describe("requests", () => {
  it("numbers requests from 1, matches replies in order and keeps the last positive zxid", () => {
    const h = new Harness();
    h.connect();
    const a = h.call(getData("/a"));
    const b = h.call(getData("/b"));
    expect(sent(a.effects)).toEqual([{ type: "request", xid: 1, request: getData("/a").request }]);
    expect(sent(b.effects)[0]).toMatchObject({ xid: 2 });
    const first = completed(h.reply(1, 0x500000007));
    expect(first.get(a.call)).toEqual({ err: "OK", zxid: 0x500000007 });
    expect(h.session.lastZxidSeen).toBe(0x500000007);
    h.reply(2, 0);
    expect(h.session.lastZxidSeen).toBe(0x500000007);
  });

  it("treats a reply out of order as a broken connection (readResponse's IOException)", () => {
    const h = new Harness();
    h.connect();
    const a = h.call(getData("/a"));
    const b = h.call(getData("/b"));
    const effects = h.reply(2, 9);
    expect(completed(effects)).toEqual(new Map([
      [a.call, { err: "CONNECTIONLOSS", zxid: 0 }], [b.call, { err: "CONNECTIONLOSS", zxid: 0 }],
    ]));
    expect(states(effects)).toEqual(["Disconnected"]);
    expect(h.session.lastZxidSeen).toBe(0);
  });

  it("queues calls made while no connection is open and sends them after the handshake", () => {
    const h = new Harness();
    h.connect();
    const lost = h.step({ kind: "move", now: h.now });
    const queued = h.call(getData("/q"));
    expect(sent(queued.effects)).toEqual([]);
    const reopened = h.fire("reconnectTimer", timerSet(lost, "reconnectTimer") ?? 0);
    expect(sent(reopened).map((packet) => packet.type)).toEqual(["connect", "request"]);
  });

  it("fails a request whose data is over jute.maxbuffer with CONNECTIONLOSS, unsent", () => {
    const h = new Harness();
    h.connect();
    const big = new Uint8Array(JUTE_MAX_BUFFER + 1);
    const { call, effects } = h.call({
      request: { type: "setData", path: "/a", data: big, version: -1 },
    });
    expect(sent(effects)).toEqual([]);
    expect(completed(effects).get(call)).toEqual({ err: "CONNECTIONLOSS", zxid: 0 });
    expect(effects).toContainEqual({ kind: "disconnect", connection: 1 });
  });
});

describe("liveness of the connection", () => {
  it("pings after a third of the timeout idle and gives up after two thirds unheard", () => {
    const h = new Harness();
    const effects = h.connect();
    // readTimeout 20 s; a ping once nothing was sent for 10 s less the 1 s slack, which is
    // sooner than the connect deadline armed before.
    expect(timerSet(effects, "sessionTimer")).toBe(9_000_000);
    const early = h.fire("sessionTimer", 9_000_000);
    expect(sent(early)).toEqual([{ type: "ping" }]);
    h.reply(-2, 0);
    expect(h.session.state).toBe("CONNECTED");
    const quiet = h.fire("sessionTimer", 20_000_000);
    expect(states(quiet)).toEqual(["Disconnected"]);
  });
});

describe("reconnecting", () => {
  it("re-sends auth and setWatches with the last zxid seen, and keeps the session id", () => {
    const h = new Harness();
    h.connect(0x77);
    h.step({ kind: "addAuth", now: h.now, call: 99, scheme: "digest", auth: "u:p" });
    h.reply(-4, 0);
    const watched = h.call(getData("/w", 0));
    h.reply(1, 0x100000003, "OK");
    expect(h.session.watches.lists().dataWatches).toEqual(["/w"]);
    const lost = h.step({ kind: "closed", now: h.now, connection: h.connection });
    expect(completed(lost).size).toBe(0);
    expect(watched.call).toBe(1);
    const reopened = h.fire("reconnectTimer", timerSet(lost, "reconnectTimer") ?? 0);
    expect(sent(reopened)).toEqual([
      { type: "connect", lastZxidSeen: 0x100000003, timeoutMs: 30000, sessionId: 0x77 },
      { type: "auth", scheme: "digest", auth: "u:p" },
      { type: "setWatches", request: {
        type: "setWatches", relativeZxid: 0x100000003, dataWatches: ["/w"], existWatches: [],
        childWatches: [], persistentWatches: [], persistentRecursiveWatches: [],
      } },
    ]);
  });

  it("takes the last zxid seen from the setWatches reply too (ClientCnxn.readResponse)", () => {
    const h = new Harness();
    h.connect(0x77);
    h.call(getData("/w", 0));
    h.reply(1, 0x100000003, "OK");
    const lost = h.step({ kind: "closed", now: h.now, connection: h.connection });
    h.fire("reconnectTimer", timerSet(lost, "reconnectTimer") ?? 0);
    h.receive({ type: "connected", sessionId: 0x77, timeoutMs: TIMEOUT_MS });
    // A new leader answers with its epoch * 2^32 before the epoch's first transaction.
    h.reply(-8, 0x200000000, "OK");
    expect(h.session.lastZxidSeen).toBe(0x200000000);
  });

  it("pinned: reconnects only to its server, through the timer, and a move repins it", () => {
    const h = new Harness(1, SERVERS, TIMEOUT_MS, 2);
    h.connect(0x77);
    expect(h.server).toBe(2);
    const lost = h.step({ kind: "closed", now: h.now, connection: h.connection });
    const pause = timerSet(lost, "reconnectTimer");
    expect(pause).toBeDefined();
    expect(lost.some((effect) => effect.kind === "connect")).toBe(false);
    const moved = h.step({ kind: "move", now: h.now, server: 3 });
    expect(moved.some((effect) => effect.kind === "connect")).toBe(false);
    h.fire("reconnectTimer", pause ?? 0);
    expect(h.server).toBe(3);
    h.receive({ type: "connected", sessionId: 0x77, timeoutMs: TIMEOUT_MS });
    const again = h.step({ kind: "move", now: h.now, server: 1 });
    expect(again).toContainEqual({ kind: "disconnect", connection: h.connection });
    h.fire("reconnectTimer", timerSet(again, "reconnectTimer") ?? 0);
    expect(h.server).toBe(1);
  });

  it("reports SESSIONEXPIRED when the ensemble no longer knows the session", () => {
    const h = new Harness();
    h.connect(0x77);
    const lost = h.step({ kind: "closed", now: h.now, connection: h.connection });
    h.fire("reconnectTimer", timerSet(lost, "reconnectTimer") ?? 0);
    const pending = h.call(getData("/a"));
    const expired = h.receive({ type: "connected", sessionId: 0x77, timeoutMs: 0 });
    expect(states(expired)).toEqual(["Expired"]);
    expect(completed(expired).get(pending.call)).toEqual({ err: "SESSIONEXPIRED", zxid: 0 });
    expect(h.session.state).toBe("CLOSED");
    const later = h.call(getData("/b"));
    expect(completed(later.effects).get(later.call)?.err).toBe("SESSIONEXPIRED");
    expect(later.effects.some((effect) => effect.kind === "connect")).toBe(false);
  });
});

describe("close and auth", () => {
  it("closes with closeSession; calls while closing lose, calls after expire", () => {
    const h = new Harness();
    h.connect();
    const closing = h.step({ kind: "close", now: h.now, call: 50 });
    expect(sent(closing)).toEqual([{ type: "request", xid: 1, request: { type: "closeSession" } }]);
    const during = h.call(getData("/a"));
    expect(completed(during.effects).get(during.call)?.err).toBe("CONNECTIONLOSS");
    const done = h.reply(1, 0x100000009);
    expect(completed(done).get(50)).toEqual({ err: "OK", zxid: 0x100000009 });
    expect(states(done)).toEqual(["Closed"]);
    const after = h.call(getData("/a"));
    expect(completed(after.effects).get(after.call)?.err).toBe("SESSIONEXPIRED");
  });

  it("does not reconnect to finish a close whose connection dropped", () => {
    const h = new Harness();
    h.connect();
    h.step({ kind: "close", now: h.now, call: 50 });
    const lost = h.step({ kind: "closed", now: h.now, connection: h.connection });
    expect(completed(lost).get(50)?.err).toBe("CONNECTIONLOSS");
    expect(h.session.state).toBe("CLOSED");
    expect(timerSet(lost, "reconnectTimer")).toBeUndefined();
  });

  it("turns AUTHFAILED into the AUTH_FAILED state, failing everything so", () => {
    const h = new Harness();
    h.connect();
    h.step({ kind: "addAuth", now: h.now, call: 7, scheme: "nope", auth: "x" });
    const pending = h.call(getData("/a"));
    const failed = h.reply(-4, 0, "AUTHFAILED");
    expect(completed(failed)).toEqual(new Map([
      [7, { err: "AUTHFAILED", zxid: 0 }], [pending.call, { err: "AUTHFAILED", zxid: 0 }],
    ]));
    expect(states(failed)).toEqual(["AuthFailed"]);
    const later = h.call(getData("/a"));
    expect(completed(later.effects).get(later.call)?.err).toBe("AUTHFAILED");
  });
});
