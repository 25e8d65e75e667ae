/**
 * The leader's container manager (ContainerManager, started by LeaderZooKeeperServer only):
 * every containerCheckIntervalMs it lists the empty containers that once had a child and the
 * childless TTL nodes past their ttl (the tree's containerCandidates, ContainerManager
 * .getCandidates) and submits one deleteContainer request per path, each its own txn through
 * prep, so a node that gained a child meanwhile fails with NOTEMPTY and stays. TTLs compare the
 * wall clock with the node's mtime, as ContainerManager does (Time.currentWallTime).
 */
import { SERVER_REQUEST_META } from "../tree/index.js";
import { mark } from "../util/index.js";
import type { ReplicaCore } from "./core.js";
import { MICROS_PER_MS } from "./core.js";
import { submit } from "./leader-broadcast.js";

/** One check: a deleteContainer per candidate, then the next check. */
export function onContainerTimer(r: ReplicaCore): void {
  const leader = r.leader;
  if (leader === undefined || leader.phase !== "broadcast") return;
  const nowMs = Math.floor(r.now / MICROS_PER_MS);
  for (const path of r.stateMachine.containerCandidates(nowMs)) {
    mark("leader: container manager deletes a container or TTL node");
    submit(r, {
      origin: undefined, meta: SERVER_REQUEST_META, request: { type: "deleteContainer", path },
    });
    if (r.leader !== leader) return;
  }
  // scheduleAtFixedRate: the next check one interval on (startBroadcast armed the first).
  r.setTimer("containerTimer", r.config.containerCheckIntervalMs * MICROS_PER_MS);
}
