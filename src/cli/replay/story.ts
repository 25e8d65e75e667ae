/**
 * The shortest story of a failure: of the tens of thousands of lines of a failing run, the few
 * that led to its first violation. A violation names zxids; the story starts where the oldest
 * of their epochs was established (the election and sync that made the primary) and keeps, up
 * to the violating event: every fault, every change of role, every sync decision (DIFF, TRUNC,
 * SNAP) and truncation or restore, and the proposal, commits and deliveries of the named zxids.
 * Heartbeats, client traffic and every other write are left out.
 */
import type { TraceLine } from "../timeline.js";

/** A violation as a run reports it. */
export interface StoryViolation {
  readonly checker: string;
  readonly message: string;
  readonly event: number;
}

/** The story: indexes into `lines`, in order, ending at the violating event. */
export interface Story {
  readonly picked: readonly number[];
  /** The lines of the violating event itself (marked in every view). */
  readonly violating: ReadonlySet<number>;
}

const STORY_LINES_MAX = 60;
const SYNC_PACKETS = /^(DIFF|TRUNC|SNAP|NEWLEADER|UPTODATE|LEADERINFO) /;

/** The zxids a violation names (`0x…` tokens in its message). */
export function namedZxids(message: string): Set<number> {
  const out = new Set<number>();
  for (const m of message.matchAll(/\b0x([0-9a-f]+)\b/g)) out.add(parseInt(m[1] ?? "0", 16));
  return out;
}

/** True when the line is part of any failure's story (given the zxids the violation names). */
function tells(line: TraceLine, zxids: ReadonlySet<number>): boolean {
  switch (line.kind) {
    case "fault":
    case "crash":
    case "failure":
    case "corrupted":
      return true;
    case "deliver": {
      const text = String(line["message"]);
      if (SYNC_PACKETS.test(text)) return true;
      const m = /^(PROPOSAL|COMMIT|INFORM) zxid=0x([0-9a-f]+)/.exec(text);
      return m !== null && zxids.has(parseInt(m[2] ?? "0", 16));
    }
    case "observe": {
      const o = line["observation"] as Record<string, unknown>;
      const kind = o["kind"];
      if (kind === "state" || kind === "established" || kind === "truncate") return true;
      if (kind === "restore") return o["zxid"] !== 0 || o["cause"] === "snap";
      return (kind === "propose" || kind === "deliver") && zxids.has(Number(o["zxid"]));
    }
    default:
      return false;
  }
}

/**
 * Where the story begins: the proposal of the oldest zxid the violation names (what happened
 * to that txn is the story), or the run's start when it names none.
 */
function startOf(lines: readonly TraceLine[], end: number, zxids: ReadonlySet<number>): number {
  if (zxids.size === 0) return 0;
  const oldest = Math.min(...zxids);
  for (let k = 0; k < end; k++) {
    const o = (lines[k] as TraceLine)["observation"] as Record<string, unknown> | undefined;
    if (o?.["kind"] === "propose" && o["zxid"] === oldest) return k;
  }
  return 0;
}

/** The story of `violation` in `lines` (empty when its event is not in the trace). */
export function storyOf(lines: readonly TraceLine[], violation: StoryViolation): Story {
  let end = lines.findIndex((line) => line.i > violation.event);
  if (end < 0) end = lines.length;
  const zxids = namedZxids(violation.message);
  const start = startOf(lines, end, zxids);
  const violating = new Set<number>();
  const picked: number[] = [];
  for (let k = start; k < end; k++) {
    const line = lines[k] as TraceLine;
    if (line.i === violation.event && line.kind === "observe") violating.add(k);
    if (tells(line, zxids) || violating.has(k)) picked.push(k);
  }
  if (violating.size === 0 && end > 0) {
    violating.add(end - 1);
    if (picked[picked.length - 1] !== end - 1) picked.push(end - 1);
  }
  // Past the cap, the lines nearest the violation tell the most.
  return { picked: picked.slice(-STORY_LINES_MAX), violating };
}
