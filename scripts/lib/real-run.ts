/**
 * Runs one scenario on a throwaway real ZooKeeper server: start a fresh standalone server with
 * the scenario's container check interval, run every step, stop the server (always, by pid).
 */
import type { Scenario, StepResult } from "../../src/script/index.js";
import { localTarget, runScenario } from "../../src/real/index.js";
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

export async function runOnFreshServer(scenario: Scenario): Promise<RealRun> {
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

/** True when a scenario's results depend on the container manager's timing. */
export function isTimed(scenario: Scenario): boolean {
  return scenario.steps.some((step) => step.op === "sleep");
}
