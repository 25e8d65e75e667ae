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
  /** Who takes part, for the first line (default: one client, 101). */
  readonly cast?: string;
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

const ZAB_DEMOS: readonly Demo[] = [
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

/** The recipe demos' holder and time travel in one number: node * HOLDER_SCALE + ms. */
const HOLDER_SCALE = 1_000_000;
const LOCK_PROBE_MS = 30_000;

/**
 * The first client whose holding of /recipes/lock lasts 5 s or more (a long job), and when it
 * took the lock; the first holder when none does.
 */
function longHolder(lines: readonly TraceLine[]): number {
  const taken = new Map<string, { node: number; t: number }>();
  let first: number | null = null;
  for (const line of lines) {
    const o = obs(line);
    const event = o?.["event"] as Record<string, unknown> | undefined;
    if (o?.["kind"] !== "recipe" || event === undefined) continue;
    const holder = String(event["holder"]);
    const node = Number(o["node"]);
    if (event["type"] === "acquired" && event["lock"] === "/recipes/lock") {
      taken.set(holder, { node, t: line.t });
      first ??= node * HOLDER_SCALE + Math.floor(line.t / 1000);
    }
    const start = taken.get(holder);
    if (event["type"] === "releasing" && start !== undefined && line.t - start.t >= 5_000_000) {
      return start.node * HOLDER_SCALE + Math.floor(start.t / 1000);
    }
  }
  return first ?? (HOLDER_SCALE + 1_000);
}

/** Two lock clients; with a subject, its holder is cut off from every server for 9 s. */
function lockRun(subject: number | null, bug: string | null): RunOptions {
  if (subject === null) {
    return resolveRunOptions({
      replicas: 3, clients: 2, workload: "lock", durationMs: LOCK_PROBE_MS, livenessMs: 3_000,
      faults: "none", bug,
    });
  }
  const node = Math.floor(subject / HOLDER_SCALE);
  const atMs = (subject % HOLDER_SCALE) + 100;
  return resolveRunOptions({
    replicas: 3, clients: 2, workload: "lock", durationMs: atMs + 12_000, livenessMs: 10_000,
    faults: "none", bug, schedule: [
      { atMicros: atMs * 1000, fault: {
        kind: "partition", from: [node], to: [1, 2, 3], oneWay: false } },
      { atMicros: (atMs + 9_000) * 1000, fault: { kind: "heal-partitions" } },
    ],
  });
}

/**
 * Faults, session ends, every recipe event, and the election's watch notifications (one
 * waiter woken per resign): the lock's and the election's story.
 */
function pickRecipe(lines: readonly TraceLine[]): number[] {
  const out: number[] = [];
  lines.forEach((line, k) => {
    const o = obs(line);
    const kind = String(o?.["kind"]);
    const sessionEnd = kind === "session" && o?.["event"] !== "connected";
    const wake = kind === "notify" && String(o?.["path"]).startsWith("/recipes/election/");
    if (line.kind === "fault" || kind === "recipe" || kind === "expire" || sessionEnd || wake) {
      out.push(k);
    }
  });
  return out;
}

function lockDemo(name: string, fencing: boolean): Demo {
  return {
    name, cast: "two lock clients (165, 166)",
    summary: `a lock holder cut off by a partition, ${fencing ? "with" : "without"} fencing ` +
      "tokens at the resource it protects",
    options: (subject) => lockRun(subject, fencing ? null : "lock-no-fencing"),
    leaderOf: longHolder,
    intro: (subject) => [
      `Two clients share a lock (/recipes/lock) and a storage service it protects. At ` +
        `${(subject % HOLDER_SCALE) + 100} ms, in the middle of a long job, the holder ` +
        `(client ${Math.floor(subject / HOLDER_SCALE)}) is cut off from every server for 9 s.`,
      "Its session expires on the ensemble; the other client takes the lock. The old holder " +
        "still believes it holds the lock and writes when its job ends.",
      fencing ? "With fencing the service refuses a token older than one it has taken."
        : "Without fencing the service takes the stale write: the newer holder's work is lost.",
    ],
    pick: pickRecipe,
  };
}

/** Every demo, in the order `zabsim demo` lists them. */
export const DEMOS: readonly Demo[] = [
  ...ZAB_DEMOS,
  lockDemo("lock-partition", true),
  lockDemo("lock-partition-no-fencing", false),
  {
    name: "client-election", cast: "three candidate clients (165, 166, 167)",
    summary: "leader election among three clients: the lowest candidate leads, each watches " +
      "only its predecessor, a resign wakes one",
    options: () => resolveRunOptions({
      replicas: 3, clients: 3, workload: "election", durationMs: 6_000, livenessMs: 10_000,
      faults: "none",
    }),
    leaderOf: () => 0,
    intro: () => [
      "Three clients stand for leader under /recipes/election with ephemeral-sequential nodes.",
      "The lowest node leads; its czxid is the leader epoch, which fences the resource it " +
        "writes. A leader resigns after its job; only its successor is woken and leads next.",
    ],
    pick: pickRecipe,
  },
];
