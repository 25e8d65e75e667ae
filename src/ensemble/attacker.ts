/**
 * The on-path attacker of `--faults adversary`: it sits on every link between two servers (not
 * on client links) from the start of the fault window until the heal, sees each message just
 * before its delivery (the world's adversary hook), and with a small probability per message
 * attacks it:
 * - tamper: flips one bit of a sealed frame (of a plain packet's encoding, of a notification's
 *   vote, of a handshake's key);
 * - replay: delivers, next to the real message, an old one recorded on the same link, from an
 *   earlier connection or epoch, relabelled with the live connection's id and counter half the
 *   time; or delays or duplicates the real one (counted as replays too: both deliver a frame
 *   again at the wrong place in the stream);
 * - forge: injects a message from a server outside the configuration (its own key pair);
 * - impersonate: injects a message in the name of a member that has been silent for a while
 *   (crashed, most likely): a replay of something it said before, or, when quorum traffic is
 *   secure, a handshake and a frame that it would have to sign with a key it does not have.
 * It never makes a message appear to come from its own receiver (a replica asserts that it
 * never hears itself). What it cannot do: read sealed frames, or hold any member's secret key.
 * All its choices come from its own seeded stream, so a run stays a pure function of its seed.
 */
import { assert } from "../util/assert.js";
import type { Prng } from "../util/prng.js";
import type { Envelope } from "../sim/index.js";
import type { HandshakeMessage, Message, Zxid } from "../consensus/index.js";
import { encodePacket } from "../consensus/index.js";
import type { ChannelIdentity, ChannelPeers } from "../crypto/index.js";
import { EphemeralKey, handshakeKeys, seededRandom } from "../crypto/index.js";
import type { ZabWire } from "./replica-host.js";
import { tampered } from "./tamper.js";

/** The sid the attacker's forgeries claim when it poses as a server of its own. */
export const OUTSIDER_SID = 99;

/** Recent server-to-server messages kept for replays, at most. */
const RECORDED_MAX = 512;

/** Per link, the opening frames of this many connections are archived... */
const ARCHIVED_CONNECTIONS_MAX = 8;
/** ...up to this position in each stream. */
const ARCHIVED_SEQ_MAX = 64;

/** A member silent this long (true time) is taken for crashed, and impersonated. */
const SILENT_MICROS = 1_000_000;

/** What the attacker tried, and what the servers refused (`adversary` in a run's report). */
export interface AdversaryReport {
  readonly tampered: number;
  readonly replayed: number;
  readonly forged: number;
  readonly impersonated: number;
  /** Frames, handshakes and messages the servers refused (secure quorum), summed. */
  readonly rejected: number;
}

export interface AttackerOptions {
  readonly prng: Prng;
  /** The servers' node ids: only links between two of them are attacked. */
  readonly servers: readonly number[];
  /** The attack window, true time: [startMicros, healAtMicros). */
  readonly startMicros: number;
  readonly healAtMicros: number;
  /** Chance that one message in the window is attacked. */
  readonly attackProbability: number;
  /** The outsider's own long-term key pair (not in the configuration). */
  readonly outsider: ChannelIdentity;
  /** The members' public keys (public: the configuration), when quorum traffic is secure. */
  readonly publicKeys?: ChannelPeers;
}

type Action = "tamper" | "replay" | "delay" | "duplicate" | "forge" | "impersonate";

/** Relative weights of the attacks. */
const ACTIONS: readonly (readonly [Action, number])[] = [
  ["tamper", 4], ["replay", 4], ["delay", 1], ["duplicate", 1], ["forge", 1], ["impersonate", 2],
];

/** Default chance per server-to-server message. */
export const ATTACK_PROBABILITY = 0.02;

type Wire = Envelope<ZabWire>;

export class Attacker {
  private readonly options: AttackerOptions;
  private readonly prng: Prng;
  private readonly servers: ReadonlySet<number>;
  private readonly recorded: Wire[] = [];
  private recordedNext = 0;
  /** Per link ("from>to"), per connection id: its first frames, by position. */
  private readonly archive = new Map<string, Map<number, Wire[]>>();
  private readonly lastHeard = new Map<number, number>();
  /** Messages delayed per link ("from>to"), delivered after the link's next one. */
  private readonly delayed = new Map<string, Wire>();
  private counts = { tampered: 0, replayed: 0, forged: 0, impersonated: 0 };

  constructor(options: AttackerOptions) {
    this.options = options;
    this.prng = options.prng;
    this.servers = new Set(options.servers);
  }

  /** What the attacker tried so far; `rejected` is the servers' to add. */
  report(rejected: number): AdversaryReport {
    return { ...this.counts, rejected };
  }

  /** The world's adversary hook. */
  intercept(envelope: Wire, nowMicros: number): Wire | readonly Wire[] | undefined {
    const { from, to } = envelope;
    if (!this.servers.has(from) || !this.servers.has(to)) return envelope;
    if (nowMicros >= this.options.healAtMicros) return this.release(envelope);
    this.lastHeard.set(from, nowMicros);
    const attack = nowMicros >= this.options.startMicros &&
      this.prng.chance(this.options.attackProbability);
    const out = attack ? this.attack(envelope, nowMicros) : [envelope];
    this.record(envelope);
    const held = this.delayed.get(linkOf(envelope));
    // A message delayed just now waits for the link's next one; an older one goes after this.
    if (held === undefined || held === envelope) return out.length === 1 ? out[0] : out;
    this.delayed.delete(linkOf(envelope));
    return [...out, held];
  }

  /** After the heal: delayed messages still go out, nothing else is touched. */
  private release(envelope: Wire): Wire | readonly Wire[] {
    const held = this.delayed.get(linkOf(envelope));
    if (held === undefined) return envelope;
    this.delayed.delete(linkOf(envelope));
    return [envelope, held];
  }

  private record(envelope: Wire): void {
    if (this.recorded.length < RECORDED_MAX) this.recorded.push(envelope);
    else this.recorded[this.recordedNext] = envelope;
    this.recordedNext = (this.recordedNext + 1) % RECORDED_MAX;
    const message = envelope.message;
    if (message.kind !== "quorum" && message.kind !== "sealed") return;
    if (message.seq >= ARCHIVED_SEQ_MAX) return;
    const link = linkOf(envelope);
    let connections = this.archive.get(link);
    if (connections === undefined) {
      connections = new Map();
      this.archive.set(link, connections);
    }
    let frames = connections.get(message.conn);
    if (frames === undefined) {
      frames = [];
      connections.set(message.conn, frames);
      const oldest = connections.keys().next().value;
      if (connections.size > ARCHIVED_CONNECTIONS_MAX && oldest !== undefined) {
        connections.delete(oldest);
      }
    }
    frames[message.seq] ??= envelope;
  }

  /**
   * The frame at the live frame's position on an earlier connection of the same link: relabelled
   * with the live connection's id, it is what a replay into a new connection looks like.
   */
  private alignedReplay(envelope: Wire): ZabWire | undefined {
    const live = envelope.message;
    if (live.kind !== "quorum" && live.kind !== "sealed") return undefined;
    const candidates: ZabWire[] = [];
    for (const [conn, frames] of this.archive.get(linkOf(envelope)) ?? []) {
      const old: ZabWire | undefined = frames[live.seq]?.message;
      if (conn !== live.conn && old !== undefined && old.kind === live.kind) candidates.push(old);
    }
    if (candidates.length === 0) return undefined;
    const old = candidates[this.prng.intBetween(0, candidates.length - 1)];
    return old === undefined ? undefined : { ...old, conn: live.conn } as ZabWire;
  }

  private attack(envelope: Wire, nowMicros: number): Wire[] {
    switch (this.pickAction()) {
      case "tamper":
        return this.tamper(envelope);
      case "replay":
        return this.replay(envelope);
      case "delay":
        if (this.delayed.has(linkOf(envelope))) return [envelope];
        this.delayed.set(linkOf(envelope), envelope);
        this.counts.replayed += 1;
        return [];
      case "duplicate":
        this.counts.replayed += 1;
        return [envelope, envelope];
      case "forge":
        this.counts.forged += 1;
        return [this.forged(envelope, OUTSIDER_SID), envelope];
      case "impersonate":
        return this.impersonate(envelope, nowMicros);
    }
  }

  private pickAction(): Action {
    let total = 0;
    for (const [, weight] of ACTIONS) total += weight;
    let draw = this.prng.intBetween(0, total - 1);
    for (const [action, weight] of ACTIONS) {
      if (draw < weight) return action;
      draw -= weight;
    }
    return "tamper";
  }

  private tamper(envelope: Wire): Wire[] {
    const changed = tampered(envelope.message, this.prng);
    if (changed === undefined) return [envelope];
    this.counts.tampered += 1;
    return [{ ...envelope, message: changed }];
  }

  /**
   * An old message of the same link, before the real one: half the time one from an earlier
   * connection at the live one's position, else any recent one (relabelled half the time).
   */
  private replay(envelope: Wire): Wire[] {
    const aligned = this.prng.chance(0.5) ? this.alignedReplay(envelope) : undefined;
    if (aligned !== undefined) {
      this.counts.replayed += 1;
      return [{ ...envelope, message: aligned }, envelope];
    }
    const candidates = this.recorded.filter((old) =>
      old.to === envelope.to && old.from === envelope.from && old !== envelope);
    if (candidates.length === 0) return [envelope];
    const old = candidates[this.prng.intBetween(0, candidates.length - 1)];
    assert(old !== undefined, "a recorded message");
    this.counts.replayed += 1;
    const live = envelope.message;
    const relabel = this.prng.chance(0.5) && "conn" in live && "conn" in old.message &&
      (live.kind === "quorum" || live.kind === "sealed") &&
      (old.message.kind === "quorum" || old.message.kind === "sealed");
    const message: ZabWire = relabel ? { ...old.message, conn: live.conn, seq: live.seq } as ZabWire
      : old.message;
    return [{ ...envelope, message }, envelope];
  }

  /** A copy of `envelope`'s message (or a new handshake) claiming to come from `sid`. */
  private forged(envelope: Wire, sid: number): Wire {
    const message = envelope.message;
    if (message.kind === "handshake" || message.kind === "sealed") {
      return { ...envelope, from: sid, message: this.forgedFrame(envelope) };
    }
    return { ...envelope, from: sid };
  }

  /**
   * A handshake init, or a first frame, as the attacker can make them: keys from its own
   * identity (the outsider's, however it poses) and the receiver's public key, which the
   * receiver, holding the claimed sender's pinned key, can never match.
   */
  private forgedFrame(envelope: Wire): Message {
    const random = seededRandom(this.prng);
    const ephemeral = EphemeralKey.generate(random);
    const conn = this.prng.nextUint32();
    if (this.prng.chance(0.5)) {
      const init: HandshakeMessage = {
        kind: "handshake", channel: this.prng.chance(0.5) ? "quorum" : "election", stage: "init",
        conn, ephemeral: ephemeral.publicKey,
      };
      return init;
    }
    const peerStatic = this.options.publicKeys?.get(envelope.to) ??
      EphemeralKey.generate(random).publicKey;
    const keys = handshakeKeys({
      role: "initiator", self: this.options.outsider, peerSid: envelope.to, peerStatic, conn,
      ephemeral, peerEphemeral: EphemeralKey.generate(random).publicKey, useEphemeral: true,
      purpose: "quorum",
    });
    const packet = encodePacket({ type: "FOLLOWERINFO", zxid: 0 as Zxid });
    return { kind: "sealed", channel: "quorum", conn, seq: 0, frame: keys.seal(0, packet) };
  }

  /** A member silent for a while (crashed, likely) speaks again: a replay or a forgery. */
  private impersonate(envelope: Wire, nowMicros: number): Wire[] {
    const silent = [...this.servers].filter((sid) => sid !== envelope.to &&
      nowMicros - (this.lastHeard.get(sid) ?? nowMicros) > SILENT_MICROS).sort((a, b) => a - b);
    if (silent.length === 0) return [envelope];
    const sid = silent[this.prng.intBetween(0, silent.length - 1)];
    assert(sid !== undefined, "a silent member");
    this.counts.impersonated += 1;
    const said = this.recorded.filter((old) => old.from === sid && old.to === envelope.to);
    const old = said[this.prng.intBetween(0, Math.max(0, said.length - 1))];
    if (old !== undefined && (old.message.kind === "notification" || this.prng.chance(0.5))) {
      return [{ ...envelope, from: sid, message: old.message }, envelope];
    }
    return [this.forged(envelope, sid), envelope];
  }
}

function linkOf(envelope: Wire): string {
  return `${envelope.from}>${envelope.to}`;
}
