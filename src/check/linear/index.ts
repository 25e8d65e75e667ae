/**
 * The linearizability checker's public surface: models, the search, explanations. It imports
 * only util: the models are the checker's own (shared/style.md rule 1).
 */
export type { Model, Operation } from "./model.js";
export type { Explanation, ExplainedOp, TimelineEvent } from "./explain.js";
export { renderExplanation } from "./explain.js";
export type { LinearResult, LinearVerdict, NamedPartition } from "./check.js";
export { checkLinearizable, checkPartitions, DEFAULT_BUDGET } from "./check.js";
export { searchPartition } from "./search.js";
export type { Budget, SearchResult } from "./search.js";
export { registerModel, casRegisterModel } from "./models/register.js";
export type { RegisterInput, RegisterOutput, RegisterValue } from "./models/register.js";
export { znodeModel, applyZnode, parentOf } from "./models/znode.js";
export type { ZnodeError, ZnodeInput, ZnodeOutput, ZnodeState } from "./models/znode.js";
export { JepsenHistoryError, pairEvents, datumText } from "./jepsen.js";
export type { Datum, JepsenEvent, JepsenPair } from "./jepsen.js";
export { checkJepsen, JEPSEN_MODELS } from "./jepsen-check.js";
export type { JepsenModelName } from "./jepsen-check.js";
export { checkGuarantee, clientOps, Epochs, guaranteeHistory } from "./zookeeper.js";
export type { ClientOp, GuaranteeHistory, GuaranteeResult } from "./zookeeper.js";
export { jepsenEventsOf } from "./jepsen-export.js";
