/**
 * Throwaway standalone ZooKeeper servers from Debian's `zookeeper` package, for differential
 * runs: each gets a fresh data dir in a temp dir, its own client port on 127.0.0.1, TTL nodes
 * enabled (zookeeper.extendedTypesEnabled), no admin server, and the scenario's container check
 * interval. Every server started here is stopped by its pid: by `stop()`, and on exit or
 * Ctrl-C by the handlers installed on first start.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fourLetterWord } from "../../src/real/four-letter.js";

/**
 * Debian's jar; its manifest Class-Path names every dependency but one: netty-codec, which
 * netty-handler's SslHandler extends (NettyServerCnxnFactory with a secureClientPort fails with
 * ClassNotFoundException io.netty.handler.codec.ByteToMessageDecoder without it). The package
 * installs it (libnetty-java), so it is added here.
 */
const DEBIAN_JAR = "/usr/share/java/zookeeper.jar";
const DEBIAN_NETTY_CODEC = "/usr/share/java/netty-codec.jar";
const MAIN_CLASS = "org.apache.zookeeper.server.ZooKeeperServerMain";
const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 3000;

/** The classpath to run the server with (ZOOKEEPER_CLASSPATH overrides Debian's jar). */
export function serverClasspath(): string {
  return process.env["ZOOKEEPER_CLASSPATH"] ?? `${DEBIAN_JAR}:${DEBIAN_NETTY_CODEC}`;
}

/**
 * Installs Debian's zookeeper package when its jar is missing (as root, or through sudo), with
 * its JVM (the package depends on default-jre) on a machine that has none.
 */
export function ensureInstalled(): void {
  if (process.env["ZOOKEEPER_CLASSPATH"] !== undefined || existsSync(DEBIAN_JAR)) return;
  process.stderr.write("zk-diff: installing the zookeeper package (apt-get)\n");
  const asRoot = process.getuid?.() === 0;
  const run = (args: string[]): void => {
    const command = asRoot ? args[0] ?? "" : "sudo";
    const rest = asRoot ? args.slice(1) : args;
    const done = spawnSync(command, rest, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (done.status !== 0) throw new Error(`${args.join(" ")} failed`);
  };
  run(["apt-get", "update"]);
  run(["apt-get", "install", "-y", "zookeeper"]);
  for (const jar of [DEBIAN_JAR, DEBIAN_NETTY_CODEC]) {
    if (!existsSync(jar)) throw new Error(`zookeeper installed but ${jar} is missing`);
  }
}

/** A free TCP port on 127.0.0.1, found by binding port 0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const live = new Set<ZkServer>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = (): void => {
    for (const server of live) server.killNow();
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Options of one server. */
export interface ZkServerOptions {
  /** znode.container.checkIntervalMs (ZooKeeper's default is 60000). */
  readonly containerCheckIntervalMs: number;
}

/** One running standalone server. */
export class ZkServer {
  private exited = false;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.once("exit", () => (this.exited = true));
  }

  get host(): string {
    return HOST;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts a server and waits until it serves requests. */
  static async start(options: ZkServerOptions): Promise<ZkServer> {
    installExitHandlers();
    const dir = mkdtempSync(join(tmpdir(), "zabsim-zk-"));
    const port = await freePort();
    const config = [
      "tickTime=2000",
      `dataDir=${join(dir, "data")}`,
      `clientPort=${port}`,
      `clientPortAddress=${HOST}`,
      "admin.enableServer=false",
      "4lw.commands.whitelist=*",
      "maxClientCnxns=0",
      "",
    ].join("\n");
    writeFileSync(join(dir, "zoo.cfg"), config);
    const child = spawn("java", [
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k",
      "-Dzookeeper.extendedTypesEnabled=true",
      `-Dznode.container.checkIntervalMs=${options.containerCheckIntervalMs}`,
      "-Dzookeeper.admin.enableServer=false",
      "-cp", serverClasspath(), MAIN_CLASS, join(dir, "zoo.cfg"),
    ], { stdio: ["ignore", "ignore", "pipe"] });
    const server = new ZkServer(port, dir, child);
    live.add(server);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    try {
      await server.waitServing();
    } catch (error) {
      await server.stop();
      throw new Error(`${(error as Error).message}\n${stderr.trim()}`);
    }
    return server;
  }

  /** Polls `srvr` until the server reports a zxid (it answers before it serves). */
  private async waitServing(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error("the zookeeper server exited during start-up");
      const answer = await fourLetterWord(HOST, this.port, "srvr", 500);
      if (answer.includes("Zxid:")) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the zookeeper server did not start within ${START_TIMEOUT_MS} ms`);
  }

  /** The version line of `srvr`, e.g. "3.8.0-...". */
  async version(): Promise<string> {
    const answer = await fourLetterWord(HOST, this.port, "srvr");
    const line = answer.split("\n").find((text) => text.startsWith("Zookeeper version:"));
    return line?.replace("Zookeeper version:", "").trim() ?? "unknown";
  }

  /** Kills the process by pid at once (exit handlers). */
  killNow(): void {
    if (!this.exited && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    live.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Stops the server by pid (TERM, then KILL after a grace period) and removes its files. */
  async stop(): Promise<void> {
    if (!this.exited && this.child.pid !== undefined) {
      const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
      process.kill(this.child.pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (!this.exited && this.child.pid !== undefined) process.kill(this.child.pid, "SIGKILL");
      }, STOP_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
    }
    live.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
