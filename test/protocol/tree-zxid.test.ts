/**
 * The data tree's zxid that is no transaction's (ZooKeeper 3.8's DataTree.lastProcessedZxid):
 * an established leader sets it to makeZxid(epoch, 0) (Leader.startZkServer), keeps it after
 * stepping down (ZooKeeperServer.shutdown does not clear the database), votes with it
 * (QuorumPeer.getLastLoggedZxid), sends it in a SNAP (LearnerHandler: zxidToSend), and a learner
 * takes it (Learner.syncWithLeader) and, through its snapshot's name, keeps it over a restart
 * (FileSnap.deserialize). Each test builds the situation on the step-by-step harness and reads
 * the replicas' votes and reported zxids; each fails if the value is the last txn's instead.
 */
import { describe, expect, it } from "vitest";
import { makeZxid } from "../../src/util/index.js";
import { OPEN_ACL_UNSAFE } from "../../src/tree/index.js";
import { Cluster } from "../helpers/cluster.js";

const SECOND = 1_000_000;

describe("an established leader's makeZxid(epoch, 0) travels as ZooKeeper's tree zxid", () => {
  it("a leader that stepped down votes with it and beats a higher sid with the same txns", () => {
    const c = new Cluster({ voters: 3 }).start();
    c.crash(3);
    expect(c.elect()).toBe(2);
    c.stabilize();
    const epoch = c.replica(2).currentEpoch;
    expect(c.replica(2).reportedZxid()).toBe(makeZxid(epoch, 0));
    expect(c.replica(2).stateMachine.lastProcessedZxid).toBe(0);
    c.crash(1); // server 2 loses its quorum and steps down; its process lives on
    c.runFor(30 * SECOND);
    expect(c.replica(2).state).toBe("LOOKING");
    expect(c.replica(2).vote.zxid).toBe(makeZxid(epoch, 0));
    c.restart(3); // empty disk: the same (no) txns as server 2, and a higher sid
    c.runFor(30 * SECOND);
    expect(c.leader()).toBe(2);
  });

  it("a SNAP carries it, and the learner keeps it over a restart by its snapshot's name", () => {
    const c = new Cluster({ voters: 3 }).start();
    c.crash(3);
    expect(c.elect()).toBe(2);
    c.stabilize();
    const session = c.openSession(2, 1);
    const data = new Uint8Array();
    c.request(2, 1, 1, { type: "create", path: "/a", data, acl: OPEN_ACL_UNSAFE, flags: 0 },
      session);
    c.stabilize();
    const lastTxn = c.replica(2).stateMachine.lastProcessedZxid;
    c.crash(1); // server 2 steps down; server 1 comes back and 2 leads a new epoch
    c.runFor(10 * SECOND);
    c.restart(1);
    expect(c.elect()).toBe(2);
    c.stabilize();
    const epoch = c.replica(2).currentEpoch;
    expect(c.replica(2).stateMachine.lastProcessedZxid).toBe(lastTxn);
    expect(c.replica(2).reportedZxid()).toBe(makeZxid(epoch, 0));
    c.restart(3); // an empty disk: far behind, so SNAP
    c.stabilize();
    const learner = c.replica(3);
    expect(learner.state).toBe("FOLLOWING");
    expect(learner.stateMachine.lastProcessedZxid).toBe(lastTxn);
    expect(learner.reportedZxid()).toBe(makeZxid(epoch, 0));
    c.crash(3);
    c.restart(3);
    expect(c.replica(3).reportedZxid()).toBe(makeZxid(epoch, 0));
    expect(c.replica(3).vote.zxid).toBe(makeZxid(epoch, 0));
  });
});
