/**
 * The scenario script format: types, parser and the zxid-normalizing comparison. Depends only on
 * src/util; used by src/run/script.ts (zabsim's runner) and src/real (recording on ZooKeeper).
 */
export type {
  CreateModeName,
  FillData,
  DataSpec,
  CreateSpec,
  DeleteSpec,
  SetDataSpec,
  CheckSpec,
  MultiOp,
  CreateStep,
  DeleteStep,
  SetDataStep,
  ReadStep,
  SyncStep,
  MultiStep,
  SessionStep,
  CloseSessionStep,
  OpenSessionStep,
  SleepStep,
  StartStep,
  StopStep,
  StableStep,
  MoveStep,
  EnsembleStep,
  EnsembleOp,
  StandaloneOp,
  StandaloneStep,
  Step,
  StepOp,
  ServerOptions,
  Scenario,
  ScenarioFile,
  StatResult,
  DigestData,
  DataResult,
  EventTypeName,
  EventResult,
  MultiOpResult,
  StepResult,
  ScenarioResultLine,
} from "./format.js";
export {
  CREATE_MODES, STEP_OPS, ENSEMBLE_OPS, SERVERS_MAX, DEFAULT_CONTAINER_CHECK_INTERVAL_MS,
} from "./format.js";
export { parseScenarioFile, SESSIONS_MAX } from "./parse.js";
export type { ParseOutcome } from "./parse.js";
export { dataLength, dataBytes, renderData, ownerName, DATA_TEXT_MAX } from "./data.js";
export { renderStat, renderMultiResult, renderEvents } from "./render.js";
export type { StatLike, OrdinalOf, SubResultLike, ArrivalLike, SlotArrivals } from "./render.js";
export { normalizeZxids, compareResults, canonicalJson } from "./normalize.js";
export type { Comparison, CompareOptions } from "./normalize.js";
