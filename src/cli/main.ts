#!/usr/bin/env node
/**
 * The `zabsim` command: argv -> command, exit codes exactly as shared/spec/cli.md (0 every check
 * held, 1 a check failed, 2 bad usage or bad input). Every error is caught here and printed as one
 * line on stderr, never a stack trace: a UsageError (or an invalid run) says what to fix; anything
 * else is our bug, reported in one line with the hint to rerun with ZABSIM_DEBUG=1 for the stack.
 */
import { pathToFileURL } from "node:url";
import { realpathSync } from "node:fs";
import { RunOptionsInvalid } from "../run/index.js";
import { UsageError } from "./args.js";
import { COMMANDS, topHelp } from "./commands/index.js";
import type { CliIo } from "./io.js";
import { processIo } from "./io.js";

/** Runs the CLI with `argv` (the arguments after the program name); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      throw new UsageError(`no command given (try zabsim --help)`);
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
    if (error instanceof UsageError || error instanceof RunOptionsInvalid) {
      io.stderr(`zabsim: ${error.message}\n`);
      return 2;
    }
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`zabsim: internal error: ${text.split("\n")[0] ?? ""} ` +
      "(a bug in zabsim; ZABSIM_DEBUG=1 shows the stack)\n");
    if (io.env["ZABSIM_DEBUG"] !== undefined && error instanceof Error) {
      io.stderr(`${error.stack ?? ""}\n`);
    }
    return 2;
  }
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
  // A closed pipe (`zabsim sweep | head`) ends the output, not the program with a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const io = processIo();
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.stderr(`zabsim: internal error: ${String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
