/**
 * Model-based properties of the tree: random operation sequences that collide on a handful of
 * paths run against the real tree (prep then apply) and against the naive model in
 * tree-model.ts; every step must give the same error, path, stat and watch events, and the final
 * trees must hold the same nodes with the same stats. A second property checks pipelining: prep
 * a run of writes ahead of applying them (outstanding changes) and the results must equal
 * prepping and applying each write in turn.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { CREATE_MODE_FLAGS, OPEN_ACL_UNSAFE, restoreSnapshot, takeSnapshot, utf8Bytes }
  from "../../src/tree/index.js";
import type { MultiOp, ProcessTxnResult, Stat, WriteRequest } from "../../src/tree/index.js";
import { Harness } from "../unit/tree/helpers.js";
import { Model } from "./tree-model.js";
import type { ModelEvent, ModelMode, ModelOp, ModelResult, ModelStat } from "./tree-model.js";

const PATHS = ["/a", "/b", "/a/b", "/a/c", "/b/a", "/a/b/c"];
const PREFIXES = ["/s-", "/a/s-", "/a/b/s-"];
const MODES: ModelMode[] = ["PERSISTENT", "EPHEMERAL", "PERSISTENT_SEQUENTIAL",
  "EPHEMERAL_SEQUENTIAL", "CONTAINER"];

const dataArb = fc.oneof(fc.constant(null), fc.constantFrom("", "x", "hello", "\u00e9t\u00e9"));
const versionArb = fc.constantFrom(-1, 0, 1, 2);
const opArb: fc.Arbitrary<ModelOp> = fc.oneof(
  fc.record({ op: fc.constant("create" as const), mode: fc.constantFrom(...MODES),
    path: fc.constantFrom(...PATHS), data: dataArb }).map((op) =>
    op.mode.includes("SEQUENTIAL") ? { ...op, path: PREFIXES[op.path.length % 3] ?? "/s-" } : op),
  fc.record({ op: fc.constant("delete" as const), path: fc.constantFrom(...PATHS),
    version: versionArb }),
  fc.record({ op: fc.constant("setData" as const), path: fc.constantFrom(...PATHS),
    data: dataArb, version: versionArb }),
);

const checkArb: fc.Arbitrary<ModelOp> = fc.record({ op: fc.constant("check" as const),
  path: fc.constantFrom(...PATHS), version: versionArb });

type Command =
  | { kind: "write"; slot: number; op: ModelOp }
  | { kind: "multi"; slot: number; ops: ModelOp[] }
  | { kind: "read"; slot: number; type: "getData" | "exists" | "getChildren"; path: string;
    watch: boolean }
  | { kind: "watchBoth"; slot: number; path: string }
  | { kind: "close"; slot: number };

const slotArb = fc.integer({ min: 0, max: 2 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("write" as const), slot: slotArb,
    op: opArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("multi" as const), slot: slotArb,
    ops: fc.array(fc.oneof(opArb, checkArb), { minLength: 1, maxLength: 3 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("read" as const), slot: slotArb,
    type: fc.constantFrom("getData" as const, "exists" as const, "getChildren" as const),
    path: fc.constantFrom("/", ...PATHS), watch: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("watchBoth" as const), slot: slotArb,
    path: fc.constantFrom(...PATHS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), slot: slotArb }) },
);

function toRequest(op: ModelOp, inMulti: boolean): MultiOp {
  switch (op.op) {
    case "create": {
      const type = op.mode === "CONTAINER" ? "createContainer" : inMulti ? "create" : "create2";
      return { type, path: op.path, data: op.data === null ? null : utf8Bytes(op.data),
        acl: OPEN_ACL_UNSAFE, flags: CREATE_MODE_FLAGS[op.mode] };
    }
    case "delete":
      return { type: "delete", path: op.path, version: op.version };
    case "setData":
      return { type: "setData", path: op.path, version: op.version,
        data: op.data === null ? null : utf8Bytes(op.data) };
    case "check":
      return { type: "check", path: op.path, version: op.version };
  }
}

function pick(stat: Stat | undefined): ModelStat | undefined {
  if (stat === undefined) return undefined;
  const { czxid, mzxid, pzxid, version, cversion, ephemeralOwner, dataLength, numChildren } = stat;
  return { czxid, mzxid, pzxid, version, cversion, ephemeralOwner, dataLength, numChildren };
}

function sortEvents(events: ModelEvent[]): ModelEvent[] {
  return [...events].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}

function treeEvents(result: ProcessTxnResult): ModelEvent[] {
  return sortEvents(result.events.map((e) => [e.sessionId, e.type, e.path]));
}

/** The model's multi: run on a copy; commit to the real model only when every op passes. */
function modelMulti(model: Model, ops: ModelOp[], session: number, zxid: number,
  out: ModelEvent[]): { err: string; results: ModelResult[] } {
  const trial = new Model();
  trial.nodes = new Map([...model.nodes].map(([k, v]) => [k, { ...v }]));
  const results: ModelResult[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as ModelOp;
    const checked = trial.check(op, session);
    if (checked.err !== "OK") {
      const errors = ops.map((_, j) => ({ err: j < i ? "OK" : j === i ? checked.err
        : "RUNTIMEINCONSISTENCY" }));
      return { err: checked.err, results: errors };
    }
    trial.apply(op, checked.path ?? op.path, session, zxid, []);
  }
  for (const op of ops) {
    const checked = model.check(op, session);
    results.push(model.apply(op, checked.path ?? op.path, session, zxid, out));
  }
  return { err: "OK", results };
}

function runBoth(commands: Command[]): void {
  const h = new Harness();
  const model = new Model();
  const slots = [h.openSession(), h.openSession(), h.openSession()];
  for (const command of commands) {
    const session = slots[command.slot] as number;
    const zxid = h.nextZxid;
    const out: ModelEvent[] = [];
    if (command.kind === "write") {
      const result = h.writeAs(session, toRequest(command.op, false) as WriteRequest);
      const checked = model.check(command.op, session);
      const expected = checked.err === "OK"
        ? model.apply(command.op, checked.path ?? command.op.path, session, zxid, out)
        : { err: checked.err };
      expect(result.err).toBe(expected.err);
      if (expected.err === "OK") {
        expect(result.path).toBe(expected.path);
        if (command.op.op !== "delete") expect(pick(result.stat)).toEqual(expected.stat);
      }
      expect(treeEvents(result)).toEqual(sortEvents(out));
    } else if (command.kind === "multi") {
      const ops = command.ops.map((op) => toRequest(op, true));
      const result = h.writeAs(session, { type: "multi", ops });
      const expected = modelMulti(model, command.ops, session, zxid, out);
      expect(result.err).toBe(expected.err);
      expect(result.multiResult?.map((r) => r.err)).toEqual(expected.results.map((r) => r.err));
      if (expected.err === "OK") {
        expect(result.multiResult?.map((r) => r.path)).toEqual(expected.results.map((r) => r.path));
        result.multiResult?.forEach((r, i) => {
          if (r.stat !== undefined) expect(pick(r.stat)).toEqual(expected.results[i]?.stat);
        });
      }
      expect(treeEvents(result)).toEqual(sortEvents(out));
    } else if (command.kind === "read") {
      const result = h.read(session, { type: command.type, path: command.path,
        watch: command.watch });
      const exists = model.nodes.has(command.path);
      expect(result.err).toBe(exists ? "OK" : "NONODE");
      if (command.watch && (exists || command.type === "exists")) {
        model.watch(command.type === "getChildren" ? "child" : "data", session, command.path);
      }
      if (exists && command.type === "getData") {
        expect(pick(result.stat)).toEqual(model.stat(command.path));
        const data = model.nodes.get(command.path)?.data ?? null;
        expect(result.data === null ? null : new TextDecoder().decode(result.data)).toBe(data);
      }
      if (exists && command.type === "getChildren") {
        expect(result.children).toEqual(model.children(command.path));
      }
    } else if (command.kind === "watchBoth") {
      const data = h.read(session, { type: "getData", path: command.path, watch: true });
      const children = h.read(session, { type: "getChildren", path: command.path, watch: true });
      expect([data.err, children.err]).toEqual(model.nodes.has(command.path) ? ["OK", "OK"]
        : ["NONODE", "NONODE"]);
      if (model.nodes.has(command.path)) {
        model.watch("data", session, command.path);
        model.watch("child", session, command.path);
      }
    } else {
      const result = h.writeAs(session, { type: "closeSession" });
      model.close(session, zxid, out);
      expect(treeEvents(result)).toEqual(sortEvents(out));
      slots[command.slot] = h.openSession();
    }
  }
  h.tree.checkInvariants();
  expect(h.tree.nodeCount).toBe(model.nodes.size);
  for (const path of model.nodes.keys()) {
    expect(pick(h.tree.getNode(path)?.copyStat())).toEqual(model.stat(path));
  }
  expect(restoreSnapshot(takeSnapshot(h.tree)).digest()).toBe(h.tree.digest());
}

test.prop([fc.array(commandArb, { minLength: 5, maxLength: 80, size: "max" })], { numRuns: 300 })(
  "the tree agrees with the naive model on results, stats, children and events",
  (commands) => runBoth(commands),
);

/** Writes of a command list as requests (reads dropped), with their slots. */
function writesOf(commands: Command[]): Array<{ slot: number; request: WriteRequest }> {
  const writes: Array<{ slot: number; request: WriteRequest }> = [];
  for (const command of commands) {
    if (command.kind === "write") {
      writes.push({ slot: command.slot, request: toRequest(command.op, false) as WriteRequest });
    } else if (command.kind === "multi") {
      writes.push({ slot: command.slot, request: { type: "multi",
        ops: command.ops.map((op) => toRequest(op, true)) } });
    }
  }
  return writes;
}

test.prop([fc.array(commandArb, { minLength: 5, maxLength: 80, size: "max" }),
  fc.integer({ min: 1, max: 8 })],
  { numRuns: 200 })(
  "prepping ahead of apply (outstanding changes) gives the same txns and results",
  (commands, depth) => {
    const writes = writesOf(commands);
    const serial = new Harness();
    const piped = new Harness();
    const sessionsA = [serial.openSession(), serial.openSession(), serial.openSession()];
    const sessionsB = [piped.openSession(), piped.openSession(), piped.openSession()];
    expect(sessionsB).toEqual(sessionsA);
    const expected = writes.map((w) => serial.writeAs(sessionsA[w.slot] as number, w.request));
    const queue = [];
    const actual: ProcessTxnResult[] = [];
    for (const w of writes) {
      queue.push(piped.prep(sessionsB[w.slot] as number, w.request));
      if (queue.length >= depth) actual.push(piped.apply(queue.shift() as never));
    }
    while (queue.length > 0) actual.push(piped.apply(queue.shift() as never));
    expect(actual).toEqual(expected);
    expect(piped.tree.digest()).toBe(serial.tree.digest());
    expect(piped.changes.size).toBe(0);
  },
);
