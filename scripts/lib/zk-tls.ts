/**
 * Throwaway TLS material for a test ensemble, made with openssl at test time (nothing is kept
 * in the repository): a CA, one server certificate for 127.0.0.1 that every server of the
 * ensemble uses, and client certificates, all P-256 ECDSA, valid two days. The server's key
 * store is its certificate and unencrypted PKCS#8 key in one PEM file, which ZooKeeper 3.8 reads
 * with ssl.keyStore.type=PEM (X509Util's PEMFileLoader); the trust store is the CA's PEM.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The files of one test PKI, all in one directory. */
export interface TestPki {
  /** The CA certificate (clients' --tls-ca; the servers' trust store). */
  readonly ca: string;
  /** The servers' key store: certificate and PKCS#8 key. */
  readonly serverStore: string;
  /** A client certificate and its key, signed by the CA. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate from another CA: a server with clientAuth=need refuses it. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

/** Installs Debian's openssl package when the command is missing (as root, or through sudo). */
export function ensureOpenssl(): void {
  if (spawnSync("openssl", ["version"]).error === undefined) return;
  process.stderr.write("zk-tls: installing the openssl package (apt-get)\n");
  const asRoot = process.getuid?.() === 0;
  for (const args of [["apt-get", "update"], ["apt-get", "install", "-y", "openssl"]]) {
    const done = spawnSync(asRoot ? args[0] ?? "" : "sudo", asRoot ? args.slice(1) : args, {
      stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (done.status !== 0) throw new Error(`${args.join(" ")} failed`);
  }
}

function openssl(dir: string, args: readonly string[]): void {
  const done = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (done.error !== undefined) {
    throw new Error(`openssl is needed to make the test certificates: ${done.error.message}`);
  }
  if (done.status !== 0) throw new Error(`openssl ${args[0] ?? ""} failed: ${done.stderr}`);
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/** A self-signed CA named `name` in `dir`. */
function makeCa(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", ...EC, "-keyout", `${name}.key`, "-out", `${name}.pem`,
    "-days", "2", "-subj", `/CN=zabsim test ${name}`]);
}

/** A certificate `name` for 127.0.0.1 signed by CA `ca`, its key in PKCS#8. */
function makeCert(dir: string, name: string, ca: string): void {
  openssl(dir, ["req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`,
    "-subj", `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), "subjectAltName=IP:127.0.0.1,DNS:localhost\n" +
    "extendedKeyUsage=serverAuth,clientAuth\n");
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}.key`,
    "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", "-extfile", `${name}.ext`]);
  openssl(dir, ["pkcs8", "-topk8", "-nocrypt", "-in", `${name}.key`, "-out", `${name}.p8`]);
}

/** Makes the CA, the server's key store and the clients' certificates in `dir`. */
export function makeTestPki(dir: string): TestPki {
  ensureOpenssl();
  makeCa(dir, "ca");
  makeCa(dir, "other-ca");
  makeCert(dir, "server", "ca");
  makeCert(dir, "client", "ca");
  makeCert(dir, "stranger", "other-ca");
  const store = join(dir, "server-store.pem");
  writeFileSync(store, readFileSync(join(dir, "server.pem"), "utf8") +
    readFileSync(join(dir, "server.p8"), "utf8"));
  return {
    ca: join(dir, "ca.pem"), serverStore: store,
    clientCert: join(dir, "client.pem"), clientKey: join(dir, "client.p8"),
    strangerCert: join(dir, "stranger.pem"), strangerKey: join(dir, "stranger.p8"),
  };
}
