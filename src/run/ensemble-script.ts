/**
 * Runs an ensemble scenario file (shared/spec/script-format.md, "Ensembles") on the simulated
 * ensemble of ensemble-world.ts, step by step as src/real/ensemble-runner.ts runs it on a real
 * one, so the two outputs compare with raw zxids. Sessions are pinned: a request on a session
 * whose server is stopped or does not serve answers CONNECTIONLOSS at once without sending; a
 * slot the run closed answers SESSIONEXPIRED. Every step ends with the spec's wait: the serving
 * servers apply what their leader committed, pinned sessions whose server serves again
 * reconnect, and a ping round trip on every connected session gathers the step's events.
 */
import type { CallResult } from "../client/index.js";
import type { PinnedSessionHost } from "../ensemble/index.js";
import type { Scenario, Step, StepResult } from "../script/index.js";
import { renderEvents } from "../script/render.js";
import type { SlotArrivals } from "../script/render.js";
import type { Reply } from "../standalone/index.js";
import { assertNever } from "../util/index.js";
import type { ScriptEnsemble } from "./ensemble-world.js";
import { EnsembleRunStuck, ScriptEnsemble as Ensemble } from "./ensemble-world.js";
import { replyResult, stepRequest } from "./script-requests.js";
import type { RequestStep } from "./script-requests.js";

const OK: StepResult = { err: "OK" };
const CONNECTION_LOSS: StepResult = { err: "CONNECTIONLOSS" };
const SESSION_EXPIRED: StepResult = { err: "SESSIONEXPIRED" };

/** The run's sessions: the host in each slot, and every session's ordinal. */
class EnsembleRun {
  readonly slots: Array<PinnedSessionHost | undefined> = [];
  private readonly ordinals = new Map<number, number>();

  constructor(readonly ensemble: ScriptEnsemble) {}

  readonly ordinalOf = (sessionId: number): number | undefined => this.ordinals.get(sessionId);

  adopt(slot: number, host: PinnedSessionHost): number {
    const ordinal = this.ordinals.size;
    this.ordinals.set(host.sessionId, ordinal);
    this.slots[slot] = host;
    return ordinal;
  }

  /** The slot's session is gone for the run; its host drops the connection. */
  drop(slot: number): void {
    this.slots[slot]?.abandon();
    this.slots[slot] = undefined;
  }
}

/** The stepping session of a step that sent a request (for beforeResponse). */
interface Stepper {
  readonly slot: number;
  readonly host: PinnedSessionHost;
}

interface Answered {
  readonly result: StepResult;
  readonly stepper: Stepper | undefined;
}

/** How a (re)connection of a pinned session ended. */
type Attach = "ok" | "refused" | "expired";

/** Fires the held reconnect and runs until the server took, refused or expired the session. */
function reattach(run: EnsembleRun, host: PinnedSessionHost): Attach {
  host.fireReconnect();
  run.ensemble.waitFor(`session ${host.sessionId} to reconnect to server ${host.server}`,
    () => host.connected || host.ended || host.reconnectWanted);
  if (host.connected) return "ok";
  return host.ended ? "expired" : "refused";
}

/** The stop wait of the spec: every server still running noticed the death. */
function stopStep(run: EnsembleRun, server: number): StepResult {
  const e = run.ensemble;
  const leader = e.leader();
  const wasServing = e.serves(server);
  const epoch = leader === undefined ? undefined : e.servingEpoch(leader);
  e.kill(server);
  if (wasServing && leader !== undefined && epoch !== undefined) {
    const left = (k: number): boolean => (e.servingEpoch(k) ?? epoch + 1) > epoch;
    let servingLeft = 0;
    for (let k = 1; k <= e.size; k++) if (e.serves(k)) servingLeft++;
    if (leader === server) {
      e.waitFor(`the learners of leader ${server} to notice its death`, () => {
        for (let k = 1; k <= e.size; k++) if (!left(k)) return false;
        return true;
      });
    } else if (servingLeft >= e.quorum) {
      e.waitFor(`leader ${leader} to drop follower ${server}`,
        () => !e.syncedFollowers(leader).includes(server));
    } else {
      e.waitFor(`leader ${leader} to notice it lost its quorum`, () => left(leader));
    }
  }
  e.waitFor("sessions on stopped servers to see their connections close", () =>
    run.slots.every((host) => host === undefined || !host.connected || e.serves(host.server)));
  return OK;
}

/** `stable`: NOQUORUM at once without a quorum running, else wait until the servers settle. */
function stableStep(run: EnsembleRun): StepResult {
  const e = run.ensemble;
  const running = e.runningCount();
  if (running < e.quorum) return { err: "NOQUORUM" };
  let result: StepResult = OK;
  e.waitFor("a stable ensemble", () => {
    const leader = e.leader();
    if (leader === undefined) return false;
    for (let k = 1; k <= e.size; k++) {
      if (!e.running(k)) continue;
      if (!e.serves(k)) return false;
      if (k !== leader && e.replica(k)?.learner?.leaderSid !== leader) return false;
    }
    if (e.syncedFollowers(leader).length !== running - 1 || !e.caughtUp()) return false;
    const replica = e.replica(leader);
    if (replica === undefined) return false;
    result = { err: "OK", leader, epoch: replica.currentEpoch, zxid: replica.reportedZxid() };
    return true;
  });
  return result;
}

/** `openSession` on server k: CONNECTIONLOSS, changing nothing, when k does not take it. */
function openSessionStep(run: EnsembleRun, slot: number, server: number): StepResult {
  const e = run.ensemble;
  if (!e.serves(server)) return CONNECTION_LOSS;
  const host = e.takeClient();
  host.open(server);
  e.waitFor(`a new session on server ${server}`,
    () => host.connected || host.ended || host.reconnectWanted);
  if (!host.connected) {
    host.abandon();
    return CONNECTION_LOSS;
  }
  // A slot the run still holds loses its old session's connection; that session expires later.
  run.slots[slot]?.abandon();
  return { err: "OK", session: `s${run.adopt(slot, host)}` };
}

/**
 * `move`: the session reconnects to server k with its id and last zxid seen. Refused, it goes
 * back to its server (as the real runner keeps the old connection, nothing changes).
 */
function moveStep(run: EnsembleRun, slot: number, server: number): StepResult {
  const host = run.slots[slot];
  if (host === undefined) return SESSION_EXPIRED;
  if (!run.ensemble.serves(server)) return CONNECTION_LOSS;
  const old = host.server;
  const wasConnected = host.connected;
  host.move(server);
  const outcome = reattach(run, host);
  if (outcome === "expired") {
    run.drop(slot);
    return SESSION_EXPIRED;
  }
  if (outcome === "ok") return OK;
  host.move(old);
  if (wasConnected && reattach(run, host) === "expired") run.drop(slot);
  return CONNECTION_LOSS;
}

/** A call's outcome as the standalone runner's Reply, for the shared rendering. */
function asReply(result: CallResult): Reply {
  const body = result.body ?? {};
  return {
    err: result.err, zxid: result.zxid, reconnected: false,
    ...(body.path === undefined ? {} : { path: body.path }),
    ...(body.stat === undefined ? {} : { stat: body.stat }),
    ...(body.data === undefined ? {} : { data: body.data }),
    ...(body.children === undefined ? {} : { children: body.children }),
    ...(body.results === undefined ? {} : { results: body.results }),
  };
}

/** Sends the step's request on its pinned session and waits for the answer. */
function sendStep(run: EnsembleRun, step: RequestStep, slot: number, host: PinnedSessionHost)
  : CallResult {
  let call: number;
  if (step.op === "closeSession") {
    call = host.close();
    run.slots[slot] = undefined;
  } else {
    const request = stepRequest(step);
    const watch = "watch" in step && step.watch;
    call = host.call(watch ? { request, watcher: 0 } : { request });
  }
  let result: CallResult | undefined;
  run.ensemble.waitFor(`the answer to ${step.op} on slot ${slot}`, () => {
    result = host.result(call);
    return result !== undefined;
  });
  return result ?? { err: "CONNECTIONLOSS", zxid: 0 };
}

/** A session-bound request (the real runner's requestStep). */
function requestStep(run: EnsembleRun, step: RequestStep, slot: number): Answered {
  const host = run.slots[slot];
  if (host === undefined) return { result: SESSION_EXPIRED, stepper: undefined };
  if (!host.connected) {
    if (step.op === "closeSession") run.drop(slot);
    return { result: CONNECTION_LOSS, stepper: undefined };
  }
  const result = sendStep(run, step, slot, host);
  const stepper = { slot, host };
  if (host.ended && run.slots[slot] === host) run.drop(slot);
  if (result.err !== "CONNECTIONLOSS" || host.connected) {
    return { result: replyResult(step, asReply(result), run.ordinalOf), stepper };
  }
  // The connection dropped under the request: reconnect at once if the server still serves.
  if (step.op === "closeSession" || !run.ensemble.serves(host.server) || !host.reconnectWanted) {
    return { result: CONNECTION_LOSS, stepper };
  }
  const outcome = reattach(run, host);
  if (outcome === "expired") run.drop(slot);
  return { result: { err: "CONNECTIONLOSS", reconnected: outcome === "ok" }, stepper };
}

function stepOnce(run: EnsembleRun, step: Step): Answered {
  const plain = (result: StepResult): Answered => ({ result, stepper: undefined });
  const e = run.ensemble;
  switch (step.op) {
    case "start":
      e.start(step.server);
      return plain(OK);
    case "stop": return plain(stopStep(run, step.server));
    case "stable": return plain(stableStep(run));
    case "openSession":
      if (step.server === undefined) throw new Error("openSession in an ensemble needs a server");
      return plain(openSessionStep(run, step.s, step.server));
    case "move": return plain(moveStep(run, step.s, step.server));
    case "sleep":
      e.sleep(step.ms);
      return plain(OK);
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

/** Pings every live connected session and waits for every answer. */
function pingRoundTrip(run: EnsembleRun): void {
  const live = run.slots.filter((host): host is PinnedSessionHost =>
    host !== undefined && host.connected);
  const wanted = live.map((host) => host.pings + 1);
  for (const host of live) host.ping();
  run.ensemble.waitFor("a ping round trip on every connected session", () =>
    live.every((host, i) => !host.connected || host.pings >= (wanted[i] ?? 0)));
}

/**
 * The wait after every step: the serving servers applied what their leader committed, pinned
 * sessions back on servers that serve again, then the events every live session received.
 */
function afterStep(run: EnsembleRun, stepper: Stepper | undefined): SlotArrivals[] {
  const e = run.ensemble;
  e.waitFor("every serving server to apply what its leader committed", () => e.caughtUp());
  run.slots.forEach((host, slot) => {
    if (host === undefined || host.connected || !host.reconnectWanted) return;
    if (!e.serves(host.server)) return;
    if (reattach(run, host) === "expired") run.drop(slot);
  });
  pingRoundTrip(run);
  const sessions: SlotArrivals[] = [];
  const slots = Math.max(run.slots.length, (stepper?.slot ?? -1) + 1);
  for (let slot = 0; slot < slots; slot++) {
    const isStepper = stepper?.slot === slot;
    const host = run.slots[slot] ?? (isStepper ? stepper?.host : undefined);
    if (host === undefined) continue;
    sessions.push({ slot, stepping: isStepper, arrivals: host.takeArrivals() });
  }
  return sessions;
}

/** Runs every step of an ensemble scenario on a fresh simulated ensemble; one result per step. */
export function runEnsembleScenario(scenario: Scenario): StepResult[] {
  const run = new EnsembleRun(new Ensemble(scenario));
  const results: StepResult[] = [];
  scenario.steps.forEach((step, index) => {
    try {
      const { result, stepper } = stepOnce(run, step);
      const events = renderEvents(afterStep(run, stepper));
      results.push(events === undefined ? result : { ...result, events });
    } catch (error) {
      if (!(error instanceof EnsembleRunStuck)) throw error;
      throw new EnsembleRunStuck(`step ${index} (${step.op}): ${error.message}`);
    }
  });
  return results;
}
