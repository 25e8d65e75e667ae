/**
 * The server's session rules added for client sessions (consensus/serve.ts, core.ts), on real
 * replicas driven by hand (test/helpers/cluster.ts): an unknown session is expired at the
 * leader (ConnectResponse with timeout 0); a learner asks its leader (REVALIDATE) and answers
 * what the leader's tracker says; a known session moves without asking; an established leader
 * reports makeZxid(epoch, 0) before its epoch has a txn; a watch fires to the watching
 * session's connection before the reply of the write that triggered it; a committed
 * closeSession closes the session's connection and reports no ephemeral left; a server leaving
 * its role closes every client connection; a session's read pipelined behind its own write waits
 * for the write (CommitProcessor's session queue), on a follower and on the leader, while other
 * sessions' reads do not.
 */
import { describe, expect, it } from "vitest";
import { clientId, serverId } from "../../../src/consensus/index.js";
import type { Effect, Request } from "../../../src/consensus/index.js";
import { OPEN_ACL_UNSAFE } from "../../../src/tree/index.js";
import { marksReached } from "../../../src/util/index.js";
import { Cluster } from "../../helpers/cluster.js";

function elected(): { c: Cluster; leader: number; follower: number } {
  const c = new Cluster({ voters: 3 }).start();
  const leader = c.elect();
  c.runFor(500_000);
  const follower = c.ids.find((id) => id !== leader) ?? 0;
  return { c, leader, follower };
}

function connect(c: Cluster, node: number, client: number,
  session: { sessionId: number; lastZxidSeen: number } | null = null): Effect[] {
  return c.step(serverId(node), {
    kind: "connect", now: c.now, client: clientId(client), session, timeoutMs: 4000,
  });
}

function request(c: Cluster, node: number, client: number, requestId: number, req: Request):
  Effect[] {
  return c.step(serverId(node), {
    kind: "clientRequest", now: c.now, client: clientId(client), requestId, request: req,
  });
}

/** Opens a session for `client` on `node` and returns its id. */
function session(c: Cluster, node: number, client: number): number {
  connect(c, node, client);
  c.runFor(200_000);
  const id = c.handshakes.find((h) => h.client === client && h.node === node)?.sessionId;
  expect(id).toBeGreaterThan(0);
  return id ?? 0;
}

/** Runs the cluster for `micros` and returns what `node` emitted meanwhile. */
function effectsOf(c: Cluster, node: number, micros: number): Effect[] {
  const effects: Effect[] = [];
  const original = c.step.bind(c);
  c.step = (id, input) => {
    const out = original(id, input);
    if (id === serverId(node)) effects.push(...out);
    return out;
  };
  c.runFor(micros);
  c.step = original;
  return effects;
}

describe("sessions the ensemble does not know", () => {
  it("the leader answers expired at once", () => {
    const { c, leader } = elected();
    const gone = { sessionId: 0x7777, lastZxidSeen: 0 };
    expect(connect(c, leader, 101, gone)).toEqual([
      { kind: "connected", client: 101, sessionId: 0x7777, timeoutMs: 0 },
      { kind: "closeConnection", client: 101 },
    ]);
  });

  it.each([false, true])("a learner asks its leader, then answers expired (client saw a zxid: %s)",
    (sawZxid) => {
      const { c, leader, follower } = elected();
      session(c, follower, 101); // A createSession gives the follower a zxid to have seen.
      const seen = c.replica(serverId(follower)).stateMachine.lastProcessedZxid;
      const gone = { sessionId: 0x7777, lastZxidSeen: sawZxid ? seen : 0 };
      const asked = connect(c, follower, 102, gone);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({
        kind: "send", to: leader, msg: { packet: { type: "REVALIDATE", sessionId: 0x7777 } },
      });
      const answered = effectsOf(c, follower, 200_000)
        .filter((e) => "client" in e && e.client === 102);
      expect(answered).toEqual([
        { kind: "connected", client: 102, sessionId: 0x7777, timeoutMs: 0 },
        { kind: "closeConnection", client: 102 },
      ]);
    });

  it("a learner takes over a session its tree holds without asking", () => {
    const { c, leader, follower } = elected();
    const id = session(c, leader, 101);
    c.runFor(200_000);
    const seen = c.replica(serverId(follower)).stateMachine.lastProcessedZxid;
    expect(connect(c, follower, 102, { sessionId: id, lastZxidSeen: seen })).toEqual([
      { kind: "connected", client: 102, sessionId: id, timeoutMs: 4000 },
    ]);
  });
});

describe("the zxid a leader reports", () => {
  it("is at least makeZxid(epoch, 0) once established", () => {
    const { c, leader } = elected();
    session(c, leader, 101);
    const replica = c.replica(serverId(leader));
    const epoch = replica.currentEpoch;
    expect(replica.reportedZxid()).toBeGreaterThanOrEqual(epoch * 2 ** 32);
    const ping = request(c, leader, 101, 5, { type: "ping" }).find((e) => e.kind === "reply");
    expect(ping?.kind === "reply" && ping.result.zxid).toBe(replica.reportedZxid());
  });
});

describe("watches and closes", () => {
  it("a notification reaches the watcher before the triggering write's reply", () => {
    const { c, follower } = elected();
    session(c, follower, 101);
    request(c, follower, 101, 1, { type: "exists", path: "/w", watch: true });
    const effects: Effect[] = [];
    const original = c.step.bind(c);
    c.step = (id, input) => {
      const out = original(id, input);
      if (id === serverId(follower)) effects.push(...out);
      return out;
    };
    request(c, follower, 101, 2, {
      type: "create", path: "/w", data: null, acl: OPEN_ACL_UNSAFE, flags: 0,
    });
    c.runFor(200_000);
    const kinds = effects.filter((e) => e.kind === "notify" || e.kind === "reply")
      .map((e) => e.kind);
    expect(kinds).toEqual(["notify", "reply"]);
  });

  it("a committed closeSession closes the connection and leaves no ephemeral", () => {
    const { c, follower } = elected();
    session(c, follower, 101);
    request(c, follower, 101, 1, {
      type: "create", path: "/e", data: null, acl: OPEN_ACL_UNSAFE, flags: 1,
    });
    c.runFor(200_000);
    request(c, follower, 101, 2, { type: "closeSession" });
    c.runFor(200_000);
    expect(c.replica(serverId(follower)).connections.has(clientId(101))).toBe(false);
    const closed = c.observations.filter((o) => o.kind === "session-closed");
    expect(closed.length).toBe(3);
    expect(closed.every((o) => o.kind === "session-closed" && o.ephemerals === 0)).toBe(true);
  });

  it("a server leaving its role closes every client connection", () => {
    const { c, follower } = elected();
    session(c, follower, 101);
    c.partition([follower], c.ids.filter((id) => id !== follower));
    c.runFor(10_000_000);
    expect(c.replica(serverId(follower)).connections.size).toBe(0);
  });
});

describe("the container manager runs on the leader", () => {
  it("deletes an emptied container and an expired TTL node on every replica", () => {
    const c = new Cluster({ voters: 3, config: { containerCheckIntervalMs: 1000 } }).start();
    const leader = c.elect();
    c.runFor(500_000);
    session(c, leader, 101);
    const create = (requestId: number, path: string, flags: number, ttl?: number): void => {
      const base = { path, data: null, acl: OPEN_ACL_UNSAFE, flags };
      const type = flags === 4 ? "createContainer" : "create";
      request(c, leader, 101, requestId, ttl === undefined ? { type, ...base }
        : { type: "createTTL", ...base, ttl });
      c.runFor(100_000);
    };
    const exists = (path: string): string => c.replica(serverId(leader)).stateMachine.read(
      { sessionId: 0, cxid: 0, authInfo: [] }, { type: "exists", path, watch: false }).err;
    create(1, "/box", 4);
    create(2, "/box/x", 0);
    expect(exists("/box/x")).toBe("OK");
    create(4, "/ttl", 5, 500);
    expect(exists("/ttl")).toBe("OK");
    request(c, leader, 101, 3, { type: "delete", path: "/box/x", version: -1 });
    expect(exists("/box")).toBe("OK");
    const { reached } = marksReached(() => c.runFor(3_000_000));
    expect(reached.has("leader: container manager deletes a container or TTL node")).toBe(true);
    for (const id of c.ids) {
      const tree = c.replica(serverId(id)).stateMachine;
      expect(tree.read({ sessionId: 0, cxid: 0, authInfo: [] },
        { type: "exists", path: "/box", watch: false }).err).toBe("NONODE");
      expect(tree.read({ sessionId: 0, cxid: 0, authInfo: [] },
        { type: "exists", path: "/ttl", watch: false }).err).toBe("NONODE");
    }
  });
});

describe("a session's requests in order (CommitProcessor's session queue)", () => {
  const write: Request = { type: "setData", path: "/q", data: new Uint8Array([2]), version: -1 };
  const read: Request = { type: "getData", path: "/q", watch: false };

  function pipelined(on: "leader" | "follower"): { c: Cluster; node: number } {
    const { c, leader, follower } = elected();
    const node = on === "leader" ? leader : follower;
    session(c, node, 101);
    session(c, node, 102);
    request(c, node, 101, 1, {
      type: "create", path: "/q", data: new Uint8Array([1]), acl: OPEN_ACL_UNSAFE, flags: 0,
    });
    c.runFor(200_000);
    request(c, node, 101, 2, write);
    request(c, node, 101, 3, read);
    request(c, node, 101, 4, { type: "ping" });
    request(c, node, 102, 1, read);
    return { c, node };
  }

  for (const on of ["follower", "leader"] as const) {
    it(`a read behind the session's own write reads it, on the ${on}`, () => {
      const { c } = pipelined(on);
      // Another session's read does not wait, and sees the tree before the write.
      const other = c.replyTo(102, 1);
      expect(other?.result.read?.data).toEqual(new Uint8Array([1]));
      expect(c.replyTo(101, 3)).toBeUndefined();
      expect(c.replyTo(101, 4)).toBeUndefined();
      c.runFor(200_000);
      const order = c.replies.filter((r) => r.client === 101 && r.requestId >= 2)
        .map((r) => r.requestId);
      expect(order).toEqual([2, 3, 4]);
      const written = c.replyTo(101, 2)?.result.zxid ?? 0;
      const after = c.replyTo(101, 3);
      expect(after?.result.read?.data).toEqual(new Uint8Array([2]));
      expect(after?.result.zxid).toBeGreaterThanOrEqual(written);
    });
  }

  it("reads held behind a write go with the connection, and fail when the role ends", () => {
    const { c, node } = pipelined("follower");
    const replica = c.replica(serverId(node));
    expect(replica.sessionQueues.size).toBe(3);
    c.step(serverId(node), { kind: "disconnect", now: c.now, client: clientId(101) });
    expect(replica.sessionQueues.size).toBe(1);
    c.runFor(200_000);
    expect(replica.sessionQueues.size).toBe(0);
    expect(c.replyTo(101, 3)).toBeUndefined();
    const again = pipelined("follower");
    const held = again.c.replica(serverId(again.node));
    again.c.partition([again.node], again.c.ids.filter((id) => id !== again.node));
    again.c.runFor(10_000_000);
    expect(held.sessionQueues.size).toBe(0);
    expect(again.c.replyTo(101, 3)?.result.err).toBe("CONNECTIONLOSS");
  });
});

describe("a moved session's old server (SESSIONMOVED)", () => {
  const create = (path: string): Request =>
    ({ type: "create", path, data: null, acl: OPEN_ACL_UNSAFE, flags: 0 });

  for (const to of ["follower", "leader"] as const) {
    it(`a write through the old server after a move to the ${to} is refused, not applied`, () => {
      const { c, leader, follower } = elected();
      const old = follower;
      const other = c.ids.find((id) => id !== leader && id !== follower) ?? 0;
      const target = to === "leader" ? leader : other;
      const id = session(c, old, 101);
      // The session moves: client node 102 reconnects it to `target` and writes there; the
      // old connection at `old` still carries a request the client sent before it moved, which
      // reaches the leader only now.
      connect(c, target, 102, { sessionId: id, lastZxidSeen: 0 });
      request(c, target, 102, 2, create("/fresh"));
      c.runFor(200_000);
      request(c, old, 101, 1, create("/stale"));
      const { reached, value: atOld } = marksReached(() => effectsOf(c, old, 200_000));
      expect(reached.has(
        "leader: a write through a moved session's old server refused (SESSIONMOVED)")).toBe(true);
      // SESSIONMOVED is a connection-level error: the old server closes the connection instead
      // of answering (FinalRequestProcessor, ZOOKEEPER-710), so the client reconnects.
      expect(c.replyTo(101, 1)).toBeUndefined();
      expect(atOld.filter((e) => "client" in e && e.client === 101))
        .toEqual([{ kind: "closeConnection", client: 101 }]);
      expect(c.replyTo(102, 2)?.result.err).toBe("OK");
      for (const node of c.ids) {
        const tree = c.replica(serverId(node)).stateMachine;
        const exists = (path: string): string => tree.read(
          { sessionId: 0, cxid: 0, authInfo: [] }, { type: "exists", path, watch: false }).err;
        expect(exists("/stale")).toBe("NONODE");
        expect(exists("/fresh")).toBe("OK");
      }
      // Moving back makes the first server the owner again.
      connect(c, old, 103, { sessionId: id, lastZxidSeen: 0 });
      request(c, old, 103, 3, create("/back"));
      c.runFor(200_000);
      expect(c.replyTo(103, 3)?.result.err).toBe("OK");
    });
  }
});
