/**
 * The story of a failing run as text, printed by `show` (and `demo`) before the timeline: the
 * first violation with the checker's explanation, then the few lines that led to it.
 */
import type { Colors } from "../format.js";
import { timelineLine } from "../timeline.js";
import type { TraceLine } from "../timeline.js";
import type { Replay } from "./replay.js";
import { markedText } from "./replay.js";
import { storyOf } from "./story.js";

/** The story block, or [] when the run passed (or the replay has no verdict). */
export function storyText(c: Colors, replay: Replay): string[] {
  const first = replay.report?.violations[0];
  if (first === undefined) return [];
  const story = storyOf(replay.lines, first);
  const total = replay.report?.violations.length ?? 1;
  const out = [
    c.red(c.bold(`The run failed: ${first.checker} at ${first.simTimeMs} ms (event ` +
      `${first.event})${total > 1 ? `, and ${total - 1} more violations` : ""}.`)),
    c.red(`  ${first.message}`),
    c.bold(`The story of the failure (${story.picked.length} of ${replay.lines.length} ` +
      "lines: faults, roles, syncs, and the named transactions):"),
  ];
  for (const k of story.picked) {
    out.push(timelineLine(c, replay.lines[k] as TraceLine, markedText(replay, k)));
  }
  out.push("");
  return out;
}
