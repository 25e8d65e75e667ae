/**
 * The watches a client believes it holds (the Java client's ZKWatchManager), kept per session so
 * a reconnect can re-register them with setWatches exactly as ClientCnxn.primeConnection does.
 * The server forgets a connection's watches when the connection drops; the client's lists are
 * what brings them back, so their rules matter:
 *
 * - exists registers on OK (dataWatches) and on NONODE (existWatches), getData on OK only
 *   (dataWatches), getChildren on OK only (childWatches): ExistsWatchRegistration and
 *   WatchRegistration.register;
 * - a notification removes what it triggers (ZKWatchManager.materialize): NodeCreated and
 *   NodeDataChanged clear the path's data and exist watches, NodeChildrenChanged its child
 *   watch, NodeDeleted all three.
 */
import { assertNever, byString } from "../util/index.js";
import type { ErrorCode, EventType } from "../tree/index.js";

/** Which read set the watch. */
export type WatchingRead = "exists" | "getData" | "getChildren";

/** The three lists a SetWatches request carries, sorted so the order is defined. */
export interface WatchLists {
  readonly dataWatches: readonly string[];
  readonly existWatches: readonly string[];
  readonly childWatches: readonly string[];
}

/** One client's registered standard watches. */
export class ClientWatches {
  private readonly data = new Set<string>();
  private readonly exist = new Set<string>();
  private readonly child = new Set<string>();

  /** WatchRegistration.register: records the watch a read with watch=true left, given its rc. */
  register(read: WatchingRead, path: string, err: ErrorCode): void {
    switch (read) {
      case "exists":
        if (err === "OK") this.data.add(path);
        else if (err === "NONODE") this.exist.add(path);
        return;
      case "getData":
        if (err === "OK") this.data.add(path);
        return;
      case "getChildren":
        if (err === "OK") this.child.add(path);
        return;
      default:
        assertNever(read, "watching read");
    }
  }

  /** ZKWatchManager.materialize: the watches a notification consumes. */
  onNotification(type: EventType, path: string): void {
    switch (type) {
      case "NodeCreated":
      case "NodeDataChanged":
        this.data.delete(path);
        this.exist.delete(path);
        return;
      case "NodeChildrenChanged":
        this.child.delete(path);
        return;
      case "NodeDeleted":
        this.data.delete(path);
        this.exist.delete(path);
        this.child.delete(path);
        return;
      default:
        assertNever(type, "event type");
    }
  }

  /** The lists primeConnection sends in SetWatches after a reconnect. */
  lists(): WatchLists {
    return {
      dataWatches: [...this.data].sort(byString),
      existWatches: [...this.exist].sort(byString),
      childWatches: [...this.child].sort(byString),
    };
  }

  /** True when primeConnection would send no SetWatches at all. */
  isEmpty(): boolean {
    return this.data.size === 0 && this.exist.size === 0 && this.child.size === 0;
  }
}
