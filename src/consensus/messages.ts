/**
 * What replicas send each other: FLE notifications (the election's own channel) and quorum
 * packets (the leader-learner connection, types named as in Leader.java). Quorum packets ride in
 * a `quorum` envelope with a connection id and a sequence number, which gives the replica the
 * FIFO, no-duplicate stream ZooKeeper gets from TCP over a network that may lose, duplicate or
 * reorder (see connection.ts).
 */
import { formatZxid } from "../util/index.js";
import type { ClientId, Epoch, ServerId, Zxid } from "./ids.js";
import type { PeerState } from "../observe/index.js";
import type { PathRequest, RequestMeta, WriteRequest } from "../tree/index.js";
import type { LogEntry, Snapshot } from "./state-machine.js";

/** An FLE notification (FastLeaderElection.Notification / ToSend). */
export interface Notification {
  readonly kind: "notification";
  /** The sender's peer state. */
  readonly state: PeerState;
  readonly leader: ServerId;
  readonly zxid: Zxid;
  readonly electionEpoch: number;
  readonly peerEpoch: Epoch;
}

/** A client write (or sync) a learner forwards to the leader (Leader.REQUEST). */
export interface ForwardedRequest {
  /** The learner that holds the client connection and will answer it. */
  readonly server: ServerId;
  readonly client: ClientId;
  readonly requestId: number;
  readonly meta: RequestMeta;
  readonly request: WriteRequest | PathRequest;
  /**
   * The session moved to this learner since its last request through it: the leader makes the
   * learner its owner before checking the request (what REVALIDATE does in ZooKeeper, carried
   * by the session's first forwarded request instead of a packet of its own).
   */
  readonly moved?: true;
}

/** One packet on a leader-learner connection. */
export type QuorumPacket =
  | { readonly type: "FOLLOWERINFO"; readonly zxid: Zxid }
  | { readonly type: "OBSERVERINFO"; readonly zxid: Zxid }
  | { readonly type: "LEADERINFO"; readonly zxid: Zxid }
  /** `epoch` is the learner's currentEpoch, or -1 when it had already accepted this epoch. */
  | { readonly type: "ACKEPOCH"; readonly zxid: Zxid; readonly epoch: number }
  | { readonly type: "DIFF"; readonly zxid: Zxid }
  | { readonly type: "TRUNC"; readonly zxid: Zxid }
  /**
   * `processed` is the leader's data tree lastProcessedZxid (LearnerHandler.run's zxidToSend),
   * which an established leader holds at makeZxid(epoch, 0): not always a txn's zxid.
   */
  | {
    readonly type: "SNAP"; readonly zxid: Zxid; readonly processed: number;
    readonly snapshot: Snapshot;
  }
  | { readonly type: "PROPOSAL"; readonly entry: LogEntry }
  | { readonly type: "COMMIT"; readonly zxid: Zxid }
  | { readonly type: "INFORM"; readonly entry: LogEntry }
  | { readonly type: "NEWLEADER"; readonly zxid: Zxid }
  | { readonly type: "ACK"; readonly zxid: Zxid }
  | { readonly type: "UPTODATE"; readonly zxid: Zxid }
  /** Leader → learner: liveness. Learner → leader: the sessions its clients touched since. */
  | {
      readonly type: "PING";
      readonly zxid: Zxid;
      readonly sessions: ReadonlyArray<readonly [number, number]>;
    }
  | { readonly type: "REQUEST"; readonly forwarded: ForwardedRequest }
  /** The leader's answer to a forwarded sync: everything proposed before it is committed. */
  | { readonly type: "SYNC"; readonly client: ClientId; readonly requestId: number }
  /**
   * Learner → leader: may a client take over this session here (Learner.validateSession)?
   * Leader → learner: the leader's tracker's answer, `valid` (Leader.revalidateSession).
   */
  | { readonly type: "REVALIDATE"; readonly sessionId: number; readonly valid?: boolean }
  /**
   * Not a ZooKeeper packet: TCP's end of stream. The sender closed its socket; the receiver's
   * next read fails (EOFException) and it gives the connection up (connection.ts).
   */
  | { readonly type: "FIN" };

/** A quorum packet on connection `conn` (chosen by the learner), numbered from 0 per direction. */
export interface QuorumEnvelope {
  readonly kind: "quorum";
  readonly conn: number;
  readonly seq: number;
  readonly packet: QuorumPacket;
}

/**
 * A quorum packet sealed on an authenticated connection (secure quorum, channel-end.ts): the
 * packet's bytes in a secretbox whose nonce is `seq`, under the direction's key of connection
 * `conn`. The header is in the clear, as a TLS record's; changing it changes the nonce or the
 * key, and the frame no longer opens.
 */
export interface SealedEnvelope {
  readonly kind: "sealed";
  /** Which of the two channels between servers: a quorum connection or an election session. */
  readonly channel: ChannelName;
  readonly conn: number;
  readonly seq: number;
  readonly frame: Uint8Array;
}

/** The two kinds of channel between servers (ZooKeeper's quorum port and election port). */
export type ChannelName = "quorum" | "election";

/**
 * A connection's handshake message (secure quorum): `init` from the side that connects (a
 * learner; for election, the higher sid), `reply` from the other, each with the sender's fresh
 * ephemeral X25519 public key. `ask` (election only, no key) asks the higher sid to connect, as
 * a lower sid's connection attempt makes QuorumCnxManager connect back. Who sent a handshake
 * message is the network's `from`, which anyone can forge: the keys it leads to say whether it
 * was true.
 */
export interface HandshakeMessage {
  readonly kind: "handshake";
  readonly channel: ChannelName;
  readonly stage: "init" | "reply" | "ask";
  readonly conn: number;
  readonly ephemeral: Uint8Array;
}

/** What arrives on a quorum connection: plain, sealed, or its handshake. */
export type ConnectionMessage = QuorumEnvelope | SealedEnvelope | HandshakeMessage;

/** Everything one replica can send another. */
export type Message = Notification | ConnectionMessage;

/** One line for a packet, e.g. `ACK zxid=0x100000003`. */
export function renderPacket(packet: QuorumPacket): string {
  switch (packet.type) {
    case "PROPOSAL":
    case "INFORM":
      return `${packet.type} zxid=${formatZxid(packet.entry.zxid)}`;
    case "ACKEPOCH":
      return `ACKEPOCH zxid=${formatZxid(packet.zxid)} epoch=${packet.epoch}`;
    case "REQUEST":
      return `REQUEST client=${packet.forwarded.client} id=${packet.forwarded.requestId}`;
    case "SYNC":
      return `SYNC client=${packet.client} id=${packet.requestId}`;
    case "FIN":
      return "FIN";
    case "REVALIDATE":
      return `REVALIDATE session=0x${packet.sessionId.toString(16)}` +
        (packet.valid === undefined ? "" : ` valid=${packet.valid}`);
    case "SNAP":
    case "FOLLOWERINFO":
    case "OBSERVERINFO":
    case "LEADERINFO":
    case "DIFF":
    case "TRUNC":
    case "COMMIT":
    case "NEWLEADER":
    case "ACK":
    case "UPTODATE":
    case "PING":
      return `${packet.type} zxid=${formatZxid(packet.zxid)}`;
  }
}

/** One line for any message. */
export function renderMessage(message: Message): string {
  if (message.kind === "quorum") return renderPacket(message.packet);
  if (message.kind === "sealed") {
    return `SEALED ${message.channel} conn=${message.conn} seq=${message.seq} ` +
      `bytes=${message.frame.length}`;
  }
  if (message.kind === "handshake") {
    return `HANDSHAKE ${message.channel} ${message.stage} conn=${message.conn}`;
  }
  const n = message;
  return (
    `NOTIFICATION ${n.state} leader=${n.leader} zxid=${formatZxid(n.zxid)} ` +
    `round=${n.electionEpoch} peerEpoch=${n.peerEpoch}`
  );
}
