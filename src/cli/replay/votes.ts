/**
 * Why a server wins Fast Leader Election, read off the notifications in the trace. Each server
 * keeps the latest vote it received from every peer; when it leaves LOOKING, the votes it holds
 * show the quorum that agreed, and the candidates it heard of show why the winner beat them:
 * FastLeaderElection.totalOrderPredicate orders votes by (peerEpoch, zxid, server id).
 */
import { formatZxid } from "../../util/index.js";
import { zx } from "./words.js";

/** A vote as a notification carries it: who it proposes, with that candidate's credentials. */
export interface Vote {
  readonly leader: number;
  readonly zxid: number;
  readonly peerEpoch: number;
}

const NOTIFICATION =
  /^NOTIFICATION (\w+) leader=(\d+) zxid=0x([0-9a-f]+) round=(\d+) peerEpoch=(\d+)/;

/** Parses a rendered NOTIFICATION; undefined for any other message. */
export function parseVote(message: string): (Vote & { state: string; round: number }) | undefined {
  const m = NOTIFICATION.exec(message);
  if (m === null) return undefined;
  return {
    state: m[1] ?? "", leader: Number(m[2]), zxid: parseInt(m[3] ?? "0", 16),
    round: Number(m[4]), peerEpoch: Number(m[5]),
  };
}

/** totalOrderPredicate: true when `a` beats `b`. */
export function beats(a: Vote, b: Vote): boolean {
  if (a.peerEpoch !== b.peerEpoch) return a.peerEpoch > b.peerEpoch;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid;
  return a.leader > b.leader;
}

/** Why `winner` beats `other`, in words. */
export function reason(winner: Vote, other: Vote): string {
  if (winner.peerEpoch !== other.peerEpoch) {
    return `its epoch ${winner.peerEpoch} is newer than ${other.peerEpoch}`;
  }
  if (winner.zxid !== other.zxid) {
    return `its history is longer (last zxid ${formatZxid(winner.zxid)} > ` +
      `${formatZxid(other.zxid)})`;
  }
  return "same epoch and zxid: the higher server id wins";
}

/** The votes each server holds, for explaining decisions. */
export class Ballots {
  /** receiver -> sender -> latest vote. */
  private readonly received = new Map<number, Map<number, Vote>>();
  /** receiver -> candidate -> its credentials as heard, since the receiver went LOOKING. */
  private readonly candidates = new Map<number, Map<number, Vote>>();

  /** A notification from `from` reached `to`. */
  receive(from: number, to: number, vote: Vote): void {
    let votes = this.received.get(to);
    if (votes === undefined) this.received.set(to, votes = new Map());
    votes.set(from, vote);
    let heard = this.candidates.get(to);
    if (heard === undefined) this.candidates.set(to, heard = new Map());
    const known = heard.get(vote.leader);
    if (known === undefined || beats(vote, known)) heard.set(vote.leader, vote);
  }

  /** `node` starts a new election: what it heard before no longer counts. */
  looking(node: number): void {
    this.received.delete(node);
    this.candidates.delete(node);
  }

  /**
   * Explains `node` leaving LOOKING: the leader most of its votes name, who voted for it, and
   * why it beat the best other candidate heard. Undefined when the node heard no votes.
   */
  explain(node: number, voters: number): string | undefined {
    const votes = this.received.get(node);
    if (votes === undefined || votes.size === 0) return undefined;
    const support = new Map<number, number[]>();
    for (const [from, vote] of [...votes].sort((a, b) => a[0] - b[0])) {
      support.set(vote.leader, [...(support.get(vote.leader) ?? []), from]);
    }
    const [leader, backers] = [...support].sort((a, b) => b[1].length - a[1].length)[0] ??
      [0, []];
    const heard = this.candidates.get(node) ?? new Map<number, Vote>();
    const best = heard.get(leader);
    const rivals = [...heard.values()].filter((v) => v.leader !== leader);
    rivals.sort((a, b) => (beats(a, b) ? -1 : 1));
    const rival = rivals[0];
    const why = best === undefined || rival === undefined
      ? "no other candidate was proposed"
      : `it beats server ${rival.leader}: ${reason(best, rival)}`;
    // The deciding server votes for the winner too (its own vote is in its recvset).
    const all = [...new Set([...backers, node])].sort((a, b) => a - b);
    const quorum = Math.floor(voters / 2) + 1;
    const creds = best === undefined ? "" : ` (epoch ${best.peerEpoch}, zxid ${zx(best.zxid)})`;
    return `votes for server ${leader}${creds} from {${all.join(",")}}` +
      ` (a quorum is ${quorum} of ${voters}); ${why}`;
  }
}
