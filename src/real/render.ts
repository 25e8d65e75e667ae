/**
 * Turns wire replies into the scenario result format (shared/spec/script-format.md, "Results"):
 * error names, stats without ctime/mtime, ephemeralOwner as the owning session's ordinal, data
 * rendered by the shared rule (text, null, or length and SHA-256 prefix), children sorted, multi
 * results typed by their wire opcode.
 */
import { assertNever } from "../util/index.js";
import { renderData, ownerName } from "../script/index.js";
import type { MultiOpResult, StatResult, Step, StepResult } from "../script/index.js";
import { errorName } from "./protocol.js";
import type { Stat } from "./protocol.js";
import type { MultiOpResult as WireMultiResult, ZkResponse } from "./requests.js";
import type { Reply } from "./session.js";

/** Maps a session id (from the connect response) to its ordinal in the scenario. */
export type OrdinalOf = (sessionId: bigint) => number | undefined;

/** A zxid as a plain number; zxids stay far below 2^53 on a fresh server. */
function zxidNumber(zxid: bigint): number {
  return Number(zxid);
}

export function renderStat(stat: Stat, ordinalOf: OrdinalOf): StatResult {
  let owner: 0 | string = 0;
  if (stat.ephemeralOwner !== 0n) {
    const ordinal = ordinalOf(stat.ephemeralOwner);
    const unknown = `unknown:0x${stat.ephemeralOwner.toString(16)}`;
    owner = ordinal === undefined ? unknown : ownerName(ordinal);
  }
  return {
    czxid: zxidNumber(stat.czxid),
    mzxid: zxidNumber(stat.mzxid),
    pzxid: zxidNumber(stat.pzxid),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: owner,
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

function renderMultiEntry(entry: WireMultiResult, ordinalOf: OrdinalOf): MultiOpResult {
  switch (entry.type) {
    case "create": return { type: "create", err: "OK", path: entry.path };
    case "create2": {
      const stat = renderStat(entry.stat, ordinalOf);
      return { type: "create2", err: "OK", path: entry.path, stat };
    }
    case "delete": return { type: "delete", err: "OK" };
    case "setData": return { type: "setData", err: "OK", stat: renderStat(entry.stat, ordinalOf) };
    case "check": return { type: "check", err: "OK" };
    case "error": return { type: "error", err: errorName(entry.err) };
    default: return assertNever(entry, "multi result");
  }
}

/** A multi's overall error: the first failing op's code, or the reply header's. */
function multiError(reply: Reply, results: readonly WireMultiResult[]): string {
  for (const entry of results) {
    if (entry.type === "error" && entry.err !== 0) return errorName(entry.err);
  }
  return errorName(reply.err);
}

function renderBody(body: ZkResponse, ordinalOf: OrdinalOf): Partial<StepResult> {
  switch (body.kind) {
    case "empty":
    case "path":
      return {};
    case "created": return { path: body.path, stat: renderStat(body.stat, ordinalOf) };
    case "stat": return { stat: renderStat(body.stat, ordinalOf) };
    case "data":
      return { data: renderData(body.data), stat: renderStat(body.stat, ordinalOf) };
    case "children":
      return { children: [...body.children].sort(), stat: renderStat(body.stat, ordinalOf) };
    case "multi":
      return { results: body.results.map((entry) => renderMultiEntry(entry, ordinalOf)) };
    default:
      return assertNever(body, "reply body");
  }
}

/** The result of a step that sent one request (events are added by the runner). */
export function renderReply(step: Step, reply: Reply, ordinalOf: OrdinalOf): StepResult {
  if (reply.reconnected !== undefined) {
    return { err: errorName(reply.err), reconnected: reply.reconnected };
  }
  const body = reply.body;
  if (step.op === "multi" && body !== undefined && body.kind === "multi") {
    return { err: multiError(reply, body.results), ...renderBody(body, ordinalOf) };
  }
  if (reply.err !== 0 || body === undefined) return { err: errorName(reply.err) };
  return { err: "OK", ...renderBody(body, ordinalOf) };
}
