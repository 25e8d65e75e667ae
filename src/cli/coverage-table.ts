/**
 * The human table of `zabsim sweep --coverage`: every mark registered for the sweep's options
 * (run/marks.ts) with the seeds that reached it, the unreached ones flagged so they stand out.
 */

/** "coverage: 38 of 40 marks reached in 300 seeds", then one line per mark. */
export function coverageTable(counts: Readonly<Record<string, number>>, seeds: number): string {
  const entries = Object.entries(counts);
  const reached = entries.filter(([, count]) => count > 0).length;
  const width = String(seeds).length;
  const lines = entries.map(([name, count]) =>
    `  ${String(count).padStart(width)}  ${name}${count === 0 ? "  (not reached)" : ""}`);
  return `coverage: ${reached} of ${entries.length} marks reached in ${seeds} seeds ` +
    `(seeds that reached each)\n${lines.join("\n")}\n`;
}
