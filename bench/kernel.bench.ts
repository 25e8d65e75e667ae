/**
 * Kernel benchmarks. The kernel's event rate (trace hash on, rendering off) on two workloads:
 * the fixture protocol (a replicated counter: fsyncs, checksummed records, observations) and
 * trivial ping hosts (isolating the kernel's own cost); beside it, a bare binary-heap loop over
 * the same number of events with the same pending-queue depth and a trivial handler, measured in
 * the same process, and the ratio of the two. Then the memory one queued message costs.
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import type { Envelope } from "../src/sim/envelope.js";
import { EventQueue } from "../src/sim/event-queue.js";
import type { Host, HostContext } from "../src/sim/host.js";
import { World } from "../src/sim/world.js";
import {
  counterCluster, describeCounterMessage, hashCounterObservation,
} from "../test/fixture/index.js";
import type { Benchmark, BenchRow } from "./main.js";

const EVENTS = 2_000_000;
const WARMUP_EVENTS = 200_000;

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

/** Runs a world for EVENTS events after a warm-up; returns events/s and the mean queue depth. */
function measureWorld<M>(build: () => World<M>): { perSecond: number; depth: number } {
  build().runEvents(WARMUP_EVENTS);
  const world = build();
  let depthSum = 0;
  let samples = 0;
  const start = wallMs();
  for (let done = 0; done < EVENTS; done += 10_000) {
    world.runEvents(10_000);
    depthSum += world.pendingEvents;
    samples++;
  }
  const seconds = (wallMs() - start) / 1000;
  return { perSecond: world.events / seconds, depth: Math.max(1, Math.round(depthSum / samples)) };
}

/** The bare loop: a heap held at `depth` pending events; each pop pushes one successor. */
function measureBareLoop(depth: number): number {
  const run = (count: number): number => {
    const queue = new EventQueue<{ readonly kind: number; readonly node: number }>();
    let state = 12345;
    for (let i = 0; i < depth; i++) queue.push(i, { kind: 1, node: i % 5 });
    let checksum = 0;
    for (let i = 0; i < count; i++) {
      const time = queue.peekTime();
      const event = queue.pop();
      checksum = (checksum + event.node) | 0;
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      queue.push(time + 1 + (state % 100), { kind: 1, node: (event.node + 1) % 5 });
    }
    return checksum;
  };
  run(WARMUP_EVENTS);
  const start = wallMs();
  run(EVENTS);
  return EVENTS / ((wallMs() - start) / 1000);
}

/** A host that answers every ping with a ping to the next node, plus a periodic timer. */
class Pinger implements Host<number> {
  readonly role = "voter" as const;
  constructor(readonly id: number, private readonly nodes: number) {}
  start(ctx: HostContext<number>): void {
    for (let i = 0; i < 20; i++) ctx.send((this.id % this.nodes) + 1, i);
    ctx.setTimer("tick", 10_000);
  }
  deliver(ctx: HostContext<number>, envelope: Envelope<number>): void {
    ctx.send((this.id % this.nodes) + 1, envelope.message + 1);
  }
  timerFired(ctx: HostContext<number>): void {
    ctx.setTimer("tick", 10_000);
  }
  diskCompleted(): void {}
  crashed(): void {}
}

const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Alternates kernel and bare-loop measurements (so machine load hits both), takes medians. */
function kernelRow(name: string, world: () => World<unknown>): BenchRow {
  const kernelRates: number[] = [];
  const bareRates: number[] = [];
  let depth = 1;
  for (let round = 0; round < ROUNDS; round++) {
    const kernel = measureWorld(world);
    depth = kernel.depth;
    kernelRates.push(kernel.perSecond);
    bareRates.push(measureBareLoop(depth));
  }
  const ratios = kernelRates.map((rate, i) => (bareRates[i] ?? 0) / rate);
  return {
    events: EVENTS,
    queueDepth: depth,
    kernelEventsPerSec: Math.round(median(kernelRates)),
    bareLoopEventsPerSec: Math.round(median(bareRates)),
    bareOverKernel: Number(median(ratios).toFixed(2)),
    workload: name,
  };
}

const fixture = (describe: boolean) => (): World<unknown> =>
  new World<unknown>({
    seed: 1,
    hosts: counterCluster({ servers: 3, clients: 8, thinkMicrosMax: 2_000 }) as Host<unknown>[],
    describeMessage: describe ? (m) => describeCounterMessage(m as never) : undefined,
    hashObservation: (hasher, o) => hashCounterObservation(hasher, o as never),
  });

const pingers = (): World<unknown> =>
  new World<unknown>({
    seed: 1,
    hosts: [1, 2, 3, 4, 5].map((id) => new Pinger(id, 5)) as Host<unknown>[],
  });

/** Heap bytes per queued message envelope, with a forced GC before each reading. */
function measureQueueMemory(): BenchRow {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const count = 1_000_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const queue = new EventQueue<Envelope<number>>();
  for (let i = 0; i < count; i++) {
    const envelope: Envelope<number> = {
      kind: "message", id: i, from: 1, to: 2, message: i, sentMicros: i, copy: 0,
    };
    queue.push(i * 7 % 1_000_003, envelope);
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  const bytes = (after - before) / count;
  return { queuedEvents: count, bytesPerQueuedEvent: Math.round(bytes), keptAlive: queue.size };
}

export const benchmarks: Benchmark[] = [
  {
    name: "kernel/fixture-protocol",
    run: () => kernelRow("fixture 3 servers 8 clients", fixture(false)),
  },
  { name: "kernel/fixture+describe", run: () => kernelRow("same, messages hashed", fixture(true)) },
  { name: "kernel/ping-hosts", run: () => kernelRow("5 trivial ping hosts", pingers) },
  { name: "kernel/queue-memory", run: measureQueueMemory },
];
