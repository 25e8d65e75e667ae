/**
 * The server side of a client connection (consensus/serve.ts onConnect, after ZooKeeperServer
 * processConnectRequest), driven step by step on real replicas (test/helpers/cluster.ts): a
 * server that is not serving refuses; a new client gets a session through a committed
 * createSession and then `connected`; a known session moves without a txn; a server behind the
 * client's lastZxidSeen refuses; requests ride on the connection's session, and a client
 * without a connection (never connected, or dropped by a restart) is refused; a handshake whose
 * connection was replaced before it was answered is dropped.
 */
import { describe, expect, it } from "vitest";
import { clientId, serverId } from "../../../src/consensus/index.js";
import type { Effect } from "../../../src/consensus/index.js";
import { markHit } from "../../../src/util/mark.js";
import { Cluster } from "../../helpers/cluster.js";

const TIMEOUT_MS = 30_000;

function connect(
  c: Cluster, node: number, client: number,
  session: { sessionId: number; lastZxidSeen: number } | null = null,
): Effect[] {
  return c.step(serverId(node), {
    kind: "connect", now: c.now, client: clientId(client), session, timeoutMs: TIMEOUT_MS,
  });
}

/** A request riding on the client's connection (no session id given). */
function send(c: Cluster, node: number, client: number, requestId: number): Effect[] {
  return c.step(serverId(node), {
    kind: "clientRequest", now: c.now, client: clientId(client), requestId,
    request: { type: "exists", path: "/", watch: false },
  });
}

function elected(): { c: Cluster; follower: number } {
  const c = new Cluster({ voters: 3 }).start();
  const leader = c.elect();
  c.runFor(500_000);
  expect(c.allUpToDate()).toBe(true);
  const follower = c.ids.find((id) => id !== leader) ?? 0;
  return { c, follower };
}

describe("connect (processConnectRequest)", () => {
  it("a server that is not serving refuses at once", () => {
    const c = new Cluster({ voters: 3 }).start();
    const effects = connect(c, 1, 101);
    expect(effects).toEqual([{ kind: "refused", client: 101 }]);
    expect(c.replica(1).connections.size).toBe(0);
  });

  it("a new client gets a committed session, then requests ride on it", () => {
    const { c, follower } = elected();
    const first = connect(c, follower, 101);
    expect(first.some((e) => e.kind === "connected")).toBe(false); // Waits for the commit.
    c.runFor(200_000);
    const answer = c.handshakes.find((h) => h.client === 101);
    expect(answer?.node).toBe(follower);
    const sessionId = answer?.sessionId ?? null;
    expect(sessionId).not.toBeNull();
    for (const id of c.ids) {
      expect(c.replica(id).stateMachine.hasSession(sessionId ?? 0)).toBe(true);
    }
    expect(c.replica(follower).connections.get(clientId(101))).toBe(sessionId);
    const reply = send(c, follower, 101, 7).find((e) => e.kind === "reply");
    expect(reply).toMatchObject({ kind: "reply", client: 101, requestId: 7 });
    expect(reply?.kind === "reply" && reply.result.err).toBe("OK");
  });

  it("a known session moves to another server without a txn", () => {
    const { c, follower } = elected();
    connect(c, follower, 101);
    c.runFor(200_000);
    const sessionId = c.handshakes.find((h) => h.client === 101)?.sessionId ?? 0;
    const other = c.ids.find((id) => id !== follower) ?? 0;
    const lastZxidSeen = c.replica(other).stateMachine.lastProcessedZxid;
    const effects = connect(c, other, 101, { sessionId, lastZxidSeen });
    expect(effects).toEqual([{ kind: "connected", client: 101, sessionId, timeoutMs: 4000 }]);
    expect(effects.some((e) => e.kind === "send" || e.kind === "persist")).toBe(false);
  });

  it("a server behind the client's lastZxidSeen refuses", () => {
    const { c, follower } = elected();
    connect(c, follower, 101);
    c.runFor(200_000);
    const sessionId = c.handshakes.find((h) => h.client === 101)?.sessionId ?? 0;
    const ahead = c.replica(follower).stateMachine.lastProcessedZxid + 1;
    const { hit, value } = markHit("serve: connect refused, client has seen a later zxid",
      () => connect(c, follower, 101, { sessionId, lastZxidSeen: ahead }));
    expect(hit).toBe(true);
    expect(value).toEqual([{ kind: "refused", client: 101 }]);
    // The refused connect closed the old connection too.
    expect(send(c, follower, 101, 8)).toEqual([{ kind: "refused", client: 101 }]);
  });

  it("a client without a connection is refused, and a restart drops connections", () => {
    const { c, follower } = elected();
    expect(send(c, follower, 102, 1)).toEqual([{ kind: "refused", client: 102 }]);
    connect(c, follower, 101);
    c.runFor(200_000);
    expect(c.replica(follower).connections.size).toBe(1);
    c.crash(follower);
    c.restart(follower);
    expect(c.replica(follower).connections.size).toBe(0);
    expect(send(c, follower, 101, 2)).toEqual([{ kind: "refused", client: 101 }]);
  });

  it("a handshake still waiting when the role ends is refused", () => {
    const { c, follower } = elected();
    c.partition([follower], c.ids.filter((id) => id !== follower));
    connect(c, follower, 101);
    c.runFor(10_000_000); // The follower stops hearing its leader and goes back to LOOKING.
    expect(c.replica(follower).state).toBe("LOOKING");
    expect(c.handshakes).toEqual([{ node: follower, client: 101, sessionId: null }]);
  });

  it("a connect answered after its connection was replaced is dropped, not sent on the new one",
    () => {
      const { c, follower } = elected();
      // Two connects of client 101 before the first one's createSession commits: the second
      // connection replaced the first, so only the second's handshake may answer.
      connect(c, follower, 101);
      connect(c, follower, 101);
      const { hit } = markHit("serve: handshake answer for a connection that ended dropped",
        () => c.runFor(200_000));
      expect(hit).toBe(true);
      const answered = c.handshakes.filter((h) => h.client === 101);
      expect(answered.length).toBe(1);
      expect(c.replica(serverId(follower)).connections.get(clientId(101)))
        .toBe(answered[0]?.sessionId);
    });
});

