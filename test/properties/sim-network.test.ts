/**
 * The network's promises, over seeds and network options drawn by fast-check, with probe hosts
 * that all talk to all (test/unit/sim/probe.ts) and every trace event kept:
 * - no delivery across a partition while it stands (both directions when symmetric, only the
 *   cut one when one-way);
 * - without duplication each message is delivered at most once (with it, at most twice);
 * - without reordering each directed link is FIFO, even through clogs and delay spikes;
 * - a clogged link delivers nothing while clogged and loses nothing: every message arrives.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import type { SimOptionsInput } from "../../src/sim/options.js";
import type { TraceRecord } from "../../src/sim/trace.js";
import { World } from "../../src/sim/world.js";
import { probes } from "../unit/sim/probe.js";

const NODES = [1, 2, 3, 4];
const seedArb = fc.integer({ min: 0, max: 2 ** 40 });
const networkArb = fc.record({
  latencyMicrosMin: fc.integer({ min: 0, max: 3_000 }),
  latencySpanMicros: fc.integer({ min: 0, max: 20_000 }),
  lossProbability: fc.constantFrom(0, 0.1, 0.4),
  duplicateProbability: fc.constantFrom(0, 0.2),
  spikeProbability: fc.constantFrom(0, 0.05),
  reorder: fc.boolean(),
});
type NetworkDraw = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

function networkOptions(draw: NetworkDraw): SimOptionsInput["network"] {
  return {
    latencyMicrosMin: draw.latencyMicrosMin,
    latencyMicrosMax: draw.latencyMicrosMin + draw.latencySpanMicros,
    lossProbability: draw.lossProbability,
    duplicateProbability: draw.duplicateProbability,
    spikeProbability: draw.spikeProbability,
    spikeMicrosMax: 30_000,
    reorder: draw.reorder,
  };
}

function deliveries(events: readonly TraceRecord[]) {
  return events.flatMap((r) =>
    (r.event.kind === "deliver" ? [{ t: r.timeMicros, ...r.event }] : []));
}

const sideArb = fc.subarray(NODES, { minLength: 1, maxLength: 3 });

describe("network", () => {
  test.prop([seedArb, networkArb, sideArb, fc.boolean(), fc.integer({ min: 0, max: 100_000 })])(
    "no delivery across a standing partition",
    (seed, draw, side, oneWay, start) => {
      const rest = NODES.filter((n) => !side.includes(n));
      const end = start + 60_000;
      const world = new World({
        seed,
        hosts: probes(4, 1_000, 250_000),
        options: {
          network: networkOptions(draw),
          trace: { keepEvents: true },
          nemesis: {
            schedule: [
              { atMicros: start, fault: { kind: "partition", from: side, to: rest, oneWay } },
              { atMicros: end, fault: { kind: "heal-partitions" } },
            ],
          },
        },
      });
      world.runUntil(400_000);
      const crossing = (from: number, to: number): boolean =>
        (side.includes(from) && rest.includes(to)) ||
        (!oneWay && rest.includes(from) && side.includes(to));
      const during = deliveries(world.traceEvents ?? []).filter((d) => d.t >= start && d.t < end);
      expect(during.filter((d) => crossing(d.from, d.to))).toEqual([]);
      // The partition really was in the way: messages were dropped for it (unless all were lost).
      if (rest.length > 0) expect(world.stats.dropped.partition).toBeGreaterThan(0);
    },
  );

  test.prop([seedArb, networkArb])("each message is delivered at most once (twice if duplicated)",
    (seed, draw) => {
      const world = new World({
        seed,
        hosts: probes(3),
        options: { network: networkOptions(draw), trace: { keepEvents: true } },
      });
      world.runUntil(300_000);
      const count = new Map<number, number>();
      for (const d of deliveries(world.traceEvents ?? [])) {
        count.set(d.id, (count.get(d.id) ?? 0) + 1);
      }
      const most = Math.max(0, ...count.values());
      expect(most).toBeLessThanOrEqual(draw.duplicateProbability > 0 ? 2 : 1);
      if (draw.duplicateProbability === 0) expect(world.stats.duplicated).toBe(0);
    });

  test.prop([seedArb, networkArb, fc.integer({ min: 0, max: 100_000 })])(
    "each link is FIFO unless reordering is on",
    (seed, draw, clogAt) => {
      const world = new World({
        seed,
        hosts: probes(3),
        options: {
          network: { ...networkOptions(draw), reorder: false },
          trace: { keepEvents: true },
          nemesis: {
            schedule: [{
              atMicros: clogAt,
              fault: { kind: "clog", from: [1], to: [2, 3], oneWay: false, durationMicros: 30_000 },
            }],
          },
        },
      });
      world.runUntil(300_000);
      const lastId = new Map<string, number>();
      for (const d of deliveries(world.traceEvents ?? [])) {
        const link = `${d.from}>${d.to}`;
        expect(d.id).toBeGreaterThanOrEqual(lastId.get(link) ?? -1);
        lastId.set(link, d.id);
      }
    },
  );

  test.prop([seedArb, networkArb, fc.integer({ min: 0, max: 80_000 }), fc.boolean()])(
    "a clogged link delivers late, never drops",
    (seed, draw, clogAt, oneWay) => {
      const duration = 50_000;
      const hosts = probes(3, 1_000, 150_000);
      const world = new World({
        seed,
        hosts,
        options: {
          network: { ...networkOptions(draw), lossProbability: 0, duplicateProbability: 0 },
          trace: { keepEvents: true },
          nemesis: {
            schedule: [{
              atMicros: clogAt,
              fault: { kind: "clog", from: [1], to: [2], oneWay, durationMicros: duration },
            }],
          },
        },
      });
      world.runUntil(1_000_000);
      const clogged = (from: number, to: number): boolean =>
        (from === 1 && to === 2) || (!oneWay && from === 2 && to === 1);
      const during = deliveries(world.traceEvents ?? [])
        .filter((d) => d.t >= clogAt && d.t < clogAt + duration && clogged(d.from, d.to));
      expect(during).toEqual([]);
      for (const receiver of hosts) {
        for (const sender of hosts) {
          if (sender === receiver) continue;
          const got = receiver.arrivals.filter((a) => a.from === sender.id).length;
          expect(got).toBe(sender.sent.get(receiver.id) ?? 0);
        }
      }
      expect(world.stats.held).toBeGreaterThan(0);
    },
  );
});
