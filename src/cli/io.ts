/**
 * The CLI's window on the outside world, passed to every command: output streams, environment,
 * files and the wall clock. main.ts builds the real one; tests build one in memory, so a command
 * can be run and inspected without spawning a process. The CLI is the only simulated-side code
 * allowed to read wall time, and it does so only through `wallMillis` (for wallMs).
 */
import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { UsageError } from "./args.js";

/** A file being written line by line (the `--trace FILE` sink). */
export interface LineWriter {
  write(line: string): void;
  close(): void;
}

/** Everything a command may touch outside itself. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (colour and progress lines only then). */
  readonly isTTY: boolean;
  /** True when stderr is a terminal (sweep's progress bar only then; else plain lines). */
  readonly stderrIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The file's text; throws a plain Error with a readable message when it cannot. */
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  openLines(path: string): LineWriter;
  /** Wall-clock milliseconds, for timing a run (never fed into a simulation). */
  wallMillis(): number;
}

/** Buffers lines and writes them in large chunks: a trace can hold millions of lines. */
class FileLines implements LineWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(line: string): void {
    this.buffer.push(line);
    this.size += line.length + 1;
    if (this.size > 1 << 20) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, `${this.buffer.join("\n")}\n`);
    this.buffer = [];
    this.size = 0;
  }
}

/** Runs a file operation; a failure becomes a one-line UsageError naming the file and code. */
function writing<T>(path: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot write ${path}${code === undefined ? "" : ` (${code})`}`);
  }
}

/** The real process: stdout/stderr, the environment, the file system, performance.now. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    readFile: (path) => readFileSync(path, "utf8"),
    writeFile: (path, text) => writing(path, () => writeFileSync(path, text)),
    openLines: (path) => writing(path, () => new FileLines(path)),
    wallMillis: () => performance.now(),
  };
}
