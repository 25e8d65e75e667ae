/**
 * Parses and validates a scenario file before anything runs (shared/spec/script-format.md,
 * "File"). A malformed file yields one line naming the scenario and the step: not JSON, an
 * unknown op or mode, a required field missing or of the wrong JSON type, a slot outside
 * 0..sessions-1, a step on a slot whose session is closed, or openSession on a live slot.
 * An ensemble file (`servers`: 1..7, the spec's "Ensembles") adds its own: a server outside
 * 1..N, start of a running server, stop of a stopped one, openSession without a server, move on
 * a slot never opened; its slots all start closed. Everything else (bad paths, versions, sizes)
 * is left for the server to answer.
 */
import {
  FieldError,
  hasField,
  isObject,
  jsonType,
  readArray,
  readInteger,
  readOptionalObject,
  readString,
  type JsonObject,
} from "./fields.js";
import {
  DEFAULT_CONTAINER_CHECK_INTERVAL_MS,
  SERVERS_MAX,
  type Scenario,
  type ScenarioFile,
  type ServerOptions,
  type Step,
} from "./format.js";
import { readStepFields, readStepOp } from "./parse-step.js";

/** The most sessions a scenario may open up front (a guard against absurd files). */
export const SESSIONS_MAX = 1000;
const INTERVAL_MS_MAX = 2 ** 31 - 1;

/** The outcome of parsing: the file, or one line saying what is wrong and where. */
export type ParseOutcome =
  | { readonly ok: true; readonly file: ScenarioFile }
  | { readonly ok: false; readonly error: string };

function readServer(object: JsonObject): ServerOptions {
  const server = readOptionalObject(object, "server");
  if (server === undefined || !hasField(server, "containerCheckIntervalMs")
    || server["containerCheckIntervalMs"] === null) {
    return { containerCheckIntervalMs: DEFAULT_CONTAINER_CHECK_INTERVAL_MS };
  }
  const interval = readInteger(server, "containerCheckIntervalMs", 1, INTERVAL_MS_MAX);
  return { containerCheckIntervalMs: interval };
}

/** What the file's steps so far say about slots and servers (the validation rules read these). */
interface FileState {
  /** The ensemble's size, or undefined for a standalone file. */
  readonly servers: number | undefined;
  /** Per slot: never opened, live, or closed (by the file's own closeSession). */
  readonly slots: Array<"never" | "live" | "closed">;
  /** Per server id (index 0 unused): whether the file has started it and not stopped it. */
  readonly running: boolean[];
}

function slotRange(state: FileState): string {
  const count = state.slots.length;
  return count === 0 ? "none (sessions is 0)" : `0..${count - 1}`;
}

/**
 * Checks the slot rules for a session-bound step and updates which slots are live. In an
 * ensemble file, openSession is accepted on a slot the file thinks live: the run itself may have
 * closed it (an expiry, a failed openSession), and the spec lets such a slot be opened again.
 */
function checkSlot(op: Step["op"], object: JsonObject, state: FileState): number {
  const s = readInteger(object, "s", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const slot = state.slots[s];
  if (slot === undefined) {
    throw new FieldError(`slot ${s} is outside the session slots (${slotRange(state)})`);
  }
  if (op === "openSession") {
    if (slot === "live" && state.servers === undefined) {
      throw new FieldError(`openSession on slot ${s}, whose session is live`);
    }
    state.slots[s] = "live";
    return s;
  }
  if (slot === "never" && op === "move") {
    throw new FieldError(`move on slot ${s}, which was never opened`);
  }
  if (slot !== "live") throw new FieldError(`${op} on slot ${s}, whose session is closed`);
  if (op === "closeSession") state.slots[s] = "closed";
  return s;
}

/** Ensemble rules: start only a stopped server, stop only a running one (by the file's steps). */
function checkServer(step: Step, state: FileState): void {
  if (step.op !== "start" && step.op !== "stop") return;
  const running = state.running[step.server] === true;
  if (step.op === "start" && running) {
    throw new FieldError(`start of server ${step.server}, which is already running`);
  }
  if (step.op === "stop" && !running) {
    throw new FieldError(`stop of server ${step.server}, which is not running`);
  }
  state.running[step.server] = step.op === "start";
}

const UNBOUND_OPS: ReadonlySet<Step["op"]> = new Set(["sleep", "start", "stop", "stable"]);

function readStep(value: unknown, state: FileState): Step {
  if (!isObject(value)) throw new FieldError(`a step must be an object, got ${jsonType(value)}`);
  const op = readStepOp(value, state.servers);
  if (UNBOUND_OPS.has(op)) {
    const step = readStepFields(value, 0, state.servers);
    checkServer(step, state);
    return step;
  }
  if (op === "openSession" && state.servers !== undefined) {
    // The server is checked before the slot so that a missing server is named as such.
    readStepFields(value, 0, state.servers);
  }
  return readStepFields(value, checkSlot(op, value, state), state.servers);
}

function readSteps(object: JsonObject, state: FileState, where: string): Step[] {
  const values = at(where, () => readArray(object, "steps"));
  const prefix = where === "" ? "" : `${where}, `;
  return values.map((value, index) => at(`${prefix}step ${index}`, () => readStep(value, state)));
}

/** `servers`: absent (or null) for a standalone file, else 1..SERVERS_MAX. */
function readServers(object: JsonObject): number | undefined {
  if (!hasField(object, "servers") || object["servers"] === null) return undefined;
  return readInteger(object, "servers", 1, SERVERS_MAX);
}

function readScenario(object: JsonObject, id: string | undefined, where: string): Scenario {
  const servers = at(where, () => readServers(object));
  const sessions = at(where, () => readInteger(object, "sessions", 0, SESSIONS_MAX));
  const server = at(where, () => readServer(object));
  const state: FileState = {
    servers,
    slots: new Array<"never" | "live" | "closed">(sessions)
      .fill(servers === undefined ? "live" : "never"),
    running: new Array<boolean>((servers ?? 0) + 1).fill(false),
  };
  const steps = readSteps(object, state, where);
  return { id, servers, sessions, server, steps };
}

function readScenarios(values: readonly unknown[]): Scenario[] {
  return values.map((value, index) => {
    const where = `scenario ${index}`;
    if (!isObject(value)) {
      return at(where, () => {
        throw new FieldError(`a scenario must be an object, got ${jsonType(value)}`);
      });
    }
    const id = at(where, () => readString(value, "id"));
    return readScenario(value, id, `scenario ${index} (${JSON.stringify(id)})`);
  });
}

/** Runs `read`, prefixing a FieldError's message with where it happened. */
function at<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FieldError && !(error instanceof LocatedError)) {
      throw new LocatedError(where === "" ? error.message : `${where}: ${error.message}`);
    }
    throw error;
  }
}

/** A FieldError that already names its scenario and step. */
class LocatedError extends FieldError {}

/** Parses the text of a scenario file (single- or multi-scenario) and validates every step. */
export function parseScenarioFile(text: string): ParseOutcome {
  let json: unknown;
  try {
    // A UTF-8 byte-order mark is not JSON, but editors write one; it carries no meaning here.
    json = JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `not JSON: ${reason.split("\n")[0] ?? ""}` };
  }
  try {
    if (!isObject(json)) {
      throw new LocatedError(`the file must hold an object, got ${jsonType(json)}`);
    }
    if (hasField(json, "scenarios")) {
      const scenarios = readScenarios(at("", () => readArray(json, "scenarios")));
      return { ok: true, file: { kind: "multi", scenarios } };
    }
    return { ok: true, file: { kind: "single", scenario: readScenario(json, undefined, "") } };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, error: error.message };
    throw error;
  }
}
