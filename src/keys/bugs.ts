/**
 * Planted bugs: each turns off one guarantee of the key service, so a test (and later the
 * simulation's `--bug` with `--encrypt`) can prove the verifier or property that should catch it
 * does. Off unless named in `KeyServiceOptions.bugs`.
 * - `unsigned-audit`: audit records carry no signature (the chain verifier: "unsigned").
 * - `unguarded-audit-head`: the chain head is written without its version check, so two
 *   concurrent writers fork the chain (the verifier: "fork").
 * - `grant-skips-policy`: grant does not consult the policies (the two-layer property: a
 *   principal obtains plaintext its policy forbids).
 * - `destroy-keeps-root`: destroy does not rotate the root key (the shredding property: the
 *   destroyed version's wrapped material in the log still unwraps with a key that exists).
 * Issue 15's, caught by the `--encrypt` run's checkers (src/check/keys*.ts):
 * - `plaintext-at-rest`: values are stored unsealed (and read back as they are).
 * - `nonce-reuse`: every seal draws its nonce (and value id) from a source stuck at zero.
 * - `no-context-binding`: values are sealed and opened for one fixed context, not their path,
 *   so a ciphertext copied to another path opens there.
 * - `promote-before-readable`: promote does not wait for the readers' acknowledgements.
 */
export const KEY_BUGS = [
  "unsigned-audit", "unguarded-audit-head", "grant-skips-policy", "destroy-keeps-root",
  "plaintext-at-rest", "nonce-reuse", "no-context-binding", "promote-before-readable",
] as const;
export type KeyBug = (typeof KEY_BUGS)[number];

/** One line per planted bug of the key service, for `--bug list`. */
export const KEY_BUG_DESCRIPTIONS: Readonly<Record<KeyBug, string>> = {
  "unsigned-audit": "the key service appends audit records without a signature",
  "unguarded-audit-head":
    "the key service writes the audit chain's head without its version check, so two " +
    "writers fork the chain",
  "grant-skips-policy": "a grant skips the policy check of the actor and of the grantee",
  "destroy-keeps-root":
    "destroying a key version does not rotate the root key, so its wrapped copy in the logs " +
    "still opens",
  "plaintext-at-rest": "the key service writes values unsealed, so plaintext reaches the disks",
  "nonce-reuse": "every sealed value gets the same nonce under a key version",
  "no-context-binding":
    "sealed values are not bound to their path, so a ciphertext copied to another path opens",
  "promote-before-readable":
    "a rotation promotes a new version before every reader has acknowledged loading it",
};

/** True when `name` is a key-service bug. */
export function isKeyBug(name: string): name is KeyBug {
  return (KEY_BUGS as readonly string[]).includes(name);
}
