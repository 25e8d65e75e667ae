/**
 * An in-memory CliIo for CLI tests: captures stdout and stderr, serves files from a map, and
 * keeps files written. Wall time is a counter, so tests never depend on the real clock.
 */
import type { CliIo, LineWriter } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

export interface MemoryIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
  readonly files: Map<string, string>;
}

export function memoryIo(
  options: {
    isTTY?: boolean; stderrIsTTY?: boolean; env?: Record<string, string>; wallStepMs?: number;
  } = {},
): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  let wall = 0;
  return {
    out, err, files,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    isTTY: options.isTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    env: options.env ?? {},
    readFile: (path) => {
      const text = files.get(path);
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      }
      return text;
    },
    writeFile: (path, text) => {
      files.set(path, text);
    },
    openLines: (path): LineWriter => {
      const lines: string[] = [];
      return {
        write: (line) => lines.push(line),
        close: () => files.set(path, lines.map((l) => `${l}\n`).join("")),
      };
    },
    wallMillis: () => (wall += options.wallStepMs ?? 1),
  };
}

/** Runs the CLI in-process; returns the exit code and what this call printed. */
export async function zabsim(
  argv: readonly string[], io: MemoryIo = memoryIo(),
): Promise<{ code: number; stdout: string; stderr: string; io: MemoryIo }> {
  const [outBefore, errBefore] = [io.out.length, io.err.length];
  const code = await main(argv, io);
  const stdout = io.out.slice(outBefore).join("");
  return { code, stdout, stderr: io.err.slice(errBefore).join(""), io };
}
