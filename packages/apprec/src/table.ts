/**
 * The one table from every error code the project raises to what happens to the received message:
 * an AppRec with a status (8258) and an error code (8221), a retry later, or quarantine. Apps and
 * the messaging engine consult only this table (ADR 0003); `docs/errors.md` is generated from it.
 *
 * The table is keyed by code strings, so `@samhandling/apprec` needs no runtime dependency on the
 * packages that raise them (schema, cms); a test asserts that every code they export has an entry.
 */
import { codeDisplayName } from '@samhandling/plo';
import type { AppRecErrorCode } from '@samhandling/plo';
import { APPREC_ERROR_CODES } from './errors';
import type { ApprecErrorCode } from './errors';
import type { ReceiptError } from './receipt';

/**
 * Codes the messaging engine raises. Defined here so the table covers them before the engine
 * exists; the engine's error class uses these names. Extend this section when the engine gains a
 * failure (codes are added, never renamed or reused).
 */
export const MESSAGING_ERROR_CODES = {
  /** The durable store cannot be reached or written: nothing is acknowledged, try again later. */
  ERR_MSG_STORE_UNAVAILABLE: 'Message store unavailable',
  /** The address register cannot be reached: the sender cannot be looked up now. */
  ERR_MSG_ADDRESS_REGISTER_UNAVAILABLE: 'Address register unavailable',
  /** The transport cannot send now (the receipt or message waits in the outbox). */
  ERR_MSG_TRANSPORT_UNAVAILABLE: 'Transport unavailable',
  /** The EPJ inbox does not accept deliveries now. */
  ERR_MSG_INBOX_UNAVAILABLE: 'EPJ inbox unavailable',
  /** The sender cannot be identified (no HER-id, not in the address register): nobody to answer. */
  ERR_MSG_UNKNOWN_SENDER: 'Sender cannot be identified',
  /** The signer's certificate does not belong to the sender named in the MsgHead. */
  ERR_MSG_SPOOFED_SENDER: 'Signer is not the named sender',
  /** The receiver HER-id is not one of ours (misdirected message). */
  ERR_MSG_RECEIVER_UNKNOWN: 'Receiver is not known here',
  /** The health professional the message is addressed to is not known here. */
  ERR_MSG_HEALTH_PROFESSIONAL_UNKNOWN: 'Addressed health professional not known here',
  /** No patient with the message's fødselsnummer in the receiving system. */
  ERR_MSG_PATIENT_NOT_FOUND: 'Patient not found in the receiving system',
  /** The patient information matches no single patient (several candidates, too little data). */
  ERR_MSG_PATIENT_AMBIGUOUS: 'Patient information insufficient to find one patient',
  /** The fødselsnummer or D-nummer is not registered in Folkeregisteret. */
  ERR_MSG_PATIENT_NOT_IN_FOLKEREGISTERET: 'Patient identifier not in Folkeregisteret',
  /** The message type is not supported by the receiving system (not in its CPP). */
  ERR_MSG_UNSUPPORTED_MESSAGE_TYPE: 'Message type not supported by the receiver',
  /** The same (sender HER-id, MsgId) was received before with the same content. */
  ERR_MSG_DUPLICATE: 'Duplicate of a message already received',
  /** The same (sender HER-id, MsgId) was received before with different content. */
  ERR_MSG_DUPLICATE_CONFLICT: 'Message id reused with different content',
} as const;

/** Union of the messaging engine's codes. */
export type MessagingErrorCode = keyof typeof MESSAGING_ERROR_CODES;

/**
 * What happens to a received message because of a failure:
 * - `apprec`: answer with an AppRec of `status` (2 Avvist, 3 OK, feil i delmelding) and `error` (8221);
 * - `retry`: no AppRec; keep the message and process it again later (transient or local failure);
 * - `quarantine`: no AppRec; keep the message for manual follow-up (the sender cannot be
 *   identified or trusted, or an AppRec we received cannot be matched);
 * - `repeat`: a duplicate: send the AppRec sent for the first copy again, do not process it again;
 * - `none`: not about a received business message (an AppRec received, or our own outgoing
 *   message); never answered with an AppRec.
 */
export type ReceiptOutcome =
  | { readonly action: 'apprec'; readonly status: '2' | '3'; readonly error: AppRecErrorCode }
  | { readonly action: 'retry' }
  | { readonly action: 'quarantine' }
  | { readonly action: 'repeat' }
  | { readonly action: 'none' };

/** Where a code comes from. */
export type ErrorSource =
  | 'plo'
  | 'schema'
  | 'schema-issue'
  | 'cms'
  | 'cert'
  | 'messaging'
  | 'store'
  | 'transport'
  | 'address-register'
  | 'engine'
  | 'procedure'
  | 'apprec';

/** One row of the table. */
export interface ErrorMapping {
  readonly source: ErrorSource;
  /** Short meaning of the code. */
  readonly meaning: string;
  readonly outcome: ReceiptOutcome;
  /** Why, when the outcome is not obvious or differs from the raising package's own AppRec code. */
  readonly note?: string;
}

const reject = (error: AppRecErrorCode): ReceiptOutcome => ({ action: 'apprec', status: '2', error });
const RETRY: ReceiptOutcome = { action: 'retry' };
const QUARANTINE: ReceiptOutcome = { action: 'quarantine' };
const NONE: ReceiptOutcome = { action: 'none' };

const LOCAL = 'A failure on our side (configuration, keys): not the sender\'s fault, so no rejection; fix it and process the message again.';

const APPREC_OUTCOMES: Readonly<Record<ApprecErrorCode, { outcome: ReceiptOutcome; note?: string }>> = {
  ERR_APPREC_FOR_APPREC: { outcome: NONE, note: 'An AppRec goes to receipt tracking, never gets a receipt.' },
  ERR_APPREC_MISSING_MSGID: { outcome: QUARANTINE, note: 'Without a MsgId the sender could not correlate any receipt.' },
  ERR_APPREC_MISSING_SENDER: { outcome: QUARANTINE, note: 'Without a sender HER-id the receipt cannot be addressed.' },
  ERR_APPREC_MISSING_RECEIVER: { outcome: QUARANTINE, note: 'Without a receiver HER-id the receipt has no sender.' },
  ERR_APPREC_REJECTED_WITHOUT_ERRORS: { outcome: NONE, note: 'Raised while building our own receipt.' },
  ERR_APPREC_INVALID_MODEL: { outcome: NONE, note: 'Raised while building our own receipt.' },
  ERR_APPREC_NOT_APPREC: { outcome: QUARANTINE, note: 'A document taken for an AppRec is none: kept for manual follow-up.' },
  ERR_APPREC_MISSING_ELEMENT: { outcome: QUARANTINE, note: 'A received AppRec that cannot be read is kept, never answered.' },
  ERR_APPREC_INVALID_VALUE: { outcome: QUARANTINE, note: 'A received AppRec that cannot be read is kept, never answered.' },
  ERR_APPREC_ORPHAN: { outcome: QUARANTINE, note: 'Kept and logged as an orphan receipt.' },
  ERR_APPREC_SPOOFED: { outcome: QUARANTINE, note: 'Refused; kept as evidence of a spoofing attempt.' },
  ERR_APPREC_CONFLICT: { outcome: QUARANTINE, note: 'The first receipt stands; the second is kept for follow-up.' },
  ERR_APPREC_ALREADY_TRACKED: { outcome: NONE, note: 'Raised while tracking our own outgoing message.' },
  ERR_APPREC_MISSING_PATIENT: { outcome: NONE, note: 'Raised while building our own Tilbakemelding om feil.' },
  ERR_APPREC_NOT_ERROR_FEEDBACK: { outcome: NONE, note: 'A caller passed another message type to the feedback reader.' },
  ERR_APPREC_FEEDBACK_NO_REFERENCE: { outcome: reject('T99'), note: 'A Tilbakemelding om feil must name the message it is about.' },
};

const MESSAGING_OUTCOMES: Readonly<Record<MessagingErrorCode, { outcome: ReceiptOutcome; note?: string }>> = {
  ERR_MSG_STORE_UNAVAILABLE: { outcome: RETRY, note: 'Transient: the raw message is not acknowledged until it is stored.' },
  ERR_MSG_ADDRESS_REGISTER_UNAVAILABLE: { outcome: RETRY, note: 'Transient.' },
  ERR_MSG_TRANSPORT_UNAVAILABLE: { outcome: RETRY, note: 'Transient.' },
  ERR_MSG_INBOX_UNAVAILABLE: { outcome: RETRY, note: 'Transient: the receipt waits until the EPJ has the message.' },
  ERR_MSG_UNKNOWN_SENDER: { outcome: QUARANTINE, note: 'Nobody to address a receipt to.' },
  ERR_MSG_SPOOFED_SENDER: { outcome: QUARANTINE, note: 'The named sender may not have sent it: no receipt to them; manual follow-up.' },
  ERR_MSG_RECEIVER_UNKNOWN: { outcome: reject('E21') },
  ERR_MSG_HEALTH_PROFESSIONAL_UNKNOWN: { outcome: reject('E20') },
  ERR_MSG_PATIENT_NOT_FOUND: { outcome: reject('E35') },
  ERR_MSG_PATIENT_AMBIGUOUS: { outcome: reject('E36') },
  ERR_MSG_PATIENT_NOT_IN_FOLKEREGISTERET: { outcome: reject('E53') },
  ERR_MSG_UNSUPPORTED_MESSAGE_TYPE: { outcome: reject('T10') },
  ERR_MSG_DUPLICATE: { outcome: { action: 'repeat' }, note: 'A duplicate gets the same AppRec again, not a second processing.' },
  ERR_MSG_DUPLICATE_CONFLICT: { outcome: reject('E10'), note: 'The MsgId is not unique.' },
};

function rows(source: ErrorSource, entries: Readonly<Record<string, readonly [string, ReceiptOutcome, string?]>>): [string, ErrorMapping][] {
  return Object.entries(entries).map(([code, [meaning, outcome, note]]) => [code, note === undefined ? { source, meaning, outcome } : { source, meaning, outcome, note }]);
}

const PLO_ROWS = rows('plo', {
  ERR_PLO_INVALID_PERSON_ID: ['Invalid person identifier (fødselsnummer family)', reject('E31')],
  ERR_PLO_INVALID_HER_ID: ['Invalid HER-id', reject('T99')],
  ERR_PLO_INVALID_ORG_NUMBER: ['Invalid organisation number', reject('T99')],
  ERR_PLO_UNKNOWN_CODE: ['Code not in its code list', reject('T99')],
  ERR_PLO_UNKNOWN_MESSAGE_TYPE: ['Message type (MsgInfo/Type) not registered', reject('T10')],
  ERR_PLO_UNSUPPORTED_VERSION: ['Content namespace not supported for the message type', reject('T10')],
  ERR_PLO_INVALID_MODEL: ['A builder was given a model that breaks the standard', reject('X99'), 'Raised when we build a message; if it happens while answering a received one, that one cannot be handled.'],
  ERR_PLO_MISSING_ELEMENT: ['Required element missing in a parsed message', reject('T02')],
  ERR_PLO_INVALID_VALUE: ['Element or attribute value cannot be read', reject('T02')],
  ERR_PLO_NOT_MSGHEAD: ['Not a MsgHead document', reject('T10')],
  ERR_PLO_XML_DTD_FORBIDDEN: ['DOCTYPE or entity declaration refused', reject('T01')],
  ERR_PLO_XML_TOO_LARGE: ['XML exceeds the size limit', reject('T01')],
  ERR_PLO_XML_TOO_DEEP: ['XML exceeds the depth limit', reject('T01')],
  ERR_PLO_XML_ENCODING: ['Invalid bytes or unsupported encoding', reject('T01')],
  ERR_PLO_XML_NOT_WELL_FORMED: ['Not well-formed XML', reject('T01')],
  ERR_PLO_XML_FORBIDDEN_CONSTRUCT: ['Forbidden XML construct (XInclude, external reference)', reject('T01')],
});

const SCHEMA_ROWS = rows('schema', {
  ERR_SCHEMA_DIRECTORY: ['Schema directory cannot be read', RETRY, LOCAL],
  ERR_SCHEMA_FILE: ['Schema file cannot be read', RETRY, LOCAL],
  ERR_SCHEMA_DUPLICATE_NAMESPACE: ['Two schema files declare the same namespace', RETRY, LOCAL],
  ERR_SCHEMA_COMPILE: ['Schema set does not compile', RETRY, LOCAL],
});

const WARNING = 'A warning by default: only an issue raised as an error changes the receipt.';

const SCHEMA_ISSUE_ROWS = rows('schema-issue', {
  ERR_SCHEMA_XML_NOT_WELL_FORMED: ['Not XML or not well-formed', reject('T01')],
  ERR_SCHEMA_XML_DTD_FORBIDDEN: ['DOCTYPE or entity declarations refused', reject('T01')],
  ERR_SCHEMA_XML_TOO_LARGE: ['Document exceeds the size or element-count limit', reject('T01')],
  ERR_SCHEMA_XML_TOO_DEEP: ['Document exceeds the nesting depth limit', reject('T01')],
  ERR_SCHEMA_XML_ENCODING: ['Invalid bytes or unsupported encoding', reject('T01')],
  ERR_SCHEMA_XML_FORBIDDEN_CONSTRUCT: ['Forbidden construct (XInclude)', reject('T01')],
  ERR_SCHEMA_XSD_INVALID: ['Does not validate against the XML schema', reject('T02')],
  ERR_SCHEMA_UNSUPPORTED_NAMESPACE: ['Root or content namespace not supported', reject('T10')],
  ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE: ['Message type not supported', reject('T10')],
  ERR_SCHEMA_PATIENT_ID_MISSING: ['Patient fødselsnummer (or D-/H-nummer) missing', reject('E30')],
  ERR_SCHEMA_PATIENT_ID_INVALID: ['Patient fødselsnummer wrong (format, date, check digit)', reject('E31')],
  ERR_SCHEMA_PATIENT_ID_SYNTHETIC: ['Synthetic test fødselsnummer outside a test environment', reject('E31')],
  ERR_SCHEMA_PATIENT_ID_TYPE_MISMATCH: ['TypeId does not match the kind of patient identifier', reject('E31'), WARNING],
  ERR_SCHEMA_RECEIVER_MISSING: ['Receiver has no valid HER-id', reject('E21')],
  ERR_SCHEMA_SENDER_MISSING: ['Sender has no valid HER-id', QUARANTINE, 'Differs from the schema package (T99): without a sender HER-id there is nobody to address a receipt to.'],
  ERR_SCHEMA_HER_ID_NOT_DEEPEST: ['The deepest organisation level has no HER-id', reject('T99'), WARNING],
  ERR_SCHEMA_UNKNOWN_CODE: ['Code not in its code list', reject('T99')],
  ERR_SCHEMA_MSGID_INVALID: ['Message id empty or trivial', reject('E10')],
  ERR_SCHEMA_MSGID_NOT_GUID: ['Message id is not a GUID', reject('E10'), WARNING],
  ERR_SCHEMA_GENDATE_FUTURE: ['GenDate in the future beyond the allowed clock skew', reject('T99')],
  ERR_SCHEMA_GENDATE_TOO_OLD: ['GenDate implausibly old', reject('T99'), WARNING],
  ERR_SCHEMA_VALIDATOR_FAILURE: ['Validation could not be completed', reject('X99')],
});

const CMS_ROWS = rows('cms', {
  ERR_CMS_MALFORMED: ['Not a well-formed CMS structure', reject('T01')],
  ERR_CMS_TOO_LARGE: ['CMS input exceeds the size limit', reject('T99')],
  ERR_CMS_UNEXPECTED_CONTENT_TYPE: ['CMS content type is not the expected one', reject('T10')],
  ERR_CMS_UNSUPPORTED_ALGORITHM: ['Algorithm not implemented', reject('T10')],
  ERR_CMS_LEGACY_ALGORITHM_REFUSED: ['Legacy algorithm (DES, 3DES, SHA-1) refused by policy', reject('T10')],
  ERR_CMS_NO_MATCHING_KEY: ['No decryption key matches a recipient', reject('X99')],
  ERR_CMS_DECRYPT_FAILED: ['Decryption failed', reject('X99')],
  ERR_CMS_CONTENT_MISSING: ['SignedData without encapsulated content', reject('S99')],
  ERR_CMS_SIGNER_COUNT: ['No SignerInfo, or more than one', reject('S99')],
  ERR_CMS_SIGNER_NOT_FOUND: ['Signer certificate not in the SignedData', reject('S01')],
  ERR_CMS_SIGNATURE_INVALID: ['Signature does not verify', reject('S01')],
  ERR_CMS_SIGNER_MISMATCH: ['The signer is not the expected sender', QUARANTINE, 'Differs from the cms package (S99): the named sender may not have sent the message, so it gets no receipt; same outcome as ERR_MSG_SPOOFED_SENDER.'],
  ERR_CMS_SIGNING_TIME_INVALID: ['signingTime missing or invalid', reject('S01')],
});

const CERT_ROWS = rows('cert', {
  ERR_CERT_EXPIRED: ['Certificate expired', reject('S02')],
  ERR_CERT_NOT_YET_VALID: ['Certificate not yet valid', reject('S02')],
  ERR_CERT_REVOKED: ['Certificate revoked', reject('S03')],
  ERR_CERT_UNTRUSTED: ['Certificate does not chain to a trusted anchor', reject('S02')],
  ERR_CERT_KEY_USAGE: ['Key usage does not allow the purpose', reject('S02')],
  ERR_CERT_REVOCATION_UNAVAILABLE: ['Revocation status unavailable', RETRY, 'Retryable (the error says `retryable: true`): never a rejection.'],
  ERR_CERT_CHAIN_INVALID: ['Certificate chain invalid', reject('S02')],
  ERR_CERT_ALGORITHM_UNSUPPORTED: ['Certificate signature algorithm not accepted', reject('S02')],
  ERR_CERT_MALFORMED: ['Certificate malformed', reject('S02')],
  ERR_CERT_CRL_MALFORMED: ['CRL malformed', RETRY, 'Differs from the cms package (S99): an unreadable CRL means the revocation status is unknown, which is transient and not the sender\'s fault.'],
  ERR_KEY_MALFORMED: ['Our private key is malformed', RETRY, LOCAL],
  ERR_KEY_PASSWORD: ['Wrong or missing password for our private key', RETRY, LOCAL],
  ERR_KEY_UNSUPPORTED: ['Our key container uses an unsupported algorithm', RETRY, LOCAL],
});

const TRANSPORT_LEVEL = 'Refused by the transport before the engine sees a business message (SMTP rejection or ebXML MessageError): no AppRec.';
const NOT_RECEIVED = 'Raised on our own side (outgoing path, operator action or API call), never about a received message: no AppRec.';

/** Store errors (`StoreError` in `@samhandling/messaging`). */
const STORE_ROWS = rows('store', {
  ERR_STORE_UNAVAILABLE: ['The store is unavailable', RETRY, 'Transient: the raw message is not acknowledged until it is stored.'],
  ERR_STORE_CONFLICT: ['Record changed concurrently or already exists', RETRY, 'Another worker or instance won the race: process again.'],
  ERR_STORE_DUPLICATE: ['Sender HER-id and MsgId already received', { action: 'repeat' }, 'The duplicate gets the AppRec sent for the first copy.'],
  ERR_STORE_LEASE_LOST: ['Lease on the claimed message lost', RETRY, 'Another worker took the message over; it finishes the work.'],
  ERR_STORE_NOT_FOUND: ['No such record', NONE, NOT_RECEIVED],
  ERR_STORE_INVALID_STATE: ['Record not in a state that allows this operation', NONE, NOT_RECEIVED],
  ERR_STORE_MIGRATION: ['Schema migration failed', RETRY, LOCAL],
  ERR_STORE_SCHEMA_NEWER: ['Database schema newer than this software', RETRY, LOCAL],
  ERR_STORE_CORRUPT: ['The store is corrupt', RETRY, LOCAL],
  ERR_STORE_IMMUTABLE: ['Append-only record cannot change', NONE, NOT_RECEIVED],
  ERR_STORE_CLOSED: ['The store is closed', RETRY, 'The engine is shutting down; the message is processed after restart.'],
});

/** Transport errors (`TransportError` in `@samhandling/messaging`). */
const TRANSPORT_ROWS = rows('transport', {
  ERR_TRANSPORT_UNAVAILABLE: ['Transport peer unavailable', RETRY, 'Outgoing: retried with backoff; the message waits in the outbox.'],
  ERR_TRANSPORT_TIMEOUT: ['Transport timed out', RETRY, 'Outgoing: retried with backoff.'],
  ERR_TRANSPORT_NOT_ACKNOWLEDGED: ['No transport acknowledgment after every resend', NONE, NOT_RECEIVED],
  ERR_TRANSPORT_SIGNATURE_INVALID: ['Transport envelope signature invalid', NONE, TRANSPORT_LEVEL],
  ERR_TRANSPORT_MALFORMED: ['Transport message malformed', NONE, TRANSPORT_LEVEL],
  ERR_TRANSPORT_TOO_LARGE: ['Transport message too large', NONE, TRANSPORT_LEVEL],
  ERR_TRANSPORT_UNKNOWN_PARTY: ['Unknown communication party', NONE, TRANSPORT_LEVEL],
  ERR_TRANSPORT_NOT_FOR_US: ['Message not addressed to this endpoint', NONE, TRANSPORT_LEVEL],
  ERR_TRANSPORT_REJECTED: ['Message rejected by the peer', NONE, NOT_RECEIVED],
  ERR_TRANSPORT_STOPPED: ['Transport is not running', RETRY, 'The engine is shutting down; retried after restart.'],
  ERR_TRANSPORT_UNSUPPORTED: ['Unsupported transport feature', NONE, NOT_RECEIVED],
});

/** Address register errors (`AddressRegisterError` in `@samhandling/messaging`). */
const ADDRESS_REGISTER_ROWS = rows('address-register', {
  ERR_AR_INVALID: ['Address register data is invalid', RETRY, LOCAL],
  ERR_AR_UNREADABLE: ['Address register file cannot be read', RETRY, LOCAL],
  ERR_AR_UNKNOWN_PARTY: ['Unknown HER-id', QUARANTINE, 'A sender missing from the address register cannot be verified: nobody trusted to answer.'],
  ERR_AR_NO_TRANSPORT: ['No transport address for the party', RETRY, 'Our register lacks the route for the receipt; fix the register and process again.'],
  ERR_AR_NO_CERTIFICATE: ['No certificate for the party', QUARANTINE, 'The signer cannot be checked against the register.'],
  ERR_AR_UNAVAILABLE: ['Address register unavailable', RETRY, 'Transient.'],
});

/** Errors of the engine's API (`EngineError` in `@samhandling/messaging`, beyond the codes above). */
const ENGINE_ROWS = rows('engine', {
  ERR_MSG_NOT_FOUND: ['No such message or entry', NONE, NOT_RECEIVED],
  ERR_MSG_INVALID_STATE: ['The entry does not allow this operation', NONE, NOT_RECEIVED],
  ERR_MSG_NOT_RUNNING: ['The messaging engine is not running', RETRY, 'Processed after the engine starts.'],
});

const PROCEDURE_NOTE = 'Raised when a delivered message is applied to the stay: the message was already answered; the engine records a task instead.';

/** Procedure errors (`ProcedureError` in `@samhandling/procedure`). */
const PROCEDURE_ROWS = rows('procedure', {
  ERR_PROCEDURE_INVALID_EVENT: ['Invalid procedure event', NONE, PROCEDURE_NOTE],
  ERR_PROCEDURE_DUPLICATE_CONFLICT: ['Message id already used with different content', NONE, PROCEDURE_NOTE],
  ERR_PROCEDURE_INVALID_POLICY: ['Invalid procedure policy', NONE, 'Our configuration: fixed at start-up.'],
  ERR_PROCEDURE_INVALID_SCENARIO: ['Invalid procedure scenario', NONE, 'Only the simulation command raises it.'],
  ERR_PROCEDURE_INVALID_STATE: ['Invalid procedure state', NONE, PROCEDURE_NOTE],
  ERR_PROCEDURE_UNSUPPORTED_STATE_VERSION: ['Unsupported procedure state version', NONE, PROCEDURE_NOTE],
  ERR_PROCEDURE_INVALID_STAY_KEY: ['Invalid stay key', NONE, PROCEDURE_NOTE],
  ERR_PROCEDURE_WRONG_STAY: ['Event belongs to another stay', NONE, PROCEDURE_NOTE],
});

const MESSAGING_ROWS: [string, ErrorMapping][] = Object.entries(MESSAGING_OUTCOMES).map(([code, { outcome, note }]) => [
  code,
  { source: 'messaging', meaning: MESSAGING_ERROR_CODES[code as MessagingErrorCode], outcome, ...(note === undefined ? {} : { note }) },
]);

const APPREC_ROWS: [string, ErrorMapping][] = Object.entries(APPREC_OUTCOMES).map(([code, { outcome, note }]) => [
  code,
  { source: 'apprec', meaning: APPREC_ERROR_CODES[code as ApprecErrorCode], outcome, ...(note === undefined ? {} : { note }) },
]);

function freeze(entries: [string, ErrorMapping][]): Readonly<Record<string, ErrorMapping>> {
  const out: Record<string, ErrorMapping> = {};
  for (const [code, mapping] of entries) {
    if (Object.prototype.hasOwnProperty.call(out, code)) throw new Error(`error table lists ${code} twice`);
    out[code] = Object.freeze({ ...mapping, outcome: Object.freeze({ ...mapping.outcome }) });
  }
  return Object.freeze(out);
}

/**
 * Every error code the project raises → its {@link ErrorMapping}. Sources: plo (`PloError`),
 * schema (`SchemaError` and validation issue codes), cms (`CmsError`, `CertError`), the messaging
 * engine ({@link MESSAGING_ERROR_CODES} and the engine package's `StoreError`, `TransportError`,
 * `AddressRegisterError`, `EngineError`), procedure (`ProcedureError`) and this package
 * (`ApprecError`). Completeness is tested here (plo, schema, cms) and in `@samhandling/messaging`
 * (its own codes and procedure's), since those packages depend on this one.
 */
export const ERROR_TABLE: Readonly<Record<string, ErrorMapping>> = freeze([
  ...PLO_ROWS,
  ...SCHEMA_ROWS,
  ...SCHEMA_ISSUE_ROWS,
  ...CMS_ROWS,
  ...CERT_ROWS,
  ...MESSAGING_ROWS,
  ...STORE_ROWS,
  ...TRANSPORT_ROWS,
  ...ADDRESS_REGISTER_ROWS,
  ...ENGINE_ROWS,
  ...PROCEDURE_ROWS,
  ...APPREC_ROWS,
]);

/** The outcome for a code, or `undefined` when the table does not know it. */
export function outcomeForCode(code: string): ReceiptOutcome | undefined {
  return Object.prototype.hasOwnProperty.call(ERROR_TABLE, code) ? ERROR_TABLE[code]?.outcome : undefined;
}

/**
 * The outcome for a thrown value: by its `code` in the table; an error marked `retryable: true`
 * is always retried; anything the table does not know (a bug, an unexpected exception) is
 * retried rather than blamed on the sender.
 */
export function outcomeForError(error: unknown): ReceiptOutcome {
  if (typeof error === 'object' && error !== null) {
    if ((error as { retryable?: unknown }).retryable === true) return RETRY;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return outcomeForCode(code) ?? RETRY;
  }
  return RETRY;
}

/**
 * One failure found while handling a received message: a thrown typed error, a schema validation
 * issue, or a plain object. `message` becomes the error's free text; `part: true` says the failure
 * affects only a part (an attachment, one section), which gives status 3 instead of 2.
 */
export interface ReceiptFailure {
  readonly code: string;
  readonly message?: string;
  /** Validation issues carry a severity: warnings do not change the receipt. */
  readonly severity?: 'error' | 'warning';
  readonly part?: boolean;
}

/** Result of {@link decideReceipt}. With `action: 'apprec'` it can be passed to `receiptFor` as is. */
export type ReceiptDecision =
  | { readonly action: 'apprec'; readonly status: '1' | '2' | '3'; readonly errors: readonly ReceiptError[] }
  | { readonly action: 'retry' | 'quarantine' | 'none'; readonly codes: readonly string[] }
  | { readonly action: 'repeat' };

/** Options of {@link decideReceipt}. */
export interface DecideReceiptOptions {
  /** At most this many errors in the AppRec (the first ones, after removing repeats). Default 20. */
  readonly maxErrors?: number;
  /** Free text longer than this is cut. Default 500 characters. */
  readonly maxTextLength?: number;
}

/**
 * Decide the receipt for a received message from every failure found while handling it, through
 * {@link ERROR_TABLE}. Precedence: quarantine, then retry, then repeat, then an AppRec (status 2,
 * or 3 when every rejecting failure is marked `part`); `none` only when nothing else applies. No
 * failures (or only warnings) → status 1 OK. Codes the table does not know are retried.
 */
export function decideReceipt(failures: readonly ReceiptFailure[], options: DecideReceiptOptions = {}): ReceiptDecision {
  if (!Array.isArray(failures)) throw new TypeError('decideReceipt needs an array of failures');
  const maxErrors = options.maxErrors ?? 20;
  const maxText = options.maxTextLength ?? 500;
  if (!Number.isInteger(maxErrors) || maxErrors < 1) throw new RangeError('maxErrors must be a positive integer');
  if (!Number.isInteger(maxText) || maxText < 1) throw new RangeError('maxTextLength must be a positive integer');
  const relevant = failures.filter((f) => f.severity !== 'warning');
  const by = (action: ReceiptOutcome['action']): string[] => [
    ...new Set(relevant.filter((f) => (outcomeForCode(f.code) ?? RETRY).action === action).map((f) => f.code)),
  ];
  const quarantine = by('quarantine');
  if (quarantine.length > 0) return { action: 'quarantine', codes: quarantine };
  const retry = by('retry');
  if (retry.length > 0) return { action: 'retry', codes: retry };
  if (by('repeat').length > 0) return { action: 'repeat' };
  const errors: ReceiptError[] = [];
  const seen = new Set<string>();
  let whole = false;
  for (const f of relevant) {
    const outcome = outcomeForCode(f.code);
    if (outcome?.action !== 'apprec') continue;
    if (outcome.status === '2' && f.part !== true) whole = true;
    const text = f.message === undefined || f.message.trim() === '' ? undefined : f.message.length > maxText ? `${f.message.slice(0, maxText - 1)}…` : f.message;
    const key = `${outcome.error}\u0000${text ?? ''}`;
    if (seen.has(key) || errors.length >= maxErrors) continue;
    seen.add(key);
    errors.push(text === undefined ? { code: outcome.error } : { code: outcome.error, text });
  }
  if (errors.length > 0) return { action: 'apprec', status: whole ? '2' : '3', errors };
  const none = by('none');
  if (none.length > 0) return { action: 'none', codes: none };
  return { action: 'apprec', status: '1', errors: [] };
}

const SOURCE_TITLES: Readonly<Record<ErrorSource, string>> = {
  plo: '`@samhandling/plo` (`PloError`)',
  schema: '`@samhandling/schema` (`SchemaError`)',
  'schema-issue': '`@samhandling/schema` validation issues (`Issue.code`)',
  cms: '`@samhandling/cms` (`CmsError`)',
  cert: '`@samhandling/cms` certificates and keys (`CertError`)',
  messaging: 'Messaging engine (`MESSAGING_ERROR_CODES`, defined in `@samhandling/apprec`)',
  store: '`@samhandling/messaging` store (`StoreError`)',
  transport: '`@samhandling/messaging` transport (`TransportError`)',
  'address-register': '`@samhandling/messaging` address register (`AddressRegisterError`)',
  engine: '`@samhandling/messaging` engine API (`EngineError`)',
  procedure: '`@samhandling/procedure` (`ProcedureError`)',
  apprec: '`@samhandling/apprec` (`ApprecError`)',
};

const STATUS_NAMES: Readonly<Record<'2' | '3', string>> = { '2': 'Avvist', '3': 'OK, feil i delmelding' };

/** One outcome as the error catalogue writes it. */
export function describeOutcome(outcome: ReceiptOutcome): string {
  switch (outcome.action) {
    case 'apprec':
      return `AppRec status ${outcome.status} (${STATUS_NAMES[outcome.status]}), error ${outcome.error} (${codeDisplayName(8221, outcome.error) ?? 'unknown'})`;
    case 'retry':
      return 'No AppRec: retry later';
    case 'quarantine':
      return 'No AppRec: quarantine';
    case 'repeat':
      return 'Send the earlier AppRec again';
    case 'none':
      return 'No AppRec (not about a received business message)';
  }
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The error catalogue (`docs/errors.md`) as Markdown, generated from {@link ERROR_TABLE}: every
 * code with its meaning and outcome, grouped by source. Deterministic (no dates).
 */
export function renderErrorCatalogue(): string {
  const lines: string[] = [
    '# Error codes and receipts',
    '',
    '<!-- Generated from ERROR_TABLE in packages/apprec/src/table.ts by tools/scripts/gen-errors-doc.mjs. Do not edit by hand. -->',
    '',
    'Every error code the project raises, what it means and what happens to the received message',
    '(ADR 0003). Apps and the messaging engine decide receipts only through this table',
    '(`ERROR_TABLE`, `outcomeForError`, `decideReceipt` in `@samhandling/apprec`).',
    '',
    'Outcomes:',
    '',
    '- **AppRec status 2 / 3 with an 8221 error**: the receipt rejects the message (2 Avvist) or accepts it with errors in a part (3).',
    '- **Retry later**: a transient condition (revocation source down, store unavailable) or a local configuration failure. No rejection; the message is kept and processed again.',
    '- **Quarantine**: the sender cannot be identified or trusted, or a received AppRec cannot be matched. No receipt; kept for manual follow-up.',
    '- **Send the earlier AppRec again**: a duplicate is not processed a second time.',
    '- **No AppRec**: the failure is not about a received business message (an AppRec is never answered with an AppRec; our own outgoing messages).',
    '',
    'Validation issues that are warnings do not change the receipt. Codes the table does not know are retried, never blamed on the sender.',
  ];
  const sources = Object.keys(SOURCE_TITLES) as ErrorSource[];
  for (const source of sources) {
    lines.push('', `## ${SOURCE_TITLES[source]}`, '', '| Code | Meaning | Outcome | Note |', '| --- | --- | --- | --- |');
    for (const [code, m] of Object.entries(ERROR_TABLE)) {
      if (m.source !== source) continue;
      lines.push(`| \`${code}\` | ${cell(m.meaning)} | ${cell(describeOutcome(m.outcome))} | ${cell(m.note ?? '')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
