/**
 * The other tasks of an `--encrypt` run:
 * - writers seal values (random bytes) under a key's primary and write them at the key's paths,
 *   creating each with an ACL that names its readers;
 * - readers load a key's keyring after a sync (which acknowledges it: two-phase rotation waits
 *   for that) and open values, so the checkers can tell "opens" from "refused" at each moment;
 * - principals authenticate with their digest credentials and try everything they can reach:
 *   read any value the server lets them, open their grant of its version and the value,
 *   whatever their own policy says (the service must not have granted what it forbids);
 * - a hostile client copies ciphertexts to other paths, and relabels them with another key or
 *   version, and opens the result with the service's own code: it must never open.
 * Loads, writes and reads of service instances are observed with the actor "svc:<name>".
 */
import {
  CryptoError, openGrant, openValue, sealedFactsOf,
} from "../../crypto/index.js";
import type { Principal } from "../../crypto/index.js";
import { grantPath, keyPath } from "../../keys/index.js";
import { untilReady } from "./admin.js";
import { ServiceInstance } from "./instance.js";
import { HOSTILE_ROOT, PATH_READERS, PLAINTEXT_BYTES, RUN_KEYS, valuePath } from "./world.js";
import type { ActionFacts, KeyTaskContext } from "./world.js";

/**
 * The `version` of a load that failed inside the keyring's refresh: it may have acknowledged
 * a version no observation names (the rotation checker leaves that reader out).
 */
const LOADING = -1;

/** Loads `key`'s keyring after a sync; the version it reached. */
async function load(ctx: KeyTaskContext, instance: ServiceInstance, key: string): Promise<string> {
  return ctx.act("load", { key }, async (facts) => {
    const svc = await instance.live();
    await instance.zk.sync(keyPath(key));
    svc.invalidate(key);
    facts.version = LOADING;
    const keyring = await svc.refresh(key);
    facts.version = keyring.meta.versions.length;
  });
}

async function writeOne(ctx: KeyTaskContext, instance: ServiceInstance): Promise<void> {
  const key = ctx.pick(RUN_KEYS);
  const index = ctx.between(0, PATH_READERS.length - 1);
  const path = valuePath(key, index);
  const readers = PATH_READERS[index] ?? [];
  if (await load(ctx, instance, key) !== "OK") return;
  const plaintext = ctx.random.bytes(ctx.pick(PLAINTEXT_BYTES));
  ctx.shared.witness?.(plaintext);
  await ctx.act("write", { key, path }, async (facts) => {
    facts.plaintext = plaintext;
    facts.readers = readers;
    const svc = await instance.live();
    const sealed = await svc.seal(key, { kind: "path", path }, plaintext);
    facts.sealed = sealedFactsOf(sealed) ?? null;
    try {
      await instance.zk.setData(path, sealed);
    } catch (error) {
      if ((error as { code?: string }).code !== "NONODE") throw error;
      await instance.zk.create(path, sealed, ctx.shared.valueAcl(readers));
    }
  });
}

/**
 * A read loads the keyring inside the action (after a sync), so that what it opens is judged
 * against the minimum in force when it began; the version it loaded is its `version`, which
 * the rotation checker counts as an acknowledgement like a load's.
 */
async function readOne(ctx: KeyTaskContext, instance: ServiceInstance): Promise<void> {
  const key = ctx.pick(RUN_KEYS);
  const path = valuePath(key, ctx.between(0, PATH_READERS.length - 1));
  await ctx.act("read", { key, path }, async (facts) => {
    const svc = await instance.live();
    await instance.zk.sync(keyPath(key));
    svc.invalidate(key);
    facts.version = LOADING;
    facts.version = (await svc.refresh(key)).meta.versions.length;
    const { data } = await instance.zk.getData(path);
    facts.sealed = data === null ? null : sealedFactsOf(data) ?? null;
    facts.plaintext = await svc.open(path, data);
  });
}

/**
 * A writer or reader: actions with pauses, after the set-up, until the first administrator is
 * done (so that rotations always have readers to wait for), at most `rounds`.
 */
export async function serviceClient(ctx: KeyTaskContext, role: "writer" | "reader",
  readerId: string, rounds: number): Promise<void> {
  const instance = new ServiceInstance(ctx, readerId);
  if (!(await untilReady(ctx))) return;
  for (let i = 0; i < rounds && !ctx.shared.finished; i++) {
    await ctx.client.sleep(ctx.between(50, 350));
    if (role === "writer") await writeOne(ctx, instance);
    else await readOne(ctx, instance);
  }
}

/** Everything a principal can do to obtain the plaintext at `path`. */
async function tryOpen(ctx: KeyTaskContext, principal: Principal, path: string,
  facts: ActionFacts, zk: ReturnType<KeyTaskContext["client"]["connect"]>): Promise<void> {
  const { data } = await zk.getData(path);
  const header = data === null ? undefined : sealedFactsOf(data);
  if (data === null || header === undefined) throw new CryptoError("GARBAGE", `${path}`);
  facts.sealed = header;
  const grant = await zk.getData(grantPath(header.key, principal.id, header.version));
  const key = openGrant(principal, header.key, header.version, grant.data ?? new Uint8Array());
  try {
    facts.plaintext = openValue({ name: header.key, decryptionKey: () => key }, path, data);
  } finally {
    key.wipe();
  }
}

/** A principal (no root key): its digest credentials and its grants only. */
export async function principalClient(ctx: KeyTaskContext, principal: Principal,
  rounds: number): Promise<void> {
  if (!(await untilReady(ctx))) return;
  let zk = ctx.client.connect();
  await zk.addAuth("digest", principal.digestAuth()).catch(() => undefined);
  for (let i = 0; i < rounds && !ctx.shared.finished; i++) {
    await ctx.client.sleep(ctx.between(100, 500));
    if (zk.state === "CLOSED") {
      zk = ctx.client.connect();
      await zk.addAuth("digest", principal.digestAuth()).catch(() => undefined);
    }
    const path = valuePath(ctx.pick(RUN_KEYS), ctx.between(0, PATH_READERS.length - 1));
    const session = zk;
    await ctx.act("read", { path }, (facts) => tryOpen(ctx, principal, path, facts, session));
  }
}

/** The forgery: the value's bytes copied as they are, or relabelled in their header. */
function forge(ctx: KeyTaskContext, data: Uint8Array): { bytes: Uint8Array; how: string } {
  const bytes = data.slice();
  const nameLength = bytes[5] ?? 0;
  const how = ctx.pick(["copy", "copy", "version", "key"] as const);
  if (how === "version") {
    const at = 6 + nameLength + 3; // the low byte of the big-endian u32 version
    const version = bytes[at] ?? 1;
    bytes[at] = version > 1 && ctx.prng.chance(0.5) ? version - 1 : version + 1;
  } else if (how === "key") {
    const at = 6 + nameLength - 1; // "k1" <-> "k2": the names differ in their last byte
    bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
  }
  return { bytes, how };
}

/** The hostile client: copies to its own paths, relabels in place, opens each forgery. */
export async function hostileClient(ctx: KeyTaskContext, rounds: number): Promise<void> {
  const instance = new ServiceInstance(ctx, undefined);
  if (!(await untilReady(ctx))) return;
  for (let i = 0; i < rounds && !ctx.shared.finished; i++) {
    await ctx.client.sleep(ctx.between(200, 700));
    const source = valuePath(ctx.pick(RUN_KEYS), ctx.between(0, PATH_READERS.length - 1));
    const target = `${HOSTILE_ROOT}/h${i % 4}`;
    let data: Uint8Array | null = null;
    try {
      data = (await (await instance.live()).zk.getData(source)).data;
    } catch {
      continue;
    }
    if (data === null || sealedFactsOf(data) === undefined) continue;
    const forged = forge(ctx, data);
    const at = forged.how === "copy" ? target : source;
    await ctx.act("forge", { path: at, subject: source }, async (facts) => {
      facts.sealed = sealedFactsOf(forged.bytes) ?? null;
      const svc = await instance.live();
      if (forged.how === "copy") {
        await instance.zk.create(at, forged.bytes).catch(async () =>
          instance.zk.setData(at, forged.bytes));
      }
      facts.plaintext = await svc.open(at, forged.bytes);
    });
  }
}
