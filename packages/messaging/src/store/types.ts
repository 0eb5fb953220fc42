/**
 * The store port of the messaging engine: durable outbox, incoming messages, the duplicate
 * register, the EPJ inbox, quarantine, receipt tracking, procedure state, the audit log and the
 * downtime log. Two adapters implement it with the same logical schema: SQLite (this package) and
 * PostgreSQL (`@samhandling/store-postgres`); one contract suite tests both.
 *
 * Conventions of the port:
 * - Every method returns a Promise, so a networked database fits.
 * - Time is never read inside the store: every method that records a time takes it as an argument
 *   (`now`, `at`), from the engine's injected clock. Times are stored with millisecond precision.
 * - Bytes go in as `Uint8Array` and come back as `Uint8Array` (a Node `Buffer`).
 * - Patient data (NORM): operational tables carry only a pseudonymous `patientRef` (see
 *   {@link patientRef}), never a fødselsnummer. The payloads themselves are the messages; outgoing
 *   and incoming payloads are stored CMS-protected as they travel, only the EPJ inbox holds
 *   plain messages.
 * - Database conditions throw `StoreError` (`ERR_STORE_*`); `ERR_STORE_UNAVAILABLE` is retryable.
 */
import type { ReceiptStore, TrackedMessage } from '@samhandling/apprec';

/** A JSON value (what JSON columns hold). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Version of the logical schema this code knows; both adapters carry migrations up to it. */
export const STORE_SCHEMA_VERSION = 2;

/**
 * Names of the schema migrations, index = version − 1; both adapters use the same names.
 * `002_engine_tables` moves the engine's task list and stay index out of whole-JSON rows of
 * `procedure_state` into the tables `engine_tasks` and `engine_stays` (ADR 0015).
 */
export const STORE_MIGRATION_NAMES: readonly string[] = ['001_init', '002_engine_tables'];

// ---------------------------------------------------------------------------------------------
// Outgoing

/**
 * State of an outgoing message:
 * - `queued`: waiting for its first transmission at `nextAttemptAt`;
 * - `sending`: claimed by a worker, leased until `leaseUntil` (an expired lease can be re-claimed);
 * - `sent`: handed to the transport; if a transport acknowledgment is expected and has not arrived
 *   by `nextAttemptAt`, the message is claimable again and is re-sent;
 * - `acknowledged`: the transport acknowledged it (final for the outbox; the AppRec is tracked in
 *   the receipt store);
 * - `failed`: the last attempt failed; claimable again at `nextAttemptAt`;
 * - `dead-letter`: given up (time-to-live passed or permanent failure); an operator may resend it.
 */
export type OutgoingState = 'queued' | 'sending' | 'sent' | 'acknowledged' | 'failed' | 'dead-letter';

/** A message to put in the outbox. */
export interface OutgoingMessage {
  /** MsgInfo/MsgId: our id of the message, unique among everything we send. */
  readonly msgId: string;
  /** MsgInfo/Type V (for example `LOG_INNLAGT`, `APPREC`, `DIALOG_AVVIK`). */
  readonly msgType: string;
  /** Our HER-id as the sender. */
  readonly senderHerId: string;
  /** The receiver's HER-id (the addressee, as used for the address-register lookup). */
  readonly receiverHerId: string;
  /** ConversationRef / conversation id, when there is one. */
  readonly conversationRef?: string;
  /** Pseudonymous patient reference ({@link patientRef}); never a fødselsnummer. */
  readonly patientRef?: string;
  /** The bytes to transmit: the CMS-protected (signed, then encrypted) message. */
  readonly payload: Uint8Array;
  /** Transport data the sender needs again (CPA id, service/action, content type ...). */
  readonly transportMeta?: JsonValue;
  /** When the message entered the outbox. */
  readonly createdAt: Date;
  /** Time-to-live: after this the engine dead-letters it instead of trying again. */
  readonly expiresAt: Date;
  /** First transmission time; default `createdAt`. */
  readonly nextAttemptAt?: Date;
}

/** An outgoing message as stored (without its payload). */
export interface OutgoingRecord {
  readonly msgId: string;
  readonly msgType: string;
  readonly senderHerId: string;
  readonly receiverHerId: string;
  readonly conversationRef?: string;
  readonly patientRef?: string;
  readonly transportMeta?: JsonValue;
  readonly state: OutgoingState;
  /** Transmissions started so far (every claim counts one). */
  readonly attempts: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date;
  /** When the message is claimable next; absent when it waits for nothing (acknowledged, dead, sent without ack deadline). */
  readonly nextAttemptAt?: Date;
  /** The current lease's end, while `sending`. */
  readonly leaseUntil?: Date;
  /** The transport's id of the last transmission (for example the ebXML MessageId). */
  readonly transportMessageId?: string;
  readonly sentAt?: Date;
  readonly acknowledgedAt?: Date;
  /** Text of the last failure. */
  readonly lastError?: string;
  /**
   * Why it was dead-lettered. A reason starting with {@link MANUAL_DELIVERY_REASON_PREFIX} marks a
   * message delivered outside the electronic channel ({@link MessagingStore.closeOutgoingManually}):
   * it is never requeued or resent.
   */
  readonly deadLetterReason?: string;
}

/** Prefix of `deadLetterReason` for a message delivered by hand (downtime routine, DOMAIN §8). */
export const MANUAL_DELIVERY_REASON_PREFIX = 'manual-delivery:';

/** What {@link MessagingStore.closeOutgoingManually} did. */
export interface ManualDeliveryResult {
  readonly outgoing: OutgoingRecord;
  readonly event: DowntimeRecord;
  /** True when the message left the electronic channel now (false: acknowledged, or by hand before). */
  readonly closed: boolean;
}

/** Arguments of {@link MessagingStore.closeOutgoingManually}. */
export interface ManualDeliveryInput {
  readonly msgId: string;
  /** The partner (transport endpoint) the downtime log entry is filed under. */
  readonly partnerHerId: string;
  /** How it was delivered: telefaks, post, telefon, ... */
  readonly channel: string;
  readonly note: string;
  readonly actor: string;
  readonly now: Date;
  /**
   * The message's receipt expectation, closed as `manual` (`closeManually` of
   * `@samhandling/apprec`), written when its stored revision is still `expectedRevision`.
   */
  readonly receiptUpdate?: { readonly message: TrackedMessage; readonly expectedRevision: number };
}

/** An outgoing message with its payload. */
export interface OutgoingWithPayload extends OutgoingRecord {
  readonly payload: Uint8Array;
}

/** An outgoing message claimed by a worker. */
export interface OutgoingClaim extends OutgoingWithPayload {
  readonly state: 'sending';
  /** Fencing token of this claim: every later `mark*` call must present it. */
  readonly lease: string;
  readonly leaseUntil: Date;
}

/** Options of {@link MessagingStore.enqueueOutgoing}. */
export interface EnqueueOptions {
  /** An audit entry (for example the submission) appended in the same transaction. */
  readonly audit?: AuditEntry;
}

/** Arguments of a claim ({@link MessagingStore.claimOutgoing}, {@link MessagingStore.claimIncoming}). */
export interface ClaimOptions {
  /** Who claims (instance and worker name; kept in the lease token for diagnosis). */
  readonly workerId: string;
  readonly now: Date;
  /** At most this many rows (1 ... 1000). */
  readonly limit: number;
  /** Lease length in milliseconds: after it, another worker may claim the row again. */
  readonly leaseMs: number;
}

/** Arguments of {@link MessagingStore.markSent}. */
export interface MarkSentOptions {
  readonly now: Date;
  /** The transport's id of this transmission. */
  readonly transportMessageId?: string;
  /**
   * When a transport acknowledgment is expected: the time after which the message is claimable
   * again and re-sent. Omit when the transport gives no acknowledgment.
   */
  readonly ackDeadline?: Date;
}

/** Arguments of {@link MessagingStore.markFailed}. */
export interface MarkFailedOptions {
  readonly now: Date;
  /** When to try again (backoff with jitter is the engine's decision). */
  readonly nextAttemptAt: Date;
  readonly error: string;
}

/** Filter of {@link MessagingStore.listOutgoing}. */
export interface OutgoingFilter {
  readonly state?: OutgoingState;
  readonly receiverHerId?: string;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

// ---------------------------------------------------------------------------------------------
// Incoming

/**
 * State of an incoming transport message:
 * - `received`: raw bytes stored, waiting to be processed (at `nextAttemptAt`);
 * - `processing`: claimed by a worker, leased;
 * - `delivered`: a business message delivered to the EPJ inbox, AppRec OK (or partial) enqueued;
 * - `rejected`: answered with a negative AppRec, not delivered;
 * - `quarantined`: kept aside for an operator (see the quarantine methods);
 * - `duplicate`: a copy of an already received (sender HER-id, MsgId), answered with the stored AppRec;
 * - `receipt`: an AppRec, applied to receipt tracking (never answered);
 * - `discarded`: nothing to do (for example a transport-level message), kept for the record.
 */
export type IncomingState = 'received' | 'processing' | 'delivered' | 'rejected' | 'quarantined' | 'duplicate' | 'receipt' | 'discarded';

/** The final states that {@link MessagingStore.recordIncomingResult} accepts. */
export type IncomingOutcome = Exclude<IncomingState, 'received' | 'processing'>;

/** Arguments of {@link MessagingStore.storeIncomingRaw}. */
export interface IncomingRaw {
  /**
   * The idempotency key of the transmission. Make it include the transport sender (for example
   * `${fromHerId}/${ebXmlMessageId}`), so one party cannot shadow another's message id.
   */
  readonly transportMessageId: string;
  /** The bytes as received (still CMS-protected). */
  readonly payload: Uint8Array;
  readonly receivedAt: Date;
  /** What the transport knows (From/To party, CPA, conversation, the acknowledgment it sent ...). */
  readonly transportMeta?: JsonValue;
}

/** Result of {@link MessagingStore.storeIncomingRaw}. */
export interface StoredIncoming {
  readonly incomingId: string;
  /** False when the transport message id was already stored (nothing changed). */
  readonly created: boolean;
  /** Of the stored row (the first reception when `created` is false). */
  readonly receivedAt: Date;
  readonly transportMeta?: JsonValue;
}

/** An incoming message as stored (without its payload). */
export interface IncomingRecord {
  readonly incomingId: string;
  readonly transportMessageId: string;
  readonly receivedAt: Date;
  readonly transportMeta?: JsonValue;
  readonly state: IncomingState;
  /** Processing attempts started (every claim counts one). */
  readonly attempts: number;
  readonly nextAttemptAt?: Date;
  readonly leaseUntil?: Date;
  readonly lastError?: string;
  /** Parsed MsgInfo/MsgId, once known. */
  readonly msgId?: string;
  readonly senderHerId?: string;
  readonly receiverHerId?: string;
  readonly msgType?: string;
  readonly conversationRef?: string;
  readonly patientRef?: string;
  /** Error code or reason of a rejection, quarantine or discard. */
  readonly reason?: string;
  readonly details?: JsonValue;
  /** For a duplicate: the incoming id of the first copy. */
  readonly duplicateOf?: string;
  readonly completedAt?: Date;
}

/** An incoming message with its payload. */
export interface IncomingWithPayload extends IncomingRecord {
  readonly payload: Uint8Array;
}

/** An incoming message claimed by a worker. */
export interface IncomingClaim extends IncomingWithPayload {
  readonly state: 'processing';
  /** Fencing token of this claim: {@link MessagingStore.recordIncomingResult} must present it. */
  readonly lease: string;
  readonly leaseUntil: Date;
}

/** Arguments of {@link MessagingStore.releaseIncoming}. */
export interface ReleaseIncomingOptions {
  readonly now: Date;
  /** When to process it again. */
  readonly nextAttemptAt: Date;
  readonly error: string;
}

/** A message for the EPJ inbox. */
export interface InboxDelivery {
  /** The plain (decrypted, verified) message bytes, as the EPJ receives them. */
  readonly payload: Uint8Array;
  /** Media type of the payload; default `application/xml`. */
  readonly contentType?: string;
}

/** The AppRec we produced for a received message, kept to answer duplicates with it. */
export interface ProducedAppRec {
  /** The AppRec's own MsgId (= its outgoing msgId when it was enqueued). */
  readonly msgId: string;
  /** The AppRec XML (unprotected). */
  readonly xml: Uint8Array;
}

/**
 * The outcome of processing an incoming message, written in ONE transaction by
 * {@link MessagingStore.recordIncomingResult}: the incoming row's final state, the duplicate
 * register entry (sender HER-id, MsgId), the EPJ inbox item, the quarantine entry, the AppRec to
 * send, and, for a duplicate, the re-send of the stored AppRec.
 */
export interface IncomingResult {
  readonly state: IncomingOutcome;
  /** Parsed MsgInfo/MsgId. Required for `delivered` and `duplicate`. */
  readonly msgId?: string;
  /** The sender's HER-id (MsgHead sender, checked against the signer). Required with `msgId`. */
  readonly senderHerId?: string;
  readonly receiverHerId?: string;
  readonly msgType?: string;
  readonly conversationRef?: string;
  readonly patientRef?: string;
  /** Error code or reason (for `rejected`, `quarantined`, `discarded`). */
  readonly reason?: string;
  readonly details?: JsonValue;
  /** `delivered`: the item for the EPJ inbox (required). */
  readonly inbox?: InboxDelivery;
  /** `quarantined`: why (required). */
  readonly quarantine?: { readonly reason: string; readonly details?: JsonValue };
  /**
   * A hash of the message content (for example SHA-256 of the decrypted MsgHead document), kept in
   * the duplicate register so a later copy can be told apart: same content (`ERR_MSG_DUPLICATE`)
   * or a reused MsgId with other content (`ERR_MSG_DUPLICATE_CONFLICT`).
   */
  readonly contentHash?: string;
  /** The AppRec produced (kept in the duplicate register for re-sending). */
  readonly appRec?: ProducedAppRec;
  /** A message to enqueue in the same transaction: the protected AppRec (never with a receipt expectation). */
  readonly reply?: OutgoingMessage;
  /**
   * `duplicate`: re-send the AppRec stored for the first copy, with this new time-to-live
   * ({@link MessagingStore.requeueOutgoing} semantics, in the same transaction). Omit to not re-send.
   */
  readonly resendAppRec?: { readonly expiresAt: Date };
  /** Audit entries to append in the same transaction (for example the delivery to the inbox). */
  readonly audit?: readonly OutcomeAuditEntry[];
  /**
   * `receipt`: the receipt tracker's new state for the AppRec's original message (apprec's
   * `applyAppRec`), written in the same transaction when its revision is still `expectedRevision`.
   * @throws StoreError `ERR_STORE_CONFLICT` (table `receipt_tracking`) when it changed: nothing was written.
   */
  readonly receiptUpdate?: { readonly message: TrackedMessage; readonly expectedRevision: number };
}

/**
 * An audit entry written with an incoming outcome ({@link IncomingResult.audit}); its subject is a
 * row of the outcome, whose id the store fills in: the EPJ inbox item (`inbox`, only for a
 * delivery) or the incoming message (`incoming`).
 */
export interface OutcomeAuditEntry {
  readonly subject: 'inbox' | 'incoming';
  readonly actor: string;
  readonly action: string;
  readonly patientRef?: string;
  readonly at: Date;
  readonly details?: JsonValue;
}

/** What {@link MessagingStore.recordIncomingResult} resolves: the incoming row, and the inbox item it delivered. */
export interface RecordedIncoming extends IncomingRecord {
  /** `delivered`: the EPJ inbox item written with the outcome. */
  readonly inboxId?: string;
}

/** An entry of the duplicate register: a received (sender HER-id, MsgId) and our answer. */
export interface ReceivedMessage {
  readonly senderHerId: string;
  readonly msgId: string;
  /** The incoming message that was the first copy. */
  readonly incomingId: string;
  readonly state: IncomingOutcome;
  readonly msgType?: string;
  /** The first copy's content hash, when recorded (see {@link IncomingResult.contentHash}). */
  readonly contentHash?: string;
  /** MsgId of the AppRec we produced, when any. */
  readonly appRecMsgId?: string;
  /** The AppRec XML we produced, when any: a duplicate gets this same AppRec again. */
  readonly appRecXml?: Uint8Array;
  readonly recordedAt: Date;
}

/** Filter of {@link MessagingStore.listIncoming}. */
export interface IncomingFilter {
  readonly state?: IncomingState;
  readonly senderHerId?: string;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

// ---------------------------------------------------------------------------------------------
// EPJ inbox

/** Arguments of {@link MessagingStore.deliverToInbox} (the item outside of `recordIncomingResult`). */
export interface InboxItemInput extends InboxDelivery {
  readonly senderHerId: string;
  readonly msgId: string;
  readonly msgType: string;
  /** The incoming message it came from, when any. */
  readonly incomingId?: string;
  readonly conversationRef?: string;
  readonly patientRef?: string;
  readonly deliveredAt: Date;
}

/** An item of the EPJ inbox. */
export interface InboxItem {
  readonly inboxId: string;
  readonly incomingId?: string;
  readonly senderHerId: string;
  readonly msgId: string;
  readonly msgType: string;
  readonly conversationRef?: string;
  readonly patientRef?: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly deliveredAt: Date;
  /** When the EPJ acknowledged (took over) the item. */
  readonly ackedAt?: Date;
  readonly ackedBy?: string;
}

/** Filter of {@link MessagingStore.listInbox}. */
export interface InboxFilter {
  /** Only items not yet acknowledged by the EPJ (default true). */
  readonly pendingOnly?: boolean;
  /** Items after this inbox id (paging, in delivery order). */
  readonly afterId?: string;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

// ---------------------------------------------------------------------------------------------
// Quarantine

/** What an operator did with a quarantined message. `handled` closes the entry. */
export type QuarantineActionKind = 'forward' | 'feedback-sent' | 'handled' | 'note';

/** An operator action on a quarantined message. */
export interface QuarantineActionInput {
  readonly action: QuarantineActionKind;
  /** Who (user name or service). */
  readonly actor: string;
  readonly at: Date;
  readonly note?: string;
  /** `forward`: the HER-id it was forwarded to. */
  readonly targetHerId?: string;
  /** `forward`, `feedback-sent`: the MsgId of the message sent. */
  readonly msgId?: string;
}

/** A recorded operator action. */
export interface QuarantineAction extends QuarantineActionInput {
  readonly actionId: string;
}

/** A quarantined message with its actions, oldest action first. */
export interface QuarantineRecord {
  readonly quarantineId: string;
  readonly incomingId: string;
  readonly reason: string;
  readonly details?: JsonValue;
  readonly createdAt: Date;
  readonly handledAt?: Date;
  readonly handledBy?: string;
  readonly actions: readonly QuarantineAction[];
}

/** Filter of {@link MessagingStore.listQuarantine}. */
export interface QuarantineFilter {
  /** Only entries not yet handled (default true). */
  readonly openOnly?: boolean;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

// ---------------------------------------------------------------------------------------------
// Procedure state

/** The stored state of one procedure (hospital stay). */
export interface ProcedureStateRecord {
  readonly key: string;
  readonly state: JsonValue;
  /** Starts at 1, +1 on every save (optimistic concurrency). */
  readonly version: number;
  readonly patientRef?: string;
  readonly updatedAt: Date;
}

/** Arguments of {@link MessagingStore.saveProcedureState}. */
export interface SaveProcedureStateOptions {
  /** The version read before the change; `null` to create a new key. */
  readonly expectedVersion: number | null;
  readonly now: Date;
  readonly patientRef?: string;
}

// ---------------------------------------------------------------------------------------------
// Engine tasks and the stay index (dedicated tables, one row each: ADR 0015)

/** Kind of an engine task: work for a person, an alarm, or a notification. */
export type EngineTaskKind = 'task' | 'alarm' | 'notification';

/** A task to add ({@link MessagingStore.changeTasks}); its id is deterministic, so adding it twice changes nothing. */
export interface EngineTaskInput {
  /** Deterministic id (for example `receipt-overdue:<msgId>`). */
  readonly taskId: string;
  readonly kind: EngineTaskKind;
  readonly title: string;
  readonly detail?: string;
  /** The stay it belongs to. */
  readonly stayKey?: string;
  /** The message it is about. */
  readonly msgId?: string;
  /** When it was raised; default the change's `now`. */
  readonly createdAt?: Date;
  /** Deadline as the procedure states it (ISO 8601 text, kept as given). */
  readonly due?: string;
}

/** A stored engine task. */
export interface EngineTask {
  /** Position in creation order (paging cursor, see {@link EngineTaskFilter.after}). */
  readonly seq: string;
  readonly taskId: string;
  readonly kind: EngineTaskKind;
  readonly title: string;
  readonly detail?: string;
  readonly stayKey?: string;
  readonly msgId?: string;
  readonly createdAt: Date;
  readonly due?: string;
  readonly done: boolean;
  readonly doneAt?: Date;
  readonly doneBy?: string;
}

/**
 * One change of the task list, written in ONE transaction by {@link MessagingStore.changeTasks}:
 * open tasks are completed first, then new tasks are added (a task id that exists, open or done, is
 * left alone).
 */
export interface EngineTaskChange {
  readonly add?: readonly EngineTaskInput[];
  /** Ids of tasks to complete (unknown or done ones are ignored). */
  readonly complete?: readonly string[];
  /**
   * Completes every open task of `stayKey` whose id starts with `idPrefix`, except the ids in
   * `keep` (the tasks the stay's procedure still asks for).
   */
  readonly completeStay?: { readonly stayKey: string; readonly idPrefix: string; readonly keep: readonly string[] };
  /** Who completes (`engine:procedure`, a user name ...). */
  readonly by: string;
  readonly now: Date;
}

/** Result of {@link MessagingStore.changeTasks}. */
export interface EngineTaskChangeResult {
  /** Ids of the tasks added, in the order given. */
  readonly added: readonly string[];
  /** Ids of the tasks completed. */
  readonly completed: readonly string[];
}

/** Filter of {@link MessagingStore.listTasks}; all given fields must match. */
export interface EngineTaskFilter {
  /** Only open (`false`) or only done (`true`) tasks. */
  readonly done?: boolean;
  readonly stayKey?: string;
  readonly msgId?: string;
  /** Tasks after this `seq` (paging, in creation order). */
  readonly after?: string;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

/** An entry of the stay index: which stays a patient has at a hospital, and their next deadline. */
export interface StayIndexEntry {
  /** The stay's key (its procedure state is stored under this key). */
  readonly stayKey: string;
  readonly patientRef: string;
  readonly hospitalHerId: string;
  readonly openedAt: Date;
  /** The stay's procedure reached a final state. */
  readonly terminal: boolean;
  /** MsgId of the stay's LOG_INNLAGT, once there is one. */
  readonly innlagt?: string;
  /** The next pending deadline, when any. */
  readonly nextDue?: Date;
}

/** A change of one stay-index entry ({@link MessagingStore.updateStayIndex}); absent fields are kept. */
export interface StayIndexChange {
  readonly terminal?: boolean;
  /** The stay's LOG_INNLAGT; `null` clears it. */
  readonly innlagt?: string | null;
  /** The next deadline; `null` clears it. */
  readonly nextDue?: Date | null;
}

/** Filter of {@link MessagingStore.listStayIndex}; all given fields must match. Entries come in opening order. */
export interface StayIndexFilter {
  readonly patientRef?: string;
  readonly hospitalHerId?: string;
  /** Only entries that are not terminal and have a deadline at or before this time. */
  readonly dueBy?: Date;
  /** Entries after this stay key in opening order (paging). */
  readonly afterKey?: string;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

// ---------------------------------------------------------------------------------------------
// Audit log and downtime log

/** One audit entry (NORM: who or what read or changed which message with patient data, when). */
export interface AuditEntry {
  /** Who or what: a user name, or `engine:<instance>` for automatic actions. */
  readonly actor: string;
  /** What was done (`read`, `deliver`, `send`, `resend`, `quarantine-forward` ...). */
  readonly action: string;
  /** Kind of the subject (`incoming`, `outgoing`, `inbox`, `quarantine`, `procedure`, `audit` ...). */
  readonly subjectType: string;
  /** Id of the subject. */
  readonly subjectId: string;
  readonly patientRef?: string;
  readonly at: Date;
  readonly details?: JsonValue;
}

/** A stored audit entry. */
export interface AuditRecord extends AuditEntry {
  /** Increasing with insertion order. */
  readonly auditId: string;
}

/** Filter of {@link MessagingStore.listAudit}; all given fields must match. */
export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly subjectType?: string;
  readonly subjectId?: string;
  readonly patientRef?: string;
  /** At or after. */
  readonly from?: Date;
  /** Before. */
  readonly to?: Date;
  /** Entries after this audit id (paging). */
  readonly afterId?: string;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

/** Arguments of {@link MessagingStore.purgeAudit}: the retention policy and who applies it. */
export interface PurgeAuditOptions {
  /** Keep entries younger than this many milliseconds (before `now`); older entries are deleted. */
  readonly retainMs: number;
  readonly actor: string;
  readonly now: Date;
}

/**
 * Kind of a downtime-log event (DOMAIN §8): downtime detected, notices to the meldingsansvarlig
 * contacts, messages held or diverted, a manual (non-electronic) delivery, the all-clear.
 */
export type DowntimeEventKind = 'down-detected' | 'notice-sent' | 'held' | 'manual-delivery' | 'restored' | 'all-clear-sent' | 'note';

/** One event of the downtime and manual-handling log. */
export interface DowntimeEvent {
  readonly partnerHerId: string;
  readonly kind: DowntimeEventKind;
  readonly at: Date;
  readonly actor: string;
  /** The message concerned (for example the one delivered manually). */
  readonly msgId?: string;
  readonly details?: JsonValue;
}

/** A stored downtime-log event. */
export interface DowntimeRecord extends DowntimeEvent {
  readonly eventId: string;
}

/** Filter of {@link MessagingStore.listDowntime}. */
export interface DowntimeFilter {
  readonly partnerHerId?: string;
  readonly kind?: DowntimeEventKind;
  readonly from?: Date;
  readonly to?: Date;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

// ---------------------------------------------------------------------------------------------
// Transport duplicate elimination

/**
 * An incoming transport message already answered (ebMS duplicate elimination): the exact answer is
 * kept so a duplicate gets it again. Same shape as the transport's `SeenMessage`.
 */
export interface SeenTransportMessage {
  /** Sender HER-id. */
  readonly from: string;
  /** Transport message id (ebXML MessageId). */
  readonly messageId: string;
  /** When it was first answered. */
  readonly answeredAt: Date;
  /** What was answered. */
  readonly decision: 'accept' | 'reject';
  /** The exact answer sent (for example the signed ebXML Acknowledgment), re-sent for a duplicate. */
  readonly response: Uint8Array;
}

/** Persistence of answered transport messages; fits the transport's `SeenMessageStore` port. */
export interface SeenTransportStore {
  /** The record for (from, messageId), or undefined. */
  get(from: string, messageId: string): Promise<SeenTransportMessage | undefined>;
  /** Records an answer; a second put for the same (from, messageId) keeps the first record. */
  put(record: SeenTransportMessage): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The port

/**
 * Persistence of the messaging engine. Every state change that must not be lost is committed
 * before the method resolves (SQLite `synchronous=FULL`, PostgreSQL commit).
 *
 * Exactly-once rests on four database guarantees, not on in-memory checks:
 * 1. outgoing and incoming work is claimed with a lease and a fencing token, so two workers never
 *    hold the same row (PostgreSQL `FOR UPDATE SKIP LOCKED`, SQLite write transactions);
 * 2. the duplicate register has a UNIQUE key (sender HER-id, MsgId);
 * 3. the EPJ inbox has a UNIQUE key (sender HER-id, MsgId);
 * 4. the outcome of an incoming message (state, register entry, inbox item, AppRec in the outbox) is
 *    written in one transaction, which fails as a whole when the lease was lost.
 */
export interface MessagingStore {
  /** The applied schema version (= {@link STORE_SCHEMA_VERSION} once opened). */
  schemaVersion(): Promise<number>;

  // --- outgoing ---

  /**
   * Puts a message in the outbox (state `queued`) and, in the same transaction, its receipt
   * expectation (a {@link TrackedMessage} with the AppRec deadline, as built by the apprec
   * package's `startTracking`; its `msgId` must be `msg.msgId`). AppRecs are enqueued without an
   * expectation. Either both are stored or neither.
   *
   * @throws StoreError `ERR_STORE_CONFLICT` when the msgId is already in the outbox or already tracked.
   */
  enqueueOutgoing(msg: OutgoingMessage, receiptExpectation?: TrackedMessage, options?: EnqueueOptions): Promise<OutgoingRecord>;
  /**
   * Claims up to `limit` outgoing messages that are due (`queued`, `failed` or `sent` with
   * `nextAttemptAt` ≤ now, or `sending` with an expired lease), earliest first: they become
   * `sending` with a new lease token, and `attempts` grows by one. Concurrent claimers never get the
   * same row.
   */
  claimOutgoing(options: ClaimOptions): Promise<OutgoingClaim[]>;
  /**
   * The claimed message was handed to the transport: `sent`. With `ackDeadline` it becomes
   * claimable again at that time unless {@link markAcknowledged} comes first.
   *
   * @throws StoreError `ERR_STORE_LEASE_LOST` when `lease` is no longer the row's lease;
   *   `ERR_STORE_NOT_FOUND` when there is no such message.
   */
  markSent(msgId: string, lease: string, options: MarkSentOptions): Promise<OutgoingRecord>;
  /**
   * The transport acknowledged the message (from any instance, no lease needed): `acknowledged`.
   * Resolves false when it already was acknowledged (nothing changed).
   *
   * @throws StoreError `ERR_STORE_NOT_FOUND`.
   */
  markAcknowledged(msgId: string, now: Date): Promise<boolean>;
  /**
   * The attempt failed: `failed`, claimable again at `nextAttemptAt`.
   *
   * @throws StoreError `ERR_STORE_LEASE_LOST`, `ERR_STORE_NOT_FOUND`.
   */
  markFailed(msgId: string, lease: string, options: MarkFailedOptions): Promise<OutgoingRecord>;
  /**
   * Gives up on a claimed message (time-to-live passed, permanent failure): `dead-letter`. The engine
   * raises the alarm.
   *
   * @throws StoreError `ERR_STORE_LEASE_LOST`, `ERR_STORE_NOT_FOUND`.
   */
  deadLetter(msgId: string, lease: string, reason: string, now: Date): Promise<OutgoingRecord>;
  /**
   * Operator resend of a dead-lettered message: `queued` again at `now`, attempts reset, a new
   * time-to-live `expiresAt`. Writes an audit entry (`resend`) in the same transaction.
   *
   * @throws StoreError `ERR_STORE_INVALID_STATE` unless the message is `dead-letter`; `ERR_STORE_NOT_FOUND`.
   */
  resendOutgoing(msgId: string, options: { readonly actor: string; readonly now: Date; readonly expiresAt: Date }): Promise<OutgoingRecord>;
  /**
   * Sends an already sent message again (a duplicate was received, so its stored AppRec goes out
   * again): a `sent`, `acknowledged`, `failed` or `dead-letter` message becomes `queued` at `now`
   * with a new `expiresAt` and no transport message id (the transport assigns a new one). A message
   * still `queued` or `sending` is left alone. Resolves whether it was requeued.
   *
   * @throws StoreError `ERR_STORE_NOT_FOUND`.
   */
  requeueOutgoing(msgId: string, options: { readonly now: Date; readonly expiresAt: Date }): Promise<boolean>;
  /**
   * An operator delivered an outgoing message by hand. A message not yet acknowledged (`queued`,
   * `failed` or held, `sent` awaiting its acknowledgment, or `dead-letter`) leaves the electronic
   * channel for good (`closed`: `dead-letter` with a {@link MANUAL_DELIVERY_REASON_PREFIX} reason,
   * never claimed, requeued or resent); an acknowledged message (its AppRec missing) or one
   * delivered by hand before keeps its state. In every case the receipt expectation is updated
   * (`receiptUpdate`), and the `manual-delivery` entry of the downtime log and an audit entry are
   * written, all in one transaction.
   *
   * @throws StoreError `ERR_STORE_NOT_FOUND`; `ERR_STORE_INVALID_STATE` when the message is being
   *   sent right now (`sending`: try again); `ERR_STORE_CONFLICT` (table `receipt_tracking`) when the
   *   receipt state changed meanwhile.
   */
  closeOutgoingManually(input: ManualDeliveryInput): Promise<ManualDeliveryResult>;
  /**
   * The peer refused a message at transport level (ebXML MessageError): a `queued`, `failed` or
   * `sent` message becomes `dead-letter` with `reason` at once, without a lease, so the refusal
   * survives a restart and reaches every instance. Resolves the record when it changed; undefined
   * when the message is being sent right now (`sending`: the caller applies the refusal at the end
   * of that attempt), already acknowledged, or already dead-lettered.
   *
   * @throws StoreError `ERR_STORE_NOT_FOUND`.
   */
  refuseOutgoing(msgId: string, reason: string, now: Date): Promise<OutgoingRecord | undefined>;
  /** The outgoing message with this msgId, with its payload. */
  getOutgoing(msgId: string): Promise<OutgoingWithPayload | undefined>;
  /** Outgoing messages (without payload), oldest first. */
  listOutgoing(filter?: OutgoingFilter): Promise<OutgoingRecord[]>;

  // --- incoming ---

  /**
   * Stores received bytes durably (state `received`, due at `receivedAt`). Call it BEFORE the
   * transport acknowledges. Idempotent on `transportMessageId`: a second call changes nothing and
   * returns the first row (`created: false`, with its `transportMeta`, so the transport can repeat
   * its original acknowledgment).
   */
  storeIncomingRaw(raw: IncomingRaw): Promise<StoredIncoming>;
  /**
   * Claims up to `limit` incoming messages that are due (`received` with `nextAttemptAt` ≤ now, or
   * `processing` with an expired lease), oldest first: `processing` with a new lease token.
   */
  claimIncoming(options: ClaimOptions): Promise<IncomingClaim[]>;
  /**
   * Processing hit a retryable condition (revocation source down, store busy ...): back to
   * `received`, due again at `nextAttemptAt`.
   *
   * @throws StoreError `ERR_STORE_LEASE_LOST`, `ERR_STORE_NOT_FOUND`.
   */
  releaseIncoming(incomingId: string, lease: string, options: ReleaseIncomingOptions): Promise<IncomingRecord>;
  /**
   * Writes the outcome of a claimed incoming message in one transaction (see {@link IncomingResult}):
   * its final state; for a non-duplicate with (senderHerId, msgId), the duplicate-register entry with
   * the produced AppRec; the EPJ inbox item (`delivered`); the quarantine entry (`quarantined`); the
   * reply in the outbox; for a `duplicate`, the link to the first copy and the re-send of its AppRec.
   *
   * @throws StoreError `ERR_STORE_DUPLICATE` when (senderHerId, msgId) is already registered (another
   *   copy won the race; nothing was written: process it again as a duplicate);
   *   `ERR_STORE_LEASE_LOST`; `ERR_STORE_NOT_FOUND` (also for a duplicate without a first copy);
   *   `ERR_STORE_CONFLICT` when the reply's msgId is taken.
   */
  recordIncomingResult(incomingId: string, lease: string, result: IncomingResult, now: Date): Promise<RecordedIncoming>;
  /** The duplicate-register entry for (senderHerId, msgId), with the AppRec to send again. */
  findReceived(senderHerId: string, msgId: string): Promise<ReceivedMessage | undefined>;
  /** The incoming message with this id, with its payload. */
  getIncoming(incomingId: string): Promise<IncomingWithPayload | undefined>;
  /** Incoming messages (without payload), oldest first. */
  listIncoming(filter?: IncomingFilter): Promise<IncomingRecord[]>;

  // --- EPJ inbox ---

  /**
   * Puts a message in the EPJ inbox exactly once: a second delivery of the same (senderHerId,
   * msgId) changes nothing and returns the first item's id with `created: false`.
   */
  deliverToInbox(item: InboxItemInput): Promise<{ readonly inboxId: string; readonly created: boolean }>;
  /** Inbox items in delivery order. */
  listInbox(filter?: InboxFilter): Promise<InboxItem[]>;
  /**
   * The EPJ took over the item. Resolves false when it was already acknowledged (nothing changed).
   *
   * @throws StoreError `ERR_STORE_NOT_FOUND`.
   */
  ackInbox(inboxId: string, options: { readonly actor: string; readonly now: Date }): Promise<boolean>;

  // --- quarantine ---

  /**
   * Quarantines an incoming message outside of {@link recordIncomingResult} (operator decision);
   * idempotent per incoming message (returns the existing entry). The incoming row's state is not
   * changed.
   *
   * @throws StoreError `ERR_STORE_NOT_FOUND` when there is no such incoming message.
   */
  quarantine(incomingId: string, options: { readonly reason: string; readonly details?: JsonValue; readonly now: Date }): Promise<QuarantineRecord>;
  /** Quarantine entries, oldest first, with their actions. */
  listQuarantine(filter?: QuarantineFilter): Promise<QuarantineRecord[]>;
  /** One quarantine entry with its actions. */
  getQuarantine(quarantineId: string): Promise<QuarantineRecord | undefined>;
  /**
   * Records an operator action (and an audit entry `quarantine-<action>` in the same transaction);
   * `handled` closes the entry.
   *
   * @throws StoreError `ERR_STORE_INVALID_STATE` when the entry is already handled; `ERR_STORE_NOT_FOUND`.
   */
  recordQuarantineAction(quarantineId: string, action: QuarantineActionInput): Promise<QuarantineRecord>;

  // --- transport duplicate elimination ---

  /** Answered transport messages (table `transport_seen`), for the transport's duplicate elimination. */
  readonly seenMessages: SeenTransportStore;

  // --- receipt tracking ---

  /** The apprec package's receipt store, persisted in the same database (table `receipt_tracking`). */
  readonly receipts: ReceiptStore;

  // --- procedure state ---

  /** The stored state of the procedure with this key. */
  getProcedureState(key: string): Promise<ProcedureStateRecord | undefined>;
  /**
   * Saves a procedure's state when nobody changed it since `expectedVersion` was read (`null`:
   * the key must be new). Resolves the stored record with the new version.
   *
   * @throws StoreError `ERR_STORE_CONFLICT` when the stored version differs (reload and retry).
   */
  saveProcedureState(key: string, state: JsonValue, options: SaveProcedureStateOptions): Promise<ProcedureStateRecord>;

  // --- engine tasks and stay index (one row each) ---

  /** Completes and adds tasks in one transaction (see {@link EngineTaskChange}). */
  changeTasks(change: EngineTaskChange): Promise<EngineTaskChangeResult>;
  /** The task with this id. */
  getTask(taskId: string): Promise<EngineTask | undefined>;
  /** Tasks in creation order. */
  listTasks(filter?: EngineTaskFilter): Promise<EngineTask[]>;
  /**
   * Adds a stay to the index.
   *
   * @throws StoreError `ERR_STORE_CONFLICT` when the key exists (re-read and change it instead).
   */
  addStayIndex(entry: StayIndexEntry): Promise<void>;
  /** Changes one index entry; resolves the entry as stored afterwards (undefined when there is none). */
  updateStayIndex(stayKey: string, change: StayIndexChange): Promise<StayIndexEntry | undefined>;
  /** Removes a stay from the index (its messages moved to another stay); resolves whether it was there. */
  removeStayIndex(stayKey: string): Promise<boolean>;
  /** Index entries in opening order. */
  listStayIndex(filter?: StayIndexFilter): Promise<StayIndexEntry[]>;

  // --- audit log (append-only) ---

  /** Appends an audit entry. There is no API to change or delete one; the database refuses it too. */
  audit(entry: AuditEntry): Promise<AuditRecord>;
  /** Audit entries in insertion order. */
  listAudit(filter?: AuditFilter): Promise<AuditRecord[]>;
  /**
   * Applies the retention policy: deletes entries older than `now - retainMs` and appends an audit
   * entry (`audit-purge`, with the cut-off and count) in the same transaction. Resolves the number
   * deleted.
   */
  purgeAudit(options: PurgeAuditOptions): Promise<number>;

  // --- downtime and manual-handling log (append-only) ---

  /** Appends a downtime-log event. */
  logDowntime(event: DowntimeEvent): Promise<DowntimeRecord>;
  /** Downtime-log events in insertion order. */
  listDowntime(filter?: DowntimeFilter): Promise<DowntimeRecord[]>;

  /** Closes the connection(s); later calls throw `ERR_STORE_CLOSED`. */
  close(): Promise<void>;
}
