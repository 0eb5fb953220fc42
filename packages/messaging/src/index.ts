/**
 * @samhandling/messaging: the messaging engine — outgoing and incoming pipelines over ports
 * (Transport, Store, AddressRegister, Clock) and their adapters. Explicit named exports only.
 */

export const PACKAGE_NAME = '@samhandling/messaging';

// --- store ---
export { STORE_ERROR_CODES, StoreError, isStoreError } from './store/errors';
export type { StoreErrorCode, StoreErrorDetails } from './store/errors';
export { STORE_MIGRATION_NAMES, STORE_SCHEMA_VERSION } from './store/types';
export type {
  AuditEntry,
  AuditFilter,
  AuditRecord,
  ClaimOptions,
  DowntimeEvent,
  DowntimeEventKind,
  DowntimeFilter,
  DowntimeRecord,
  InboxDelivery,
  InboxFilter,
  InboxItem,
  InboxItemInput,
  IncomingClaim,
  IncomingFilter,
  IncomingOutcome,
  IncomingRaw,
  IncomingRecord,
  IncomingResult,
  IncomingState,
  IncomingWithPayload,
  JsonValue,
  MarkFailedOptions,
  MarkSentOptions,
  MessagingStore,
  OutgoingClaim,
  OutgoingFilter,
  OutgoingMessage,
  OutgoingRecord,
  OutgoingState,
  OutgoingWithPayload,
  ProcedureStateRecord,
  ProducedAppRec,
  PurgeAuditOptions,
  QuarantineAction,
  QuarantineActionInput,
  QuarantineActionKind,
  QuarantineFilter,
  QuarantineRecord,
  ReceivedMessage,
  ReleaseIncomingOptions,
  SaveProcedureStateOptions,
  SeenTransportMessage,
  SeenTransportStore,
  StoredIncoming,
} from './store/types';
export { PATIENT_REF_MIN_KEY_BYTES, PATIENT_REF_PREFIX, patientRef } from './store/patient-ref';
export type { SqlDialect, SqlDriver, SqlMigration, SqlRow, SqlStatement, SqlTransaction, SqlValue } from './store/sql/driver';
export { openSqlStore } from './store/sql/sql-store';
export type { SqlStoreOptions } from './store/sql/sql-store';
export { SQLITE_DEFAULT_BUSY_TIMEOUT_MS, openSqliteStore } from './store/sqlite/sqlite-store';
export type { SqliteStoreOptions } from './store/sqlite/sqlite-store';
// --- end store ---

// --- transport ---
// --- end transport ---

// --- address register ---
// --- end address register ---

// --- engine ---
// --- end engine ---
