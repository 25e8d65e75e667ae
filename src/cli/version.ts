/**
 * zabsim's version, read once from package.json (one directory above src/ and dist/ alike, so
 * the source run by tsx and the built code agree). Sweep results record it, and merge refuses
 * shards of different versions: seeds judged by different code are not one sweep.
 */
import { readFileSync } from "node:fs";

let cached: string | undefined;

/** The "version" field of package.json. */
export function zabsimVersion(): string {
  if (cached === undefined) {
    const url = new URL("../../package.json", import.meta.url);
    const record = JSON.parse(readFileSync(url, "utf8")) as { version?: unknown };
    cached = typeof record.version === "string" ? record.version : "unknown";
  }
  return cached;
}
