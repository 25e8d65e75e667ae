/**
 * The `--encrypt` run's checkers, from its key observations, its disks' bytes (the `at-rest`
 * observation) and the keys that still exist at the end (`KeyCustody`, handed over by the run,
 * never put in the trace). Each is described in keys-values.ts and keys-custody.ts; docs/keys.md
 * says what each proves. check imports crypto for this (ARCHITECTURE.md): the checkers must
 * open ciphertexts, verify signatures and hash windows of bytes, with the audited primitives.
 */
import { verifySignature } from "../crypto/index.js";
import type { SignatureCheck } from "../crypto/index.js";
import {
  checkAuditChains, checkKeyAccess, checkRotation, checkShredding,
} from "./keys-custody.js";
import type { KeyCustody } from "./keys-custody.js";
import { keyEvents } from "./keys-events.js";
import { checkForgery, checkNonces, checkSealedValues, checkSecretsAtRest } from "./keys-values.js";
import type { ObservationRecord, Violation } from "./types.js";

export type { KeyCustody } from "./keys-custody.js";
export type { KeyEvent } from "./keys-events.js";
export { keyEvents } from "./keys-events.js";

/** Every key-service checker over one run. */
export function checkKeyService(records: readonly ObservationRecord[], custody: KeyCustody,
  verify: SignatureCheck = verifySignature): Violation[] {
  const events = keyEvents(records);
  return [
    ...checkSecretsAtRest(records, events),
    ...checkSealedValues(events),
    ...checkForgery(events),
    ...checkNonces(events),
    ...checkShredding(records, events, custody),
    ...checkKeyAccess(events),
    ...checkRotation(events),
    ...checkAuditChains(records, verify),
  ];
}
