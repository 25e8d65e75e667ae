/**
 * The `--encrypt` run's checkers of keys and who holds them (docs/keys.md):
 * - shredding: after a destroy completed (every principal granted the version rotated), no
 *   wrapped copy or grant of that version anywhere on the servers' disks opens with a key that
 *   still exists at the end of the run (the service instances' root keys, every principal's
 *   current box key). The keys reach this checker as `KeyCustody`, never as an observation,
 *   because an observation is something a trace may render.
 * - key-access: a principal obtains a plaintext only when both layers allow it: its policy
 *   lets it decrypt the value's key, and the value's ACL names it.
 * - rotation: a version becomes primary only once every reader that had loaded the key before
 *   the promote began has loaded that version (Tink's two-phase rotation).
 * - audit-chain: every audit chain an auditor read verifies (signatures, links, head).
 */
import {
  decodeAuditHead, grantHeaderOf, isCryptoError, openGrant, unwrapKey, verifyAuditChain,
  wrappedHeaderOf,
} from "../crypto/index.js";
import type { Principal, RootKey, SignatureCheck } from "../crypto/index.js";
import type { KeyObservation } from "../observe/index.js";
import type { ObservationRecord, Violation } from "./types.js";
import { violationAt } from "./types.js";
import { completedBefore, invokedBeforeEnd, pointOf } from "./keys-events.js";
import type { KeyEvent } from "./keys-events.js";

/** The keys that exist at the end of the run, as the run hands them to the checker. */
export interface KeyCustody {
  readonly roots: readonly RootKey[];
  readonly principals: readonly Principal[];
}

const WRAPPED = [0x7a, 0x77, 0x6b];
const GRANT = [0x7a, 0x67, 0x74];
const starts = (b: Uint8Array, magic: readonly number[]) => magic.every((m, i) => b[i] === m);

/** Runs `open`; true when it returned (the key was wiped at once), false on a CryptoError. */
function opens(open: () => { wipe(): void }): boolean {
  try {
    open().wipe();
    return true;
  } catch (error) {
    if (isCryptoError(error)) return false;
    throw error;
  }
}

/** What of `blob` opens with the custody's keys, if it is a destroyed version's copy. */
function survivor(blob: Uint8Array, destroyed: ReadonlySet<string>, custody: KeyCustody):
  string | undefined {
  if (starts(blob, WRAPPED)) {
    let h;
    try {
      h = wrappedHeaderOf(blob);
    } catch {
      return undefined;
    }
    if (!destroyed.has(`${h.keyName}\u0000${h.keyVersion}`)) return undefined;
    const root = custody.roots.find((r) =>
      opens(() => unwrapKey(r, h.keyName, h.keyVersion, blob)));
    return root === undefined ? undefined
      : `"${h.keyName}" v${h.keyVersion}'s wrapped material unwraps under root gen ` +
        `${root.generation}, which still exists`;
  }
  if (!starts(blob, GRANT)) return undefined;
  let g;
  try {
    g = grantHeaderOf(blob);
  } catch {
    return undefined;
  }
  if (!destroyed.has(`${g.keyName}\u0000${g.keyVersion}`)) return undefined;
  const holder = custody.principals.find((p) => p.id === g.principalId &&
    opens(() => openGrant(p, g.keyName, g.keyVersion, blob)));
  return holder === undefined ? undefined
    : `the grant of "${g.keyName}" v${g.keyVersion} to ${holder.id} opens with its box key`;
}

export function checkShredding(records: readonly ObservationRecord[],
  events: readonly KeyEvent[], custody: KeyCustody): Violation[] {
  const destroyed = new Set(events.filter((e) => e.action === "destroy" && e.outcome === "OK")
    .map((e) => `${e.key}\u0000${e.version ?? 0}`));
  if (destroyed.size === 0) return [];
  for (const r of records) {
    if (r.observation.kind !== "at-rest") continue;
    for (const blob of r.observation.disks.blobs) {
      const found = survivor(blob, destroyed, custody);
      if (found !== undefined) {
        return [violationAt("shredding", r, `after a completed destroy, on disk: ${found}`)];
      }
    }
  }
  return [];
}

export function checkKeyAccess(events: readonly KeyEvent[]): Violation[] {
  const policies = new Map<string, Set<string>>();
  const acl = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.action === "register" && e.subject !== null && e.readers !== null) {
      policies.set(e.subject, new Set(e.readers ?? []));
    }
    if (e.action === "write" && e.path !== null && e.readers !== null) {
      acl.set(e.path, new Set([...(acl.get(e.path) ?? []), ...e.readers]));
    }
  }
  const violations: Violation[] = [];
  for (const e of events) {
    const policy = policies.get(e.actor);
    if (e.action !== "read" || policy === undefined || e.outcome !== "OK") continue;
    const key = e.sealed?.key ?? "?";
    const at = e.path ?? "?";
    if (!policy.has(key)) {
      violations.push(violationAt("key-access", pointOf(e),
        `${e.actor} obtained the plaintext at ${at} although its policy forbids decrypting ` +
        `"${key}"`));
    } else if (!(acl.get(at)?.has(e.actor) ?? false)) {
      violations.push(violationAt("key-access", pointOf(e),
        `${e.actor} obtained the plaintext at ${at} although its ACL does not name it`));
    }
  }
  return violations;
}

/**
 * The readers of `key` that had loaded it before `promote` began, leaving out any reader with a
 * load that may have acknowledged a version nobody saw (it failed inside the refresh: version
 * -1, or never completed).
 */
function judgedReaders(loads: readonly KeyEvent[], promote: KeyEvent): string[] {
  const readers = new Set<string>();
  const unsure = new Set<string>();
  for (const l of loads) {
    if ((l.resultVersion ?? 0) >= 1 && completedBefore(l, promote)) readers.add(l.actor);
    if (l.resultVersion === -1 || (l.completedAt === undefined && l.action !== "write")) {
      unsure.add(l.actor); // a refresh that may have acknowledged a version unseen
    }
  }
  return [...readers].filter((r) => !unsure.has(r)).sort();
}

/** Loads of `key` by service readers: loads, and reads (each loads the keyring first). */
function loadsOf(events: readonly KeyEvent[], key: string): KeyEvent[] {
  return events.filter((e) => e.key === key && e.actor.startsWith("svc:") &&
    (e.action === "load" || e.action === "read"));
}

export function checkRotation(events: readonly KeyEvent[]): Violation[] {
  const violations: Violation[] = [];
  for (const p of events) {
    if (p.action !== "promote" || p.outcome !== "OK" || p.version === null) continue;
    const version = p.version;
    const loads = loadsOf(events, p.key);
    for (const reader of judgedReaders(loads, p)) {
      const ready = loads.some((l) => l.actor === reader && (l.resultVersion ?? 0) >= version &&
        invokedBeforeEnd(l, p));
      if (!ready) {
        violations.push(violationAt("rotation", pointOf(p), `"${p.key}" v${version} became ` +
          `primary before reader ${reader} had loaded it`));
        break;
      }
    }
  }
  return violations;
}

type Chain = Extract<KeyObservation, { kind: "audit-chain" }>;

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The problem with one chain as read, or undefined when it verifies. */
function chainProblem(chain: Chain, verify: SignatureCheck): string | undefined {
  let head;
  try {
    head = decodeAuditHead(chain.head);
  } catch (error) {
    if (isCryptoError(error)) return "the chain's head does not parse";
    throw error;
  }
  const signers = new Map(Object.entries(chain.signers).map(([id, hex]) => [id, hexBytes(hex)]));
  const verdict = verifyAuditChain(chain.records, head, (actor) => signers.get(actor), verify);
  return verdict.ok ? undefined : `${verdict.problem}: ${verdict.message}`;
}

/**
 * `verify` is the Ed25519 check (tweetnacl's by default); a run's chains share one cache of
 * verified (message, signature, key) triples, since every chain read repeats the earlier ones.
 */
export function checkAuditChains(records: readonly ObservationRecord[],
  verify: SignatureCheck): Violation[] {
  const seen = new Set<string>();
  const cached: SignatureCheck = (message, sig, key) => {
    const id = `${hexOf(sig)}/${hexOf(key)}/${hexOf(message)}`;
    if (seen.has(id)) return true;
    const ok = verify(message, sig, key);
    if (ok) seen.add(id);
    return ok;
  };
  const violations: Violation[] = [];
  for (const r of records) {
    if (r.observation.kind !== "audit-chain") continue;
    const problem = chainProblem(r.observation, cached);
    if (problem !== undefined) {
      violations.push(violationAt("audit-chain", r, `the audit chain does not verify: ${problem}`));
      break;
    }
  }
  return violations;
}

function hexOf(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}
