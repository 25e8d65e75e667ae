/**
 * Client order: what one client sees never goes back in time. ZooKeeper promises FIFO client
 * order (a client's requests are applied in the order it sent them) and a single system image
 * ("a client will see the same view of the service regardless of the server that it connects
 * to": a server refuses a session whose lastZxidSeen is ahead of it, ZooKeeperServer
 * .processConnectRequest). The workload sends one request at a time, so for each client:
 * - the zxids its replies carry never decrease (a read answers with the server's last processed
 *   zxid, a write with its txn's);
 * - a write's zxid is above every zxid the client saw before it (its txn is new).
 * Connection-level answers (CONNECTIONLOSS, SESSIONMOVED, SESSIONEXPIRED, NOTREADONLY) are
 * skipped: they say the request was not served, whatever zxid they carry.
 */
import { showZxid } from "./history.js";
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

const NOT_SERVED = new Set(["CONNECTIONLOSS", "SESSIONMOVED", "SESSIONEXPIRED", "NOTREADONLY"]);

/** Checks every client's replies for zxids going backwards. */
export function checkClientOrder(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const seen = new Map<number, { zxid: number; op: number }>();
  const sessions = new Map<number, number>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "session") {
      // A new session promises nothing about what an earlier one saw.
      if (o.event !== "connected" || sessions.get(o.client) !== o.session) seen.delete(o.client);
      sessions.set(o.client, o.event === "connected" ? o.session : 0);
      continue;
    }
    if (o.kind !== "complete" || o.zxid <= 0 || NOT_SERVED.has(o.err)) continue;
    const last = seen.get(o.client);
    if (last !== undefined) {
      const write = o.txn !== null;
      if (o.zxid < last.zxid || (write && o.zxid === last.zxid)) {
        found.add(violationAt("client-order", record,
          `client ${o.client} got ${showZxid(o.zxid)} for ${write ? "write" : "read"} op ${o.op} ` +
          `after seeing ${showZxid(last.zxid)} (op ${last.op})`));
      }
    }
    if (last === undefined || o.zxid > last.zxid) seen.set(o.client, { zxid: o.zxid, op: o.op });
  }
  return found.items;
}
