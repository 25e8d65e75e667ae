/**
 * The recipes module's public surface: what people use ZooKeeper for (locks, leader election,
 * membership; configuration, caches, queues and barriers), on the client API only, each with
 * the events its checker reads (docs/recipes.md).
 */
export type { RecipeClient } from "./context.js";
export { RECIPE_BUGS, isRecipeBugName, recipeBugNames } from "./bugs.js";
export type { RecipeBug } from "./bugs.js";
export { DistributedLock, blockerOf } from "./lock.js";
export type { Lease, LockMode, LockOptions } from "./lock.js";
export { Semaphore } from "./semaphore.js";
export { LeaderElection } from "./election.js";
export type { ElectionOptions, Leadership } from "./election.js";
export { GroupMembership } from "./membership.js";
export type { Registration } from "./membership.js";
export { FencedResource } from "./resource.js";
export {
  RECHECK_MS, SessionLost, bySequence, checkCount, checkName, checkRecipePath, ensurePath,
  protectedCreate, protectionPrefix, retrying, sequenceOf,
} from "./session.js";
export {
  SEMAPHORE_PERMITS, electionTask, lockTask, membershipTask, recipeTask, rwlockTask,
  semaphoreTask,
} from "./workloads.js";
export type { RecipeTask, WorkloadRun } from "./workloads.js";
