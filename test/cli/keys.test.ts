/**
 * `zabsim keys` without a server (the real ensemble is `npm run test:real`): identity files are
 * created once, mode 0600, and print only their public part; bad usage and bad input (no
 * command, no --server, a malformed server list, TLS flags without a CA, an unreadable or
 * malformed identity or share file, an unreachable ensemble) give one line on stderr and exit 2,
 * and the line never echoes a file's content (a share or a seed could be in it).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readIdentity } from "../../src/cli/keys-files.js";
import { memoryIo, zabsim } from "./memory-io.js";

const dir = mkdtempSync(join(tmpdir(), "zabsim-keys-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refused(argv: readonly string[], files: Record<string, string> = {}):
  Promise<string> {
  const io = memoryIo();
  for (const [path, text] of Object.entries(files)) io.files.set(path, text);
  const result = await zabsim(argv, io);
  expect(result.stdout).toBe("");
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(/^zabsim: /);
  expect(result.stderr).not.toContain("internal error");
  expect(result.code).toBe(2);
  return result.stderr;
}

describe("zabsim keys principal new", () => {
  it("writes an identity file once, 0600, and prints only the public part", async () => {
    const path = join(dir, "alice.id");
    const made = await zabsim(["keys", "principal", "new", "alice", "--out", path]);
    expect(made.code).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const seed = (JSON.parse(readFileSync(path, "utf8")) as { seed: string }).seed;
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(made.stdout).not.toContain(seed);
    const io = memoryIo();
    io.files.set("alice.id", readFileSync(path, "utf8"));
    const alice = readIdentity(io, "alice.id");
    expect(JSON.parse(made.stdout)).toMatchObject({ id: "alice",
      zkDigest: alice.publicPart().zkDigest });
    // The same file gives the same principal (every key derives from the seed).
    expect(readIdentity(io, "alice.id").digestAuth()).toBe(alice.digestAuth());
    expect(await refused(["keys", "principal", "new", "alice", "--out", path]))
      .toMatch(/never overwritten/);
    expect(await refused(["keys", "principal", "new", "a/b", "--out", join(dir, "b.id")]))
      .toMatch(/principal id/);
  });
});

describe("zabsim keys: bad usage and bad input", () => {
  it("refuses with one line and exit 2", async () => {
    expect(await refused(["keys"])).toMatch(/needs a COMMAND/);
    expect(await refused(["keys", "create", "k"])).toMatch(/needs --server/);
    expect(await refused(["keys", "--server", "nope", "audit", "verify"])).toMatch(/HOST:PORT/);
    expect(await refused(["keys", "--server", "127.0.0.1:2181", "--tls-cert", "c.pem",
      "audit", "verify"])).toMatch(/need --tls-ca/);
    expect(await refused(["keys", "--server", "127.0.0.1:2181", "create", "k"]))
      .toMatch(/needs --principal/);
    expect(await refused(["keys", "--server", "127.0.0.1:2181", "frob"]))
      .toMatch(/unknown keys command/);
    expect(await refused(["keys", "--server", "127.0.0.1:2181", "--principal", "a.id",
      "--shares", "s", "promote", "k", "0"], { "a.id": "{}", s: "00\n" })).toMatch(/VERSION/);
  });

  it("never echoes an identity or share file's content", async () => {
    const secret = "5ec7e7".repeat(11);
    const identity = await refused(["keys", "--server", "127.0.0.1:2181", "--principal",
      "a.id", "audit", "verify"], { "a.id": `{"seed":"${secret}"}` });
    expect(identity).toMatch(/not a zabsim identity file/);
    expect(identity).not.toContain(secret);
    const path = join(dir, "ok.id");
    expect((await zabsim(["keys", "principal", "new", "ok", "--out", path])).code).toBe(0);
    const shares = await refused(["keys", "--server", "127.0.0.1:2181", "--principal", "ok.id",
      "--shares", "s1", "create", "k"], { "ok.id": readFileSync(path, "utf8"),
      s1: `${secret}zz\n` });
    expect(shares).toMatch(/s1 line 1 is not a root key share/);
    expect(shares).not.toContain(secret);
    expect(await refused(["keys", "--server", "127.0.0.1:2181", "--principal", "missing.id",
      "audit", "verify"])).toMatch(/missing\.id/);
  });

  it("reports an unreachable ensemble in one line", async () => {
    writeFileSync(join(dir, "unused"), "");
    expect(await refused(["keys", "--server", "127.0.0.1:1,127.0.0.1:2", "audit", "verify"]))
      .toMatch(/cannot reach any server of 127\.0\.0\.1:1,127\.0\.0\.1:2/);
  });
});
