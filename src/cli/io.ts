/**
 * The CLI's window on the outside world, passed to every command: output streams, environment,
 * files and the wall clock. main.ts builds the real one; tests build one in memory, so a command
 * can be run and inspected without spawning a process. The CLI is the only simulated-side code
 * allowed to read wall time, and it does so only through `wallMillis` (for wallMs).
 */
import {
  closeSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync,
} from "node:fs";
import type { Stats } from "node:fs";
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
  /**
   * The file's text; throws a UsageError naming the file when it cannot (or an Error with a
   * `code`, in tests).
   */
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  openLines(path: string): LineWriter;
  /** Wall-clock milliseconds, for timing a run (never fed into a simulation). */
  wallMillis(): number;
}

/** The most bytes zabsim reads from one input: more than any run file, schedule or trace. */
export const INPUT_BYTES_MAX = 256 * 1024 * 1024;

/** "a directory", "a FIFO": what a path that is not a regular file is. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** The reason a file operation failed, for "cannot write FILE (REASON)". */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? ` (${code})` : "";
}

/**
 * Reads an input file, refusing before reading a path that is not a regular file or is larger
 * than INPUT_BYTES_MAX; `-` is standard input (read up to the same bound).
 */
function readInput(path: string): string {
  if (path === "-") return readStdin();
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}${reasonOf(error)}`);
  }
  if (!stats.isFile()) throw new UsageError(`cannot read ${path}: it is ${kindOf(stats)}`);
  if (stats.size > INPUT_BYTES_MAX) {
    throw new UsageError(`cannot read ${path}: ${stats.size} bytes is more than any input ` +
      `zabsim reads (${INPUT_BYTES_MAX} bytes)`);
  }
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${path}${reasonOf(error)}`);
  }
}

/** Standard input, up to INPUT_BYTES_MAX. */
function readStdin(): string {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(1 << 16);
  let total = 0;
  for (;;) {
    let count: number;
    try {
      count = readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as { code?: string }).code === "EAGAIN") continue;
      if ((error as { code?: string }).code === "EOF") break;
      throw new UsageError(`cannot read standard input${reasonOf(error)}`);
    }
    if (count === 0) break;
    total += count;
    if (total > INPUT_BYTES_MAX) {
      throw new UsageError(`standard input holds more than any input zabsim reads ` +
        `(${INPUT_BYTES_MAX} bytes)`);
    }
    chunks.push(Buffer.from(chunk.subarray(0, count)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Buffers lines and writes them in large chunks: a trace can hold millions of lines. A failing
 * write (a full disk) is kept, not thrown into the simulation (which would judge it a failure of
 * the run); later lines are dropped and close() reports it as one line naming the file.
 */
class FileLines implements LineWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  private failure: unknown = null;

  constructor(private readonly path: string, fd: number) {
    this.fd = fd;
  }

  write(line: string): void {
    if (this.failure !== null) return;
    this.buffer.push(line);
    this.size += line.length + 1;
    if (this.size > 1 << 20) this.flush();
  }

  close(): void {
    this.flush();
    if (this.fd !== 1) closeSync(this.fd);
    if (this.failure !== null) {
      throw new UsageError(`cannot write ${this.path}${reasonOf(this.failure)}`);
    }
  }

  private flush(): void {
    if (this.buffer.length === 0 || this.failure !== null) return;
    try {
      writeSync(this.fd, `${this.buffer.join("\n")}\n`);
    } catch (error) {
      this.failure = error;
    }
    this.buffer = [];
    this.size = 0;
  }
}

/** Runs a file operation; a failure becomes a one-line UsageError naming the file and code. */
function writing<T>(path: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw new UsageError(`cannot write ${path}${reasonOf(error)}`);
  }
}

/**
 * The real process: stdout/stderr, the environment, the file system, performance.now. A path
 * `-` is standard input where a file is read and standard output where one is written.
 */
export function processIo(): CliIo {
  const stdout = (text: string): void => {
    process.stdout.write(text);
  };
  return {
    stdout,
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    readFile: readInput,
    writeFile: (path, text) =>
      (path === "-" ? stdout(text) : writing(path, () => writeFileSync(path, text))),
    openLines: (path) => (path === "-" ? stdoutLines(stdout)
      : writing(path, () => new FileLines(path, openSync(path, "w")))),
    wallMillis: () => performance.now(),
  };
}

/** Lines to standard output, in large chunks (its errors end the process: main.ts). */
function stdoutLines(stdout: (text: string) => void): LineWriter {
  let buffer: string[] = [];
  const flush = (): void => {
    if (buffer.length > 0) stdout(`${buffer.join("\n")}\n`);
    buffer = [];
  };
  return {
    write: (line) => {
      buffer.push(line);
      if (buffer.length >= 4096) flush();
    },
    close: flush,
  };
}

/** The text of an input file, or a one-line UsageError naming it. */
export function readText(io: CliIo, path: string): string {
  try {
    return io.readFile(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${path}${reasonOf(error)}`);
  }
}
