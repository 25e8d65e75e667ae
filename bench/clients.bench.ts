/**
 * Client benchmarks, in the same bench run as the rest: committed writes per wall-second of a
 * fault-free ensemble of 3 and 5 replicas under the basic workload (the one before client
 * sessions), the session workload (the default) and an API-driven workload (three async tasks on
 * the promise API, runScenario); seeds per minute of the default options under each workload;
 * and the memory an idle, connected client session takes (ClientSession with its watch lists),
 * measured over many sessions.
 */
import { ClientSession, KeeperError } from "../src/client/index.js";
import type { ZooKeeper } from "../src/client/index.js";
import { runScenario, runSimulation } from "../src/run/index.js";
import type { RunOptions, RunReport, ScenarioTask } from "../src/run/index.js";
import { Prng } from "../src/util/index.js";
import type { Benchmark, BenchRow } from "./main.js";

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

const SEEDS = 3;

function timed<T>(body: () => T): { value: T; seconds: number } {
  const start = wallMs();
  const value = body();
  return { value, seconds: (wallMs() - start) / 1000 };
}

function writesRow(replicas: number, workload: RunOptions["workload"]): BenchRow {
  const options: Partial<RunOptions> = { replicas, faults: "none", workload };
  runSimulation(1001, options);
  const { value, seconds } = timed(() =>
    Array.from({ length: SEEDS }, (_, i) => runSimulation(i + 1, options)));
  const committed = value.reduce((sum, r: RunReport) => sum + r.committed, 0);
  return { replicas, workload, committed, committedPerWallSec: Math.round(committed / seconds),
    wallMs: Math.round(seconds * 1000) };
}

function ignore(error: unknown): undefined {
  if (!(error instanceof KeeperError)) throw error;
  return undefined;
}

/** A client writing and reading its own node, as fast as replies come. */
const API_TASK: ScenarioTask = async (client) => {
  const zk: ZooKeeper = client.connect();
  const path = `/api${client.node}`;
  await zk.create(path, "0").catch(ignore);
  for (let i = 0; i < 100_000; i++) {
    await zk.setData(path, String(i)).catch(ignore);
    await zk.getData(path).catch(ignore);
  }
};

async function apiWritesRow(replicas: number): Promise<BenchRow> {
  const options: Partial<RunOptions> = { replicas, faults: "none", clients: 0 };
  const tasks = [API_TASK, API_TASK, API_TASK];
  await runScenario(1001, options, tasks);
  const start = wallMs();
  let committed = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    committed += (await runScenario(seed, options, tasks)).report.committed;
  }
  const seconds = (wallMs() - start) / 1000;
  return { replicas, workload: "api", committed,
    committedPerWallSec: Math.round(committed / seconds), wallMs: Math.round(seconds * 1000) };
}

function sweepRow(workload: RunOptions["workload"]): BenchRow {
  runSimulation(1001, { workload });
  const { value, seconds } = timed(() =>
    Array.from({ length: 10 }, (_, i) => runSimulation(i + 1, { workload })));
  return { workload, seeds: value.length, seedsPerMinute: Math.round(value.length / seconds * 60),
    failing: value.filter((r) => r.violations.length > 0).length };
}

/** Heap bytes per connected idle session with two watches, over 20,000 sessions. */
function idleSessionRow(): BenchRow {
  const count = 20_000;
  const sessions: ClientSession[] = [];
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    const session = new ClientSession({ servers: [1, 2, 3], sessionTimeoutMs: 4000,
      prng: new Prng(i, "bench") });
    session.step({ kind: "open", now: 1 });
    session.step({ kind: "receive", now: 2, connection: 1,
      packet: { type: "connected", sessionId: i + 1, timeoutMs: 4000 } });
    session.step({ kind: "call", now: 3, call: 1,
      op: { request: { type: "exists", path: "/x", watch: true }, watcher: 0 } });
    session.step({ kind: "receive", now: 4, connection: 1,
      packet: { type: "reply", xid: 1, zxid: 5, err: "NONODE" } });
    sessions.push(session);
  }
  const after = process.memoryUsage().heapUsed;
  return { sessions: sessions.length, bytesPerIdleSession: Math.round((after - before) / count) };
}

export const benchmarks: Benchmark[] = [
  { name: "clients/writes-3-basic", run: () => writesRow(3, "basic") },
  { name: "clients/writes-3-sessions", run: () => writesRow(3, "sessions") },
  { name: "clients/writes-3-api", run: () => apiWritesRow(3) },
  { name: "clients/writes-5-basic", run: () => writesRow(5, "basic") },
  { name: "clients/writes-5-sessions", run: () => writesRow(5, "sessions") },
  { name: "clients/writes-5-api", run: () => apiWritesRow(5) },
  { name: "clients/sweep-basic", run: () => sweepRow("basic") },
  { name: "clients/sweep-sessions", run: () => sweepRow("sessions") },
  { name: "clients/idle-session-memory", run: idleSessionRow },
];
