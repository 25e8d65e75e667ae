/**
 * `zabsim check FILE --model register|cas-register|znode [--budget N] [--initial EDN] [--json]`:
 * checks a Jepsen history (history.edn) for linearizability with zabsim's own checker, so its
 * verdicts can be compared with Knossos's and Porcupine's. Exit 0 linearizable, 1 not, 2 bad
 * input (one line naming the file's line), 3 unknown (the budget of model steps ran out).
 */
import { checkJepsen, DEFAULT_BUDGET, JEPSEN_MODELS, JepsenHistoryError }
  from "../../check/linear/index.js";
import type { JepsenModelName, LinearResult } from "../../check/linear/index.js";
import { flagOf, intOf, parseOptions, renderHelp, textOf, UsageError } from "../args.js";
import type { OptionSpec } from "../args.js";
import { datumOf, readJepsenHistory } from "../edn-history.js";
import { datumText } from "../../check/linear/index.js";
import { parseEDNString } from "edn-data";
import type { CliIo } from "../io.js";

const SPECS: readonly OptionSpec[] = [
  {
    name: "model", kind: "choice", defaultValue: null, choices: JEPSEN_MODELS,
    help: "the sequential model (required)",
  },
  {
    name: "budget", kind: "int", defaultValue: DEFAULT_BUDGET, min: 1, max: 1e12,
    placeholder: "N", help: "model steps the search may take before the verdict is unknown",
  },
  {
    name: "initial", kind: "text", defaultValue: "nil", placeholder: "EDN",
    help: "the registers' initial value (Knossos's test data uses 0)",
  },
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object" },
];

const HELP = renderHelp("zabsim check FILE --model MODEL [--budget N] [--json]", [
  "Checks a Jepsen history (EDN: one op map a line, or one vector) for linearizability.",
  "Exit 0 linearizable, 1 not linearizable, 2 bad input, 3 unknown (budget ran out).",
], SPECS, [
  "zabsim run --seed 7 --history h.edn && zabsim check h.edn --model znode",
  "zabsim check history.edn --model cas-register --initial 0",
  "zabsim check history.edn --model register --budget 1000000 --json",
]);

function readHistory(io: CliIo, path: string): string {
  try {
    return io.readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot read ${path}${code === undefined ? "" : ` (${code})`}`);
  }
}

function initialOf(text: string): string | null {
  try {
    return datumText(datumOf(parseEDNString(text, { mapAs: "map", keywordAs: "object" })));
  } catch {
    throw new UsageError(`--initial takes one EDN value, got "${text}"`);
  }
}

function humanReport(result: LinearResult, budget: number): string {
  if (result.valid === true) {
    return `linearizable: ${result.ops} operations, model ${result.model}, ` +
      `${result.steps} model steps\n`;
  }
  if (result.valid === "unknown") {
    return `unknown: the budget of ${budget} model steps ran out (${result.ops} operations; ` +
      "raise --budget)\n";
  }
  return result.explanation?.text ?? "not linearizable\n";
}

/** `zabsim check FILE --model MODEL`. */
export function checkCommand(argv: readonly string[], io: CliIo): number {
  const parsed = parseOptions("check", SPECS, argv, 1);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const path = parsed.positionals[0];
  if (path === undefined) throw new UsageError("check needs a FILE (a Jepsen history.edn)");
  const model = textOf(parsed, "model") as JepsenModelName | null;
  if (model === null) {
    throw new UsageError(`check needs --model (${JEPSEN_MODELS.join(", ")})`);
  }
  const budget = intOf(parsed, "budget");
  const initial = initialOf(textOf(parsed, "initial") ?? "nil");
  const text = readHistory(io, path);
  let result: LinearResult;
  try {
    result = checkJepsen(readJepsenHistory(text), model, budget, initial);
  } catch (error) {
    if (error instanceof JepsenHistoryError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
  if (flagOf(parsed, "json")) {
    const { valid, ops, explanation } = result;
    io.stdout(`${JSON.stringify({ valid, ops, model: result.model, explanation })}\n`);
  } else {
    io.stdout(humanReport(result, budget));
  }
  return result.valid === true ? 0 : result.valid === false ? 1 : 3;
}
