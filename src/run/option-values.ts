/**
 * What the option table (option-table.ts) derives for each option: reading its command-line
 * text into field values, showing field values as that text again (help defaults and replay
 * lines), and judging field values with a one-line message naming the field. One function per
 * unit, so every option of a unit reads, shows and is judged alike.
 */
import { isRunBugName } from "./bugs.js";
import type { OptionDef, OptionValue } from "./option-table.js";

/** A flag's text read into the def's field values, or the one-line reason it cannot be. */
export type OptionRead =
  | { readonly ok: true; readonly values: readonly OptionValue[] }
  | { readonly ok: false; readonly message: string };

/** Times are bounded so that any sum of them stays an exact integer (sim/validate.ts). */
const MICROS_LIMIT = 2 ** 50;
const WHOLE = /^(0|[1-9][0-9]*)$/;
const NUMBER = /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)(e[-+]?[0-9]+)?$/i;

const ok = (...values: OptionValue[]): OptionRead => ({ ok: true, values });
const fail = (message: string): OptionRead => ({ ok: false, message });

function numberOf(flag: string, text: string, what: string): number | string {
  const value = NUMBER.test(text) ? Number(text) : Number.NaN;
  return Number.isFinite(value) ? value : `${flag} takes ${what}, got "${text}"`;
}

/** Milliseconds (up to 3 decimals) as whole microseconds, or the reason it is not. */
function microsOf(flag: string, text: string): number | string {
  const millis = numberOf(flag, text, "milliseconds (decimals allowed)");
  if (typeof millis === "string") return millis;
  const micros = millis * 1000;
  const whole = Math.round(micros);
  if (Math.abs(micros - whole) > 1e-6) {
    return `${flag} takes milliseconds to the microsecond (at most 3 decimals), got "${text}"`;
  }
  return whole === 0 ? 0 : whole;
}

function wholeOf(def: OptionDef, flag: string, text: string): OptionRead {
  const [min, max] = [def.min ?? 0, def.max ?? Number.MAX_SAFE_INTEGER];
  const value = WHOLE.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return fail(`${flag} takes a whole number from ${min} to ${max}, got "${text}"`);
  }
  return ok(value);
}

/**
 * Reads the text of `--flag` into the def's field values. Whole numbers and choices are judged
 * here (the message names the flag); everything else is judged on the values by checkOption.
 */
export function readOption(def: OptionDef, text: string): OptionRead {
  const flag = `--${def.flag}`;
  switch (def.unit) {
    case "count":
      return wholeOf(def, flag, text);
    case "ms": {
      const micros = microsOf(flag, text);
      return typeof micros === "string" ? fail(micros) : ok(micros);
    }
    case "ms-range": {
      const parts = text.split("..");
      if (parts.length > 2) return fail(`${flag} takes MIN..MAX in milliseconds, got "${text}"`);
      const min = microsOf(flag, parts[0] ?? "");
      const max = parts[1] === undefined ? min : microsOf(flag, parts[1]);
      if (typeof min === "string") return fail(min);
      return typeof max === "string" ? fail(max) : ok(min, max);
    }
    case "number": {
      const what = def.max === 1 ? "a probability from 0 to 1" : "a number";
      const value = numberOf(flag, text, what);
      return typeof value === "string" ? fail(value) : ok(value);
    }
    case "switch":
      return text === "on" || text === "off" ? ok(text === "on")
        : fail(`${flag} takes no value (or on|off in a replay line), got "${text}"`);
    case "choice":
    case "on-off":
    case "bug": {
      const choices = def.choices ?? [];
      if (!choices.includes(text)) {
        const more = def.unit === "bug" ? " (or list)" : "";
        return fail(`${flag} takes one of ${choices.join(", ")}${more}, got "${text}"`);
      }
      return def.unit === "on-off" ? ok(text === "on") : ok(text);
    }
    case "count-or-minority":
      if (text === "minority") return ok(null);
      if (!WHOLE.test(text)) {
        return fail(`${flag} takes a whole number or "minority", got "${text}"`);
      }
      return wholeOf(def, flag, text);
    case "count-or-auto":
      return text === "auto" ? ok(null) : wholeOf(def, flag, text);
    case "schedule":
      return fail(`${flag} takes a FILE, read by the command`);
  }
}

/** The flag text for field values: what --help shows as the default and a replay line spells. */
export function showOption(def: OptionDef, values: readonly unknown[]): string {
  const ms = (v: unknown): string => (typeof v === "number" ? String(v / 1000) : String(v));
  const [first, second] = values;
  switch (def.unit) {
    case "ms":
      return ms(first);
    case "ms-range":
      return `${ms(first)}..${ms(second)}`;
    case "on-off":
    case "switch":
      return first === true ? "on" : "off";
    case "count-or-minority":
      return first === null ? "minority" : String(first);
    case "count-or-auto":
      return first === null ? "auto" : String(first);
    case "bug":
      return first === null ? "none" : String(first);
    case "schedule":
      return Array.isArray(first) && first.length > 0 ? "FILE" : "none";
    case "count":
    case "number":
    case "choice":
      return String(first);
  }
}

function whole(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

function micros(field: string, value: unknown): string | undefined {
  return whole(value, 0, MICROS_LIMIT) ? undefined
    : `${field} must be a whole number of microseconds >= 0, got ${String(value)}`;
}

/**
 * The first problem with a def's field values, as one line starting with the field's name, or
 * undefined. Judges each value alone; what depends on other options (crashMax against the
 * voters, the schedule's node ids) is the world's validation (sim/validate.ts).
 */
export function checkOption(def: OptionDef, values: readonly unknown[]): string | undefined {
  const field = def.fields[0] ?? def.flag;
  const [value, second] = values;
  const [min, max] = [def.min ?? 0, def.max ?? Number.MAX_SAFE_INTEGER];
  switch (def.unit) {
    case "count":
      return whole(value, min, max) ? undefined
        : `${field} must be a whole number from ${min} to ${max}, got ${String(value)}`;
    case "ms":
      return micros(field, value);
    case "ms-range": {
      const maxField = def.fields[1] ?? field;
      const problem = micros(field, value) ?? micros(maxField, second);
      if (problem !== undefined) return problem;
      return (value as number) <= (second as number) ? undefined
        : `${field} (${String(value)}) must not exceed ${maxField} (${String(second)})`;
    }
    case "number":
      if (typeof value === "number" && value >= min && value <= max) return undefined;
      return max === 1 ? `${field} must be a probability in [0, 1], got ${String(value)}`
        : `${field} must be a number in [${min}, ${max}], got ${String(value)}`;
    case "choice":
      return typeof value === "string" && (def.choices ?? []).includes(value) ? undefined
        : `${field} must be one of ${(def.choices ?? []).join(", ")}, got ${JSON.stringify(value)}`;
    case "on-off":
    case "switch":
      return typeof value === "boolean" ? undefined
        : `${field} must be true or false, got ${String(value)}`;
    case "count-or-minority":
      return value === null || whole(value, min, max) ? undefined
        : `${field} must be a whole number >= 0 or null, got ${String(value)}`;
    case "count-or-auto":
      return value === null || whole(value, min, max) ? undefined
        : `${field} must be a whole number from ${min} to ${max} or null, got ${String(value)}`;
    case "bug":
      return value === null ||
        (typeof value === "string" && isRunBugName(value))
        ? undefined
        : `${field} must be one of ${(def.choices ?? []).join(", ")} ` +
          `(see zabsim run --bug list), got ${JSON.stringify(value)}`;
    case "schedule":
      return Array.isArray(value) ? undefined : `${field} must be a list of {atMicros, fault}`;
  }
}
