/**
 * Re-running a seed for the replay: the trace lines (as `--trace FILE` writes them), plus what
 * the trace leaves out and a learner wants to see, read off each message just before delivery
 * through the run's delivery tap: when it was sent (for the arrows of the space-time diagram),
 * the txns inside PROPOSAL and INFORM packets (for `setData /a` instead of a fingerprint, and
 * for the znode trees) and the snapshots inside SNAP packets. The tap changes nothing in the run:
 * the trace hash of a captured run equals the saved one.
 */
import type {
  LogEntry, QuorumEnvelope, QuorumPacket, Snapshot,
} from "../../consensus/index.js";
import { txnFingerprint } from "../../tree/index.js";
import { runSeed } from "../../run/index.js";
import type { RunOptions } from "../../run/index.js";
import type { Envelope } from "../../sim/index.js";
import type { CliIo } from "../io.js";
import type { TraceLine } from "../timeline.js";
import type { TracedRun } from "../traced.js";
import { TxnBook } from "./txns.js";

/** What a replay knows beyond the trace. */
export interface Extras {
  /** Envelope id -> true send time (copies share their original's id and send time). */
  readonly sentMicros: ReadonlyMap<number, number>;
  readonly book: TxnBook;
  /** Envelope id of a delivered SNAP -> the snapshot it carried. */
  readonly snaps: ReadonlyMap<number, Snapshot>;
  /** Envelope id of a delivered PROPOSAL or INFORM -> the fingerprint of its txn. */
  readonly proposals: ReadonlyMap<number, string>;
}

/** A re-run with its trace and the extras. */
export interface CapturedRun extends TracedRun {
  readonly extras: Extras;
}

/** The quorum packet inside a message, if it is one (client messages are not). */
function packetOf(message: unknown): QuorumPacket | undefined {
  const m = message as { kind?: unknown };
  return m.kind === "quorum" ? (message as QuorumEnvelope).packet : undefined;
}

/** Books the entry's txn; returns its fingerprint. */
function addEntry(book: TxnBook, entry: LogEntry): string {
  const origin = entry.origin === undefined ? undefined
    : { client: entry.origin.client as number, requestId: entry.origin.requestId };
  const fingerprint = txnFingerprint(entry.txn);
  book.add(fingerprint, { zxid: entry.zxid, txn: entry.txn, origin });
  return fingerprint;
}

/** Runs `seed` again, keeping the trace lines and the extras. */
export async function capturedRun(
  io: CliIo, seed: number, options: RunOptions,
): Promise<CapturedRun> {
  const lines: TraceLine[] = [];
  const sentMicros = new Map<number, number>();
  const snaps = new Map<number, Snapshot>();
  const proposals = new Map<number, string>();
  const book = new TxnBook();
  const tap = (envelope: Envelope<unknown>): void => {
    sentMicros.set(envelope.id, envelope.sentMicros);
    const packet = packetOf(envelope.message);
    if (packet === undefined) return;
    if (packet.type === "PROPOSAL" || packet.type === "INFORM") {
      proposals.set(envelope.id, addEntry(book, packet.entry));
    }
    if (packet.type === "SNAP") snaps.set(envelope.id, packet.snapshot);
  };
  const started = io.wallMillis();
  const report = await runSeed(seed, options, {
    traceSink: (line) => lines.push(JSON.parse(line) as TraceLine),
    deliveryTap: tap,
  });
  const wallMs = io.wallMillis() - started;
  book.nameAll(lines);
  return { report, lines, wallMs, extras: { sentMicros, book, snaps, proposals } };
}

/** The extras of a saved trace: no send times, no txns, labels from client completions only. */
export function traceOnlyExtras(lines: readonly TraceLine[]): Extras {
  const book = new TxnBook();
  book.nameAll(lines);
  return { sentMicros: new Map(), book, snaps: new Map(), proposals: new Map() };
}
