/**
 * The observe module's public surface: the observation vocabulary that consensus and the
 * ensemble's hosts write and the checkers read, and how an observation is folded into the
 * trace hash.
 */
export type {
  Observation, ProtocolObservation, ClientObservation, PeerState, SessionObservation,
  WriteOutcome,
} from "./observation.js";
export type { KeyAction, KeyObservation, SealedFacts } from "./key-observation.js";
export { DiskBlobs, KEY_ACTIONS } from "./key-observation.js";
export type {
  DataRecipeEvent, ElectionEvent, LockEvent, MembershipEvent, RecipeEvent, RecipeObservation,
  TaskFailedEvent,
} from "./recipe.js";
export { hashObservation } from "./hash.js";
export type { HashFold } from "./hash.js";
export type {
  BarrierEvent, CacheEntry, CacheEvent, ConfigEntry, ConfigEvent, DataEvent, QueueEvent,
} from "./recipe-data.js";
