/**
 * The administrators of an `--encrypt` run. The first sets everything up (the service's
 * subtree, the keys, the data paths, the principals with their policies, grants, among them
 * some a policy forbids, which the service must refuse), then interleaves key operations drawn
 * from its stream: rotation in two phases, rewrap, minimum-version changes, destroy, grant,
 * revoke and root rotation, and makes sure one destroy runs to completion. The second grants
 * and revokes at the same time, so two writers race for the audit chain's head. Each ends by
 * reading the audit chain for the checkers.
 */
import { seededSplit, splitRootKey, stateOf } from "../../crypto/index.js";
import type { RootKey } from "../../crypto/index.js";
import { AUDIT_ROOT, readAuditChain, readSignKeys } from "../../keys/index.js";
import type { KeyService } from "../../keys/index.js";
import { encodeAuditHead } from "../../crypto/index.js";
import { ServiceInstance } from "./instance.js";
import {
  DATA_ROOT, HOSTILE_ROOT, RUN_KEYS, SHARES, THRESHOLD, outcomeOf, policyOf,
} from "./world.js";
import type { KeyTaskContext } from "./world.js";

/** Waits (boundedly) for the first administrator's set-up; false if it never came. */
export async function untilReady(ctx: KeyTaskContext): Promise<boolean> {
  for (let i = 0; i < 300 && !ctx.shared.ready; i++) await ctx.client.sleep(100);
  return ctx.shared.ready;
}

/** Attempts at a step that must happen (setup): ambiguous answers are retried. */
const SETUP_ATTEMPTS = 20;

async function retried(ctx: KeyTaskContext, step: () => Promise<string>, done: readonly string[]):
  Promise<void> {
  for (let i = 0; i < SETUP_ATTEMPTS; i++) {
    if (done.includes(await step())) return;
    await ctx.client.sleep(200);
  }
}

/** Creates `path` (OPEN ACL) unless it exists. */
async function ensurePath(instance: ServiceInstance, path: string): Promise<void> {
  try {
    await instance.zk.create(path, null);
  } catch (error) {
    if ((error as { code?: string }).code !== "NODEEXISTS") throw error;
  }
}

async function setUp(ctx: KeyTaskContext, instance: ServiceInstance, root: RootKey):
  Promise<void> {
  const { shared } = ctx;
  shared.shares = await splitRootKey(root, SHARES, THRESHOLD, seededSplit(ctx.random));
  shared.generation = root.generation;
  await retried(ctx, () => ctx.act("register", { subject: "admin" }, async () => {
    await (await instance.live()).ensureRoot();
  }), ["OK"]);
  for (const path of [DATA_ROOT, HOSTILE_ROOT, ...RUN_KEYS.map((k) => `${DATA_ROOT}/${k}`)]) {
    await retried(ctx, () => ctx.act("register", { path }, async () => {
      await instance.live();
      await ensurePath(instance, path);
    }), ["OK"]);
  }
  for (const key of RUN_KEYS) {
    await retried(ctx, () => ctx.act("create", { key }, async () => {
      await (await instance.live()).createKey(key);
    }), ["OK", "KEY_EXISTS"]);
  }
  for (const p of shared.principals) {
    await retried(ctx, () => ctx.act("register", { subject: p.id }, async (facts) => {
      facts.readers = policyOf(p.id).rules.map((r) => r.key);
      await (await instance.live()).registerPrincipal(p.publicPart(), policyOf(p.id));
    }), ["OK", "NODEEXISTS"]);
  }
  shared.ready = true;
  // Every principal asks for every key; the service must refuse what a policy forbids.
  for (const p of shared.principals) {
    for (const key of RUN_KEYS) await grant(ctx, instance, key, p.id);
  }
}

async function grant(ctx: KeyTaskContext, instance: ServiceInstance, key: string, id: string):
  Promise<void> {
  await ctx.act("grant", { key, subject: id }, async () => {
    await (await instance.live()).grant(key, id);
  });
}

/** Rotation: add a version, then promote it once readable (retried while readers catch up). */
async function rotate(ctx: KeyTaskContext, instance: ServiceInstance, key: string):
  Promise<void> {
  let version = 0;
  await ctx.act("add-version", { key }, async (facts) => {
    version = await (await instance.live()).addVersion(key);
    facts.version = version;
  });
  if (version === 0) return;
  for (let i = 0; i < 15; i++) {
    const outcome = await ctx.act("promote", { key, version }, async () => {
      await (await instance.live()).promote(key, version);
    });
    if (outcome !== "NOT_YET_READABLE") return;
    await ctx.client.sleep(150);
  }
}

async function changeMinimum(ctx: KeyTaskContext, instance: ServiceInstance, key: string,
  to?: number): Promise<void> {
  const svc = await instance.live();
  const meta = await svc.describe(key);
  const minimum = to ?? ctx.between(Math.max(1, meta.minDecryption - 1), meta.primary);
  await ctx.act("min-decryption", { key, version: minimum }, async () => {
    await (await instance.live()).setMinDecryptionVersion(key, minimum);
  });
}

/** Destroys a version below the minimum; "OK" only when the destroy is complete. */
async function destroy(ctx: KeyTaskContext, instance: ServiceInstance, key: string):
  Promise<boolean> {
  const meta = await (await instance.live()).describe(key);
  const candidates: number[] = [];
  for (let v = 1; v < meta.minDecryption; v++) {
    if (stateOf(meta, v) === "enabled") candidates.push(v);
  }
  if (candidates.length === 0) return false;
  const version = ctx.pick(candidates);
  const outcome = await ctx.act("destroy", { key, version }, async (facts) => {
    const report = await (await instance.live()).destroyVersion(key, version,
      ctx.shared.principals);
    instance.handOver(report.shares);
    facts.version = version;
    if (report.pending.length > 0) throw new Error(`pending ${report.pending.join(",")}`);
  });
  if (outcome !== "OK") await rotateRoot(ctx, instance); // shares lost with a failed destroy
  return outcome === "OK";
}

async function rotateRoot(ctx: KeyTaskContext, instance: ServiceInstance): Promise<void> {
  await ctx.act("rotate-root", {}, async (facts) => {
    const svc = await instance.live();
    instance.handOver(await svc.rotateRoot(SHARES, THRESHOLD));
    facts.version = svc.requireRoot().generation;
  });
}

/** One key operation drawn from the task's stream. */
async function step(ctx: KeyTaskContext, instance: ServiceInstance): Promise<boolean> {
  const key = ctx.pick(RUN_KEYS);
  const which = ctx.pick(["rotate", "rotate", "rewrap", "min", "destroy", "grant", "revoke",
    "root"] as const);
  switch (which) {
    case "rotate": await rotate(ctx, instance, key); return false;
    case "rewrap":
      await ctx.act("rewrap", { key, path: `${DATA_ROOT}/${key}` }, async (facts) => {
        facts.version = (await (await instance.live()).rewrap(key, `${DATA_ROOT}/${key}`,
          { restart: true })).target;
      });
      return false;
    case "min": await changeMinimum(ctx, instance, key); return false;
    case "destroy": return destroy(ctx, instance, key);
    case "grant": await grant(ctx, instance, key, ctx.pick(ctx.shared.principals).id);
      return false;
    case "revoke": {
      const id = ctx.pick(ctx.shared.principals).id;
      await ctx.act("revoke", { key, subject: id }, async () => {
        await (await instance.live()).revoke(key, id);
      });
      return false;
    }
    case "root": await rotateRoot(ctx, instance); return false;
  }
}

/** Reads the audit chain (after a sync) and puts it in the trace for the checkers. */
export async function reportAuditChain(ctx: KeyTaskContext, instance: ServiceInstance):
  Promise<void> {
  for (let i = 0; i < 10; i++) {
    try {
      const svc: KeyService = await instance.live();
      await svc.zk.getData(AUDIT_ROOT);
      await instance.zk.sync(AUDIT_ROOT);
      const { records, head } = await readAuditChain(svc.zk);
      const keys = await readSignKeys(svc.zk);
      const signers: Record<string, string> = {};
      for (const [id, key] of keys) signers[id] = hexOf(key);
      ctx.client.observe({ kind: "audit-chain", client: ctx.client.node, records,
        head: encodeAuditHead(head), signers });
      return;
    } catch {
      await ctx.client.sleep(300);
    }
  }
}

function hexOf(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/**
 * Runs a step whose unobserved reads (describe, a reconnect) may fail on a faulty ensemble: a
 * typed ZooKeeper or service error skips the step; anything else is a bug and propagates.
 */
async function tolerant<T>(body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    if (outcomeOf(error).startsWith("THREW")) throw error;
    return undefined;
  }
}

/** Rotate, raise the minimum to the primary, destroy a version below it. */
async function destroyOne(ctx: KeyTaskContext, instance: ServiceInstance, key: string):
  Promise<boolean> {
  await rotate(ctx, instance, key);
  const meta = await (await instance.live()).describe(key);
  await changeMinimum(ctx, instance, key, meta.primary);
  return destroy(ctx, instance, key);
}

/** The first administrator: set-up, `steps` drawn operations, a completed destroy, the chain. */
export async function firstAdmin(ctx: KeyTaskContext, root: RootKey, steps: number):
  Promise<void> {
  const instance = new ServiceInstance(ctx, undefined, root);
  await setUp(ctx, instance, root);
  let destroyed = false;
  for (let i = 0; i < steps; i++) {
    await ctx.client.sleep(ctx.between(100, 600));
    destroyed = (await tolerant(() => step(ctx, instance))) === true || destroyed;
  }
  for (let i = 0; i < 3 && !destroyed; i++) {
    destroyed = (await tolerant(() => destroyOne(ctx, instance, RUN_KEYS[0]))) === true;
  }
  ctx.shared.finished = true;
  await reportAuditChain(ctx, instance);
}

/** The second administrator: grants and revokes racing the first one, then the chain. */
export async function secondAdmin(ctx: KeyTaskContext, steps: number): Promise<void> {
  const instance = new ServiceInstance(ctx);
  if (!(await untilReady(ctx))) return;
  for (let i = 0; i < steps; i++) {
    await ctx.client.sleep(ctx.between(50, 400));
    const key = ctx.pick(RUN_KEYS);
    const id = ctx.pick(ctx.shared.principals).id;
    if (ctx.prng.chance(0.6)) await grant(ctx, instance, key, id);
    else {
      await ctx.act("revoke", { key, subject: id }, async () => {
        await (await instance.live()).revoke(key, id);
      });
    }
  }
  await reportAuditChain(ctx, instance);
}
