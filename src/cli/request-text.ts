/**
 * A client request as a trace line shows it. Since observations carry the tree's structured
 * Request (issue 10), a request reads back from a trace as an object; the learner's views name it
 * by its type and path ("setData /a"), never by its data.
 */

/** A request observation in one line: its type and path ("setData /a"). */
export function requestText(request: unknown): string {
  if (typeof request !== "object" || request === null) return String(request);
  const fields = request as Record<string, unknown>;
  const type = String(fields["type"]);
  const path = fields["path"];
  return typeof path === "string" ? `${type} ${path}` : type;
}
