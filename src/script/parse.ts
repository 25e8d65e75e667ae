/**
 * Parses and validates a scenario file before anything runs (shared/spec/script-format.md,
 * "File"). A malformed file yields one line naming the scenario and the step: not JSON, an
 * unknown op or mode, a required field missing or of the wrong JSON type, a slot outside
 * 0..sessions-1, a step on a slot whose session is closed, or openSession on a live slot.
 * Everything else (bad paths, versions, sizes) is left for the server to answer.
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

/** Checks the slot rules for a session-bound step and updates which slots are live. */
function checkSlot(op: Step["op"], object: JsonObject, live: boolean[]): number {
  const s = readInteger(object, "s", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (s < 0 || s >= live.length) {
    const range = live.length === 0 ? "none (sessions is 0)" : `0..${live.length - 1}`;
    throw new FieldError(`slot ${s} is outside the session slots (${range})`);
  }
  if (op === "openSession") {
    if (live[s] === true) throw new FieldError(`openSession on slot ${s}, whose session is live`);
    live[s] = true;
    return s;
  }
  if (live[s] !== true) throw new FieldError(`${op} on slot ${s}, whose session is closed`);
  if (op === "closeSession") live[s] = false;
  return s;
}

function readStep(value: unknown, live: boolean[]): Step {
  if (!isObject(value)) throw new FieldError(`a step must be an object, got ${jsonType(value)}`);
  const op = readStepOp(value);
  if (op === "sleep") return readStepFields(value, 0);
  return readStepFields(value, checkSlot(op, value, live));
}

function readSteps(object: JsonObject, sessions: number, where: string): Step[] {
  const values = at(where, () => readArray(object, "steps"));
  const live = new Array<boolean>(sessions).fill(true);
  const prefix = where === "" ? "" : `${where}, `;
  return values.map((value, index) => at(`${prefix}step ${index}`, () => readStep(value, live)));
}

function readScenario(object: JsonObject, id: string | undefined, where: string): Scenario {
  const sessions = at(where, () => readInteger(object, "sessions", 0, SESSIONS_MAX));
  const server = at(where, () => readServer(object));
  const steps = readSteps(object, sessions, where);
  return { id, sessions, server, steps };
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
