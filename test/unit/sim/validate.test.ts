/**
 * Option validation: the defaults are valid, and each kind of bad value (negative or fractional
 * times, min above max, probabilities outside [0, 1], unknown mixes and fault kinds, node ids not
 * in the world, a crashMax beyond a minority while a majority is promised) yields an error whose
 * `field` names exactly the bad field.
 */
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { defaultSimOptions, resolveSimOptions } from "../../../src/sim/options.js";
import type { SimOptionsInput } from "../../../src/sim/options.js";
import { validateSimOptions } from "../../../src/sim/validate.js";
import type { Topology } from "../../../src/sim/validate.js";

const TOPOLOGY: Topology = {
  voters: [1, 2, 3, 4, 5],
  servers: [1, 2, 3, 4, 5, 6],
  nodes: [1, 2, 3, 4, 5, 6, 101],
};
const at1 = (fault: unknown) => ({ nemesis: { schedule: [{ atMicros: 1, fault }] } });

const fields = (input: unknown, topology: Topology | undefined = TOPOLOGY): string[] =>
  validateSimOptions(resolveSimOptions(input as SimOptionsInput), topology).map((e) => e.field);

describe("validateSimOptions", () => {
  it("accepts the defaults", () => {
    expect(validateSimOptions(defaultSimOptions(), TOPOLOGY)).toEqual([]);
  });

  const cases: [string, unknown, string][] = [
    ["negative latency", { network: { latencyMicrosMin: -5 } }, "network.latencyMicrosMin"],
    ["fractional latency", { network: { latencyMicrosMax: 2000.5 } }, "network.latencyMicrosMax"],
    ["min above max", { network: { latencyMicrosMin: 9, latencyMicrosMax: 3 } },
      "network.latencyMicrosMin"],
    ["loss above 1", { network: { lossProbability: 1.5 } }, "network.lossProbability"],
    ["NaN duplication", { network: { duplicateProbability: NaN } }, "network.duplicateProbability"],
    ["reorder not boolean", { network: { reorder: "yes" } }, "network.reorder"],
    ["fsync min above max", { disk: { fsyncMicrosMin: 10, fsyncMicrosMax: 1 } },
      "disk.fsyncMicrosMin"],
    ["torn below 0", { disk: { tornWriteProbability: -0.1 } }, "disk.tornWriteProbability"],
    ["drift too large", { clock: { driftPpmMax: 200_000 } }, "clock.driftPpmMax"],
    ["clock for unknown node", { clock: { nodes: [{ node: 9, offsetMicros: 0, driftPpm: 0 }] } },
      "clock.nodes[0].node"],
    ["unknown mix", { nemesis: { mix: "chaos" } }, "nemesis.mix"],
    ["negative rate", { nemesis: { faultsPerSecond: -1 } }, "nemesis.faultsPerSecond"],
    ["crashMax beyond minority", { nemesis: { crashMax: 3 } }, "nemesis.crashMax"],
    ["schedule time negative",
      { nemesis: { schedule: [{ atMicros: -1, fault: { kind: "heal" } }] } },
      "nemesis.schedule[0].atMicros"],
    ["unknown fault kind", at1({ kind: "meteor" }),
      "nemesis.schedule[0].fault.kind"],
    ["crash of a client", at1({ kind: "crash", node: 101 }),
      "nemesis.schedule[0].fault.node"],
    ["partition with empty side", at1({ kind: "partition", from: [], to: [1], oneWay: false }),
      "nemesis.schedule[0].fault.from"],
    ["burst probability",
      at1({ kind: "loss-burst", lossProbability: 2, duplicateProbability: 0, durationMicros: 1 }),
      "nemesis.schedule[0].fault.lossProbability"],
    ["zero event limit", { limits: { eventsMax: 0 } }, "limits.eventsMax"],
  ];
  for (const [name, input, field] of cases) {
    it(`names the field: ${name}`, () => {
      expect(fields(input)).toEqual([field]);
    });
  }

  it("allows crashMax beyond a minority when no majority is promised", () => {
    expect(fields({ nemesis: { crashMax: 4, keepMajority: false } })).toEqual([]);
    expect(fields({ nemesis: { crashMax: 2 } })).toEqual([]);
  });

  test.prop([fc.double({ noNaN: true })])("a probability is valid exactly when in [0, 1]", (p) => {
    const ok = p >= 0 && p <= 1;
    const expected = ok ? [] : ["network.lossProbability"];
    expect(fields({ network: { lossProbability: p } })).toEqual(expected);
  });

  it("every message starts with its field", () => {
    const errors = validateSimOptions(resolveSimOptions({ network: { lossProbability: 7 } }));
    expect(errors[0]?.message.startsWith("network.lossProbability ")).toBe(true);
    expect(errors[0]?.code).toBe("BAD_OPTION");
  });
});

describe("resolveSimOptions", () => {
  it("fills missing and undefined fields from the defaults", () => {
    const resolved = resolveSimOptions({ network: { lossProbability: undefined, reorder: true } });
    expect(resolved.network.lossProbability).toBe(defaultSimOptions().network.lossProbability);
    expect(resolved.network.reorder).toBe(true);
    expect(resolved.disk).toEqual(defaultSimOptions().disk);
  });
});
