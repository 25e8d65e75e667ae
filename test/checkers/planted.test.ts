/**
 * Planted-bug self-tests for every checker. Each test takes the correct run of fixture.ts,
 * plants one protocol mistake by doctoring the observation list (a dropped, changed, swapped or
 * extra observation, the footprint a real bug leaves in a trace), and requires the checker that
 * owns the property to flag it at the doctored event. The clean run must pass every checker, so
 * a checker that flags everything fails here too.
 */
import { describe, expect, test } from "vitest";
import {
  checkClientOrder, checkConvergence, checkDurability, checkLeadership, checkLiveness, checkRun,
  checkZabOrder, checkZabPrimary,
} from "../../src/check/index.js";
import type { CheckerName, Violation } from "../../src/check/index.js";
import type { Observation } from "../../src/observe/index.js";
import {
  cleanObservations, cleanRun, deliveryIndex, indexOf, lastDeliveryIndex, req, toRecords, z,
} from "./fixture.js";

/** Applies `plant` to a copy of the clean observations and returns the records. */
function doctored(plant: (list: Observation[]) => void) {
  const list = cleanObservations();
  plant(list);
  return toRecords(list);
}

function checkers(violations: readonly Violation[]): CheckerName[] {
  return [...new Set(violations.map((v) => v.checker))].sort();
}

describe("the clean run", () => {
  test("passes every checker", () => {
    const verdict = checkRun(cleanRun());
    expect(verdict.violations).toEqual([]);
    expect(verdict.committed).toBe(5);
    expect(verdict.leaderChanges).toBe(2);
  });
});

describe("zab-integrity: a delivered txn was broadcast by a primary", () => {
  test("flags a delivery no primary proposed", () => {
    const records = doctored((list) => {
      list.splice(indexOf(list, (o) => o.kind === "propose" && o.zxid === z(1, 2)), 1);
    });
    const found = checkZabPrimary(records);
    expect(checkers(found)).toEqual(["zab-integrity"]);
    expect(found[0]?.message).toContain("0x100000002");
  });
});

describe("zab-total-order: every node delivers in one order", () => {
  test("flags a node that skips a txn others delivered before the next", () => {
    const records = doctored((list) => list.splice(deliveryIndex(list, 3, z(1, 2)), 1));
    const found = checkZabOrder(records);
    // Node 3 went 1:1 -> 1:3: a different predecessor of 1:3 (total order) and a different
    // successor of 1:1 (the histories fork) than nodes 1 and 2.
    expect(checkers(found)).toEqual(["zab-agreement", "zab-total-order"]);
    expect(found.find((v) => v.checker === "zab-total-order")?.message).toContain("node 3");
  });
  test("flags a node delivering within one epoch out of zxid order", () => {
    const records = doctored((list) => {
      const at = deliveryIndex(list, 3, z(1, 2));
      const [second, third] = [list[at], list[at + 1]];
      if (second === undefined || third === undefined) throw new Error("fixture changed");
      list[at] = third;
      list[at + 1] = second;
    });
    expect(checkers(checkZabOrder(records))).toContain("zab-total-order");
  });
});

describe("zab-total-order: delivery is irrevocable", () => {
  test("flags a TRUNC that undoes a delivered txn (a proposal applied before its commit)", () => {
    // Node 3 delivers the uncommitted 1:4 early, then the new leader TRUNCs it back to 1:3.
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "propose" && o.zxid === z(1, 4));
      list.splice(at + 1, 0, { kind: "deliver", node: 3, zxid: z(1, 4), txn: "t4", digest: "d4" });
    });
    const found = checkZabOrder(records);
    // Also a fork: after 1:3 node 3 delivered 1:4 where the others delivered 2:1.
    expect(checkers(found)).toEqual(["zab-agreement", "zab-total-order"]);
    expect(found.some((v) => v.message.includes("undoing"))).toBe(true);
  });
  test("a restart that loses an unsynced delivered tail is no violation", () => {
    expect(checkZabOrder(cleanRun())).toEqual([]);
  });
});

describe("zab-agreement: one txn per zxid, one history", () => {
  test("flags two txns delivered at one zxid", () => {
    const records = doctored((list) => {
      const at = deliveryIndex(list, 3, z(1, 2));
      list[at] = { kind: "deliver", node: 3, zxid: z(1, 2), txn: "tX", digest: "d100000002" };
    });
    expect(checkers(checkZabOrder(records))).toEqual(["zab-agreement"]);
  });
  test("flags histories that fork after one position", () => {
    // Node 3 stops at 1:3 and, instead of 2:1, delivers a txn of an epoch no one else saw.
    const records = doctored((list) => {
      const at = deliveryIndex(list, 3, z(2, 1));
      list[at] = { kind: "deliver", node: 3, zxid: z(3, 1), txn: "t5", digest: "dx" };
      list.splice(deliveryIndex(list, 3, z(2, 2)), 1);
    });
    expect(checkers(checkZabOrder(records))).toEqual(["zab-agreement"]);
  });
});

describe("zab-global-primary-order: earlier epochs first", () => {
  test("flags a txn of epoch 1 delivered after one of epoch 2", () => {
    const records = doctored((list) => {
      const at = lastDeliveryIndex(list, 1, z(1, 3));
      const [old, next] = [list[at], list[at + 1]];
      if (old === undefined || next === undefined) throw new Error("fixture changed");
      list[at] = next;
      list[at + 1] = old;
    });
    expect(checkers(checkZabOrder(records))).toContain("zab-global-primary-order");
  });
});

describe("zab-local-primary-order: a primary's order is kept", () => {
  test("flags a primary broadcasting a zxid below its previous one", () => {
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "propose" && o.zxid === z(2, 2));
      list[at] = { kind: "propose", node: 2, epoch: 2, zxid: z(2, 1), txn: "t6" };
    });
    expect(checkers(checkZabPrimary(records))).toContain("zab-local-primary-order");
  });
  test("flags a delivery that skips the primary's earlier proposal", () => {
    const records = doctored((list) => list.splice(deliveryIndex(list, 3, z(1, 2)), 1));
    expect(checkers(checkZabPrimary(records))).toEqual(["zab-local-primary-order"]);
  });
});

describe("zab-primary-integrity: a new primary starts from everything delivered before", () => {
  test("flags a primary whose initial history misses a delivered txn", () => {
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "established" && o.epoch === 2);
      list[at] = { kind: "established", node: 2, epoch: 2, lastZxid: z(1, 2) };
    });
    expect(checkers(checkZabPrimary(records))).toEqual(["zab-primary-integrity"]);
  });
  test("flags a broadcast by a node that was not established for the epoch", () => {
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "propose" && o.zxid === z(2, 2));
      list[at] = { kind: "propose", node: 3, epoch: 2, zxid: z(2, 2), txn: "t6" };
    });
    const found = checkZabPrimary(records);
    expect(checkers(found)).toEqual(["zab-primary-integrity"]);
    expect(found[0]?.message).toContain("node 2 was established");
  });
  test("flags a primary that broadcasts before being established", () => {
    const records = doctored((list) => {
      list.splice(indexOf(list, (o) => o.kind === "established" && o.epoch === 2), 1);
    });
    expect(checkers(checkZabPrimary(records))).toEqual(["zab-primary-integrity"]);
  });
});

describe("durability: an acknowledged write is never lost", () => {
  test("flags a leader established without an acknowledged write", () => {
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "propose" && o.zxid === z(1, 4));
      list.splice(at + 1, 0,
        { kind: "complete", client: 2, op: 0, err: "OK", zxid: z(1, 4), txn: "t4", read: null, write: null });
    });
    const found = checkDurability(records);
    expect(checkers(found)).toEqual(["durability"]);
    expect(found.map((v) => v.message).join(" ")).toContain("established");
  });
  test("flags a TRUNC that cuts out an acknowledged write", () => {
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "truncate");
      list[at] = { kind: "truncate", node: 3, zxid: z(1, 2) };
    });
    expect(checkers(checkDurability(records))).toEqual(["durability"]);
  });
  test("flags an acknowledged zxid delivered with another txn", () => {
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "complete" && o.zxid === z(2, 1));
      list[at] = { kind: "complete", client: 1, op: 1, err: "OK", zxid: z(2, 1), txn: "tY", read: null, write: null };
    });
    expect(checkers(checkDurability(records))).toEqual(["durability"]);
  });
});

describe("client-order: a client never sees the past", () => {
  test("flags a read that answers with an older zxid than the client saw", () => {
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "complete" && o.client === 0 && o.op === 2);
      list.splice(at + 1, 0,
        { kind: "invoke", client: 0, op: 9, node: 3, request: req("getData /a") },
        { kind: "complete", client: 0, op: 9, err: "OK", zxid: z(1, 1), txn: null, read: null, write: null });
    });
    const found = checkClientOrder(records);
    expect(checkers(found)).toEqual(["client-order"]);
    expect(found[0]?.message).toContain("client 0");
  });
  test("flags a write whose zxid is not above what the client saw", () => {
    const records = doctored((list) => {
      const at = indexOf(list, (o) => o.kind === "complete" && o.client === 1 && o.op === 1);
      list[at] = { kind: "complete", client: 1, op: 1, err: "OK", zxid: z(1, 3), txn: "t5", read: null, write: null };
    });
    expect(checkers(checkClientOrder(records))).toEqual(["client-order"]);
  });
  test("ignores replies that say the request was not served", () => {
    const records = doctored((list) => {
      list.push({ kind: "complete", client: 0, op: 4, err: "CONNECTIONLOSS", zxid: 1, txn: null, read: null, write: null });
    });
    expect(checkClientOrder(records)).toEqual([]);
  });
});

describe("convergence: equal digests at equal zxids", () => {
  test("flags a replica whose tree differs after the same history", () => {
    const records = doctored((list) => {
      const at = deliveryIndex(list, 3, z(2, 1));
      list[at] = { kind: "deliver", node: 3, zxid: z(2, 1), txn: "t5", digest: "bad" };
    });
    const found = checkConvergence(records);
    expect(checkers(found)).toEqual(["convergence"]);
    expect(found[0]?.event).toBe(deliveryIndex(cleanObservations(), 3, z(2, 1)));
  });
});

describe("leadership: one established leader per epoch", () => {
  test("flags a second leader for one epoch", () => {
    const records = doctored((list) => {
      list.push({ kind: "established", node: 3, epoch: 2, lastZxid: z(1, 3) });
    });
    expect(checkers(checkLeadership(records))).toEqual(["leadership"]);
    expect(checkLeadership(cleanRun())).toEqual([]);
  });
});

describe("liveness: a write commits within the bound after the heal", () => {
  const records = cleanRun();
  const last = records.length - 1;
  const end = { endEvent: last, endMicros: last * 1000, writesExpected: true };
  test("passes when a write is acknowledged after the heal, and measures the delay", () => {
    const report = checkLiveness(records, { healAtMicros: 30_000, boundMicros: 20_000, ...end });
    expect(report.violations).toEqual([]);
    const first = cleanObservations().findIndex(
      (o, event) => event >= 30 && o.kind === "complete" && o.txn !== null);
    expect(report.recoveryMicros).toBe(first * 1000 - 30_000);
  });
  test("flags a run that acknowledges no write after the heal", () => {
    const healAtMicros = (last + 1) * 1000;
    const report = checkLiveness(records, { healAtMicros, boundMicros: 5_000, ...end });
    expect(checkers(report.violations)).toEqual(["liveness"]);
    expect(report.recoveryMicros).toBeNull();
  });
  test("without clients, recovery is a leader being present", () => {
    const noClients = { ...end, writesExpected: false };
    const window = { healAtMicros: 30_000, boundMicros: 1_000, ...noClients };
    const report = checkLiveness(records, window);
    expect(report.violations).toEqual([]);
    expect(report.recoveryMicros).toBe(0); // node 2 was LEADING when the heal came
    const empty = checkLiveness([], { healAtMicros: 0, boundMicros: 1_000, ...noClients });
    expect(checkers(empty.violations)).toEqual(["liveness"]);
  });
  test("flags a recovery slower than the bound", () => {
    const report = checkLiveness(records, { healAtMicros: 30_000, boundMicros: 1_000, ...end });
    expect(checkers(report.violations)).toEqual(["liveness"]);
  });
});
