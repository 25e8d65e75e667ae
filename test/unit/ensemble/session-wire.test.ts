/**
 * Client connections as TCP keeps them apart (src/ensemble/session-transport.ts,
 * session-server.ts). A client node that opens a new session after its old one ended must not
 * reuse the old session's connection numbers, and a server never lets a late packet of a
 * closed connection open it again: otherwise the old session's setWatches, still in flight,
 * joins the new session's stream and the server fires the old session's watches to the new
 * session (default sweep seed 105 at 3 voters: NodeDeleted /c to a session that never watched
 * it).
 */
import { describe, expect, it } from "vitest";
import { ClientSession } from "../../../src/client/index.js";
import type { ClientPacket } from "../../../src/client/index.js";
import type { Input } from "../../../src/consensus/index.js";
import { SessionConnections } from "../../../src/ensemble/session-server.js";
import { SessionTransport } from "../../../src/ensemble/session-transport.js";
import type { NodeCounters } from "../../../src/ensemble/session-transport.js";
import type { LinkFrame } from "../../../src/ensemble/client-link.js";
import type { SessionWire } from "../../../src/ensemble/session-wire.js";
import type { Observation } from "../../../src/observe/index.js";
import type { HostContext } from "../../../src/sim/index.js";
import { Prng } from "../../../src/util/index.js";

const CLIENT = 101;
const SERVER = 3;

/** A host context that records what is sent; nothing else is used by the wire. */
function context(node: number, sent: SessionWire[]): HostContext<SessionWire, Observation> {
  return {
    node, localMicros: 0, monotonicMicros: 0, prng: new Prng(1, "ctx"),
    send: (_to, message) => { sent.push(message); },
    setTimer: () => 1, cancelTimer: () => undefined, observe: () => undefined,
    append: () => undefined, overwrite: () => undefined, truncate: () => undefined,
    read: () => [], files: () => [], fsync: () => { throw new Error("no disk"); },
  } as HostContext<SessionWire, Observation>;
}

/** Opens a new session on the client node; returns the frames its first connection sent. */
function openSession(counters: NodeCounters, seed: number): LinkFrame<ClientPacket>[] {
  const sent: SessionWire[] = [];
  const ctx = context(CLIENT, sent);
  const session = new ClientSession({ servers: [SERVER], sessionTimeoutMs: 4000,
    prng: new Prng(seed, "session") });
  const transport = new SessionTransport(CLIENT, (m: SessionWire) => m, counters);
  transport.perform(ctx, session, session.step({ kind: "open", now: 0 }));
  transport.perform(ctx, session, session.step({
    kind: "call", now: 0, call: 1, op: { request: { type: "getData", path: "/d", watch: false } },
  }));
  return sent.flatMap((m) => (m.kind === "session-frame" ? [m.frame] : []));
}

function kinds(inputs: readonly Input[]): string[] {
  return inputs.map((i) => i.kind === "clientRequest" ? i.request.type : i.kind);
}

describe("client connections", () => {
  it("a node's sessions never share a connection number", () => {
    const counters: NodeCounters = { ops: 0, conns: 0 };
    const first = openSession(counters, 1);
    const second = openSession(counters, 2);
    expect(first.map((f) => f.packet.type)).toEqual(["connect", "request"]);
    const conns = new Set([...first, ...second].map((f) => f.conn));
    expect(conns.size).toBe(2);
  });

  it("a late packet of a closed connection neither reopens it nor joins a new one", () => {
    const sent: SessionWire[] = [];
    const ctx = context(SERVER, sent);
    const server = new SessionConnections<SessionWire>((m) => m);
    const counters: NodeCounters = { ops: 0, conns: 0 };
    const [connect, request] = openSession(counters, 1);
    if (connect === undefined || request === undefined) throw new Error("no frames");
    expect(kinds(server.receive(ctx, CLIENT, connect))).toEqual(["connect"]);
    // The server refuses the session (not serving yet) and closes the connection.
    server.apply(ctx, { kind: "refused", client: CLIENT as never });
    expect(sent.at(-1)).toEqual({ kind: "session-close", conn: connect.conn });
    // The old session's setWatches, sent behind its ConnectRequest, arrives late.
    const stale: LinkFrame<ClientPacket> = { conn: connect.conn, seq: connect.seq + 1, packet: {
      type: "setWatches", request: { type: "setWatches", relativeZxid: 7, dataWatches: ["/c"],
        existWatches: [], childWatches: [], persistentWatches: [],
        persistentRecursiveWatches: [] },
    } };
    expect(server.receive(ctx, CLIENT, stale)).toEqual([]);
    // A duplicate of the closed connection's ConnectRequest does not open it again.
    expect(server.receive(ctx, CLIENT, connect)).toEqual([]);
    expect(server.holds(CLIENT)).toBe(false);
    // The node's next session: its packets and only its packets reach the replica.
    const [connect2, request2] = openSession(counters, 2);
    if (connect2 === undefined || request2 === undefined) throw new Error("no frames");
    expect(kinds(server.receive(ctx, CLIENT, connect2))).toEqual(["connect"]);
    server.apply(ctx, { kind: "connected", client: CLIENT as never, sessionId: 9,
      timeoutMs: 4000 });
    expect(kinds(server.receive(ctx, CLIENT, request2))).toEqual(["getData"]);
  });
});
