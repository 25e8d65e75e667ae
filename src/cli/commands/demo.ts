/**
 * `zabsim demo`: a narrated small run for learners. Three servers and one client, no random
 * faults: the servers elect a leader, the client writes, then the demo crashes the leader, the
 * others elect a new one, the old leader restarts and catches up, and the checkers judge it all.
 * The narration is read off the run's trace, so what it tells is what happened.
 */
import { intOf, parseOptions, renderHelp } from "../args.js";
import type { OptionSpec } from "../args.js";
import type { Colors } from "../format.js";
import { colorsFor, ms, violationLine } from "../format.js";
import type { CliIo } from "../io.js";
import { SEED_SPEC } from "../run-flags.js";
import type { TraceLine } from "../timeline.js";
import { describeLine } from "../timeline.js";
import { tracedRun } from "../traced.js";
import { resolveRunOptions } from "../../run/index.js";
import type { RunOptions } from "../../run/index.js";

const SPECS: readonly OptionSpec[] = [SEED_SPEC];

const HELP = renderHelp("zabsim demo [--seed N]", [
  "A narrated small run: election, a few writes, a leader crash, a new election, recovery.",
], SPECS);

const CRASH_AT_MS = 2_500;
const RESTART_AT_MS = 4_500;

/** The demo's ensemble; `schedule` crashes and restarts `leader`. */
function demoOptions(leader: number | null): RunOptions {
  const schedule = leader === null ? [] : [
    { atMicros: CRASH_AT_MS * 1000, fault: { kind: "crash" as const, node: leader } },
    { atMicros: RESTART_AT_MS * 1000, fault: { kind: "restart" as const, node: leader } },
  ];
  return resolveRunOptions({
    replicas: 3, clients: 1, durationMs: 6_000, livenessMs: 3_000, faults: "none", schedule,
  });
}

/** The server leading just before the crash: the last one to report LEADING (1 if none). */
function leaderBefore(lines: readonly TraceLine[], atMs: number): number {
  let leader = 1;
  for (const line of lines) {
    if (line.t > atMs * 1000) break;
    const o = line["observation"] as Record<string, unknown> | undefined;
    if (line.kind === "observe" && o?.["kind"] === "state" && o["state"] === "LEADING") {
      leader = Number(o["node"]);
    }
  }
  return leader;
}

/** Which trace lines the story tells: roles, leaders, faults, restores, and a few client writes. */
function narrated(lines: readonly TraceLine[]): TraceLine[] {
  const out: TraceLine[] = [];
  let writesShown = 0;
  let afterFault = false;
  for (const line of lines) {
    const o = line["observation"] as Record<string, unknown> | undefined;
    const kind = line.kind === "observe" ? String(o?.["kind"]) : line.kind;
    if (kind === "restore" && o?.["zxid"] === 0) continue; // a boot on an empty disk
    if (kind === "fault" || kind === "state" || kind === "established" || kind === "restore" ||
      kind === "truncate") {
      if (kind === "fault") afterFault = true;
      out.push(line);
    } else if (kind === "complete" && o?.["txn"] !== null && o?.["err"] === "OK") {
      if (writesShown < 3 || (afterFault && writesShown < 8)) {
        out.push(line);
        writesShown++;
        afterFault = false;
      }
    }
  }
  return out;
}

/** One sentence for a narrated trace line. */
function sentence(line: TraceLine): string {
  const o = (line["observation"] ?? {}) as Record<string, unknown>;
  const f = (line["fault"] ?? {}) as Record<string, unknown>;
  const hex = (v: unknown) => `0x${Number(v).toString(16)}`;
  const server = `server ${String(line["node"])}`;
  switch (line.kind === "observe" ? String(o["kind"]) : line.kind) {
    case "state":
      return o["state"] === "LOOKING" ? `${server} is LOOKING: it runs Fast Leader Election`
        : `${server} is ${String(o["state"])}`;
    case "established":
      return `${server} is the established leader of epoch ${String(o["epoch"])}: a quorum ` +
        `acknowledged NEWLEADER; its history ends at ${hex(o["lastZxid"])}`;
    case "restore":
      return o["cause"] === "snap"
        ? `${server} installs a SNAP of the leader's tree at ${hex(o["zxid"])}`
        : `${server} recovers its tree from disk (snapshot + log) up to ${hex(o["zxid"])}`;
    case "truncate":
      return `${server} truncates its log to ${hex(o["zxid"])} (TRUNC from the leader)`;
    case "complete":
      return `client ${String(o["client"])} is told its write committed at zxid ${hex(o["zxid"])}`;
    case "fault":
      if (f["kind"] === "crash") {
        return `server ${String(f["node"])} CRASHES: memory and unsynced writes are lost`;
      }
      if (f["kind"] === "restart") return `server ${String(f["node"])} restarts`;
      return `the faults stop (${String(f["kind"])})`;
    default:
      return describeLine(line).text;
  }
}

function story(c: Colors, line: TraceLine): string {
  const text = sentence(line);
  const shown = line.kind === "fault" ? c.red(text) : text;
  return `${c.dim(ms(line.t / 1000).padStart(12))}  ${shown}`;
}

/** `zabsim demo [--seed N]`. */
export function demoCommand(argv: readonly string[], io: CliIo): number {
  const parsed = parseOptions("demo", SPECS, argv, 0);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const seed = intOf(parsed, "seed");
  const c = colorsFor(io);
  const probe = tracedRun(io, seed, demoOptions(null));
  const leader = leaderBefore(probe.lines, CRASH_AT_MS);
  const run = tracedRun(io, seed, demoOptions(leader));
  const out = [
    c.bold(`zabsim demo (seed ${seed}): three ZooKeeper servers (1, 2, 3) and one client (101).`),
    "Each line is read from the run's trace: simulated time, then what happened.",
    `At ${CRASH_AT_MS} ms the demo crashes the leader (server ${leader}); ` +
      `at ${RESTART_AT_MS} ms it restarts it.`,
    "",
    ...narrated(run.lines).map((line) => story(c, line)),
    "",
    `${run.report.committed} transactions committed, ${run.report.leaderChanges} leaders ` +
      `established, ${run.report.events} events in ${ms(run.wallMs)} of wall time.`,
  ];
  if (run.report.violations.length === 0) {
    out.push(c.green("Every checker held: no committed write was lost or reordered."));
  } else {
    out.push(c.red("The checkers found violations:"));
    out.push(...run.report.violations.slice(0, 5).map((v) => violationLine(c, v)));
  }
  out.push("Next: zabsim run (the standard fault mix); zabsim run --trace t.jsonl, then",
    "zabsim show t.jsonl (every event); zabsim run --bug list (planted bugs to catch).");
  io.stdout(`${out.join("\n")}\n`);
  return run.report.violations.length === 0 ? 0 : 1;
}
