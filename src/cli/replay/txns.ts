/**
 * Transactions as a learner reads them: `setData /a`, not `8d4f163889446dce`. The trace names a
 * txn by its fingerprint only; the txn itself travels in PROPOSAL and INFORM packets, which a
 * re-run sees just before delivery (capture.ts). The book maps fingerprints to txns and labels;
 * for a saved trace without the run, a client's `complete` (which carries the fingerprint of
 * its write) and its `invoke` (the request) still name most txns.
 */
import type { SubTxn, Txn } from "../../tree/index.js";
import { formatZxid } from "../../util/index.js";
import type { TraceLine } from "../timeline.js";
import { requestText } from "../request-text.js";

/** Who asked for a txn (LogEntry.origin): the client and its request number. */
export interface TxnOrigin {
  readonly client: number;
  readonly requestId: number;
}

/** A txn the run carried, by fingerprint. */
export interface BookEntry {
  readonly zxid: number;
  readonly txn: Txn;
  readonly origin: TxnOrigin | undefined;
}

/** Fingerprint -> txn (from the packets a run delivered) and fingerprint -> label. */
export class TxnBook {
  readonly entries = new Map<string, BookEntry>();
  private readonly labels = new Map<string, string>();

  /** Records a txn seen in a PROPOSAL or INFORM packet (or a leader's own log). */
  add(fingerprint: string, entry: BookEntry): void {
    if (!this.entries.has(fingerprint)) this.entries.set(fingerprint, entry);
  }

  /** A label for a fingerprint: what the txn does, or the fingerprint when nothing names it. */
  label(fingerprint: string): string {
    return this.labels.get(fingerprint) ?? `txn ${fingerprint.slice(0, 8)}`;
  }

  /** True when the book knows the txn's operation. */
  knows(fingerprint: string): boolean {
    return this.labels.has(fingerprint);
  }

  /**
   * Names every txn: from the txn itself when the book has it, else from the client request
   * whose completion carried the fingerprint. Error txns name the request that failed.
   */
  nameAll(lines: readonly TraceLine[]): void {
    const requests = clientRequests(lines);
    for (const [fingerprint, entry] of this.entries) {
      const asked = entry.origin === undefined ? undefined
        : requests.byOp.get(`${entry.origin.client}/${entry.origin.requestId}`);
      this.labels.set(fingerprint, txnLabel(entry.txn, asked));
    }
    for (const [fingerprint, named] of requests.byFingerprint) {
      if (!this.labels.has(fingerprint)) this.labels.set(fingerprint, named);
    }
  }
}


/** The client requests of a trace: by "client/op", and by the fingerprint their reply carried. */
function clientRequests(lines: readonly TraceLine[]): {
  byOp: Map<string, string>; byFingerprint: Map<string, string>;
} {
  const byOp = new Map<string, string>();
  const byFingerprint = new Map<string, string>();
  for (const line of lines) {
    if (line.kind !== "observe") continue;
    const o = line["observation"] as Record<string, unknown>;
    const key = `${String(o["client"])}/${String(o["op"])}`;
    if (o["kind"] === "invoke") byOp.set(key, requestText(o["request"]));
    if (o["kind"] === "complete" && typeof o["txn"] === "string") {
      const request = byOp.get(key) ?? "write";
      const err = String(o["err"]);
      byFingerprint.set(o["txn"], err === "OK" ? request : `${request} -> ${err}`);
    }
  }
  return { byOp, byFingerprint };
}

const sessionHex = (sessionId: number): string => formatZxid(sessionId);

function subLabel(sub: SubTxn): string {
  switch (sub.type) {
    case "error":
      return `error ${sub.err}`;
    case "create":
    case "create2":
    case "createContainer":
    case "createTTL":
      return `create ${sub.path}`;
    default:
      return `${sub.type} ${sub.path}`;
  }
}

/** What a txn does, in ZooKeeper's operation names. `asked` is the client's request, if known. */
export function txnLabel(txn: Txn, asked: string | undefined): string {
  const body = txn.body;
  switch (body.type) {
    case "error":
      return `${asked ?? "write"} -> ${body.err}`;
    case "createSession":
      return `createSession ${sessionHex(txn.header.sessionId)}`;
    case "closeSession":
      return `closeSession ${sessionHex(txn.header.sessionId)}`;
    case "deleteContainer":
      return `deleteContainer ${body.path}`;
    case "setACL":
      return `setACL ${body.path}`;
    case "multi":
      return `multi(${body.txns.map(subLabel).join(", ")})`;
    default:
      return subLabel(body);
  }
}
