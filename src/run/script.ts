/**
 * Runs scenario files (shared/spec/script-format.md) on zabsim's standalone server in simulated
 * time: `zabsim script FILE`. Each scenario gets a fresh server; its initial sessions open in
 * slot order (zxids 1..N), then every step becomes the request ZooKeeper's Java client would
 * send, and its reply, plus every notification any session received after a ping round trip,
 * becomes one result line.
 */
import { assert } from "../util/index.js";
import { JUTE_MAX_BUFFER, StandaloneServer } from "../standalone/index.js";
import type { Arrival } from "../standalone/index.js";
import { ENSEMBLE_OPS, parseScenarioFile } from "../script/index.js";
import type { Scenario, StandaloneStep as Step, StepResult } from "../script/index.js";
import { dataLength } from "../script/data.js";
import { renderEvents } from "../script/render.js";
import type { SlotArrivals } from "../script/render.js";
import { runEnsembleScenario } from "./ensemble-script.js";
import { EnsembleRunStuck } from "./ensemble-world.js";
import { replyResult, stepRequest } from "./script-requests.js";
import type { RequestStep } from "./script-requests.js";

/** The outcome of running a file: its output lines, or one line saying why it cannot run. */
export type ScriptOutcome =
  | { readonly ok: true; readonly lines: string[] }
  | { readonly ok: false; readonly error: string };

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
  const result = replyResult(step, reply, slots.ordinalOf);
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

/** One scenario's results: on the standalone server, or on a simulated ensemble. */
function resultsOf(scenario: Scenario): StepResult[] {
  return scenario.servers === undefined ? runScenario(scenario) : runEnsembleScenario(scenario);
}

/**
 * Runs the text of a scenario file: a single scenario gives one JSON line per step, a
 * multi-scenario file one line {"id", "results"} per scenario. A malformed file runs nothing;
 * an ensemble run that gets stuck (a wait that never ends) is one line too.
 */
export function runScriptText(text: string): ScriptOutcome {
  const parsed = parseScenarioFile(text);
  if (!parsed.ok) return parsed;
  const file = parsed.file;
  try {
    if (file.kind === "single") {
      return { ok: true, lines: resultsOf(file.scenario).map((result) => JSON.stringify(result)) };
    }
    const lines = file.scenarios.map((scenario) =>
      JSON.stringify({ id: scenario.id, results: resultsOf(scenario) }));
    return { ok: true, lines };
  } catch (error) {
    if (!(error instanceof EnsembleRunStuck)) throw error;
    return { ok: false, error: error.message };
  }
}
