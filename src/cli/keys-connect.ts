/**
 * How `zabsim keys` reaches a real ensemble and turns what goes wrong into the CLI's contract:
 * the `--server` list, the TLS files, the session (src/real's RealZooKeeper, the same client API
 * the simulation's key service runs on), the key service wired for real use (the CSPRNG, the
 * audited Shamir split, znodes ACL'd to the acting administrator's digest id), and the one line
 * each typed failure becomes. Error lines carry codes, key names, versions and paths only: the
 * errors they come from never hold material (keys/errors.ts, crypto/errors.ts).
 */
import { readFileSync } from "node:fs";
import { CryptoError } from "../crypto/index.js";
import type { Principal } from "../crypto/index.js";
import { systemRandom, systemSplit } from "../crypto/system-random.js";
import { KeyService, KeyServiceError, keeperCodeOf } from "../keys/index.js";
import type { Acl } from "../keys/index.js";
import { RealZooKeeper } from "../real/index.js";
import type { Endpoint, TlsOptions } from "../real/index.js";
import { UsageError } from "./args.js";

/** Bounds on every wait of the CLI's session, in milliseconds. */
const TIMEOUTS = { connectMs: 3000, requestMs: 15000, sessionMs: 20000 };

/** A check that failed (exit 1), as opposed to bad input (exit 2). */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckFailed";
  }
}

/** Parses "HOST:PORT[,HOST:PORT...]" (IPv6 hosts in brackets). */
export function parseServers(text: string): Endpoint[] {
  return text.split(",").map((part) => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(part.trim());
    const port = Number(match?.[2]);
    if (match === null || !(port >= 1 && port <= 65535)) {
      throw new UsageError(`--server takes HOST:PORT[,HOST:PORT...], got "${part}"`);
    }
    return { host: (match[1] ?? "").replace(/^\[|\]$/g, ""), port };
  });
}

function readPem(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot read ${flag} ${path}${code === undefined ? "" : ` (${code})`}`);
  }
}

/** The TLS options of the flags: none, or a CA with an optional client certificate and key. */
export function tlsOptions(ca: string | null, cert: string | null, key: string | null):
  TlsOptions | undefined {
  if (ca === null) {
    if (cert !== null || key !== null) {
      throw new UsageError("--tls-cert and --tls-key need --tls-ca (the server's CA)");
    }
    return undefined;
  }
  if ((cert === null) !== (key === null)) {
    throw new UsageError("--tls-cert and --tls-key go together");
  }
  return {
    ca: readPem("--tls-ca", ca),
    cert: cert === null ? undefined : readPem("--tls-cert", cert),
    key: key === null ? undefined : readPem("--tls-key", key),
  };
}

/** A session on the ensemble, authenticated as `actor` when one is given. */
export async function connect(servers: readonly Endpoint[], tls: TlsOptions | undefined,
  actor: Principal | undefined): Promise<RealZooKeeper> {
  let zk: RealZooKeeper;
  try {
    zk = await RealZooKeeper.connect({ servers, tls, timeouts: TIMEOUTS });
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^.*?CONNECTIONLOSS: /, "") : "";
    const list = servers.map((s) => `${s.host}:${s.port}`).join(",");
    throw new UsageError(`cannot reach any server of ${list} (last: ${detail})`);
  }
  if (actor !== undefined) {
    await zk.addAuthInfo("digest", new TextEncoder().encode(actor.digestAuth()));
  }
  return zk;
}

/** The ACL of the service's znodes: everything for the administrator's digest id only. */
export function adminAcl(actor: Principal): Acl[] {
  return [{ perms: 31, id: { scheme: "digest", id: actor.publicPart().zkDigest } }];
}

/** The key service for real use, sealed until it is given shares. */
export function realService(zk: RealZooKeeper, actor: Principal): KeyService {
  return new KeyService({ zk, actor, random: systemRandom(), splitter: systemSplit,
    acl: adminAcl(actor) });
}

/** Unseals `service` with `shares`; one line when they are too few or do not recover the key. */
export async function unsealWith(service: KeyService, shares: readonly Uint8Array[]):
  Promise<void> {
  let status = { sealed: true, threshold: 0, progress: 0 };
  for (const share of shares) {
    status = await service.unseal(share);
    if (!status.sealed) break;
  }
  shares.forEach((share) => share.fill(0));
  if (status.sealed) {
    throw new UsageError(`unseal needs ${status.threshold} shares, got ${status.progress}`);
  }
}

const KEEPER_HINTS: Readonly<Record<string, string>> = {
  NOAUTH: "the ensemble's ACLs refuse this principal (is --principal right?)",
  CONNECTIONLOSS: "the ensemble did not answer; the operation may or may not have happened",
  SESSIONEXPIRED: "the session expired; the operation may or may not have happened",
};

/**
 * The one line a failure of a keys command becomes, with its exit code (1 for a check that
 * failed, 2 for everything else), or undefined for an error that is zabsim's own bug.
 */
export function keysFailure(error: unknown, opening: boolean): { line: string; code: number } |
  undefined {
  if (error instanceof CheckFailed) return { line: error.message, code: 1 };
  if (error instanceof UsageError) return { line: error.message, code: 2 };
  if (error instanceof CryptoError) {
    const failedCheck = opening && error.code !== "BAD_ARGUMENT";
    return { line: `${error.message}`, code: failedCheck ? 1 : 2 };
  }
  if (error instanceof KeyServiceError) return { line: error.message, code: 2 };
  const code = keeperCodeOf(error);
  if (code !== undefined) {
    const hint = KEEPER_HINTS[code];
    const message = (error as Error).message;
    return { line: hint === undefined ? message : `${message}: ${hint}`, code: 2 };
  }
  return undefined;
}
