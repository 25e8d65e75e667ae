/**
 * The recipes module's public surface: what people use ZooKeeper for (locks, leader election,
 * membership; configuration, caches, queues and barriers), on the client API only, each with
 * the events its checker reads (docs/recipes.md).
 */
export type { RecipeClient } from "./context.js";
export { RECIPE_BUGS, isRecipeBugName, recipeBugNames } from "./bugs.js";
export type { RecipeBug } from "./bugs.js";
