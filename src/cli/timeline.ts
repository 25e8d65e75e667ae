/**
 * The readable timeline of a trace: one fixed-column line per trace record (time, event index,
 * node, what happened), and a Mermaid sequence diagram of the first messages. Input is the trace
 * as JSON lines (what `--trace FILE` writes and what a run's trace sink receives), so `show`
 * renders a saved trace and a re-run alike.
 */
import { UsageError } from "./args.js";
import type { Colors } from "./format.js";
import { requestText } from "./request-text.js";
import { recipeText } from "./replay/words.js";

/** A trace line parsed back: {i, t, kind, ...fields}. */
export type TraceLine = Readonly<Record<string, unknown>> & {
  readonly i: number;
  readonly t: number;
  readonly kind: string;
};

/** Parses JSON lines of a trace; throws a UsageError naming the first bad line. */
export function parseTraceLines(text: string, source: string): TraceLine[] {
  const out: TraceLine[] = [];
  text.split("\n").forEach((line, n) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${source}:${n + 1} is not a JSON trace line`);
    }
    const record = value as Partial<TraceLine> | null;
    if (typeof record?.i !== "number" || typeof record.t !== "number" ||
      typeof record.kind !== "string") {
      throw new UsageError(`${source}:${n + 1} is not a trace record ({i, t, kind, ...})`);
    }
    out.push(record as TraceLine);
  });
  return out;
}

const str = (value: unknown): string =>
  typeof value === "string" ? value : JSON.stringify(value) ?? "";

/** What happened, in words, and the node it concerns (for --node filters). */
export function describeLine(line: TraceLine): { node: number | null; text: string } {
  const f = line as Record<string, unknown>;
  const node = typeof f["node"] === "number" ? f["node"] : null;
  switch (line.kind) {
    case "deliver":
      return {
        node: f["to"] as number, text: `${str(f["from"])}->${str(f["to"])} ${str(f["message"])}`,
      };
    case "drop":
      return {
        node: f["to"] as number,
        text: `${str(f["from"])}-x${str(f["to"])} dropped #${str(f["id"])} (${str(f["reason"])})`,
      };
    case "observe":
      return { node, text: describeObservation(f["observation"] as Record<string, unknown>) };
    case "fault":
      return { node: null, text: `FAULT ${str(f["fault"])}` };
    case "timer":
      return { node, text: `timer ${str(f["name"])}` };
    case "disk":
      return { node, text: `fsync done (write ${str(f["writeId"])})` };
    case "start":
      return { node, text: `START (${str(f["cause"])})` };
    case "crash":
      return { node, text: f["torn"] === null ? "CRASH" : `CRASH (torn ${str(f["torn"])})` };
    case "failure":
      return { node, text: `FAILURE ${str(f["message"])}` };
    default: {
      const { i: _i, t: _t, kind, ...rest } = line;
      return { node, text: `${kind} ${JSON.stringify(rest)}` };
    }
  }
}

function describeObservation(o: Record<string, unknown>): string {
  const hex = (v: unknown) => (typeof v === "number" ? `0x${v.toString(16)}` : str(v));
  switch (o["kind"]) {
    case "state":
      return `is ${str(o["state"])} (epoch ${str(o["epoch"])})`;
    case "established":
      return `ESTABLISHED leader of epoch ${str(o["epoch"])}, history to ${hex(o["lastZxid"])}`;
    case "propose":
      return `propose ${hex(o["zxid"])} ${str(o["txn"])}`;
    case "deliver":
      return `deliver ${hex(o["zxid"])} ${str(o["txn"])}`;
    case "restore":
      return `restore (${str(o["cause"])}) to ${hex(o["zxid"])}`;
    case "truncate":
      return `truncate to ${hex(o["zxid"])}`;
    case "invoke":
      return `client ${str(o["client"])} op ${str(o["op"])} -> ${str(o["node"])}: ` +
        requestText(o["request"]);
    case "complete":
      return `client ${str(o["client"])} op ${str(o["op"])} <- ${str(o["err"])} ` +
        `${hex(o["zxid"])}`;
    case "recipe":
      return recipeText(o["event"] as Record<string, unknown>, Number(o["session"]));
    default:
      return JSON.stringify(o);
  }
}

/**
 * One fixed-column line: time in ms, event index, node, text (the learner's sentence when given,
 * else the plain description).
 */
export function timelineLine(c: Colors, line: TraceLine, sentence?: string): string {
  const { node, text: plain } = describeLine(line);
  const text = sentence ?? plain;
  const time = `${(line.t / 1000).toFixed(3)} ms`.padStart(14);
  const index = `#${line.i}`.padStart(8);
  const who = node === null ? "  " : `n${node}`;
  const colored = line.kind === "fault" || line.kind === "crash" || line.kind === "failure" ||
    text.startsWith("VIOLATION") ? c.red(text) : line.kind === "observe" ? c.cyan(text) : text;
  return `${c.dim(time)} ${c.dim(index)} ${who.padEnd(4)} ${colored}`;
}

/** Mermaid-safe label text (no semicolons, hashes or newlines). */
function label(text: string): string {
  return text.replace(/[;#\n\r]/g, " ").slice(0, 160);
}

/**
 * A Mermaid sequence diagram of the first `count` deliveries and drops, with crashes as notes.
 * `sentence` gives the learner's text for a line (the plain description when absent).
 */
export function mermaid(
  lines: readonly TraceLine[], count: number, sentence?: (line: TraceLine) => string,
): string {
  const say = (line: TraceLine): string => sentence?.(line) ?? describeLine(line).text;
  const out = ["sequenceDiagram"];
  const participants = new Set<number>();
  const body: string[] = [];
  let messages = 0;
  for (const line of lines) {
    if (messages >= count) break;
    const f = line as Record<string, unknown>;
    if (line.kind === "deliver" || line.kind === "drop") {
      const from = Number(f["from"]);
      const to = Number(f["to"]);
      participants.add(from).add(to);
      const arrow = line.kind === "deliver" ? "->>" : "--x";
      body.push(`  n${from}${arrow}n${to}: ${label(say(line).replace(/^\S+ /, ""))}`);
      messages++;
    } else if (line.kind === "crash" || line.kind === "start" ||
      (line.kind === "observe" && say(line).startsWith("VIOLATION"))) {
      const node = Number(f["node"]);
      participants.add(node);
      body.push(`  Note over n${node}: ${label(say(line))}`);
    } else if (line.kind === "fault" && participants.size > 0) {
      const ends = [...participants].sort((a, b) => a - b);
      body.push(`  Note over n${ends[0]},n${ends[ends.length - 1]}: ${label(say(line))}`);
    }
  }
  for (const node of [...participants].sort((a, b) => a - b)) {
    out.push(`  participant n${node} as ${node >= 100 ? "client" : "server"} ${node}`);
  }
  return `${[...out, ...body].join("\n")}\n`;
}

