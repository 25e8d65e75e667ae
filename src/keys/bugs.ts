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
 */
export const KEY_BUGS = [
  "unsigned-audit", "unguarded-audit-head", "grant-skips-policy", "destroy-keeps-root",
] as const;
export type KeyBug = (typeof KEY_BUGS)[number];
