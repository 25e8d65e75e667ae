/**
 * Secure quorum connections (connection.ts with channel-end.ts) and election sessions
 * (election-channel.ts), driven by hand between two replicas' setups. A learner's packets wait
 * for the handshake and keep their numbers; after it, the stream is the plain connection's
 * (in order, once, despite reordering and copies). A frame with one bit flipped, a frame from an
 * earlier connection relabelled into this one, and a frame moved to another position each break
 * the connection and are counted; a plain packet on a secure connection is refused but does not
 * break it. The planted `replayable-counter` bug hands a replayed frame over again. Election
 * sessions: the higher sid connects, a lower sid asks; a replayed frame or an old session's
 * frame never reaches FLE; after either side restarts, they find each other again.
 */
import { describe, expect, it } from "vitest";
import { ChannelIdentity, seededRandom } from "../../../src/crypto/index.js";
import { ChannelEnd } from "../../../src/consensus/channel-end.js";
import type { ChannelSetup } from "../../../src/consensus/channel-end.js";
import type { BugName } from "../../../src/consensus/bugs.js";
import { Connection } from "../../../src/consensus/connection.js";
import { ElectionChannels } from "../../../src/consensus/election-channel.js";
import type { ServerId, Zxid } from "../../../src/consensus/ids.js";
import type {
  HandshakeMessage, Message, Notification, QuorumPacket, SealedEnvelope,
} from "../../../src/consensus/messages.js";
import { Prng } from "../../../src/util/index.js";

const LEADER = 1 as ServerId;
const LEARNER = 2 as ServerId;

function setups(bugs: BugName[] = []): Map<ServerId, ChannelSetup> {
  const ids = [LEADER, LEARNER].map((sid) =>
    ChannelIdentity.generate(sid, seededRandom(new Prng(3, `id${sid}`))));
  const peers = new Map(ids.map((id) => [id.sid, id.publicKey] as const));
  return new Map(ids.map((identity) => [identity.sid as ServerId, {
    identity, peers, bugs: new Set(bugs), counters: { rejected: 0 },
    random: seededRandom(new Prng(3, `eph${identity.sid}`)),
  }]));
}

function setupOf(all: Map<ServerId, ChannelSetup>, sid: ServerId): ChannelSetup {
  const setup = all.get(sid);
  if (setup === undefined) throw new Error("no setup");
  return setup;
}

function ping(n: number): QuorumPacket {
  return { type: "PING", zxid: n as Zxid, sessions: [] };
}

/** A learner connected to the leader on `conn`, with `count` PINGs sent and their frames. */
function connected(all: Map<ServerId, ChannelSetup>, conn: number, count: number) {
  const learner = new Connection(LEADER, conn,
    ChannelEnd.initiate(setupOf(all, LEARNER), LEADER, conn));
  const sent = Array.from({ length: count }, (_, i) => learner.wrap(ping(i)));
  expect(sent.every((m) => m === undefined)).toBe(true); // they wait for the handshake
  const init = learner.opening() as HandshakeMessage;
  expect(init).toMatchObject({ kind: "handshake", stage: "init", conn });
  const end = ChannelEnd.respond(setupOf(all, LEADER), LEARNER, init);
  if (end === undefined) throw new Error("handshake refused");
  const leader = new Connection(LEARNER, conn, end);
  expect(learner.channel?.complete(end.message)).toBe(true);
  const frames = learner.flush();
  expect(frames.map((f) => f.seq)).toEqual([...Array(count).keys()]);
  return { learner, leader, frames };
}

function flip(frame: SealedEnvelope, bit: number): SealedEnvelope {
  const bytes = Uint8Array.from(frame.frame);
  bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return { ...frame, frame: bytes };
}

describe("a secure quorum connection", () => {
  it("delivers the waiting packets in order after the handshake, whatever the arrival order", () => {
    const { leader, frames } = connected(setups(), 7, 5);
    const order = [3, 0, 4, 1, 1, 2, 0];
    const got = order.flatMap((i) => leader.accept(frames[i] as SealedEnvelope));
    expect(got).toEqual([0, 1, 2, 3, 4].map(ping));
    expect(leader.broken).toBe(false);
  });

  it("breaks on a frame with one bit flipped, and counts it", () => {
    const all = setups();
    const { leader, frames } = connected(all, 7, 3);
    expect(leader.accept(frames[0] as SealedEnvelope)).toEqual([ping(0)]);
    expect(leader.accept(flip(frames[1] as SealedEnvelope, 100))).toEqual([]);
    expect(leader.broken).toBe(true);
    expect(leader.accept(frames[1] as SealedEnvelope)).toEqual([]); // broken for good
    expect(setupOf(all, LEADER).counters.rejected).toBe(1);
  });

  it("breaks on a frame moved to another position", () => {
    const { leader, frames } = connected(setups(), 7, 3);
    expect(leader.accept({ ...(frames[2] as SealedEnvelope), seq: 0 })).toEqual([]);
    expect(leader.broken).toBe(true);
  });

  it("breaks on a frame of an earlier connection relabelled into this one", () => {
    const all = setups();
    const old = connected(all, 7, 3);
    const fresh = connected(all, 8, 3);
    expect(fresh.leader.accept({ ...(old.frames[0] as SealedEnvelope), conn: 8 })).toEqual([]);
    expect(fresh.leader.broken).toBe(true);
  });

  it("with the no-ephemeral-handshake bug, takes that old frame as its own", () => {
    const all = setups(["no-ephemeral-handshake"]);
    const old = connected(all, 7, 3);
    const fresh = connected(all, 8, 3);
    expect(fresh.leader.accept({ ...(old.frames[0] as SealedEnvelope), conn: 8 }))
      .toEqual([ping(0)]);
  });

  it("refuses a plain packet without breaking", () => {
    const all = setups();
    const { leader, frames } = connected(all, 7, 1);
    expect(leader.accept({ kind: "quorum", conn: 7, seq: 0, packet: ping(9) })).toEqual([]);
    expect(leader.broken).toBe(false);
    expect(leader.accept(frames[0] as SealedEnvelope)).toEqual([ping(0)]);
    expect(setupOf(all, LEADER).counters.rejected).toBe(1);
  });

  it("drops a replayed frame; the replayable-counter bug hands it over again", () => {
    for (const [bugs, again] of [[[], []], [["replayable-counter"], [ping(0)]]] as const) {
      const { leader, frames } = connected(setups([...bugs]), 7, 2);
      expect(leader.accept(frames[0] as SealedEnvelope)).toEqual([ping(0)]);
      expect(leader.accept(frames[1] as SealedEnvelope)).toEqual([ping(1)]);
      expect(leader.accept(frames[0] as SealedEnvelope)).toEqual(again);
    }
  });

  it("refuses a handshake from a sid without a pinned key", () => {
    const all = setups();
    const init: HandshakeMessage = {
      kind: "handshake", channel: "quorum", stage: "init", conn: 1, ephemeral: new Uint8Array(32),
    };
    expect(ChannelEnd.respond(setupOf(all, LEADER), 99 as ServerId, init)).toBeUndefined();
    expect(setupOf(all, LEADER).counters.rejected).toBe(1);
  });
});

const vote = (round: number): Notification => ({
  kind: "notification", state: "LOOKING", leader: LEARNER, zxid: 0 as Zxid,
  electionEpoch: round, peerEpoch: 0 as Notification["peerEpoch"],
});

/** Two servers' election channels and a wire that delivers everything at once. */
class Pair {
  readonly all = setups();
  readonly low = this.channels(LEADER);
  readonly high = this.channels(LEARNER);
  /** Notifications FLE received, by receiver. */
  readonly heard = new Map<ServerId, number[]>([[LEADER, []], [LEARNER, []]]);
  /** Every frame that crossed, by sender. */
  readonly frames: { from: ServerId; frame: SealedEnvelope }[] = [];

  channels(sid: ServerId): ElectionChannels {
    const conns = new Prng(9, `conn${sid}`);
    return new ElectionChannels(setupOf(this.all, sid), sid, () => conns.nextUint32());
  }

  of(sid: ServerId): ElectionChannels {
    return sid === LEADER ? this.low : this.high;
  }

  send(from: ServerId, round: number): void {
    const to = from === LEADER ? LEARNER : LEADER;
    this.deliver(from, to, this.of(from).send(to, vote(round)));
  }

  deliver(from: ServerId, to: ServerId, messages: Message[]): void {
    for (const message of messages) {
      if (message.kind === "handshake") {
        this.deliver(to, from, this.of(to).onHandshake(from, message));
      } else if (message.kind === "sealed") {
        this.frames.push({ from, frame: message });
        const { notification, out } = this.of(to).open(from, message);
        if (notification !== undefined) this.heard.get(to)?.push(notification.electionEpoch);
        this.deliver(to, from, out);
      } else {
        throw new Error(`unexpected ${message.kind}`);
      }
    }
  }
}

describe("election sessions", () => {
  it("open from either side and carry notifications both ways", () => {
    const pair = new Pair();
    pair.send(LEADER, 1); // the lower sid asks; the higher connects; the vote follows
    pair.send(LEARNER, 2);
    pair.send(LEADER, 3);
    expect(pair.heard.get(LEARNER)).toEqual([1, 3]);
    expect(pair.heard.get(LEADER)).toEqual([2]);
  });

  it("never hand a replayed frame to FLE", () => {
    const pair = new Pair();
    pair.send(LEARNER, 1);
    pair.send(LEARNER, 2);
    for (const { from, frame } of [...pair.frames]) {
      if (from === LEARNER) pair.deliver(LEARNER, LEADER, [frame]);
    }
    expect(pair.heard.get(LEADER)).toEqual([1, 2]);
  });

  it("find each other again after either side restarts", () => {
    const pair = new Pair();
    pair.send(LEARNER, 1);
    pair.send(LEADER, 2);
    pair.low.reset();
    pair.send(LEARNER, 3); // lost: the restarted lower sid has no session; it asks
    pair.send(LEADER, 4);
    pair.send(LEARNER, 5);
    pair.high.reset();
    pair.send(LEADER, 6); // lost: the restarted higher sid has no session; it connects anew
    pair.send(LEARNER, 7);
    pair.send(LEADER, 8);
    expect(pair.heard.get(LEADER)).toEqual([1, 5, 7]);
    expect(pair.heard.get(LEARNER)).toEqual([2, 4, 8]);
  });
});
