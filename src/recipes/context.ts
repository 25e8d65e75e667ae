/**
 * What a recipe runs on: a client node that can open ZooKeeper sessions, sleep in simulated
 * time, draw seeded random choices and report recipe events. src/run's ScenarioClient is one;
 * a test can hand a recipe any other. Recipes use only this and the client API.
 */
import type { Watcher, ZooKeeper } from "../client/index.js";
import type { RecipeEvent } from "../observe/index.js";
import type { Prng } from "../util/index.js";

/** A recipe's client node. */
export interface RecipeClient {
  /** The client node's id. */
  readonly node: number;
  /** A new session (a ZooKeeper object) on this node; the previous one is dropped. */
  connect(watcher?: Watcher): ZooKeeper;
  /** Resolves after `ms` of the node's simulated time. */
  sleep(ms: number): Promise<void>;
  /** This node's seeded stream: every random choice a recipe makes comes from it. */
  readonly random: Prng;
  /** Reports a recipe event (a `recipe` observation of this node and its session). */
  record(event: RecipeEvent): void;
  /** Simulated milliseconds since the task began, by its node's clock. */
  elapsedMs(): number;
}
