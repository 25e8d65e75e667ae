/**
 * The pure parts of the real-ensemble runner: reading `srvr` answers (down, not serving, or a
 * mode and a zxid), the majority quorum, and `caughtUp`, the rule that decides when a follower
 * has applied what its leader committed, including ZooKeeper 3.8's quirk that a new leader
 * reports `epoch * 2^32` while its synced followers report the last zxid they applied.
 */
import { describe, expect, it } from "vitest";
import { caughtUp, epochOfZxid, quorumOf } from "../../../src/real/ensemble-status.js";
import { parseSrvr } from "../../../src/real/four-letter.js";

const SRVR_LEADER = [
  "Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC",
  "Latency min/avg/max: 0/0.0/0",
  "Received: 3",
  "Sent: 2",
  "Connections: 1",
  "Outstanding: 0",
  "Zxid: 0x200000003",
  "Mode: leader",
  "Node count: 5",
  "Proposal sizes last/min/max: -1/-1/-1",
  "",
].join("\n");

describe("parseSrvr", () => {
  it("reads the mode and the zxid of a serving server", () => {
    expect(parseSrvr(SRVR_LEADER)).toEqual({ kind: "serving", mode: "leader", zxid: 0x200000003n });
    expect(parseSrvr(SRVR_LEADER.replace("leader", "follower"))).toMatchObject({
      mode: "follower",
    });
  });

  it("tells a server that does not serve from one that does not answer", () => {
    expect(parseSrvr("This ZooKeeper instance is not currently serving requests\n")).toEqual({
      kind: "notServing",
    });
    expect(parseSrvr("")).toEqual({ kind: "down" });
    expect(parseSrvr("Zookeeper version: 3.8.0\nMode: leader\n")).toEqual({ kind: "notServing" });
  });
});

describe("quorumOf and epochOfZxid", () => {
  it("is a strict majority", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(quorumOf)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  it("takes the high 32 bits of a zxid", () => {
    expect(epochOfZxid(0x300000007n)).toBe(3n);
    expect(epochOfZxid(0xffffffffn)).toBe(0n);
  });
});

describe("caughtUp", () => {
  const E2 = 2n * 2n ** 32n;

  it("holds when the follower reports the leader's zxid, and not before", () => {
    expect(caughtUp(E2 + 5n, E2 + 5n, 0n)).toBe(true);
    expect(caughtUp(E2 + 4n, E2 + 5n, 0n)).toBe(false);
  });

  it("at a new leader with no txn yet, asks for every zxid applied in earlier epochs", () => {
    const committed = 2n ** 32n + 9n;
    expect(caughtUp(committed, E2, committed)).toBe(true);
    expect(caughtUp(committed - 1n, E2, committed)).toBe(false);
    expect(caughtUp(0n, E2, 0n)).toBe(true);
  });

  it("never counts a follower ahead of its leader as caught up", () => {
    expect(caughtUp(E2 + 1n, E2, 0n)).toBe(false);
  });
});
