/**
 * The checker's own naive model of ZooKeeper znodes (never `src/tree`: shared/style.md rule 1).
 * A state maps each path of one partition to its data and data version; a path absent from the
 * map does not exist. It answers create, delete, setData, getData and exists as ZooKeeper 3.8
 * does, with the error codes in PrepRequestProcessor.pRequest2Txn's check order:
 * - create: parent missing NONODE, then node present NODEEXISTS; a new node has version 0;
 * - delete: node missing NONODE, then expected version (not -1) differs BADVERSION, then a child
 *   present NOTEMPTY;
 * - setData: node missing NONODE, then BADVERSION; success increments the version;
 * - getData: NONODE, or the data and version; exists: the version, or NONODE for a null stat.
 * A parent no operation names is assumed to exist throughout (the root always does), and a path
 * with no operation is assumed absent (the history starts from an empty subtree).
 * `test/unit/check/znode-model.test.ts` holds it against src/tree on random sequences.
 */
import type { Model } from "../model.js";

/** The error codes the znode model answers (ZooKeeper's KeeperException.Code names). */
export type ZnodeError = "NONODE" | "NODEEXISTS" | "BADVERSION" | "NOTEMPTY";

/** A znode request. `version` -1 matches any version, as in ZooKeeper. */
export type ZnodeInput =
  | { readonly f: "create"; readonly path: string; readonly data: string }
  | { readonly f: "delete"; readonly path: string; readonly version: number }
  | { readonly f: "setData"; readonly path: string; readonly data: string;
    readonly version: number }
  | { readonly f: "getData"; readonly path: string }
  | { readonly f: "exists"; readonly path: string };

/**
 * A znode answer: an error code, or success with what the client saw (getData: data and
 * version; setData and exists: the version; null where the client did not record it).
 */
export type ZnodeOutput =
  | { readonly error: ZnodeError }
  | { readonly error: null; readonly data: string | null; readonly version: number | null };

/** One node of a state. */
interface Node {
  readonly data: string;
  readonly version: number;
}

/** Paths of one partition, sorted, with their nodes; absent paths do not exist. */
export type ZnodeState = ReadonlyMap<string, Node>;

/** "/a/b" -> "/a"; "/a" -> "/". */
export function parentOf(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}

type Outcome = { readonly state: ZnodeState; readonly output: ZnodeOutput };

const fail = (state: ZnodeState, error: ZnodeError): Outcome => ({ state, output: { error } });
const okOutput = (data: string | null, version: number | null): ZnodeOutput =>
  ({ error: null, data, version });

function withNode(state: ZnodeState, path: string, node: Node | null): ZnodeState {
  const next = new Map(state);
  if (node === null) next.delete(path);
  else next.set(path, node);
  return next;
}

/** True when `path`'s parent exists: present in the state, or never named (assumed). */
function parentExists(state: ZnodeState, known: ReadonlySet<string>, path: string): boolean {
  const parent = parentOf(path);
  return parent === "/" || state.has(parent) || !known.has(parent);
}

function hasChild(state: ZnodeState, path: string): boolean {
  for (const other of state.keys()) if (parentOf(other) === path) return true;
  return false;
}

/** What ZooKeeper answers to `input` in `state`, and the state after it. */
export function applyZnode(
  state: ZnodeState, known: ReadonlySet<string>, input: ZnodeInput,
): Outcome {
  const node = state.get(input.path);
  switch (input.f) {
    case "create":
      if (!parentExists(state, known, input.path)) return fail(state, "NONODE");
      if (node !== undefined) return fail(state, "NODEEXISTS");
      return {
        state: withNode(state, input.path, { data: input.data, version: 0 }),
        output: okOutput(null, 0),
      };
    case "delete":
      if (node === undefined) return fail(state, "NONODE");
      if (input.version !== -1 && input.version !== node.version) {
        return fail(state, "BADVERSION");
      }
      if (hasChild(state, input.path)) return fail(state, "NOTEMPTY");
      return { state: withNode(state, input.path, null), output: okOutput(null, null) };
    case "setData": {
      if (node === undefined) return fail(state, "NONODE");
      if (input.version !== -1 && input.version !== node.version) {
        return fail(state, "BADVERSION");
      }
      const version = node.version + 1;
      return {
        state: withNode(state, input.path, { data: input.data, version }),
        output: okOutput(null, version),
      };
    }
    case "getData":
      return node === undefined ? fail(state, "NONODE")
        : { state, output: okOutput(node.data, node.version) };
    case "exists":
      return node === undefined ? fail(state, "NONODE")
        : { state, output: okOutput(null, node.version) };
  }
}

/** True when ZooKeeper's answer `actual` is consistent with what the client recorded. */
function matches(actual: ZnodeOutput, seen: ZnodeOutput): boolean {
  if (actual.error !== null || seen.error !== null) return actual.error === seen.error;
  return (seen.data === null || seen.data === actual.data) &&
    (seen.version === null || seen.version === actual.version);
}

/** Groups operation indices by connected paths (a path and its parent, when both are named). */
function partitionByPath(inputs: readonly ZnodeInput[]): { name: string; members: number[] }[] {
  const root = new Map<string, string>();
  const find = (path: string): string => {
    let at = path;
    for (let up = root.get(at); up !== undefined && up !== at; up = root.get(at)) at = up;
    return at;
  };
  for (const input of inputs) root.set(input.path, input.path);
  for (const path of [...root.keys()].sort()) {
    const parent = parentOf(path);
    if (root.has(parent)) root.set(find(path), find(parent));
  }
  const groups = new Map<string, number[]>();
  inputs.forEach((input, at) => {
    const key = find(input.path);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [at]);
    else group.push(at);
  });
  return [...groups.keys()].sort()
    .map((key) => ({ name: `path ${key}`, members: groups.get(key) ?? [] }));
}

function stateKey(state: ZnodeState): string {
  return [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, node]) => `${path}@${node.version}=${JSON.stringify(node.data)}`)
    .join(";");
}

function describeInput(input: ZnodeInput): string {
  switch (input.f) {
    case "create":
      return `create ${input.path} ${JSON.stringify(input.data)}`;
    case "delete":
      return `delete ${input.path} v${input.version}`;
    case "setData":
      return `setData ${input.path} ${JSON.stringify(input.data)} v${input.version}`;
    case "getData":
    case "exists":
      return `${input.f} ${input.path}`;
  }
}

function describeOutput(output: ZnodeOutput | undefined): string {
  if (output === undefined) return "(unknown outcome)";
  if (output.error !== null) return output.error;
  const data = output.data === null ? "" : ` ${JSON.stringify(output.data)}`;
  return `ok${data}${output.version === null ? "" : ` v${output.version}`}`;
}

/** The znode model over a history whose operations name `paths`. */
export function znodeModel(paths: Iterable<string>): Model<ZnodeState, ZnodeInput, ZnodeOutput> {
  const known = new Set(paths);
  return {
    name: "znode",
    init: () => new Map(),
    step: (state, input, output) => {
      const outcome = applyZnode(state, known, input);
      if (output === undefined) return outcome.output.error === null ? outcome.state : undefined;
      return matches(outcome.output, output) ? outcome.state : undefined;
    },
    key: stateKey,
    readOnly: (input) => input.f === "getData" || input.f === "exists",
    noop: (input, output) => input.f === "getData" || input.f === "exists" ||
      (output !== undefined && output.error !== null),
    partition: partitionByPath,
    describeOp: (input, output) => `${describeInput(input)} -> ${describeOutput(output)}`,
    describeState: (state) => (state.size === 0 ? "(no nodes)" : stateKey(state)),
  };
}
