#!/usr/bin/env node
/**
 * The `zabsim` command: argv -> command, exit codes exactly as shared/spec/cli.md (0 every check
 * held, 1 a check failed, 2 bad usage or bad input). Every error is caught here and printed as one
 * line on stderr, never a stack trace: a UsageError (or an invalid run) says what to fix; a
 * failing environment (full disk, closed stdout) names what failed, exit 2; anything else is our
 * bug, reported in one line with the hint to rerun with ZABSIM_DEBUG=1 for the stack.
 */
import { pathToFileURL } from "node:url";
import { realpathSync } from "node:fs";
import { RunOptionsInvalid } from "../run/index.js";
import { UsageError } from "./args.js";
import { COMMANDS, topHelp } from "./commands/index.js";
import type { CliIo } from "./io.js";
import { processIo } from "./io.js";
import { ZABSIM_VERSION } from "./version.js";

/** Runs the CLI with `argv` (the arguments after the program name); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      throw new UsageError(`no command given (try zabsim --help)`);
    }
    if (name === "--version" || name === "-V" || name === "version") {
      io.stdout(`zabsim ${ZABSIM_VERSION}\n`);
      return 0;
    }
    if (name === "--help" || name === "-h" || name === "help") {
      io.stdout(topHelp());
      return 0;
    }
    const command = COMMANDS.get(name);
    if (command === undefined) {
      const names = [...COMMANDS.keys()].join(", ");
      throw new UsageError(`unknown command "${name}" (commands: ${names})`);
    }
    return await command(rest, io);
  } catch (error) {
    return failed(error, io);
  }
}

/**
 * One line on stderr for a failure and its exit code: bad usage or input, and a failing
 * environment (a full disk, a file that cannot be opened), exit 2 naming what failed; anything
 * else is our bug. Control characters are escaped so an error never echoes them raw.
 */
function failed(error: unknown, io: CliIo): number {
  if (error instanceof UsageError || error instanceof RunOptionsInvalid) {
    io.stderr(`zabsim: ${printable(error.message)}\n`);
    return 2;
  }
  const environment = environmentLine(error);
  if (environment !== undefined) {
    io.stderr(`zabsim: ${printable(environment)}\n`);
    return 2;
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.stderr(`zabsim: internal error: ${printable(text.split("\n")[0] ?? "")} ` +
    "(a bug in zabsim; ZABSIM_DEBUG=1 shows the stack)\n");
  if (io.env["ZABSIM_DEBUG"] !== undefined && error instanceof Error) {
    io.stderr(`${error.stack ?? ""}\n`);
  }
  return 2;
}

/** A system call's failure ("open out.json (EACCES)"), or undefined for anything else. */
function environmentLine(error: unknown): string | undefined {
  const { code, syscall, path } = error as { code?: unknown; syscall?: unknown; path?: unknown };
  if (typeof code !== "string" || typeof syscall !== "string") return undefined;
  const where = typeof path === "string" ? ` ${path}` : "";
  return `cannot ${syscall}${where} (${code})`;
}

/** The text with every control character written as an escape (\\n, \\u001b). */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => JSON.stringify(ch).slice(1, -1));
}

/** True when this file is the program being run (not imported by a test). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A closed pipe (`zabsim sweep | head`) or a full disk behind stdout is the environment
  // failing: one line naming it, exit 2 (shared/spec/cli.md), never a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    const reason = error.code ?? printable(error.message);
    process.stderr.write(`zabsim: cannot write standard output (${reason})\n`);
    process.exit(2);
  });
  const io = processIo();
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.stderr(`zabsim: internal error: ${printable(String(error))}\n`);
      process.exitCode = 2;
    },
  );
}
