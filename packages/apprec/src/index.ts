/**
 * @samhandling/apprec: AppRec 1.0/1.1 application receipts, the one table from error codes to
 * receipts, receipt tracking, and Tilbakemelding om feil (DIALOG_AVVIK).
 * Explicit named exports only.
 */

export const PACKAGE_NAME = '@samhandling/apprec';

// --- errors ---
export { APPREC_ERROR_CODES, ApprecError, isApprecError } from './errors';
export type { ApprecErrorCode, ApprecErrorDetails, ApprecIssue } from './errors';

// --- AppRec model, build, parse ---
export { APPREC_NS_V1_0, APPREC_NS_V1_1, APPREC_VERSIONS, DEFAULT_APPREC_VERSION, appRecVersionOf } from './model';
export type {
  AppRec,
  AppRecAdditionalId,
  AppRecAddress,
  AppRecDept,
  AppRecErrorEntry,
  AppRecHcPerson,
  AppRecHcProf,
  AppRecHcp,
  AppRecInput,
  AppRecInstitution,
  AppRecParty,
  AppRecStatusCode,
  AppRecVersion,
  OriginalMsgId,
} from './model';
export { APPREC_ERROR_CODE_SYSTEM_OID, buildAppRec, buildAppRecTree } from './build';
export type { BuildAppRecOptions } from './build';
export { parseAppRec, parseAppRecTree } from './parse';
export type { ParseAppRecOptions } from './parse';
export { HER_ID_TYPE, ORG_NUMBER_TYPE, appRecPartyFromOrganisation, organisationHerIds, partyHerId, partyHerIds } from './parties';
export type { InstitutionIdentification } from './parties';

// --- receipts for received messages, correlation ---
export { RECEIPT_STATUS_CODES, receiptFor } from './receipt';
export type { Receipt, ReceiptError, ReceiptOptions, ReceiptStatusName, ReceivedMessage } from './receipt';
export { correlateAppRec, isFromReceiver, sentMessageRef } from './correlate';
export type { CorrelateOptions, Correlation, CorrelationProblem, SentMessageRef } from './correlate';

// --- the error table ---
export { ERROR_TABLE, MESSAGING_ERROR_CODES, decideReceipt, describeOutcome, outcomeForCode, outcomeForError, renderErrorCatalogue } from './table';
export type { DecideReceiptOptions, ErrorMapping, ErrorSource, MessagingErrorCode, ReceiptDecision, ReceiptFailure, ReceiptOutcome } from './table';

// --- receipt tracking ---
export { DEFAULT_RECEIPT_DEADLINE_MS } from './tracking/types';
export type {
  EscalationRecipient,
  ReceiptEffect,
  ReceiptHistoryEntry,
  ReceiptHistoryError,
  ReceiptPolicy,
  ReceiptState,
  ReceiptStore,
  TrackedMessage,
  UnmatchedAppRec,
  UnmatchedReason,
} from './tracking/types';
export { advance, applyAppRec, closeManually, deadlineMsFor, isSettled, startTracking } from './tracking/logic';
export type { AppRecApplication } from './tracking/logic';
export { ReceiptTracker } from './tracking/tracker';
export type { ReceiptTrackerOptions, ReceiveResult, SentMessage } from './tracking/tracker';
export { InMemoryReceiptStore } from './tracking/memory-store';

// --- Tilbakemelding om feil (DIALOG_AVVIK) ---
export { ERROR_FEEDBACK_HEADING, buildErrorFeedback, errorFeedbackTask } from './feedback';
export type { ErrorFeedbackInput, ErrorFeedbackOptions, ErrorFeedbackTask } from './feedback';
