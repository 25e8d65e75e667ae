/**
 * Which hosts a run puts in the world. A run needs servers and clients that speak to each other;
 * this file is the one place that decides which implementation provides them, so the rest of the
 * run (phases, checkers, verdict, report) does not change when the implementation does.
 *
 * The servers are ZAB replicas (src/consensus) in src/ensemble's ReplicaHost;
 * the clients are the workload of src/ensemble/workload.ts speaking ZAB_CLIENT_PROTOCOL to them.
 */
import { isBugName } from "../consensus/bugs.js";
import { isRecipeBugName } from "../recipes/index.js";
import type { BugName } from "../consensus/bugs.js";
import type { Observation } from "../observe/index.js";
import { hashObservation } from "../observe/index.js";
import type { Host, MessageDescriber, ObservationHasher } from "../sim/index.js";
import {
  SESSION_WORKLOAD_DEFAULTS, WORKLOAD_DEFAULTS, ZAB_CLIENT_PROTOCOL, createReplicaHosts,
  describeZabMessage, makeSessionWorkload, makeWorkload,
} from "../ensemble/index.js";
import type { ReplicaHost, ZabWire } from "../ensemble/index.js";
import type { RunOptions } from "./options.js";
import { seededRandom } from "../crypto/index.js";
import { isKeyBug } from "../keys/index.js";
import { Prng } from "../util/index.js";
import { CLIENT_ID_BASE, isRecipeWorkload, serverIds } from "./options.js";

/** The hosts of one run and how to render their messages in the trace. */
export interface Ensemble<M> {
  readonly hosts: readonly Host<M, Observation>[];
  readonly describeMessage: MessageDescriber<M>;
  /** Folds the hosts' observations into the trace hash. */
  readonly hashObservation: ObservationHasher<Observation>;
  /** Which implementation the servers are, for the report (one today: the ZAB replicas). */
  readonly servers: "zab";
  /** The server hosts (for what they count, such as refused frames). */
  readonly replicas: readonly ReplicaHost[];
}

/**
 * The planted bug named in the options, if the replicas plant it (a recipe bug is the recipe
 * clients', src/run/tasks.ts).
 */
function bugsOf(options: RunOptions): BugName[] {
  if (options.bug === null || isRecipeBugName(options.bug) || isKeyBug(options.bug)) {
    return []; // planted in the recipe clients or the key service, not the replicas
  }
  if (!isBugName(options.bug)) throw new Error(`unknown planted bug ${options.bug}`);
  return [options.bug];
}

/**
 * Builds the hosts for `options`: servers 1..n (voters, then observers), clients from 101. With
 * secure quorum, the servers' identities come from the run's "identities" stream.
 */
export function buildEnsemble(options: RunOptions, seed: number): Ensemble<ZabWire> {
  const replicas = createReplicaHosts({
    voters: options.replicas, observers: options.observers, bugs: bugsOf(options),
    config: { zxidCounterStart: options.zxidCounterStart },
    ...(options.secureQuorum ? { secureQuorum: seededRandom(new Prng(seed, "identities")) } : {}),
  });
  const { voters, observers } = serverIds(options);
  const servers = [...voters, ...observers];
  // A recipe workload's clients are API tasks (src/run/tasks.ts), not hosts built here.
  const clients: Host<ZabWire, Observation>[] = isRecipeWorkload(options.workload) ? []
    : options.workload === "basic"
    ? makeWorkload(CLIENT_ID_BASE, options.clients, { ...WORKLOAD_DEFAULTS, servers },
      ZAB_CLIENT_PROTOCOL)
    : makeSessionWorkload<ZabWire>(CLIENT_ID_BASE, options.clients,
      { ...SESSION_WORKLOAD_DEFAULTS, servers }, (message) => message);
  return {
    hosts: [...replicas, ...clients], describeMessage: describeZabMessage, hashObservation,
    servers: "zab", replicas,
  };
}
