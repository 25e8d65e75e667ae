/**
 * Step-by-step protocol scenarios on the deterministic harness (test/helpers/cluster.ts): each
 * builds one situation ZooKeeper must handle, runs it by delivering messages and completing disk
 * writes, then checks the outcome and, through coverage marks, that the intended branch ran.
 * Covered: DIFF for a follower that missed commits, TRUNC for an old leader with uncommitted
 * proposals, SNAP for a far-behind follower, no commit on a minority, rejoin with a newer
 * acceptedEpoch file, the election order, ACK only after the write is durable, ensembles of
 * 1, 3, 5 and 7 voters with observers, recovery from torn and corrupt records, and a closed
 * connection read as TCP's FIN (a learner leaves at once when its leader steps down; a leader's
 * handler ends when its learner gave up, even after a clog held the FIN).
 */
import { describe, expect, it } from "vitest";
import { makeZxid, markHit } from "../../src/util/index.js";
import type { Epoch, PersistRecord, ServerId, Txn, Zxid } from "../../src/consensus/index.js";
import { OPEN_ACL_UNSAFE } from "../../src/tree/index.js";
import { Cluster } from "../helpers/cluster.js";
import type { InFlight } from "../helpers/cluster.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Creates `path` through server `id` for a client with an open session. */
function create(
  c: Cluster, id: number, client: number, requestId: number, session: number, path: string,
): void {
  const data = enc(path);
  const request = { type: "create", path, data, acl: OPEN_ACL_UNSAFE, flags: 0 } as const;
  c.request(id, client, requestId, request, session);
}

/** Every live replica's tree digest and last processed zxid, by id. */
function trees(c: Cluster): Map<number, string> {
  const out = new Map<number, string>();
  for (const id of c.ids) {
    if (c.down.has(id)) continue;
    const r = c.replica(id);
    out.set(id, `${r.stateMachine.lastProcessedZxid.toString(16)}:${r.stateMachine.digest()}`);
  }
  return out;
}

function converged(c: Cluster): boolean {
  return new Set(trees(c).values()).size === 1;
}

/** A createSession txn: a real txn that applies on any tree. */
function sessionTxn(zxid: Zxid): Txn {
  return {
    header: { sessionId: 1000 + zxid, cxid: 0, zxid, timeMs: 0, type: "createSession" },
    body: { type: "createSession", timeoutMs: 4000 },
  };
}

/** Disk records for a replica that logged `zxids` under the given epochs. */
function diskWith(
  acceptedEpoch: number, currentEpoch: number, zxids: readonly Zxid[],
): PersistRecord[] {
  return [
    { type: "acceptedEpoch", epoch: acceptedEpoch as Epoch },
    { type: "currentEpoch", epoch: currentEpoch as Epoch },
    ...zxids.map((zxid): PersistRecord => ({
      type: "txn", entry: { zxid, txn: sessionTxn(zxid), origin: undefined },
    })),
  ];
}

describe("a follower that missed commits is brought up by DIFF", () => {
  it("syncs the missed transactions and converges", () => {
    const c = new Cluster({ voters: 3 }).start();
    c.elect();
    const session = c.openSession(2, 100);
    c.partition([1], [2, 3]);
    for (let i = 1; i <= 3; i++) create(c, 2, 100, i, session, `/n${i}`);
    c.runFor(300_000);
    expect(c.replyTo(100, 3)?.result.err).toBe("OK");
    expect(c.replica(1).stateMachine.lastProcessedZxid).toBeLessThan(c.replica(3).stateMachine.lastProcessedZxid);
    c.heal();
    const run = markHit("leader: DIFF sent", () => c.runFor(3_000_000));
    expect(run.hit).toBe(true);
    expect(c.replica(1).learner?.phase).toBe("uptodate");
    expect(converged(c)).toBe(true);
  });
});

describe("an old leader with uncommitted proposals is TRUNCated", () => {
  it("drops the proposals no quorum logged", () => {
    const c = new Cluster({ voters: 3 }).start();
    expect(c.elect()).toBe(3);
    const session = c.openSession(3, 100);
    c.partition([3], [1, 2]);
    create(c, 3, 100, 1, session, "/lost");
    c.runFor(100_000);
    const lost = c.replica(3).log.lastLoggedZxid;
    expect(c.replyTo(100, 1)).toBeUndefined();
    c.runFor(3_000_000); // 1 and 2 elect a new leader; 3 gives up its quorum
    expect(c.replyTo(100, 1)?.result.err).toBe("CONNECTIONLOSS");
    c.heal();
    const run = markHit("learner: TRUNC applied", () => c.runFor(3_000_000));
    expect(run.hit).toBe(true);
    expect(c.replica(3).log.entry(lost)).toBeUndefined();
    expect(c.observationsOf("truncate").some((o) => o.node === 3)).toBe(true);
    expect(converged(c)).toBe(true);
  });
});

describe("a far-behind follower gets SNAP", () => {
  it("installs the leader's snapshot", () => {
    const c = new Cluster({ voters: 3, config: { snapCount: 4, committedLogMax: 2 } }).start();
    c.elect();
    const session = c.openSession(2, 100);
    c.crash(1);
    for (let i = 1; i <= 12; i++) {
      create(c, 2, 100, i, session, `/n${i}`);
      c.runFor(20_000);
    }
    expect(c.replyTo(100, 12)?.result.err).toBe("OK");
    c.restart(1);
    const run = markHit("learner: SNAP installed", () => c.runFor(3_000_000));
    expect(run.hit).toBe(true);
    expect(c.observationsOf("restore").some((o) => o.node === 1 && o.cause === "snap")).toBe(true);
    expect(converged(c)).toBe(true);
  });
});

describe("a leader isolated with a minority cannot commit", () => {
  it("never acknowledges the write; the majority moves on", () => {
    const c = new Cluster({ voters: 5 }).start();
    expect(c.elect()).toBe(5);
    const session = c.openSession(5, 100);
    c.partition([5, 4], [1, 2, 3]);
    create(c, 5, 100, 1, session, "/minority");
    c.runFor(3_000_000);
    expect(c.replyTo(100, 1)?.result.err).not.toBe("OK");
    const minorityProposal = c.observationsOf("propose").filter((o) => o.node === 5).pop();
    expect(minorityProposal).toBeDefined();
    const delivered = c.observationsOf("deliver").filter((o) => o.zxid === minorityProposal?.zxid);
    expect(delivered.every((o) => o.txn !== minorityProposal?.txn)).toBe(true);
    expect([1, 2, 3].some((id) => c.replica(id).leader?.phase === "broadcast")).toBe(true);
    c.heal();
    c.runFor(3_000_000);
    expect(converged(c)).toBe(true);
  });
});

describe("a restarted replica with a newer acceptedEpoch file rejoins", () => {
  it("forces the next epoch above it and syncs", () => {
    const disks = new Map<number, PersistRecord[]>([[1, diskWith(5, 1, [makeZxid(1, 1)])]]);
    const c = new Cluster({ voters: 3, disks }).start();
    c.elect();
    const established = c.observationsOf("established");
    expect(established[0]?.epoch).toBeGreaterThanOrEqual(6);
    expect(c.replica(1).currentEpoch).toBe(established[0]?.epoch);
    expect(converged(c)).toBe(true);
  });
});

describe("election picks the highest (peerEpoch, zxid, sid)", () => {
  it("a higher currentEpoch beats a longer log", () => {
    const disks = new Map<number, PersistRecord[]>([
      [1, diskWith(2, 2, [makeZxid(1, 1), makeZxid(2, 1)])],
      [2, diskWith(1, 1, [makeZxid(1, 1), makeZxid(1, 2), makeZxid(1, 3)])],
      [3, diskWith(1, 1, [makeZxid(1, 1)])],
    ]);
    // Replica 2's log (1.2, 1.3) was never committed; replica 1 leads epoch 2 without it.
    const c = new Cluster({ voters: 3, disks }).start();
    expect(c.elect()).toBe(1);
  });
  it("with equal epochs the longer log wins over a higher sid", () => {
    const disks = new Map<number, PersistRecord[]>([
      [1, diskWith(1, 1, [makeZxid(1, 1)])],
      [2, diskWith(1, 1, [makeZxid(1, 1), makeZxid(1, 2)])],
      [3, diskWith(1, 1, [makeZxid(1, 1)])],
    ]);
    const c = new Cluster({ voters: 3, disks }).start();
    expect(c.elect()).toBe(2);
  });
  it("with equal epochs and logs the highest sid wins", () => {
    const c = new Cluster({ voters: 5 }).start();
    expect(c.elect()).toBe(5);
  });
});

describe("a follower ACKs a proposal only after it is durable", () => {
  it("holds the ACK until persisted", () => {
    const c = new Cluster({ voters: 3 }).start();
    c.elect();
    const session = c.openSession(3, 100);
    c.autoPersist = false;
    create(c, 3, 100, 1, session, "/durable");
    c.deliver((m) => m.to === 1 && m.msg.kind === "quorum" && m.msg.packet.type === "PROPOSAL");
    const isAck = (m: InFlight): boolean =>
      m.from === 1 && m.msg.kind === "quorum" && m.msg.packet.type === "ACK";
    const ackBefore = c.inflight.some(isAck);
    expect(ackBefore).toBe(false);
    expect(c.pendingWrites.get(1 as ServerId)?.length).toBe(1);
    c.persist(1);
    const ackAfter = c.inflight.some(isAck);
    expect(ackAfter).toBe(true);
    // The leader cannot commit with follower 1's ACK alone: its own write is not durable yet.
    c.deliver((m) => m.from === 1 && m.msg.kind === "quorum" && m.msg.packet.type === "ACK");
    expect(c.replyTo(100, 1)).toBeUndefined();
    c.persist(3);
    expect(c.replyTo(100, 1)?.result.err).toBe("OK");
  });
});

describe("ensembles of 1, 3, 5 and 7 voters, with observers", () => {
  for (const [voters, observers] of [[1, 0], [1, 1], [3, 1], [5, 2], [7, 1]] as const) {
    it(`${voters} voters + ${observers} observers elect, commit and converge`, () => {
      const c = new Cluster({ voters, observers }).start();
      expect(c.elect()).toBe(voters);
      const entry = voters + observers; // the last server: an observer when there is one
      const session = c.openSession(entry, 100);
      create(c, entry, 100, 1, session, "/x");
      c.runFor(300_000);
      expect(c.replyTo(100, 1)?.result.err).toBe("OK");
      expect(converged(c)).toBe(true);
      for (let id = voters + 1; id <= voters + observers; id++) {
        expect(c.replica(id).state).toBe("OBSERVING");
      }
    });
  }
});

describe("recovery from damaged records", () => {
  const zxids = [makeZxid(1, 1), makeZxid(1, 2)];
  it("ignores a torn last record", () => {
    const c = new Cluster({ voters: 1 });
    c.disks.set(1 as ServerId, diskWith(1, 1, zxids));
    const recovered = [...(c.disks.get(1 as ServerId) ?? []), { type: "damaged" as const }];
    const run = markHit("recovery: torn last record ignored", () =>
      c.step(1 as ServerId, { kind: "restart", now: 0, recovered }));
    expect(run.hit).toBe(true);
    expect(c.replica(1).halted).toBeUndefined();
    expect(c.replica(1).log.lastLoggedZxid).toBe(makeZxid(1, 2));
  });
  it("refuses to start on a corrupt record inside the log", () => {
    const c = new Cluster({ voters: 1 });
    const records = diskWith(1, 1, zxids);
    const recovered = [...records.slice(0, 2), { type: "damaged" as const }, ...records.slice(3)];
    const run = markHit("recovery: corrupt record inside the data dir", () =>
      c.step(1 as ServerId, { kind: "restart", now: 0, recovered }));
    expect(run.hit).toBe(true);
    expect(c.replica(1).halted).toBeDefined();
    c.request(1, 100, 1, { type: "exists", path: "/", watch: false });
    expect(c.replyTo(100, 1)?.result.err).toBe("CONNECTIONLOSS");
  });
});

describe("a connection given up is closed with a FIN", () => {
  it("a leader that steps down sends its learners back to election at once", () => {
    const c = new Cluster({ voters: 5 }).start();
    expect(c.elect()).toBe(5);
    for (const id of [1, 2, 3]) c.crash(id);
    // The leader finds its quorum gone after syncLimit ticks; node 4 learns it from the FIN,
    // not from its own read timeout, which would need syncLimit ticks of silence more.
    const run = markHit("learner: the leader closed the connection", () => {
      for (let t = 0; t < 40 && c.replica(5).state === "LEADING"; t++) c.runFor(50_000);
      c.stabilize();
    });
    expect(run.hit).toBe(true);
    expect(c.replica(5).state).toBe("LOOKING");
    expect(c.replica(4).state).toBe("LOOKING");
    expect(c.replica(4).learner).toBeUndefined();
  });
  it("a leader ends the handler of a learner that gave up, after what it sent before", () => {
    const c = new Cluster({ voters: 3 }).start();
    expect(c.elect()).toBe(3);
    c.clog([1], [3]);
    // Node 1 hears nothing for syncLimit ticks and leaves; its FIN waits behind the clog. The
    // clog clears before the leader's own timeout would drop node 1 (at its next full tick).
    for (let t = 0; t < 300 && c.replica(1).state !== "LOOKING"; t++) c.runFor(10_000);
    expect(c.inflight.some((m) => m.from === 1 && m.to === 3 &&
      m.msg.kind === "quorum" && m.msg.packet.type === "FIN")).toBe(true);
    expect(c.replica(3).leader?.handlers.has(1 as ServerId)).toBe(true);
    c.unclog();
    const run = markHit("leader: learner closed its connection", () => c.runFor(2_000_000));
    expect(run.hit).toBe(true);
    expect(c.replica(3).state).toBe("LEADING");
    expect(c.replica(1).learner?.phase).toBe("uptodate"); // back, on a new connection
    expect(converged(c)).toBe(true);
  });
});
