/**
 * Runs a scenario on zabsim's standalone server through its script runner (src/run/script.ts,
 * `runScriptText(text)`), the same entry point `zabsim script FILE` uses, and parses the output
 * lines back into results. The module is loaded lazily so that a differential run can still
 * record real results while zabsim's runner is missing.
 */
import type { StepResult } from "../../src/script/index.js";

type ScriptOutcome = { ok: true; lines: string[] } | { ok: false; error: string };
type RunScriptText = (text: string) => ScriptOutcome;

let loaded: RunScriptText | undefined;

/** Loads zabsim's runner, or explains why it cannot. */
export async function loadSimRunner(): Promise<RunScriptText> {
  if (loaded !== undefined) return loaded;
  const modulePath = "../../src/run/script.js";
  const module = (await import(modulePath)) as { runScriptText?: unknown };
  if (typeof module.runScriptText !== "function") {
    throw new Error("src/run/script.ts does not export runScriptText(text)");
  }
  loaded = module.runScriptText as RunScriptText;
  return loaded;
}

/** zabsim's results for a single-scenario file, or an error line. */
export async function runOnZabsim(
  text: string,
): Promise<{ ok: true; results: StepResult[] } | { ok: false; error: string }> {
  const run = await loadSimRunner();
  let outcome: ScriptOutcome;
  try {
    outcome = run(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `zabsim crashed: ${message.split("\n")[0] ?? ""}` };
  }
  if (!outcome.ok) return { ok: false, error: outcome.error };
  return { ok: true, results: outcome.lines.map((line) => JSON.parse(line) as StepResult) };
}
