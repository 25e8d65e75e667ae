/**
 * Which hosts a run puts in the world. A run needs servers and clients that speak to each other;
 * this file is the one place that decides which implementation provides them, so the rest of the
 * run (phases, checkers, verdict, report) does not change when the implementation does.
 *
 * Today: the simulation kernel's fixture protocol (a primary-backup counter with its own
 * clients), which exercises the world, the faults and the trace end to end. The ZAB replicas take
 * its place through the consensus engineer's replica-host factory, with the workload clients of
 * src/sim/workload.ts.
 */
import { counterCluster, describeCounterMessage } from "../sim/fixture/index.js";
import type { CounterMessage } from "../sim/fixture/index.js";
import type { Host, MessageDescriber } from "../sim/index.js";
import type { RunOptions } from "./options.js";

/** The hosts of one run and how to render their messages in the trace. */
export interface Ensemble<M> {
  readonly hosts: readonly Host<M>[];
  readonly describeMessage: MessageDescriber<M>;
  /** Which implementation the servers are, for the report ("fixture" or "zab"). */
  readonly servers: "fixture" | "zab";
}

/** Builds the hosts for `options`. */
export function buildEnsemble(options: RunOptions): Ensemble<CounterMessage> {
  const hosts = counterCluster({
    servers: options.replicas + options.observers,
    clients: options.clients,
  });
  return { hosts, describeMessage: describeCounterMessage, servers: "fixture" };
}
