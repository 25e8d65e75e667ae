/**
 * zabsim's version, read once from package.json (two directories up from src/cli and from
 * dist/cli alike). Run files and sweep outputs record it, so that a replay by another version
 * can say that a different hash may come from a different simulator rather than a changed run.
 */
import { readFileSync } from "node:fs";

function readVersion(): string {
  try {
    const url = new URL("../../package.json", import.meta.url);
    const value = (JSON.parse(readFileSync(url, "utf8")) as { version?: unknown }).version;
    return typeof value === "string" ? value : "unknown";
  } catch {
    return "unknown";
  }
}

/** The version of this zabsim ("0.1.0"). */
export const ZABSIM_VERSION: string = readVersion();

/** The version, as sweep results and merge read it (the same value as ZABSIM_VERSION). */
export function zabsimVersion(): string {
  return ZABSIM_VERSION;
}
