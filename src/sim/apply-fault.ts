/**
 * Applying one fault to the world. Kept apart from world.ts so the loop stays short; every
 * choice is in the fault record, so applying draws no randomness except a crash's torn-write cut.
 */
import { assertNever } from "../util/assert.js";
import type { Fault, NodeId } from "./faults.js";
import type { Envelope } from "./envelope.js";
import type { Network } from "./network.js";
import type { NodeRuntime } from "./node.js";
import type { Trace } from "./trace.js";

/**
 * What applying a fault needs of the world: its nodes, network and trace, and the transitions
 * of a node. World implements it; naming it here keeps this file from importing world.ts (which
 * imports this one).
 */
export interface FaultTarget<M, O> {
  readonly nowMicrosTrue: number;
  readonly nodes: ReadonlyMap<NodeId, NodeRuntime<M, O>>;
  readonly network: Network<Envelope<M>>;
  readonly trace: Trace<M, O>;
  /** Set by a heal: no fault applies after it. */
  healed: boolean;
  crashNode(node: NodeRuntime<M, O>): void;
  startNode(node: NodeRuntime<M, O>, cause: "boot" | "restart"): void;
  releaseAll(links: readonly [NodeId, NodeId][]): void;
}

/** Applies `fault` to `world` now (the world has already traced and recorded it). */
export function applyFault<M, O>(world: FaultTarget<M, O>, fault: Fault): void {
  const now = world.nowMicrosTrue;
  switch (fault.kind) {
    case "crash": {
      const node = world.nodes.get(fault.node);
      if (node !== undefined && node.up && node.role !== "client") world.crashNode(node);
      return;
    }
    case "restart": {
      const node = world.nodes.get(fault.node);
      if (node !== undefined && !node.up) world.startNode(node, "restart");
      return;
    }
    case "partition":
      world.network.partition(fault.from, fault.to, fault.oneWay);
      return;
    case "heal-partitions":
      world.network.healPartitions();
      return;
    case "clog":
      world.network.clog(fault.from, fault.to, fault.oneWay, now + fault.durationMicros);
      return;
    case "unclog":
      world.releaseAll(world.network.unclog());
      return;
    case "loss-burst":
      world.network.burst(
        fault.lossProbability, fault.duplicateProbability, now + fault.durationMicros,
      );
      return;
    case "clock-jump":
      world.nodes.get(fault.node)?.clock.jump(fault.deltaMicros);
      return;
    case "pause": {
      const node = world.nodes.get(fault.node);
      if (node !== undefined) {
        node.pausedUntilMicros = Math.max(node.pausedUntilMicros, now + fault.durationMicros);
      }
      return;
    }
    case "corrupt": {
      const node = world.nodes.get(fault.node);
      const where = node?.disk.corrupt(fault.pick);
      if (where === undefined) return;
      world.trace.corrupted(now, fault.node, where.file, where.index, where.bit);
      return;
    }
    case "heal":
      heal(world);
      return;
    default:
      assertNever(fault, "fault");
  }
}

/** Stops every fault for good and restarts every crashed node, in id order. */
function heal<M, O>(world: FaultTarget<M, O>): void {
  world.healed = true;
  world.releaseAll(world.network.heal());
  const ids = [...world.nodes.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const node = world.nodes.get(id);
    // A paused node's waiting events stay where they were queued; new ones no longer wait.
    if (node !== undefined) node.pausedUntilMicros = 0;
    if (node !== undefined && !node.up) world.startNode(node, "restart");
  }
}
