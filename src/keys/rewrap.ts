/**
 * Rewrap: re-seal every value of a subtree that is sealed under an older version of a key, to
 * the key's primary, without the caller seeing plaintext (crypto's resealValue keeps it inside).
 * It runs in batches, each ONE multi: the conditional setData of every value in the batch
 * (guarded by the data version read, so a concurrent write is never lost) plus the setData of
 * the cursor node (guarded by its version, so two rewrap jobs cannot interleave). A crash or a
 * lost connection therefore loses no committed progress: the next call reads the cursor and
 * resumes after it, and values already at the target are skipped anyway. Batches also stay
 * under a byte budget, because a multi is one request and ZooKeeper drops requests over
 * jute.maxbuffer (1 MiB by default).
 */
import {
  checkPath, isCryptoError, looksSealed, resealValue, sealedHeaderOf,
} from "../crypto/index.js";
import type { Keyring, VersionedKey } from "../crypto/index.js";
import { assert } from "../util/index.js";
import type { KeyServiceCore } from "./core.js";
import { KeyServiceError } from "./errors.js";
import { rewrapPath } from "./layout.js";
import { walkAfter } from "./walk.js";
import type { Visited } from "./walk.js";
import { keeperCodeOf } from "./zk.js";
import type { Op } from "./zk.js";


/** Batch bounds. */
export interface RewrapOptions {
  /** Values per multi, 1..1000; default 100. */
  readonly batchSize?: number;
  /** Bytes of sealed values per multi; default 512 KiB, half of jute.maxbuffer. */
  readonly batchBytesMax?: number;
  /** Abandon an unfinished job over another subtree instead of failing with CONFLICT. */
  readonly restart?: boolean;
}

/** What one rewrap call did. */
export interface RewrapReport {
  /** The version every value was re-sealed to (the primary when the job started). */
  readonly target: number;
  /** The cursor this call resumed after, if it resumed an interrupted job. */
  readonly resumedAfter: string | undefined;
  readonly examined: number;
  readonly rewrapped: number;
  readonly batches: number;
  /** Values of this key that could not be opened (below minimum, destroyed, not authentic). */
  readonly unreadable: readonly string[];
}

/** The cursor node's content. */
interface Cursor {
  readonly target: number;
  readonly subtree: string;
  readonly after: string | null;
  readonly done: boolean;
}

const BATCH_DEFAULT = 100;
const BATCH_BYTES_DEFAULT = 512 * 1024;
const UNREADABLE_LISTED_MAX = 100;

function encodeCursor(cursor: Cursor): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: 1, ...cursor }));
}

function decodeCursor(data: Uint8Array | null): Cursor | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(data ?? new Uint8Array())) as Cursor;
    const ok = typeof value.target === "number" && typeof value.subtree === "string" &&
      (value.after === null || typeof value.after === "string") && typeof value.done === "boolean";
    return ok ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A job in progress: its cursor and the cursor node's version. */
interface Job {
  cursor: Cursor;
  nodeVersion: number;
}

/**
 * Reads the cursor. An unfinished job over the same subtree and the same target (the primary)
 * is resumed; one with an older target starts over (what it re-sealed needs re-sealing again
 * anyway); one over another subtree is a CONFLICT unless `restart` abandons it.
 */
async function startJob(service: KeyServiceCore, name: string, subtree: string, target: number,
  restart: boolean): Promise<{ job: Job; resumed: boolean }> {
  const path = rewrapPath(name);
  const fresh: Cursor = { target, subtree, after: null, done: false };
  try {
    const { data, stat } = await service.zk.getData(path);
    const cursor = decodeCursor(data);
    if (cursor !== undefined && !cursor.done && cursor.subtree === subtree &&
      cursor.target === target) {
      return { job: { cursor, nodeVersion: stat.version }, resumed: true };
    }
    if (cursor !== undefined && !cursor.done && cursor.subtree !== subtree && !restart) {
      throw new KeyServiceError("CONFLICT", `an unfinished rewrap of "${name}" covers ` +
        `${cursor.subtree}; finish it, or pass restart to abandon it`);
    }
    const after = await service.zk.setData(path, encodeCursor(fresh), stat.version);
    return { job: { cursor: fresh, nodeVersion: after.version }, resumed: false };
  } catch (error) {
    const code = keeperCodeOf(error);
    if (code === "BADVERSION") throw conflict(name);
    if (code !== "NONODE") throw error;
  }
  try {
    await service.zk.create(path, encodeCursor(fresh), service.acl, "PERSISTENT");
  } catch (error) {
    if (keeperCodeOf(error) === "NODEEXISTS") throw conflict(name);
    throw error;
  }
  return { job: { cursor: fresh, nodeVersion: 0 }, resumed: false };
}

function conflict(name: string): KeyServiceError {
  return new KeyServiceError("CONFLICT", `another rewrap of "${name}" is running`);
}

function checkOptions(options: RewrapOptions): { size: number; bytes: number } {
  const size = options.batchSize ?? BATCH_DEFAULT;
  const bytes = options.batchBytesMax ?? BATCH_BYTES_DEFAULT;
  if (!Number.isSafeInteger(size) || size < 1 || size > 1000) {
    throw new KeyServiceError("BAD_ARGUMENT", `batchSize ${size} not in 1..1000`);
  }
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new KeyServiceError("BAD_ARGUMENT", `batchBytesMax ${bytes} is not positive`);
  }
  return { size, bytes };
}

/** One batch: the ops of its multi, the last path it examined, and whether the walk ended. */
interface Batch {
  readonly ops: Op[];
  readonly last: string | null;
  readonly exhausted: boolean;
  readonly examined: number;
  readonly unreadable: string[];
}

/**
 * The node's value re-sealed under `target` when it is sealed under an older version of the
 * key; undefined for anything else (plain data, other keys, the target or newer, and values that
 * do not open, which are listed in `unreadable` and left alone).
 */
function resealIfBelow(service: KeyServiceCore, keyring: Keyring, target: VersionedKey,
  node: Visited, unreadable: string[]): Uint8Array | undefined {
  const { data } = node;
  if (data === null || !looksSealed(data)) return undefined;
  let header;
  try {
    header = sealedHeaderOf(data);
  } catch {
    return undefined; // not a value this service can read
  }
  if (header.keyName !== keyring.name || header.keyVersion >= target.version) return undefined;
  try {
    return resealValue(keyring, target, node.path, data, service.random);
  } catch (error) {
    if (!isCryptoError(error)) throw error;
    unreadable.push(node.path);
    return undefined;
  }
}

/** Walks on from the cursor, re-sealing values below the target until the batch is full. */
async function collectBatch(service: KeyServiceCore, keyring: Keyring, job: Job,
  limits: { size: number; bytes: number }): Promise<Batch> {
  const target = keyring.versionKey(job.cursor.target);
  const ops: Op[] = [];
  const unreadable: string[] = [];
  let [bytes, examined, last] = [0, 0, job.cursor.after];
  const after = job.cursor.after ?? undefined;
  for await (const node of walkAfter(service.zk, job.cursor.subtree, after)) {
    const resealed = resealIfBelow(service, keyring, target, node, unreadable);
    if (resealed !== undefined) {
      if (ops.length > 0 && bytes + resealed.length > limits.bytes) {
        return { ops, last, exhausted: false, examined, unreadable }; // node goes in the next
      }
      ops.push({ type: "setData", path: node.path, data: resealed, version: node.stat.version });
      bytes += resealed.length;
    }
    examined++;
    last = node.path;
    if (ops.length >= limits.size) return { ops, last, exhausted: false, examined, unreadable };
  }
  return { ops, last, exhausted: true, examined, unreadable };
}

/**
 * Re-seals every value of `name` under `subtree` that is sealed below the primary version,
 * resuming an interrupted job when its cursor says so. Typed errors: CONFLICT when another job
 * holds the cursor or concurrent writes keep defeating a batch; ZooKeeper's own errors pass
 * through (after CONNECTIONLOSS, call again: the job resumes from the committed cursor).
 */
export async function rewrap(service: KeyServiceCore, name: string, subtree: string,
  options: RewrapOptions = {}): Promise<RewrapReport> {
  checkPath(subtree);
  const limits = checkOptions(options);
  const keyring = await service.refresh(name);
  const { job, resumed } = await startJob(service, name, subtree, keyring.meta.primary,
    options.restart === true);
  keyring.versionKey(job.cursor.target); // the target must still decrypt: typed error if not
  const resumedAfter = resumed ? job.cursor.after ?? undefined : undefined;
  const report = { examined: 0, rewrapped: 0, batches: 0, unreadable: [] as string[] };
  let retries = 0;
  for (;;) {
    const batch = await collectBatch(service, keyring, job, limits);
    const cursor: Cursor = {
      ...job.cursor, after: batch.last, done: batch.exhausted,
    };
    const guard: Op = {
      type: "setData", path: rewrapPath(name), data: encodeCursor(cursor),
      version: job.nodeVersion,
    };
    try {
      const results = await service.commit([...batch.ops, guard], {
        op: "rewrap-batch", key: name, version: job.cursor.target,
        detail: `${batch.ops.length} values after ${job.cursor.after ?? "(start)"}`,
      }, { op: "rotate", key: name });
      const last = results[batch.ops.length];
      assert(last?.type === "setData" && last.stat !== undefined,
        "multi result without the cursor");
      job.nodeVersion = last.stat.version;
      job.cursor = cursor;
    } catch (error) {
      const code = keeperCodeOf(error);
      if (code !== "BADVERSION" && code !== "NONODE") throw error;
      const { stat } = await service.zk.getData(rewrapPath(name));
      if (stat.version !== job.nodeVersion || ++retries > service.retriesMax) throw conflict(name);
      continue; // a value changed under the batch: read it again
    }
    report.batches++;
    report.examined += batch.examined;
    report.rewrapped += batch.ops.length;
    const room = UNREADABLE_LISTED_MAX - report.unreadable.length;
    report.unreadable.push(...batch.unreadable.slice(0, Math.max(0, room)));
    if (batch.exhausted) break;
  }
  return { target: job.cursor.target, resumedAfter, ...report };
}
