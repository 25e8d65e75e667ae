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
  RECHECK_MS, SessionLost, checkCount, checkName, checkPath, retrying,
} from "./kit.js";
export {
  SEMAPHORE_PERMITS, electionTask, lockTask, membershipTask, recipeTask, rwlockTask,
  semaphoreTask,
} from "./workloads.js";
export type { RecipeTask, WorkloadRun } from "./workloads.js";
export type { ConfigLayout } from "./config.js";
export {
  checkConfigLayout, readWholeConfig, runConfigReader, setUpConfig, writeConfig,
} from "./config.js";
export { readSubtree, runCache } from "./cache.js";
export type { ConsumerOptions, QueueLayout } from "./queue.js";
export { checkQueueLayout, enqueue, enqueueAgain, runConsumer, setUpQueue } from "./queue.js";
export type { BarrierOptions, MemberSession } from "./barrier.js";
export { checkBarrier, enterBarrier, leaveBarrier, openMember } from "./barrier.js";
export {
  bySequence, createProtected, createProtectedEphemeral, ensurePath, findProtected, protectedId,
  protectedPrefix, sequenceOf,
} from "./found-create.js";
export type { DataPlan } from "./data-workloads.js";
export {
  BARRIER_PATH, BARRIER_ROUNDS, CACHE_ROOT, CONFIG_LAYOUT, QUEUE_LAYOUT, barrierTask, cacheTask,
  configTask, queueTask,
} from "./data-workloads.js";
