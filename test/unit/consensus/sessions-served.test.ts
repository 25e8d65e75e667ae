/**
 * The server's session rules added for client sessions (consensus/serve.ts, core.ts), on real
 * replicas driven by hand (test/helpers/cluster.ts): an unknown session is expired at the
 * leader (ConnectResponse with timeout 0); a learner asks its leader (REVALIDATE) and answers
 * what the leader's tracker says; a known session moves without asking; an established leader
 * reports makeZxid(epoch, 0) before its epoch has a txn; a watch fires to the watching
 * session's connection before the reply of the write that triggered it; a committed
 * closeSession closes the session's connection and reports no ephemeral left; a server leaving
 * its role closes every client connection.
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
