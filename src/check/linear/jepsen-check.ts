/**
 * Checks a Jepsen history (already read into events) against a named model: the one entry
 * point `zabsim check` and the tests share.
 */
import { checkPartitions } from "./check.js";
import type { LinearResult } from "./check.js";
import { pairEvents } from "./jepsen.js";
import type { JepsenEvent } from "./jepsen.js";
import { registerPartitions } from "./jepsen-register.js";
import { znodePartitions } from "./jepsen-znode.js";
import { casRegisterModel, registerModel } from "./models/register.js";
import type { RegisterValue } from "./models/register.js";
import { znodeModel } from "./models/znode.js";

/** The models a Jepsen history can be checked against. */
export const JEPSEN_MODELS = ["register", "cas-register", "znode"] as const;
export type JepsenModelName = (typeof JEPSEN_MODELS)[number];

/**
 * Checks `events` against `model` with a budget of model steps. `initial` is the registers'
 * first value (canonical EDN text, null for nil). `ops` counts operations (invocations of
 * client processes), not lines.
 */
export function checkJepsen(
  events: readonly JepsenEvent[], model: JepsenModelName, budget: number,
  initial: RegisterValue = null,
): LinearResult {
  const pairs = pairEvents(events);
  const count = (result: LinearResult): LinearResult => ({ ...result, ops: pairs.length });
  if (model === "znode") {
    const partitions = znodePartitions(pairs);
    const paths = partitions.flatMap((part) => part.ops.map((op) => op.input.path));
    return count(checkPartitions(znodeModel(paths), partitions, budget));
  }
  const cas = model === "cas-register";
  const chosen = cas ? casRegisterModel(initial) : registerModel(initial);
  return count(checkPartitions(chosen, registerPartitions(pairs, cas), budget));
}
