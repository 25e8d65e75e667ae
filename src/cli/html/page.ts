/**
 * The self-contained replay page: one HTML file with d3 (read from the installed package at
 * generation time: a program asset, so read directly rather than through CliIo), the
 * stylesheet, the run's data as JSON and the browser script inlined, so it opens from disk
 * with no network. d3 draws the axes and joins; the script (client-*.ts)
 * draws the space-time diagram, the panels and the controls from the data.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UsageError } from "../args.js";
import type { CliIo } from "../io.js";
import type { Replay } from "../replay/replay.js";
import { CLIENT_DIAGRAM_JS } from "./client-diagram.js";
import { CLIENT_MAIN_JS } from "./client-main.js";
import { CLIENT_PANELS_JS } from "./client-panels.js";
import { pageModel } from "./model.js";
import { PAGE_CSS } from "./style.js";

/** d3's minified bundle, found through the package's own exports (never a machine path). */
function d3Source(): string {
  let path: string;
  try {
    path = fileURLToPath(new URL("./d3.min.js", import.meta.resolve("d3")));
  } catch {
    throw new UsageError("cannot find the d3 package (run npm install)");
  }
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new UsageError("cannot read d3's bundle (run npm install)");
  }
}

/** Text safe inside a <script> element: no `</script` can end it early. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The whole page for `replay` (`source` names the file it came from). */
export function replayPage(replay: Replay, source: string): string {
  const model = pageModel(replay, source);
  const title = `zabsim replay: ${model.title}`;
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_CSS}</style></head><body>`,
    '<div id="app"></div>',
    `<script id="zabsim-data" type="application/json">${scriptSafe(JSON.stringify(model))}` +
      "</script>",
    `<script>${scriptSafe(d3Source())}</script>`,
    `<script>${scriptSafe(CLIENT_DIAGRAM_JS)}\n${scriptSafe(CLIENT_PANELS_JS)}\n` +
      `${scriptSafe(CLIENT_MAIN_JS)}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}

/** Writes the page to `path`; returns its size in bytes. A path that fails is exit 2. */
export function writeReplayPage(io: CliIo, path: string, replay: Replay, source: string): number {
  const page = replayPage(replay, source);
  try {
    io.writeFile(path, page);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot write ${path}${code === undefined ? "" : ` (${code})`}`);
  }
  return Buffer.byteLength(page, "utf8");
}
