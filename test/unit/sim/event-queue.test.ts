/**
 * The event queue against a naive model: pushing any (time) sequence and popping everything
 * yields the items sorted by (time, push order), so time never runs backwards and ties break
 * by sequence number. Interleaved pushes and pops (the world's pattern) are checked too.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { EventQueue } from "../../../src/sim/event-queue.js";

describe("EventQueue", () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 })])(
    "pops in (time, seq) order, like a stable sort",
    (times) => {
      const queue = new EventQueue<number>();
      times.forEach((time, i) => expect(queue.push(time, i)).toBe(i));
      const popped: number[] = [];
      while (queue.size > 0) popped.push(queue.pop());
      const expected = times.map((time, i) => ({ time, i }))
        .sort((a, b) => a.time - b.time || a.i - b.i)
        .map(({ i }) => i);
      expect(popped).toEqual(expected);
    },
  );

  test.prop([
    fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { maxLength: 400 }),
  ])("interleaved: each pop is the earliest pending (time, seq)", (ops) => {
    const queue = new EventQueue<{ time: number; seq: number }>();
    const model: { time: number; seq: number }[] = [];
    let now = 0;
    for (const [isPop, delta] of ops) {
      if (isPop && model.length > 0) {
        model.sort((a, b) => a.time - b.time || a.seq - b.seq);
        const expected = model.shift();
        const got = queue.pop();
        expect(got).toEqual(expected);
        expect(got.time).toBeGreaterThanOrEqual(now);
        now = got.time;
      } else {
        const time = now + delta;
        const seq = queue.pushed;
        queue.push(time, { time, seq });
        model.push({ time, seq });
      }
      expect(queue.size).toBe(model.length);
    }
  });

  const sizes = fc.integer({ min: 2000, max: 5000 });
  test.prop([sizes], { numRuns: 3 })("grows past its initial capacity", (n) => {
    const queue = new EventQueue<number>();
    for (let i = n; i > 0; i--) queue.push(i, i);
    for (let i = 1; i <= n; i++) expect(queue.pop()).toBe(i);
    expect(queue.peekTime()).toBe(Infinity);
  });
});
