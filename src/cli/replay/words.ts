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

/** A recipe client's event in words (docs/recipes.md); `session` is the session it spoke on. */
export function recipeText(event: Readonly<Record<string, unknown>>, session: number): string {
  const s = `session ${session.toString(16)}`;
  switch (event["type"]) {
    case "acquired":
      return `TAKES the ${String(event["mode"])} lock ${String(event["lock"])} (${s}, its node ` +
        `${String(event["holder"])}, fencing token ${zx(Number(event["token"]))})`;
    case "releasing":
      return `releases ${String(event["lock"])}: it deletes ${String(event["holder"])}`;
    case "resource": {
      const token = zx(Number(event["token"]));
      const newest = zx(Number(event["newest"]));
      return event["accepted"] === true
        ? `writes to ${String(event["resource"])} with token ${token}: ACCEPTED`
        : `writes to ${String(event["resource"])} with token ${token}: REFUSED, the resource ` +
          `already took the newer token ${newest} (fencing)`;
    }
    case "leader":
      return `LEADS ${String(event["group"])} for epoch ${zx(Number(event["epoch"]))} (${s}, ` +
        `the lowest candidate ${String(event["candidate"])})`;
    case "resign":
      return `resigns the leadership of ${String(event["group"])}`;
    case "joined":
      return `joins ${String(event["group"])} as ${String(event["member"])}`;
    case "leaving":
      return `leaves ${String(event["group"])}`;
    case "view":
      return `sees ${String(event["group"])} as {${String(event["members"])}}`;
    case "task-failed":
      return `its recipe task THREW: ${String(event["message"])}`;
    default:
      return dataRecipeText(event) ?? `recipe event ${JSON.stringify(event)}`;
  }
}

/** The data recipes' events (configuration, cache, queue, barrier) in words. */
function dataRecipeText(event: Readonly<Record<string, unknown>>): string | undefined {
  const entries = (): string => {
    const list = event["entries"] as readonly Record<string, unknown>[];
    return `{${list.map((e) => e["path"] === undefined
      ? `${String(e["key"]) || "."}=${String(e["counter"])}`
      : `${String(e["path"])}=${String(e["data"])}`).join(", ")}}`;
  };
  switch (event["type"]) {
    case "config-adopt":
      return `adopts configuration ${String(event["counter"])} of ${String(event["config"])} ` +
        `entry "${String(event["key"])}" (read at ${zx(Number(event["mzxid"]))})`;
    case "config-final":
      return `reads the settled configuration ${String(event["config"])}: ${entries()}`;
    case "cache-content":
      return `its cache of ${String(event["root"])} now holds ${entries()}`;
    case "cache-final":
      return `reads the settled subtree ${String(event["root"])}: ${entries()}`;
    case "queue-enqueued":
      return `ENQUEUED ${String(event["item"])} on ${String(event["queue"])} (acknowledged)`;
    case "queue-processed":
      return `PROCESSED ${String(event["item"])} from ${String(event["queue"])}`;
    case "barrier":
      return `barrier ${String(event["barrier"])} round ${String(event["round"])}: ` +
        `${String(event["step"])} (${String(event["members"])} members)`;
    default:
      return undefined;
  }
}
