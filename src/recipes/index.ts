/**
 * The recipes module's public surface (on the client API only: shared/style.md rule 1): the
 * data recipes (configuration, cache, queue, double barrier; docs/recipes.md), their workloads
 * and planted bugs.
 */
export type { RecipeClient, RecipeDataReport } from "./kit.js";
export { SessionLost } from "./kit.js";
export type { ConfigLayout } from "./config.js";
export {
  checkConfigLayout, readWholeConfig, runConfigReader, setUpConfig, writeConfig,
} from "./config.js";
export { readSubtree, runCache } from "./cache.js";
export type { ConsumerOptions, QueueLayout } from "./queue.js";
export { checkQueueLayout, enqueue, enqueueAgain, runConsumer, setUpQueue } from "./queue.js";
export type { BarrierOptions, MemberSession } from "./barrier.js";
export { checkBarrier, enterBarrier, leaveBarrier, openMember } from "./barrier.js";
export { createProtected, findProtected, protectedId, protectedPrefix } from "./found-create.js";
export type { DataWorkloadOptions, RecipeDataBug, RecipeTask } from "./data-workloads.js";
export {
  BARRIER_PATH, CACHE_ROOT, CONFIG_LAYOUT, QUEUE_LAYOUT, RECIPE_DATA_BUGS, barrierWorkload,
  cacheWorkload, configWorkload, dataWorkload, queueWorkload,
} from "./data-workloads.js";
