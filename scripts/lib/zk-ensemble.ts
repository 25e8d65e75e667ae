/**
 * A throwaway replicated ZooKeeper ensemble from Debian's `zookeeper` package, for ensemble
 * scenarios (shared/spec/script-format.md, "Ensembles"). Every server runs on 127.0.0.1 with a
 * client port, a quorum port and an election port of its own and a data dir under one temp dir,
 * with the spec's configuration: ZooKeeper's sample tickTime 2000, initLimit 10, syncLimit 5,
 * forceSync, no observers, TTL nodes (zookeeper.extendedTypesEnabled), no admin server, and the
 * four-letter words the runner asks (srvr, mntr, envi). `kill` is SIGKILL of that server's pid;
 * every process started here is killed by its pid by `destroy()`, and on exit or Ctrl-C.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fourLetterWord } from "../../src/real/four-letter.js";
import type { EnsembleControl } from "../../src/real/ensemble-control.js";
import { serverClasspath } from "./zk-server.js";

const HOST = "127.0.0.1";
const MAIN_CLASS = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
const START_TIMEOUT_MS = 30000;

/**
 * Ports below Linux's ephemeral range (32768 and up by default). A stopped server's ports must
 * stay free until it starts again, and this process makes thousands of outgoing connections
 * (four-letter words, sessions) whose local ports come from the ephemeral range: one of them
 * took a stopped server's client port once, and the restart could not bind it.
 */
const PORT_MIN = 20000;
const PORT_MAX = 32000;

/** Whether `port` can be bound on 127.0.0.1 now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** `count` distinct ports from PORT_MIN..PORT_MAX that are free now. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = PORT_MIN + Math.floor(Math.random() * (PORT_MAX - PORT_MIN));
    if (!ports.includes(port) && (await bindable(port))) ports.push(port);
  }
  return ports;
}

interface Ports {
  readonly client: number;
  readonly quorum: number;
  readonly election: number;
  /** The secureClientPort (TLS), used only with `EnsembleOptions.tls`. */
  readonly secure: number;
}

/**
 * TLS on every server's secureClientPort (NettyServerCnxnFactory): PEM files, as ZooKeeper 3.8's
 * X509Util reads them with ssl.keyStore.type=PEM (the key store: the server's certificate and
 * its unencrypted PKCS#8 key in one file; the trust store: the CA). With `clientAuth` "need" a
 * client must show a certificate the CA signed.
 */
export interface EnsembleTls {
  readonly keyStore: string;
  readonly trustStore: string;
  readonly clientAuth: "need" | "want" | "none";
}

const ensembles = new Set<ZkEnsemble>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = (): void => {
    for (const ensemble of ensembles) ensemble.destroy();
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Options every server of the ensemble gets. */
export interface EnsembleOptions {
  readonly servers: number;
  /** znode.container.checkIntervalMs (ZooKeeper's default is 60000). */
  readonly containerCheckIntervalMs: number;
  /** When set, each server's output is appended to `<logDir>/server-<k>.log` (for debugging). */
  readonly logDir?: string;
  /** When set, every server also serves TLS on its `securePort`. */
  readonly tls?: EnsembleTls;
}

/** One ensemble; servers start only when asked. */
export class ZkEnsemble implements EnsembleControl {
  readonly host = HOST;
  private readonly children = new Map<number, ChildProcess>();
  private readonly logs = new Map<number, string>();
  /** The version line of `srvr` from the first server that answered it, e.g. "3.8.0-...". */
  version = "unknown";

  private constructor(
    readonly size: number,
    private readonly dir: string,
    private readonly ports: readonly Ports[],
    private readonly options: EnsembleOptions,
  ) {}

  /** Writes every server's configuration and myid; starts nothing. */
  static async create(options: EnsembleOptions): Promise<ZkEnsemble> {
    installExitHandlers();
    const dir = mkdtempSync(join(tmpdir(), "zabsim-zk-ensemble-"));
    const flat = await freePorts(options.servers * 4);
    const ports: Ports[] = [];
    for (let i = 0; i < options.servers; i++) {
      ports.push({ client: flat[4 * i] ?? 0, quorum: flat[4 * i + 1] ?? 0,
        election: flat[4 * i + 2] ?? 0, secure: flat[4 * i + 3] ?? 0 });
    }
    const ensemble = new ZkEnsemble(options.servers, dir, ports, options);
    ensembles.add(ensemble);
    for (let k = 1; k <= options.servers; k++) ensemble.writeConfig(k);
    return ensemble;
  }

  private portsOf(server: number): Ports {
    const ports = this.ports[server - 1];
    if (ports === undefined) throw new Error(`no server ${server} in an ensemble of ${this.size}`);
    return ports;
  }

  private writeConfig(server: number): void {
    const data = join(this.dir, `server${server}`);
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, "myid"), `${server}\n`);
    const peers = this.ports.map((ports, index) =>
      `server.${index + 1}=${HOST}:${ports.quorum}:${ports.election}:participant`);
    const config = [
      "tickTime=2000",
      "initLimit=10",
      "syncLimit=5",
      `dataDir=${data}`,
      `clientPort=${this.portsOf(server).client}`,
      `clientPortAddress=${HOST}`,
      "forceSync=yes",
      "admin.enableServer=false",
      "4lw.commands.whitelist=srvr,mntr,envi",
      "maxClientCnxns=0",
      "standaloneEnabled=false",
      ...this.tlsConfig(server),
      ...peers,
      "",
    ].join("\n");
    writeFileSync(join(data, "zoo.cfg"), config);
  }

  /** The configuration lines of server k's secureClientPort (none without TLS). */
  private tlsConfig(server: number): string[] {
    const tls = this.options.tls;
    if (tls === undefined) return [];
    return [
      "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
      `secureClientPort=${this.portsOf(server).secure}`,
      `secureClientPortAddress=${HOST}`,
      `ssl.keyStore.location=${tls.keyStore}`,
      "ssl.keyStore.type=PEM",
      `ssl.trustStore.location=${tls.trustStore}`,
      "ssl.trustStore.type=PEM",
      `ssl.clientAuth=${tls.clientAuth}`,
    ];
  }

  clientPort(server: number): number {
    return this.portsOf(server).client;
  }

  /** Server k's secureClientPort (meaningful with `EnsembleOptions.tls`). */
  securePort(server: number): number {
    return this.portsOf(server).secure;
  }

  isRunning(server: number): boolean {
    const child = this.children.get(server);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Spawns server k's JVM; with a log dir its output goes to `server-<k>.log` there. */
  private spawnServer(server: number): ChildProcess {
    const config = join(this.dir, `server${server}`, "zoo.cfg");
    const logDir = this.options.logDir;
    // With a log dir, Debian's slf4j-simple binding makes the server log to stderr.
    const classpath = logDir === undefined ? serverClasspath()
      : `${serverClasspath()}:/usr/share/java/slf4j-simple.jar`;
    const child = spawn("java", [
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k",
      "-Dzookeeper.extendedTypesEnabled=true",
      `-Dznode.container.checkIntervalMs=${this.options.containerCheckIntervalMs}`,
      "-Dzookeeper.admin.enableServer=false",
      "-cp", classpath, MAIN_CLASS, config,
    ], { stdio: ["ignore", logDir === undefined ? "ignore" : "pipe", "pipe"] });
    if (logDir !== undefined) {
      const log = createWriteStream(join(logDir, `server-${server}.log`), { flags: "a" });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
    }
    child.stderr?.on("data", (chunk: Buffer) => {
      this.logs.set(server, ((this.logs.get(server) ?? "") + chunk.toString()).slice(-2000));
    });
    return child;
  }

  async start(server: number): Promise<void> {
    if (this.isRunning(server)) throw new Error(`server ${server} is already running`);
    this.children.set(server, this.spawnServer(server));
    const deadline = Date.now() + START_TIMEOUT_MS;
    const port = this.clientPort(server);
    while (Date.now() < deadline) {
      if (!this.isRunning(server)) {
        throw new Error(`server ${server} exited during start-up: ${this.logs.get(server) ?? ""}`);
      }
      // `envi` answers whether or not the server serves, and names the version.
      const answer = await fourLetterWord(HOST, port, "envi", 500);
      if (answer !== "") {
        const version = /^zookeeper\.version=(.*)$/m.exec(answer)?.[1];
        if (version !== undefined) this.version = version.trim();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`server ${server}'s client port did not answer within ${START_TIMEOUT_MS} ms`);
  }

  async kill(server: number): Promise<void> {
    const child = this.children.get(server);
    if (child === undefined || !this.isRunning(server) || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(child.pid, "SIGKILL");
    await gone;
  }

  /** Kills every process this ensemble started, by pid, and removes its files. */
  destroy(): void {
    for (const [server, child] of this.children) {
      if (this.isRunning(server) && child.pid !== undefined) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    }
    ensembles.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills every server and waits for the processes to exit, then removes the files. */
  async shutdown(): Promise<void> {
    for (let k = 1; k <= this.size; k++) await this.kill(k);
    this.destroy();
  }
}
