#!/usr/bin/env node
// Placeholder entry point: replaced by the CLI (src/cli) as it is built.
process.stdout.write("zabsim: under construction\n");
