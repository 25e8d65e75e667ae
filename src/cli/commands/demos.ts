/**
 * The narrated scenarios of `zabsim demo`: each says how its run is set up and which trace
 * lines tell its story. `leader-crash` is the demo `zabsim demo` ran before it took a NAME.
 */
import { resolveRunOptions } from "../../run/index.js";
import type { RunOptions } from "../../run/index.js";
import type { TraceLine } from "../timeline.js";

/** One demo. */
export interface Demo {
  readonly name: string;
  readonly summary: string;
  /** The run's options; `leader` is the leader a first run found (null for that first run). */
  options(leader: number | null): RunOptions;
  /** The leader the demo acts on, read from a first run without the demo's faults. */
  leaderOf(lines: readonly TraceLine[]): number;
  intro(leader: number): string[];
  /** Indexes of the lines that tell the story. */
  pick(lines: readonly TraceLine[]): number[];
}

const CRASH_AT_MS = 2_500;
const RESTART_AT_MS = 4_500;

const obs = (line: TraceLine): Record<string, unknown> | undefined =>
  line["observation"] as Record<string, unknown> | undefined;

const messageType = (line: TraceLine): string =>
  line.kind === "deliver" ? String(line["message"]).split(" ", 1)[0] ?? "" : "";

const zxidOf = (line: TraceLine): number => {
  const m = /zxid=0x([0-9a-f]+)/.exec(String(line["message"] ?? ""));
  return m === null ? Number(obs(line)?.["zxid"] ?? -1) : parseInt(m[1] ?? "0", 16);
};

/** The server leading at `atMs`: the last to report LEADING before it (1 if none). */
function leaderBefore(lines: readonly TraceLine[], atMs: number): number {
  let leader = 1;
  for (const line of lines) {
    if (line.t > atMs * 1000) break;
    const o = obs(line);
    if (o?.["kind"] === "state" && o["state"] === "LEADING") leader = Number(o["node"]);
  }
  return leader;
}

const ELECTION_KINDS = new Set(["state", "established", "restore", "truncate"]);
const SYNC = new Set(["FOLLOWERINFO", "LEADERINFO", "ACKEPOCH", "DIFF", "TRUNC", "SNAP",
  "NEWLEADER", "UPTODATE"]);

/** Role changes, sync packets, and the full broadcast of the first client write. */
function pickElection(lines: readonly TraceLine[]): number[] {
  const out: number[] = [];
  const firstWrite = lines.find((l) => obs(l)?.["kind"] === "complete" &&
    obs(l)?.["err"] === "OK" && typeof obs(l)?.["txn"] === "string");
  const named = firstWrite === undefined ? -1 : Number(obs(firstWrite)?.["zxid"]);
  lines.forEach((line, k) => {
    if (line.t > 1_000_000) return;
    const o = obs(line);
    const type = messageType(line);
    const broadcast = (type === "PROPOSAL" || type === "ACK" || type === "COMMIT" ||
      o?.["kind"] === "propose" || o?.["kind"] === "deliver") && zxidOf(line) === named;
    const restore = o?.["kind"] === "restore" && o["zxid"] === 0;
    if ((ELECTION_KINDS.has(String(o?.["kind"])) && !restore) || type === "NOTIFICATION" ||
      SYNC.has(type) || broadcast || line === firstWrite) {
      out.push(k);
    }
  });
  return out;
}

/** Faults, roles, syncs, restores, and the writes in flight when the leader crashed. */
function pickLeaderCrash(lines: readonly TraceLine[]): number[] {
  const out: number[] = [];
  const crashAt = CRASH_AT_MS * 1000;
  const inFlight = new Set<number>();
  for (const line of lines) {
    const o = obs(line);
    if (line.t <= crashAt && o?.["kind"] === "propose") inFlight.add(Number(o["zxid"]));
    if (line.t <= crashAt && o?.["kind"] === "deliver") inFlight.delete(Number(o["zxid"]));
  }
  lines.forEach((line, k) => {
    if (line.t > (RESTART_AT_MS + 600) * 1000) return;
    const o = obs(line);
    const type = messageType(line);
    const restore = o?.["kind"] === "restore" && o["zxid"] === 0;
    const tellsWrite = inFlight.has(zxidOf(line)) && type !== "PING" &&
      (type !== "" || o?.["kind"] === "propose");
    if (line.kind === "fault" || (ELECTION_KINDS.has(String(o?.["kind"])) && !restore) ||
      (SYNC.has(type) && line.t > crashAt) || tellsWrite) {
      out.push(k);
    }
  });
  return out;
}

/** The ensemble of every demo; `schedule` crashes and restarts `leader` when given. */
function ensemble(durationMs: number, crash: number | null): RunOptions {
  const schedule = crash === null ? [] : [
    { atMicros: CRASH_AT_MS * 1000, fault: { kind: "crash" as const, node: crash } },
    { atMicros: RESTART_AT_MS * 1000, fault: { kind: "restart" as const, node: crash } },
  ];
  // The basic workload writes steadily, so every step of the story has a write to follow.
  return resolveRunOptions({
    replicas: 3, clients: 1, workload: "basic", durationMs, livenessMs: 3_000, faults: "none",
    schedule,
  });
}

export const DEMOS: readonly Demo[] = [
  {
    name: "election",
    summary: "Fast Leader Election: the votes, why a server wins, discovery, sync, a first write",
    options: () => ensemble(2_000, null),
    leaderOf: (lines) => leaderBefore(lines, 1_000),
    intro: (leader) => [
      "Every server starts LOOKING and votes for itself; a vote with a newer epoch, then a " +
        "longer history (zxid), then a higher server id wins (totalOrderPredicate).",
      `Server ${leader} wins; the others follow, sync (DIFF/TRUNC/SNAP) and the first write ` +
        "is proposed, acknowledged by a quorum and committed.",
    ],
    pick: pickElection,
  },
  {
    name: "leader-crash",
    summary: "a leader crash mid-broadcast, a new election, and the sync when it comes back",
    options: (leader) => ensemble(6_000, leader),
    leaderOf: (lines) => leaderBefore(lines, CRASH_AT_MS),
    intro: (leader) => [
      `At ${CRASH_AT_MS} ms the demo crashes the leader (server ${leader}) while writes are ` +
        `in flight; at ${RESTART_AT_MS} ms it restarts it.`,
      "Watch what happens to the writes in flight, who wins the next election and why, and " +
        "how the old leader is brought back in sync.",
    ],
    pick: pickLeaderCrash,
  },
];
