/**
 * Sync: a read after a sync on the same session sees every write acknowledged to any client
 * before the sync was invoked (ZooKeeper Programmer's Guide, "Consistency Guarantees": sync
 * "causes a server instance to be up-to-date with the leader"; FollowerRequestProcessor
 * forwards it, and the follower answers only after the commits the leader sent before its
 * SYNC reply, Learner.sync). The server's state is judged by the zxid its read replies carry
 * (its last processed zxid): once a sync completed, every later read of the session must answer
 * at or above the highest txn zxid any client had been answered before that sync's invocation.
 * Sync ignores its path (the whole server catches up), so every read counts, on any path; the
 * linearizability checker judges values, but only on paths its model follows.
 *
 * Allowed, and left out: a sync answered while a newer epoch than its server's was established
 * (a deposed leader answers sync without a quorum round, Leader.processSync; the linearizability
 * checker counts those as allowed stale sync reads). A session ends the promise: as in
 * client-order, the bound is dropped when the client's session ends or changes.
 */
import { showZxid } from "./history.js";
import { Epochs } from "./linear/index.js";
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

const NOT_SERVED = new Set(["CONNECTIONLOSS", "SESSIONMOVED", "SESSIONEXPIRED", "NOTREADONLY"]);
const READS = new Set(["getData", "exists", "getChildren", "getChildren2", "getAllChildrenNumber",
  "getACL", "getEphemerals"]);

/** What a completed sync obliges its session's later reads to see. */
interface Bound {
  readonly zxid: number;
  readonly syncOp: number;
}

/** Checks every read that follows a completed sync on its session. */
export function checkSync(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const epochs = new Epochs();
  const invoked = new Map<string, { type: string; node: number; acked: number }>();
  const bounds = new Map<number, Bound>();
  const sessions = new Map<number, number>();
  let acked = 0;
  for (const record of records) {
    const o = record.observation;
    epochs.see(o);
    if (o.kind === "session") {
      if (o.event !== "connected" || sessions.get(o.client) !== o.session) bounds.delete(o.client);
      sessions.set(o.client, o.event === "connected" ? o.session : 0);
    } else if (o.kind === "invoke") {
      invoked.set(`${o.client}:${o.op}`, { type: o.request.type, node: o.node, acked });
    } else if (o.kind === "complete") {
      const key = `${o.client}:${o.op}`;
      const call = invoked.get(key);
      invoked.delete(key);
      if (NOT_SERVED.has(o.err) || o.zxid <= 0) continue;
      if (o.txn !== null) acked = Math.max(acked, o.zxid);
      if (call === undefined) continue;
      const bound = bounds.get(o.client);
      if (call.type === "sync" && o.err === "OK" && !epochs.superseded(call.node)) {
        if (bound === undefined || call.acked > bound.zxid) {
          bounds.set(o.client, { zxid: call.acked, syncOp: o.op });
        }
        if (o.zxid < call.acked) {
          found.add(violationAt("sync", record,
            `client ${o.client} sync op ${o.op} answered at ${showZxid(o.zxid)}, below ` +
            `${showZxid(call.acked)} acknowledged before it was invoked`));
        }
      } else if (READS.has(call.type) && bound !== undefined && o.zxid < bound.zxid) {
        found.add(violationAt("sync", record,
          `client ${o.client} read op ${o.op} answered at ${showZxid(o.zxid)} after its sync ` +
          `op ${bound.syncOp}, which must see ${showZxid(bound.zxid)} acknowledged before it`));
      }
    }
  }
  return found.items;
}
