/**
 * A resumable preorder walk of a subtree, children in sorted order, that skips the service's
 * reserved subtree. Given a cursor (the last path a previous walk finished), it resumes right
 * after it without reading what came before: a subtree that lies wholly before the cursor is
 * pruned unread, and only the cursor's ancestors are listed again.
 */
import { byString } from "../util/index.js";
import { isReservedPath } from "./layout.js";
import { keeperCodeOf } from "./zk.js";
import type { DataAndStat, ZooKeeperApi } from "./zk.js";

/** A path's components ("/" has none). */
function components(path: string): string[] {
  return path === "/" ? [] : path.slice(1).split("/");
}

/** Preorder comparison: an ancestor comes before its descendants, siblings by sorted name. */
export function comparePreorder(a: string, b: string): number {
  const x = components(a);
  const y = components(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const order = byString(x[i] ?? "", y[i] ?? "");
    if (order !== 0) return order;
  }
  return x.length - y.length;
}

/** True when `ancestor` is `path` or one of its ancestors. */
export function isAncestorOrSelf(ancestor: string, path: string): boolean {
  return ancestor === "/" || path === ancestor || path.startsWith(`${ancestor}/`);
}

function childPath(parent: string, child: string): string {
  return parent === "/" ? `/${child}` : `${parent}/${child}`;
}

/** One node visited by the walk. */
export interface Visited extends DataAndStat {
  readonly path: string;
}

/**
 * Yields every node of the subtree at `root` after `after` (all of it when undefined), in
 * preorder, with its data and stat. Nodes deleted while walking are skipped.
 */
export async function* walkAfter(zk: ZooKeeperApi, root: string, after: string | undefined):
  AsyncGenerator<Visited> {
  const stack = [root];
  for (let path = stack.pop(); path !== undefined; path = stack.pop()) {
    if (isReservedPath(path)) continue;
    const done = after !== undefined && comparePreorder(path, after) <= 0;
    if (done && !isAncestorOrSelf(path, after ?? "")) continue; // wholly before the cursor
    let listChildren = true;
    if (!done) {
      const read = await readOrSkip(zk, path);
      if (read === undefined) continue;
      yield { path, ...read };
      listChildren = read.stat.numChildren > 0;
    }
    if (!listChildren) continue;
    const children = await childrenOrSkip(zk, path);
    children.sort(byString);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push(childPath(path, children[i] ?? ""));
    }
  }
}

async function readOrSkip(zk: ZooKeeperApi, path: string): Promise<DataAndStat | undefined> {
  try {
    return await zk.getData(path);
  } catch (error) {
    if (keeperCodeOf(error) === "NONODE") return undefined;
    throw error;
  }
}

async function childrenOrSkip(zk: ZooKeeperApi, path: string): Promise<string[]> {
  try {
    return await zk.getChildren(path);
  } catch (error) {
    if (keeperCodeOf(error) === "NONODE") return [];
    throw error;
  }
}
