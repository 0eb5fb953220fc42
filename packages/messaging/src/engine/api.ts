/**
 * The engine's public face: what an EPJ integration and the reference apps (apps/kommune,
 * apps/sthf) use. The engine implementation (pipelines over Store, Transport, AddressRegister,
 * Clock and EPJ ports) lives beside this file; apps depend ONLY on this interface, so they can be
 * built and tested against any implementation of it.
 *
 * All list results are plain JSON-serialisable objects. Times are ISO 8601 strings (UTC).
 * Methods that read patient data take an `actor` so the engine writes the audit log (NORM).
 */

/** Who is acting: an API client, an operator, or the engine itself. Written to the audit log. */
export interface Actor {
  readonly kind: 'epj-system' | 'operator' | 'read-only' | 'engine';
  /** Client id or user name. */
  readonly id: string;
}

/**
 * Transport state of an outgoing message. `held`: waiting while its partner is in manual mode;
 * `manual`: delivered by hand (recordManualDelivery), never sent electronically any more.
 */
export type OutgoingTransportState = 'queued' | 'sending' | 'sent' | 'acknowledged' | 'failed' | 'dead-letter' | 'held' | 'manual';

/** Receipt (AppRec) state of an outgoing business message. */
export type ReceiptState = 'awaiting' | 'ok' | 'rejected' | 'partial' | 'overdue' | 'escalated' | 'manual' | 'not-expected';

/** What the EPJ submits: a message as a JSON model (built, validated, protected, sent). */
export interface SubmitMessageInput {
  /** MsgInfo/Type (8279), e.g. `LOG_UTSKRIVNINGSKLAR`. */
  readonly type: string;
  /** Our sending HER-id (one of the node's own); default the node's main HER-id. */
  readonly senderHerId?: number;
  /** The receiver's HER-id (deepest level: the service address). */
  readonly receiverHerId: number;
  /**
   * Copy receivers (e.g. the patient's GP) by HER-id: named in the message as `OtherReceiver`
   * (role COP), and each sent its own copy with its own MsgId and AppRec (ADR 0014). Unknown to
   * the address register: the submission is refused; no endpoint or certificate: alarm
   * `copy-failed:<msgId>:<herId>`, the message itself is sent.
   */
  readonly copyTo?: readonly number[];
  /** The patient as plo's `Person` (name and identifiers). */
  readonly patient: Readonly<Record<string, unknown>>;
  /** Content model for the type (plo's model for that type). */
  readonly content: Readonly<Record<string, unknown>>;
  /** For answers, changes and cancellations: the MsgId answered or changed. */
  readonly inReplyTo?: string;
  /** Idempotency key from the EPJ: the same key twice returns the first submission. */
  readonly idempotencyKey?: string;
}

/** A validation issue returned when a submission is refused (never sent). */
export interface SubmissionIssue {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
  readonly appRecCode?: string;
}

export type SubmitResult =
  | { readonly accepted: true; readonly msgId: string; readonly message: OutgoingMessageView }
  | { readonly accepted: false; readonly issues: readonly SubmissionIssue[] };

export interface ReceiptView {
  readonly state: ReceiptState;
  readonly deadline?: string;
  /** AppRec status (8258) and errors (8221) when a receipt arrived. */
  readonly status?: '1' | '2' | '3';
  readonly errors?: readonly { readonly code: string; readonly text?: string }[];
  readonly history: readonly { readonly state: ReceiptState; readonly at: string }[];
}

export interface OutgoingMessageView {
  readonly msgId: string;
  readonly type: string;
  readonly senderHerId: number;
  readonly receiverHerId: number;
  readonly createdAt: string;
  readonly transport: { readonly state: OutgoingTransportState; readonly attempts: number; readonly lastError?: string; readonly nextAttemptAt?: string };
  readonly receipt: ReceiptView;
  /** Stay this message belongs to, when it is part of the standard chain. */
  readonly stayKey?: string;
}

export type IncomingState = 'received' | 'delivered' | 'rejected' | 'quarantined' | 'duplicate' | 'receipt';

export interface IncomingMessageView {
  readonly id: string;
  readonly msgId?: string;
  readonly type?: string;
  readonly senderHerId?: number;
  readonly receiverHerId?: number;
  readonly receivedAt: string;
  readonly state: IncomingState;
  /** The AppRec we answered with (status and error codes). */
  readonly appRec?: { readonly status: '1' | '2' | '3'; readonly errors: readonly string[] };
  readonly stayKey?: string;
}

/** A message with its content, for the UI's readable view and raw XML. Reading it is audited. */
export interface MessageDetail {
  readonly direction: 'outgoing' | 'incoming';
  readonly summary: OutgoingMessageView | IncomingMessageView;
  /** Parsed model (plo ParsedMessage as JSON) when readable. */
  readonly parsed?: unknown;
  /** The MsgHead XML (decrypted for incoming). */
  readonly xml?: string;
}

/** An EPJ inbox entry: a business message delivered exactly once. */
export interface InboxEntry {
  readonly id: string;
  readonly msgId: string;
  readonly type: string;
  readonly senderHerId: number;
  readonly receivedAt: string;
  readonly acknowledged: boolean;
  readonly xml: string;
}

export interface StayView {
  readonly key: string;
  /** The procedure's simulate-style summary: state, deadlines, periods, payment days, effects. */
  readonly procedure: unknown;
  readonly messages: readonly { readonly msgId: string; readonly type: string; readonly at: string; readonly direction: 'outgoing' | 'incoming' }[];
}

export interface TaskView {
  readonly id: string;
  readonly kind: 'task' | 'alarm' | 'notification';
  readonly title: string;
  readonly detail?: string;
  readonly stayKey?: string;
  readonly msgId?: string;
  readonly createdAt: string;
  readonly due?: string;
  readonly done: boolean;
}

export interface QuarantineView {
  readonly id: string;
  readonly incomingId: string;
  readonly reason: string;
  readonly code: string;
  readonly createdAt: string;
  readonly state: 'open' | 'forwarded' | 'feedback-sent' | 'handled';
  readonly actions: readonly { readonly action: string; readonly actor: string; readonly at: string; readonly detail?: string }[];
}

export interface DowntimeView {
  readonly partners: readonly {
    readonly herId: number;
    readonly name: string;
    readonly state: 'up' | 'suspected' | 'down';
    readonly since?: string;
    readonly heldMessages: number;
    /**
     * True while an operator has the partner (transport endpoint) in manual mode
     * (`setManualMode`): outgoing messages to it are held for manual handling. Absent means false.
     */
    readonly manualMode?: boolean;
  }[];
  /** Every non-electronic exchange, both directions (DOMAIN §8: documented on both sides). */
  readonly manualLog: readonly ManualLogEntry[];
}

/** One non-electronic exchange in the downtime view's log. */
export interface ManualLogEntry {
  readonly id: string;
  readonly partnerHerId: number;
  /** `sent`: we delivered one of our messages by hand; `received`: the partner's message came by hand. */
  readonly direction: 'sent' | 'received';
  /** Our MsgId (`sent`), or the partner's reference (`received`), when known. */
  readonly msgId?: string;
  readonly at: string;
  readonly actor: string;
  readonly channel: string;
  readonly note: string;
}

/**
 * Argument of {@link MessagingNode.announceDowntime}: a downtime notice with its expected duration
 * (DOMAIN §8: notify the partners' meldingsansvarlig, give an expected duration).
 */
export interface DowntimeNoticeInput {
  /** The partners to tell (HER-ids, 1 to 500). */
  readonly partners: readonly number[];
  /** Planned (maintenance) or unplanned (an estimate for an ongoing downtime). */
  readonly planned: boolean;
  /** Start (ISO 8601 with offset). */
  readonly from: string;
  /** Expected end (ISO 8601 with offset), after `from`; absent: not known yet. */
  readonly expectedUntil?: string;
  /** 1 to 2000 characters. */
  readonly reason: string;
}

/** Argument of {@link MessagingNode.recordManualDelivery}. */
export interface ManualDeliveryEntry {
  readonly partnerHerId: number;
  /** Default `sent`. */
  readonly direction?: 'sent' | 'received';
  /**
   * `sent`: our outgoing message delivered by hand. It is taken out of the electronic channel (never
   * sent, resent or requeued afterwards) unless it was already acknowledged, and its receipt
   * expectation is closed as `manual` (no more overdue alarms; an AppRec that still comes settles
   * it). `received`: the partner's reference for the message, if any.
   */
  readonly msgId?: string;
  /** telefaks, post, telefon, ... */
  readonly channel: string;
  readonly note: string;
}

export interface HealthView {
  readonly live: boolean;
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly detail?: string }>>;
}

export interface MetricsView {
  readonly outboxDepth: number;
  readonly inboxDepth: number;
  readonly quarantineOpen: number;
  readonly overdueReceipts: number;
  readonly sendFailuresTotal: number;
  readonly messagesSentTotal: number;
  readonly messagesReceivedTotal: number;
  /** Send-to-AppRec latencies (ms) observed since start, for histograms. */
  readonly receiptLatenciesMs: readonly number[];
}

/** Events the engine emits (for webhooks / server-sent events). */
export type EngineEvent =
  | { readonly type: 'incoming-delivered'; readonly inboxId: string; readonly msgId: string; readonly msgType: string }
  | { readonly type: 'receipt'; readonly msgId: string; readonly state: ReceiptState }
  | { readonly type: 'transport'; readonly msgId: string; readonly state: OutgoingTransportState }
  | { readonly type: 'quarantined'; readonly quarantineId: string; readonly reason: string }
  | { readonly type: 'alarm'; readonly taskId: string; readonly title: string }
  | { readonly type: 'stay-changed'; readonly stayKey: string }
  | { readonly type: 'downtime'; readonly partnerHerId: number; readonly state: 'up' | 'suspected' | 'down' };

export interface ListFilter {
  readonly limit?: number;
  readonly offset?: number;
  readonly type?: string;
  readonly state?: string;
  readonly stayKey?: string;
}

/** An operator's reading of an answer to LOG_UTSKRIVNINGSKLAR that the configured answer rule could not classify. */
export interface AnswerClassificationInput {
  readonly answer: 'can-receive' | 'cannot-receive' | 'offer-ready';
  /** With `cannot-receive`: the date (YYYY-MM-DD) the municipality expects to be ready. */
  readonly date?: string;
}

/**
 * Operator actions on the stay procedure (ADR 0014). Part of {@link MessagingNode}, so the apps
 * expose them (REST and UI).
 */
export interface StayOperations {
  /**
   * Classifies a topic-7 answer (the task/alarm `unclassified-answer:<msgId>`): the procedure on
   * this side gets the same event as if the rule had read it, the stay records the classification
   * as manual (`procedure.answers[].classifiedBy`), the task is completed, and the action is
   * audited. A manual classification may be corrected by calling this again.
   *
   * @throws TypeError for an invalid classification; EngineError `ERR_MSG_NOT_FOUND` (no stay
   * lists the message), `ERR_MSG_INVALID_STATE` (not an answer the rule left unclassified).
   */
  classifyAnswer(msgId: string, classification: AnswerClassificationInput, actor: Actor): Promise<StayView>;
}

/** The engine as apps and EPJ integrations see it. */
export interface MessagingNode extends StayOperations {
  start(): Promise<void>;
  stop(): Promise<void>;

  submit(input: SubmitMessageInput, actor: Actor): Promise<SubmitResult>;
  listOutgoing(filter: ListFilter, actor: Actor): Promise<readonly OutgoingMessageView[]>;
  listIncoming(filter: ListFilter, actor: Actor): Promise<readonly IncomingMessageView[]>;
  getMessage(direction: 'outgoing' | 'incoming', id: string, actor: Actor): Promise<MessageDetail | undefined>;
  /** Operator: resend a dead-lettered (or held) outgoing message. */
  resend(msgId: string, actor: Actor): Promise<void>;

  listInbox(filter: { readonly unacknowledgedOnly?: boolean; readonly limit?: number }, actor: Actor): Promise<readonly InboxEntry[]>;
  acknowledgeInbox(inboxId: string, actor: Actor): Promise<void>;

  listStays(actor: Actor): Promise<readonly StayView[]>;
  getStay(key: string, actor: Actor): Promise<StayView | undefined>;

  listTasks(filter: { readonly open?: boolean }, actor: Actor): Promise<readonly TaskView[]>;
  completeTask(id: string, actor: Actor): Promise<void>;

  listQuarantine(actor: Actor): Promise<readonly QuarantineView[]>;
  forwardQuarantined(id: string, toHerId: number, actor: Actor): Promise<void>;
  sendErrorFeedback(id: string, reason: '1' | '2' | '9', text: string, actor: Actor): Promise<void>;
  markQuarantineHandled(id: string, note: string, actor: Actor): Promise<void>;

  downtime(actor: Actor): Promise<DowntimeView>;
  setManualMode(partnerHerId: number, on: boolean, actor: Actor): Promise<void>;
  /**
   * Documents a non-electronic exchange with a partner (downtime routine). See
   * {@link ManualDeliveryEntry}. Throws TypeError for a bad entry, EngineError `ERR_MSG_NOT_FOUND`
   * for an unknown outgoing msgId and `ERR_MSG_INVALID_STATE` while the message is being sent.
   */
  recordManualDelivery(entry: ManualDeliveryEntry, actor: Actor): Promise<void>;
  /**
   * Sends a downtime notice (planned, or the expected duration of an ongoing downtime) to our and
   * each partner's meldingsansvarlig by e-mail; logged in the downtime log and audited. Resolves
   * the addresses each partner's notice went to (empty: no contact, or the e-mail failed: logged).
   * Throws TypeError for an invalid notice.
   */
  announceDowntime(notice: DowntimeNoticeInput, actor: Actor): Promise<readonly { readonly partnerHerId: number; readonly to: readonly string[] }[]>;
  /** A printable rendering (HTML) of a message for manual handling. */
  renderPrintable(direction: 'outgoing' | 'incoming', id: string, actor: Actor): Promise<string | undefined>;

  health(): Promise<HealthView>;
  metrics(): Promise<MetricsView>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}
