/**
 * The run's trace. Every delivered or dropped message, fired timer, disk completion, fault,
 * crash, restart and host observation is folded into a running 64-bit hash as it happens
 * (numbers straight in, no string building), so the hash is cheap enough to be always on and
 * two runs with equal hashes almost surely had equal traces. Observations are always kept in
 * order with their time and event index for the checkers. Full events are kept only on request
 * (`trace.keepEvents`), and rendered as JSON lines only when a sink is attached (`--trace FILE`).
 */
import { assertNever } from "../util/assert.js";
import type { DropReason, Envelope } from "./envelope.js";
import type { Fault, NodeId } from "./faults.js";
import { TraceHash } from "./trace-hash.js";

/** One thing that happened, as kept and rendered (the hash folds the same fields). */
export type TraceEvent =
  | { readonly kind: "start"; readonly node: NodeId; readonly cause: "boot" | "restart" }
  | {
      readonly kind: "deliver";
      readonly from: NodeId;
      readonly to: NodeId;
      readonly id: number;
      readonly copy: number;
      readonly message: string;
    }
  | {
      readonly kind: "drop";
      readonly from: NodeId;
      readonly to: NodeId;
      readonly id: number;
      readonly copy: number;
      readonly reason: DropReason;
    }
  | {
      readonly kind: "timer";
      readonly node: NodeId;
      readonly name: string;
      readonly generation: number;
    }
  | { readonly kind: "disk"; readonly node: NodeId; readonly writeId: number }
  | { readonly kind: "fault"; readonly fault: Fault }
  | { readonly kind: "crash"; readonly node: NodeId; readonly torn: string | null }
  | {
      readonly kind: "corrupted";
      readonly node: NodeId;
      readonly file: string;
      readonly index: number;
      readonly bit: number;
    }
  | { readonly kind: "observe"; readonly node: NodeId; readonly observation: unknown }
  | { readonly kind: "failure"; readonly node: NodeId | null; readonly message: string };

/** A trace event with when it happened: `index` is the world event it happened in. */
export interface TraceRecord {
  readonly index: number;
  readonly timeMicros: number;
  readonly event: TraceEvent;
}

/** An observation as the checkers get it. */
export interface ObservationRecord<O = unknown> {
  /** The world event (0-based count of events processed before it) it was made in. */
  readonly index: number;
  readonly timeMicros: number;
  /** The node that reported it. */
  readonly node: NodeId;
  readonly observation: O;
}

/** Receives one rendered JSON line (without the newline). */
export type TraceSink = (line: string) => void;

/** Turns a message payload into a short stable string for rendering and hashing. */
export type MessageDescriber<M> = (message: M) => string;

/**
 * Folds an observation's fields into the running hash. Without one, the trace folds the
 * observation's JSON text (slower, but any payload works).
 */
export type ObservationHasher<O> = (hasher: TraceHash, observation: O) => void;

function hashJson(hasher: TraceHash, observation: unknown): void {
  hasher.string(JSON.stringify(observation) ?? "undefined");
}

const CODE = {
  start: 1, deliver: 2, drop: 3, timer: 4, disk: 5, fault: 6, crash: 7, restart: 8, observe: 9,
  corrupted: 10, failure: 11,
} as const;

const DROP_CODE: Record<DropReason, number> = { loss: 1, partition: 2, down: 3, adversary: 4 };

/** The running trace of one world. */
export class Trace<M, O = unknown> {
  private readonly hasher = new TraceHash();
  // Observations are kept in parallel arrays (no wrapper object per observation, which halves
  // what a long run retains) and turned into records when read.
  private readonly observed: O[] = [];
  private readonly observedIndex: number[] = [];
  private readonly observedTime: number[] = [];
  private readonly observedNode: number[] = [];
  private records: ObservationRecord<O>[] = [];
  /** Every event in order, when kept. */
  readonly events: TraceRecord[] | undefined;
  /** The world event being processed; the world advances it. */
  index = 0;
  private readonly sink: TraceSink | undefined;
  private readonly describe: MessageDescriber<M> | undefined;
  private readonly building: boolean;
  private readonly hashObservation: ObservationHasher<O>;

  constructor(
    keepEvents: boolean, sink?: TraceSink, describe?: MessageDescriber<M>,
    hashObservation?: ObservationHasher<O>,
  ) {
    this.events = keepEvents ? [] : undefined;
    this.sink = sink;
    this.describe = describe;
    this.hashObservation = hashObservation ?? hashJson;
    this.building = keepEvents || sink !== undefined;
  }

  /** Every observation so far, in order (built on demand; cheap to call repeatedly). */
  get observations(): readonly ObservationRecord<O>[] {
    for (let i = this.records.length; i < this.observed.length; i++) {
      this.records.push({
        index: this.observedIndex[i] as number,
        timeMicros: this.observedTime[i] as number,
        node: this.observedNode[i] as number,
        observation: this.observed[i] as O,
      });
    }
    return this.records;
  }

  /** How many observations so far. */
  get observationCount(): number {
    return this.observed.length;
  }

  /** The trace hash so far, 16 hex digits. */
  hash(): string {
    return this.hasher.hex();
  }

  private record(timeMicros: number, event: TraceEvent): void {
    const record: TraceRecord = { index: this.index, timeMicros, event };
    this.events?.push(record);
    if (this.sink !== undefined) this.sink(renderRecord(record));
  }

  private head(code: number, timeMicros: number): void {
    this.hasher.word(code);
    this.hasher.number(timeMicros);
  }

  start(timeMicros: number, node: NodeId, cause: "boot" | "restart"): void {
    this.head(CODE.start, timeMicros);
    this.hasher.word(node);
    this.hasher.word(cause === "boot" ? 0 : 1);
    if (this.building) this.record(timeMicros, { kind: "start", node, cause });
  }

  deliver(timeMicros: number, envelope: Envelope<M>): void {
    const { from, to, id, copy } = envelope;
    this.hasher.envelope(CODE.deliver, timeMicros, from, to, id, copy);
    const text = this.describe === undefined ? undefined : this.describe(envelope.message);
    if (text !== undefined) this.hasher.string(text);
    if (!this.building) return;
    const message = text ?? JSON.stringify(envelope.message) ?? "undefined";
    this.record(timeMicros, { kind: "deliver", from, to, id, copy, message });
  }

  drop(timeMicros: number, envelope: Envelope<M>, reason: DropReason): void {
    const { from, to, id, copy } = envelope;
    this.hasher.envelope(CODE.drop, timeMicros, from, to, id, copy);
    this.hasher.word(DROP_CODE[reason]);
    if (!this.building) return;
    this.record(timeMicros, { kind: "drop", from, to, id, copy, reason });
  }

  timer(timeMicros: number, node: NodeId, name: string, generation: number): void {
    this.head(CODE.timer, timeMicros);
    this.hasher.word(node);
    this.hasher.string(name);
    this.hasher.number(generation);
    if (this.building) this.record(timeMicros, { kind: "timer", node, name, generation });
  }

  disk(timeMicros: number, node: NodeId, writeId: number): void {
    this.head(CODE.disk, timeMicros);
    this.hasher.word(node);
    this.hasher.number(writeId);
    if (this.building) this.record(timeMicros, { kind: "disk", node, writeId });
  }

  fault(timeMicros: number, fault: Fault): void {
    this.head(CODE.fault, timeMicros);
    hashFault(this.hasher, fault);
    if (this.building) this.record(timeMicros, { kind: "fault", fault });
  }

  crash(timeMicros: number, node: NodeId, torn: string | null): void {
    this.head(CODE.crash, timeMicros);
    this.hasher.word(node);
    this.hasher.string(torn ?? "");
    if (this.building) this.record(timeMicros, { kind: "crash", node, torn });
  }

  corrupted(timeMicros: number, node: NodeId, file: string, index: number, bit: number): void {
    this.head(CODE.corrupted, timeMicros);
    this.hasher.word(node);
    this.hasher.string(file);
    this.hasher.number(index);
    this.hasher.word(bit);
    if (this.building) this.record(timeMicros, { kind: "corrupted", node, file, index, bit });
  }

  observe(timeMicros: number, node: NodeId, observation: O): void {
    this.head(CODE.observe, timeMicros);
    this.hasher.word(node);
    this.hashObservation(this.hasher, observation);
    this.observed.push(observation);
    this.observedIndex.push(this.index);
    this.observedTime.push(timeMicros);
    this.observedNode.push(node);
    if (this.building) this.record(timeMicros, { kind: "observe", node, observation });
  }

  failure(timeMicros: number, node: NodeId | null, message: string): void {
    this.head(CODE.failure, timeMicros);
    this.hasher.word(node ?? 0xffffffff);
    this.hasher.string(message);
    if (this.building) this.record(timeMicros, { kind: "failure", node, message });
  }
}

/**
 * One JSON line for a trace record: fixed key order, so equal runs give equal bytes. Byte arrays
 * in a payload (znode data in an observation) render as hex strings, not as index maps.
 */
export function renderRecord(record: TraceRecord): string {
  return JSON.stringify({ i: record.index, t: record.timeMicros, ...record.event }, bytesAsHex);
}

function bytesAsHex(_key: string, value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  let text = "";
  for (const byte of value) text += byte.toString(16).padStart(2, "0");
  return text;
}

function hashNodes(hasher: TraceHash, nodes: readonly NodeId[]): void {
  hasher.word(nodes.length);
  for (const node of nodes) hasher.word(node);
}

function hashFault(hasher: TraceHash, fault: Fault): void {
  hasher.string(fault.kind);
  switch (fault.kind) {
    case "crash":
    case "restart":
      hasher.word(fault.node);
      return;
    case "partition":
    case "clog":
      hashNodes(hasher, fault.from);
      hashNodes(hasher, fault.to);
      hasher.word(fault.oneWay ? 1 : 0);
      if (fault.kind === "clog") hasher.number(fault.durationMicros);
      return;
    case "loss-burst":
      hasher.number(fault.lossProbability);
      hasher.number(fault.duplicateProbability);
      hasher.number(fault.durationMicros);
      return;
    case "clock-jump":
      hasher.word(fault.node);
      hasher.number(fault.deltaMicros);
      return;
    case "pause":
      hasher.word(fault.node);
      hasher.number(fault.durationMicros);
      return;
    case "corrupt":
      hasher.word(fault.node);
      hasher.number(fault.pick);
      return;
    case "heal-partitions":
    case "unclog":
    case "heal":
      return;
    default:
      assertNever(fault, "fault");
  }
}
