/**
 * A host whose behaviour each test supplies as callbacks, and which logs every input it gets
 * with its local clock reading. For kernel tests only.
 */
import type { Envelope } from "../../../src/sim/envelope.js";
import type { Host, HostContext, NodeRole, WriteId } from "../../../src/sim/host.js";
import { LOCAL_CLOCK_BASE_MICROS } from "../../../src/sim/clock.js";

/** The local reading relative to the clocks' common base (0 at true time 0 without skew). */
const localTime = (ctx: { readonly localMicros: number }): number =>
  ctx.localMicros - LOCAL_CLOCK_BASE_MICROS;

export type Ctx = HostContext<string>;

export interface Script {
  start?(ctx: Ctx, cause: "boot" | "restart"): void;
  deliver?(ctx: Ctx, envelope: Envelope<string>): void;
  timerFired?(ctx: Ctx, name: string, generation: number): void;
  diskCompleted?(ctx: Ctx, writeId: WriteId): void;
  crashed?(): void;
}

export class Scripted implements Host<string> {
  /** Every input as "local-time kind detail". */
  readonly log: string[] = [];

  constructor(
    readonly id: number,
    private readonly script: Script,
    readonly role: NodeRole = "voter",
  ) {}

  start(ctx: Ctx, cause: "boot" | "restart"): void {
    this.log.push(`${localTime(ctx)} start ${cause}`);
    this.script.start?.(ctx, cause);
  }

  deliver(ctx: Ctx, envelope: Envelope<string>): void {
    this.log.push(`${localTime(ctx)} deliver ${envelope.from}:${envelope.message}`);
    this.script.deliver?.(ctx, envelope);
  }

  timerFired(ctx: Ctx, name: string, generation: number): void {
    this.log.push(`${localTime(ctx)} timer ${name}#${generation}`);
    this.script.timerFired?.(ctx, name, generation);
  }

  diskCompleted(ctx: Ctx, writeId: WriteId): void {
    this.log.push(`${localTime(ctx)} disk ${writeId}`);
    this.script.diskCompleted?.(ctx, writeId);
  }

  crashed(): void {
    this.log.push("crashed");
    this.script.crashed?.();
  }
}
