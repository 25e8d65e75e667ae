/**
 * Runs one scenario on a throwaway real ZooKeeper server: start a fresh standalone server with
 * the scenario's container check interval, run every step, stop the server (always, by pid).
 */
import type { Scenario, StepResult } from "../../src/script/index.js";
import { localTarget, runEnsembleScenario, runScenario } from "../../src/real/index.js";
import { ZkEnsemble } from "./zk-ensemble.js";
import { ZkServer } from "./zk-server.js";

export interface RealRun {
  readonly results: StepResult[];
  readonly version: string;
  /** Wall-clock time of the whole run, server start and stop included. */
  readonly wallMs: number;
}

/** Servers still shutting down: a run does not wait for its server to exit. */
const stopping = new Set<Promise<void>>();

/** Waits until every server started by `runOnFreshServer` has exited. */
export async function allStopped(): Promise<void> {
  await Promise.all([...stopping]);
}

/** Runs a scenario on fresh real servers: an ensemble when it has `servers`, else standalone. */
export async function runOnFreshServer(scenario: Scenario): Promise<RealRun> {
  if (scenario.servers !== undefined) return runOnFreshEnsemble(scenario, scenario.servers);
  const started = Date.now();
  const server = await ZkServer.start({
    containerCheckIntervalMs: scenario.server.containerCheckIntervalMs,
  });
  try {
    const version = await server.version();
    const results = await runScenario(scenario, localTarget(server.port));
    return { results, version, wallMs: Date.now() - started };
  } finally {
    const stopped = server.stop();
    stopping.add(stopped);
    void stopped.finally(() => stopping.delete(stopped));
  }
}

/**
 * Runs an ensemble scenario on a fresh ensemble of `servers` real servers, all killed by pid
 * afterwards (also when the run fails).
 */
async function runOnFreshEnsemble(scenario: Scenario, servers: number): Promise<RealRun> {
  const started = Date.now();
  // ZABSIM_ZK_LOG_DIR=dir keeps every server's log there (server-<k>.log), for races.
  const logDir = process.env["ZABSIM_ZK_LOG_DIR"];
  const ensemble = await ZkEnsemble.create({
    servers,
    containerCheckIntervalMs: scenario.server.containerCheckIntervalMs,
    ...(logDir === undefined ? {} : { logDir }),
  });
  try {
    const results = await runEnsembleScenario(scenario, ensemble);
    return { results, version: ensemble.version, wallMs: Date.now() - started };
  } finally {
    await ensemble.shutdown();
  }
}

/** True when a scenario's results depend on the container manager's timing. */
export function isTimed(scenario: Scenario): boolean {
  return scenario.steps.some((step) => step.op === "sleep");
}
