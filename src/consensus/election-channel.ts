/**
 * Secure election traffic: FLE notifications sealed on authenticated sessions, one per pair of
 * servers, as QuorumCnxManager keeps one connection per pair on the election port.
 *
 * - Who connects: the higher sid, always (QuorumCnxManager keeps only the connection the larger
 *   sid opened; a smaller sid's attempt makes the larger one connect back). A lower sid with
 *   nothing to send on sends `ask`, which carries no key and proves nothing: at worst a forged
 *   one costs a handshake.
 * - The handshake is the quorum connection's (channel-end.ts, crypto/channel.ts), bound to the
 *   purpose "election". The initiator's first frame is an empty `ready`, so the responder learns
 *   that the session is real before it sends on it: a replayed init makes the responder answer
 *   a session nobody holds, which it keeps aside and never sends on.
 * - Frames: the counter nonce must grow. FLE tolerates lost notifications (it re-sends on its
 *   timeouts), so a frame arriving after a later one is dropped rather than waited for; a
 *   duplicate or a replay never gets through. A frame the receiver cannot open (no such session,
 *   or a forged or altered one) is dropped and counted, and from the higher sid it also makes
 *   the receiver ask for a fresh session: its peer may have restarted, or been fooled.
 * - At most one notification waits per peer while its session opens: FLE only needs the latest.
 *
 * All of it is volatile: a restart forgets every session, as a restarted process has no sockets.
 */
import { assert } from "../util/index.js";
import type { ChannelSetup } from "./channel-end.js";
import { ChannelEnd } from "./channel-end.js";
import type { ServerId } from "./ids.js";
import type { HandshakeMessage, Message, Notification, SealedEnvelope } from "./messages.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Sessions kept per peer, newest first (older ones still open frames in flight). */
const SESSIONS_MAX = 4;

/** The initiator's first frame: the session is real. */
const READY = encoder.encode("{}");

interface Session {
  readonly end: ChannelEnd;
  nextSendSeq: number;
  /** The highest counter opened so far (-1: none). */
  lastReceivedSeq: number;
  /** True once the peer proved it holds the session (an initiator's end: at once). */
  confirmed: boolean;
}

interface Peer {
  /** Sessions, newest first. */
  sessions: Session[];
  /** The higher sid's handshake under way. */
  opening: ChannelEnd | undefined;
  /** The notification waiting for a session. */
  waiting: Notification | undefined;
}

export class ElectionChannels {
  private readonly setup: ChannelSetup;
  private readonly myid: ServerId;
  private readonly nextConn: () => number;
  private readonly peers = new Map<ServerId, Peer>();

  constructor(setup: ChannelSetup, myid: ServerId, nextConn: () => number) {
    this.setup = setup;
    this.myid = myid;
    this.nextConn = nextConn;
  }

  /** Forgets every session (a restart). */
  reset(): void {
    this.peers.clear();
  }

  private peer(sid: ServerId): Peer {
    let peer = this.peers.get(sid);
    if (peer === undefined) {
      peer = { sessions: [], opening: undefined, waiting: undefined };
      this.peers.set(sid, peer);
    }
    return peer;
  }

  /** What to send for a notification to `to`: its frame, or what opens a session. */
  send(to: ServerId, notification: Notification): Message[] {
    const peer = this.peer(to);
    const session = peer.sessions.find((s) => s.confirmed);
    if (session !== undefined) return [seal(session, encoder.encode(JSON.stringify(notification)))];
    peer.waiting = notification;
    return this.connect(to, peer);
  }

  /** The higher sid opens (or re-sends its init); the lower sid asks. */
  private connect(to: ServerId, peer: Peer): Message[] {
    if (this.myid < to) {
      return [{ kind: "handshake", channel: "election", stage: "ask", conn: 0,
        ephemeral: new Uint8Array(0) }];
    }
    peer.opening ??= ChannelEnd.initiate(this.setup, to, this.nextConn(), "election");
    return [peer.opening.message];
  }

  /** An election handshake message from `from`; returns what to send back. */
  onHandshake(from: ServerId, msg: HandshakeMessage): Message[] {
    assert(msg.channel === "election", "an election handshake");
    const peer = this.peer(from);
    switch (msg.stage) {
      case "ask":
        // The lower sid has no session it can use: open one (or re-send the init under way).
        if (this.myid < from) return [];
        return this.connect(from, peer);
      case "init": {
        if (this.myid > from) return [];
        const known = peer.sessions.find((s) => s.end.answers(msg));
        if (known !== undefined) return [known.end.message];
        const end = ChannelEnd.respond(this.setup, from, msg);
        if (end === undefined) return [];
        keep(peer, { end, nextSendSeq: 0, lastReceivedSeq: -1, confirmed: false });
        return [end.message];
      }
      case "reply":
        return this.onReply(from, peer, msg);
    }
  }

  private onReply(from: ServerId, peer: Peer, msg: HandshakeMessage): Message[] {
    const opening = peer.opening;
    if (opening === undefined || msg.conn !== opening.conn || !opening.complete(msg)) return [];
    peer.opening = undefined;
    const session: Session = { end: opening, nextSendSeq: 0, lastReceivedSeq: -1, confirmed: true };
    keep(peer, session);
    const out: Message[] = [seal(session, READY)];
    const waiting = peer.waiting;
    peer.waiting = undefined;
    if (waiting !== undefined) out.push(...this.send(from, waiting));
    return out;
  }

  /**
   * A sealed election frame from `from`: the notification it carries (undefined when it carries
   * none), and what to send (the waiting notification once a session is confirmed; an ask).
   */
  open(from: ServerId, envelope: SealedEnvelope): { notification?: Notification; out: Message[] } {
    const peer = this.peer(from);
    const session = peer.sessions.find((s) => s.end.conn === envelope.conn);
    const stale = session !== undefined && envelope.seq <= session.lastReceivedSeq;
    if (session === undefined || (stale && !session.end.replayable)) {
      if (session === undefined) this.setup.counters.rejected += 1;
      return { out: session === undefined ? this.askAgain(from, peer) : [] };
    }
    const bytes = session.end.openBytes(envelope);
    if (bytes === undefined) return { out: this.askAgain(from, peer) };
    session.lastReceivedSeq = Math.max(session.lastReceivedSeq, envelope.seq);
    const out: Message[] = [];
    if (!session.confirmed) {
      session.confirmed = true;
      peer.sessions = [session, ...peer.sessions.filter((s) => s !== session)];
      const waiting = peer.waiting;
      peer.waiting = undefined;
      if (waiting !== undefined) out.push(...this.send(from, waiting));
    }
    const notification = decodeNotification(bytes);
    return notification === undefined ? { out } : { notification, out };
  }

  /** A frame from the higher sid that no session opens: ask it for a fresh one. */
  private askAgain(from: ServerId, peer: Peer): Message[] {
    if (this.myid > from) return [];
    peer.sessions = peer.sessions.filter((s) => !s.confirmed);
    return this.connect(from, peer);
  }
}

function keep(peer: Peer, session: Session): void {
  peer.sessions = [session, ...peer.sessions].slice(0, SESSIONS_MAX);
}

function seal(session: Session, bytes: Uint8Array): SealedEnvelope {
  const seq = session.nextSendSeq;
  session.nextSendSeq += 1;
  return session.end.sealBytes(seq, bytes);
}

/** A notification from an opened frame, or undefined (`ready`, or not a notification). */
function decodeNotification(bytes: Uint8Array): Notification | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const n = value as Partial<Notification>;
  if (n.kind !== "notification" || typeof n.state !== "string") return undefined;
  const numbers = [n.leader, n.zxid, n.electionEpoch, n.peerEpoch];
  if (!numbers.every((x) => typeof x === "number" && Number.isSafeInteger(x))) return undefined;
  return n as Notification;
}
