/**
 * The leader-learner stream over a lossy network (connection.ts): whatever order and
 * duplication the network produces, the receiver hands over each packet once, in send order,
 * never past a gap; and a gap that outlasts the reorder buffer breaks the connection. Closing
 * is TCP's FIN: it arrives after every packet sent before it, whatever the network did, and
 * nothing is handed over after it; an end that already read its peer's FIN sends none back.
 */
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Connection, REORDER_BUFFER_MAX } from "../../../src/consensus/connection.js";
import type { ServerId, Zxid } from "../../../src/consensus/ids.js";
import type { QuorumEnvelope } from "../../../src/consensus/messages.js";

function ping(n: number): QuorumEnvelope["packet"] {
  return { type: "PING", zxid: n as Zxid, sessions: [] };
}

/** A plain connection wraps every packet at once. */
function send(sender: Connection, packet: QuorumEnvelope["packet"]): QuorumEnvelope {
  const envelope = sender.wrap(packet);
  if (envelope?.kind !== "quorum") throw new Error("a plain connection sends plain envelopes");
  return envelope;
}

describe("Connection", () => {
  test.prop([fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(
    fc.constant(n),
    fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 10 }),
  ))])("delivers each packet once, in order, despite reordering and copies", ([n, order, dups]) => {
    const sender = new Connection(2 as ServerId, 7);
    const receiver = new Connection(1 as ServerId, 7);
    const sent = Array.from({ length: n }, (_, i) => send(sender, ping(i)));
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
      const sent = Array.from({ length: n }, (_, i) => send(sender, ping(i)));
      const got = sent.filter((_, i) => i !== lost).flatMap((e) => receiver.accept(e));
      expect(got.length).toBe(lost);
    });

  it("breaks when the gap outlasts the reorder buffer", () => {
    const sender = new Connection(2 as ServerId, 7);
    const receiver = new Connection(1 as ServerId, 7);
    const sent = Array.from({ length: REORDER_BUFFER_MAX + 3 }, (_, i) => send(sender, ping(i)));
    for (const envelope of sent.slice(1)) receiver.accept(envelope);
    expect(receiver.broken).toBe(true);
    expect(receiver.accept(sent[0] as QuorumEnvelope)).toEqual([]);
  });

  test.prop([fc.integer({ min: 0, max: 20 }).chain((n) => fc.tuple(
    fc.constant(n),
    fc.shuffledSubarray([...Array(n + 1).keys()], { minLength: n + 1, maxLength: n + 1 }),
  ))])("a FIN comes after every packet sent before it, and ends the stream", ([n, order]) => {
    const sender = new Connection(2 as ServerId, 7);
    const receiver = new Connection(1 as ServerId, 7);
    const sent = Array.from({ length: n }, (_, i) => send(sender, ping(i)));
    const fin = sender.close();
    expect(fin?.kind === "quorum" ? fin.packet.type : undefined).toBe("FIN");
    const all = [...sent, fin as QuorumEnvelope];
    const got = order.flatMap((i) => receiver.accept(all[i] as QuorumEnvelope));
    expect(got.map((p) => p.type)).toEqual([...Array(n).fill("PING"), "FIN"]);
    expect(receiver.peerClosed).toBe(true);
    expect(receiver.accept({ ...(fin as QuorumEnvelope), seq: n + 1 })).toEqual([]);
    expect(receiver.close()).toBeUndefined(); // the peer is gone: nothing to send
    expect(sender.close()).toBeUndefined(); // closed once
    expect(() => sender.wrap(ping(0))).toThrow();
  });
});
