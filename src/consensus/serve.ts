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
import { revalidateAtLeader, submit, touchAtLeader } from "./leader-broadcast.js";
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
 * A session the server knows moves here (revalidate); an unknown one is judged by
 * onUnknownSession (a learner asks its leader).
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
    revalidate(r, session.sessionId);
    r.connect(input.client, session.sessionId);
    return;
  }
  if (session !== null) {
    onUnknownSession(r, input.client, session);
    return;
  }
  onClientRequest(r, {
    kind: "clientRequest", now: input.now, client: input.client,
    requestId: r.connectRequestId(input.client), sessionId: 0,
    request: { type: "createSession", timeoutMs: input.timeoutMs },
  });
}

/**
 * A session moves here (ZooKeeperServer.reopenSession → revalidateSession): the leader makes
 * itself the session's owner; a learner's next forwarded request of the session carries the
 * claim (ForwardedRequest.moved), which the leader applies before it checks that request. From
 * then on, a write of the session that still comes through its old server is refused with
 * SESSIONMOVED (the leader's checkSession), so it cannot be applied after what the client does
 * here. ZooKeeper claims at the connect (REVALIDATE, whose answer the learner waits for); a
 * write through the old server that reaches the leader between the move and the session's
 * first write here is applied here but refused there, and either way before that first write.
 */
function revalidate(r: ReplicaCore, sessionId: number): void {
  if (r.leader !== undefined) revalidateAtLeader(r, sessionId);
  else r.learner?.moved.add(sessionId);
}

/**
 * A client moves a session this server's tree does not hold. A leader's tracker decides at
 * once: unknown means expired, answered with a ConnectResponse of timeout 0. A learner asks its
 * leader (Learner.validateSession, REVALIDATE) and answers when the leader does
 * (onRevalidated): it cannot tell a closed session from one whose createSession it has not
 * applied yet, for instance when the client has seen no zxid since it opened the session.
 */
function onUnknownSession(r: ReplicaCore, client: ClientId,
  session: { readonly sessionId: number; readonly lastZxidSeen: number }): void {
  const learner = r.learner;
  if (learner !== undefined) {
    mark("serve: a learner asks its leader about an unknown session");
    learner.revalidating.set(client, session.sessionId);
    r.sendPacket(learner.leaderSid, { type: "REVALIDATE", sessionId: session.sessionId },
      learner.connection);
    return;
  }
  mark("serve: an unknown session is answered as expired");
  r.expired(client, session.sessionId);
}

/**
 * The leader's answer to REVALIDATE (Learner.revalidate → finishSessionInit): every client
 * waiting on that session is connected, or told its session expired. A valid session whose
 * createSession this learner has not applied yet is refused (the client comes back).
 */
export function onRevalidated(r: ReplicaCore, sessionId: number, valid: boolean): void {
  const learner = r.learner;
  assert(learner !== undefined, "REVALIDATE answers reach a learner");
  const waiting = [...learner.revalidating].filter(([, waited]) => waited === sessionId)
    .map(([client]) => client).sort((a, b) => a - b);
  for (const client of waiting) {
    learner.revalidating.delete(client);
    if (!valid) {
      mark("serve: an unknown session is answered as expired");
      r.expired(client, sessionId);
    } else if (r.stateMachine.hasSession(sessionId)) {
      // The session moved here: its next forwarded request claims it at the leader (revalidate).
      learner.moved.add(sessionId);
      r.connect(client, sessionId);
    } else {
      r.refuse(client);
    }
  }
}

/** Leader.revalidateSession: the tracker's touchSession says whether the session lives. */
export function onRevalidate(r: ReplicaCore, sessionId: number): boolean {
  const tracker = r.stateMachine.sessions;
  const timeoutMs = r.stateMachine.sessionTimeoutMs(sessionId);
  if (tracker === undefined || timeoutMs === undefined) return false;
  return tracker.touchSession(sessionId, timeoutMs, r.elapsedMs);
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
  // The owner is this server (ServerCnxn.me; a leader replaces a learner's with its handler).
  let meta: RequestMeta = {
    sessionId: input.sessionId, cxid: input.requestId, authInfo: input.authInfo ?? [],
    owner: r.myid,
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
  const client = input.client;
  const requestId = input.requestId;
  if (!isWrite(request) && request.type !== "sync") {
    if (r.sessionQueues.holds(meta.sessionId)) {
      // CommitProcessor: a session with a write waiting has its reads wait behind it.
      mark("serve: a read waits behind its session's write");
      r.sessionQueues.hold({ client, requestId, commit: false, meta, request });
      return;
    }
    r.serveRead({ client, requestId, meta, request });
    return;
  }
  if (isSync(request) && r.learner !== undefined && r.config.bugs.has("local-sync")) {
    // Planted bug: FollowerRequestProcessor forwards sync to the leader (Learner.request) so the
    // answer follows every commit the leader had sent; this follower answers from its own tree.
    r.reply(client, requestId, { err: "OK", zxid: r.stateMachine.lastProcessedZxid });
    return;
  }
  r.sessionQueues.hold({ client, requestId, commit: true, meta, request });
  const origin: Origin = { server: r.myid, client: input.client, requestId: input.requestId };
  r.pendingClients.set(clientKey(origin), origin);
  if (r.leader !== undefined) {
    submit(r, { origin, meta, request });
    return;
  }
  const learner = r.learner;
  assert(learner !== undefined, "serving without a role");
  const forwarded = { server: r.myid, client: input.client, requestId: input.requestId, meta,
    request };
  const moved = learner.moved.delete(meta.sessionId);
  r.sendPacket(learner.leaderSid, {
    type: "REQUEST", forwarded: moved ? { ...forwarded, moved: true } : forwarded,
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

/**
 * The role ends: every waiting client (a write, a sync, or a read held behind one) learns the
 * connection is lost (outcome unknown).
 */
export function failPendingClients(r: ReplicaCore): void {
  const waiting: Array<{ readonly client: ClientId; readonly requestId: number }> = [
    ...r.pendingClients.values(), ...r.sessionQueues.clear(),
  ].sort((a, b) => a.client - b.client || a.requestId - b.requestId);
  r.pendingClients.clear();
  for (const origin of waiting) r.reply(origin.client, origin.requestId, connectionLoss(r));
  // Connects waiting for the leader's REVALIDATE answer: their connections close too.
  const revalidating = [...(r.learner?.revalidating.keys() ?? [])].sort((a, b) => a - b);
  r.learner?.revalidating.clear();
  for (const client of revalidating) r.refuse(client);
  // Learner.shutdown / Leader.shutdown: closeAllConnections. Clients reconnect, to this server
  // once it serves again or to another, and re-register their watches there.
  const clients = [...r.connections.keys()].sort((a, b) => a - b);
  for (const client of clients) r.closeConnection(client);
}
