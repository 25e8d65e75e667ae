/**
 * Human rendering: colours (only on a terminal, never with NO_COLOR, per shared/spec/cli.md),
 * the run summary, violations, and the readable timeline of trace records.
 */
import { Chalk } from "chalk";
import type { ChalkInstance } from "chalk";
import type { RunReport, RunViolation } from "../run/index.js";
import type { ScheduledFault } from "../sim/index.js";
import type { CliIo } from "./io.js";
import { knobWords } from "./run-flags.js";

/** The colour functions a command uses; all identity functions when colour is off. */
export type Colors = ChalkInstance;

/** Colour on a terminal unless NO_COLOR is set (to anything, https://no-color.org). */
export function colorsFor(io: CliIo): Colors {
  const off = io.env["NO_COLOR"] !== undefined || !io.isTTY;
  return new Chalk({ level: off ? 0 : 1 });
}

/** "1234.5 ms" with at most 3 decimals. */
export function ms(value: number): string {
  return `${Number(value.toFixed(3))} ms`;
}

/** "1 leader", "2 leaders". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** One line per violation; one in a run that corrupted synced records says so. */
export function violationLine(c: Colors, violation: RunViolation): string {
  const outside = violation.faultModel === "outside"
    ? ` ${c.yellow("(outside ZAB's fault model)")}` : "";
  return `  ${c.red(`[${violation.checker}]`)}${outside} at ${ms(violation.simTimeMs)} ` +
    `(event ${violation.event}): ${violation.message}`;
}

/** Why violations after a corruption are not protocol bugs (nor hidden). */
export const OUTSIDE_NOTE = "note: synced records were corrupted; ZAB assumes a disk returns " +
  "what it synced, so these violations lie outside its fault model " +
  "(ZooKeeper itself can lose a committed write this way: Alagappan et al., FAST 2018)";

/** Why violations under an attacker on plain quorum traffic are not protocol bugs either. */
export const ADVERSARY_NOTE = "note: an attacker forged and altered plain quorum traffic; ZAB " +
  "assumes servers' messages arrive as sent, so these violations lie outside its fault model " +
  "(ZooKeeper guards the quorum with sslQuorum: --secure-quorum on, docs/security.md)";

/** Fault counts by kind: "crash 2, partition 3". */
export function faultSummary(faults: readonly ScheduledFault[]): string {
  const counts = new Map<string, number>();
  for (const { fault } of faults) counts.set(fault.kind, (counts.get(fault.kind) ?? 0) + 1);
  const parts = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${kind} ${n}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/** One fault as a readable line. */
export function faultLine(entry: ScheduledFault): string {
  const f = entry.fault;
  const at = ms(entry.atMicros / 1000).padStart(12);
  switch (f.kind) {
    case "crash":
    case "restart":
      return `${at}  ${f.kind} node ${f.node}`;
    case "partition":
      return `${at}  partition [${f.from.join(",")}] ${f.oneWay ? "->" : "<->"} ` +
        `[${f.to.join(",")}]`;
    case "clog":
      return `${at}  clog [${f.from.join(",")}] ${f.oneWay ? "->" : "<->"} ` +
        `[${f.to.join(",")}] for ${ms(f.durationMicros / 1000)}`;
    case "loss-burst":
      return `${at}  loss-burst loss ${f.lossProbability} dup ${f.duplicateProbability} ` +
        `for ${ms(f.durationMicros / 1000)}`;
    case "clock-jump":
      return `${at}  clock-jump node ${f.node} by ${ms(f.deltaMicros / 1000)}`;
    case "pause":
      return `${at}  pause node ${f.node} for ${ms(f.durationMicros / 1000)}`;
    case "corrupt":
      return `${at}  corrupt node ${f.node} (pick ${f.pick})`;
    case "heal-partitions":
    case "unclog":
    case "heal":
      return `${at}  ${f.kind}`;
  }
}

/** The human summary of one run (without the replay line). */
export function runSummary(c: Colors, report: RunReport, wallMs: number): string[] {
  const o = report.options;
  const knobs = knobWords(o);
  const speed = wallMs > 0 ? ` (${Math.round(report.simTimeMs / wallMs)}x real time)` : "";
  const thing = o.clients === 0 ? "leader" : "write";
  const recovery = report.recoveryMs === null ? `no ${thing} after the heal`
    : `first ${thing} ${ms(report.recoveryMs)} after the heal`;
  const lines = [
    `${c.bold(`seed ${report.seed}`)}: ${o.replicas} replicas, ${o.observers} observers, ` +
      `${o.clients} clients, ${o.durationMs} ms with faults "${o.faults}" + ${o.livenessMs} ms ` +
      `healed${o.bug === null ? "" : `, planted bug ${c.yellow(o.bug)}`}`,
    `  ${report.events} events, ${ms(report.simTimeMs)} simulated in ${ms(wallMs)}${speed}`,
    `  faults: ${faultSummary(report.faults)}`,
    ...(knobs.length === 0 ? [] : [`  world: ${knobs.join(" ")}`]),
    `  committed ${plural(report.committed, "txn")}, ` +
      `${plural(report.leaderChanges, "leader")} established, ${recovery}`,
    `  linearizability ${report.linearizability === "unknown"
      ? c.yellow("unknown (search budget ran out)") : report.linearizability}` +
      (report.allowed.staleSyncReads === 0 ? ""
        : `, ${plural(report.allowed.staleSyncReads, "stale sync read")} (allowed)`),
    `  trace hash ${report.traceHash}`,
  ];
  if (report.violations.length === 0) {
    lines.push(c.green("PASS: every check held"));
  } else {
    const n = report.violations.length;
    lines.push(c.red(`FAIL: ${n} violation${n === 1 ? "" : "s"}`));
    for (const violation of report.violations) lines.push(violationLine(c, violation));
    if (report.violations.some((v) => v.faultModel === "outside")) {
      const attacked = report.options.faults === "adversary" && !report.options.secureQuorum;
      lines.push(c.yellow(attacked ? ADVERSARY_NOTE : OUTSIDE_NOTE));
    }
  }
  return lines;
}
