/**
 * The client's record of its armed one-shot watches, kept as the Java client's ZKWatchManager
 * keeps them, so a reconnect can re-register exactly those with setWatches:
 * - getData(watch) arms a data watch when the reply is OK;
 * - exists(watch) arms a data watch on OK and an exist watch on NONODE (ExistsWatchRegistration);
 * - getChildren(watch) arms a child watch when the reply is OK.
 * A notification consumes them: NodeCreated/NodeDataChanged the data and exist watches,
 * NodeChildrenChanged the child watch, NodeDeleted all three (ZKWatchManager.materialize).
 */
import type { JuteWriter } from "./jute.js";
import type { ZkRequest } from "./requests.js";

const ERR_OK = 0;
const ERR_NONODE = -101;
const NODE_CREATED = 1;
const NODE_DELETED = 2;
const NODE_DATA_CHANGED = 3;
const NODE_CHILDREN_CHANGED = 4;

export class WatchBook {
  private readonly data = new Set<string>();
  private readonly exist = new Set<string>();
  private readonly child = new Set<string>();

  isEmpty(): boolean {
    return this.data.size === 0 && this.exist.size === 0 && this.child.size === 0;
  }

  /** Arms the watch a read asked for, according to the reply's error code. */
  registered(request: ZkRequest, err: number): void {
    if (request.op === "getData" && request.watch && err === ERR_OK) {
      this.data.add(request.path);
    } else if (request.op === "exists" && request.watch) {
      if (err === ERR_OK) this.data.add(request.path);
      else if (err === ERR_NONODE) this.exist.add(request.path);
    } else if (request.op === "getChildren" && request.watch && err === ERR_OK) {
      this.child.add(request.path);
    }
  }

  /** Consumes the watches a notification fired. */
  fired(type: number, path: string): void {
    if (type === NODE_CREATED || type === NODE_DATA_CHANGED || type === NODE_DELETED) {
      this.data.delete(path);
      this.exist.delete(path);
    }
    if (type === NODE_CHILDREN_CHANGED || type === NODE_DELETED) this.child.delete(path);
  }

  /** The three path vectors of SetWatches (data, exist, child), each sorted for stability. */
  writeSetWatches(writer: JuteWriter): void {
    writer.writeStrings([...this.data].sort());
    writer.writeStrings([...this.exist].sort());
    writer.writeStrings([...this.child].sort());
  }
}
