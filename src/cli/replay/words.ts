/**
 * The learner's vocabulary, shared by the text timeline, the Mermaid diagram and the HTML page:
 * one notation for zxids (ZooKeeper's hex with epoch:counter, as the checkers write them), and
 * faults in words rather than JSON.
 */
import { counterOf, epochOf, formatZxid } from "../../util/index.js";

/** `0x100000003 (1:3)`: ZooKeeper's hex, then epoch:counter. */
export function zx(zxid: number): string {
  return `${formatZxid(zxid)} (${epochOf(zxid)}:${counterOf(zxid)})`;
}

/** Rewrites every `0x…` zxid in a rendered message into the one notation. */
export function withZxids(text: string): string {
  return text.replace(/\b0x([0-9a-f]+)\b/g, (_match, hex: string) => zx(parseInt(hex, 16)));
}

/** A node in words: servers by number, clients from 101 on. */
export function who(node: number): string {
  return node >= 100 ? `client ${node}` : `server ${node}`;
}

const set = (nodes: unknown): string =>
  `{${(Array.isArray(nodes) ? nodes : []).map(String).join(",")}}`;

const millis = (micros: unknown): string => `${Math.round(Number(micros) / 1000)} ms`;

/** A fault of the plan in words (`fault` is the trace's fault object). */
export function faultText(fault: Readonly<Record<string, unknown>>): string {
  const node = who(Number(fault["node"]));
  switch (fault["kind"]) {
    case "crash":
      return `${node} CRASHES: its memory and unsynced writes are lost`;
    case "restart":
      return `${node} restarts and recovers from its disk`;
    case "partition":
      return fault["oneWay"] === true
        ? `one-way partition: messages from ${set(fault["from"])} to ${set(fault["to"])} are lost`
        : `network partition: ${set(fault["from"])} cannot reach ${set(fault["to"])}`;
    case "heal-partitions":
      return "every partition heals";
    case "clog":
      return `the links ${set(fault["from"])}${fault["oneWay"] === true ? "->" : "<->"}` +
        `${set(fault["to"])} clog for ${millis(fault["durationMicros"])} ` +
        "(messages wait, then arrive in order)";
    case "unclog":
      return "every clogged link opens";
    case "loss-burst":
      return `a burst of message loss (${Math.round(Number(fault["lossProbability"]) * 100)}%)` +
        ` for ${millis(fault["durationMicros"])}`;
    case "clock-jump": {
      const delta = Number(fault["deltaMicros"]);
      return `${node}'s clock jumps ${delta < 0 ? "back" : "ahead"} ${millis(Math.abs(delta))}`;
    }
    case "pause":
      return `${node} PAUSES for ${millis(fault["durationMicros"])} (a long GC stall): it ` +
        "takes no steps, then resumes with its old beliefs";
    case "corrupt":
      return `a bit flips in a synced record on ${node}'s disk (outside ZAB's fault model)`;
    case "heal":
      return "the faults stop: partitions and clogs end, crashed servers restart (liveness phase)";
    default:
      return `fault ${JSON.stringify(fault)}`;
  }
}
