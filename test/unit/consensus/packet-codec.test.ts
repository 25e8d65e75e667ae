/**
 * The byte encoding of quorum packets in sealed frames (packet-codec.ts): every form round-trips
 * (a proposal with a real txn holding znode data, a forwarded request with data, plain
 * packets), and bytes that are not a packet (another form letter, a cut, JSON of no packet)
 * decode to undefined rather than throwing.
 */
import { describe, expect, it } from "vitest";
import { decodePacket, encodePacket } from "../../../src/consensus/packet-codec.js";
import { StateMachine, serverMeta } from "../../../src/consensus/state-machine.js";
import type { ClientId, ServerId, Zxid } from "../../../src/consensus/ids.js";
import type { QuorumPacket } from "../../../src/consensus/messages.js";

const data = new Uint8Array([0, 1, 2, 250, 255]);

function proposal(): QuorumPacket {
  const machine = new StateMachine();
  machine.startLeading(1 as ServerId, 200, 1_000);
  const zxid = 0x100000001 as Zxid;
  const txn = machine.prep(serverMeta(0), {
    type: "create", path: "/a", data, acl: [{ perms: 31, id: { scheme: "world", id: "anyone" } }],
    flags: 0,
  }, zxid, 1_000);
  return {
    type: "PROPOSAL",
    entry: { zxid, txn, origin: { server: 2 as ServerId, client: 101 as ClientId, requestId: 7 } },
  };
}

describe("packet codec", () => {
  it("round-trips every form", () => {
    const packets: QuorumPacket[] = [
      proposal(),
      { type: "ACK", zxid: 0x100000001 as Zxid },
      { type: "PING", zxid: 5 as Zxid, sessions: [[1, 30_000]] },
      {
        type: "SNAP", zxid: 9 as Zxid, processed: 0x200000000,
        snapshot: { zxid: 9 as Zxid, data: "{}" },
      },
      { type: "FIN" },
      {
        type: "REQUEST", forwarded: {
          server: 2 as ServerId, client: 101 as ClientId, requestId: 3,
          meta: { sessionId: 5, cxid: 1, authInfo: [] },
          request: { type: "setData", path: "/a", data, version: -1 },
        },
      },
    ];
    for (const packet of packets) {
      expect(decodePacket(encodePacket(packet))).toEqual(packet);
    }
  });

  it("refuses bytes that are not a packet, without throwing", () => {
    const bytes = encodePacket(proposal());
    const text = new TextEncoder();
    for (const bad of [
      bytes.subarray(0, 10), bytes.subarray(0, bytes.length - 1), text.encode("X{}"),
      text.encode('J{"type":"NOPE"}'), text.encode("J[1,2]"), new Uint8Array([0xff, 0xfe]),
      text.encode('T{"type":"ACK","zxid":1}\n{}'),
    ]) {
      expect(decodePacket(bad)).toBeUndefined();
    }
  });
});
