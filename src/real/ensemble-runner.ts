/**
 * Runs an ensemble scenario (shared/spec/script-format.md, "Ensembles") on a real ZooKeeper
 * ensemble that an EnsembleControl owns. Sessions are pinned to one server. A request on a
 * session whose server is stopped or does not serve answers CONNECTIONLOSS at once, without a
 * `reconnected` key and without sending anything; a slot the run closed (an expiry) answers
 * SESSIONEXPIRED. Every step ends with the wait of ensemble-run.ts, so reads are never stale
 * across steps and `events` holds every notification the step caused.
 */
import { assertNever } from "../util/index.js";
import type { Scenario, Step, StepResult } from "../script/index.js";
import type { EnsembleControl } from "./ensemble-control.js";
import { afterStep, EnsembleRun, ENSEMBLE_SESSION_MS } from "./ensemble-run.js";
import type { Stepper } from "./ensemble-run.js";
import { DEFAULT_POLL } from "./ensemble-status.js";
import type { PollTimeouts } from "./ensemble-status.js";
import {
  moveStep, openSessionStep, serves, stableStep, startStep, stopStep,
} from "./ensemble-steps.js";
import { CONNECTION_LOSS } from "./protocol.js";
import { renderReply } from "./render.js";
import { encodeRequest } from "./requests.js";
import { stepRequest } from "./runner.js";
import { DEFAULT_TIMEOUTS } from "./session.js";
import type { Reply } from "./session.js";

type RequestStep = Exclude<Step, { readonly s?: undefined } | { op: "openSession" | "move" }>;

/** What a request step produced: its result and what `beforeResponse` needs. */
interface Answered {
  readonly result: StepResult;
  readonly stepper: Stepper | undefined;
}

async function send(run: EnsembleRun, step: RequestStep, slot: number): Promise<Reply> {
  const pinned = run.slots[slot];
  if (pinned === undefined) throw new Error(`slot ${slot} has no session`);
  const skipped: number[] = [];
  const request = stepRequest(step, skipped);
  if (request === undefined) throw new Error(`step ${step.op} sends nothing`);
  if (request.op === "closeSession") {
    const reply = await pinned.session.close();
    run.slots[slot] = undefined;
    return reply;
  }
  const huge = skipped.reduce((sum, length) => sum + length, 0);
  const declared = huge === 0 ? undefined : encodeRequest(0, request).length + huge;
  return pinned.session.request(request, declared);
}

/**
 * A session-bound request. When the connection drops while it is in flight (the server refuses
 * an oversized request by closing the connection) and the server still serves, the session
 * reconnects at once and the result says whether it did, as in the standalone form.
 */
async function requestStep(run: EnsembleRun, step: RequestStep, slot: number)
  : Promise<Answered> {
  const pinned = run.slots[slot];
  if (pinned === undefined) return { result: { err: "SESSIONEXPIRED" }, stepper: undefined };
  if (!pinned.session.connected) {
    if (step.op === "closeSession") run.drop(slot, "closed while unreachable");
    return { result: { err: "CONNECTIONLOSS" }, stepper: undefined };
  }
  const session = pinned.session;
  const reply = await send(run, step, slot);
  const extra = step.op === "closeSession" ? session : undefined;
  const stepper = { slot, replySeq: reply.seq, extra };
  if (reply.err !== CONNECTION_LOSS || reply.reconnected !== undefined) {
    return { result: renderReply(step, reply, run.ordinalOf), stepper };
  }
  if (step.op === "closeSession" || !(await serves(run, pinned.server))) {
    return { result: { err: "CONNECTIONLOSS" }, stepper };
  }
  const outcome = await session.reattach(run.control.clientPort(pinned.server));
  if (outcome === "expired") run.drop(slot, "the session expired");
  return { result: { err: "CONNECTIONLOSS", reconnected: outcome === "ok" }, stepper };
}

async function stepOnce(run: EnsembleRun, step: Step): Promise<Answered> {
  const plain = (result: StepResult): Answered => ({ result, stepper: undefined });
  switch (step.op) {
    case "start": return plain(await startStep(run, step.server));
    case "stop": return plain(await stopStep(run, step.server));
    case "stable": return plain(await stableStep(run));
    case "openSession":
      if (step.server === undefined) throw new Error("openSession in an ensemble needs a server");
      return plain(await openSessionStep(run, step.s, step.server));
    case "move": return plain(await moveStep(run, step.s, step.server));
    case "sleep":
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      return plain({ err: "OK" });
    case "create":
    case "delete":
    case "setData":
    case "getData":
    case "exists":
    case "getChildren":
    case "sync":
    case "multi":
    case "closeSession":
      return requestStep(run, step, step.s);
    default:
      return assertNever(step, "step");
  }
}

/** Runs one step and the wait after it. */
async function runEnsembleStep(run: EnsembleRun, step: Step): Promise<StepResult> {
  const { result, stepper } = await stepOnce(run, step);
  const events = await afterStep(run, stepper);
  return events.length === 0 ? result : { ...result, events };
}

/** Options of an ensemble run (wall-clock bounds). */
export interface EnsembleRunOptions {
  readonly poll?: PollTimeouts;
  /** Called after each step with its index and wall-clock duration (for reports). */
  readonly onStep?: (index: number, wallMs: number) => void;
}

/**
 * Runs every step of an ensemble scenario on `control`'s servers (all stopped at the start) and
 * returns one result per step. The caller owns the processes and stops them afterwards.
 */
export async function runEnsembleScenario(
  scenario: Scenario,
  control: EnsembleControl,
  options: EnsembleRunOptions = {},
): Promise<StepResult[]> {
  if (scenario.servers !== control.size) {
    throw new Error(`the scenario needs ${scenario.servers ?? "no"} servers, not ${control.size}`);
  }
  const timeouts = { ...DEFAULT_TIMEOUTS, sessionMs: ENSEMBLE_SESSION_MS };
  const run = new EnsembleRun(control, options.poll ?? DEFAULT_POLL, timeouts);
  try {
    const results: StepResult[] = [];
    for (const step of scenario.steps) {
      const started = Date.now();
      results.push(await runEnsembleStep(run, step));
      options.onStep?.(results.length - 1, Date.now() - started);
    }
    return results;
  } finally {
    run.endAll();
  }
}
