/**
 * The secrets `zabsim keys` reads and writes, and how, so none of them ever passes through argv,
 * an error or a log line:
 * - an identity file (`keys principal new`): a principal's id and 32-byte seed, JSON, created
 *   exclusively with mode 0600. Every key of the principal (its digest secret, its X25519 box
 *   pair, its Ed25519 signing pair) is derived from the seed with HKDF-SHA256, so the file is
 *   the whole identity and the public part can be recomputed from it;
 * - root key shares: printed once by `init` (and by `destroy`, which rotates the root key), read
 *   back from files or standard input, one share a line, in hex;
 * - plaintext: read from a file or standard input, never from an argument.
 */
import { hkdfSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { Principal, checkPrincipalId, principalIdProblem } from "../crypto/index.js";
import type { RandomSource } from "../crypto/index.js";
import { UsageError } from "./args.js";
import { readText } from "./io.js";
import type { CliIo } from "./io.js";

const SEED_BYTES = 32;
/** The bytes Principal.generate draws: secret, box secret key, signing seed. */
const PRINCIPAL_DRAW_BYTES = 96;
const encoder = new TextEncoder();

/**
 * A source that hands out HKDF-SHA256(seed, info = "zabsim/identity-file/v1" || id) and then
 * refuses: Principal.generate over it gives the same principal from the same file, always.
 */
function seedStream(seed: Uint8Array, id: string): RandomSource {
  const info = Buffer.concat([encoder.encode("zabsim/identity-file/v1\0"), encoder.encode(id)]);
  const stream = new Uint8Array(hkdfSync("sha256", seed, new Uint8Array(), info,
    PRINCIPAL_DRAW_BYTES));
  let offset = 0;
  return {
    kind: "system",
    bytes(count: number): Uint8Array {
      if (offset + count > stream.length) {
        throw new UsageError("an identity file derives only a principal's own keys");
      }
      const out = stream.slice(offset, offset + count);
      stream.fill(0, offset, offset + count);
      offset += count;
      return out;
    },
  };
}

/** The principal an identity file holds. */
export function principalFromSeed(id: string, seed: Uint8Array): Principal {
  checkPrincipalId(id);
  return Principal.generate(id, seedStream(seed, id));
}

/** Writes a new identity file (refusing to replace one) and returns its principal. */
export function writeIdentity(path: string, id: string, random: RandomSource): Principal {
  const problem = principalIdProblem(id);
  if (problem !== undefined) throw new UsageError(`${problem}, got ${JSON.stringify(id)}`);
  const seed = random.bytes(SEED_BYTES);
  const text = `${JSON.stringify({ format: 1, kind: "zabsim-identity", id,
    seed: Buffer.from(seed).toString("hex") })}\n`;
  try {
    writeFileSync(path, text, { mode: 0o600, flag: "wx" });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "EEXIST" ? "it exists (an identity is never overwritten)" : code;
    throw new UsageError(`cannot write identity file ${path}: ${why ?? "failed"}`);
  }
  const principal = principalFromSeed(id, seed);
  seed.fill(0);
  return principal;
}

/** Reads an identity file; one line naming the file (never its content) when it is not one. */
export function readIdentity(io: CliIo, path: string): Principal {
  const text = readText(io, path);
  let value: Record<string, unknown> | undefined;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    value = undefined;
  }
  const seed = value?.["seed"];
  const id = value?.["id"];
  if (value?.["format"] !== 1 || value["kind"] !== "zabsim-identity" ||
    typeof seed !== "string" || !/^[0-9a-f]{64}$/.test(seed) || typeof id !== "string" ||
    principalIdProblem(id) !== undefined) {
    throw new UsageError(`${path} is not a zabsim identity file (keys principal new makes one)`);
  }
  const bytes = Uint8Array.from(Buffer.from(seed, "hex"));
  const principal = principalFromSeed(id, bytes);
  bytes.fill(0);
  return principal;
}

/** The shares in the given files (`-`: standard input), one hex share a line. */
export function readShares(io: CliIo, list: string): Uint8Array[] {
  const shares: Uint8Array[] = [];
  for (const path of list.split(",")) {
    if (path === "") throw new UsageError("--shares takes FILE[,FILE...] (or - for stdin)");
    const lines = readText(io, path).split(/\r?\n/).map((line) => line.trim());
    lines.forEach((line, index) => {
      if (line === "" || line.startsWith("#")) return;
      if (!/^[0-9a-f]{66}$/.test(line)) {
        throw new UsageError(`${path === "-" ? "standard input" : path} line ${index + 1} ` +
          "is not a root key share (66 hex digits)");
      }
      shares.push(Uint8Array.from(Buffer.from(line, "hex")));
    });
  }
  if (shares.length === 0) throw new UsageError(`no share in --shares ${list}`);
  return shares;
}

/** A share as `init` prints it. */
export function shareText(share: Uint8Array): string {
  return Buffer.from(share).toString("hex");
}

/** The bytes of a plaintext file (`-`: standard input), as they are. */
export function readPlaintext(path: string): Uint8Array {
  try {
    return Uint8Array.from(readFileSync(path === "-" ? 0 : path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot read ${path === "-" ? "standard input" : path}` +
      `${code === undefined ? "" : ` (${code})`}`);
  }
}
