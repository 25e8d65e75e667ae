/**
 * The replay page's data: a replay (src/cli/replay) turned into compact columns the browser
 * script reads. Timers and fsync completions are left out (they would double the page and tell
 * a learner little); every other line keeps its learner's sentence. Times are microseconds.
 */
import type { TraceLine } from "../timeline.js";
import type { Replay } from "../replay/replay.js";
import { markedText } from "../replay/replay.js";
import { storyOf } from "../replay/story.js";
import { rebuildTrees } from "../replay/trees.js";
import { faultText, zx } from "../replay/words.js";
import { requestText } from "../request-text.js";

/** Message families, coloured alike on the page. */
const FAMILY: Readonly<Record<string, number>> = {
  NOTIFICATION: 0, FOLLOWERINFO: 1, OBSERVERINFO: 1, LEADERINFO: 1, ACKEPOCH: 1, DIFF: 1,
  TRUNC: 1, SNAP: 1, NEWLEADER: 1, UPTODATE: 1, PROPOSAL: 2, ACK: 2, COMMIT: 2, INFORM: 2,
  REQUEST: 3, REPLY: 3, CONNECT: 3, CONNECTED: 3, REFUSED: 3, SYNC: 3, PING: 4,
};

/** The page's data (see the client script for how each column is read). */
export interface PageModel {
  readonly title: string;
  readonly verdict: string;
  readonly endMicros: number;
  readonly servers: number[];
  readonly clients: number[];
  /** Kept lines: [i, t, node (-1 none), kind, text]. */
  readonly events: [number, number, number, string, string][];
  /** Delivered messages: [from, to, sent, at, family, event row]. */
  readonly messages: [number, number, number, number, number, number][];
  /** Lost messages: [from, to, at, event row]. */
  readonly drops: [number, number, number, number][];
  /** Per server, role spans: [from, role, epoch] (a span lasts until the next). */
  readonly roles: Record<string, [number, string, number][]>;
  /** Per server, last applied zxid over time: [t, zxid]. */
  readonly zxids: Record<string, [number, number][]>;
  /** Fault bands: [from, to, text, nodes]. */
  readonly faults: [number, number, string, number[]][];
  /** Interned znode rows "path\tdata\tversion". */
  readonly rows: string[];
  /** Per server, tree states: [t, event row, zxid, verified (0/1), row ids]. */
  readonly trees: Record<string, [number, number, number, number, number[]][]>;
  /** Client operations: [client, op, server, request, invoked, completed (-1), result]. */
  readonly ops: [number, number, number, string, number, number, string][];
  /** Violations: [checker, message, t, event rows where visible]. */
  readonly violations: [string, string, number, number[]][];
  /** Event rows of the story of the first violation. */
  readonly story: number[];
}

function familyOf(message: string): number {
  return FAMILY[message.split(" ", 1)[0] ?? ""] ?? 4;
}

/** The kept lines and the row each original line became (-1 when left out). */
function keptEvents(replay: Replay): { events: PageModel["events"]; rowOf: number[] } {
  const events: PageModel["events"] = [];
  const rowOf: number[] = [];
  replay.lines.forEach((line, k) => {
    if (line.kind === "timer" || line.kind === "disk") {
      rowOf.push(-1);
      return;
    }
    rowOf.push(events.length);
    const node = typeof line["node"] === "number" ? line["node"]
      : typeof line["to"] === "number" ? line["to"] : -1;
    const o = line["observation"] as Record<string, unknown> | undefined;
    const kind = line.kind === "observe" ? String(o?.["kind"]) : line.kind;
    events.push([line.i, line.t, node, kind, markedText(replay, k)]);
  });
  return { events, rowOf };
}

/** A learner takes the new epoch when NEWLEADER reaches it: a span with its role, new epoch. */
function newEpoch(roles: PageModel["roles"], node: number, t: number, text: string): void {
  const spans = roles[String(node)];
  const last = spans?.[spans.length - 1];
  const m = /zxid=0x([0-9a-f]+)/.exec(text);
  if (spans === undefined || last === undefined || m === null) return;
  spans.push([t, last[1], Math.floor(parseInt(m[1] ?? "0", 16) / 2 ** 32)]);
}

/** Messages, drops, roles and zxids over time, in one pass over the lines. */
function timelines(replay: Replay, rowOf: readonly number[]) {
  const messages: PageModel["messages"] = [];
  const drops: PageModel["drops"] = [];
  const roles: PageModel["roles"] = {};
  const zxids: PageModel["zxids"] = {};
  const epochOf = new Map<number, number>();
  const push = <T>(table: Record<string, T[]>, node: number, value: T) =>
    (table[String(node)] ??= []).push(value);
  replay.lines.forEach((line, k) => {
    const row = rowOf[k] ?? -1;
    if (line.kind === "deliver") {
      const text = String(line["message"]);
      if (text.startsWith("NEWLEADER ")) newEpoch(roles, line["to"] as number, line.t, text);
      const sent = replay.extras.sentMicros.get(line["id"] as number) ?? line.t;
      messages.push([line["from"] as number, line["to"] as number, sent, line.t,
        familyOf(String(line["message"])), row]);
    } else if (line.kind === "drop") {
      drops.push([line["from"] as number, line["to"] as number, line.t, row]);
    } else if (line.kind === "crash" && (line["node"] as number) < 100) {
      const node = line["node"] as number;
      push(roles, node, [line.t, "DOWN", epochOf.get(node) ?? 0]);
    } else if (line.kind === "observe") {
      const o = line["observation"] as Record<string, unknown>;
      const node = Number(o["node"]);
      if (o["kind"] === "established") {
        push(roles, node, [line.t, "LEADING", Number(o["epoch"])]);
      } else if (o["kind"] === "state") {
        epochOf.set(node, Number(o["epoch"]));
        push(roles, node, [line.t, String(o["state"]), Number(o["epoch"])]);
      } else if (o["kind"] === "deliver" || o["kind"] === "restore" || o["kind"] === "truncate") {
        if (o["kind"] !== "truncate") push(zxids, node, [line.t, Number(o["zxid"])]);
      }
    }
  });
  return { messages, drops, roles, zxids };
}

/** Fault bands from the trace's fault lines: partitions until healed, clogs for their time. */
function faultBands(lines: readonly TraceLine[], endMicros: number): PageModel["faults"] {
  const bands: PageModel["faults"] = [];
  const open: number[] = [];
  for (const line of lines) {
    if (line.kind !== "fault") continue;
    const f = line["fault"] as Record<string, unknown>;
    const nodes = [...(f["from"] as number[] | undefined ?? []),
      ...(f["to"] as number[] | undefined ?? [])];
    if (typeof f["node"] === "number") nodes.push(f["node"]);
    const text = faultText(f);
    const kind = f["kind"];
    if (kind === "partition") {
      open.push(bands.length);
      bands.push([line.t, endMicros, text, nodes]);
    } else if (kind === "heal-partitions" || kind === "heal") {
      for (const at of open.splice(0)) (bands[at] as PageModel["faults"][number])[1] = line.t;
      bands.push([line.t, line.t, text, nodes]);
    } else if (kind === "clog" || kind === "loss-burst") {
      bands.push([line.t, Math.min(endMicros, line.t + Number(f["durationMicros"])), text, nodes]);
    } else {
      bands.push([line.t, line.t, text, nodes]);
    }
  }
  return bands;
}

/** Tree states with interned rows. */
function treeStates(replay: Replay, rowOf: readonly number[]) {
  const rows: string[] = [];
  const ids = new Map<string, number>();
  const trees: PageModel["trees"] = {};
  const eventRow = new Map<number, number>();
  replay.lines.forEach((line, k) => {
    if (line.kind === "observe" && !eventRow.has(line.i)) eventRow.set(line.i, rowOf[k] ?? -1);
  });
  const timeOf = new Map(replay.lines.map((line) => [line.i, line.t]));
  for (const state of rebuildTrees(replay.lines, replay.extras)) {
    const rowIds = state.rows.map((r) => {
      const key = `${r[0]}\t${r[1]}\t${r[2]}`;
      let id = ids.get(key);
      if (id === undefined) ids.set(key, id = rows.push(key) - 1);
      return id;
    });
    (trees[String(state.node)] ??= []).push([timeOf.get(state.i) ?? 0,
      eventRow.get(state.i) ?? -1, state.zxid, state.verified ? 1 : 0, rowIds]);
  }
  return { rows, trees };
}

/** Client operations from invoke and complete observations. */
function clientOps(lines: readonly TraceLine[]): PageModel["ops"] {
  const ops: PageModel["ops"] = [];
  const open = new Map<string, number>();
  for (const line of lines) {
    if (line.kind !== "observe") continue;
    const o = line["observation"] as Record<string, unknown>;
    const key = `${String(o["client"])}/${String(o["op"])}`;
    if (o["kind"] === "invoke") {
      open.set(key, ops.length);
      ops.push([Number(o["client"]), Number(o["op"]), Number(o["node"]), requestText(o["request"]),
        line.t, -1, ""]);
    } else if (o["kind"] === "complete") {
      const op = ops[open.get(key) ?? -1];
      if (op === undefined) continue;
      op[5] = line.t;
      op[6] = typeof o["txn"] === "string"
        ? `${String(o["err"])} zxid ${zx(Number(o["zxid"]))}` : String(o["err"]);
    }
  }
  return ops;
}

/** The page model of a replay. */
export function pageModel(replay: Replay, source: string): PageModel {
  const { events, rowOf } = keptEvents(replay);
  const report = replay.report;
  const last = replay.lines[replay.lines.length - 1];
  const endMicros = report === null ? last?.t ?? 0 : Math.round(report.simTimeMs * 1000);
  const nodes = new Set<number>();
  for (const line of replay.lines) if (line.kind === "start") nodes.add(line["node"] as number);
  const all = [...nodes].sort((a, b) => a - b);
  const violations: PageModel["violations"] = (report?.violations ?? []).map((v) => {
    const at: number[] = [];
    for (const [k, found] of replay.marks) if (found.includes(v)) at.push(rowOf[k] ?? -1);
    return [v.checker, v.message, Math.round(v.simTimeMs * 1000), at];
  });
  const first = report?.violations[0];
  const story = first === undefined ? []
    : storyOf(replay.lines, first).picked.map((k) => rowOf[k] ?? -1).filter((r) => r >= 0);
  const verdict = report === null ? "a saved trace (no verdict)"
    : report.violations.length === 0 ? "every checker held"
      : `${report.violations.length} violation(s)`;
  return {
    title: replay.seed === null ? source : `seed ${replay.seed}`, verdict, endMicros,
    servers: all.filter((n) => n < 100), clients: all.filter((n) => n >= 100),
    events, ...timelines(replay, rowOf), faults: faultBands(replay.lines, endMicros),
    ...treeStates(replay, rowOf), ops: clientOps(replay.lines), violations, story,
  };
}
