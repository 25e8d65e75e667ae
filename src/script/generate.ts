/**
 * A seeded random scenario generator for differential testing (scripts/zk-diff.ts): the same
 * seed always gives the same scenario. It aims at the corners where a reimplementation of
 * ZooKeeper's tree is most likely to differ: a handful of colliding paths, every create mode,
 * versions next to the current one, multis mixing ops (some failing), watches of every kind,
 * sessions closing (taking their ephemerals) and reopening, sequential names after deletes,
 * invalid paths, requests around the 1 MiB jute.maxbuffer limit, and TTL nodes and containers
 * reaped during sleeps.
 *
 * A small model of the tree (which nodes exist, their versions, children and kinds) lets steps
 * aim near the current state. It is only an aim: the servers judge every step.
 *
 * Timing. A real server runs in wall-clock time, so where reaping is involved the scenario must
 * not depend on when exactly the container manager runs. "Timed" scenarios set a short check
 * interval and keep every observation (any step but a sleep) outside the window in which a node
 * might or might not have been reaped; when a step would land inside one, a sleep long enough
 * for the reaping to be certain comes first. Other scenarios keep ZooKeeper's 60 s interval,
 * which no run reaches.
 */
import { Prng } from "../util/index.js";
import type { CreateModeName } from "./format.js";

/** A scenario as a JSON value in the file format (what `zabsim script` reads). */
export interface GeneratedScenario {
  readonly seed: number;
  readonly sessions: number;
  readonly server?: { readonly containerCheckIntervalMs: number };
  readonly steps: ReadonlyArray<Record<string, unknown>>;
}

/** The check interval of timed scenarios, and bounds used to keep them robust. */
const TIMED_INTERVAL_MS = 100;
/** Extra margin past a check interval before reaping counts as certain. */
const REAP_MARGIN_MS = 60;
/**
 * Upper bound of wall-clock time a real run spends per non-sleep step (a step plus a ping round
 * trip per session). A few milliseconds on an idle machine; generous because a loaded one
 * (seen: load 12 on 2 cores) took long enough to expire a 150 ms TTL node within five steps.
 */
const STEP_COST_MS = 25;
const BASE_SLACK_MS = 60;
/** jute.maxbuffer: the largest request (header and body, no frame length) a server reads. */
const MAX_BUFFER = 1048575;
/** CreateTTLRequest's largest ttl (EphemeralType.TTL's mask, 2^40 - 1). */
const TTL_MAX = 2 ** 40 - 1;

const POOL = [
  "/a", "/b", "/a/x", "/a/y", "/b/x", "/a/x/z", "/c", "/c/k", "/t", "/t/k", "/a/y/q",
  // Valid names whose order differs between UTF-16 code units and code points or bytes.
  "/a/Z", "/a/\u00e9", "/a/\uf900", "/a/\uffef",
];
const SEQUENTIAL_BASES = ["/a/s", "/a/", "/b/n-", "/c/m", "/t/j", "/s"];
const INVALID_PATHS = [
  "", "a", "/a/", "//a", "/a//x", "/a/./x", "/a/..", "/.", "/a\u0000b", "/a\u0001", "/a\u007f",
  "/\ue000", "/a\ud83d\ude00", "/zookeeper", "/zookeeper/quota", "/zookeeper/config", "/",
  "/zookeeper/x",
];
const TEXTS = ["", "v1", "hello", "h\u00e9llo \u2603", "0123456789"];

type Kind = "persistent" | "ephemeral" | "container" | "ttl";

interface ModelNode {
  readonly kind: Kind;
  /** Session ordinal of an ephemeral's owner. */
  readonly owner: number | undefined;
  readonly ttl: number;
  version: number;
  /** Children ever created here (the stored cversion, which numbers sequential nodes). */
  creates: number;
  hadChild: boolean;
  /** Sim time and step index of the last data change (TTL expiry counts from mtime). */
  mtime: number;
  mtimeStep: number;
  /** When the last child went away (containers and TTL nodes become reapable then). */
  emptiedAt: number;
  /** Cascade: reaping of this node is certain only after this time. */
  surelyAfter: number;
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}

/** ZooKeeper's PathUtils.validatePath, for aiming only. */
function validPath(path: string): boolean {
  if (path === "/") return true;
  if (!path.startsWith("/") || path.endsWith("/")) return false;
  for (const segment of path.slice(1).split("/")) {
    if (segment === "" || segment === "." || segment === "..") return false;
  }
  for (const ch of path) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0 || (c > 0 && c < 0x20) || (c >= 0x7f && c <= 0x9f)) return false;
    if ((c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) return false;
  }
  return true;
}

function pad10(value: number): string {
  return String(value).padStart(10, "0");
}

/** The generator's state: the tree model, sessions, clocks and the steps so far. */
class Builder {
  readonly nodes = new Map<string, ModelNode>();
  readonly steps: Array<Record<string, unknown>> = [];
  /** Session ordinal per slot, or undefined for a closed slot. */
  readonly slots: Array<number | undefined> = [];
  nextOrdinal = 0;
  now = 0;
  bigRequests = 0;
  rootCreates = 0;

  constructor(
    readonly prng: Prng,
    sessions: number,
    readonly timed: boolean,
  ) {
    for (let slot = 0; slot < sessions; slot++) this.slots.push(this.nextOrdinal++);
  }

  liveSlots(): number[] {
    const live: number[] = [];
    this.slots.forEach((ordinal, slot) => {
      if (ordinal !== undefined) live.push(slot);
    });
    return live;
  }

  sortedPaths(): string[] {
    return [...this.nodes.keys()].sort();
  }

  creates(parent: string): number {
    return parent === "/" ? this.rootCreates : (this.nodes.get(parent)?.creates ?? 0);
  }

  /** A path for a step: often an existing node, sometimes a pool path, rarely an invalid one. */
  path(): string {
    const roll = this.prng.nextFloat();
    const existing = this.sortedPaths();
    if (roll < 0.7 && existing.length > 0) return this.prng.pick(existing);
    if (roll < 0.93) return this.prng.pick(POOL);
    return this.prng.pick(INVALID_PATHS);
  }

  /** A path to create: usually one whose parent exists, so creates mostly get past NONODE. */
  createPath(): string {
    const ready = POOL.filter((path) => {
      const parent = parentOf(path);
      return !this.nodes.has(path) && (parent === "/" || this.nodes.has(parent));
    });
    if (ready.length > 0 && this.prng.chance(0.7)) return this.prng.pick(ready);
    return this.path();
  }

  /** A version near the node's current one, or -1 (any), or something far off. */
  version(path: string): number {
    const current = this.nodes.get(path)?.version ?? 0;
    const options = [-1, -1, current, current, current - 1, current + 1, 0, 2 ** 31 - 1, -2];
    return this.prng.pick(options);
  }

  data(): unknown {
    const roll = this.prng.nextFloat();
    if (roll < 0.2) return undefined;
    if (roll < 0.3) return null;
    if (roll < 0.85) return this.prng.pick(TEXTS);
    const length = this.prng.pick([0, 255, 256, 257, 300, 4096]);
    return { fill: this.prng.pick(["x", "y", "\u007f"]), length };
  }
}

/** Adds `data` to a step object unless it is undefined (an absent field). */
function withData(step: Record<string, unknown>, data: unknown): Record<string, unknown> {
  return data === undefined ? step : { ...step, data };
}

// ---------------------------------------------------------------------------------------------
// The model: predicting what a write does, only as far as aiming needs.

interface CreatePlan {
  readonly path: string;
  readonly mode: CreateModeName;
  readonly ttl: number | undefined;
}

function isTtlMode(mode: CreateModeName): boolean {
  return mode === "PERSISTENT_WITH_TTL" || mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
}

function isSequential(mode: CreateModeName): boolean {
  return mode.includes("SEQUENTIAL");
}

function kindOf(mode: CreateModeName): Kind {
  if (mode === "EPHEMERAL" || mode === "EPHEMERAL_SEQUENTIAL") return "ephemeral";
  if (mode === "CONTAINER") return "container";
  if (isTtlMode(mode)) return "ttl";
  return "persistent";
}

/** The model as a multi sees it part-way: nodes made or removed by its earlier ops. */
interface Trial {
  readonly kinds: Map<string, Kind>;
  /** Children created under a parent by earlier ops of the same multi. */
  readonly creates: Map<string, number>;
}

function trialOf(b: Builder): Trial {
  const kinds = new Map<string, Kind>();
  for (const [path, node] of b.nodes) kinds.set(path, node.kind);
  return { kinds, creates: new Map() };
}

/**
 * The path a create would make, or undefined when it would fail.
 * Inside a multi a ttl on a non-TTL mode does no harm: the server rebuilds the op from its flags
 * (MultiOperationRecord.deserialize, Op.create) into a plain create.
 */
function predictCreate(b: Builder, plan: CreatePlan, trial: Trial, inMulti = false) {
  const ttlOk = plan.ttl !== undefined && plan.ttl > 0 && plan.ttl <= TTL_MAX;
  const strayTtl = !inMulti && plan.ttl !== undefined && plan.ttl >= 0;
  if (isTtlMode(plan.mode) ? !ttlOk : strayTtl) return undefined;
  if (!plan.path.startsWith("/") || plan.path.includes("\u0000")) return undefined;
  const parent = parentOf(plan.path);
  const parentKind = trial.kinds.get(parent);
  if (parent !== "/" && parentKind === undefined) return undefined;
  const creates = b.creates(parent) + (trial.creates.get(parent) ?? 0);
  const path = isSequential(plan.mode) ? plan.path + pad10(creates) : plan.path;
  if (!validPath(path) || path === "/" || trial.kinds.has(path)) return undefined;
  if (path === "/zookeeper" || path.startsWith("/zookeeper/")) return undefined;
  if (parentKind === "ephemeral") return undefined;
  trial.kinds.set(path, kindOf(plan.mode));
  trial.creates.set(parent, (trial.creates.get(parent) ?? 0) + 1);
  return path;
}

function applyCreate(b: Builder, plan: CreatePlan, path: string, slot: number): void {
  const parent = parentOf(path);
  const parentNode = b.nodes.get(parent);
  if (parent === "/") b.rootCreates++;
  if (parentNode !== undefined) {
    parentNode.creates++;
    parentNode.hadChild = true;
  }
  const kind = kindOf(plan.mode);
  b.nodes.set(path, {
    kind,
    owner: kind === "ephemeral" ? b.slots[slot] : undefined,
    ttl: plan.ttl ?? 0,
    version: 0,
    creates: 0,
    hadChild: false,
    mtime: b.now,
    mtimeStep: b.steps.length,
    emptiedAt: b.now,
    surelyAfter: 0,
  });
}

function childrenOf(nodes: ReadonlyMap<string, ModelNode>, path: string): string[] {
  return [...nodes.keys()].filter((other) => other !== path && parentOf(other) === path).sort();
}

/**
 * Removes a node. A node reaped by the container manager went away at some time in
 * [goneFrom, surelyAfter]; its parent may have emptied as early as `goneFrom`.
 */
function removeNode(b: Builder, path: string, surelyAfter: number, goneFrom = b.now): void {
  b.nodes.delete(path);
  const parentNode = b.nodes.get(parentOf(path));
  if (parentNode !== undefined && childrenOf(b.nodes, parentOf(path)).length === 0) {
    parentNode.emptiedAt = goneFrom;
    parentNode.surelyAfter = surelyAfter;
  }
}

function predictDelete(b: Builder, path: string, version: number): boolean {
  const node = b.nodes.get(path);
  if (node === undefined) return false;
  if (version !== -1 && version !== node.version) return false;
  return childrenOf(b.nodes, path).length === 0;
}

function predictSetData(b: Builder, path: string, version: number): boolean {
  const node = b.nodes.get(path);
  return node !== undefined && (version === -1 || version === node.version);
}

function applySetData(b: Builder, path: string): void {
  const node = b.nodes.get(path);
  if (node === undefined) return;
  node.version = node.version === 2 ** 31 - 1 ? -(2 ** 31) : node.version + 1;
  if (node.version === -1) node.version = 0;
  node.mtime = b.now;
  node.mtimeStep = b.steps.length;
}

// ---------------------------------------------------------------------------------------------
// Timing safety for timed scenarios.

/**
 * The window in which a node may or may not have been reaped: [from, until] in simulated time.
 * Wall-clock time runs at least as fast as simulated time between two steps, and at most
 * `slack` faster, so a TTL node may expire from `mtime + ttl - slack` on, and is certainly
 * reaped once `mtime + ttl` plus one check interval (and a margin) have passed in simulated time.
 */
function reapWindow(b: Builder, node: ModelNode): { from: number; until: number } | undefined {
  const settleMs = TIMED_INTERVAL_MS + REAP_MARGIN_MS;
  if (node.kind === "container") {
    if (!node.hadChild) return undefined;
    return { from: node.emptiedAt, until: Math.max(node.emptiedAt, node.surelyAfter) + settleMs };
  }
  if (node.kind !== "ttl") return undefined;
  const slack = BASE_SLACK_MS + STEP_COST_MS * (b.steps.length - node.mtimeStep);
  const from = Math.max(node.mtime + node.ttl - slack, node.emptiedAt);
  const latest = Math.max(node.mtime + node.ttl, node.emptiedAt, node.surelyAfter);
  return { from, until: latest + settleMs };
}

/** Nodes whose reaping is uncertain now, and the time by which all of them are certainly gone. */
function uncertainUntil(b: Builder): number | undefined {
  let latest: number | undefined;
  for (const path of b.sortedPaths()) {
    const node = b.nodes.get(path);
    if (node === undefined || childrenOf(b.nodes, path).length > 0) continue;
    const window = reapWindow(b, node);
    if (window === undefined || b.now < window.from) continue;
    latest = Math.max(latest ?? 0, window.until);
  }
  return latest;
}

/** Removes the nodes certainly reaped by now (cascading to parents emptied by it). */
function reapCertain(b: Builder): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const path of b.sortedPaths()) {
      const node = b.nodes.get(path);
      if (node === undefined || childrenOf(b.nodes, path).length > 0) continue;
      const window = reapWindow(b, node);
      if (window === undefined || b.now <= window.until) continue;
      removeNode(b, path, window.until, window.from);
      changed = true;
    }
  }
}

/**
 * Emits a sleep of `ms`, lengthened until it ends outside every window where reaping is
 * uncertain (reaping one node can open a window for its parent) and off the container
 * manager's check instants.
 */
function sleep(b: Builder, ms: number): void {
  const step: Record<string, unknown> = { op: "sleep", ms };
  b.steps.push(step);
  b.now += ms;
  if (!b.timed) return;
  for (let guard = 0; guard < 32; guard++) {
    reapCertain(b);
    const until = uncertainUntil(b);
    let extra = until === undefined ? 0 : until - b.now + 1;
    if (extra === 0 && b.now % TIMED_INTERVAL_MS === 0) extra = 3;
    if (extra === 0) return;
    step["ms"] = (step["ms"] as number) + extra;
    b.now += extra;
  }
}

/** Before an observing step: sleep past any window where reaping is uncertain. */
function settle(b: Builder): void {
  if (b.timed && uncertainUntil(b) !== undefined) sleep(b, 1);
}

// ---------------------------------------------------------------------------------------------
// Steps.

/** A create's path, mode and ttl; `near` (a multi's anchor) replaces the random path. */
function createPlan(b: Builder, near?: string): CreatePlan {
  const prng = b.prng;
  const modes: CreateModeName[] = [
    "PERSISTENT", "PERSISTENT", "EPHEMERAL", "PERSISTENT_SEQUENTIAL", "EPHEMERAL_SEQUENTIAL",
    "CONTAINER", "PERSISTENT_WITH_TTL", "PERSISTENT_SEQUENTIAL_WITH_TTL",
  ];
  const mode = prng.pick(modes);
  const sequentialBase = isSequential(mode) && prng.chance(0.6);
  let path = sequentialBase ? prng.pick(SEQUENTIAL_BASES) : b.createPath();
  if (near !== undefined) path = sequentialBase ? `${near}/q-` : near;
  let ttl: number | undefined;
  if (isTtlMode(mode)) {
    const good = b.timed ? [1, 200, 400, 800] : [1, 1000, 60000, TTL_MAX];
    ttl = prng.chance(0.85) ? prng.pick(good) : prng.pick([0, -1, TTL_MAX + 1, -5]);
    if (prng.chance(0.05)) ttl = undefined;
  } else if (prng.chance(0.08)) {
    ttl = prng.pick([-1, -7, 0, 5]);
  }
  return { path, mode, ttl };
}

function createStep(b: Builder, slot: number): void {
  const plan = createPlan(b);
  let data = b.data();
  let oversized = false;
  if (!b.timed && b.bigRequests < 2 && b.prng.chance(0.04)) {
    b.bigRequests++;
    // CreateRequest: header 8, path 4+n, data 4+len, ACL 27 (count 4, perms 4, "world" 9,
    // "anyone" 10: OPEN_ACL_UNSAFE), flags 4, and a ttl 8 for createTTL.
    const fixed = 8 + 4 + new TextEncoder().encode(plan.path).length + 4 + 27 + 4;
    const sendsTtl = isTtlMode(plan.mode) || (plan.ttl !== undefined && plan.ttl >= 0);
    const delta = b.prng.pick([-1, 0, 1, 2, -50]);
    data = { fill: "z", length: MAX_BUFFER - fixed - (sendsTtl ? 8 : 0) + delta };
    oversized = delta > 0;
  }
  const step = withData({ op: "create", s: slot, path: plan.path, mode: plan.mode }, data);
  const path = predictCreate(b, plan, trialOf(b));
  b.steps.push(plan.ttl === undefined ? step : { ...step, ttl: plan.ttl });
  if (path !== undefined && !oversized) applyCreate(b, plan, path, slot);
}

function setDataStep(b: Builder, slot: number): void {
  const path = b.path();
  const version = b.version(path);
  let data = b.data();
  let oversized = false;
  if (!b.timed && b.bigRequests < 2 && b.prng.chance(0.05)) {
    b.bigRequests++;
    // SetDataRequest: header 8, path 4+n, data 4+len, version 4.
    const fixed = 8 + 4 + new TextEncoder().encode(path).length + 4 + 4;
    const delta = b.prng.pick([-1, 0, 1, -300]);
    data = { fill: "q", length: MAX_BUFFER - fixed + delta };
    oversized = delta > 0;
  }
  b.steps.push(withData({ op: "setData", s: slot, path, version }, data));
  if (!oversized && predictSetData(b, path, version)) applySetData(b, path);
}

function deleteStep(b: Builder, slot: number): void {
  const path = b.path();
  const version = b.version(path);
  b.steps.push({ op: "delete", s: slot, path, version });
  if (predictDelete(b, path, version)) removeNode(b, path, 0);
}

function readStep(b: Builder, slot: number): void {
  const op = b.prng.pick(["getData", "exists", "getChildren", "exists"]);
  const path = b.prng.chance(0.1) ? "/" : b.path();
  const watch = b.prng.chance(0.6);
  b.steps.push(watch ? { op, s: slot, path, watch } : { op, s: slot, path });
}

/**
 * A multi of 1..4 mixed ops, predicted on a trial copy of the model: all or nothing. A third
 * of them chain their ops around one anchor path (create it, then its child, check or delete
 * it), where one op's effect decides the next one's outcome.
 */
function multiStep(b: Builder, slot: number): void {
  const count = b.prng.intBetween(1, 5);
  const anchor = b.prng.chance(0.35) ? b.createPath() : undefined;
  const near = (): string | undefined =>
    anchor === undefined ? undefined : b.prng.pick([anchor, anchor, `${anchor}/k`]);
  const ops: Array<Record<string, unknown>> = [];
  const applies: Array<() => void> = [];
  const trial = trialOf(b);
  let ok = true;
  for (let i = 0; i < count; i++) {
    const kind = b.prng.pick(["create", "create", "delete", "setData", "check"]);
    if (kind === "create") {
      const plan = createPlan(b, near());
      const op = withData({ op: "create", path: plan.path, mode: plan.mode }, b.data());
      ops.push(plan.ttl === undefined ? op : { ...op, ttl: plan.ttl });
      const path = predictCreate(b, plan, trial, true);
      if (path === undefined) ok = false;
      else {
        applies.push(() => applyCreate(b, plan, path, slot));
      }
      continue;
    }
    const path = near() ?? b.path();
    const version = b.version(path);
    const current = b.nodes.get(path)?.version ?? 0;
    const versionOk = trial.kinds.has(path) && (version === -1 || version === current);
    if (kind === "setData") {
      ops.push(withData({ op: "setData", path, version }, b.data()));
      ok &&= versionOk;
      applies.push(() => applySetData(b, path));
    } else if (kind === "delete") {
      ops.push({ op: "delete", path, version });
      const children = [...trial.kinds.keys()].filter((other) => parentOf(other) === path);
      ok &&= versionOk && children.every((other) => other === path);
      trial.kinds.delete(path);
      applies.push(() => removeNode(b, path, 0));
    } else {
      ops.push({ op: "check", path, version });
      ok &&= versionOk;
    }
  }
  b.steps.push({ op: "multi", s: slot, ops });
  if (ok) for (const apply of applies) apply();
}

function closeStep(b: Builder, slot: number): void {
  const ordinal = b.slots[slot];
  b.steps.push({ op: "closeSession", s: slot });
  b.slots[slot] = undefined;
  for (const path of b.sortedPaths()) {
    const node = b.nodes.get(path);
    if (node?.kind === "ephemeral" && node.owner === ordinal) removeNode(b, path, 0);
  }
}

function openStep(b: Builder, slot: number): void {
  b.steps.push({ op: "openSession", s: slot });
  b.slots[slot] = b.nextOrdinal++;
}

/** One random step (possibly preceded by the sleeps timing safety needs). */
function nextStep(b: Builder): void {
  const prng = b.prng;
  const roll = prng.nextFloat();
  if (roll < (b.timed ? 0.1 : 0.02)) {
    sleep(b, b.timed ? prng.intBetween(20, 400) : prng.intBetween(0, 30));
    return;
  }
  settle(b);
  const live = b.liveSlots();
  const dead = b.slots.map((_, slot) => slot).filter((slot) => b.slots[slot] === undefined);
  if (live.length === 0 || (dead.length > 0 && prng.chance(0.25))) {
    openStep(b, prng.pick(dead));
    return;
  }
  const slot = prng.pick(live);
  const pick = prng.nextFloat();
  if (pick < 0.3) createStep(b, slot);
  else if (pick < 0.42) deleteStep(b, slot);
  else if (pick < 0.54) setDataStep(b, slot);
  else if (pick < 0.76) readStep(b, slot);
  else if (pick < 0.78) b.steps.push({ op: "sync", s: slot, path: b.path() });
  else if (pick < 0.94) multiStep(b, slot);
  else closeStep(b, slot);
}

/** The scenario of `seed`: 20..60 steps over 1..4 sessions; about a quarter are timed. */
export function generateScenario(seed: number): GeneratedScenario {
  const prng = new Prng(seed, "script/generate");
  const sessions = prng.intBetween(1, 4);
  const timed = prng.chance(0.25);
  const b = new Builder(prng, sessions, timed);
  const target = prng.intBetween(20, 60);
  while (b.steps.length < target) nextStep(b);
  if (timed) settle(b);
  const steps = b.steps.slice();
  if (!timed) return { seed, sessions, steps };
  return { seed, sessions, server: { containerCheckIntervalMs: TIMED_INTERVAL_MS }, steps };
}
