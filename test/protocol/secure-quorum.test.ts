/**
 * Secure quorum step by step, on the hand-driven cluster (test/helpers/cluster.ts): a secure
 * ensemble elects and commits with nothing plain between servers (only handshakes and sealed
 * frames), and a PROPOSAL frame with one bit flipped in flight is refused: the follower's
 * connection breaks at once, the refusal is counted, the follower goes back to election, rejoins
 * the leader over a fresh handshake, and ends with the leader's transactions and digest.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../helpers/cluster.js";
import type { Message } from "../../src/consensus/index.js";
import { markHit } from "../../src/util/mark.js";

function wholeWorld(): { perms: number; id: { scheme: string; id: string } }[] {
  return [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
}

function write(c: Cluster, leader: number, path: string, requestId: number, session: number) {
  c.request(leader, 100, requestId, {
    type: "create", path, data: new Uint8Array([1]), acl: wholeWorld(), flags: 0,
  }, session);
}

function serverTraffic(c: Cluster): Message[] {
  return c.inflight.filter((m) => m.from < 100 && m.to < 100).map((m) => m.msg as Message);
}

describe("secure quorum", () => {
  it("elects and commits with only handshakes and sealed frames between servers", () => {
    const c = new Cluster({ voters: 3, secure: true, keepLog: true }).start();
    const kinds = new Set<string>();
    const seen = (): void => { for (const m of serverTraffic(c)) kinds.add(m.kind); };
    for (let i = 0; i < 200 && c.leader() === undefined; i++) {
      seen();
      c.runFor(20_000);
    }
    const leader = c.elect();
    const session = c.openSession(leader, 100, 1);
    write(c, leader, "/a", 2, session);
    seen();
    c.runFor(500_000);
    expect(c.replyTo(100, 2)?.result.err).toBe("OK");
    expect([...kinds].sort()).toEqual(["handshake", "sealed"]);
    const digests = c.ids.map((id) => c.replica(id).stateMachine.digest());
    expect(new Set(digests).size).toBe(1);
  });

  it("refuses a PROPOSAL with one bit flipped: the follower rejoins and catches up", () => {
    const c = new Cluster({ voters: 3, secure: true, autoPersist: true }).start();
    const leader = c.elect();
    const session = c.openSession(leader, 100, 1);
    const follower = c.ids.find((id) => id !== leader) ?? leader;
    write(c, leader, "/b", 2, session);
    const index = c.inflight.findIndex((m) => m.from === leader && m.to === follower &&
      m.msg.kind === "sealed" && m.msg.channel === "quorum");
    const target = c.inflight[index];
    if (target === undefined || target.msg.kind !== "sealed") throw new Error("no frame in flight");
    const frame = Uint8Array.from(target.msg.frame);
    frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0x10;
    c.inflight[index] = { ...target, msg: { ...target.msg, frame } };
    const rejectedBefore = c.replica(follower).channel?.counters.rejected ?? 0;
    const broke = markHit("learner: connection to the leader broke", () => {
      c.deliver((m) => m === c.inflight[index]);
    });
    expect(broke.hit).toBe(true);
    expect(c.replica(follower).state).toBe("LOOKING");
    expect(c.replica(follower).channel?.counters.rejected).toBe(rejectedBefore + 1);
    c.runFor(2_000_000);
    c.elect();
    expect(c.replyTo(100, 2)?.result.err).toBe("OK");
    const digests = c.ids.map((id) => c.replica(id).stateMachine.digest());
    expect(new Set(digests).size).toBe(1);
  });
});
