/**
 * @samhandling/messaging: the messaging engine — outgoing and incoming pipelines over ports
 * (Transport, Store, AddressRegister, Clock) and their adapters. Explicit named exports only.
 */

export const PACKAGE_NAME = '@samhandling/messaging';

// --- store ---
export { STORE_ERROR_CODES, StoreError, isStoreError } from './store/errors';
export type { StoreErrorCode, StoreErrorDetails } from './store/errors';
export { MANUAL_DELIVERY_REASON_PREFIX, STORE_MIGRATION_NAMES, STORE_SCHEMA_VERSION } from './store/types';
export type {
  AuditEntry,
  AuditFilter,
  AuditRecord,
  ClaimOptions,
  DowntimeEvent,
  DowntimeEventKind,
  DowntimeFilter,
  DowntimeRecord,
  EngineTask,
  EngineTaskChange,
  EngineTaskChangeResult,
  EngineTaskFilter,
  EngineTaskInput,
  EngineTaskKind,
  EnqueueOptions,
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
  ManualDeliveryInput,
  ManualDeliveryResult,
  MarkFailedOptions,
  MarkSentOptions,
  MessagingStore,
  OutgoingClaim,
  OutgoingFilter,
  OutgoingMessage,
  OutgoingRecord,
  OutgoingState,
  OutcomeAuditEntry,
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
  RecordedIncoming,
  ReleaseIncomingOptions,
  SaveProcedureStateOptions,
  SeenTransportMessage,
  SeenTransportStore,
  StayIndexChange,
  StayIndexEntry,
  StayIndexFilter,
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
export { TRANSPORT_ERROR_CODES, TransportError, isTransportError } from './transport/errors';
export type { TransportErrorCode, TransportErrorDetails } from './transport/errors';
export type {
  IncomingDecision,
  IncomingHandler,
  IncomingMessage,
  OutgoingEnvelope,
  PayloadKind,
  SeenMessage,
  SeenMessageStore,
  SendResult,
  Transport,
  TransportAcknowledgment,
  TransportCapabilities,
  TransportDeliveryFailure,
  TransportErrorEntry,
  TransportIncident,
  TransportMessageError,
} from './transport/types';
export { DEFAULT_RESEND_POLICY } from './transport/core';
export type { ResendPolicy } from './transport/core';
export { createInMemorySeenMessages } from './transport/seen-messages';
export { createInMemoryNetwork, createInMemoryTransportPair } from './transport/in-memory';
export type { InMemoryEndpointOptions, InMemoryNetwork, InMemoryTransport, InMemoryTransportPairOptions } from './transport/in-memory';
export { DEFAULT_SERVICE_ACTIONS, EBMS_SERVICE, serviceActionTable } from './transport/ebxml/service-action';
export type { ServiceAction, ServiceActionTable } from './transport/ebxml/service-action';
export { DEFAULT_MIME_LIMITS } from './transport/ebxml/mime';
export type { MimeLimits } from './transport/ebxml/mime';
export { createEbxmlSmtpTransport } from './transport/ebxml/smtp-transport';
export type { EbxmlSmtpTransport, EbxmlSmtpTransportOptions } from './transport/ebxml/smtp-transport';
// --- end transport ---

// --- address register ---
export { ADDRESS_REGISTER_ERROR_CODES, AddressRegisterError, isAddressRegisterError } from './address-register/errors';
export type { AddressRegisterErrorCode, AddressRegisterIssue } from './address-register/errors';
export type {
  AddressRegister,
  Edi2TransportAddress,
  MessagingContact,
  Party,
  PartyKind,
  ResolvedParty,
  SmtpTransportAddress,
  SupportedMessageType,
  TransportAddress,
} from './address-register/types';
export { ADDRESS_REGISTER_FORMAT_VERSION, validateAddressRegister } from './address-register/validate';
export type { ValidateAddressRegisterOptions } from './address-register/validate';
export { certificateWith, createLocalAddressRegister, resolvePartyWith } from './address-register/local';
export type { LocalAddressRegister, LocalAddressRegisterOptions } from './address-register/local';
// --- end address register ---

// --- engine ---
export type {
  Actor,
  AnswerClassificationInput,
  DowntimeNoticeInput,
  DowntimeView,
  EngineEvent,
  HealthView,
  InboxEntry,
  IncomingMessageView,
  IncomingState as IncomingMessageState,
  ListFilter,
  ManualDeliveryEntry,
  ManualLogEntry,
  MessageDetail,
  MessagingNode,
  MetricsView,
  OutgoingMessageView,
  OutgoingTransportState,
  QuarantineView,
  ReceiptState,
  ReceiptView,
  StayOperations,
  StayView,
  SubmissionIssue,
  SubmitMessageInput,
  SubmitResult,
  TaskView,
} from './engine/api';
export { createMessagingNode } from './engine/node';
export type { MessagingEngine } from './engine/node';
export type { AppEngineConfig } from './engine/app-config';
export { DEFAULT_DOWNTIME_POLICY, DEFAULT_RETRY_POLICY, DEFAULT_WORKER_SETTINGS, backoffDelay } from './engine/config';
export type {
  AnswerClassifier,
  DowntimePolicy,
  EngineCredentials,
  EngineLogger,
  EngineRole,
  EngineTimers,
  EpjPort,
  MessagingNodeConfig,
  MessagingNodeDeps,
  Notice,
  Notifier,
  PatientLookup,
  RetryPolicy,
  WorkerSettings,
} from './engine/config';
export { ENGINE_ERROR_CODES, EngineError, isEngineError } from './engine/errors';
export type { EngineErrorCode } from './engine/errors';
export { defaultAnswerClassifier } from './engine/stays';
export type { StayAnswerRef } from './engine/stays';
export { DEFAULT_ANSWER_RULE, answerTextOf, classifierFromRule, resolveAnswerRule } from './engine/answers';
export type { AnswerClassification, AnswerRule } from './engine/answers';
// --- end engine ---
