/**
 * Serving clients: the server side of a connection and of each request. A connect
 * (processConnectRequest) opens or takes over a session, or is refused. Reads are answered from
 * the local tree; writes and syncs go to the leader (a learner forwards them as REQUEST,
 * FollowerRequestProcessor) and are answered by the server holding the client's connection
 * when it applies the commit (or receives SYNC). A server that is not serving (LOOKING, or not
 * yet up to date) answers CONNECTIONLOSS so the client can try another server; when a server
 * leaves its role, every request still waiting gets the same. Sessions: the connection's server
 * picks a new session's id (its sid in the top byte, as SessionTrackerImpl does), clamps the
 * timeout, and keeps the session alive at the leader by touching it directly (leader) or
 * reporting it in the next PING (learner).
 */
import { assert, mark } from "../util/index.js";
import type { RequestMeta } from "../tree/index.js";
import type { ClientId } from "./ids.js";
import type { Input } from "./io.js";
import { submit, touchAtLeader } from "./leader-broadcast.js";
import type { ReplicaCore } from "./core.js";
import { clientKey, connectionLoss } from "./core.js";
import type { Origin, Request } from "./state-machine.js";
import { isSync, isWrite } from "./state-machine.js";

type ClientInput = Extract<Input, { kind: "clientRequest" }>;
type ConnectInput = Extract<Input, { kind: "connect" }>;

/**
 * A client connects: ZooKeeperServer.processConnectRequest. The client's previous connection
 * here, if any, is closed first. A server that is not serving refuses (the client tries another
 * one); so does a server behind the client: "Refusing session request for client as it has seen
 * zxid … our last zxid is …, client must try another server". A session the committed table
 * holds is taken over as is; any other client gets a new session through createSession, whose
 * commit answers the handshake (core.ts reply).
 *
 * Seam for the client sessions issue: ZooKeeper revalidates a moved session at the leader
 * (reopenSession → revalidateSession, SESSIONMOVED for its old connection) and answers an
 * unknown session id with an expired session rather than a fresh one. Those rules belong here.
 */
export function onConnect(r: ReplicaCore, input: ConnectInput): void {
  r.endConnection(input.client);
  if (!r.isServing()) {
    r.refuse(input.client);
    return;
  }
  const session = input.session;
  if (session !== null && session.lastZxidSeen > r.reportedZxid() &&
    !r.config.bugs.has("accept-ahead")) {
    mark("serve: connect refused, client has seen a later zxid");
    r.refuse(input.client);
    return;
  }
  if (session !== null && r.stateMachine.hasSession(session.sessionId)) {
    r.connect(input.client, session.sessionId);
    return;
  }
  if (session !== null) {
    onUnknownSession(r, input.client, session);
    return;
  }
  const requestId = r.connectRequestId();
  r.pendingConnects.set(input.client, requestId);
  onClientRequest(r, {
    kind: "clientRequest", now: input.now, client: input.client,
    requestId, sessionId: 0,
    request: { type: "createSession", timeoutMs: input.timeoutMs },
  });
}

/**
 * A client moves a session this server's tree does not hold. ZooKeeper asks the leader
 * (Learner.validateSession, REVALIDATE), whose tracker decides; unknown there means expired,
 * answered with a ConnectResponse of timeout 0. Here the server decides from what it knows,
 * which gives the leader's answer without the round trip: the leader's table is the tracker's;
 * a learner has applied the session's createSession once it has applied the client's
 * lastZxidSeen (checked before) and that zxid is positive, because every reply the client took
 * it from came from a server that held the session, so a session missing then was closed. A
 * learner asked about a session by a client that has seen nothing yet refuses instead, and the
 * client tries another server.
 */
function onUnknownSession(r: ReplicaCore, client: ClientId,
  session: { readonly sessionId: number; readonly lastZxidSeen: number }): void {
  if (r.leader === undefined && session.lastZxidSeen === 0) {
    mark("serve: learner refuses a session it cannot judge");
    r.refuse(client);
    return;
  }
  mark("serve: an unknown session is answered as expired");
  r.expired(client, session.sessionId);
}

/**
 * A client request as a host delivers it: the session is the client's connection's (a client
 * without one is refused); a stopped or halted server cannot serve it.
 */
export function onClientInput(r: ReplicaCore, input: ClientInput): void {
  const sessionId = input.sessionId ?? r.connections.get(input.client);
  if (sessionId === undefined) {
    r.refuse(input.client);
    return;
  }
  if (!r.started || r.halted !== undefined) {
    r.reply(input.client, input.requestId, connectionLoss(r));
    return;
  }
  onClientRequest(r, { ...input, sessionId });
}

/** A client's request arrived at this server, on session `sessionId`. */
function onClientRequest(r: ReplicaCore, input: ClientInput & { sessionId: number }): void {
  if (!r.isServing()) {
    r.reply(input.client, input.requestId, connectionLoss(r));
    return;
  }
  let meta: RequestMeta = {
    sessionId: input.sessionId, cxid: input.requestId, authInfo: input.authInfo ?? [],
  };
  let request: Request = input.request;
  if (request.type === "createSession") {
    // ZooKeeperServer.processConnectRequest: negotiate the timeout into [2, 20] ticks.
    const tick = r.config.tickTimeMs;
    const timeoutMs = Math.min(Math.max(request.timeoutMs, 2 * tick), 20 * tick);
    meta = { ...meta, sessionId: r.allocateSessionId() };
    request = { type: "createSession", timeoutMs };
  } else {
    touch(r, meta.sessionId);
  }
  if (request.type === "ping") {
    r.reply(input.client, input.requestId, { err: "OK", zxid: r.reportedZxid() });
    return;
  }
  if (!isWrite(request) && !isSync(request)) {
    const result = r.stateMachine.read(meta, request);
    // setWatches fires the watches whose nodes changed meanwhile, before its reply.
    for (const event of result.read?.events ?? []) r.notify(input.client, event);
    r.reply(input.client, input.requestId, { ...result, zxid: r.reportedZxid() });
    return;
  }
  assert(isWrite(request) || request.type === "sync", "only writes and sync reach the leader");
  if (isSync(request) && r.learner !== undefined && r.config.bugs.has("local-sync")) {
    // Planted bug: FollowerRequestProcessor forwards sync to the leader (Learner.request) so the
    // answer follows every commit the leader had sent; this follower answers from its own tree.
    r.reply(input.client, input.requestId, { err: "OK", zxid: r.stateMachine.lastProcessedZxid });
    return;
  }
  const origin: Origin = { server: r.myid, client: input.client, requestId: input.requestId };
  r.pendingClients.set(clientKey(origin), origin);
  if (r.leader !== undefined) {
    submit(r, { origin, meta, request });
    return;
  }
  const learner = r.learner;
  assert(learner !== undefined, "serving without a role");
  r.sendPacket(learner.leaderSid, {
    type: "REQUEST",
    forwarded: { server: r.myid, client: input.client, requestId: input.requestId, meta, request },
  }, learner.connection);
}

/** Keeps a committed session alive: at once on the leader, via the next PING on a learner. */
function touch(r: ReplicaCore, sessionId: number): void {
  const timeoutMs = r.stateMachine.sessionTimeoutMs(sessionId);
  if (timeoutMs === undefined) return;
  if (r.leader !== undefined) touchAtLeader(r, sessionId, r.elapsedMs);
  else if (r.learner !== undefined) r.learner.touched.set(sessionId, timeoutMs);
}

/** Applies committed entries up to `zxid` and answers the local clients among them. */
export function deliverAndAnswer(r: ReplicaCore, zxid: number): void {
  for (const { entry, result } of r.deliverUpTo(zxid)) r.afterApply(entry, result);
  r.maybeSnapshot();
}

/** The role ends: every waiting client learns the connection is lost (outcome unknown). */
export function failPendingClients(r: ReplicaCore): void {
  const waiting = [...r.pendingClients.values()].sort(
    (a, b) => a.client - b.client || a.requestId - b.requestId,
  );
  r.pendingClients.clear();
  for (const origin of waiting) r.reply(origin.client, origin.requestId, connectionLoss(r));
  // Learner.shutdown / Leader.shutdown: closeAllConnections. Clients reconnect, to this server
  // once it serves again or to another, and re-register their watches there.
  const clients = [...r.connections.keys()].sort((a, b) => a - b);
  for (const client of clients) r.closeConnection(client);
}
