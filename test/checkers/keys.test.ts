/**
 * The `--encrypt` checkers on hand-written key observations: a small correct history (a value
 * written under "k" v1, read, the minimum raised to 2 after a rotation, the value refused, a
 * forgery that fails, a principal reading what its policy and the ACL allow) passes every key
 * checker, and each doctored copy (one planted mistake) fails the checker meant for it. The
 * planted service bugs of test/properties/run-encrypt.test.ts prove the same checkers on real
 * runs; sealed-values has no service bug of its own, so its self-tests live here.
 */
import { describe, expect, it } from "vitest";
import { checkKeyService } from "../../src/check/index.js";
import type { ObservationRecord } from "../../src/check/index.js";
import type { KeyAction, KeyObservation, SealedFacts } from "../../src/observe/index.js";

const FP = (n: number) => n.toString(16).padStart(64, "0");
const SEALED = (version: number, n: number): SealedFacts =>
  ({ key: "k", version, nonce: FP(100 + n).slice(0, 48), ciphertext: FP(200 + n) });

interface Step {
  readonly action: KeyAction;
  readonly actor?: string;
  readonly version?: number | null;
  readonly path?: string;
  readonly subject?: string;
  readonly outcome?: string;
  readonly done?: { version?: number; plaintext?: string; sealed?: SealedFacts;
    readers?: string[] };
}

/** Each step as an invoke and a complete, one after the other. */
function history(steps: readonly Step[]): ObservationRecord[] {
  const out: ObservationRecord[] = [];
  const push = (observation: KeyObservation) =>
    out.push({ index: out.length, timeMicros: out.length * 1000, observation });
  steps.forEach((s, id) => {
    push({ kind: "key-invoke", client: 200, id, action: s.action, actor: s.actor ?? "svc:a",
      key: "k", version: s.version ?? null, path: s.path ?? null, subject: s.subject ?? null });
    push({ kind: "key-complete", client: 200, id, outcome: s.outcome ?? "OK",
      version: s.done?.version ?? null, plaintext: s.done?.plaintext ?? null,
      plaintextBytes: s.done?.plaintext === undefined ? null : 24,
      sealed: s.done?.sealed ?? null, readers: s.done?.readers ?? null });
  });
  return out;
}

const P = "/enc/k/v0";
const CLEAN: Step[] = [
  { action: "register", subject: "alice", done: { readers: ["k"] } },
  { action: "write", path: P,
    done: { plaintext: FP(1), sealed: SEALED(1, 1), readers: ["alice"] } },
  { action: "read", path: P, done: { plaintext: FP(1), sealed: SEALED(1, 1) } },
  { action: "read", actor: "alice", path: P, done: { plaintext: FP(1), sealed: SEALED(1, 1) } },
  { action: "add-version", done: { version: 2 } },
  { action: "promote", version: 2 },
  { action: "min-decryption", version: 2 },
  { action: "read", path: P, outcome: "VERSION_BELOW_MINIMUM", done: { sealed: SEALED(1, 1) } },
  { action: "forge", path: "/enc/hostile/h0", subject: P, outcome: "NOT_AUTHENTIC",
    done: { sealed: SEALED(1, 1) } },
  { action: "write", path: P,
    done: { plaintext: FP(2), sealed: SEALED(2, 2), readers: ["alice"] } },
  { action: "read", path: P, done: { plaintext: FP(2), sealed: SEALED(2, 2) } },
];
const NO_CUSTODY = { roots: [], principals: [] };
const check = (steps: readonly Step[]) =>
  checkKeyService(history(steps), NO_CUSTODY).map((v) => v.checker);
const replace = (at: number, step: Step) => CLEAN.map((s, i) => (i === at ? step : s));

describe("the key checkers on hand-written histories", () => {
  it("a correct history passes every key checker", () => {
    expect(check(CLEAN)).toEqual([]);
  });

  it("sealed-values: a read that opens after the minimum rose above its version", () => {
    expect(check(replace(7, { action: "read", path: P,
      done: { plaintext: FP(1), sealed: SEALED(1, 1) } }))).toEqual(["sealed-values"]);
  });

  it("sealed-values: a refusal while the version was readable", () => {
    expect(check(replace(2, { action: "read", path: P, outcome: "VERSION_BELOW_MINIMUM",
      done: { sealed: SEALED(1, 1) } }))).toEqual(["sealed-values"]);
  });

  it("sealed-values: a plaintext nobody wrote there, or a written value that fails", () => {
    expect(check(replace(2, { action: "read", path: P,
      done: { plaintext: FP(9), sealed: SEALED(1, 1) } }))).toEqual(["sealed-values"]);
    expect(check(replace(2, { action: "read", path: P, outcome: "NOT_AUTHENTIC",
      done: { sealed: SEALED(1, 1) } }))).toEqual(["sealed-values"]);
  });

  it("forgery, nonce-reuse, key-access and rotation each fire on their mistake", () => {
    expect(check(replace(8, { action: "forge", path: "/enc/hostile/h0", subject: P,
      done: { plaintext: FP(1), sealed: SEALED(1, 1) } }))).toEqual(["forgery"]);
    expect(check(replace(9, { action: "write", path: P, done: { plaintext: FP(2),
      sealed: { ...SEALED(1, 2), nonce: SEALED(1, 1).nonce }, readers: ["alice"] } })))
      .toEqual(["nonce-reuse"]);
    expect(check(replace(0, { action: "register", subject: "alice", done: { readers: [] } })))
      .toEqual(["key-access"]);
    const loads: Step[] = [{ action: "load", actor: "svc:r", done: { version: 1 } }];
    expect(check([...loads, ...CLEAN])).toEqual(["rotation"]);
    expect(check([...loads, { action: "load", actor: "svc:r", done: { version: 2 } }, ...CLEAN]))
      .toEqual([]);
  });
});
