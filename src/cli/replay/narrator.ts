/**
 * The learner's view of a trace: one sentence per trace line that says what happened and why,
 * for the text timeline, the Mermaid diagram and the HTML page alike. Votes say whom they
 * propose and, when a server decides, why the winner won; PROPOSAL, ACK and COMMIT name the
 * write (`setData /a`) and count the ACKs towards the quorum; DIFF, TRUNC and SNAP say why the
 * leader chose them (LearnerHandler.syncFollower); faults are in words; zxids in one notation.
 * Lines must be fed in trace order: the narrator keeps the protocol state it explains from.
 */
import type { TraceLine } from "../timeline.js";
import { describeLine } from "../timeline.js";
import type { Extras } from "./capture.js";
import { Ballots, parseVote } from "./votes.js";
import { faultText, recipeText, who, withZxids, zx } from "./words.js";
import { requestText } from "../request-text.js";

const ZXID_FIELD = /zxid=0x([0-9a-f]+)/;

/** What the narrator needs besides the lines. */
export interface NarratorContext {
  readonly extras: Extras;
  /** Voting members (quorums are majorities of these). */
  readonly voters: number;
}

/** One sentence per trace line, in trace order. */
export class Narrator {
  private readonly ballots = new Ballots();
  /** zxid -> what its txn does (latest proposal of that zxid). */
  private readonly writes = new Map<number, string>();
  /** zxid -> servers whose ACK the leader has. */
  private readonly acks = new Map<number, Set<number>>();
  /** "client/op" -> the request. */
  private readonly requests = new Map<string, string>();
  /** "leader/learner" -> the learner's last zxid, from FOLLOWERINFO / ACKEPOCH. */
  private readonly learnerZxid = new Map<string, number>();
  /** The request delivered last (event index and what it asks), to name a txn it caused. */
  private lastRequest = { i: -1, asked: "" };
  /** Fingerprint -> label, for txns the book cannot name (a lone leader's proposal). */
  private readonly guessed = new Map<string, string>();

  /** The event index of the line being told. */
  private index = -1;

  constructor(private readonly context: NarratorContext) {}

  /**
   * What a txn does: the book's label, or for a txn no packet carried, the request the leader
   * received in the same event (the leader preps a write as it arrives, PrepRequestProcessor).
   */
  private label(fingerprint: string): string {
    const book = this.context.extras.book;
    return book.knows(fingerprint) ? book.label(fingerprint)
      : this.guessed.get(fingerprint) ?? book.label(fingerprint);
  }

  /** The sentence for `line` (the next line of the trace). */
  text(line: TraceLine): string {
    this.index = line.i;
    switch (line.kind) {
      case "deliver":
        return this.message(line);
      case "observe":
        return this.observation(line["observation"] as Record<string, unknown>);
      case "fault":
        return `FAULT: ${faultText(line["fault"] as Record<string, unknown>)}`;
      case "crash":
        return `${who(Number(line["node"]))} is down` +
          (line["torn"] === null ? "" : ` (its last write is torn: ${String(line["torn"])})`);
      case "start":
        return line["cause"] === "boot" ? "START (boot)" : "START (restart): recovers from disk";
      case "drop":
        return `${describeLine(line).text.replace(/ dropped .*/, "")} message lost ` +
          `(${String(line["reason"])})`;
      default:
        return withZxids(describeLine(line).text);
    }
  }

  /** The label of the write at `zxid`, or "" when unknown. */
  writeAt(zxid: number): string {
    return this.writes.get(zxid) ?? "";
  }

  private named(zxid: number): string {
    const write = this.writes.get(zxid);
    return write === undefined ? zx(zxid) : `${zx(zxid)} ${write}`;
  }

  private message(line: TraceLine): string {
    const text = String(line["message"]);
    const from = Number(line["from"]);
    const to = Number(line["to"]);
    const arrow = `${from}->${to}`;
    const vote = parseVote(text);
    if (vote !== undefined) {
      this.ballots.receive(from, to, vote);
      return `${arrow} vote (${vote.state}, round ${vote.round}): server ${vote.leader} ` +
        `(epoch ${vote.peerEpoch}, zxid ${zx(vote.zxid)})`;
    }
    const type = text.split(" ", 1)[0] ?? "";
    const direct = /^REQUEST #\d+ (\S+ \S+)/.exec(text);
    if (direct !== null) this.lastRequest = { i: this.index, asked: direct[1] ?? "" };
    const match = ZXID_FIELD.exec(text);
    const zxid = match === null ? 0 : parseInt(match[1] ?? "0", 16);
    const said = this.packet(type, text, zxid, from, to, line["id"] as number);
    return `${arrow} ${said ?? withZxids(text)}`;
  }

  private packet(
    type: string, text: string, zxid: number, from: number, to: number, id: number,
  ): string | undefined {
    switch (type) {
      case "PROPOSAL":
      case "INFORM": {
        const fingerprint = this.context.extras.proposals.get(id);
        if (fingerprint !== undefined) {
          this.writes.set(zxid, this.context.extras.book.label(fingerprint));
        }
        return `${type} ${this.named(zxid)}`;
      }
      case "ACK":
        return this.ack(zxid, from, to);
      case "COMMIT":
        return `COMMIT ${this.named(zxid)}: a quorum logged it, server ${to} may apply it`;
      case "FOLLOWERINFO":
      case "OBSERVERINFO":
        this.learnerZxid.set(`${to}/${from}`, zxid);
        return `${type}: server ${from} joins leader ${to}; its last zxid is ${zx(zxid)}`;
      case "LEADERINFO":
        return `LEADERINFO: server ${from} proposes epoch ${Math.floor(zxid / 2 ** 32)}`;
      case "ACKEPOCH":
        this.learnerZxid.set(`${to}/${from}`, zxid);
        return `ACKEPOCH: server ${from} accepts the new epoch; its last zxid is ${zx(zxid)}`;
      default:
        return this.syncPacket(type, text, zxid, from, to);
    }
  }

  private ack(zxid: number, from: number, leader: number): string {
    if (zxid % 2 ** 32 === 0) {
      return `ACK of NEWLEADER ${zx(zxid)}: server ${from} has logged the leader's history`;
    }
    let acked = this.acks.get(zxid);
    if (acked === undefined) this.acks.set(zxid, acked = new Set());
    acked.add(from);
    // The leader's own ACK comes when its own log write is synced (Leader.propose logs the txn
    // like any follower); the trace does not show that moment, so it is named, not counted.
    const quorum = Math.floor(this.context.voters / 2) + 1;
    const count = acked.size + 1;
    const verdict = count === quorum ? `: with the leader's own ACK (once its log is synced), ` +
      `a quorum of ${quorum} of ${this.context.voters}: the leader can COMMIT`
      : count > quorum ? " (past the quorum)"
        : ` (${count} of the ${quorum} needed, with the leader's)`;
    return `ACK ${this.named(zxid)} from server ${from}${verdict}`;
  }

  private syncPacket(
    type: string, text: string, zxid: number, from: number, to: number,
  ): string | undefined {
    const peer = this.learnerZxid.get(`${from}/${to}`);
    const had = peer === undefined ? "" : ` (it has up to ${zx(peer)})`;
    switch (type) {
      case "DIFF":
        return `DIFF to ${zx(zxid)}: server ${to}'s log${had} is a prefix of the leader's; ` +
          "the leader sends only the committed proposals it lacks";
      case "TRUNC":
        return `TRUNC to ${zx(zxid)}: server ${to}${had} logged proposals the leader never ` +
          "committed; the leader tells it to cut its log back to here";
      case "SNAP":
        return `SNAP at ${zx(zxid)}: server ${to}${had} is too far behind for a DIFF; ` +
          "the leader sends its whole tree";
      case "NEWLEADER":
        return `NEWLEADER ${zx(zxid)}: server ${to} has the leader's history; it acks once logged`;
      case "UPTODATE":
        return `UPTODATE: server ${to} is in sync and starts serving`;
      case "REQUEST":
        return this.forwarded(text, from);
      default:
        return undefined;
    }
  }

  private forwarded(text: string, from: number): string {
    const m = /REQUEST client=(\d+) id=(-?\d+)/.exec(text);
    if (m === null) return withZxids(text);
    const asked = Number(m[2]) < 0 ? "createSession"
      : this.requests.get(`${m[1]}/${m[2]}`) ?? `request ${m[2]}`;
    this.lastRequest = { i: this.index, asked: asked.split(" ").slice(0, 2).join(" ") };
    return `REQUEST: server ${from} forwards client ${m[1]}'s ${asked} to the leader`;
  }

  private observation(o: Record<string, unknown>): string {
    const node = Number(o["node"]);
    const zxid = Number(o["zxid"]);
    switch (o["kind"]) {
      case "state":
        return this.state(node, String(o["state"]), Number(o["epoch"]));
      case "established":
        return `ESTABLISHED: server ${node} leads epoch ${String(o["epoch"])}: a quorum acked ` +
          `NEWLEADER; its history ends at ${zx(Number(o["lastZxid"]))}`;
      case "propose": {
        const fingerprint = String(o["txn"]);
        if (!this.context.extras.book.knows(fingerprint) && this.lastRequest.i === this.index) {
          this.guessed.set(fingerprint, this.lastRequest.asked);
        }
        const write = this.label(fingerprint);
        this.writes.set(zxid, write);
        this.acks.delete(zxid);
        return `proposes ${zx(zxid)} ${write}`;
      }
      case "deliver":
        return `applies ${zx(zxid)} ${this.label(String(o["txn"]))}`;
      case "restore":
        return o["cause"] === "snap" ? `installs the leader's SNAP: its tree is at ${zx(zxid)}`
          : `recovers its tree from disk (snapshot + log) up to ${zx(zxid)}`;
      case "truncate":
        return `truncates its log to ${zx(zxid)} (TRUNC)`;
      case "invoke":
        this.requests.set(`${String(o["client"])}/${String(o["op"])}`, requestText(o["request"]));
        return `client ${String(o["client"])} asks server ${String(o["node"])}: ` +
          requestText(o["request"]);
      case "complete":
        return this.complete(o);
      case "recipe":
        return recipeText(o["event"] as Record<string, unknown>, Number(o["session"]));
      case "expire":
        return `EXPIRES session ${Number(o["session"]).toString(16)}: nothing heard from it ` +
          "for its timeout; its ephemerals go with the closeSession";
      case "session":
        return `session ${Number(o["session"]).toString(16)} ${String(o["event"]).toUpperCase()}` +
          (o["event"] === "expired" ? ": the ensemble no longer knows it" : "");
      default:
        return JSON.stringify(o);
    }
  }

  private state(node: number, state: string, epoch: number): string {
    if (state === "LOOKING") {
      this.ballots.looking(node);
      return `is LOOKING (accepted epoch ${epoch}): it runs Fast Leader Election`;
    }
    const why = this.ballots.explain(node, this.context.voters);
    return `is ${state} (accepted epoch ${epoch})${why === undefined ? "" : `: ${why}`}`;
  }

  private complete(o: Record<string, unknown>): string {
    const asked = this.requests.get(`${String(o["client"])}/${String(o["op"])}`) ?? "request";
    const write = typeof o["txn"] === "string" ? ` at ${zx(Number(o["zxid"]))}` : "";
    return `client ${String(o["client"])} <- ${String(o["err"])}${write} for ${asked}`;
  }
}

/** Every line's sentence, in order. */
export function narrateAll(lines: readonly TraceLine[], context: NarratorContext): string[] {
  const narrator = new Narrator(context);
  return lines.map((line) => narrator.text(line));
}
