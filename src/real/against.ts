/**
 * `zabsim script FILE --against HOST:PORT`: runs a scenario file on a live ZooKeeper server.
 * The server must be fresh in the sense that matters for comparable results: its tree holds
 * nothing but /zookeeper (checked with the scenario's first session, a read that consumes no
 * zxid). Afterwards the run closes its sessions and deletes the nodes it created, deepest first,
 * and nothing else. A multi-scenario file runs its scenarios one after another on the same
 * server, each after the previous one has cleaned up; the stat of `/` then carries the history of
 * the earlier scenarios, so for exact comparisons give each scenario a fresh server.
 */
import { parseScenarioFile } from "../script/index.js";
import type { Scenario, StepResult } from "../script/index.js";
import { errorName } from "./protocol.js";
import { SessionTable, runStep } from "./runner.js";
import type { Target } from "./runner.js";
import { DEFAULT_TIMEOUTS, Session } from "./session.js";

/** The outcome of `runAgainst`: output lines, or one error line and what kind of error it is. */
export type AgainstOutcome =
  | { readonly ok: true; readonly lines: string[] }
  | { readonly ok: false; readonly kind: "input" | "server"; readonly error: string };

/** Thrown when the server's tree is not fresh; nothing has been written by then. */
class NotFreshError extends Error {
  override name = "NotFreshError";
}

/** Refuses a tree holding anything besides /zookeeper. */
async function checkFresh(session: Session, where: string): Promise<void> {
  const reply = await session.request({ op: "getChildren", path: "/", watch: false });
  if (reply.body?.kind !== "children") {
    throw new NotFreshError(`${where}: cannot list / (${errorName(reply.err)})`);
  }
  const others = reply.body.children.filter((name) => name !== "zookeeper").sort();
  if (others.length > 0) {
    const shown = others.slice(0, 3).map((name) => `/${name}`).join(", ");
    throw new NotFreshError(
      `${where} already holds ${shown}${others.length > 3 ? ", ..." : ""}: ` +
        "scenarios need a server whose tree holds only /zookeeper",
    );
  }
}

/** Paths the run created, as the server reported them in create and multi results. */
export function createdPaths(results: readonly StepResult[]): string[] {
  const paths: string[] = [];
  for (const result of results) {
    if (result.err !== "OK") continue;
    if (result.path !== undefined) paths.push(result.path);
    for (const entry of result.results ?? []) {
      if ("path" in entry) paths.push(entry.path);
    }
  }
  return paths;
}

/** Closes live sessions, then deletes what the run created (children before parents). */
async function cleanUp(table: SessionTable, created: readonly string[], target: Target) {
  for (const session of table.slots) {
    if (session !== undefined) await session.close().catch(() => undefined);
  }
  if (created.length === 0) return;
  const cleaner = await Session.open(target.host, target.port, target.timeouts);
  const depth = (path: string): number => path.split("/").length;
  const ordered = [...new Set(created)].sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
  for (const path of ordered) {
    await cleaner.request({ op: "delete", path, version: -1 });
  }
  await cleaner.close();
}

async function runOne(scenario: Scenario, target: Target): Promise<StepResult[]> {
  const where = `the server at ${target.host}:${target.port}`;
  const table = new SessionTable(target);
  const results: StepResult[] = [];
  try {
    if (scenario.sessions === 0) {
      const probe = await Session.open(target.host, target.port, target.timeouts);
      await checkFresh(probe, where).finally(() => probe.close());
    }
    for (let slot = 0; slot < scenario.sessions; slot++) {
      await table.open(slot);
      if (slot === 0) {
        const first = table.live(0);
        await checkFresh(first, where).catch(async (error: unknown) => {
          await first.close().catch(() => undefined);
          throw error;
        });
      }
    }
    for (const step of scenario.steps) results.push(await runStep(table, step));
    await cleanUp(table, createdPaths(results), target);
    return results;
  } finally {
    table.endAll();
  }
}

/** Parses `text` and runs it on the server at host:port; never throws. */
export async function runAgainst(
  text: string,
  host: string,
  port: number,
): Promise<AgainstOutcome> {
  const parsed = parseScenarioFile(text);
  if (!parsed.ok) return { ok: false, kind: "input", error: parsed.error };
  const target: Target = { host, port, timeouts: DEFAULT_TIMEOUTS };
  try {
    if (parsed.file.kind === "single") {
      const results = await runOne(parsed.file.scenario, target);
      return { ok: true, lines: results.map((result) => JSON.stringify(result)) };
    }
    const lines: string[] = [];
    for (const scenario of parsed.file.scenarios) {
      const results = await runOne(scenario, target);
      lines.push(JSON.stringify({ id: scenario.id ?? "", results }));
    }
    return { ok: true, lines };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, kind: "server", error: `zookeeper at ${host}:${port}: ${message}` };
  }
}
