/**
 * `zabsim demo [NAME]`: narrated small runs for learners. Without a NAME it lists them; each
 * runs three ZooKeeper servers and one client with no random faults, tells the story in the
 * learner's sentences (src/cli/replay/narrator.ts: votes and why a server wins, PROPOSAL, the
 * quorum of ACKs and COMMIT for a named write, DIFF/TRUNC/SNAP and why), lets the checkers
 * judge it, and with `--html OUT` writes the replay page to explore it. The narration is read
 * off the run's trace, so what it tells is what happened.
 */
import { intOf, parseOptions, renderHelp, UsageError } from "../args.js";
import type { OptionSpec } from "../args.js";
import type { Colors } from "../format.js";
import { colorsFor, ms, violationLine } from "../format.js";
import { writeReplayPage } from "../html/page.js";
import type { CliIo } from "../io.js";
import { SEED_SPEC } from "../run-flags.js";
import type { TraceLine } from "../timeline.js";
import type { Replay } from "../replay/replay.js";
import { markedText, replayOfRun } from "../replay/replay.js";
import { DEMOS } from "./demos.js";
import type { Demo } from "./demos.js";

const SPECS: readonly OptionSpec[] = [
  SEED_SPEC,
  {
    name: "html", kind: "text", defaultValue: null, placeholder: "OUT",
    help: "also write the demo's HTML replay to OUT (open it in a browser)",
  },
];

const HELP = renderHelp("zabsim demo [NAME] [--seed N] [--html OUT]", [
  "Narrated small runs for learners; without NAME, lists them.",
], SPECS, [
  "zabsim demo",
  "zabsim demo election --html election.html",
]);

function listing(): string {
  const width = Math.max(...DEMOS.map((d) => d.name.length));
  return [
    "demos (zabsim demo NAME [--html OUT]):",
    ...DEMOS.map((d) => `  ${d.name.padEnd(width)}  ${d.summary}`),
    "",
  ].join("\n");
}

function story(c: Colors, replay: Replay, k: number): string {
  const line = replay.lines[k] as TraceLine;
  const text = markedText(replay, k);
  const node = typeof line["node"] === "number" ? `${line["node"] >= 100 ? "client" : "server"} ` +
    `${line["node"]}: ` : "";
  const shown = line.kind === "fault" ? c.red(text) : `${node}${text}`;
  return `${c.dim(ms(line.t / 1000).padStart(12))}  ${shown}`;
}

function verdictLines(c: Colors, replay: Replay): string[] {
  const report = replay.report;
  if (report === null) return [];
  const out = [
    `${report.committed} transactions committed, ${report.leaderChanges} leaders established, ` +
      `${report.events} events in ${ms(replay.wallMs)} of wall time.`,
  ];
  if (report.violations.length === 0) {
    out.push(c.green("Every checker held: no committed write was lost or reordered."));
  } else {
    out.push(c.red("The checkers found violations:"));
    out.push(...report.violations.slice(0, 5).map((v) => violationLine(c, v)));
  }
  return out;
}

async function runDemo(
  io: CliIo, demo: Demo, seed: number, html: string | null,
): Promise<number> {
  const c = colorsFor(io);
  const probe = await replayOfRun(io, seed, demo.options(null));
  const leader = demo.leaderOf(probe.lines);
  const replay = await replayOfRun(io, seed, demo.options(leader));
  const out = [
    c.bold(`zabsim demo ${demo.name} (seed ${seed}): three ZooKeeper servers (1, 2, 3) and ` +
      "one client (101)."),
    "Each line is read from the run's trace: simulated time, then what happened and why.",
    ...demo.intro(leader),
    "",
    ...demo.pick(replay.lines).map((k) => story(c, replay, k)),
    "",
    ...verdictLines(c, replay),
  ];
  if (html !== null) {
    writeReplayPage(io, html, replay, `demo ${demo.name}`);
    out.push(`Wrote the replay to ${html}: open it in a browser to scrub through the run.`);
  } else {
    out.push(`Next: zabsim demo ${demo.name} --html demo.html (scrub through it in a browser);`,
      "zabsim run --trace t.jsonl, then zabsim show t.jsonl; zabsim run --bug list.");
  }
  io.stdout(`${out.join("\n")}\n`);
  return (replay.report?.violations.length ?? 0) === 0 ? 0 : 1;
}

/** `zabsim demo [NAME] [--seed N] [--html OUT]`. */
export function demoCommand(argv: readonly string[], io: CliIo): number | Promise<number> {
  const parsed = parseOptions("demo", SPECS, argv, 1);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const name = parsed.positionals[0];
  if (name === undefined) {
    io.stdout(listing());
    return 0;
  }
  const demo = DEMOS.find((d) => d.name === name);
  if (demo === undefined) {
    throw new UsageError(`unknown demo "${name}" (demos: ${DEMOS.map((d) => d.name).join(", ")})`);
  }
  const html = parsed.values.get("html");
  return runDemo(io, demo, intOf(parsed, "seed"), typeof html === "string" ? html : null);
}
