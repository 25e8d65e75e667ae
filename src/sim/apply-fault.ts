/**
 * Applying one fault to the world. Kept apart from world.ts so the loop stays short; every
 * choice is in the fault record, so applying draws no randomness except a crash's torn-write cut.
 */
import { assertNever } from "../util/assert.js";
import type { Fault } from "./faults.js";
import type { World } from "./world.js";

/** Applies `fault` to `world` now (the world has already traced and recorded it). */
export function applyFault<M, O>(world: World<M, O>, fault: Fault): void {
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
function heal<M, O>(world: World<M, O>): void {
  world.healed = true;
  world.releaseAll(world.network.heal());
  const ids = [...world.nodes.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const node = world.nodes.get(id);
    if (node !== undefined && !node.up) world.startNode(node, "restart");
  }
}
