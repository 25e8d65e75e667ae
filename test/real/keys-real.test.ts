/**
 * The key service on a real ZooKeeper 3.8 ensemble (`npm run test:real`; not part of `npm
 * test`). It starts three servers of Debian's zookeeper package (installed with its JVM when
 * missing; every server killed by its pid afterwards, also on failure) serving TLS on their
 * secureClientPorts with client certificates required, and drives the BUILT `zabsim keys` as an
 * operator would, over TLS only: identities, init, unseal from standard input, a key, sealed
 * values, a principal with a grant, a two-phase rotation whose rewrap loses its server in the
 * middle (the server the CLI is connected to is killed when the first rewrap batch is on record,
 * seen through a child watch), minimum version and destroy (which rotates the root key). It
 * checks that nothing is lost (every value opens to what was written, under the new version,
 * through every server), that ZooKeeper's own ACLs refuse a session without the digest
 * credential, that bad input exits 2 with one line and writes nothing, that the audit chain
 * verifies (and that a tampered one does not: exit 1), and that no secret (a share, an identity
 * seed, a plaintext) appears in argv or in any output but the one meant to show it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealedHeaderOf } from "../../src/crypto/index.js";
import { RealZooKeeper, serverStatus } from "../../src/real/index.js";
import type { TlsOptions } from "../../src/real/index.js";
import { ZkEnsemble } from "../../scripts/lib/zk-ensemble.js";
import { ensureInstalled } from "../../scripts/lib/zk-server.js";
import { makeTestPki } from "../../scripts/lib/zk-tls.js";
import type { TestPki } from "../../scripts/lib/zk-tls.js";

const CLI = resolve("dist/cli/main.js");
const VALUES = 12;

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every CLI run: its argv and what it printed, for the secrets scan at the end. */
const runs: Array<{ argv: string[]; ran: Ran; showsSecrets: boolean }> = [];

let dir = "";
let pki: TestPki;
let ensemble: ZkEnsemble;
let serverFlags: string[] = [];
let tls: TlsOptions;

function zabsim(args: readonly string[], stdin = "", showsSecrets = false,
  flags = serverFlags): Promise<Ran> {
  const argv = ["keys", ...flags, ...args];
  return new Promise((done) => {
    const child = execFile("node", [CLI, ...argv], { cwd: dir, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        const ran = { code, stdout, stderr };
        runs.push({ argv, ran, showsSecrets });
        done(ran);
      });
    child.stdin?.end(stdin);
  });
}

const admin = ["--principal", "admin.id"];
const sealed = [...admin, "--shares", "-"];
let shares: string[] = [];

/** An admin command, unsealed with two shares from standard input. */
function asAdmin(args: readonly string[], showsSecrets = false): Promise<Ran> {
  return zabsim([...sealed, ...args], `${shares[0]}\n${shares[2]}\n`, showsSecrets);
}

function expectOk(ran: Ran): void {
  expect(ran.stderr).toBe("");
  expect(ran.code).toBe(0);
}

/** One line on stderr, the exit code, nothing on stdout. */
function expectRefused(ran: Ran, code: number, pattern: RegExp): void {
  expect(ran.stdout).toBe("");
  expect(ran.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(ran.stderr).toMatch(pattern);
  expect(ran.code).toBe(code);
}

async function session(server?: number, auth?: string): Promise<RealZooKeeper> {
  const ports = server === undefined ? [1, 2, 3] : [server];
  const zk = await RealZooKeeper.connect({ tls,
    servers: ports.map((k) => ({ host: "127.0.0.1", port: ensemble.securePort(k) })) });
  if (auth !== undefined) await zk.addAuthInfo("digest", new TextEncoder().encode(auth));
  return zk;
}

/** The digest credentials of an identity file, as the CLI derives them. */
async function digestOf(file: string): Promise<string> {
  const { readIdentity } = await import("../../src/cli/keys-files.js");
  const io = { readFile: (path: string) => readFileSync(join(dir, path), "utf8") };
  return readIdentity(io as never, file).digestAuth();
}

/** Waits until every running server serves (srvr on the plain port names its mode). */
async function waitForQuorum(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const running = [1, 2, 3].filter((k) => ensemble.isRunning(k));
    const status = await Promise.all(running.map((k) =>
      serverStatus("127.0.0.1", ensemble.clientPort(k))));
    if (status.every((s) => s.kind === "serving")) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error("the ensemble did not serve within 60 s");
}

beforeAll(async () => {
  ensureInstalled();
  dir = mkdtempSync(join(tmpdir(), "zabsim-keys-real-"));
  pki = makeTestPki(dir);
  ensemble = await ZkEnsemble.create({ servers: 3, containerCheckIntervalMs: 60_000,
    tls: { keyStore: pki.serverStore, trustStore: pki.ca, clientAuth: "need" } });
  await Promise.all([1, 2, 3].map((k) => ensemble.start(k)));
  await waitForQuorum();
  tls = { ca: readFileSync(pki.ca, "utf8"), cert: readFileSync(pki.clientCert, "utf8"),
    key: readFileSync(pki.clientKey, "utf8") };
  const list = [1, 2, 3].map((k) => `127.0.0.1:${ensemble.securePort(k)}`).join(",");
  serverFlags = ["--server", list, "--tls-ca", pki.ca, "--tls-cert", pki.clientCert,
    "--tls-key", pki.clientKey];
}, 150_000);

afterAll(async () => {
  await ensemble?.shutdown();
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

const plaintexts = Array.from({ length: VALUES }, (_, i) => `card ${i}: 4111-0000-${1000 + i}`);
const dataPath = (i: number): string => `/data/v${String(i).padStart(2, "0")}`;

describe("zabsim keys on a real 3-server ensemble over TLS", () => {
  it("creates identities and initializes; the shares are printed once", async () => {
    for (const id of ["admin", "bob", "carol"]) {
      const made = await zabsim(["principal", "new", id, "--out", `${id}.id`]);
      expectOk(made);
      writeFileSync(join(dir, `${id}.pub.json`), made.stdout);
    }
    // An identity that claims to be bob, with another seed: wrong digest credentials.
    expectOk(await zabsim(["principal", "new", "bob", "--out", "mallory.id"]));
    const init = await zabsim([...admin, "init", "--json"], "", true);
    expectOk(init);
    shares = (JSON.parse(init.stdout) as { shares: string[] }).shares;
    expect(shares).toHaveLength(3);
    expectRefused(await zabsim([...admin, "init"]), 2, /ALREADY_INITIALIZED/);
    expectOk(await zabsim([...sealed, "unseal"], `${shares[1]}\n${shares[2]}\n`));
  });

  it("seals values and lets a granted principal open them through its grant", async () => {
    expectOk(await asAdmin(["create", "payments"]));
    const zk = await session(2);
    await zk.create("/data", null, undefined, "PERSISTENT").catch(() => "");
    await zk.close();
    for (let i = 0; i < VALUES; i++) {
      writeFileSync(join(dir, "plain.txt"), plaintexts[i] ?? "");
      expectOk(await asAdmin(["encrypt", "payments", dataPath(i), "--in", "plain.txt"]));
    }
    rmSync(join(dir, "plain.txt"));
    expectOk(await asAdmin(["register", "bob.pub.json", "--allow", "decrypt",
      "--key", "payments"]));
    expectOk(await asAdmin(["register", "carol.pub.json", "--allow", "decrypt"]));
    expectOk(await asAdmin(["grant", "payments", "bob"]));
    const opened = await zabsim(["--principal", "bob.id", "decrypt", dataPath(3)], "", true);
    expectOk(opened);
    expect(opened.stdout).toBe(plaintexts[3]);
  });

  it("ZooKeeper's ACLs refuse a session without the digest credential", async () => {
    const grant = "/_zabsim/keys/payments/grants/bob@v1";
    const anonymous = await session();
    await expect(anonymous.getData(grant)).rejects.toMatchObject({ code: "NOAUTH" });
    await expect(anonymous.getData("/_zabsim/keys/payments/v1"))
      .rejects.toMatchObject({ code: "NOAUTH" });
    await anonymous.close();
    const wrong = await session(undefined, await digestOf("mallory.id"));
    await expect(wrong.getData(grant)).rejects.toMatchObject({ code: "NOAUTH" });
    await wrong.close();
    const bob = await session(undefined, await digestOf("bob.id"));
    expect((await bob.getData(grant)).data?.length).toBeGreaterThan(0);
    await expect(bob.getData("/_zabsim/keys/payments/v1"))
      .rejects.toMatchObject({ code: "NOAUTH" });
    await bob.close();
    expectRefused(await zabsim(["--principal", "mallory.id", "decrypt", dataPath(0)]), 2,
      /NOAUTH/);
    expectRefused(await zabsim(["--principal", "carol.id", "decrypt", dataPath(0)]), 2,
      /NONODE/);
  });

  it("refuses bad input with one line, exit 2, and writes nothing", async () => {
    const before = await auditCount();
    expectRefused(await zabsim([...admin, "--shares", "-", "create", "x"], `${shares[0]}\n`), 2,
      /needs 2 shares, got 1/);
    const fake = `${"ab".repeat(32)}01`;
    expectRefused(await zabsim([...admin, "--shares", "-", "create", "x"],
      `${shares[0]}\n${fake}\n`), 2, /NOT_AUTHENTIC/);
    expectRefused(await zabsim(["--principal", "bob.id", "--shares", "-", "create", "x"],
      `${shares[0]}\n${shares[1]}\n`), 2, /NOAUTH/);
    const unreachable = await zabsim([...admin, "audit", "verify"], "", false,
      ["--server", "127.0.0.1:1,127.0.0.1:2", "--tls-ca", pki.ca]);
    expectRefused(unreachable, 2, /cannot reach any server/);
    expectRefused(await asAdmin(["promote", "payments", "two"]), 2, /VERSION/);
    expect(await auditCount()).toBe(before);
  });

  it("a rotation whose server is killed mid-rewrap loses nothing", async () => {
    const added = await asAdmin(["rotate", "payments", "--json"]);
    expectOk(added);
    expect(JSON.parse(added.stdout)).toMatchObject({ version: 2 });
    expectOk(await asAdmin(["promote", "payments", "2"]));
    // The CLI connects to server 1 (first in --server). Its run appends an unseal record, then
    // one record per rewrap batch: server 1 dies once the first batch is on record.
    const watcher = await session(3, await digestOf("admin.id"));
    const before = (await watcher.getChildren("/_zabsim/audit")).length;
    let killed: Promise<void> | undefined;
    const arm = (): void => {
      void watcher.getChildren("/_zabsim/audit", arm).then((now) => {
        if (now.length >= before + 2 && killed === undefined) killed = ensemble.kill(1);
      }, () => undefined);
    };
    arm();
    const first = await asAdmin(["rewrap", "payments", "/data", "--batch", "1", "--json"]);
    await killed;
    expect(killed).toBeDefined();
    expect(ensemble.isRunning(1)).toBe(false);
    // Either the CLI moved to another server and finished, or it lost the ensemble's answer
    // (CONNECTIONLOSS: may or may not have happened): exit 2, and the rerun resumes.
    expect([0, 2]).toContain(first.code);
    process.stderr.write(`keys-real: the rewrap that lost its server exited ${first.code}` +
      `${first.stderr === "" ? "" : `: ${first.stderr.trim()}`}\n`);
    const again = await asAdmin(["rewrap", "payments", "/data", "--batch", "1", "--json"]);
    expectOk(again);
    // The batches committed before the kill are not redone: the rerun resumes after the cursor.
    const report = JSON.parse(again.stdout) as { resumedAfter: string | null; target: number };
    expect(report.target).toBe(2);
    if (first.code !== 0) expect(report.resumedAfter).not.toBeNull();
    await watcher.close();
    await ensemble.start(1);
    await waitForQuorum();
    for (const k of [1, 2, 3]) {
      const zk = await session(k);
      await zk.sync("/");
      for (let i = 0; i < VALUES; i++) {
        const { data } = await zk.getData(dataPath(i));
        expect(sealedHeaderOf(data ?? new Uint8Array()).keyVersion).toBe(2);
      }
      await zk.close();
    }
    for (let i = 0; i < VALUES; i++) {
      const opened = await zabsim(["--principal", "bob.id", "decrypt", dataPath(i)], "", true);
      expectOk(opened);
      expect(opened.stdout).toBe(plaintexts[i]);
    }
  }, 120_000);

  it("destroy rotates the root key: the old shares stop working", async () => {
    expectRefused(await asAdmin(["destroy", "payments", "1"]), 2, /minimum|below/i);
    expectOk(await asAdmin(["min-version", "payments", "2"]));
    const destroyed = await asAdmin(["destroy", "payments", "1", "--json"], true);
    expectOk(destroyed);
    const report = JSON.parse(destroyed.stdout) as { shares: string[]; pending: string[] };
    expect(report.pending).toEqual(["bob"]);
    expectRefused(await asAdmin(["unseal"]), 2, /NOT_AUTHENTIC/);
    const old = shares;
    shares = report.shares;
    expect(shares.some((s) => old.includes(s))).toBe(false);
    expectOk(await asAdmin(["unseal"]));
    const opened = await asAdmin(["decrypt", dataPath(5)], true);
    expectOk(opened);
    expect(opened.stdout).toBe(plaintexts[5]);
    expectOk(await asAdmin(["revoke", "payments", "bob"]));
  });

  it("the audit chain verifies, and a tampered one does not (exit 1)", async () => {
    const verified = await zabsim([...admin, "audit", "verify", "--json"]);
    expectOk(verified);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    const zk = await session(undefined, await digestOf("admin.id"));
    const records = (await zk.getChildren("/_zabsim/audit")).sort();
    const victim = `/_zabsim/audit/${records[2] ?? ""}`;
    const { data } = await zk.getData(victim);
    const text = new TextDecoder().decode(data ?? new Uint8Array());
    await zk.setData(victim, new TextEncoder().encode(text.replace('"op":"', '"op":"x')), -1);
    await zk.close();
    expectRefused(await zabsim([...admin, "audit", "verify"]), 1, /does not verify/);
  });

  it("a corrupt or foreign service subtree is bad input: exit 2, nothing written", async () => {
    const zk = await session(undefined, await digestOf("admin.id"));
    const records = (await zk.getChildren("/_zabsim/audit")).length;
    await zk.setData("/_zabsim/root", new TextEncoder().encode('{"vault":"not ours"}'), -1);
    expectRefused(await asAdmin(["create", "other"]), 2, /MALFORMED/);
    expect((await zk.getChildren("/_zabsim/audit")).length).toBe(records);
    await expect(zk.getData("/_zabsim/keys/other")).rejects.toMatchObject({ code: "NONODE" });
    await zk.close();
  });

  it("no secret is in argv or in an output not meant to show it", () => {
    const seeds = ["admin", "bob", "carol", "mallory"].map((id) =>
      (JSON.parse(readFileSync(join(dir, `${id}.id`), "utf8")) as { seed: string }).seed);
    const secrets = [...seeds, ...shares, ...plaintexts];
    for (const { argv, ran, showsSecrets } of runs) {
      for (const secret of secrets) {
        expect(argv.join(" ")).not.toContain(secret);
        expect(ran.stderr).not.toContain(secret);
        if (!showsSecrets) expect(ran.stdout).not.toContain(secret);
      }
      for (const seed of seeds) expect(ran.stdout).not.toContain(seed);
    }
  });
});

async function auditCount(): Promise<number> {
  const zk = await session(undefined, await digestOf("admin.id"));
  const count = (await zk.getChildren("/_zabsim/audit")).length;
  await zk.close();
  return count;
}
