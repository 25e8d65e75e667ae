/**
 * `zabsim script FILE [--against HOST:PORT]`: runs a client scenario file (shared/spec/
 * script-format.md) on the simulated standalone server (a file with `servers`: on a simulated
 * ensemble), or on a real ZooKeeper server with --against, and prints one JSON line per step
 * (or per scenario). A malformed file is one line on stderr and exit 2.
 */
import { parseOptions, renderHelp, textOf, UsageError } from "../args.js";
import type { OptionSpec } from "../args.js";
import type { CliIo } from "../io.js";
import { readText } from "../io.js";
import { inputKind, suggestion } from "../input-kind.js";
import { runAgainst } from "../../real/index.js";
import { runScriptText } from "../../run/script.js";

const SPECS: readonly OptionSpec[] = [
  {
    name: "against", kind: "text", defaultValue: null, placeholder: "HOST:PORT",
    help: "run on a real ZooKeeper server instead of the simulated one",
  },
];

const HELP = renderHelp("zabsim script FILE [--against HOST:PORT]", [
  "Runs a scenario file and prints one JSON result line per step.",
], SPECS, [
  "zabsim script scenarios/watches-one-shot.json",
  "zabsim script scenario.json --against localhost:2181",
]);

/** Reads HOST:PORT (port 1..65535) or throws the one-line error. */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(.+):([0-9]{1,5})$/.exec(text);
  const port = match?.[2] === undefined ? Number.NaN : Number(match[2]);
  if (match === null || match[1] === undefined || !(port >= 1 && port <= 65535)) {
    throw new UsageError(`--against takes HOST:PORT with a port from 1 to 65535, got "${text}"`);
  }
  return { host: match[1].replace(/^\[(.*)\]$/, "$1"), port };
}

/** `zabsim script FILE [--against HOST:PORT]`. */
export async function scriptCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions("script", SPECS, argv, 1);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const path = parsed.positionals[0];
  if (path === undefined) throw new UsageError("script needs a FILE (a scenario file)");
  const against = textOf(parsed, "against");
  const target = against === null ? null : parseHostPort(against);
  const text = readText(io, path);
  const kind = inputKind(text);
  if (kind !== "scenario" && kind !== "other") throw new UsageError(suggestion(kind, path));
  if (target === null) {
    const local = runScriptText(text);
    if (!local.ok) throw new UsageError(`${path}: ${local.error}`);
    if (local.lines.length === 0) {
      throw new UsageError(`${path} has no steps: nothing to run (see docs/scripts.md)`);
    }
    io.stdout(local.lines.map((line) => `${line}\n`).join(""));
    return 0;
  }
  const outcome = await runAgainst(text, target.host, target.port);
  if (!outcome.ok) throw new UsageError(`${path}: ${outcome.error}`);
  if (outcome.lines.length === 0) {
    throw new UsageError(`${path} has no steps: nothing to run (see docs/scripts.md)`);
  }
  io.stdout(outcome.lines.map((line) => `${line}\n`).join(""));
  return 0;
}
