/**
 * The server end of session connections (src/ensemble/session-server.ts) when the replica
 * cannot serve a request: a ZooKeeper server never sends a CONNECTIONLOSS reply, it closes the
 * socket, and the client makes CONNECTIONLOSS itself without taking a zxid from the server. The
 * test drives SessionConnections with a recording context: a request, then the replica's
 * CONNECTIONLOSS answer carrying a zxid; what reaches the client must be a FIN and no reply
 * header (a reply would carry the server's lower zxid into the client's last zxid seen).
 */
import { describe, expect, it } from "vitest";
import type { ClientPacket } from "../../../src/client/index.js";
import { clientId } from "../../../src/consensus/index.js";
import { ClientLink } from "../../../src/ensemble/client-link.js";
import { SessionConnections } from "../../../src/ensemble/session-server.js";
import type { SessionWire } from "../../../src/ensemble/session-wire.js";
import type { HostContext, NodeId } from "../../../src/sim/index.js";

const CLIENT = 7 as NodeId;

function recordingContext(sent: SessionWire[]): HostContext<SessionWire, never> {
  const unused = (): never => {
    throw new Error("not used by the session connections");
  };
  return {
    node: 1 as NodeId, localMicros: 5_000, monotonicMicros: 5_000,
    get prng(): never {
      return unused();
    },
    send: (_to, message) => sent.push(message),
    setTimer: unused, cancelTimer: unused, append: unused, overwrite: unused,
    truncate: unused, read: unused, files: unused, fsync: unused, observe: unused,
  };
}

describe("a server that cannot serve a session's request", () => {
  it("closes the connection instead of answering CONNECTIONLOSS with its zxid", () => {
    const sent: SessionWire[] = [];
    const ctx = recordingContext(sent);
    const server = new SessionConnections<SessionWire>((m) => m);
    const link = new ClientLink<ClientPacket, unknown>(1);
    const request: ClientPacket = {
      type: "request", xid: 23, request: { type: "getData", path: "/config", watch: false },
    };
    const inputs = server.receive(ctx, CLIENT, link.wrap(request));
    expect(inputs.map((i) => i.kind)).toEqual(["clientRequest"]);
    const handled = server.apply(ctx, {
      kind: "reply", client: clientId(CLIENT), requestId: 23,
      result: { err: "CONNECTIONLOSS", zxid: 0x10000000f },
    });
    expect(handled).toBe(true);
    expect(sent).toEqual([{ kind: "session-close", conn: 1 }]);
    expect(server.holds(CLIENT)).toBe(false);
    // The replica forgets the connection (removeCnxn) as for any closed socket.
    expect(server.takeReleased()).toEqual([
      { kind: "disconnect", now: 5_000, client: clientId(CLIENT) },
    ]);
  });

  it("still answers the request's other errors with a reply", () => {
    const sent: SessionWire[] = [];
    const ctx = recordingContext(sent);
    const server = new SessionConnections<SessionWire>((m) => m);
    const link = new ClientLink<ClientPacket, unknown>(1);
    server.receive(ctx, CLIENT, link.wrap({
      type: "request", xid: 4, request: { type: "getData", path: "/none", watch: false },
    }));
    server.apply(ctx, {
      kind: "reply", client: clientId(CLIENT), requestId: 4, result: { err: "NONODE", zxid: 9 },
    });
    expect(sent.map((m) => m.kind)).toEqual(["session-reply"]);
    expect(server.holds(CLIENT)).toBe(true);
  });
});
