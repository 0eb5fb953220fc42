/**
 * @samhandling/procedure: the standard procedure for one hospital stay as a pure, versioned
 * state machine with the law's deadlines and payment days. Explicit named exports only.
 */

// --- errors ---
export { PROCEDURE_ERROR_CODES, ProcedureError, isProcedureError } from './errors';
export type { ProcedureErrorCode, ProcedureIssue } from './errors';

// --- definition ---
export { HOSPITAL_STAY_DEFINITION, isTerminalPhase, machineInfo } from './definition';
export type {
  ActionName,
  DeadlineRule,
  GuardName,
  MachineInfo,
  ProcedureDefinition,
  ProcedureEventName,
  StayPhase,
  TaskName,
  TransitionRow,
} from './definition';
export { canonicalJson, contentHash } from './canonical';

// --- policy ---
export { DEFAULT_DAILY_RATES_NOK, DEFAULT_POLICY, POLICY_OPTIONS, resolvePolicy } from './policy';
export type { AnswerMessageType, PolicyInput, ProcedurePolicy } from './policy';

// --- calendar ---
export { addDays, endOfLocalDay, localDate, startOfLocalDay } from './calendar';

// --- events and stay key ---
export { MESSAGE_SENDER, PROCEDURE_MESSAGE_TYPES, normalizeEvent } from './events';
export type {
  DeadlinePassedEvent,
  DecisionEvent,
  Forsendelsesstatus,
  LoggedDecision,
  LoggedMessage,
  MessageEvent,
  MunicipalityAnswer,
  NormalizedEvent,
  Party,
  ProcedureMessageType,
  StayEvent,
} from './events';
export { assertStayKey, checkStayKey, sameStayKey, stayKeyId } from './stay-key';
export type { StayKey, StayKeyOptions } from './stay-key';
export { DEFAULT_STAY_PARTITION_POLICY, STAY_OPENING_TYPES, partitionStays } from './stay-partition';
export type { PartitionMessage, PartitionedStay, StayPartition, StayPartitionPolicy } from './stay-partition';

// --- state and transition ---
export { STATE_SCHEMA_VERSION, createStay, migrateState, transition, transitionAll } from './state';
export type { CreateStayOptions, StateMigration, StayState, TransitionResult } from './state';
export type {
  DeadlineState,
  DeadlineStatus,
  DerivedStay,
  FoldStep,
  OpenTask,
  PeriodAnswer,
  PeriodEndReason,
  StayIssue,
  SupersededMessage,
  UtskrivningsklarPeriod,
} from './derive';
export type {
  AlarmEffect,
  Effect,
  NotificationEffect,
  ScheduleDeadlineEffect,
  TaskCloseEffect,
  TaskOpenEffect,
} from './effects';

// --- simulation and docs ---
export { parseScenario, simulate, simulateState, summarize } from './simulate';
export type { Scenario, SimulateOptions, SimulatedDeadline, SimulatedPeriod, SimulationResult } from './simulate';
export { renderProtocolPage } from './docs';
