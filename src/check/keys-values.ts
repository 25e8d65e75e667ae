/**
 * The `--encrypt` run's checkers of sealed values (docs/keys.md, "What each checker proves"):
 * - secrets-at-rest: no plaintext a client sealed appears in any data byte on any server's
 *   disk at the end of the run, nor in any byte string the trace holds (requests, read results,
 *   audit records). Plaintexts are known only by SHA-256 fingerprint and length, so every window
 *   of that length is hashed.
 * - sealed-values: a service reader's read returns only a plaintext some client wrote at that
 *   path; it opens while its version is at or above the minimum in force and not destroyed, and
 *   never after a change that excludes it completed; a value a client wrote there never fails
 *   to authenticate there; no key operation ends in an untyped error.
 * - forgery: a ciphertext copied to another path, or relabelled with another key or version,
 *   never opens.
 * - nonce-reuse: no two different sealed values share a nonce under one key version.
 */
import { findFingerprint, fingerprint } from "../crypto/index.js";
import type { ObservationRecord, Violation } from "./types.js";
import { violationAt } from "./types.js";
import { completedBefore, invokedBeforeEnd, maybeApplied, pointOf } from "./keys-events.js";
import type { KeyEvent } from "./keys-events.js";
import { blobsIn } from "../util/index.js";

/** The byte strings an observation carries where a plaintext must never be. */
function traceBlobs(record: ObservationRecord): Uint8Array[] {
  const o = record.observation;
  const out: Uint8Array[] = [];
  if (o.kind === "invoke") blobsIn(o.request, out);
  else if (o.kind === "complete") blobsIn(o.read?.data ?? null, out);
  else if (o.kind === "audit-chain") blobsIn(o.records, out);
  return out;
}

export function checkSecretsAtRest(records: readonly ObservationRecord[],
  events: readonly KeyEvent[]): Violation[] {
  const byLength = new Map<number, Set<string>>();
  for (const e of events) {
    if (e.action !== "write" || e.plaintext === null || e.plaintextBytes === null) continue;
    byLength.set(e.plaintextBytes, (byLength.get(e.plaintextBytes) ?? new Set()).add(e.plaintext));
  }
  if (byLength.size === 0) return [];
  const shortest = Math.min(...byLength.keys());
  const scanned = new Map<string, boolean>(); // the same bytes recur: scan them once
  const found = (blob: Uint8Array): boolean => {
    if (blob.length < shortest) return false;
    const whole = fingerprint(blob);
    const known = scanned.get(whole);
    if (known !== undefined) return known;
    let hit = false;
    for (const [length, wanted] of byLength) {
      if (findFingerprint(blob, length, wanted) >= 0) hit = true;
    }
    scanned.set(whole, hit);
    return hit;
  };
  const violations: Violation[] = [];
  for (const r of records) {
    const o = r.observation;
    if (o.kind === "at-rest") {
      const hit = o.disks.blobs.findIndex(found);
      if (hit >= 0) {
        violations.push(violationAt("secrets-at-rest", r,
          `a plaintext a client sealed is in data blob ${hit} on the servers' disks`));
      }
    } else if (violations.length === 0 && traceBlobs(r).some(found)) {
      violations.push(violationAt("secrets-at-rest", r,
        `a plaintext a client sealed is in the trace (a ${o.kind} observation)`));
    }
  }
  return violations;
}

const UNAUTHENTIC = new Set([
  "NOT_AUTHENTIC", "GARBAGE", "TRUNCATED", "MALFORMED", "CONTEXT_MISMATCH", "WRONG_KEY",
]);
const REFUSED = new Set(["VERSION_BELOW_MINIMUM", "VERSION_DESTROYED"]);

/** Whether version `v` of `key` must open, must be refused, or may be either, for `read`. */
function judgement(events: readonly KeyEvent[], read: KeyEvent, key: string, v: number):
  "open" | "refuse" | "either" {
  const mins = events.filter((m) => m.action === "min-decryption" && m.key === key &&
    maybeApplied(m) && invokedBeforeEnd(m, read));
  let settled: KeyEvent | undefined;
  for (const m of mins) {
    if (m.outcome !== "OK" || !completedBefore(m, read)) continue;
    if (settled === undefined || (m.completedAt?.index ?? 0) > (settled.completedAt?.index ?? 0)) {
      settled = m;
    }
  }
  const racing = mins.filter((m) => m !== settled &&
    (settled === undefined || m.invokedAt.index > settled.invokedAt.index));
  const lows = [settled?.version ?? 1, ...racing.map((m) => m.version ?? 1)];
  const destroys = events.filter((d) => d.action === "destroy" && d.key === key &&
    d.version === v && maybeApplied(d) && invokedBeforeEnd(d, read));
  if (destroys.some((d) => d.outcome === "OK" && completedBefore(d, read))) return "refuse";
  if (lows.every((low) => low > v)) return "refuse";
  if (lows.every((low) => low <= v) && destroys.length === 0) return "open";
  return "either";
}

/** The problem with one service read, or undefined. */
function readProblem(events: readonly KeyEvent[], read: KeyEvent,
  writes: readonly KeyEvent[]): string | undefined {
  const at = read.path ?? "?";
  if (read.outcome.startsWith("THREW")) return `a read of ${at} ended in ${read.outcome}`;
  const sealed = read.sealed;
  if (read.outcome === "OK") {
    if (!writes.some((w) => w.plaintext === read.plaintext)) {
      return `a read of ${at} returned a plaintext no client wrote there`;
    }
  }
  if (sealed === null) return undefined;
  const legit = writes.some((w) => w.sealed?.ciphertext === sealed.ciphertext);
  if (UNAUTHENTIC.has(read.outcome) && legit) {
    return `the value a client wrote at ${at} did not open there (${read.outcome})`;
  }
  const verdict = judgement(events, read, sealed.key, sealed.version);
  const what = `"${sealed.key}" v${sealed.version} at ${at}`;
  if (read.outcome === "OK" && verdict === "refuse") {
    return `${what} opened after its version was destroyed or fell below the minimum`;
  }
  if (REFUSED.has(read.outcome) && verdict === "open") {
    return `${what} was refused (${read.outcome}) while its version was readable`;
  }
  return undefined;
}

export function checkSealedValues(events: readonly KeyEvent[]): Violation[] {
  const writes = new Map<string, KeyEvent[]>();
  for (const e of events) {
    if (e.action === "write" && e.path !== null) {
      writes.set(e.path, [...(writes.get(e.path) ?? []), e]);
    }
  }
  const violations: Violation[] = [];
  for (const e of events) {
    if (e.outcome.startsWith("THREW") && e.action !== "read") {
      violations.push(violationAt("sealed-values", pointOf(e),
        `${e.action} by ${e.actor} ended in ${e.outcome}`));
      continue;
    }
    if (e.action !== "read" || !e.actor.startsWith("svc:")) continue;
    const problem = readProblem(events, e, writes.get(e.path ?? "") ?? []);
    if (problem !== undefined) violations.push(violationAt("sealed-values", pointOf(e), problem));
  }
  return violations;
}

export function checkForgery(events: readonly KeyEvent[]): Violation[] {
  return events.filter((e) => e.action === "forge" && e.outcome === "OK").map((e) =>
    violationAt("forgery", pointOf(e), `a ciphertext from ${e.subject ?? "?"} forged at ` +
      `${e.path ?? "?"} opened`));
}

export function checkNonces(events: readonly KeyEvent[]): Violation[] {
  const seen = new Map<string, string>();
  const violations: Violation[] = [];
  for (const e of events) {
    const s = e.sealed;
    if (e.action !== "write" || s === null) continue;
    const slot = `${s.key}\u0000${s.version}\u0000${s.nonce}`;
    const other = seen.get(slot);
    if (other === undefined) seen.set(slot, s.ciphertext);
    else if (other !== s.ciphertext && violations.length < 1) {
      violations.push(violationAt("nonce-reuse", pointOf(e),
        `nonce ${s.nonce.slice(0, 16)}... sealed two values under "${s.key}" v${s.version}`));
    }
  }
  return violations;
}

