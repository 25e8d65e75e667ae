/**
 * Reads a Jepsen history as a Jepsen store's history.edn holds it: one operation map per line,
 * or one vector (or list) of maps, with `;` comments. The EDN is parsed by edn-data's streaming
 * parser, fed line by line so that every entry (and every error) is known by its line.
 */
import { toEDNString } from "edn-data";
import { EDNListParser } from "edn-data/dist/parse.js";
import type { Datum, JepsenEvent } from "../check/linear/jepsen.js";
import { JepsenHistoryError } from "../check/linear/jepsen.js";

const TYPES = new Set(["invoke", "ok", "fail", "info"]);

type Parsed = unknown;

const isKeyword = (value: Parsed): value is { key: string } =>
  typeof value === "object" && value !== null && "key" in value &&
  typeof (value as { key: unknown }).key === "string" && Object.keys(value).length === 1;

/** An edn-data value in the checker's neutral form. */
export function datumOf(value: Parsed): Datum {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    return value;
  }
  if (typeof value === "bigint") return { edn: `${value}N` };
  if (Array.isArray(value)) return value.map(datumOf);
  if (isKeyword(value)) return { kw: value.key };
  return { edn: ednTextOf(value) };
}

function ednTextOf(value: Parsed): string {
  const text = (item: Parsed): string => {
    const datum = datumOf(item);
    if (datum === null) return "nil";
    if (typeof datum === "object" && !Array.isArray(datum)) {
      return "kw" in datum ? `:${datum.kw}` : (datum as { edn: string }).edn;
    }
    return Array.isArray(datum) ? ednTextOf(item) : JSON.stringify(datum);
  };
  if (Array.isArray(value)) return `[${value.map(text).join(" ")}]`;
  if (value instanceof Map) {
    const pairs = [...value.entries()].map(([k, v]) => `${text(k)} ${text(v)}`).sort();
    return `{${pairs.join(", ")}}`;
  }
  if (value instanceof Set) return `#{${[...value].map(text).sort().join(" ")}}`;
  const object = value as { sym?: string; tag?: string; val?: Parsed };
  if (typeof object.sym === "string") return object.sym;
  if (typeof object.tag === "string") return `#${object.tag} ${text(object.val)}`;
  return JSON.stringify(value);
}

function field(map: Map<Parsed, Parsed>, name: string): Parsed {
  for (const [key, value] of map) if (isKeyword(key) && key.key === name) return value;
  return undefined;
}

function processOf(line: number, value: Parsed): number | string | null {
  if (isKeyword(value)) return value.key === "nemesis" ? null : value.key;
  if (typeof value === "number" || typeof value === "string") return value;
  throw new JepsenHistoryError(line, "an operation needs a :process (a number or :nemesis)");
}

/** One parsed entry as an event, or the one-line error naming its line. */
export function eventOf(line: number, entry: Parsed): JepsenEvent {
  if (!(entry instanceof Map)) {
    throw new JepsenHistoryError(line, "expected an operation map such as " +
      "{:process 0, :type :invoke, :f :read, :value nil}");
  }
  const type = field(entry, "type");
  if (!isKeyword(type) || !TYPES.has(type.key)) {
    throw new JepsenHistoryError(line, ":type must be :invoke, :ok, :fail or :info");
  }
  const process = processOf(line, field(entry, "process"));
  const f = field(entry, "f");
  const fName = isKeyword(f) ? f.key : typeof f === "string" ? f : null;
  if (fName === null && process !== null) {
    throw new JepsenHistoryError(line, "an operation needs an :f (such as :read)");
  }
  const time = field(entry, "time");
  const error = field(entry, "error");
  const errorHead = Array.isArray(error) ? error[0] : error;
  return {
    line, process, type: type.key as JepsenEvent["type"], f: fName ?? "",
    value: datumOf(field(entry, "value")), time: typeof time === "number" ? time : null,
    error: isKeyword(errorHead) ? errorHead.key : null,
  };
}

/**
 * The text with the outer vector's or list's brackets blanked out (so its maps parse as
 * top-level entries, each on its own line), or unchanged when the file holds bare maps.
 */
function unwrapped(text: string): string {
  const opening = /^(?:\s|,|;[^\n]*)*([[(])/.exec(text);
  if (opening === null) return text;
  const open = opening[0].length - 1;
  const closer = opening[1] === "[" ? "]" : ")";
  const trailing = /[\])](?:\s|,|;[^\n]*)*$/.exec(text);
  if (trailing === null || trailing[0][0] !== closer) {
    const line = text.split("\n").length;
    throw new JepsenHistoryError(line, `the history's opening "${opening[1]}" is never closed`);
  }
  const close = trailing.index;
  return `${text.slice(0, open)} ${text.slice(open + 1, close)} ${text.slice(close + 1)}`;
}

/** Parses a history file's text into events; throws JepsenHistoryError naming the line. */
export function readJepsenHistory(text: string): JepsenEvent[] {
  const parser = new EDNListParser({
    mapAs: "map", keywordAs: "object", listAs: "array", setAs: "set", symbolAs: "object",
    charAs: "string", tagHandlers: { "jepsen.independent/tuple": (value) => value },
  });
  const events: JepsenEvent[] = [];
  const lines = unwrapped(text).split("\n");
  let started = 1;
  lines.forEach((content, index) => {
    const line = index + 1;
    if (parser.stack.length === 0) started = line;
    let values: Parsed[];
    try {
      values = parser.next(`${content}\n`);
    } catch (error) {
      throw new JepsenHistoryError(line, `not EDN (${(error as Error).message})`);
    }
    for (const value of values) events.push(eventOf(line, value));
  });
  const rest = parser.next(" ");
  for (const value of rest) events.push(eventOf(lines.length, value));
  if (parser.stack.length > 0 || parser.mode !== 0) {
    throw new JepsenHistoryError(started, "an entry starting here is never closed");
  }
  return events;
}

/** A neutral value as edn-data's generator takes it (keywords as { key }). */
function ednValueOf(datum: Datum): unknown {
  if (datum === null || typeof datum !== "object") return datum;
  if (Array.isArray(datum)) return datum.map(ednValueOf);
  if ("kw" in datum) return { key: datum.kw };
  return { sym: (datum as { edn: string }).edn };
}

/** Events as a Jepsen history.edn: one operation map a line. */
export function writeJepsenHistory(events: readonly JepsenEvent[]): string {
  return events.map((event) => {
    const pairs: [unknown, unknown][] = [
      [{ key: "process" }, event.process === null ? { key: "nemesis" } : event.process],
      [{ key: "type" }, { key: event.type }],
      [{ key: "f" }, { key: event.f }],
      [{ key: "value" }, ednValueOf(event.value)],
    ];
    if (event.time !== null) pairs.push([{ key: "time" }, event.time]);
    if (event.error !== null) pairs.push([{ key: "error" }, { key: event.error }]);
    return `${toEDNString({ map: pairs } as Parameters<typeof toEDNString>[0])}\n`;
  }).join("");
}
