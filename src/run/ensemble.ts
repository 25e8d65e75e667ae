/**
 * Which hosts a run puts in the world. A run needs servers and clients that speak to each other;
 * this file is the one place that decides which implementation provides them, so the rest of the
 * run (phases, checkers, verdict, report) does not change when the implementation does.
 *
 * The servers are ZAB replicas (src/consensus) in the consensus engineer's ReplicaHost adapter;
 * the clients are the workload of src/sim/workload.ts speaking ZAB_CLIENT_PROTOCOL to them.
 */
import { bugNames } from "../consensus/bugs.js";
import type { BugName } from "../consensus/bugs.js";
import type { Host, MessageDescriber } from "../sim/index.js";
import {
  ZAB_CLIENT_PROTOCOL, createReplicaHosts, describeZabMessage,
} from "../sim/replica-host.js";
import type { ZabWire } from "../sim/replica-host.js";
import { WORKLOAD_DEFAULTS, makeWorkload } from "../sim/workload.js";
import type { RunOptions } from "./options.js";
import { CLIENT_ID_BASE, serverIds } from "./options.js";

/** The hosts of one run and how to render their messages in the trace. */
export interface Ensemble<M> {
  readonly hosts: readonly Host<M>[];
  readonly describeMessage: MessageDescriber<M>;
  /** Which implementation the servers are, for the report (one today: the ZAB replicas). */
  readonly servers: "zab";
}

/** The planted bug named in the options, checked against the replicas' list. */
function bugsOf(options: RunOptions): BugName[] {
  if (options.bug === null) return [];
  const bug = bugNames().find((name) => name === options.bug);
  if (bug === undefined) throw new Error(`unknown planted bug ${options.bug}`);
  return [bug];
}

/** Builds the hosts for `options`: servers 1..n (voters, then observers), clients from 101. */
export function buildEnsemble(options: RunOptions): Ensemble<ZabWire> {
  const servers = createReplicaHosts({
    voters: options.replicas, observers: options.observers, bugs: bugsOf(options),
  });
  const { voters, observers } = serverIds(options);
  const clients = makeWorkload(CLIENT_ID_BASE, options.clients,
    { ...WORKLOAD_DEFAULTS, servers: [...voters, ...observers] }, ZAB_CLIENT_PROTOCOL);
  return { hosts: [...servers, ...clients], describeMessage: describeZabMessage, servers: "zab" };
}
