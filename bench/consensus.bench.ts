/**
 * Consensus benchmarks on the test harness (no world): how many replica inputs per wall second
 * the pure replicas handle on a steady broadcast (writes pipelined through the leader, disk
 * writes completed at once), and how long an election takes in simulated time (until every
 * replica is synced, measured in 50 ms harness steps) and wall time for
 * ensembles of 3, 5 and 7 voters.
 */
import { performance } from "node:perf_hooks";
import type { Benchmark, BenchRow } from "./main.js";
import { Cluster } from "../test/helpers/cluster.js";

const WRITES = 20_000;
const BATCH = 32;

function steadyBroadcast(voters: number): BenchRow {
  const c = new Cluster({ voters, keepLog: false, config: { proposalsInflightMax: 64 } }).start();
  c.elect();
  const leader = voters; // the highest sid wins a fresh election
  const follower = 1;
  const session = c.openSession(follower, 100);
  const data = new TextEncoder().encode("value");
  const stepsBefore = c.steps;
  const started = performance.now();
  let requestId = 1;
  while (requestId <= WRITES) {
    for (let i = 0; i < BATCH && requestId <= WRITES; i++, requestId++) {
      const server = requestId % 2 === 0 ? leader : follower;
      c.request(server, 100, requestId, { type: "setData", path: "/", data, version: -1 }, session);
    }
    c.stabilize();
    c.replies.length = 0;
    c.observations.length = 0;
  }
  const wallMs = performance.now() - started;
  const steps = c.steps - stepsBefore;
  return {
    voters,
    writes: WRITES,
    steps,
    stepsPerSec: Math.round(steps / (wallMs / 1000)),
    writesPerSec: Math.round(WRITES / (wallMs / 1000)),
    stepsPerWrite: Number((steps / WRITES).toFixed(1)),
    wallMs: Math.round(wallMs),
  };
}

function election(voters: number): BenchRow {
  const rounds = 20;
  let simMicros = 0;
  const started = performance.now();
  for (let seed = 1; seed <= rounds; seed++) {
    const c = new Cluster({ voters, seed, keepLog: false }).start();
    c.elect();
    const established = c.observationsOf("established")[0];
    if (established === undefined) throw new Error("no leader");
    simMicros += c.now;
  }
  const wallMs = performance.now() - started;
  return {
    voters,
    rounds,
    simMsUntilSynced: Number((simMicros / rounds / 1000).toFixed(1)),
    wallMsPerElection: Number((wallMs / rounds).toFixed(2)),
  };
}

export const benchmarks: Benchmark[] = [
  { name: "consensus/broadcast-3", run: () => steadyBroadcast(3) },
  { name: "consensus/broadcast-5", run: () => steadyBroadcast(5) },
  { name: "consensus/election-3", run: () => election(3) },
  { name: "consensus/election-5", run: () => election(5) },
  { name: "consensus/election-7", run: () => election(7) },
];
