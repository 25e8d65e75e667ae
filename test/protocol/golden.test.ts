/**
 * Golden protocol scripts (etcd's datadriven style): each test/protocol/*.txt file is a sequence
 * of commands run on the harness, each followed by `----` and the output it must produce, e.g.
 * `2->1 ACK zxid=0x100000003`. A change in protocol behaviour shows up as a readable diff.
 * Rewrite the expected outputs with `UPDATE_GOLDEN=1 npx vitest run test/protocol/golden`, then
 * read the diff before committing it.
 *
 * Commands: start voters=N [observers=M] [bugs=a,b] [manual-persist] [initLimit=T]; elect;
 * session node=N; write node=N path=P; deliver [from=N] [to=N] [type=T] [count=K|all];
 * persist node=N [count=K]; stabilize; run ms=N [quiet] (quorum packets delivered, PINGs aside,
 * then state);
 * partition a=1,2 b=3; heal; clog a=1,2 b=3 (messages held, not lost); unclog; crash node=N;
 * restart node=N; state; replies; autopersist on|off; check (every checker of src/check on the
 * history so far: the violations, or "checkers: no violation").
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkRun } from "../../src/check/index.js";
import { formatZxid } from "../../src/util/index.js";
import type { BugName } from "../../src/consensus/index.js";
import { renderMessage } from "../../src/consensus/index.js";
import { OPEN_ACL_UNSAFE } from "../../src/tree/index.js";
import { Cluster } from "../helpers/cluster.js";
import type { InFlight } from "../helpers/cluster.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";

interface Block {
  readonly command: string;
  readonly expected: string;
}

function parse(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.split(/\n\s*\n/)) {
    const lines = chunk.split("\n").filter((l) => !l.startsWith("#"));
    const bar = lines.indexOf("----");
    if (bar === -1) continue;
    const command = lines.slice(0, bar).join(" ").trim();
    blocks.push({ command, expected: lines.slice(bar + 1).join("\n").trimEnd() });
  }
  return blocks;
}

/** The comment lines at the top of a script. */
function header(text: string): string[] {
  const out: string[] = [];
  for (const l of text.split("\n")) {
    if (!l.startsWith("#")) break;
    out.push(l);
  }
  return out;
}

function args(command: string): { name: string; flags: Map<string, string> } {
  const [name = "", ...rest] = command.split(/\s+/);
  const flags = new Map<string, string>();
  for (const token of rest) {
    const eq = token.indexOf("=");
    flags.set(eq === -1 ? token : token.slice(0, eq), eq === -1 ? "" : token.slice(eq + 1));
  }
  return { name, flags };
}

function line(m: InFlight): string {
  return `${m.from}->${m.to} ${renderMessage(m.msg)}`;
}

/** Runs scripts against one harness; `c` is set by `start`. */
class Runner {
  c: Cluster | undefined;
  private readonly sessions = new Map<number, number>();
  private nextRequest = 1;
  private repliesShown = 0;

  cluster(): Cluster {
    if (this.c === undefined) throw new Error("start first");
    return this.c;
  }

  run(command: string): string {
    const { name, flags } = args(command);
    const num = (key: string, fallback?: number): number => {
      const value = flags.get(key);
      if (value === undefined) {
        if (fallback === undefined) throw new Error(`${name} needs ${key}=`);
        return fallback;
      }
      return Number(value);
    };
    const ids = (key: string): number[] =>
      (flags.get(key) ?? "").split(",").filter(Boolean).map(Number);
    switch (name) {
      case "start": {
        const bugs = (flags.get("bugs") ?? "").split(",").filter(Boolean) as BugName[];
        const initLimit = flags.has("initLimit") ? { initLimit: num("initLimit") } : {};
        this.c = new Cluster({
          voters: num("voters"), observers: num("observers", 0), bugs,
          autoPersist: !flags.has("manual-persist"), config: initLimit,
        }).start();
        return this.state();
      }
      case "elect": {
        const leader = this.cluster().elect();
        return `leader ${leader} epoch ${this.cluster().replica(leader).currentEpoch}`;
      }
      case "session": {
        const node = num("node");
        const sessionId = this.cluster().openSession(node, 100 + node, this.nextRequest++);
        this.sessions.set(node, sessionId);
        return `session 0x${sessionId.toString(16)} on ${node}`;
      }
      case "write": {
        const node = num("node");
        const path = flags.get("path") ?? "/x";
        this.cluster().request(node, 100 + node, this.nextRequest++, {
          type: "create", path, data: null, acl: OPEN_ACL_UNSAFE, flags: 0,
        }, this.sessions.get(node) ?? 0);
        return this.pending();
      }
      case "deliver": return this.deliver(flags);
      case "persist": {
        const node = num("node");
        const out: string[] = [];
        for (let i = 0; i < num("count", 1); i++) {
          if (!this.cluster().persist(node)) break;
          out.push(`${node} persisted`);
        }
        return [...out, this.pending()].filter(Boolean).join("\n");
      }
      case "stabilize": {
        const before = this.cluster().log.length;
        this.cluster().stabilize();
        return this.cluster().log.slice(before).filter((l) => !l.includes("PING")).join("\n");
      }
      case "run": {
        const before = this.cluster().log.length;
        this.cluster().runFor(num("ms") * 1000);
        const shown = flags.has("quiet") ? [] : this.cluster().log.slice(before)
          .filter((l) => !l.includes("PING") && !l.includes("NOTIFICATION"));
        return [...shown, this.state()].join("\n");
      }
      case "partition":
        this.cluster().partition(ids("a"), ids("b"));
        return "";
      case "heal":
        this.cluster().heal();
        return "";
      case "clog":
        this.cluster().clog(ids("a"), ids("b"));
        return this.pending();
      case "unclog":
        this.cluster().unclog();
        return "";
      case "crash":
        this.cluster().crash(num("node"));
        return "";
      case "restart":
        this.cluster().restart(num("node"));
        return this.state();
      case "autopersist":
        this.cluster().autoPersist = flags.has("on");
        return "";
      case "state": return this.state();
      case "check": {
        const records = this.cluster().history.map((observation, index) => ({
          index, timeMicros: index, observation,
        }));
        const found = checkRun(records).violations;
        if (found.length === 0) return "checkers: no violation";
        return found.map((v) => `${v.checker}: ${v.message}`).join("\n");
      }
      case "replies": return this.replies();
      default: throw new Error(`unknown command ${name}`);
    }
  }

  private deliver(flags: Map<string, string>): string {
    const c = this.cluster();
    const match = (m: InFlight): boolean =>
      (!flags.has("from") || m.from === Number(flags.get("from"))) &&
      (!flags.has("to") || m.to === Number(flags.get("to"))) &&
      (!flags.has("type") || renderMessage(m.msg).startsWith(flags.get("type") ?? ""));
    const count = flags.has("all") ? Infinity : Number(flags.get("count") ?? 1);
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const m = c.deliver(match);
      if (m === undefined) break;
      out.push(line(m));
    }
    return [...out, this.pending()].filter(Boolean).join("\n");
  }

  /** Messages and writes waiting, one line each. */
  private pending(): string {
    const c = this.cluster();
    const out = c.inflight.map((m) => `  in flight: ${line(m)}`);
    for (const id of c.ids) {
      const writes = c.pendingWrites.get(id) ?? [];
      if (writes.length === 0) continue;
      const kinds = writes.map((w) => w.records.map((r) => r.type).join("+"));
      out.push(`  ${id} writing: ${kinds.join(", ")}`);
    }
    return out.join("\n");
  }

  private state(): string {
    const c = this.cluster();
    return c.ids.map((id) => {
      if (c.down.has(id)) return `${id} DOWN`;
      const r = c.replica(id);
      return `${id} ${r.state} ${r.zabState} epochs=${r.acceptedEpoch}/${r.currentEpoch} ` +
        `logged=${formatZxid(r.log.lastLoggedZxid)} ` +
        `processed=${formatZxid(r.stateMachine.lastProcessedZxid)}`;
    }).join("\n");
  }

  private replies(): string {
    const c = this.cluster();
    const shown = c.replies.slice(this.repliesShown).map((r) =>
      `${r.node} -> client ${r.client} #${r.requestId} ${r.result.err} ` +
      `zxid=${formatZxid(r.result.zxid)}`);
    this.repliesShown = c.replies.length;
    return shown.join("\n");
  }
}

const files = readdirSync(HERE).filter((f) => f.endsWith(".txt")).sort();

describe("golden protocol scripts", () => {
  for (const file of files) {
    it(file, () => {
      const path = join(HERE, file);
      const text = readFileSync(path, "utf8");
      const runner = new Runner();
      const blocks = parse(text);
      const actual = blocks.map((b) => ({
        command: b.command, output: runner.run(b.command).trimEnd(),
      }));
      if (UPDATE) {
        const body = actual.map((a) => `${a.command}\n----\n${a.output}`.trimEnd()).join("\n\n");
        writeFileSync(path, `${[...header(text), ""].join("\n")}${body}\n`);
        return;
      }
      for (let i = 0; i < blocks.length; i++) {
        const command = blocks[i]?.command;
        expect(`${command}\n${actual[i]?.output}`).toBe(`${command}\n${blocks[i]?.expected}`);
      }
    });
  }
});
