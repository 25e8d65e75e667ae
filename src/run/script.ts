/**
 * Runs scenario files (shared/spec/script-format.md) on zabsim's standalone server in simulated
 * time: `zabsim script FILE`. Each scenario gets a fresh server; its initial sessions open in
 * slot order (zxids 1..N), then every step becomes the request ZooKeeper's Java client would
 * send, and its reply, plus every notification any session received after a ping round trip,
 * becomes one result line.
 */
import { assert, assertNever } from "../util/index.js";
import { CREATE_MODE_FLAGS, OPEN_ACL_UNSAFE } from "../tree/index.js";
import type { CreateRequest, CreateTTLRequest, MultiOp as TreeMultiOp } from "../tree/index.js";
import { JUTE_MAX_BUFFER, StandaloneServer } from "../standalone/index.js";
import type { Arrival, ClientRequest, Reply } from "../standalone/index.js";
import { ENSEMBLE_OPS, parseScenarioFile } from "../script/index.js";
import type {
  CreateSpec, MultiOp, Scenario, StandaloneStep as Step, StepResult,
} from "../script/index.js";
import { dataBytes, dataLength, renderData } from "../script/data.js";
import { renderEvents, renderMultiResult, renderStat } from "../script/render.js";
import type { SlotArrivals } from "../script/render.js";

/** The outcome of running a file: its output lines, or one line saying why it cannot run. */
export type ScriptOutcome =
  | { readonly ok: true; readonly lines: string[] }
  | { readonly ok: false; readonly error: string };

function isTtlMode(spec: CreateSpec): boolean {
  return spec.mode === "PERSISTENT_WITH_TTL" || spec.mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
}

/**
 * The ttl a create sends, or undefined for a request without one: TTL modes always send one
 * (-1 when the step names none); other modes send createTTL only for ttl >= 0 (ZooKeeper.create
 * with CreateOptions); a negative ttl with another mode is dropped, as the Java client does.
 */
function ttlOnWire(spec: CreateSpec): number | undefined {
  if (isTtlMode(spec)) return spec.ttl ?? -1;
  return spec.ttl !== undefined && spec.ttl >= 0 ? spec.ttl : undefined;
}

/** The create request; `plain` is create2 for a step and create inside a multi (Op.create). */
function createRequest(spec: CreateSpec, plain: "create" | "create2")
  : CreateRequest | CreateTTLRequest {
  const base = { path: spec.path, data: dataBytes(spec.data), acl: OPEN_ACL_UNSAFE,
    flags: CREATE_MODE_FLAGS[spec.mode] };
  const ttl = ttlOnWire(spec);
  if (ttl !== undefined) return { type: "createTTL", ...base, ttl };
  if (spec.mode === "CONTAINER") return { type: "createContainer", ...base };
  return { type: plain, ...base };
}

function multiOp(op: MultiOp): TreeMultiOp {
  switch (op.op) {
    case "create":
      return createRequest(op, "create");
    case "delete":
      return { type: "delete", path: op.path, version: op.version };
    case "setData":
      return { type: "setData", path: op.path, data: dataBytes(op.data), version: op.version };
    case "check":
      return { type: "check", path: op.path, version: op.version };
    default:
      return assertNever(op, "multi op");
  }
}

type RequestStep = Exclude<Step, { op: "sleep" } | { op: "openSession" }>;

/** The request a session-bound step sends (ZooKeeper.java's choice of opcode and record). */
function stepRequest(step: RequestStep): ClientRequest {
  switch (step.op) {
    case "create":
      return createRequest(step, "create2");
    case "delete":
      return { type: "delete", path: step.path, version: step.version };
    case "setData":
      return {
        type: "setData", path: step.path, data: dataBytes(step.data), version: step.version,
      };
    case "getData":
    case "exists":
      return { type: step.op, path: step.path, watch: step.watch };
    case "getChildren":
      return { type: "getChildren2", path: step.path, watch: step.watch };
    case "sync":
      return { type: "sync", path: step.path };
    case "multi":
      return { type: "multi", ops: step.ops.map(multiOp) };
    case "closeSession":
      return { type: "closeSession" };
    default:
      return assertNever(step, "step");
  }
}

/** Data bytes a step carries: a frame holds at least these, so more than the limit is fatal. */
function carriedBytes(step: RequestStep): number {
  if (step.op === "create" || step.op === "setData") return dataLength(step.data);
  if (step.op !== "multi") return 0;
  let total = 0;
  for (const op of step.ops) {
    if (op.op === "create" || op.op === "setData") total += dataLength(op.data);
  }
  return total;
}

/** The scenario's sessions: which session each slot holds, and each session's ordinal. */
class Slots {
  private readonly bySlot: Array<number | undefined> = [];
  private readonly ordinals = new Map<number, number>();

  open(slot: number, sessionId: number): number {
    assert(this.bySlot[slot] === undefined, `slot ${slot} is live`);
    const ordinal = this.ordinals.size;
    this.ordinals.set(sessionId, ordinal);
    this.bySlot[slot] = sessionId;
    return ordinal;
  }

  close(slot: number): void {
    this.bySlot[slot] = undefined;
  }

  session(slot: number): number {
    const sessionId = this.bySlot[slot];
    assert(sessionId !== undefined, `slot ${slot} has no live session`);
    return sessionId;
  }

  /** Live slots and their sessions, in slot order. */
  live(): Array<[number, number]> {
    const live: Array<[number, number]> = [];
    this.bySlot.forEach((sessionId, slot) => {
      if (sessionId !== undefined) live.push([slot, sessionId]);
    });
    return live;
  }

  readonly ordinalOf = (sessionId: number): number | undefined => this.ordinals.get(sessionId);
}

/** The step's result fields from its reply (only the keys that apply to the op). */
function replyResult(step: RequestStep, reply: Reply, slots: Slots): StepResult {
  if (reply.err === "CONNECTIONLOSS") return { err: reply.err, reconnected: reply.reconnected };
  if (step.op === "multi") {
    const results = (reply.results ?? []).map((sub) => renderMultiResult(sub, slots.ordinalOf));
    return { err: reply.err, results };
  }
  if (reply.err !== "OK") return { err: reply.err };
  const stat = reply.stat === undefined ? undefined : renderStat(reply.stat, slots.ordinalOf);
  switch (step.op) {
    case "create":
      assert(reply.path !== undefined && stat !== undefined, "create2 answers path and stat");
      return { err: "OK", path: reply.path, stat };
    case "setData":
    case "exists":
      assert(stat !== undefined, `${step.op} answers a stat`);
      return { err: "OK", stat };
    case "getData":
      assert(stat !== undefined && reply.data !== undefined, "getData answers data and stat");
      return { err: "OK", data: renderData(reply.data), stat };
    case "getChildren":
      assert(stat !== undefined && reply.children !== undefined, "getChildren2 answers both");
      return { err: "OK", children: [...reply.children], stat };
    case "delete":
    case "sync":
    case "closeSession":
      return { err: "OK" };
    default:
      return assertNever(step, "step");
  }
}

/** Every live session's arrivals (the ping round trip), plus the stepping session's own. */
function collectEvents(server: StandaloneServer, slots: Slots, stepping?: [number, number]):
  SlotArrivals[] {
  const collected: SlotArrivals[] = [];
  const live = slots.live();
  if (stepping !== undefined && !live.some(([slot]) => slot === stepping[0])) live.push(stepping);
  for (const [slot, sessionId] of live) {
    const arrivals = server.takeArrivals(sessionId).map(toArrivalLike);
    collected.push({ slot, stepping: stepping?.[0] === slot, arrivals });
  }
  return collected;
}

function toArrivalLike(arrival: Arrival): SlotArrivals["arrivals"][number] {
  return arrival.kind === "reply" ? { kind: "reply" } : arrival;
}

function withEvents(result: StepResult, sessions: readonly SlotArrivals[]): StepResult {
  const events = renderEvents(sessions);
  return events === undefined ? result : { ...result, events };
}

function runRequestStep(server: StandaloneServer, slots: Slots, step: RequestStep): StepResult {
  const sessionId = slots.session(step.s);
  const carried = carriedBytes(step);
  const reply = carried > JUTE_MAX_BUFFER
    ? server.rejectOversized(sessionId, carried)
    : server.submit(sessionId, stepRequest(step));
  if (step.op === "closeSession") slots.close(step.s);
  const result = replyResult(step, reply, slots);
  return withEvents(result, collectEvents(server, slots, [step.s, sessionId]));
}

function runStep(server: StandaloneServer, slots: Slots, step: Step): StepResult {
  switch (step.op) {
    case "sleep":
      server.advance(step.ms);
      return withEvents({ err: "OK" }, collectEvents(server, slots));
    case "openSession": {
      const ordinal = slots.open(step.s, server.openSession());
      return withEvents({ err: "OK", session: `s${ordinal}` }, collectEvents(server, slots));
    }
    default:
      return runRequestStep(server, slots, step);
  }
}

/** Runs one scenario on a fresh standalone server and returns one result per step. */
export function runScenario(scenario: Scenario): StepResult[] {
  assert(scenario.servers === undefined, "ensemble scenarios need the ensemble runner");
  const server = new StandaloneServer({
    containerCheckIntervalMs: scenario.server.containerCheckIntervalMs,
  });
  const slots = new Slots();
  for (let slot = 0; slot < scenario.sessions; slot++) slots.open(slot, server.openSession());
  collectEvents(server, slots);
  return scenario.steps.map((step) => {
    assert(ENSEMBLE_OPS.every((op) => op !== step.op), `${step.op} is an ensemble step`);
    return runStep(server, slots, step as Step);
  });
}

/** Why an ensemble file cannot run yet (spec "Ensembles"; the simulated ensemble is issue 12). */
export const ENSEMBLE_NOT_BUILT =
  "ensemble files need the simulated ensemble runner: not built yet";

/**
 * Runs the text of a scenario file: a single scenario gives one JSON line per step, a
 * multi-scenario file one line {"id", "results"} per scenario. A malformed file runs nothing.
 */
export function runScriptText(text: string): ScriptOutcome {
  const parsed = parseScenarioFile(text);
  if (!parsed.ok) return parsed;
  const file = parsed.file;
  const scenarios = file.kind === "single" ? [file.scenario] : file.scenarios;
  if (scenarios.some((scenario) => scenario.servers !== undefined)) {
    return { ok: false, error: ENSEMBLE_NOT_BUILT };
  }
  if (file.kind === "single") {
    return { ok: true, lines: runScenario(file.scenario).map((result) => JSON.stringify(result)) };
  }
  const lines = file.scenarios.map((scenario) =>
    JSON.stringify({ id: scenario.id, results: runScenario(scenario) }));
  return { ok: true, lines };
}
