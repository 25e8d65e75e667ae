/**
 * The zxid counter rollover (ZOOKEEPER-1277). Leader.propose refuses the zxid whose lower 32
 * bits are 0xffffffff: "zxid lower 32 bits have rolled over, forcing re-election, and therefore
 * new epoch start". The zxidCounterStart knob (`--zxid-counter-start`) starts each new leader's
 * counter near the top so a run reaches that branch within a few proposals.
 */
import { describe, expect, it } from "vitest";
import {
  counterOf, epochOf, markHit, marksReached, ZXID_COUNTER_MAX,
} from "../../src/util/index.js";
import { OPEN_ACL_UNSAFE } from "../../src/tree/index.js";
import { resolveRunOptions, runSimulation } from "../../src/run/index.js";
import { Cluster } from "../helpers/cluster.js";

const ROLLED = "leader: zxid counter rolled over";

function createReq(path: string) {
  return { type: "create", path, data: null, acl: OPEN_ACL_UNSAFE, flags: 0 } as const;
}

describe("zxid counter rollover on the step-by-step harness", () => {
  it("proposes up to counter 0xfffffffe, then re-elects into a new epoch", () => {
    const config = { zxidCounterStart: ZXID_COUNTER_MAX - 3 };
    const c = new Cluster({ voters: 3, config }).start();
    const leader = c.elect();
    const epoch = c.replica(leader).currentEpoch;
    const session = c.openSession(leader, 100); // counter MAX - 2
    c.request(leader, 100, 1, createReq("/a"), session); // counter MAX - 1, the last allowed
    c.runFor(300_000);
    expect(c.replyTo(100, 1)?.result.err).toBe("OK");
    const last = c.replica(leader).stateMachine.lastProcessedZxid;
    expect([epochOf(last), counterOf(last)]).toEqual([epoch, ZXID_COUNTER_MAX - 1]);
    const run = markHit(ROLLED, () => {
      c.request(leader, 100, 2, createReq("/b"), session); // would be 0xffffffff: refused
      c.runFor(100_000);
    });
    expect(run.hit).toBe(true);
    // No replica ever logs a zxid whose counter is 0xffffffff.
    for (const id of c.ids) {
      expect(counterOf(c.replica(id).log.lastLoggedZxid)).not.toBe(ZXID_COUNTER_MAX);
    }
    const next = c.elect();
    expect(c.replica(next).currentEpoch).toBeGreaterThan(epoch);
  });

  it("a leader starting at 0 (ZooKeeper's own start) does not roll over", () => {
    const c = new Cluster({ voters: 3 }).start();
    const leader = c.elect();
    const run = markHit(ROLLED, () => {
      const session = c.openSession(leader, 100);
      c.request(leader, 100, 1, createReq("/a"), session);
      c.runFor(300_000);
    });
    expect(run.hit).toBe(false);
  });
});

describe("--zxid-counter-start in a whole run", () => {
  it("forces re-elections, and every check still holds", () => {
    const start = ZXID_COUNTER_MAX - 40;
    const { reached, value: report } = marksReached(() =>
      runSimulation(1, resolveRunOptions({ zxidCounterStart: start })));
    expect(reached.has(ROLLED)).toBe(true);
    expect(report.violations).toEqual([]);
    const plain = runSimulation(1, resolveRunOptions({}));
    // Each rollover is a new epoch: the leader count grows with the writes, not only the faults.
    expect(report.leaderChanges).toBeGreaterThan(plain.leaderChanges);
  });
});
