/**
 * A seeded generator of ensemble scenarios (script-format.md, "Ensembles") for comparing zabsim
 * with a real ZooKeeper ensemble (scripts/zk-diff.ts --servers N): start orders, leader and
 * follower deaths, whole-ensemble restarts, quorum loss, sessions pinned to servers that die,
 * moves before and after the first write of a new epoch, expiries watched from other servers,
 * and sequential names across leader changes. The same seed and size give the same scenario.
 * generate-ensemble-model.ts holds the model and the rules that keep the scenarios free of
 * timing races.
 */
import { Prng } from "../util/index.js";
import {
  EnsembleBuilder as Builder, EXPIRY_SLEEP_MS_MIN, certainSlot, clientOp, epochWrite, openSession,
} from "./generate-ensemble-model.js";

/** An ensemble scenario as a JSON value in the file format (what `zabsim script` reads). */
export interface GeneratedEnsembleScenario {
  readonly seed: number;
  readonly servers: number;
  readonly sessions: number;
  readonly steps: ReadonlyArray<Record<string, unknown>>;
}

/** Starts servers until exactly a quorum runs, then `stable`; maybe the rest, then `stable`. */
function recoverQuorum(b: Builder, rest: boolean): void {
  const down = b.prng.shuffled(b.down());
  while (b.running().length < b.quorum) {
    const next = down.shift();
    if (next === undefined) break;
    b.start(next);
  }
  b.stable();
  if (rest && down.length > 0) {
    for (const k of down) b.start(k);
    b.stable();
  }
  afterChange(b);
}

/** A move of a surely connected session to another serving server (may be refused). */
function moveLive(b: Builder): void {
  const index = certainSlot(b);
  const slot = index === undefined ? undefined : b.slots[index];
  if (index === undefined || slot === undefined) return;
  const targets = b.running().filter((k) => !slot.servers.includes(k));
  if (targets.length === 0) return;
  const server = b.prng.pick(targets);
  b.push({ s: index, op: "move", server });
  slot.servers = b.epochWritten ? [server] : [...slot.servers, server];
}

/** A move to a server that is down: CONNECTIONLOSS, nothing changes. */
function moveNowhere(b: Builder): void {
  const index = certainSlot(b);
  const down = b.down();
  if (index === undefined || down.length === 0) return;
  b.push({ s: index, op: "move", server: b.prng.pick(down) });
}

/** Expires every orphan: maybe a watch from a surely connected session first, then >= 12 s. */
function expireOrphans(b: Builder, orphans: readonly number[]): void {
  const watcher = certainSlot(b);
  if (watcher !== undefined && b.prng.chance(0.8)) {
    // Watches on what the orphans may own: their ephemerals go in the expiry.
    b.push({ s: watcher, op: "exists", path: b.prng.pick(["/e1", "/e2", "/a/b"]), watch: true });
    b.push({ s: watcher, op: "getChildren", path: "/q", watch: true });
  }
  const closing = orphans.find((index) => b.slots[index]?.file === "live");
  if (closing !== undefined && b.prng.chance(0.3)) {
    // Unreachable: CONNECTIONLOSS, the slot closes locally, the session expires in the sleep.
    b.push({ s: closing, op: "closeSession" });
    const slot = b.slots[closing];
    if (slot !== undefined) Object.assign(slot, { file: "closed", run: "dead" });
  }
  b.push({ op: "sleep", ms: EXPIRY_SLEEP_MS_MIN + b.prng.intBetween(0, 1000) });
  for (const index of orphans) {
    const slot = b.slots[index];
    if (slot === undefined) continue;
    const surely = slot.servers.every((k) => b.model[k]?.running !== true);
    slot.run = surely ? "dead" : "limbo";
  }
  b.wrote(false);
}

/** Moves every orphan to a serving server after a write of the epoch (none can refuse it). */
function moveOrphans(b: Builder, orphans: readonly number[]): void {
  epochWrite(b);
  for (const index of orphans) {
    const slot = b.slots[index];
    if (slot === undefined || slot.file !== "live") continue;
    const server = b.prng.pick(b.running());
    b.push({ s: index, op: "move", server });
    if (slot.run === "dead") slot.run = "free";
    else slot.servers = [server];
  }
}

/** Restarts the servers the orphans are pinned to; they reconnect in the `stable`'s wait. */
function restartFor(b: Builder, orphans: readonly number[]): void {
  const servers = new Set<number>();
  for (const index of orphans) {
    for (const k of b.slots[index]?.servers ?? []) if (b.model[k]?.running !== true) servers.add(k);
  }
  for (const k of b.prng.shuffled([...servers].sort((x, y) => x - y))) b.start(k);
  b.stable();
  // A session that saw the old leader's epoch * 2^32 is refused until the epoch has a write.
  epochWrite(b);
}

/**
 * After a `stable` that followed a change: perhaps a move before the epoch's first write, then
 * every orphan resolved at once (its timeout is running).
 */
function afterChange(b: Builder): void {
  if (!b.serving) return;
  if (b.prng.chance(0.35)) moveLive(b);
  const orphans = b.orphans();
  if (orphans.length === 0) {
    if (b.prng.chance(0.5)) epochWrite(b);
    return;
  }
  const roll = b.prng.nextFloat();
  if (roll < 0.35 && certainSlot(b) !== undefined) moveOrphans(b, orphans);
  else if (roll < 0.65) restartFor(b, orphans);
  else expireOrphans(b, orphans);
}

/** Stops the guessed leader or a follower; `stable` at once when a quorum is left. */
function stopOne(b: Builder, leader: boolean): void {
  const running = b.running();
  const followers = running.filter((k) => k !== b.leader);
  const pool = leader && b.leader !== undefined && running.includes(b.leader)
    ? [b.leader] : followers.length > 0 ? followers : running;
  if (pool.length === 0) return;
  b.stop(b.prng.pick(pool));
  if (b.running().length >= b.quorum) {
    b.stable();
    afterChange(b);
  }
}

/** Stops running servers one by one (with `stable` while a quorum is left) down to `keep`. */
function stopDownTo(b: Builder, keep: number): void {
  for (const k of b.prng.shuffled(b.running())) {
    if (b.running().length <= keep) break;
    b.stop(k);
    if (b.running().length >= b.quorum) b.stable();
  }
}

/** One step while no quorum serves: requests fail, or the ensemble comes back. */
function outageStep(b: Builder): void {
  const roll = b.prng.nextFloat();
  const live = b.slots.map((_, index) => index).filter((i) => b.slots[i]?.file === "live");
  if (roll < 0.3 && live.length > 0) clientOp(b, b.prng.pick(live));
  else if (roll < 0.4) b.stable();
  else if (roll < 0.47) openSession(b);
  else if (roll < 0.52) b.push({ op: "sleep", ms: b.prng.intBetween(200, 1500) });
  else recoverQuorum(b, b.prng.chance(0.6));
}

function serveStep(b: Builder): void {
  const roll = b.prng.nextFloat();
  const live = b.slots.map((_, index) => index).filter((i) => b.slots[i]?.file === "live");
  const down = b.down();
  if (roll < 0.5) {
    if (live.length > 0) clientOp(b, b.prng.pick(live));
    else openSession(b);
  } else if (roll < 0.58) openSession(b);
  else if (roll < 0.63) moveLive(b);
  else if (roll < 0.65) moveNowhere(b);
  else if (roll < 0.74) stopOne(b, true);
  else if (roll < 0.81) stopOne(b, false);
  else if (roll < 0.85) {
    stopDownTo(b, 0);
    if (b.prng.chance(0.5)) b.stable();
  } else if (roll < 0.89) stopDownTo(b, b.quorum - 1);
  else if (roll < 0.94 && down.length > 0) {
    b.start(b.prng.pick(down));
    b.stable();
    afterChange(b);
  } else if (roll < 0.97) closeCertain(b);
  else b.push({ op: "sleep", ms: b.prng.intBetween(200, 1500) });
}

/** closeSession of a surely connected session: OK, the slot is free again. */
function closeCertain(b: Builder): void {
  const index = certainSlot(b);
  const slot = index === undefined ? undefined : b.slots[index];
  if (index === undefined || slot === undefined) return;
  b.push({ s: index, op: "closeSession" });
  Object.assign(slot, { file: "closed", run: "free", servers: [] });
  b.wrote(true);
}

/** The first start: a quorum in some order (one election among all of them), maybe the rest. */
function bringUp(b: Builder): void {
  const order = b.prng.shuffled(Array.from({ length: b.servers }, (_, i) => i + 1));
  if (b.prng.chance(0.3)) {
    const first = order[0] ?? 1;
    b.start(first);
    b.stable();
  }
  for (const k of order.slice(0, b.quorum)) if (b.model[k]?.running !== true) b.start(k);
  b.stable();
  const rest = order.slice(b.quorum);
  if (rest.length > 0 && b.prng.chance(0.7)) {
    const together = b.prng.chance(0.5);
    for (const k of rest) {
      b.start(k);
      if (!together) b.stable();
    }
    if (together) b.stable();
  }
  const server = b.prng.pick(b.running());
  b.push({ s: 0, op: "openSession", server });
  const slot = b.slots[0];
  if (slot !== undefined) Object.assign(slot, { file: "live", run: "live", servers: [server] });
  b.wrote(true);
  for (const path of ["/q", "/a"]) {
    b.push({ s: 0, op: "create", path, mode: "PERSISTENT" });
    b.wrote(true);
  }
  for (let index = 1; index < b.slots.length; index++) {
    if (b.prng.chance(0.6)) openSession(b, index);
  }
}

/** The ensemble scenario of `seed` for `servers` servers: 24..40 steps over 2..4 slots. */
export function generateEnsembleScenario(seed: number, servers: number)
  : GeneratedEnsembleScenario {
  const prng = new Prng(seed, `script/generate-ensemble/${servers}`);
  const sessions = prng.intBetween(2, 4);
  const b = new Builder(prng, servers, sessions);
  bringUp(b);
  const target = prng.intBetween(24, 40);
  while (b.steps.length < target) {
    if (b.serving) serveStep(b);
    else outageStep(b);
  }
  return { seed, servers, sessions, steps: b.steps.slice() };
}
