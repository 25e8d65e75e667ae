/**
 * ClientLink (src/ensemble/client-link.ts), TCP order for client connections over a network
 * that loses, duplicates and reorders: frames come out once and in order, duplicates vanish,
 * early frames wait for the gap, too many early frames break the stream. And the default
 * session workload, over one run of the default options, reaches what applications do:
 * sequential and ephemeral creates, multi, getChildren with a watch, sync, notifications,
 * moves, closes and expiries.
 */
import { describe, expect, it } from "vitest";
import { CLIENT_REORDER_MAX, ClientLink } from "../../../src/ensemble/client-link.js";
import { prepareRun } from "../../../src/run/index.js";

describe("ClientLink", () => {
  it("delivers once and in order through duplicates and reordering", () => {
    const sender = new ClientLink<string, string>(3);
    const receiver = new ClientLink<string, string>(3);
    const frames = ["a", "b", "c", "d"].map((p) => sender.wrap(p));
    const [a, b, c, d] = frames;
    if (a === undefined || b === undefined || c === undefined || d === undefined) throw new Error();
    expect(receiver.accept(a)).toEqual(["a"]);
    expect(receiver.accept(a)).toEqual([]);
    expect(receiver.accept(c)).toEqual([]);
    expect(receiver.accept(d)).toEqual([]);
    expect(receiver.accept(b)).toEqual(["b", "c", "d"]);
    expect(receiver.broken).toBe(false);
  });

  it("breaks when a gap holds back more than the buffer", () => {
    const sender = new ClientLink<number, number>(1);
    const receiver = new ClientLink<number, number>(1);
    sender.wrap(0); // Lost.
    for (let i = 1; i <= CLIENT_REORDER_MAX + 1; i++) receiver.accept(sender.wrap(i));
    expect(receiver.broken).toBe(true);
  });
});

describe("the session workload", () => {
  it("reaches sequential and ephemeral creates, multi, watches, sync, moves, closes, expiries",
    () => {
      const run = prepareRun(2, {});
      run.world.runUntil(run.healAtMicros);
      run.world.runUntil(run.endMicros);
      const seen = new Set<string>();
      for (const { observation: o } of run.world.observations) {
        if (o.kind === "invoke") {
          const r = o.request;
          if (r.type === "create") seen.add(`create flags ${r.flags}`);
          else if (r.type === "getChildren" && r.watch) seen.add("getChildren watch");
          else seen.add(r.type);
        } else if (o.kind === "session") {
          seen.add(`session ${o.event}`);
        } else if (o.kind === "notify" || o.kind === "expire") {
          seen.add(o.kind);
        }
      }
      for (const kind of ["create flags 0", "create flags 1", "create flags 2", "create flags 3",
        "multi", "getChildren watch", "sync", "notify", "expire", "session closed",
        "session expired"]) {
        expect(seen, kind).toContain(kind);
      }
    });
});
