/**
 * Typed field readers for the scenario parser. Each reader takes a JSON object and a field name
 * and returns the value with its TypeScript type, or throws a FieldError whose message says what
 * was expected and what was found. The parser catches FieldError and prefixes the scenario and
 * step it was reading, so the user gets one line pointing at the bad field.
 */

/** A malformed field; the message omits where (the parser adds scenario and step). */
export class FieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FieldError";
  }
}

/** A JSON object (not an array, not null). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The JSON type name of a value, for error messages. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  return `a ${typeof value}`;
}

/** True when `value` is a JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function has(object: JsonObject, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, field);
}

/**
 * An optional field counts as absent when missing or null: generators in other languages write
 * null for "none", and nothing is lost by reading it so (only `data` gives null a meaning).
 */
function absent(object: JsonObject, field: string): boolean {
  return !has(object, field) || object[field] === null;
}

function required(object: JsonObject, field: string): unknown {
  if (!has(object, field)) throw new FieldError(`missing required field "${field}"`);
  return object[field];
}

function wrongType(field: string, wanted: string, value: unknown): FieldError {
  return new FieldError(`field "${field}" must be ${wanted}, got ${jsonType(value)}`);
}

/** A required string field. */
export function readString(object: JsonObject, field: string): string {
  const value = required(object, field);
  if (typeof value !== "string") throw wrongType(field, "a string", value);
  return value;
}

/** A required integer field within [min, max]. */
export function readInteger(object: JsonObject, field: string, min: number, max: number): number {
  const value = required(object, field);
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw wrongType(field, "an integer", value);
  }
  if (value < min || value > max) {
    throw new FieldError(`field "${field}" must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** An optional integer field (any integer); undefined when absent or null. */
export function readOptionalInteger(object: JsonObject, field: string): number | undefined {
  if (absent(object, field)) return undefined;
  const value = object[field];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw wrongType(field, "an integer", value);
  }
  return value;
}

/** An optional boolean field; `fallback` when absent or null. */
export function readOptionalBoolean(object: JsonObject, field: string, fallback: boolean): boolean {
  if (absent(object, field)) return fallback;
  const value = object[field];
  if (typeof value !== "boolean") throw wrongType(field, "true or false", value);
  return value;
}

/** A required array field. */
export function readArray(object: JsonObject, field: string): readonly unknown[] {
  const value = required(object, field);
  if (!Array.isArray(value)) throw wrongType(field, "an array", value);
  return value;
}

/** An optional object field; undefined when absent or null. */
export function readOptionalObject(object: JsonObject, field: string): JsonObject | undefined {
  if (absent(object, field)) return undefined;
  const value = object[field];
  if (!isObject(value)) throw wrongType(field, "an object", value);
  return value;
}

/** A required string field whose value is one of `names`. */
export function readName<T extends string>(
  object: JsonObject,
  field: string,
  names: readonly T[],
): T {
  const value = readString(object, field);
  const found = names.find((name) => name === value);
  if (found === undefined) {
    throw new FieldError(`unknown ${field} ${JSON.stringify(value)} (one of: ${names.join(", ")})`);
  }
  return found;
}

/** Whether the field is present at all (null counts as present). */
export function hasField(object: JsonObject, field: string): boolean {
  return has(object, field);
}
