/**
 * A small, obviously-correct model of the znode tree for the property tests: a Map from path to
 * a record, children found by scanning, every rule written out plainly from ZooKeeper's
 * documentation and source (DataTree, PrepRequestProcessor, DataNode.copyStat), for the subset
 * of operations the generator draws: create (persistent, ephemeral, sequential, container),
 * delete, setData, getData/exists/getChildren with one-shot watches, multi and closeSession.
 */

export interface ModelNode {
  data: string | null;
  czxid: number;
  mzxid: number;
  pzxid: number;
  version: number;
  /** Children ever created here (ZooKeeper's stored cversion). */
  childCreates: number;
  /** Owning session for ephemerals, else 0. */
  owner: number;
  container: boolean;
}

export interface ModelStat {
  czxid: number;
  mzxid: number;
  pzxid: number;
  version: number;
  cversion: number;
  ephemeralOwner: number;
  dataLength: number;
  numChildren: number;
}

export type ModelEvent = [session: number, type: string, path: string];

export type ModelOp =
  | { op: "create"; path: string; mode: ModelMode; data: string | null }
  | { op: "delete"; path: string; version: number }
  | { op: "setData"; path: string; data: string | null; version: number }
  | { op: "check"; path: string; version: number };

export type ModelMode = "PERSISTENT" | "EPHEMERAL" | "PERSISTENT_SEQUENTIAL" |
  "EPHEMERAL_SEQUENTIAL" | "CONTAINER";

export interface ModelResult {
  err: string;
  path?: string;
  stat?: ModelStat;
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut === 0 ? "/" : path.slice(0, cut);
}

function utf8Length(text: string | null): number {
  return text === null ? 0 : new TextEncoder().encode(text).length;
}

/** The model tree plus its watches (session -> kind -> paths). */
export class Model {
  nodes = new Map<string, ModelNode>();
  dataWatches = new Set<string>();
  childWatches = new Set<string>();

  constructor() {
    const system = (): ModelNode => ({ data: "", czxid: 0, mzxid: 0, pzxid: 0, version: 0,
      childCreates: 0, owner: 0, container: false });
    for (const path of ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"]) {
      this.nodes.set(path, system());
    }
  }

  children(path: string): string[] {
    const prefix = path === "/" ? "/" : `${path}/`;
    const names: string[] = [];
    for (const key of this.nodes.keys()) {
      if (key !== path && key.startsWith(prefix) && !key.slice(prefix.length).includes("/")) {
        names.push(key.slice(prefix.length));
      }
    }
    return names.sort();
  }

  stat(path: string): ModelStat {
    const node = this.nodes.get(path);
    if (node === undefined) throw new Error(`no ${path}`);
    const numChildren = this.children(path).length;
    return { czxid: node.czxid, mzxid: node.mzxid, pzxid: node.pzxid, version: node.version,
      cversion: 2 * node.childCreates - numChildren, ephemeralOwner: node.owner,
      dataLength: utf8Length(node.data), numChildren };
  }

  /** Fires and removes one-shot watches of one kind on one path. */
  private fire(kind: "data" | "child", path: string, type: string, out: ModelEvent[],
    skip: Set<number> = new Set()): Set<number> {
    const table = kind === "data" ? this.dataWatches : this.childWatches;
    const told = new Set<number>();
    for (const key of [...table]) {
      const [session, watched] = JSON.parse(key) as [number, string];
      if (watched !== path) continue;
      table.delete(key);
      told.add(session);
      if (!skip.has(session)) out.push([session, type, path]);
    }
    return told;
  }

  watch(kind: "data" | "child", session: number, path: string): void {
    (kind === "data" ? this.dataWatches : this.childWatches).add(JSON.stringify([session, path]));
  }

  /** The error a single op would give against the current model state, or the final path. */
  check(op: ModelOp, session: number): { err: string; path?: string } {
    const node = this.nodes.get(op.path);
    if (op.op === "create") {
      const parent = this.nodes.get(parentOf(op.path));
      if (parent === undefined) return { err: "NONODE" };
      const sequential = op.mode.includes("SEQUENTIAL");
      const path = sequential ? op.path + String(parent.childCreates).padStart(10, "0")
        : op.path;
      if (this.nodes.has(path)) return { err: "NODEEXISTS" };
      if (parent.owner !== 0) return { err: "NOCHILDRENFOREPHEMERALS" };
      void session;
      return { err: "OK", path };
    }
    if (op.op === "delete") {
      if (!this.nodes.has(parentOf(op.path))) return { err: "NONODE" };
      if (node === undefined) return { err: "NONODE" };
      if (op.version !== -1 && op.version !== node.version) return { err: "BADVERSION" };
      if (this.children(op.path).length > 0) return { err: "NOTEMPTY" };
      return { err: "OK" };
    }
    if (node === undefined) return { err: "NONODE" };
    if (op.version !== -1 && op.version !== node.version) return { err: "BADVERSION" };
    return { err: "OK" };
  }

  /** Applies an op that check() passed, at `zxid`, appending fired events. */
  apply(op: ModelOp, path: string, session: number, zxid: number, out: ModelEvent[]):
    ModelResult {
    if (op.op === "create") {
      const parentPath = parentOf(path);
      const parent = this.nodes.get(parentPath);
      if (parent === undefined) throw new Error("checked");
      parent.childCreates++;
      parent.pzxid = zxid;
      const ephemeral = op.mode.startsWith("EPHEMERAL");
      this.nodes.set(path, { data: op.data, czxid: zxid, mzxid: zxid, pzxid: zxid, version: 0,
        childCreates: 0, owner: ephemeral ? session : 0, container: op.mode === "CONTAINER" });
      this.fire("data", path, "NodeCreated", out);
      this.fire("child", parentPath, "NodeChildrenChanged", out);
      return { err: "OK", path, stat: this.stat(path) };
    }
    if (op.op === "delete") {
      this.remove(path, zxid, out);
      return { err: "OK", path };
    }
    if (op.op === "check") return { err: "OK", path };
    const node = this.nodes.get(path);
    if (node === undefined) throw new Error("checked");
    node.data = op.data;
    node.version = (node.version + 1) | 0;
    node.mzxid = zxid;
    this.fire("data", path, "NodeDataChanged", out);
    return { err: "OK", path, stat: this.stat(path) };
  }

  remove(path: string, zxid: number, out: ModelEvent[]): void {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (parent === undefined) throw new Error("checked");
    this.nodes.delete(path);
    if (zxid > parent.pzxid) parent.pzxid = zxid;
    const told = this.fire("data", path, "NodeDeleted", out);
    this.fire("child", path, "NodeDeleted", out, told);
    this.fire("child", parentPath, "NodeChildrenChanged", out);
  }

  /** closeSession: every ephemeral of the session goes, then its watches. */
  close(session: number, zxid: number, out: ModelEvent[]): void {
    for (const [path, node] of [...this.nodes]) {
      if (node.owner === session) this.remove(path, zxid, out);
    }
    for (const table of [this.dataWatches, this.childWatches]) {
      for (const key of [...table]) {
        if ((JSON.parse(key) as [number, string])[0] === session) table.delete(key);
      }
    }
  }
}
