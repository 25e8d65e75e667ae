/**
 * A sweep's progress on stderr (stdout stays the results alone, clean JSON with --json): on a
 * terminal, a cli-progress bar with seeds done, seeds per second, ETA and failures so far; when
 * stderr is not a terminal, or with --json, a plain line every PLAIN_EVERY_MS of wall time,
 * which a CI log or `kubectl logs` can show.
 */
import cliProgress from "cli-progress";
import type { CliIo } from "../io.js";

/** How a sweep reports progress. */
export interface Progress {
  /** One more seed finished; `failing` counts the failing seeds so far. */
  seedDone(failing: number): void;
  /** Clears the bar's line before the sweep prints on stdout (the same terminal). */
  interrupt(): void;
  /** Removes the bar, at the end or on an error; later calls do nothing. */
  stop(): void;
}

/** Wall time between two plain progress lines. */
export const PLAIN_EVERY_MS = 10_000;

/** "1h02m", "8m55s", "12s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number): string => String(n).padStart(2, "0");
  if (s >= 3600) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  return `${s}s`;
}

/** The figures both kinds of progress show. */
function rates(done: number, total: number, elapsedMs: number): { rate: number; eta: string } {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  return { rate, eta: rate > 0 ? duration((total - done) / rate) : "?" };
}

/** Plain lines on stderr, at most one per PLAIN_EVERY_MS. */
function plainProgress(io: CliIo, total: number, label: string): Progress {
  const started = io.wallMillis();
  let lastLine = started;
  let done = 0;
  return {
    seedDone(failing) {
      done++;
      const now = io.wallMillis();
      if (now - lastLine < PLAIN_EVERY_MS || done === total) return;
      lastLine = now;
      const { rate, eta } = rates(done, total, now - started);
      io.stderr(`${label}: ${done} of ${total} seeds (${Math.floor((done * 100) / total)}%), ` +
        `${rate.toFixed(1)} seeds/s, ETA ${eta}, ${failing} failing\n`);
    },
    interrupt() {},
    stop() {},
  };
}

/**
 * Cursor save and restore, which cli-progress writes when a bar starts and stops. The sweep
 * prints failing seeds on the same terminal while the bar runs, so restoring the saved position
 * would move the cursor back above them and the summary would overwrite them: dropped.
 */
const CURSOR_SAVE_RESTORE = new Set(["\u001b7", "\u001b8"]);

/** A cli-progress bar drawn on stderr through the CliIo. */
function barProgress(io: CliIo, total: number, label: string): Progress {
  const write = (text: string): boolean => {
    if (!CURSOR_SAVE_RESTORE.has(text)) io.stderr(text);
    return true;
  };
  const bar = new cliProgress.SingleBar({
    stream: { isTTY: true, write } as unknown as NodeJS.WritableStream,
    // The bar is kept under 80 columns (with 5-digit counts) instead of truncated, and the
    // terminal keeps wrapping the long violation lines printed between two renders.
    linewrap: true,
    format: `${label} [{bar}] {value}/{total} seeds | {rate} seeds/s | ETA {remaining} | ` +
      "{failing} failing",
    barsize: 16,
    hideCursor: false,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  const started = io.wallMillis();
  let done = 0;
  let stopped = false;
  bar.start(total, 0, { rate: "0.0", remaining: "?", failing: 0 });
  return {
    seedDone(failing) {
      done++;
      const { rate, eta } = rates(done, total, io.wallMillis() - started);
      bar.update(done, { rate: rate.toFixed(1), remaining: eta, failing });
    },
    interrupt() {
      io.stderr("\r\u001b[K");
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}

/** The progress a sweep of `total` seeds shows: a bar on a terminal, else plain lines. */
export function progressFor(io: CliIo, total: number, json: boolean, label: string): Progress {
  // An empty shard (K past the range's end) has nothing to show, and a bar of 0 would divide by 0.
  return io.stderrIsTTY === true && !json && total > 0
    ? barProgress(io, total, label) : plainProgress(io, total, label);
}
