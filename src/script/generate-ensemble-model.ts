/**
 * The model behind the ensemble scenario generator (generate-ensemble.ts) and its client steps.
 *
 * A real ensemble runs in wall-clock time, so a scenario must not depend on when things happen.
 * The generator keeps a model (which servers run, whether the ensemble serves, which server each
 * session may be pinned to) and follows these rules, each closing a race:
 * - When no quorum runs, servers are started until exactly a quorum runs, then `stable`: all of
 *   them must vote, so the best vote wins whatever the order. A start while a leader serves
 *   joins as a follower; `stable` follows before anything aims at that server.
 * - A `stop` that leaves a quorum is followed by `stable` at once (a second death during the
 *   election would make the epoch depend on timing).
 * - A session whose server is down while a leader serves is an *orphan*: its timeout runs
 *   (6 to 8 s). Right after the `stable`, every orphan is resolved: moved after a write of the
 *   new epoch (so no server can refuse it), its server restarted, or expired by a sleep of at
 *   least 12 s (notifications of its ephemerals belong to that sleep).
 * - A move before a write of the new epoch may be refused (the session saw the leader's
 *   `epoch * 2^32`), so the model then allows both servers; only sessions on serving servers are
 *   moved that way, so a refusal leaves them connected.
 * The model is only an aim for the leader (it guesses the election from epochs, txn counts and
 * ids); the servers decide every result. Two races remain (docs/HACKING-zk-diff.md): an
 * election that ends a quorum loss sometimes takes extra rounds (a higher epoch), and with more
 * than a quorum left after a leader's death the election may finish before every vote counts.
 * zk-record catches them by recording twice.
 */
import type { Prng } from "../util/index.js";

/** Sleeps at least this long expire every orphan (timeout 6 s, rounded up to 8 s by ticks). */
const EXPIRY_SLEEP_MS_MIN = 12000;
const PATHS = ["/a", "/a/b", "/e1", "/e2"];
const EPHEMERALS = ["/e1", "/e2", "/a/b"];

/** What the model knows of a slot's session. */
interface SlotModel {
  /** The file's view: the validation rules read only the file's own steps. */
  file: "never" | "live" | "closed";
  /**
   * free: no live session; live: a session surely alive on one of `servers`; dead: surely
   * expired (the runner may not know yet); limbo: expired or alive, unknown to the model.
   */
  run: "free" | "live" | "dead" | "limbo";
  servers: number[];
}

/** A server's election vote as the model guesses it: (currentEpoch, txns logged, id). */
interface ServerModel {
  running: boolean;
  epoch: number;
  txns: number;
}

class Builder {
  readonly steps: Array<Record<string, unknown>> = [];
  readonly slots: SlotModel[];
  readonly model: ServerModel[] = [];
  readonly quorum: number;
  /** A stable answered OK since the last start or stop, and a quorum runs. */
  serving = false;
  /** A write surely ran in the current epoch (moves cannot be refused any more). */
  epochWritten = false;
  leader: number | undefined;
  counter = 0;

  constructor(readonly prng: Prng, readonly servers: number, sessions: number) {
    this.quorum = Math.floor(servers / 2) + 1;
    for (let k = 0; k <= servers; k++) this.model.push({ running: false, epoch: 0, txns: 0 });
    this.slots = Array.from({ length: sessions }, () => ({
      file: "never", run: "free", servers: [],
    }));
  }

  push(step: Record<string, unknown>): void {
    this.steps.push(step);
  }

  running(): number[] {
    const ids: number[] = [];
    for (let k = 1; k <= this.servers; k++) if (this.model[k]?.running === true) ids.push(k);
    return ids;
  }

  down(): number[] {
    const ids: number[] = [];
    for (let k = 1; k <= this.servers; k++) if (this.model[k]?.running !== true) ids.push(k);
    return ids;
  }

  /** A surely live session on serving servers: its requests surely run. */
  certain(slot: SlotModel): boolean {
    return slot.run === "live" && this.serving
      && slot.servers.every((k) => this.model[k]?.running === true);
  }

  /** Orphans: sessions that may be pinned to a server that is down. */
  orphans(): number[] {
    const out: number[] = [];
    this.slots.forEach((slot, index) => {
      const mayLive = slot.run === "live" || slot.run === "limbo";
      if (mayLive && slot.servers.some((k) => this.model[k]?.running !== true)) out.push(index);
    });
    return out;
  }

  start(server: number): void {
    this.push({ op: "start", server });
    const model = this.model[server];
    if (model !== undefined) model.running = true;
    this.serving = false;
  }

  stop(server: number): void {
    this.push({ op: "stop", server });
    const model = this.model[server];
    if (model !== undefined) model.running = false;
    this.serving = false;
    this.epochWritten = false;
    // Without a quorum the leader steps down; the next quorum holds a fresh election.
    if (this.running().length < this.quorum) this.leader = undefined;
  }

  /** `stable`; with a quorum the model guesses the election and syncs everyone. */
  stable(): void {
    this.push({ op: "stable" });
    const running = this.running();
    if (running.length < this.quorum) return;
    const leader = this.leader;
    if (leader === undefined || !running.includes(leader)) this.elect(running);
    else this.join(leader, running);
    this.serving = true;
  }

  /** Servers started while `leader` serves sync to its history. */
  private join(leader: number, running: readonly number[]): void {
    const { epoch, txns } = this.model[leader] ?? { epoch: 0, txns: 0 };
    for (const k of running) {
      const model = this.model[k];
      if (model !== undefined) Object.assign(model, { epoch, txns });
    }
  }

  private elect(running: readonly number[]): void {
    const key = (k: number): [number, number, number] =>
      [this.model[k]?.epoch ?? 0, this.model[k]?.txns ?? 0, k];
    const better = (a: number, b: number): boolean => {
      const [x, y] = [key(a), key(b)];
      return x[0] !== y[0] ? x[0] > y[0] : x[1] !== y[1] ? x[1] > y[1] : x[2] > y[2];
    };
    const leader = running.reduce((best, k) => (better(k, best) ? k : best));
    const epoch = Math.max(...running.map((k) => this.model[k]?.epoch ?? 0)) + 1;
    const txns = this.model[leader]?.txns ?? 0;
    for (const k of running) {
      const model = this.model[k];
      if (model !== undefined) Object.assign(model, { epoch, txns });
    }
    this.leader = leader;
    this.epochWritten = false;
  }

  /** A txn surely or possibly ran: every running server logs it (the model's aim). */
  wrote(sure: boolean): void {
    for (const k of this.running()) {
      const model = this.model[k];
      if (model !== undefined) model.txns++;
    }
    if (sure) this.epochWritten = true;
  }

  next(): number {
    return ++this.counter;
  }
}

/** A client operation on `slot` (whatever its state: the servers answer). */
function clientOp(b: Builder, index: number): void {
  const slot = b.slots[index];
  if (slot === undefined || slot.file !== "live") return;
  const p = b.prng;
  const path = p.pick(PATHS);
  const roll = p.nextFloat();
  let write = true;
  if (roll < 0.2) {
    const mode = p.pick(["EPHEMERAL_SEQUENTIAL", "PERSISTENT_SEQUENTIAL"]);
    b.push({ s: index, op: "create", path: "/q/n-", mode });
  } else if (roll < 0.38) {
    const mode = EPHEMERALS.includes(path) ? "EPHEMERAL" : "PERSISTENT";
    b.push({ s: index, op: "create", path, data: `d${b.next()}`, mode });
    watchFromAnother(b, index, path);
  } else if (roll < 0.5) {
    const target = p.pick(["/a", ...PATHS]);
    b.push({ s: index, op: "setData", path: target, data: `v${b.next()}`,
      version: p.pick([-1, -1, 0, 1]) });
  } else if (roll < 0.56) {
    b.push({ s: index, op: "delete", path, version: -1 });
  } else if (roll < 0.62) {
    const ops = [
      { op: "create", path: `/m${b.next()}`, mode: "PERSISTENT" },
      { op: "setData", path: p.pick(PATHS), data: "m", version: -1 },
    ];
    b.push({ s: index, op: "multi", ops });
  } else {
    write = false;
    const op = p.pick(["getData", "exists", "getChildren", "exists", "sync"]);
    if (op === "sync") b.push({ s: index, op, path: "/" });
    else b.push({ s: index, op, path: op === "getChildren" ? p.pick(["/", "/q", "/a"]) : path,
      watch: p.chance(0.85) });
  }
  if (write && slot.run !== "free") b.wrote(b.certain(slot));
}

/** Sometimes another session, maybe on another server, watches the node just created. */
function watchFromAnother(b: Builder, creator: number, path: string): void {
  const others = b.slots.map((_, index) => index)
    .filter((index) => index !== creator && b.slots[index]?.file === "live");
  if (others.length === 0 || !b.prng.chance(0.5)) return;
  b.push({ s: b.prng.pick(others), op: "exists", path, watch: true });
}

/** A surely live, connected session's slot, if any. */
function certainSlot(b: Builder): number | undefined {
  const ids = b.slots.map((_, index) => index).filter((index) => {
    const slot = b.slots[index];
    return slot !== undefined && slot.file === "live" && b.certain(slot);
  });
  return ids.length === 0 ? undefined : b.prng.pick(ids);
}

/** A write of the current epoch by a surely connected session (creates a sequential node). */
function epochWrite(b: Builder): void {
  const index = certainSlot(b);
  if (index === undefined) return;
  b.push({ s: index, op: "create", path: "/q/w-", mode: "PERSISTENT_SEQUENTIAL" });
  b.wrote(true);
}

/**
 * openSession in a free slot (`slot`, or one picked), on a serving server or (rarely) one that
 * cannot take it.
 */
function openSession(b: Builder, slot?: number): void {
  const free = b.slots.map((_, index) => index).filter((index) => {
    const run = b.slots[index]?.run;
    return run === "free" || run === "dead";
  });
  if (free.length === 0) return;
  const index = slot !== undefined && free.includes(slot) ? slot : b.prng.pick(free);
  const running = b.running();
  const server = b.serving && b.prng.chance(0.9) && running.length > 0
    ? b.prng.pick(running) : b.prng.intBetween(1, b.servers);
  b.push({ s: index, op: "openSession", server });
  const model = b.slots[index];
  if (model === undefined) return;
  // The file counts the slot live either way; a failed open leaves the run's slot as it was.
  model.file = "live";
  if (!b.serving || !running.includes(server)) return;
  Object.assign(model, { run: "live", servers: [server] });
  b.wrote(true);
  // Most sessions own an ephemeral under /q, so an expiry has something to delete and the
  // watchers of /q (set before expiry sleeps) something to hear.
  if (b.prng.chance(0.6)) {
    const mode = "EPHEMERAL_SEQUENTIAL";
    b.push({ s: index, op: "create", path: "/q/o-", data: `s${index}`, mode });
    b.wrote(true);
  }
}

export { Builder as EnsembleBuilder, clientOp, certainSlot, epochWrite, openSession };
export { EXPIRY_SLEEP_MS_MIN };
export type { SlotModel };
