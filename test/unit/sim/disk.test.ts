/**
 * The disk model against a naive one that deep-copies every file at each fsync call: after any
 * sequence of appends, overwrites, truncates, fsync calls and (in order) completions, a crash
 * leaves exactly the content of the last completed fsync (unsynced writes lost, synced kept).
 * With the torn-write fault, only the last append, and only if unsynced, survives, as a damaged
 * tail record. A flipped bit in a synced record is caught by openRecord.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { openRecord, sealRecord } from "../../../src/sim/checksum.js";
import type { SyncImage } from "../../../src/sim/disk.js";
import { Disk } from "../../../src/sim/disk.js";

type Op =
  | { kind: "append"; file: string; text: string }
  | { kind: "overwrite"; file: string; texts: string[] }
  | { kind: "truncate"; file: string; keep: number }
  | { kind: "sync" }
  | { kind: "complete" };

const fileArb = fc.constantFrom("log", "epoch", "snap");
const kind = <K extends Op["kind"]>(k: K): fc.Arbitrary<K> => fc.constant(k);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: kind("append"), file: fileArb, text: fc.string({ maxLength: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: kind("overwrite"),
      file: fileArb,
      texts: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: kind("truncate"), file: fileArb, keep: fc.nat(10) }) },
  { weight: 2, arbitrary: fc.record({ kind: kind("sync") }) },
  { weight: 2, arbitrary: fc.record({ kind: kind("complete") }) },
);

type Files = Map<string, string[]>;
const copy = (files: Files): Files => new Map([...files].map(([k, v]) => [k, v.slice()]));

/** Runs `ops` on a Disk and on the naive model; returns both, plus the last append's state. */
interface Append {
  file: string;
  text: string;
  synced: boolean;
}

function play(ops: readonly Op[]): {
  disk: Disk; current: Files; durable: Files; lastAppend: Append | undefined;
} {
  const disk = new Disk();
  let lastAppend: Append | undefined;
  const current: Files = new Map();
  let durable: Files = new Map();
  const pending: { image: SyncImage; snapshot: Files; covers: typeof lastAppend }[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case "append":
        disk.append(op.file, sealRecord(op.text));
        current.set(op.file, [...(current.get(op.file) ?? []), sealRecord(op.text)]);
        lastAppend = { file: op.file, text: sealRecord(op.text), synced: false };
        break;
      case "overwrite":
        disk.overwrite(op.file, op.texts);
        current.set(op.file, op.texts.slice());
        break;
      case "truncate": {
        const keep = Math.min(op.keep, current.get(op.file)?.length ?? 0);
        disk.truncate(op.file, keep);
        current.set(op.file, (current.get(op.file) ?? []).slice(0, keep));
        break;
      }
      case "sync":
        pending.push({ image: disk.beginSync(), snapshot: copy(current), covers: lastAppend });
        break;
      case "complete": {
        const done = pending.shift();
        if (done === undefined) break;
        disk.completeSync(done.image);
        durable = done.snapshot;
        if (done.covers !== undefined) done.covers.synced = true;
        break;
      }
    }
  }
  return { disk, current, durable, lastAppend };
}

const content = (disk: Disk, names: Iterable<string>): Files =>
  new Map([...names].map((name) => [name, disk.read(name).slice()]));
const names = (a: Files, b: Files): string[] => [...new Set([...a.keys(), ...b.keys()])].sort();
const normalize = (files: Files, keys: string[]): Files =>
  new Map(keys.map((k) => [k, files.get(k) ?? []]));

describe("Disk", () => {
  test.prop([fc.array(opArb, { maxLength: 60 })])("reads see every write at once", (ops) => {
    const { disk, current } = play(ops);
    const keys = names(current, new Map());
    expect(content(disk, keys)).toEqual(normalize(current, keys));
  });

  test.prop([fc.array(opArb, { maxLength: 60 })])(
    "a crash keeps exactly what the last completed fsync covered",
    (ops) => {
      const { disk, current, durable } = play(ops);
      const keys = names(current, durable);
      for (const key of keys) expect(disk.durable(key)).toEqual(durable.get(key) ?? []);
      disk.crash(undefined);
      expect(content(disk, keys)).toEqual(normalize(durable, keys));
    },
  );

  test.prop([fc.array(opArb, { maxLength: 60 }), fc.double({ min: 0, max: 0.999, noNaN: true })])(
    "a torn write damages only the last unsynced append",
    (ops, cut) => {
      const { disk, current, durable, lastAppend } = play(ops);
      const lastIndex = ops.map((op) => op.kind).lastIndexOf("append");
      // Overwriting or truncating that file after the append replaced the appended record.
      const replaced = ops.slice(lastIndex + 1).some((op) => op.kind !== "append" &&
        op.kind !== "sync" && op.kind !== "complete" && op.file === lastAppend?.file);
      const { torn } = disk.crash(cut);
      const expectTorn = lastAppend !== undefined && !lastAppend.synced && !replaced;
      expect(torn).toBe(expectTorn ? lastAppend?.file : undefined);
      const keys = names(current, durable);
      for (const key of keys) {
        const kept = disk.read(key);
        const expected = durable.get(key) ?? [];
        if (key !== torn) {
          expect(kept).toEqual(expected);
          continue;
        }
        // The torn file: its durable records, then one damaged record cut from the last append.
        expect(kept.slice(0, -1)).toEqual(expected);
        const tail = kept[kept.length - 1] ?? "";
        const last = lastAppend?.text ?? "";
        expect(last.startsWith(tail) && tail.length < last.length).toBe(true);
        expect(openRecord(tail)).toBeUndefined();
      }
    },
  );

  test.prop([fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 20 }), fc.nat()])(
    "a flipped bit in a synced record is caught by the checksum",
    (texts, pick) => {
      const disk = new Disk();
      for (const text of texts) disk.append("log", sealRecord(text));
      disk.completeSync(disk.beginSync());
      const where = disk.corrupt(pick);
      expect(where).toBeDefined();
      const opened = disk.read("log").map(openRecord);
      const damaged = opened.flatMap((payload, i) => (payload === undefined ? [i] : []));
      expect(damaged).toEqual([where?.index]);
      opened.forEach((payload, i) => {
        if (i !== where?.index) expect(payload).toBe(texts[i]);
      });
    },
  );
});
