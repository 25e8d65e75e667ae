/**
 * ACLs: ZooDefs.Perms and Ids, PrepRequestProcessor.fixupACL, ZooKeeperServer.checkACL, and the two
 * authentication providers a default 3.8 server registers (ProviderRegistry: "ip" and "digest").
 * Where each permission is checked (parent for create/delete, node for the rest) is in prep.ts
 * and reads.ts.
 */
import { sha1 } from "@noble/hashes/legacy.js";
import { base64Encode, utf8Bytes } from "./base64.js";

/** An authenticated identity or an ACL subject: scheme plus id (ZooKeeper's data.Id). */
export interface Id {
  readonly scheme: string;
  readonly id: string;
}

/** One ACL entry: a permission bit set for an Id (ZooKeeper's data.ACL). */
export interface Acl {
  readonly perms: number;
  readonly id: Id;
}

/** ZooDefs.Perms. */
export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

/** ZooDefs.Ids.ANYONE_ID_UNSAFE: world:anyone. */
export const ANYONE_ID_UNSAFE: Id = { scheme: "world", id: "anyone" };
/** ZooDefs.Ids.AUTH_IDS: the "auth" pseudo-scheme, expanded to the caller's ids. */
export const AUTH_IDS: Id = { scheme: "auth", id: "" };
/** ZooDefs.Ids.OPEN_ACL_UNSAFE: everyone may do everything. */
export const OPEN_ACL_UNSAFE: readonly Acl[] = [{ perms: Perms.ALL, id: ANYONE_ID_UNSAFE }];
/** ZooDefs.Ids.CREATOR_ALL_ACL: the creator's authenticated ids get everything. */
export const CREATOR_ALL_ACL: readonly Acl[] = [{ perms: Perms.ALL, id: AUTH_IDS }];
/** ZooDefs.Ids.READ_ACL_UNSAFE: everyone may read (the ACL of /zookeeper/config). */
export const READ_ACL_UNSAFE: readonly Acl[] = [{ perms: Perms.READ, id: ANYONE_ID_UNSAFE }];

/**
 * Java's String.split(separator) with limit 0 for a one-character literal separator: trailing
 * empty strings are dropped, and a string without the separator gives itself.
 */
export function javaSplit(text: string, separator: string): string[] {
  if (!text.includes(separator)) return [text];
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Integer.parseInt for plain decimal text; undefined where Java throws. */
function parseJavaInt(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -2147483648 && value <= 2147483647 ? value : undefined;
}

/** IPAuthenticationProvider.v4addr2Bytes. */
function ipv4Bytes(address: string): number[] | undefined {
  const parts = address.split(".");
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    const value = parseJavaInt(part);
    if (value === undefined || value < 0 || value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

/** IPAuthenticationProvider's "addr[/bits]" parse: undefined when isValid would say false. */
function parseIpExpression(expression: string): { bytes: number[]; bits: number } | undefined {
  const slash = expression.indexOf("/");
  const address = slash === -1 ? expression : expression.substring(0, slash);
  const bytes = ipv4Bytes(address);
  if (bytes === undefined) return undefined;
  if (slash === -1) return { bytes, bits: 32 };
  const bits = parseJavaInt(expression.substring(slash + 1));
  if (bits === undefined || bits < 0 || bits > 32) return undefined;
  return { bytes, bits };
}

/** IPAuthenticationProvider.matches: the caller's address lies in the ACL's prefix. */
function ipMatches(callerAddress: string, expression: string): boolean {
  const acl = parseIpExpression(expression);
  const caller = ipv4Bytes(callerAddress);
  if (acl === undefined || caller === undefined) return false;
  for (let i = 0; i < 4; i++) {
    const bitsHere = Math.min(8, Math.max(0, acl.bits - i * 8));
    const mask = (0xff << (8 - bitsHere)) & 0xff;
    if (((caller[i] ?? 0) & mask) !== ((acl.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The schemes of ZooKeeper's default ProviderRegistry. */
type ProviderScheme = "ip" | "digest";

function providerOf(scheme: string): ProviderScheme | undefined {
  return scheme === "ip" || scheme === "digest" ? scheme : undefined;
}

/** ServerAuthenticationProvider.isValid for a registered scheme. */
function providerIsValid(scheme: ProviderScheme, id: string): boolean {
  if (scheme === "digest") return javaSplit(id, ":").length === 2;
  return parseIpExpression(id) !== undefined;
}

/** ServerAuthenticationProvider.matches. */
function providerMatches(scheme: ProviderScheme, callerId: string, aclId: string): boolean {
  return scheme === "digest" ? callerId === aclId : ipMatches(callerId, aclId);
}

/** ServerAuthenticationProvider.isAuthenticated: ip ids are not credentials. */
function providerIsAuthenticated(scheme: ProviderScheme): boolean {
  return scheme === "digest";
}

function sameAcl(a: Acl, b: Acl): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

/**
 * PrepRequestProcessor.fixupACL: drops duplicates, refuses an empty list (INVALIDACL), keeps
 * world:anyone, expands "auth" to each authenticated id of the caller (INVALIDACL if none), and
 * requires every other scheme to be registered and its id valid. Returns the list to store.
 */
export function fixupACL(authInfo: readonly Id[], acls: readonly Acl[]): Acl[] | "INVALIDACL" {
  const unique: Acl[] = [];
  for (const acl of acls) if (!unique.some((kept) => sameAcl(kept, acl))) unique.push(acl);
  if (unique.length === 0) return "INVALIDACL";
  const result: Acl[] = [];
  for (const acl of unique) {
    if (acl.id.scheme === "world" && acl.id.id === "anyone") {
      result.push(acl);
    } else if (acl.id.scheme === "auth") {
      let expanded = false;
      for (const caller of authInfo) {
        const scheme = providerOf(caller.scheme);
        if (scheme !== undefined && providerIsAuthenticated(scheme)) {
          expanded = true;
          result.push({ perms: acl.perms, id: caller });
        }
      }
      if (!expanded) return "INVALIDACL";
    } else {
      const scheme = providerOf(acl.id.scheme);
      if (scheme === undefined || !providerIsValid(scheme, acl.id.id)) return "INVALIDACL";
      result.push(acl);
    }
  }
  return result;
}

/**
 * ZooKeeperServer.checkACL: true when the caller may use `perm` on a node with `acl`. An empty ACL
 * and a "super" caller always pass; otherwise some entry must carry the bit and be world:anyone or
 * match one of the caller's ids of the same scheme.
 */
export function checkACL(acl: readonly Acl[], perm: number, authInfo: readonly Id[]): boolean {
  if (acl.length === 0) return true;
  for (const caller of authInfo) if (caller.scheme === "super") return true;
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    if (entry.id.scheme === "world" && entry.id.id === "anyone") return true;
    const scheme = providerOf(entry.id.scheme);
    if (scheme === undefined) continue;
    for (const caller of authInfo) {
      if (caller.scheme === entry.id.scheme && providerMatches(scheme, caller.id, entry.id.id)) {
        return true;
      }
    }
  }
  return false;
}

/** DigestAuthenticationProvider.generateDigest: "user:password" -> "user:base64(sha1(all))". */
export function generateDigest(idPassword: string): string {
  const colon = idPassword.indexOf(":");
  const user = colon === -1 ? idPassword : idPassword.substring(0, colon);
  return `${user}:${base64Encode(sha1(utf8Bytes(idPassword)))}`;
}

/** The outcome of addAuth: the ids to add to the connection's authInfo, or AUTHFAILED. */
export type AddAuthResult =
  | { readonly err: "OK"; readonly ids: readonly Id[] }
  | { readonly err: "AUTHFAILED" };

/**
 * The auth packet (ZooKeeperServer.processPacket, OpCode.auth). "digest": the caller gains
 * digest:generateDigest(authData), plus super:"" when it matches the configured superDigest.
 * "ip": the caller gains ip:<its remote address> (the data is ignored), as
 * IPAuthenticationProvider does. Any other scheme has no provider: AUTHFAILED (and ZooKeeper
 * then closes the connection).
 */
export function addAuth(scheme: string, authData: string, superDigest?: string,
  remoteAddress?: string): AddAuthResult {
  if (scheme === "ip") {
    const ids: Id[] = remoteAddress === undefined ? [] : [{ scheme: "ip", id: remoteAddress }];
    return { err: "OK", ids };
  }
  if (scheme !== "digest") return { err: "AUTHFAILED" };
  const digest = generateDigest(authData);
  const ids: Id[] = [];
  if (superDigest !== undefined && digest === superDigest) ids.push({ scheme: "super", id: "" });
  ids.push({ scheme: "digest", id: digest });
  return { err: "OK", ids };
}

/** getACL without ADMIN: digest ids are shown as "user:x" (FinalRequestProcessor, getACL). */
export function maskDigestIds(acl: readonly Acl[]): Acl[] {
  return acl.map((entry) =>
    entry.id.scheme === "digest"
      ? { perms: entry.perms, id: { scheme: "digest", id: entry.id.id.replace(/:.*/g, ":x") } }
      : entry,
  );
}
