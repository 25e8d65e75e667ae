/**
 * The command table: name -> handler, and the top-level help listing them.
 */
import type { CliIo } from "../io.js";
import { checkCommand } from "./check.js";
import { demoCommand } from "./demo.js";
import { keysCommand } from "./keys.js";
import { mergeCommand } from "./merge.js";
import { replayCommand } from "./replay.js";
import { runCommand } from "./run.js";
import { scriptCommand } from "./script.js";
import { showCommand } from "./show.js";
import { shrinkCommand } from "./shrink.js";
import { sweepCommand } from "./sweep.js";

/** A command: its arguments (after the name) -> exit code. */
export type Command = (argv: readonly string[], io: CliIo) => number | Promise<number>;

/** Every command by name, in the order the help lists them. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ["run", runCommand],
  ["sweep", sweepCommand],
  ["merge", mergeCommand],
  ["replay", replayCommand],
  ["shrink", shrinkCommand],
  ["script", scriptCommand],
  ["show", showCommand],
  ["demo", demoCommand],
  ["check", checkCommand],
  ["keys", keysCommand],
]);

/** `zabsim --help`: the commands and the exit codes. */
export function topHelp(): string {
  return [
    "usage: zabsim COMMAND [options]      (zabsim COMMAND --help lists every option)",
    "",
    "A deterministic simulator of a ZooKeeper ensemble, judged by checkers.",
    "",
    "commands:",
    "  run      one seeded run: faults, heal, liveness, every checker (--json, --trace FILE)",
    "  sweep    many seeds (--seeds A..B); lists failing seeds with their replay line",
    "  merge    join the --json results of sweep shards (--shard K/N) as one whole sweep",
    "  replay   run a saved run file (or a seed, twice) again and compare trace hashes",
    "  shrink   minimise the faults of a failing run while it still fails",
    "  show     render a run file or trace as a timeline or a Mermaid diagram",
    "  demo     a narrated small run for learners",
    "  script   run a client scenario file (--against HOST:PORT for a real server)",
    "  check    check a Jepsen history for linearizability (exit 3: unknown)",
  "  keys     the key service on a real ZooKeeper ensemble (--server HOST:PORT[,...], TLS)",
    "",
    "exit codes: 0 every check held, 1 a check failed, 2 bad usage or bad input",
    "",
  ].join("\n");
}
