/**
 * `zabsim keys --server HOST:PORT[,...] [--tls-ca F [--tls-cert F --tls-key F]] COMMAND`: the key
 * service (src/keys, the same code the simulation runs) on a real ZooKeeper ensemble, through
 * src/real's client. The CLI keeps no state between runs: the acting principal comes from its
 * identity file (`--principal`), and every command that needs the root key unseals it from
 * `--shares` (files or standard input) for that one run, as a freshly started Vault needs its
 * unseal keys. Secrets never come from argv and never go to any output but the one that exists
 * to show them (`init` and `destroy` print the root key's shares; `decrypt` the plaintext).
 * Exit 0 done, 1 a check failed (an audit chain that does not verify, a ciphertext that does not
 * open), 2 bad usage, bad input or an unreachable ensemble (shared/spec/cli.md).
 */
import { decodePublicPrincipal, encodePublicPrincipal } from "../../crypto/index.js";
import type { Principal } from "../../crypto/index.js";
import { systemRandom } from "../../crypto/system-random.js";
import {
  POLICY_OPS, PrincipalClient, readRootMeta, verifyStoredChain,
} from "../../keys/index.js";
import type { KeyService, PolicyOp } from "../../keys/index.js";
import type { RealZooKeeper } from "../../real/index.js";
import { flagOf, intOf, parseOptions, renderHelp, textOf, UsageError } from "../args.js";
import type { OptionSpec, Parsed } from "../args.js";
import { readText } from "../io.js";
import type { CliIo } from "../io.js";
import {
  CheckFailed, connect, keysFailure, parseServers, realService, tlsOptions, unsealWith,
} from "../keys-connect.js";
import {
  readIdentity, readPlaintext, readShares, shareText, writeIdentity,
} from "../keys-files.js";
import { writeFileSync } from "node:fs";

/** Control characters escaped, as main.ts prints every error line. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => JSON.stringify(ch).slice(1, -1));
}

const SPECS: readonly OptionSpec[] = [
  { name: "server", kind: "text", defaultValue: null, placeholder: "HOST:PORT[,...]",
    help: "the ensemble's client ports (its secureClientPorts with --tls-ca)" },
  { name: "tls-ca", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "PEM CA of the servers' certificates: speak TLS" },
  { name: "tls-cert", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "PEM client certificate, for servers with ssl.clientAuth" },
  { name: "tls-key", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "PEM key of --tls-cert" },
  { name: "principal", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "identity file of the acting principal (keys principal new makes one)" },
  { name: "shares", kind: "text", defaultValue: null, placeholder: "FILE[,FILE...]",
    help: "root key shares, one hex share a line; - reads standard input" },
  { name: "share-count", kind: "int", defaultValue: 3, min: 2, max: 255,
    help: "init: how many shares to split the root key into" },
  { name: "threshold", kind: "int", defaultValue: 2, min: 2, max: 255,
    help: "init: how many shares unseal needs" },
  { name: "allow", kind: "text", defaultValue: "decrypt", placeholder: "OPS",
    help: `register: comma-separated operations (${POLICY_OPS.join(", ")})` },
  { name: "key", kind: "text", defaultValue: "*", placeholder: "NAME",
    help: "register: the key the operations apply to (* for all)" },
  { name: "in", kind: "text", defaultValue: "-", placeholder: "FILE",
    help: "encrypt: the plaintext's file (- is standard input)" },
  { name: "out", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "decrypt: write the plaintext's bytes here; principal new: the identity file" },
  { name: "batch", kind: "int", defaultValue: 100, min: 1, max: 1000,
    help: "rewrap: values per multi" },
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object" },
];

const HELP = renderHelp("zabsim keys --server HOST:PORT[,...] [TLS] COMMAND [ARGS] [--json]", [
  "The key service on a real ZooKeeper ensemble. Commands:",
  "  principal new ID --out FILE   a new identity file (no server); prints the public part",
  "  init                          create the service; prints the root key's shares ONCE",
  "  unseal                        check the shares recover the root key (audited)",
  "  register PUBLIC.json          register a principal (--allow OPS --key NAME)",
  "  create NAME | rotate NAME | promote NAME V | min-version NAME V | destroy NAME V",
  "  encrypt NAME PATH             seal --in (stdin) at the znode PATH",
  "  decrypt PATH                  print the plaintext (with --shares as administrator,",
  "                                without as a principal through its grant)",
  "  rewrap NAME SUBTREE | grant NAME ID | revoke NAME ID | audit verify",
  "Every command but principal new and audit verify needs --principal; those that change",
  "keys also need --shares. destroy rotates the root key and prints the new shares.",
  "Exit 0 done, 1 a check failed, 2 bad usage, bad input or an unreachable ensemble.",
], SPECS, [
  "zabsim keys principal new admin --out admin.id > admin.pub.json",
  "zabsim keys --server 10.0.0.1:2281,10.0.0.2:2281 --tls-ca ca.pem --principal admin.id init",
  "zabsim keys --server 10.0.0.1:2181 --principal admin.id --shares s1,s2 create payments",
  "echo secret | zabsim keys --server ... --principal admin.id --shares - encrypt payments /a",
]);

/** What one run of a keys command has at hand. */
interface Context {
  readonly io: CliIo;
  readonly parsed: Parsed;
  readonly args: readonly string[];
  readonly zk: RealZooKeeper;
  readonly actor: Principal | undefined;
  readonly json: boolean;
}

/** A subcommand: its arguments, whether it needs the root key, and what it does. */
interface Sub {
  readonly args: readonly string[];
  readonly root: boolean;
  readonly principal: boolean;
  readonly run: (ctx: Context, service: KeyService | undefined) => Promise<Output>;
}

/** What a subcommand prints: human lines, or one JSON object. */
interface Output {
  readonly human: string;
  readonly json: Record<string, unknown>;
}

function versionArg(ctx: Pick<Context, "args">, index: number): number {
  const text = ctx.args[index] ?? "";
  const value = /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value <= 2147483647)) throw new UsageError(`VERSION is a whole number >= 1, got "${text}"`);
  return value;
}

function arg(ctx: Context, index: number): string {
  return ctx.args[index] ?? "";
}

function need(service: KeyService | undefined): KeyService {
  if (service === undefined) throw new UsageError("this command needs --shares");
  return service;
}

function sharesOutput(shares: readonly Uint8Array[], threshold: number, what: string): Output {
  const texts = shares.map(shareText);
  shares.forEach((share) => share.fill(0));
  const human = [
    `${what}. The root key's ${texts.length} shares (any ${threshold} unseal it) are shown`,
    "ONCE: give each to a different operator and keep none here.",
    ...texts.map((text, i) => `share ${i + 1}: ${text}`), "",
  ].join("\n");
  return { human, json: { shares: texts, threshold } };
}

async function initSub(ctx: Context): Promise<Output> {
  const actor = ctx.actor;
  if (actor === undefined) throw new UsageError("init needs --principal");
  const count = intOf(ctx.parsed, "share-count");
  const threshold = intOf(ctx.parsed, "threshold");
  if (threshold > count) {
    throw new UsageError(`--threshold ${threshold} is more than --share-count ${count}`);
  }
  const shares = await realService(ctx.zk, actor).initialize(count, threshold);
  return sharesOutput(shares, threshold, `initialized; administrator ${actor.id}`);
}

function allowOf(ctx: Context): PolicyOp[] {
  const text = textOf(ctx.parsed, "allow") ?? "";
  const ops = text.split(",");
  for (const op of ops) {
    if (!(POLICY_OPS as readonly string[]).includes(op)) {
      throw new UsageError(`--allow takes operations from ${POLICY_OPS.join(", ")}, got "${op}"`);
    }
  }
  return ops as PolicyOp[];
}

async function registerSub(ctx: Context, service: KeyService | undefined): Promise<Output> {
  const text = readText(ctx.io, arg(ctx, 0));
  let id: unknown;
  try {
    id = (JSON.parse(text) as { id?: unknown }).id;
  } catch {
    id = undefined;
  }
  if (typeof id !== "string") {
    throw new UsageError(`${arg(ctx, 0)} is not a principal's public part (principal new)`);
  }
  const principal = decodePublicPrincipal(id, new TextEncoder().encode(text));
  const rule = { key: textOf(ctx.parsed, "key") ?? "*", ops: allowOf(ctx) };
  await need(service).registerPrincipal(principal, { rules: [rule] });
  return { human: `registered ${id}: ${rule.ops.join(", ")} on ${rule.key}\n`,
    json: { registered: id, policy: { rules: [rule] } } };
}

async function keyOp(ctx: Context, service: KeyService | undefined, sub: string):
  Promise<Output> {
  const s = need(service);
  const name = arg(ctx, 0);
  switch (sub) {
    case "create": {
      await s.createKey(name);
      return { human: `created key ${name} (v1 primary)\n`, json: { key: name, version: 1 } };
    }
    case "rotate": {
      const version = await s.addVersion(name);
      return { human: `added ${name} v${version}; promote it once readers have it\n`,
        json: { key: name, version } };
    }
    case "promote": {
      const version = versionArg(ctx, 1);
      await s.promote(name, version);
      return { human: `${name} v${version} is primary\n`, json: { key: name, primary: version } };
    }
    default: {
      const version = versionArg(ctx, 1);
      await s.setMinDecryptionVersion(name, version);
      return { human: `${name}: values below v${version} no longer open\n`,
        json: { key: name, minDecryption: version } };
    }
  }
}

async function encryptSub(ctx: Context, service: KeyService | undefined): Promise<Output> {
  const s = need(service);
  const [name, path] = [arg(ctx, 0), arg(ctx, 1)];
  const plaintext = readPlaintext(textOf(ctx.parsed, "in") ?? "-");
  const exists = await ctx.zk.exists(path);
  const acl = [...s.acl, { perms: 1, id: { scheme: "world", id: "anyone" } }];
  try {
    if (exists === null) await s.createSealed(name, path, plaintext, "PERSISTENT", acl);
    else await s.setSealed(name, path, plaintext, exists.version);
  } finally {
    plaintext.fill(0);
  }
  return { human: `sealed ${path} with ${name}\n`, json: { key: name, path } };
}

async function decryptSub(ctx: Context, service: KeyService | undefined): Promise<Output> {
  const path = arg(ctx, 0);
  let plaintext: Uint8Array;
  if (service !== undefined) {
    plaintext = (await service.getSealed(path)).plaintext;
  } else {
    const actor = ctx.actor;
    if (actor === undefined) throw new UsageError("decrypt needs --principal");
    plaintext = await new PrincipalClient(ctx.zk, actor, systemRandom()).open(path);
  }
  const out = textOf(ctx.parsed, "out");
  if (out !== null) {
    writeFileSync(out, plaintext, { mode: 0o600 });
    plaintext.fill(0);
    return { human: "", json: { path, out } };
  }
  const text = new TextDecoder().decode(plaintext);
  plaintext.fill(0);
  return { human: text, json: { path, plaintext: text } };
}

async function grantSub(ctx: Context, service: KeyService | undefined, sub: string):
  Promise<Output> {
  const [name, id] = [arg(ctx, 0), arg(ctx, 1)];
  if (sub === "grant") await need(service).grant(name, id);
  else await need(service).revoke(name, id);
  const what = sub === "grant" ? "granted" : "revoked";
  return { human: `${what} ${name} ${sub === "grant" ? "to" : "from"} ${id}\n`,
    json: { key: name, principal: id, [what]: true } };
}

async function destroySub(ctx: Context, service: KeyService | undefined): Promise<Output> {
  const s = need(service);
  const [name, version] = [arg(ctx, 0), versionArg(ctx, 1)];
  const report = await s.destroyVersion(name, version);
  const meta = await s.describe(name).catch(() => undefined);
  const root = sharesOutput(report.shares, (await rootThreshold(s)) ?? 0,
    `destroyed ${name} v${version}; the root key was rotated and the old shares are useless`);
  const pending = report.pending.length === 0 ? "" : `principals whose box keys must still ` +
    `rotate before the destroy is complete: ${report.pending.join(", ")}\n`;
  return { human: root.human + pending, json: { key: name, destroyed: version,
    primary: meta?.primary, ...root.json, pending: report.pending } };
}

async function rootThreshold(service: KeyService): Promise<number | undefined> {
  return (await readRootMeta(service)).meta.threshold;
}

async function rewrapSub(ctx: Context, service: KeyService | undefined): Promise<Output> {
  const [name, subtree] = [arg(ctx, 0), arg(ctx, 1)];
  const report = await need(service).rewrap(name, subtree,
    { batchSize: intOf(ctx.parsed, "batch") });
  return { human: `rewrapped ${report.rewrapped} of ${report.examined} values under ${subtree} ` +
    `to ${name} v${report.target} in ${report.batches} batches\n`, json: { key: name, subtree,
    target: report.target, examined: report.examined, rewrapped: report.rewrapped,
    batches: report.batches, resumedAfter: report.resumedAfter ?? null } };
}

async function auditSub(ctx: Context): Promise<Output> {
  if (arg(ctx, 0) !== "verify") throw new UsageError(`audit takes "verify"`);
  const verdict = await verifyStoredChain(ctx.zk);
  if (!verdict.ok) {
    throw new CheckFailed(`the audit chain does not verify: record ${verdict.index} ` +
      `${verdict.problem}: ${verdict.message}`);
  }
  return { human: `the audit chain verifies: ${verdict.count} records\n`,
    json: { ok: true, records: verdict.count } };
}

const SUBS: ReadonlyMap<string, Sub> = new Map<string, Sub>([
  ["init", { args: [], root: false, principal: true, run: initSub }],
  ["unseal", { args: [], root: true, principal: true, run: async () =>
    ({ human: "unsealed: the shares recover the root key\n", json: { unsealed: true } }) }],
  ["register", { args: ["PUBLIC.json"], root: true, principal: true, run: registerSub }],
  ...["create", "rotate", "promote", "min-version"].map((sub) => [sub, {
    args: sub === "create" || sub === "rotate" ? ["NAME"] : ["NAME", "VERSION"], root: true,
    principal: true, run: (ctx: Context, s: KeyService | undefined) => keyOp(ctx, s, sub) }] as
    const),
  ["encrypt", { args: ["NAME", "PATH"], root: true, principal: true, run: encryptSub }],
  ["decrypt", { args: ["PATH"], root: false, principal: true, run: decryptSub }],
  ["rewrap", { args: ["NAME", "SUBTREE"], root: true, principal: true, run: rewrapSub }],
  ...["grant", "revoke"].map((sub) => [sub, { args: ["NAME", "ID"], root: true,
    principal: true, run: (ctx: Context, s: KeyService | undefined) => grantSub(ctx, s, sub) }] as
    const),
  ["destroy", { args: ["NAME", "VERSION"], root: true, principal: true, run: destroySub }],
  ["audit", { args: ["verify"], root: false, principal: false, run: auditSub }],
]);

/** `keys principal new ID --out FILE`: no server; prints the public part to register. */
function principalNew(parsed: Parsed, io: CliIo): number {
  const [, verb, id] = parsed.positionals;
  const out = textOf(parsed, "out");
  if (verb !== "new" || id === undefined || out === null) {
    throw new UsageError("usage: zabsim keys principal new ID --out FILE");
  }
  const principal = writeIdentity(out, id, systemRandom());
  io.stdout(`${new TextDecoder().decode(encodePublicPrincipal(principal.publicPart()))}\n`);
  return 0;
}

/** Runs one subcommand with a session, unsealing first when it needs the root key. */
async function runSub(name: string, sub: Sub, parsed: Parsed, io: CliIo): Promise<number> {
  const args = parsed.positionals.slice(1);
  if (args.length !== sub.args.length) {
    throw new UsageError(`keys ${name} takes ${sub.args.join(" ") || "no arguments"}`);
  }
  // Arguments are judged before anything is sent: a bad one leaves no trace, not even an unseal.
  sub.args.forEach((what, index) => {
    if (what === "VERSION") versionArg({ args }, index);
  });
  const serverText = textOf(parsed, "server");
  if (serverText === null) throw new UsageError(`keys ${name} needs --server HOST:PORT[,...]`);
  const servers = parseServers(serverText);
  const tls = tlsOptions(textOf(parsed, "tls-ca"), textOf(parsed, "tls-cert"),
    textOf(parsed, "tls-key"));
  const principalFile = textOf(parsed, "principal");
  if (sub.principal && principalFile === null) {
    throw new UsageError(`keys ${name} needs --principal FILE (the acting identity)`);
  }
  const actor = principalFile === null ? undefined : readIdentity(io, principalFile);
  const sharesList = textOf(parsed, "shares");
  if (sub.root && sharesList === null) throw new UsageError(`keys ${name} needs --shares`);
  const shares = sharesList === null ? undefined : readShares(io, sharesList);
  const zk = await connect(servers, tls, actor);
  try {
    let service: KeyService | undefined;
    if (shares !== undefined && actor !== undefined) {
      service = realService(zk, actor);
      await unsealWith(service, shares);
    }
    const json = flagOf(parsed, "json");
    const output = await sub.run({ io, parsed, args, zk, actor, json }, service);
    service?.reseal();
    io.stdout(json ? `${JSON.stringify({ command: name, ...output.json })}\n` : output.human);
    return 0;
  } finally {
    await zk.close();
  }
}

/** `zabsim keys ...`. */
export async function keysCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions("keys", SPECS, argv, 4);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError("keys needs a COMMAND (see zabsim keys --help)");
  }
  const name = parsed.positionals[0] ?? "";
  try {
    if (name === "principal") return principalNew(parsed, io);
    const sub = SUBS.get(name);
    if (sub === undefined) {
      throw new UsageError(`unknown keys command "${name}" (see zabsim keys --help)`);
    }
    return await runSub(name, sub, parsed, io);
  } catch (error) {
    const failure = keysFailure(error, name === "decrypt");
    if (failure === undefined) throw error;
    io.stderr(`zabsim: keys ${name}: ${printable(failure.line)}\n`);
    return failure.code;
  }
}
