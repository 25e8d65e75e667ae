/**
 * The leader-learner stream over a lossy network (connection.ts): whatever order and
 * duplication the network produces, the receiver hands over each packet once, in send order,
 * never past a gap; and a gap that outlasts the reorder buffer breaks the connection.
 */
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Connection, REORDER_BUFFER_MAX } from "../../../src/consensus/connection.js";
import type { ServerId, Zxid } from "../../../src/consensus/ids.js";
import type { QuorumEnvelope } from "../../../src/consensus/messages.js";

function ping(n: number): QuorumEnvelope["packet"] {
  return { type: "PING", zxid: n as Zxid, sessions: [] };
}

describe("Connection", () => {
  test.prop([fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(
    fc.constant(n),
    fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 10 }),
  ))])("delivers each packet once, in order, despite reordering and copies", ([n, order, dups]) => {
    const sender = new Connection(2 as ServerId, 7);
    const receiver = new Connection(1 as ServerId, 7);
    const sent = Array.from({ length: n }, (_, i) => sender.wrap(ping(i)));
    const arrivals = [...order, ...dups].map((i) => sent[i] as QuorumEnvelope);
    const got = arrivals.flatMap((e) => receiver.accept(e))
      .map((p) => (p.type === "PING" ? p.zxid : -1));
    expect(got).toEqual([...Array(n).keys()]);
    expect(receiver.broken).toBe(false);
  });

  test.prop([fc.integer({ min: 2, max: 30 }), fc.integer({ min: 0, max: 29 })])(
    "never hands over a packet past a lost one", (n, lostAt) => {
      const lost = lostAt % n;
      const sender = new Connection(2 as ServerId, 7);
      const receiver = new Connection(1 as ServerId, 7);
      const sent = Array.from({ length: n }, (_, i) => sender.wrap(ping(i)));
      const got = sent.filter((_, i) => i !== lost).flatMap((e) => receiver.accept(e));
      expect(got.length).toBe(lost);
    });

  it("breaks when the gap outlasts the reorder buffer", () => {
    const sender = new Connection(2 as ServerId, 7);
    const receiver = new Connection(1 as ServerId, 7);
    const sent = Array.from({ length: REORDER_BUFFER_MAX + 3 }, (_, i) => sender.wrap(ping(i)));
    for (const envelope of sent.slice(1)) receiver.accept(envelope);
    expect(receiver.broken).toBe(true);
    expect(receiver.accept(sent[0] as QuorumEnvelope)).toEqual([]);
  });
});
