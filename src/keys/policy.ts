/**
 * Policies: the second layer of access control, stored in the tree and enforced by the service
 * (the first is ZooKeeper's own ACLs on the znodes, which the server enforces). A policy lists,
 * for one principal, which operations it may perform on which keys:
 *
 *   /_zabsim/policies/<id> = { "format": 1, "rules": [ { "key": "payments" | "*",
 *     "ops": ["encrypt", "decrypt", "rotate", "grant", "destroy", "admin"] } ] }
 *
 * - `decrypt`: the principal may be granted the key's versions (a grant IS the symmetric key,
 *   so holding one means being able to decrypt: no grant without `decrypt`);
 * - `encrypt`: the principal's client may seal with a version it holds (a discipline of the
 *   client, not a cryptographic guarantee: docs/keys.md);
 * - `rotate`: add and promote versions, rewrap, change the minimum decryption version;
 * - `grant`: grant and revoke the key to others (each grantee's own policy must allow it too);
 * - `destroy`: destroy versions (which rotates the root key and the grantees' box keys);
 * - `admin` (on "*"): create keys, register principals, write policies, rotate the root key.
 * No policy node, or no matching rule: refused (fail closed). Every audited multi carries a
 * `check` of the policy node's version, so a policy changed after it was read fails the multi.
 */
import { fromUtf8 } from "./text.js";

export const POLICY_OPS = ["encrypt", "decrypt", "rotate", "grant", "destroy", "admin"] as const;
export type PolicyOp = (typeof POLICY_OPS)[number];

export interface PolicyRule {
  /** A key name, or "*" for every key. */
  readonly key: string;
  readonly ops: readonly PolicyOp[];
}

export interface Policy {
  readonly rules: readonly PolicyRule[];
}

/** Bound on the rules of one policy (a policy is one znode; keep it small). */
export const POLICY_RULES_MAX = 256;
const OPS: ReadonlySet<string> = new Set(POLICY_OPS);
const KEY_PATTERN = /^(?:\*|[A-Za-z0-9_][A-Za-z0-9._-]{0,63})$/;

/** True when `policy` lets its principal perform `op` on `key`. */
export function allows(policy: Policy, op: PolicyOp, key: string): boolean {
  return policy.rules.some((rule) =>
    (rule.key === "*" || rule.key === key) && rule.ops.includes(op));
}

/** Why `value` is not a policy, or undefined. */
export function policyProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "a policy is an object";
  const rules = (value as { rules?: unknown }).rules;
  if (!Array.isArray(rules) || rules.length > POLICY_RULES_MAX) {
    return `rules is an array of at most ${POLICY_RULES_MAX}`;
  }
  for (const rule of rules as unknown[]) {
    const { key, ops } = (rule ?? {}) as { key?: unknown; ops?: unknown };
    if (typeof key !== "string" || !KEY_PATTERN.test(key)) return "a rule's key is a name or *";
    if (!Array.isArray(ops) || !ops.every((op) => typeof op === "string" && OPS.has(op))) {
      return `a rule's ops are among ${POLICY_OPS.join(", ")}`;
    }
  }
  return undefined;
}

export function encodePolicy(policy: Policy): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: 1, rules: policy.rules }));
}

/** Parses a stored policy; undefined when it is not one (the caller refuses: fail closed). */
export function decodePolicy(data: Uint8Array | null): Policy | undefined {
  try {
    const value = JSON.parse(fromUtf8(data) ?? "") as { format?: unknown };
    if (value.format !== 1 || policyProblem(value) !== undefined) return undefined;
    return { rules: (value as unknown as Policy).rules };
  } catch {
    return undefined;
  }
}
