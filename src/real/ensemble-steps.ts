/**
 * The steps of the spec's "Ensembles" section on a real ensemble: `start`, `stop` (kill -9,
 * then wait until the servers still running noticed), `stable`, `openSession` on a server and
 * `move`. Session-bound requests are in ensemble-request.ts.
 */
import type { StepResult } from "../script/index.js";
import type { EnsembleRun } from "./ensemble-run.js";
import {
  epochOfZxid, leaderOf, pollUntil, quorumOf, runningCount, syncedFollowers,
} from "./ensemble-status.js";
import type { ServerStatus } from "./four-letter.js";
import { serverStatus } from "./four-letter.js";
import { Session } from "./session.js";

const OK: StepResult = { err: "OK" };
const CONNECTION_LOSS: StepResult = { err: "CONNECTIONLOSS" };
const SESSION_EXPIRED: StepResult = { err: "SESSIONEXPIRED" };

/** Whether server k runs and says it serves. */
export async function serves(run: EnsembleRun, server: number): Promise<boolean> {
  if (!run.control.isRunning(server)) return false;
  const status = await serverStatus(run.control.host, run.control.clientPort(server));
  return status.kind === "serving";
}

export async function startStep(run: EnsembleRun, server: number): Promise<StepResult> {
  await run.control.start(server);
  return OK;
}

/** True when `now` shows server j has left the epoch it served in `before`. */
function leftEpoch(before: ServerStatus | undefined, now: ServerStatus | undefined): boolean {
  if (before?.kind !== "serving") return true;
  if (now?.kind !== "serving") return true;
  return epochOfZxid(now.zxid) > epochOfZxid(before.zxid);
}

/** Waits until every server that served with `before`'s leader has left that epoch. */
async function waitAllLeft(run: EnsembleRun, before: readonly ServerStatus[], why: string) {
  await pollUntil(why, run.poll, async () => {
    const now = await run.observe();
    return now.every((status, k) => k === 0 || leftEpoch(before[k], status));
  });
}

/**
 * Kills server k (kill -9) and waits until the others noticed: a killed leader's learners stop
 * serving at once (their leader connection closes); a leader that keeps a quorum drops the
 * follower's LearnerHandler at once; a leader left without a quorum stops serving at its next
 * quorum check (Leader.lead, every tickTime / 2), and its followers with it. Sessions whose
 * server no longer serves are seen disconnected before the step ends.
 */
export async function stopStep(run: EnsembleRun, server: number): Promise<StepResult> {
  const before = await run.observe();
  const leader = leaderOf(before);
  const learners = leader === undefined || leader === server
    ? -1 : await syncedFollowers(run.control, leader);
  await run.control.kill(server);
  if (before[server]?.kind === "serving" && leader !== undefined) {
    let servingLeft = 0;
    before.forEach((status, k) => {
      if (k !== server && status.kind === "serving" && run.control.isRunning(k)) servingLeft++;
    });
    if (leader === server) {
      await waitAllLeft(run, before, `the learners of leader ${server} to notice its death`);
    } else if (servingLeft >= quorumOf(run.control.size)) {
      await pollUntil(`leader ${leader} to drop follower ${server}`, run.poll, async () =>
        (await syncedFollowers(run.control, leader)) < learners);
    } else {
      await waitAllLeft(run, before, `leader ${leader} to notice it lost its quorum`);
    }
  }
  await waitSessionsNoticed(run);
  return OK;
}

/** Waits until every session whose server does not serve has seen its connection close. */
async function waitSessionsNoticed(run: EnsembleRun): Promise<void> {
  const now = await run.observe();
  await pollUntil("sessions on stopped servers to see their connections close", run.poll,
    () => Promise.resolve(run.slots.every((pinned) =>
      pinned === undefined || !pinned.session.connected
        || now[pinned.server]?.kind === "serving")));
}

/**
 * `stable`: NOQUORUM at once when fewer than a quorum run; otherwise waits until one server
 * leads, every running server serves (leading or following), the leader counts every other
 * running server as a synced follower, and all have applied what it committed.
 */
export async function stableStep(run: EnsembleRun): Promise<StepResult> {
  const running = runningCount(run.control);
  if (running < quorumOf(run.control.size)) return { err: "NOQUORUM" };
  let result: StepResult = OK;
  await pollUntil("a stable ensemble", run.poll, async () => {
    const all = await run.observe();
    const leader = leaderOf(all);
    if (leader === undefined) return false;
    for (let k = 1; k <= run.control.size; k++) {
      if (run.control.isRunning(k) && all[k]?.kind !== "serving") return false;
    }
    if ((await syncedFollowers(run.control, leader)) !== running - 1) return false;
    const top = all[leader];
    if (top?.kind !== "serving" || !run.allCaughtUp(all)) return false;
    const epoch = Number(epochOfZxid(top.zxid));
    result = { err: "OK", leader, epoch, zxid: Number(top.zxid) };
    return true;
  });
  return result;
}

/**
 * `openSession` on server k: CONNECTIONLOSS (changing nothing) when k is stopped, does not
 * serve, or does not take the session. A slot the run still holds (the file thought the run had
 * closed it) loses its old session's connection; that session lives on until it expires.
 */
export async function openSessionStep(run: EnsembleRun, slot: number, server: number)
  : Promise<StepResult> {
  if (!(await serves(run, server))) return CONNECTION_LOSS;
  const timeouts = { ...run.timeouts };
  let session: Session;
  try {
    session = await Session.open(run.control.host, run.control.clientPort(server), timeouts, true);
  } catch {
    return CONNECTION_LOSS;
  }
  if (run.slots[slot] !== undefined) run.slots[slot]?.session.end("replaced by openSession");
  const ordinal = run.adopt(slot, session, server);
  return { err: "OK", session: `s${ordinal}` };
}

/**
 * `move`: the slot's session reconnects to server k with its id, password and last zxid seen,
 * re-registering its watches. SESSIONEXPIRED when the session is gone (the slot closes);
 * CONNECTIONLOSS, changing nothing, when k is stopped, does not serve or refuses the session
 * (ZooKeeperServer.processConnectRequest refuses a client that has seen a later zxid).
 */
export async function moveStep(run: EnsembleRun, slot: number, server: number)
  : Promise<StepResult> {
  const pinned = run.slots[slot];
  if (pinned === undefined) return SESSION_EXPIRED;
  if (!(await serves(run, server))) return CONNECTION_LOSS;
  const outcome = await pinned.session.reattach(run.control.clientPort(server));
  if (outcome === "expired") {
    run.drop(slot, "the session expired");
    return SESSION_EXPIRED;
  }
  if (outcome === "refused") return CONNECTION_LOSS;
  pinned.server = server;
  return OK;
}
