/**
 * Every byte string inside a structured value (request data, multi ops, read results, decoded
 * disk records), in a fixed order (object keys sorted), appended to `out`. The key-service
 * checkers and the end-of-run disk scan both look for secrets in whatever bytes a value holds.
 */
export function blobsIn(value: unknown, out: Uint8Array[]): void {
  if (value instanceof Uint8Array) out.push(value);
  else if (Array.isArray(value)) for (const v of value) blobsIn(v, out);
  else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value).sort()) {
      blobsIn((value as Record<string, unknown>)[key], out);
    }
  }
}
