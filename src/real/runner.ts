/**
 * Runs one parsed scenario against a live ZooKeeper server and collects its results in the
 * scenario result format. Sessions are opened in slot order before step 0; after every step each
 * live session does a ping round trip, so every notification the step caused has arrived (the
 * server answers a ping only after what it queued on that connection before it), and the events
 * are listed by slot in arrival order. `beforeResponse` compares a notification's arrival with
 * the stepping session's reply.
 */
import { assertNever } from "../util/index.js";
import { dataBytes } from "../script/index.js";
import type {
  CreateSpec as StepCreate, DataSpec, EventResult, EventTypeName, MultiOp, Scenario, Step,
  StepResult,
} from "../script/index.js";
import { renderReply } from "./render.js";
import { encodeRequest } from "./requests.js";
import type { CreateSpec, MultiOpRequest, ZkRequest } from "./requests.js";
import { DEFAULT_TIMEOUTS, Session, SessionError } from "./session.js";
import type { Reply, SessionTimeouts } from "./session.js";

/** Where the server is and how long to wait for it. */
export interface Target {
  readonly host: string;
  readonly port: number;
  readonly timeouts: SessionTimeouts;
}

export function localTarget(port: number, host = "127.0.0.1"): Target {
  return { host, port, timeouts: DEFAULT_TIMEOUTS };
}

/** Fills longer than this are not built: the request is sent by its length alone. */
const HUGE_FILL_BYTES = 8 * 1024 * 1024;

/** Bytes of a step's data; a huge fill becomes empty and its length is added to `skipped`. */
function bytesOf(spec: DataSpec, skipped: number[]): Uint8Array | null {
  if (spec !== null && typeof spec === "object" && spec.length > HUGE_FILL_BYTES) {
    skipped.push(spec.length);
    return new Uint8Array(0);
  }
  return dataBytes(spec);
}

function createSpec(step: StepCreate, skipped: number[]): CreateSpec {
  const data = bytesOf(step.data, skipped);
  return { path: step.path, data, mode: step.mode, ttl: step.ttl };
}

function multiOp(op: MultiOp, skipped: number[]): MultiOpRequest {
  switch (op.op) {
    case "create": return { op: "create", create: createSpec(op, skipped) };
    case "delete": return { op: "delete", path: op.path, version: op.version };
    case "setData":
      return { op: "setData", path: op.path, data: bytesOf(op.data, skipped), version: op.version };
    case "check": return { op: "check", path: op.path, version: op.version };
    default: return assertNever(op, "multi op");
  }
}

/**
 * The wire request of a session-bound step that sends one. Fills over 8 MiB (far past the
 * server's 1 MiB limit) are left out of the request and their lengths pushed on `skipped`, so
 * the caller can announce the true size without building gigabytes.
 */
export function stepRequest(step: Step, skipped: number[] = []): ZkRequest | undefined {
  switch (step.op) {
    case "create": return { op: "create", create: createSpec(step, skipped) };
    case "delete": return { op: "delete", path: step.path, version: step.version };
    case "setData": {
      const data = bytesOf(step.data, skipped);
      return { op: "setData", path: step.path, data, version: step.version };
    }
    case "getData":
    case "exists":
    case "getChildren":
      return { op: step.op, path: step.path, watch: step.watch };
    case "sync": return { op: "sync", path: step.path };
    case "multi": return { op: "multi", ops: step.ops.map((op) => multiOp(op, skipped)) };
    case "closeSession": return { op: "closeSession" };
    case "openSession":
    case "sleep":
    case "start":
    case "stop":
    case "stable":
    case "move":
      return undefined;
    default: return assertNever(step, "step");
  }
}

/** The sessions of one run: slots, ordinals by session id, and every session ever opened. */
export class SessionTable {
  readonly slots: Array<Session | undefined> = [];
  private readonly ordinals = new Map<bigint, number>();
  readonly opened: Session[] = [];

  constructor(private readonly target: Target) {}

  async open(slot: number): Promise<number> {
    const session = await Session.open(this.target.host, this.target.port, this.target.timeouts);
    const ordinal = this.opened.length;
    this.opened.push(session);
    this.ordinals.set(session.sessionId, ordinal);
    this.slots[slot] = session;
    return ordinal;
  }

  ordinalOf = (sessionId: bigint): number | undefined => this.ordinals.get(sessionId);

  live(slot: number): Session {
    const session = this.slots[slot];
    if (session === undefined) throw new Error(`slot ${slot} has no live session`);
    return session;
  }

  /** Drops every connection without waiting (the server expires what was not closed). */
  endAll(): void {
    for (const session of this.opened) session.end("run finished");
  }
}

/** Pings every live session and gathers the notifications they hold, by slot. */
async function gatherEvents(
  table: SessionTable,
  stepper: { slot: number; replySeq: number; extra: Session | undefined } | undefined,
): Promise<EventResult[]> {
  const events: EventResult[] = [];
  for (let slot = 0; slot < table.slots.length; slot++) {
    const session = table.slots[slot];
    const isStepper = stepper !== undefined && stepper.slot === slot;
    const source = session ?? (isStepper ? stepper.extra : undefined);
    if (source === undefined) continue;
    if (session !== undefined) await session.ping();
    for (const note of source.takeNotifications()) {
      const event: EventResult = { s: slot, type: note.type as EventTypeName, path: note.path };
      events.push(isStepper ? { ...event, beforeResponse: note.seq < stepper.replySeq } : event);
    }
  }
  return events;
}

/** Runs one step and returns its result, events included. */
export async function runStep(table: SessionTable, step: Step): Promise<StepResult> {
  if (step.op === "sleep") {
    await new Promise((resolve) => setTimeout(resolve, step.ms));
    return withEvents({ err: "OK" }, await gatherEvents(table, undefined));
  }
  if (step.op === "openSession") {
    const ordinal = await table.open(step.s);
    return withEvents({ err: "OK", session: `s${ordinal}` }, await gatherEvents(table, undefined));
  }
  if (step.op === "start" || step.op === "stop" || step.op === "stable" || step.op === "move") {
    throw new Error(`${step.op} needs an ensemble (runEnsembleScenario)`);
  }
  const session = table.live(step.s);
  const skipped: number[] = [];
  const request = stepRequest(step, skipped);
  if (request === undefined) throw new Error(`step ${step.op} sends nothing`);
  let reply: Reply;
  if (request.op === "closeSession") {
    reply = await session.close();
    table.slots[step.s] = undefined;
  } else {
    const huge = skipped.reduce((sum, length) => sum + length, 0);
    const declared = huge === 0 ? undefined : encodeRequest(0, request).length + huge;
    reply = await session.request(request, declared);
  }
  if (reply.reconnected === false) {
    throw new SessionError(`the connection dropped for good: ${session.lostReason ?? "unknown"}`);
  }
  const result = renderReply(step, reply, table.ordinalOf);
  const extra = request.op === "closeSession" ? session : undefined;
  const events = await gatherEvents(table, { slot: step.s, replySeq: reply.seq, extra });
  return withEvents(result, events);
}

function withEvents(result: StepResult, events: EventResult[]): StepResult {
  return events.length === 0 ? result : { ...result, events };
}

/** Opens the scenario's sessions (slot order) and runs every step; sessions end afterwards. */
export async function runScenario(scenario: Scenario, target: Target): Promise<StepResult[]> {
  const table = new SessionTable(target);
  try {
    for (let slot = 0; slot < scenario.sessions; slot++) await table.open(slot);
    const results: StepResult[] = [];
    for (const step of scenario.steps) results.push(await runStep(table, step));
    return results;
  } finally {
    table.endAll();
  }
}
