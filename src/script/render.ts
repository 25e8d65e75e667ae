/**
 * Result rendering (script-format.md, "Results"): stats without ctime/mtime and with
 * ephemeralOwner as a session ordinal, multi results typed by their wire result, and events
 * listed by slot then arrival order with beforeResponse on the stepping session's own. The
 * inputs are structural, so zabsim's server and the real-ZooKeeper client can both feed them.
 */
import { assert } from "../util/index.js";
import type { EventResult, EventTypeName, MultiOpResult, StatResult } from "./format.js";

/** A Stat as a server reports it (extra fields such as ctime are ignored). */
export interface StatLike {
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  /** 0, or the owning session's id (the client-visible value: containers and TTL give 0). */
  readonly ephemeralOwner: number;
  readonly dataLength: number;
  readonly numChildren: number;
}

/** Maps a session id to its ordinal in the scenario (undefined for an unknown session). */
export type OrdinalOf = (sessionId: number) => number | undefined;

/** A stat as printed. */
export function renderStat(stat: StatLike, ordinalOf: OrdinalOf): StatResult {
  let ephemeralOwner: 0 | string = 0;
  if (stat.ephemeralOwner !== 0) {
    const ordinal = ordinalOf(stat.ephemeralOwner);
    assert(ordinal !== undefined, `ephemeralOwner ${stat.ephemeralOwner} is no scenario session`);
    ephemeralOwner = `s${ordinal}`;
  }
  return {
    czxid: stat.czxid,
    mzxid: stat.mzxid,
    pzxid: stat.pzxid,
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner,
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

/** One op result of a multi, by its txn/op type (create, create2, createTTL, delete, ...). */
export interface SubResultLike {
  readonly type: string;
  readonly err: string;
  readonly path?: string;
  readonly stat?: StatLike;
}

function needStat(sub: SubResultLike, ordinalOf: OrdinalOf): StatResult {
  assert(sub.stat !== undefined, `a ${sub.type} result carries a stat`);
  return renderStat(sub.stat, ordinalOf);
}

function needPath(sub: SubResultLike): string {
  assert(sub.path !== undefined, `a ${sub.type} result carries a path`);
  return sub.path;
}

/**
 * FinalRequestProcessor's OpResult per sub-txn: create gives CreateResult(path), create2,
 * createTTL and createContainer CreateResult(path, stat), delete and deleteContainer
 * DeleteResult, setData SetDataResult(stat), check CheckResult, error ErrorResult(err).
 */
export function renderMultiResult(sub: SubResultLike, ordinalOf: OrdinalOf): MultiOpResult {
  switch (sub.type) {
    case "create":
      return { type: "create", err: sub.err, path: needPath(sub) };
    case "create2":
    case "createTTL":
    case "createContainer":
      return { type: "create2", err: sub.err, path: needPath(sub), stat: needStat(sub, ordinalOf) };
    case "delete":
    case "deleteContainer":
      return { type: "delete", err: sub.err };
    case "setData":
      return { type: "setData", err: sub.err, stat: needStat(sub, ordinalOf) };
    case "check":
      return { type: "check", err: sub.err };
    case "error":
      return { type: "error", err: sub.err };
    default:
      assert(false, `unexpected multi result type ${sub.type}`);
  }
}

/** What one session received during a step, in arrival order. */
export type ArrivalLike =
  | { readonly kind: "notification"; readonly type: EventTypeName; readonly path: string }
  | { readonly kind: "reply" };

/** One session's arrivals during a step. */
export interface SlotArrivals {
  readonly slot: number;
  /** The session that ran the step, when the step has a response (not sleep/openSession). */
  readonly stepping: boolean;
  readonly arrivals: readonly ArrivalLike[];
}

/**
 * The step's `events`: by slot, then arrival order; on the stepping session each says whether
 * it arrived before the step's response. Undefined when there are none (the key is absent).
 */
export function renderEvents(sessions: readonly SlotArrivals[]): EventResult[] | undefined {
  const events: EventResult[] = [];
  const ordered = [...sessions].sort((a, b) => a.slot - b.slot);
  for (const { slot, stepping, arrivals } of ordered) {
    let replied = false;
    for (const arrival of arrivals) {
      if (arrival.kind === "reply") {
        replied = true;
        continue;
      }
      const event = { s: slot, type: arrival.type, path: arrival.path };
      events.push(stepping ? { ...event, beforeResponse: !replied } : event);
    }
  }
  return events.length === 0 ? undefined : events;
}
