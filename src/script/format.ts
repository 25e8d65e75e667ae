/**
 * The scenario script format (shared/spec/script-format.md): the types of a scenario file, its
 * steps and its results. A scenario is a list of client operations over a few session slots;
 * the same file runs against zabsim's standalone server and against a real ZooKeeper 3.8, and
 * the two result lists are compared after zxid normalization (normalize.ts).
 *
 * These are plain data: the parser (parse.ts) builds them from JSON after checking every field,
 * so code that consumes a Scenario never re-validates shapes.
 */

/** ZooKeeper's CreateMode names (CreateMode.java), the `mode` field of a create. */
export type CreateModeName =
  | "PERSISTENT"
  | "EPHEMERAL"
  | "PERSISTENT_SEQUENTIAL"
  | "EPHEMERAL_SEQUENTIAL"
  | "CONTAINER"
  | "PERSISTENT_WITH_TTL"
  | "PERSISTENT_SEQUENTIAL_WITH_TTL";

/** Every create mode, in CreateMode's flag order (0..6). */
export const CREATE_MODES: readonly CreateModeName[] = [
  "PERSISTENT",
  "EPHEMERAL",
  "PERSISTENT_SEQUENTIAL",
  "EPHEMERAL_SEQUENTIAL",
  "CONTAINER",
  "PERSISTENT_WITH_TTL",
  "PERSISTENT_SEQUENTIAL_WITH_TTL",
];

/** `length` bytes, each the ASCII character `fill` (a compact way to write large data). */
export interface FillData {
  readonly fill: string;
  readonly length: number;
}

/**
 * Node data as a step gives it: a UTF-8 string, null (no data), or a fill. An absent `data`
 * field is represented as null: ZooKeeper's client sends both as a null buffer.
 */
export type DataSpec = string | null | FillData;

/** A create, as a step or inside a multi. `ttl` is undefined when the field is absent. */
export interface CreateSpec {
  readonly op: "create";
  readonly path: string;
  readonly data: DataSpec;
  readonly mode: CreateModeName;
  readonly ttl: number | undefined;
}

/** A delete; `version` -1 means any version. */
export interface DeleteSpec {
  readonly op: "delete";
  readonly path: string;
  readonly version: number;
}

/** A setData; `version` -1 means any version. */
export interface SetDataSpec {
  readonly op: "setData";
  readonly path: string;
  readonly data: DataSpec;
  readonly version: number;
}

/** A version check: only valid inside a multi. */
export interface CheckSpec {
  readonly op: "check";
  readonly path: string;
  readonly version: number;
}

/** One operation of a multi. */
export type MultiOp = CreateSpec | DeleteSpec | SetDataSpec | CheckSpec;

/** The fields every session-bound step carries: `s` is the session slot. */
interface Bound {
  readonly s: number;
}

export type CreateStep = CreateSpec & Bound;
export type DeleteStep = DeleteSpec & Bound;
export type SetDataStep = SetDataSpec & Bound;

/** A read: getData, exists or getChildren (getChildren2 on the wire). */
export interface ReadStep extends Bound {
  readonly op: "getData" | "exists" | "getChildren";
  readonly path: string;
  readonly watch: boolean;
}

export interface SyncStep extends Bound {
  readonly op: "sync";
  readonly path: string;
}

export interface MultiStep extends Bound {
  readonly op: "multi";
  readonly ops: readonly MultiOp[];
}

/** closeSession kills the slot's session; the slot stays dead until openSession. */
export interface CloseSessionStep extends Bound {
  readonly op: "closeSession";
}

/**
 * openSession puts a new session (next ordinal) in a dead slot. In an ensemble file `server`
 * names the server (1..servers) it opens on and stays pinned to; in a standalone file it is
 * undefined.
 */
export interface OpenSessionStep extends Bound {
  readonly op: "openSession";
  readonly server: number | undefined;
}

/** Either session step. */
export type SessionStep = CloseSessionStep | OpenSessionStep;

/** Nothing is sent; simulated time advances `ms` (live sessions keep pinging). */
export interface SleepStep {
  readonly op: "sleep";
  readonly ms: number;
}

/** Ensemble only: start server k (an empty disk the first time, what it fsynced after a stop). */
export interface StartStep {
  readonly op: "start";
  readonly server: number;
}

/** Ensemble only: kill server k at once (kill -9). */
export interface StopStep {
  readonly op: "stop";
  readonly server: number;
}

/** Ensemble only: wait until a quorum runs with one leader and every running server caught up. */
export interface StableStep {
  readonly op: "stable";
}

/** Ensemble only: reconnect the slot's session (same id, password, last zxid) to server k. */
export interface MoveStep extends Bound {
  readonly op: "move";
  readonly server: number;
}

/** The steps only an ensemble file (one with `servers`) may hold. */
export type EnsembleStep = StartStep | StopStep | StableStep | MoveStep;

/** One step of a scenario. */
export type Step =
  | CreateStep
  | DeleteStep
  | SetDataStep
  | ReadStep
  | SyncStep
  | MultiStep
  | SessionStep
  | SleepStep
  | EnsembleStep;

/** A step a file without `servers` may hold. */
export type StandaloneStep = Exclude<Step, EnsembleStep>;

/** Every step op name. */
export type StepOp = Step["op"];

/** The op names of an ensemble's own steps. */
export type EnsembleOp = EnsembleStep["op"];

/** Ops a file without `servers` may use (every op but the ensemble ones). */
export type StandaloneOp = Exclude<StepOp, EnsembleOp>;

export const ENSEMBLE_OPS: readonly EnsembleOp[] = ["start", "stop", "stable", "move"];

/** The largest ensemble a file may ask for. */
export const SERVERS_MAX = 7;

/** The ops of a standalone file; an ensemble file may also use ENSEMBLE_OPS. */
export const STEP_OPS: readonly StandaloneOp[] = [
  "create",
  "delete",
  "setData",
  "getData",
  "exists",
  "getChildren",
  "sync",
  "multi",
  "closeSession",
  "openSession",
  "sleep",
];

/** Server tuning a scenario may set. */
export interface ServerOptions {
  /** ContainerManager's period (znode.container.checkIntervalMs); first run one period in. */
  readonly containerCheckIntervalMs: number;
}

/** ZooKeeper's default znode.container.checkIntervalMs. */
export const DEFAULT_CONTAINER_CHECK_INTERVAL_MS = 60_000;

/**
 * One scenario: `sessions` slots opened in order before step 0, then the steps. In an ensemble
 * scenario (`servers` defined) every slot starts closed and no server runs before step 0.
 */
export interface Scenario {
  /** The id of a scenario in a multi-scenario file; undefined in a single-scenario file. */
  readonly id: string | undefined;
  /** The number of voting servers (ids 1..servers), or undefined for a standalone server. */
  readonly servers: number | undefined;
  readonly sessions: number;
  readonly server: ServerOptions;
  readonly steps: readonly Step[];
}

/** A parsed file: one scenario (one output line per step) or many (one line per scenario). */
export type ScenarioFile =
  | { readonly kind: "single"; readonly scenario: Scenario }
  | { readonly kind: "multi"; readonly scenarios: readonly Scenario[] };

// ---------------------------------------------------------------------------------------------
// Results

/** A Stat as printed: ctime/mtime omitted; ephemeralOwner 0 or "sN" by session ordinal. */
export interface StatResult {
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: 0 | string;
  readonly dataLength: number;
  readonly numChildren: number;
}

/** Data over 256 bytes prints as its length and the first 16 hex digits of its SHA-256. */
export interface DigestData {
  readonly length: number;
  readonly sha256: string;
}

/** getData's data: UTF-8 text, null for null data, or a digest for data over 256 bytes. */
export type DataResult = string | null | DigestData;

/** Watcher.Event.EventType names a standard watch can deliver. */
export type EventTypeName =
  | "NodeCreated"
  | "NodeDeleted"
  | "NodeDataChanged"
  | "NodeChildrenChanged";

/** One watch notification; `beforeResponse` only on the stepping session's own events. */
export interface EventResult {
  readonly s: number;
  readonly type: EventTypeName;
  readonly path: string;
  readonly beforeResponse?: boolean;
}

/** One entry of a multi's results, typed by the wire result (OpResult subclasses). */
export type MultiOpResult =
  | { readonly type: "create"; readonly err: string; readonly path: string }
  | {
      readonly type: "create2";
      readonly err: string;
      readonly path: string;
      readonly stat: StatResult;
    }
  | { readonly type: "delete"; readonly err: string }
  | { readonly type: "setData"; readonly err: string; readonly stat: StatResult }
  | { readonly type: "check"; readonly err: string }
  | { readonly type: "error"; readonly err: string };

/** The result of one step: only the keys that apply are present. */
export interface StepResult {
  /** "OK" or ZooKeeper's error code name (KeeperException.Code), e.g. "NONODE". */
  readonly err: string;
  readonly path?: string;
  readonly data?: DataResult;
  readonly children?: readonly string[];
  readonly stat?: StatResult;
  readonly results?: readonly MultiOpResult[];
  readonly session?: string;
  readonly reconnected?: boolean;
  /** stable: the leader's server id. */
  readonly leader?: number;
  /** stable: the leader's current epoch. */
  readonly epoch?: number;
  /** stable: the leader's last processed zxid, raw (epoch * 2^32 right after an election). */
  readonly zxid?: number;
  readonly events?: readonly EventResult[];
}

/** One output line of a multi-scenario file. */
export interface ScenarioResultLine {
  readonly id: string;
  readonly results: readonly StepResult[];
}
