/**
 * checkInvariants(replica): cross-field assertions run after every step (TigerBeetle's
 * `defer self.invariants()`). A failure is a bug in this code (or a planted one), never a bad
 * input: the world reports it with the seed, the time and the node.
 */
import { assert, epochOf, makeZxid } from "../util/index.js";
import type { ReplicaCore } from "./core.js";

/** Asserts every cross-field rule of a started replica. */
export function checkInvariants(r: ReplicaCore): void {
  if (r.halted !== undefined) return;
  checkStorage(r);
  checkRole(r);
  for (const sessionId of r.connections.values()) {
    assert(Number.isSafeInteger(sessionId) && sessionId > 0, "a connection holds a session id");
  }
  if (r.leader !== undefined) checkLeader(r);
}

function checkStorage(r: ReplicaCore): void {
  const lastLogged = r.log.lastLoggedZxid;
  assert(r.lastDeliveredZxid <= r.stateMachine.lastProcessedZxid, "delivered beyond the tree");
  const processed = r.stateMachine.lastProcessedZxid;
  assert(processed <= lastLogged, "Invariant: lastProcessedZxid <= lastLoggedZxid");
  assert(r.log.durableZxid <= lastLogged, "durable beyond the log");
  assert(r.currentEpoch <= r.acceptedEpoch, "Invariant: currentEpoch <= acceptedEpoch");
  assert(r.log.snapshot.zxid <= lastLogged, "snapshot beyond the log");
  assert(epochOf(lastLogged) <= r.acceptedEpoch, "logged a txn of an epoch never accepted");
  const floor = r.treeZxidFloor;
  // The tree's zxid is a txn's or an established leader's makeZxid(epoch, 0), never beyond it.
  if (floor > processed) assert(floor === makeZxid(epochOf(floor), 0), "floor is an epoch's start");
  assert(epochOf(floor) <= r.acceptedEpoch, "the tree's zxid is of an epoch never accepted");
  if (r.undelivered.length > 0) {
    assert(r.state === "LEADING", "only a prospective leader holds undelivered txns");
  } else if (r.learner === undefined || r.learner.phase === "uptodate") {
    assert(r.lastDeliveredZxid === r.stateMachine.lastProcessedZxid, "applied but not delivered");
  }
}

function checkRole(r: ReplicaCore): void {
  switch (r.state) {
    case "LOOKING":
      assert(r.leader === undefined && r.learner === undefined, "LOOKING with a role");
      assert(r.pendingClients.size === 0, "LOOKING with waiting clients");
      assert(r.sessionQueues.size === 0, "LOOKING with requests held in session queues");
      return;
    case "LEADING":
      assert(r.leader !== undefined && r.learner === undefined, "LEADING without leader state");
      return;
    case "FOLLOWING":
    case "OBSERVING":
      assert(r.learner !== undefined && r.leader === undefined, "learning without learner state");
      assert(r.learner.observer === (r.state === "OBSERVING"), "observer flag and state disagree");
      return;
  }
}

function checkLeader(r: ReplicaCore): void {
  const leader = r.leader;
  assert(leader !== undefined, "checkLeader without a leader");
  assert(leader.outstanding.size <= r.config.proposalsInflightMax, "too many proposals in flight");
  assert(leader.queued.length <= r.config.requestsQueuedMax, "too many queued requests");
  let previous = leader.lastCommitted;
  for (const zxid of leader.outstanding.keys()) {
    assert(zxid > previous, "outstanding proposals ascend above lastCommitted");
    previous = zxid;
  }
  if (leader.phase === "broadcast") {
    assert(leader.epoch === r.currentEpoch, "an established leader runs its own epoch");
    assert(epochOf(leader.lastProposed) === leader.epoch, "proposals carry the leader's epoch");
    assert(leader.lastCommitted <= leader.lastProposed, "committed beyond proposed");
    const processed = r.stateMachine.lastProcessedZxid;
    assert(processed === leader.lastCommitted, "leader applies what it committed");
  } else {
    assert(leader.outstanding.size === 0, "proposals before established");
  }
}
