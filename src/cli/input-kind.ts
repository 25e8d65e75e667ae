/**
 * What kind of zabsim file a text holds, judged from its shape alone, so that a command given
 * the wrong kind names it and suggests the command that reads it (issue 22: `show` given a
 * scenario file, `script` given a run file) instead of failing on a field deep inside.
 */

/** The kinds of file zabsim reads. */
export type InputKind = "empty" | "run-file" | "scenario" | "trace" | "other";

/** The kind of file `text` holds. */
export function inputKind(text: string): InputKind {
  const trimmed = text.trim();
  if (trimmed === "") return "empty";
  const firstLine = trimmed.split("\n", 1)[0] ?? "";
  const first = parsedObject(firstLine);
  if (first !== undefined && typeof first["i"] === "number" && typeof first["t"] === "number") {
    return "trace";
  }
  const whole = firstLine === trimmed ? first : parsedObject(trimmed);
  if (whole === undefined) return "other";
  if ("steps" in whole || "scenarios" in whole) return "scenario";
  if ("seed" in whole && ("options" in whole || "traceHash" in whole)) return "run-file";
  return "other";
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** The line that suggests the right command for a file of `kind` at `path`. */
export function suggestion(kind: InputKind, path: string): string {
  switch (kind) {
    case "run-file":
      return `${path} is a run file: see it with zabsim show ${path}, ` +
        `or run it again with zabsim replay ${path}`;
    case "scenario":
      return `${path} is a scenario file: run it with zabsim script ${path}`;
    case "trace":
      return `${path} is a trace: see it with zabsim show ${path}`;
    case "empty":
      return `${path} is empty: nothing to read (a run file comes from ` +
        "zabsim run --json > run.json, a trace from zabsim run --trace FILE)";
    case "other":
      return `${path} is not a file zabsim reads`;
  }
}
