/**
 * The crypto module's public surface: random sources, secret keys that never print their bytes,
 * sealed values bound to their znode path, key material wrapped under a root key, and the pure
 * rules of a named key's versions. Pure: it imports only util and audited libraries (tweetnacl's
 * secretbox, @noble/hashes' HKDF and SHA-256), and every random byte comes from a RandomSource
 * argument. The platform CSPRNG is in system-random.ts, a separate entry point only the CLI (and
 * code outside src/) may import.
 */
export type { CryptoErrorCode } from "./errors.js";
export { CryptoError, isCryptoError } from "./errors.js";
export type { RandomSource } from "./random.js";
export { RANDOM_DRAW_BYTES_MAX, seededRandom } from "./random.js";
export { KEY_BYTES, SecretKey } from "./secret-key.js";
export {
  KEY_NAME_CHARS_MAX, checkKeyName, checkPath, keyNameProblem, pathProblem,
} from "./names.js";
export type {
  DecryptionKeys, SealContext, SealedHeader, VersionedKey,
} from "./sealed.js";
export {
  KEY_VERSION_MAX, NONCE_BYTES, SEALED_FORMAT, TAG_BYTES, VALUE_ID_BYTES, looksSealed,
  openValue, sealValue, sealedHeaderOf, sequentialContext,
} from "./sealed.js";
export { resealValue } from "./reseal.js";
export {
  findFingerprint, fingerprint, sealedFactsOf, wrappedHeaderOf,
} from "./fingerprint.js";
export type { RootKey, WrappedHeader } from "./wrapped.js";
export { generateRootKey, unwrapKey, wrapKey } from "./wrapped.js";
export type { KeyringMeta, VersionState } from "./keyring.js";
export {
  Keyring, addVersion, decodeKeyringMeta, destroyVersion, encodeKeyringMeta, keyringProblem,
  latestVersion, newKeyring, promote, setMinDecryption, stateOf,
} from "./keyring.js";
export type { ChannelPeers, HandshakeInput } from "./channel.js";
export {
  CHANNEL_KEY_BYTES, CHANNEL_PROTOCOL, ChannelIdentity, EphemeralKey, FRAME_TAG_BYTES, FrameKeys,
  handshakeKeys,
} from "./channel.js";
export type { ShareSplitter } from "./shamir.js";
export { SHARES_MAX, checkSplit, combineShares, seededSplit } from "./shamir.js";
export { rootCheck, rootKeyFromShares, splitRootKey } from "./root.js";
export type { PublicPrincipal } from "./principal.js";
export {
  Principal, checkPrincipalId, decodePublicPrincipal, encodePublicPrincipal, principalIdProblem,
  zkDigestOf,
} from "./principal.js";
export type { GrantHeader } from "./grant.js";
export { grantHeaderOf, openGrant, sealGrant } from "./grant.js";
export type {
  AuditBody, AuditHead, AuditOp, AuditProblem, AuditVerdict, SignatureCheck,
} from "./audit.js";
export {
  AUDIT_OPS, GENESIS, auditHash, decodeAuditHead, decodeAuditRecord, encodeAuditHead,
  encodeAuditRecord, verifyAuditChain, verifySignature,
} from "./audit.js";
