/**
 * Serving clients. Reads are answered from the local tree; writes and syncs go to the leader
 * (a learner forwards them as REQUEST, FollowerRequestProcessor) and are answered by the server
 * holding the client's connection when it applies the commit (or receives SYNC). A server that
 * is not serving (LOOKING, or not yet up to date) answers CONNECTIONLOSS so the client can try
 * another server; when a server leaves its role, every request still waiting gets the same.
 */
import { assert } from "../util/index.js";
import type { Input } from "./io.js";
import { submit } from "./leader-broadcast.js";
import type { Replica } from "./replica.js";
import { connectionLoss } from "./replica.js";
import type { Origin } from "./state-machine.js";
import { isSync, isWrite } from "./state-machine.js";

/** True when this server answers clients (ZooKeeperServer is running). */
export function isServing(r: Replica): boolean {
  if (r.leader !== undefined) return r.leader.phase === "broadcast";
  if (r.learner !== undefined) return r.learner.phase === "uptodate";
  return false;
}

/** A client's request arrived at this server. */
export function onClientRequest(r: Replica, input: Extract<Input, { kind: "clientRequest" }>): void {
  if (!isServing(r)) {
    r.reply(input.client, input.requestId, connectionLoss(r));
    return;
  }
  if (!isWrite(input.request) && !isSync(input.request)) {
    r.reply(input.client, input.requestId, r.tree.read(input.request));
    return;
  }
  const origin: Origin = { server: r.myid, client: input.client, requestId: input.requestId };
  r.pendingClients.set(clientKey(origin), origin);
  if (r.leader !== undefined) {
    submit(r, { origin, request: input.request });
    return;
  }
  const learner = r.learner;
  assert(learner !== undefined, "serving without a role");
  r.sendPacket(learner.leaderSid, {
    type: "REQUEST",
    forwarded: { server: r.myid, client: input.client, requestId: input.requestId, request: input.request },
  }, learner.connection);
}

/** The key of a waiting request. */
export function clientKey(origin: Pick<Origin, "client" | "requestId">): string {
  return `${origin.client}:${origin.requestId}`;
}

/** Applies committed entries up to `zxid` and answers the local clients among them. */
export function deliverAndAnswer(r: Replica, zxid: number): void {
  for (const { entry, result } of r.deliverUpTo(zxid)) {
    const origin = entry.origin;
    if (origin !== undefined && origin.server === r.myid) r.answer(origin, result);
  }
  r.maybeSnapshot();
}

/** The role ends: every waiting client learns the connection is lost (outcome unknown). */
export function failPendingClients(r: Replica): void {
  const waiting = [...r.pendingClients.values()].sort(
    (a, b) => a.client - b.client || a.requestId - b.requestId,
  );
  r.pendingClients.clear();
  for (const origin of waiting) r.reply(origin.client, origin.requestId, connectionLoss(r));
}
