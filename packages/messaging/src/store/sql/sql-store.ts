/**
 * The store core: {@link MessagingStore} over a {@link SqlDriver}. All logic lives here, once; the
 * SQLite and PostgreSQL adapters only supply a driver (connection, transactions, error mapping) and
 * their migrations. The few dialect differences (work claims with `FOR UPDATE SKIP LOCKED`, the
 * migration lock) are chosen on `driver.dialect`.
 */
import { randomUUID } from 'node:crypto';
import type { ReceiptStore, TrackedMessage, UnmatchedAppRec } from '@samhandling/apprec';
import { StoreError } from '../errors';
import type {
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
  EngineTaskKind,
  EnqueueOptions,
  IncomingClaim,
  IncomingFilter,
  IncomingOutcome,
  IncomingRaw,
  IncomingRecord,
  IncomingResult,
  IncomingState,
  IncomingWithPayload,
  InboxFilter,
  InboxItem,
  InboxItemInput,
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
  OutgoingWithPayload,
  ProcedureStateRecord,
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
} from '../types';
import { MANUAL_DELIVERY_REASON_PREFIX, STORE_MIGRATION_NAMES, STORE_SCHEMA_VERSION } from '../types';
import { all, exec, one, run } from './driver';
import type { SqlDriver, SqlMigration, SqlRow, SqlStatement, SqlTransaction, SqlValue } from './driver';

// ---------------------------------------------------------------------------------------------
// argument checks (caller mistakes throw TypeError / RangeError)

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

function ms(value: unknown, name: string): number {
  if (!(value instanceof Date)) throw new TypeError(`${name} must be a Date`);
  const t = value.getTime();
  if (Number.isNaN(t)) throw new RangeError(`${name} is an invalid Date`);
  return t;
}

function optMs(value: unknown, name: string): number | null {
  return value === undefined ? null : ms(value, name);
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

function optText(value: unknown, name: string): string | null {
  return value === undefined ? null : text(value, name);
}

function bytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  return value;
}

function limitOf(value: unknown, fallback = DEFAULT_LIMIT): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LIMIT) throw new RangeError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  return value;
}

function positiveInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function jsonText(value: JsonValue | undefined, name: string): string | null {
  if (value === undefined) return null;
  let out: string | undefined;
  try {
    out = JSON.stringify(value);
  } catch (cause) {
    throw new TypeError(`${name} must be JSON-serialisable`, { cause });
  }
  if (out === undefined) throw new TypeError(`${name} must be JSON-serialisable`);
  return out;
}

function idParam(value: unknown, name: string): number {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) throw new TypeError(`${name} must be an id returned by the store`);
  return Number(value);
}

function checkClaim(options: ClaimOptions): { workerId: string; now: number; limit: number; leaseMs: number } {
  if (typeof options !== 'object' || options === null) throw new TypeError('claim options are required');
  return {
    workerId: text(options.workerId, 'workerId'),
    now: ms(options.now, 'now'),
    limit: limitOf(options.limit),
    leaseMs: positiveInt(options.leaseMs, 'leaseMs'),
  };
}

const OUTGOING_STATES: ReadonlySet<string> = new Set<OutgoingState>(['queued', 'sending', 'sent', 'acknowledged', 'failed', 'dead-letter']);
const INCOMING_STATES: ReadonlySet<string> = new Set<IncomingState>(['received', 'processing', 'delivered', 'rejected', 'quarantined', 'duplicate', 'receipt', 'discarded']);
const OUTCOMES: ReadonlySet<string> = new Set<IncomingOutcome>(['delivered', 'rejected', 'quarantined', 'duplicate', 'receipt', 'discarded']);
const QUARANTINE_ACTIONS: ReadonlySet<string> = new Set<QuarantineActionKind>(['forward', 'feedback-sent', 'handled', 'note']);
const TASK_KINDS: ReadonlySet<string> = new Set<EngineTaskKind>(['task', 'alarm', 'notification']);
const DOWNTIME_KINDS: ReadonlySet<string> = new Set<DowntimeEventKind>(['down-detected', 'notice-sent', 'held', 'manual-delivery', 'restored', 'all-clear-sent', 'note']);

// ---------------------------------------------------------------------------------------------
// row mapping

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') return Number(v);
  throw new StoreError('ERR_STORE_CORRUPT', `expected a number, got ${typeof v}`);
}

function date(v: unknown): Date {
  return new Date(num(v));
}

function optDate(v: unknown): Date | undefined {
  return v === null || v === undefined ? undefined : date(v);
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  throw new StoreError('ERR_STORE_CORRUPT', `expected text, got ${typeof v}`);
}

function optStr(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : str(v);
}

function blob(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  throw new StoreError('ERR_STORE_CORRUPT', 'expected bytes');
}

function parseJson(v: unknown): JsonValue {
  try {
    return JSON.parse(str(v)) as JsonValue;
  } catch (cause) {
    throw new StoreError('ERR_STORE_CORRUPT', 'a stored JSON value cannot be read', { cause });
  }
}

function optJson(v: unknown): JsonValue | undefined {
  return v === null || v === undefined ? undefined : parseJson(v);
}

/** Copies `value` into `target[key]` unless it is undefined (exactOptionalPropertyTypes-friendly). */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) (target as Record<K, T[K]>)[key] = value;
}

const OUT_COLS = [
  'msg_id',
  'msg_type',
  'sender_her_id',
  'receiver_her_id',
  'conversation_ref',
  'patient_ref',
  'transport_meta',
  'state',
  'attempts',
  'created_at',
  'updated_at',
  'expires_at',
  'next_attempt_at',
  'lease_token',
  'lease_until',
  'transport_message_id',
  'sent_at',
  'acknowledged_at',
  'last_error',
  'dead_letter_reason',
];

const IN_COLS = [
  'incoming_id',
  'transport_message_id',
  'received_at',
  'transport_meta',
  'state',
  'attempts',
  'next_attempt_at',
  'lease_token',
  'lease_until',
  'last_error',
  'msg_id',
  'sender_her_id',
  'receiver_her_id',
  'msg_type',
  'conversation_ref',
  'patient_ref',
  'reason',
  'details',
  'duplicate_of',
  'completed_at',
];

function cols(names: readonly string[], prefix = ''): string {
  return names.map((c) => prefix + c).join(', ');
}

function toOutgoing(r: SqlRow): OutgoingRecord {
  const state = str(r['state']);
  if (!OUTGOING_STATES.has(state)) throw new StoreError('ERR_STORE_CORRUPT', `unknown outgoing state ${state}`);
  const out: { -readonly [K in keyof OutgoingRecord]: OutgoingRecord[K] } = {
    msgId: str(r['msg_id']),
    msgType: str(r['msg_type']),
    senderHerId: str(r['sender_her_id']),
    receiverHerId: str(r['receiver_her_id']),
    state: state as OutgoingState,
    attempts: num(r['attempts']),
    createdAt: date(r['created_at']),
    updatedAt: date(r['updated_at']),
    expiresAt: date(r['expires_at']),
  };
  put(out, 'conversationRef', optStr(r['conversation_ref']));
  put(out, 'patientRef', optStr(r['patient_ref']));
  put(out, 'transportMeta', optJson(r['transport_meta']));
  put(out, 'nextAttemptAt', optDate(r['next_attempt_at']));
  put(out, 'leaseUntil', optDate(r['lease_until']));
  put(out, 'transportMessageId', optStr(r['transport_message_id']));
  put(out, 'sentAt', optDate(r['sent_at']));
  put(out, 'acknowledgedAt', optDate(r['acknowledged_at']));
  put(out, 'lastError', optStr(r['last_error']));
  put(out, 'deadLetterReason', optStr(r['dead_letter_reason']));
  return out;
}

function toIncoming(r: SqlRow): IncomingRecord {
  const state = str(r['state']);
  if (!INCOMING_STATES.has(state)) throw new StoreError('ERR_STORE_CORRUPT', `unknown incoming state ${state}`);
  const out: { -readonly [K in keyof IncomingRecord]: IncomingRecord[K] } = {
    incomingId: str(r['incoming_id']),
    transportMessageId: str(r['transport_message_id']),
    receivedAt: date(r['received_at']),
    state: state as IncomingState,
    attempts: num(r['attempts']),
  };
  put(out, 'transportMeta', optJson(r['transport_meta']));
  put(out, 'nextAttemptAt', optDate(r['next_attempt_at']));
  put(out, 'leaseUntil', optDate(r['lease_until']));
  put(out, 'lastError', optStr(r['last_error']));
  put(out, 'msgId', optStr(r['msg_id']));
  put(out, 'senderHerId', optStr(r['sender_her_id']));
  put(out, 'receiverHerId', optStr(r['receiver_her_id']));
  put(out, 'msgType', optStr(r['msg_type']));
  put(out, 'conversationRef', optStr(r['conversation_ref']));
  put(out, 'patientRef', optStr(r['patient_ref']));
  put(out, 'reason', optStr(r['reason']));
  put(out, 'details', optJson(r['details']));
  put(out, 'duplicateOf', optStr(r['duplicate_of']));
  put(out, 'completedAt', optDate(r['completed_at']));
  return out;
}

function toInbox(r: SqlRow): InboxItem {
  const out: { -readonly [K in keyof InboxItem]: InboxItem[K] } = {
    inboxId: str(r['inbox_id']),
    senderHerId: str(r['sender_her_id']),
    msgId: str(r['msg_id']),
    msgType: str(r['msg_type']),
    payload: blob(r['payload']),
    contentType: str(r['content_type']),
    deliveredAt: date(r['delivered_at']),
  };
  put(out, 'incomingId', optStr(r['incoming_id']));
  put(out, 'conversationRef', optStr(r['conversation_ref']));
  put(out, 'patientRef', optStr(r['patient_ref']));
  put(out, 'ackedAt', optDate(r['acked_at']));
  put(out, 'ackedBy', optStr(r['acked_by']));
  return out;
}

function toReceived(r: SqlRow): ReceivedMessage {
  const out: { -readonly [K in keyof ReceivedMessage]: ReceivedMessage[K] } = {
    senderHerId: str(r['sender_her_id']),
    msgId: str(r['msg_id']),
    incomingId: str(r['incoming_id']),
    state: str(r['state']) as IncomingOutcome,
    recordedAt: date(r['recorded_at']),
  };
  put(out, 'msgType', optStr(r['msg_type']));
  put(out, 'contentHash', optStr(r['content_hash']));
  put(out, 'appRecMsgId', optStr(r['apprec_msg_id']));
  if (r['apprec_xml'] !== null && r['apprec_xml'] !== undefined) out.appRecXml = blob(r['apprec_xml']);
  return out;
}

function toAction(r: SqlRow): QuarantineAction {
  const out: { -readonly [K in keyof QuarantineAction]: QuarantineAction[K] } = {
    actionId: str(r['action_id']),
    action: str(r['action']) as QuarantineActionKind,
    actor: str(r['actor']),
    at: date(r['at']),
  };
  put(out, 'note', optStr(r['note']));
  put(out, 'targetHerId', optStr(r['target_her_id']));
  put(out, 'msgId', optStr(r['msg_id']));
  return out;
}

function toQuarantine(r: SqlRow, actions: readonly QuarantineAction[]): QuarantineRecord {
  const out: { -readonly [K in keyof QuarantineRecord]: QuarantineRecord[K] } = {
    quarantineId: str(r['quarantine_id']),
    incomingId: str(r['incoming_id']),
    reason: str(r['reason']),
    createdAt: date(r['created_at']),
    actions,
  };
  put(out, 'details', optJson(r['details']));
  put(out, 'handledAt', optDate(r['handled_at']));
  put(out, 'handledBy', optStr(r['handled_by']));
  return out;
}

function toAudit(r: SqlRow): AuditRecord {
  const out: { -readonly [K in keyof AuditRecord]: AuditRecord[K] } = {
    auditId: str(r['audit_id']),
    actor: str(r['actor']),
    action: str(r['action']),
    subjectType: str(r['subject_type']),
    subjectId: str(r['subject_id']),
    at: date(r['at']),
  };
  put(out, 'patientRef', optStr(r['patient_ref']));
  put(out, 'details', optJson(r['details']));
  return out;
}

function toDowntime(r: SqlRow): DowntimeRecord {
  const out: { -readonly [K in keyof DowntimeRecord]: DowntimeRecord[K] } = {
    eventId: str(r['event_id']),
    partnerHerId: str(r['partner_her_id']),
    kind: str(r['kind']) as DowntimeEventKind,
    at: date(r['at']),
    actor: str(r['actor']),
  };
  put(out, 'msgId', optStr(r['msg_id']));
  put(out, 'details', optJson(r['details']));
  return out;
}

function toProcedure(r: SqlRow): ProcedureStateRecord {
  const out: { -readonly [K in keyof ProcedureStateRecord]: ProcedureStateRecord[K] } = {
    key: str(r['state_key']),
    state: parseJson(r['state']),
    version: num(r['version']),
    updatedAt: date(r['updated_at']),
  };
  put(out, 'patientRef', optStr(r['patient_ref']));
  return out;
}

const TASK_COLS = 'seq, task_id, kind, title, detail, stay_key, msg_id, created_at, due, done, done_at, done_by';

function toTask(r: SqlRow): EngineTask {
  const kind = str(r['kind']);
  if (!TASK_KINDS.has(kind)) throw new StoreError('ERR_STORE_CORRUPT', `unknown task kind ${kind}`);
  const out: { -readonly [K in keyof EngineTask]: EngineTask[K] } = {
    seq: str(r['seq']),
    taskId: str(r['task_id']),
    kind: kind as EngineTaskKind,
    title: str(r['title']),
    createdAt: date(r['created_at']),
    done: num(r['done']) !== 0,
  };
  put(out, 'detail', optStr(r['detail']));
  put(out, 'stayKey', optStr(r['stay_key']));
  put(out, 'msgId', optStr(r['msg_id']));
  put(out, 'due', optStr(r['due']));
  put(out, 'doneAt', optDate(r['done_at']));
  put(out, 'doneBy', optStr(r['done_by']));
  return out;
}

const STAY_COLS = 'stay_key, patient_ref, hospital_her_id, opened_at, terminal, innlagt, next_due';

function toStayIndex(r: SqlRow): StayIndexEntry {
  const out: { -readonly [K in keyof StayIndexEntry]: StayIndexEntry[K] } = {
    stayKey: str(r['stay_key']),
    patientRef: str(r['patient_ref']),
    hospitalHerId: str(r['hospital_her_id']),
    openedAt: date(r['opened_at']),
    terminal: num(r['terminal']) !== 0,
  };
  put(out, 'innlagt', optStr(r['innlagt']));
  put(out, 'nextDue', optDate(r['next_due']));
  return out;
}

function toTracked(r: SqlRow): TrackedMessage {
  return parseJson(r['data']) as unknown as TrackedMessage;
}

// ---------------------------------------------------------------------------------------------
// shared transaction pieces

/** A checked {@link OutgoingMessage} as parameters of the outgoing INSERT. */
function outgoingParams(msg: OutgoingMessage): SqlValue[] {
  if (typeof msg !== 'object' || msg === null) throw new TypeError('an outgoing message is required');
  const createdAt = ms(msg.createdAt, 'createdAt');
  const expiresAt = ms(msg.expiresAt, 'expiresAt');
  const next = msg.nextAttemptAt === undefined ? createdAt : ms(msg.nextAttemptAt, 'nextAttemptAt');
  return [
    text(msg.msgId, 'msgId'),
    text(msg.msgType, 'msgType'),
    text(msg.senderHerId, 'senderHerId'),
    text(msg.receiverHerId, 'receiverHerId'),
    optText(msg.conversationRef, 'conversationRef'),
    optText(msg.patientRef, 'patientRef'),
    bytes(msg.payload, 'payload'),
    jsonText(msg.transportMeta, 'transportMeta'),
    createdAt,
    createdAt,
    expiresAt,
    next,
  ];
}

function* insertOutgoing(params: SqlValue[]): SqlTransaction<OutgoingRecord> {
  const row = yield* one(
    `INSERT INTO outgoing (msg_id, msg_type, sender_her_id, receiver_her_id, conversation_ref, patient_ref, payload, transport_meta, state, attempts, created_at, updated_at, expires_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?) RETURNING ${cols(OUT_COLS)}`,
    ...params,
  );
  if (row === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'INSERT returned no row');
  return toOutgoing(row);
}

function trackedParams(message: TrackedMessage): SqlValue[] {
  if (typeof message !== 'object' || message === null) throw new TypeError('a tracked message is required');
  const next = message.nextCheckAt === undefined ? null : Date.parse(message.nextCheckAt);
  if (next !== null && Number.isNaN(next)) throw new RangeError('nextCheckAt must be an ISO 8601 time');
  if (!Number.isSafeInteger(message.revision)) throw new TypeError('revision must be an integer');
  return [text(message.msgId, 'msgId'), text(message.state, 'state'), next, message.revision, jsonText(message as unknown as JsonValue, 'message')];
}

function* insertTracked(params: SqlValue[], ignoreExisting: boolean): SqlTransaction<boolean> {
  const rows = yield* all(
    `INSERT INTO receipt_tracking (msg_id, state, next_check_at, revision, data) VALUES (?, ?, ?, ?, ?)${ignoreExisting ? ' ON CONFLICT DO NOTHING' : ''} RETURNING msg_id`,
    ...params,
  );
  return rows.length === 1;
}

function auditParams(entry: AuditEntry): SqlValue[] {
  if (typeof entry !== 'object' || entry === null) throw new TypeError('an audit entry is required');
  return [
    ms(entry.at, 'at'),
    text(entry.actor, 'actor'),
    text(entry.action, 'action'),
    text(entry.subjectType, 'subjectType'),
    text(entry.subjectId, 'subjectId'),
    optText(entry.patientRef, 'patientRef'),
    jsonText(entry.details, 'details'),
  ];
}

function* insertAudit(params: SqlValue[]): SqlTransaction<AuditRecord> {
  const row = yield* one(
    'INSERT INTO audit_log (at, actor, action, subject_type, subject_id, patient_ref, details) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING audit_id, at, actor, action, subject_type, subject_id, patient_ref, details',
    ...params,
  );
  if (row === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'INSERT returned no row');
  return toAudit(row);
}

/** A checked receipt update: the row parameters and the revision it must still have. */
interface ReceiptUpdateParams {
  readonly params: SqlValue[];
  readonly expected: number;
}

function receiptUpdateParams(update: { readonly message: TrackedMessage; readonly expectedRevision: number }): ReceiptUpdateParams {
  if (!Number.isSafeInteger(update.expectedRevision)) throw new TypeError('receiptUpdate.expectedRevision must be an integer');
  return { params: trackedParams(update.message), expected: update.expectedRevision };
}

/** Writes a tracked message when its stored revision is still `expected`; resolves whether it did. */
function* updateTracked(u: ReceiptUpdateParams): SqlTransaction<boolean> {
  const [msgId, state, next, revision, data] = u.params;
  const n = yield* run(
    'UPDATE receipt_tracking SET state = ?, next_check_at = ?, revision = ?, data = ? WHERE msg_id = ? AND revision = ?',
    state ?? null,
    next ?? null,
    revision ?? null,
    data ?? null,
    msgId ?? null,
    u.expected,
  );
  return n === 1;
}

/** {@link updateTracked} inside a bigger transaction: a stale revision aborts it (ERR_STORE_CONFLICT). */
function* updateTrackedOrConflict(u: ReceiptUpdateParams): SqlTransaction<void> {
  if (!(yield* updateTracked(u))) throw new StoreError('ERR_STORE_CONFLICT', `receipt state of ${String(u.params[0])} changed concurrently`, { table: 'receipt_tracking' });
}

function* insertDowntime(params: SqlValue[]): SqlTransaction<DowntimeRecord> {
  const row = yield* one('INSERT INTO downtime_log (partner_her_id, kind, at, actor, msg_id, details) VALUES (?, ?, ?, ?, ?, ?) RETURNING event_id, partner_her_id, kind, at, actor, msg_id, details', ...params);
  if (row === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'INSERT returned no row');
  return toDowntime(row);
}

/** Lease failure: the row is gone (NOT_FOUND) or someone else holds it (LEASE_LOST). */
function* leaseFailure(table: 'outgoing' | 'incoming', key: string, id: SqlValue): SqlTransaction<never> {
  const row = yield* one(`SELECT state FROM ${table} WHERE ${key} = ?`, id);
  if (row === undefined) throw new StoreError('ERR_STORE_NOT_FOUND', `no ${table} message ${String(id)}`, { table });
  throw new StoreError('ERR_STORE_LEASE_LOST', `the lease on ${table} message ${String(id)} was lost (state ${str(row['state'])})`, { table });
}

/** SQL condition: the outgoing row was not delivered by hand (see MANUAL_DELIVERY_REASON_PREFIX). */
const NOT_MANUAL = `(dead_letter_reason IS NULL OR dead_letter_reason NOT LIKE '${MANUAL_DELIVERY_REASON_PREFIX}%')`;

function isManual(row: SqlRow): boolean {
  const reason = row['dead_letter_reason'];
  return typeof reason === 'string' && reason.startsWith(MANUAL_DELIVERY_REASON_PREFIX);
}

function* requeue(msgId: string, now: number, expiresAt: number): SqlTransaction<boolean> {
  const n = yield* run(
    `UPDATE outgoing SET state = 'queued', attempts = 0, next_attempt_at = ?, expires_at = ?, updated_at = ?, lease_token = NULL, lease_until = NULL,
       transport_message_id = NULL, dead_letter_reason = NULL
     WHERE msg_id = ? AND state IN ('sent', 'acknowledged', 'failed', 'dead-letter') AND ${NOT_MANUAL}`,
    now,
    expiresAt,
    now,
    msgId,
  );
  if (n === 0) {
    const row = yield* one('SELECT state FROM outgoing WHERE msg_id = ?', msgId);
    if (row === undefined) throw new StoreError('ERR_STORE_NOT_FOUND', `no outgoing message ${msgId}`, { table: 'outgoing' });
  }
  return n > 0;
}

function* quarantineActions(ids: readonly number[]): SqlTransaction<Map<string, QuarantineAction[]>> {
  const byEntry = new Map<string, QuarantineAction[]>();
  if (ids.length === 0) return byEntry;
  const rows = yield* all(
    `SELECT action_id, quarantine_id, action, actor, at, note, target_her_id, msg_id FROM quarantine_actions WHERE quarantine_id IN (${ids.map(() => '?').join(', ')}) ORDER BY action_id`,
    ...ids,
  );
  for (const r of rows) {
    const key = str(r['quarantine_id']);
    const list = byEntry.get(key) ?? [];
    list.push(toAction(r));
    byEntry.set(key, list);
  }
  return byEntry;
}

function* quarantineById(id: number): SqlTransaction<QuarantineRecord | undefined> {
  const row = yield* one('SELECT quarantine_id, incoming_id, reason, details, created_at, handled_at, handled_by FROM quarantine WHERE quarantine_id = ?', id);
  if (row === undefined) return undefined;
  const actions = yield* quarantineActions([id]);
  return toQuarantine(row, actions.get(String(id)) ?? []);
}

/** Builds `WHERE a = ? AND b >= ? ...` from the defined conditions. */
function where(conds: readonly (readonly [string, SqlValue | undefined])[], raw: readonly string[] = []): { sql: string; params: SqlValue[] } {
  const parts: string[] = [...raw];
  const params: SqlValue[] = [];
  for (const [cond, value] of conds) {
    if (value === undefined) continue;
    parts.push(cond);
    params.push(value);
  }
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, params };
}

// ---------------------------------------------------------------------------------------------
// migrations

/** Advisory-lock key of the PostgreSQL migration (serialises instances starting together). */
const PG_MIGRATION_LOCK = 7_145_991_253_211;

function* migrate(dialect: SqlDriver['dialect'], migrations: readonly SqlMigration[], nowMs: number): SqlTransaction<number> {
  if (dialect === 'postgres') yield* all('SELECT pg_advisory_xact_lock(?)', PG_MIGRATION_LOCK);
  yield* exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  const applied = yield* all('SELECT version, name FROM schema_migrations ORDER BY version');
  let current = 0;
  for (const row of applied) {
    const version = num(row['version']);
    if (version > migrations.length) {
      throw new StoreError('ERR_STORE_SCHEMA_NEWER', `the database has schema version ${version}; this software knows up to ${migrations.length}`, { table: 'schema_migrations' });
    }
    const known = migrations[version - 1];
    if (known === undefined || known.name !== str(row['name']) || version !== current + 1) {
      throw new StoreError('ERR_STORE_MIGRATION', `schema_migrations does not match this software at version ${version} (${str(row['name'])})`, { table: 'schema_migrations' });
    }
    current = version;
  }
  for (const m of migrations.slice(current)) {
    yield* exec(m.sql);
    yield* run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', m.version, m.name, nowMs);
    current = m.version;
  }
  return current;
}

function checkMigrations(migrations: readonly SqlMigration[]): void {
  if (!Array.isArray(migrations) || migrations.length !== STORE_SCHEMA_VERSION) {
    throw new TypeError(`the adapter must supply ${STORE_SCHEMA_VERSION} migrations`);
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1 || m.name !== STORE_MIGRATION_NAMES[i] || typeof m.sql !== 'string') {
      throw new TypeError(`migration ${i + 1} must be ${String(STORE_MIGRATION_NAMES[i])}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// the store

/** Options of {@link openSqlStore}. */
export interface SqlStoreOptions {
  /** Clock for the migration timestamp only; the store methods take their times as arguments. */
  readonly clock?: () => Date;
}

/**
 * Opens a {@link MessagingStore} over `driver`: applies the adapter's `migrations` (one transaction;
 * instances starting together are serialised) and returns the store.
 *
 * @throws StoreError `ERR_STORE_SCHEMA_NEWER` when the database is newer than this software;
 *   `ERR_STORE_MIGRATION` when a migration fails (nothing is changed); `ERR_STORE_UNAVAILABLE`.
 */
export async function openSqlStore(driver: SqlDriver, migrations: readonly SqlMigration[], options: SqlStoreOptions = {}): Promise<MessagingStore> {
  checkMigrations(migrations);
  const now = ms((options.clock ?? (() => new Date()))(), 'clock()');
  try {
    await driver.transaction(() => migrate(driver.dialect, migrations, now), { write: true });
  } catch (err) {
    if (err instanceof StoreError && err.code !== 'ERR_STORE_CONFLICT' && err.code !== 'ERR_STORE_IMMUTABLE') throw err;
    throw new StoreError('ERR_STORE_MIGRATION', 'applying the schema migrations failed', { cause: err });
  }
  return new SqlStore(driver);
}

class SqlReceiptStore implements ReceiptStore {
  readonly #store: SqlStore;

  constructor(store: SqlStore) {
    this.#store = store;
  }

  async insert(message: TrackedMessage): Promise<boolean> {
    const params = trackedParams(message);
    return this.#store.tx(() => insertTracked(params, true), true);
  }

  async get(msgId: string): Promise<TrackedMessage | undefined> {
    text(msgId, 'msgId');
    return this.#store.tx(function* () {
      const row = yield* one('SELECT data FROM receipt_tracking WHERE msg_id = ?', msgId);
      return row === undefined ? undefined : toTracked(row);
    }, false);
  }

  async update(message: TrackedMessage, expectedRevision: number): Promise<boolean> {
    if (!Number.isSafeInteger(expectedRevision)) throw new TypeError('expectedRevision must be an integer');
    const u = { params: trackedParams(message), expected: expectedRevision };
    return this.#store.tx(() => updateTracked(u), true);
  }

  async due(now: string, limit: number): Promise<TrackedMessage[]> {
    const at = Date.parse(now);
    if (Number.isNaN(at)) throw new RangeError('now must be an ISO 8601 time');
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    return this.#store.tx(function* () {
      const rows = yield* all('SELECT data FROM receipt_tracking WHERE next_check_at IS NOT NULL AND next_check_at <= ? ORDER BY next_check_at, msg_id LIMIT ?', at, limit);
      return rows.map(toTracked);
    }, false);
  }

  async keepUnmatched(record: UnmatchedAppRec): Promise<void> {
    if (typeof record !== 'object' || record === null) throw new TypeError('an unmatched record is required');
    const at = Date.parse(record.at);
    if (Number.isNaN(at)) throw new RangeError('at must be an ISO 8601 time');
    const params: SqlValue[] = [at, text(record.reason, 'reason'), jsonText(record as unknown as JsonValue, 'record')];
    return this.#store.tx(function* () {
      yield* run('INSERT INTO receipt_unmatched (at, reason, data) VALUES (?, ?, ?)', ...params);
    }, true);
  }

  async listUnmatched(): Promise<UnmatchedAppRec[]> {
    return this.#store.tx(function* () {
      const rows = yield* all('SELECT data FROM receipt_unmatched ORDER BY unmatched_id');
      return rows.map((r) => parseJson(r['data']) as unknown as UnmatchedAppRec);
    }, false);
  }
}

class SqlSeenStore implements SeenTransportStore {
  readonly #store: SqlStore;

  constructor(store: SqlStore) {
    this.#store = store;
  }

  async get(from: string, messageId: string): Promise<SeenTransportMessage | undefined> {
    text(from, 'from');
    text(messageId, 'messageId');
    return this.#store.tx(function* () {
      const r = yield* one('SELECT from_her_id, message_id, answered_at, decision, response FROM transport_seen WHERE from_her_id = ? AND message_id = ?', from, messageId);
      if (r === undefined) return undefined;
      const decision = str(r['decision']);
      if (decision !== 'accept' && decision !== 'reject') throw new StoreError('ERR_STORE_CORRUPT', `unknown decision ${decision}`);
      return { from: str(r['from_her_id']), messageId: str(r['message_id']), answeredAt: date(r['answered_at']), decision, response: blob(r['response']) };
    }, false);
  }

  async put(record: SeenTransportMessage): Promise<void> {
    if (typeof record !== 'object' || record === null) throw new TypeError('a record is required');
    if (record.decision !== 'accept' && record.decision !== 'reject') throw new TypeError("decision must be 'accept' or 'reject'");
    const params: SqlValue[] = [text(record.from, 'from'), text(record.messageId, 'messageId'), ms(record.answeredAt, 'answeredAt'), record.decision, bytes(record.response, 'response')];
    return this.#store.tx(function* () {
      yield* run('INSERT INTO transport_seen (from_her_id, message_id, answered_at, decision, response) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', ...params);
    }, true);
  }
}

class SqlStore implements MessagingStore {
  readonly #driver: SqlDriver;
  #closed = false;
  readonly receipts: ReceiptStore;
  readonly seenMessages: SeenTransportStore;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
    this.receipts = new SqlReceiptStore(this);
    this.seenMessages = new SqlSeenStore(this);
  }

  /** Runs a transaction body (internal to the core). */
  async tx<T>(body: () => Generator<SqlStatement, T, unknown>, write: boolean): Promise<T> {
    if (this.#closed) throw new StoreError('ERR_STORE_CLOSED');
    return this.#driver.transaction(body, { write });
  }

  schemaVersion(): Promise<number> {
    return this.tx(function* () {
      const row = yield* one('SELECT MAX(version) AS v FROM schema_migrations');
      return row === undefined || row['v'] === null ? 0 : num(row['v']);
    }, false);
  }

  // --- outgoing ---

  async enqueueOutgoing(msg: OutgoingMessage, receiptExpectation?: TrackedMessage, options: EnqueueOptions = {}): Promise<OutgoingRecord> {
    const params = outgoingParams(msg);
    let tracked: SqlValue[] | undefined;
    if (receiptExpectation !== undefined) {
      tracked = trackedParams(receiptExpectation);
      if (receiptExpectation.msgId !== msg.msgId) throw new TypeError('the receipt expectation must be for the same msgId');
    }
    const audit = options?.audit === undefined ? undefined : auditParams(options.audit);
    return this.tx(function* () {
      const record = yield* insertOutgoing(params);
      if (tracked !== undefined) yield* insertTracked(tracked, false);
      if (audit !== undefined) yield* insertAudit(audit);
      return record;
    }, true);
  }

  async claimOutgoing(options: ClaimOptions): Promise<OutgoingClaim[]> {
    const { workerId, now, limit, leaseMs } = checkClaim(options);
    const lease = `${workerId}/${randomUUID()}`;
    const until = now + leaseMs;
    const due = `(state IN ('queued', 'failed', 'sent') AND next_attempt_at <= ?) OR (state = 'sending' AND lease_until <= ?)`;
    const set = `state = 'sending', lease_token = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?`;
    const pg = this.#driver.dialect === 'postgres';
    const rows = await this.tx(function* () {
      if (pg) {
        return yield* all(
          `WITH c AS (SELECT msg_id FROM outgoing WHERE ${due} ORDER BY next_attempt_at, msg_id LIMIT ? FOR UPDATE SKIP LOCKED)
           UPDATE outgoing AS o SET ${set} FROM c WHERE o.msg_id = c.msg_id RETURNING ${cols(OUT_COLS, 'o.')}, o.payload`,
          now,
          now,
          limit,
          lease,
          until,
          now,
        );
      }
      return yield* all(
        `UPDATE outgoing SET ${set} WHERE msg_id IN (SELECT msg_id FROM outgoing WHERE ${due} ORDER BY next_attempt_at, msg_id LIMIT ?) RETURNING ${cols(OUT_COLS)}, payload`,
        lease,
        until,
        now,
        now,
        now,
        limit,
      );
    }, true);
    return rows
      .map((r) => ({ ...toOutgoing(r), payload: blob(r['payload']), lease, leaseUntil: new Date(until), state: 'sending' as const }))
      .sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0) || (a.msgId < b.msgId ? -1 : a.msgId > b.msgId ? 1 : 0));
  }

  async markSent(msgId: string, lease: string, options: MarkSentOptions): Promise<OutgoingRecord> {
    text(msgId, 'msgId');
    text(lease, 'lease');
    const now = ms(options?.now, 'now');
    const ackDeadline = optMs(options.ackDeadline, 'ackDeadline');
    const transportId = optText(options.transportMessageId, 'transportMessageId');
    return this.tx(function* () {
      const row = yield* one(
        `UPDATE outgoing SET state = 'sent', sent_at = ?, updated_at = ?, next_attempt_at = ?, transport_message_id = COALESCE(?, transport_message_id),
           lease_token = NULL, lease_until = NULL, last_error = NULL
         WHERE msg_id = ? AND state = 'sending' AND lease_token = ? RETURNING ${cols(OUT_COLS)}`,
        now,
        now,
        ackDeadline,
        transportId,
        msgId,
        lease,
      );
      if (row === undefined) return yield* leaseFailure('outgoing', 'msg_id', msgId);
      return toOutgoing(row);
    }, true);
  }

  async markAcknowledged(msgId: string, now: Date): Promise<boolean> {
    text(msgId, 'msgId');
    const t = ms(now, 'now');
    return this.tx(function* () {
      const n = yield* run(
        `UPDATE outgoing SET state = 'acknowledged', acknowledged_at = ?, updated_at = ?, next_attempt_at = NULL, lease_token = NULL, lease_until = NULL
         WHERE msg_id = ? AND state <> 'acknowledged'`,
        t,
        t,
        msgId,
      );
      if (n === 0 && (yield* one('SELECT state FROM outgoing WHERE msg_id = ?', msgId)) === undefined) {
        throw new StoreError('ERR_STORE_NOT_FOUND', `no outgoing message ${msgId}`, { table: 'outgoing' });
      }
      return n > 0;
    }, true);
  }

  async markFailed(msgId: string, lease: string, options: MarkFailedOptions): Promise<OutgoingRecord> {
    text(msgId, 'msgId');
    text(lease, 'lease');
    const now = ms(options?.now, 'now');
    const next = ms(options.nextAttemptAt, 'nextAttemptAt');
    const error = text(options.error, 'error');
    return this.tx(function* () {
      const row = yield* one(
        `UPDATE outgoing SET state = 'failed', updated_at = ?, next_attempt_at = ?, last_error = ?, lease_token = NULL, lease_until = NULL
         WHERE msg_id = ? AND state = 'sending' AND lease_token = ? RETURNING ${cols(OUT_COLS)}`,
        now,
        next,
        error,
        msgId,
        lease,
      );
      if (row === undefined) return yield* leaseFailure('outgoing', 'msg_id', msgId);
      return toOutgoing(row);
    }, true);
  }

  async deadLetter(msgId: string, lease: string, reason: string, now: Date): Promise<OutgoingRecord> {
    text(msgId, 'msgId');
    text(lease, 'lease');
    text(reason, 'reason');
    const t = ms(now, 'now');
    return this.tx(function* () {
      const row = yield* one(
        `UPDATE outgoing SET state = 'dead-letter', updated_at = ?, next_attempt_at = NULL, dead_letter_reason = ?, lease_token = NULL, lease_until = NULL
         WHERE msg_id = ? AND state = 'sending' AND lease_token = ? RETURNING ${cols(OUT_COLS)}`,
        t,
        reason,
        msgId,
        lease,
      );
      if (row === undefined) return yield* leaseFailure('outgoing', 'msg_id', msgId);
      return toOutgoing(row);
    }, true);
  }

  async resendOutgoing(msgId: string, options: { readonly actor: string; readonly now: Date; readonly expiresAt: Date }): Promise<OutgoingRecord> {
    text(msgId, 'msgId');
    const actor = text(options?.actor, 'actor');
    const now = ms(options.now, 'now');
    const expiresAt = ms(options.expiresAt, 'expiresAt');
    return this.tx(function* () {
      const row = yield* one(
        `UPDATE outgoing SET state = 'queued', attempts = 0, next_attempt_at = ?, expires_at = ?, updated_at = ?, dead_letter_reason = NULL, transport_message_id = NULL
         WHERE msg_id = ? AND state = 'dead-letter' AND ${NOT_MANUAL} RETURNING ${cols(OUT_COLS)}`,
        now,
        expiresAt,
        now,
        msgId,
      );
      if (row === undefined) {
        const current = yield* one('SELECT state, dead_letter_reason FROM outgoing WHERE msg_id = ?', msgId);
        if (current === undefined) throw new StoreError('ERR_STORE_NOT_FOUND', `no outgoing message ${msgId}`, { table: 'outgoing' });
        if (isManual(current)) throw new StoreError('ERR_STORE_INVALID_STATE', `outgoing message ${msgId} was delivered by hand`, { table: 'outgoing' });
        throw new StoreError('ERR_STORE_INVALID_STATE', `outgoing message ${msgId} is ${str(current['state'])}, not dead-letter`, { table: 'outgoing' });
      }
      const record = toOutgoing(row);
      const entry: { -readonly [K in keyof AuditEntry]: AuditEntry[K] } = {
        actor,
        action: 'resend',
        subjectType: 'outgoing',
        subjectId: msgId,
        at: new Date(now),
        details: { receiverHerId: record.receiverHerId, msgType: record.msgType, expiresAt: new Date(expiresAt).toISOString() },
      };
      put(entry, 'patientRef', record.patientRef);
      yield* insertAudit(auditParams(entry));
      return record;
    }, true);
  }

  async requeueOutgoing(msgId: string, options: { readonly now: Date; readonly expiresAt: Date }): Promise<boolean> {
    text(msgId, 'msgId');
    const now = ms(options?.now, 'now');
    const expiresAt = ms(options.expiresAt, 'expiresAt');
    return this.tx(() => requeue(msgId, now, expiresAt), true);
  }

  async closeOutgoingManually(input: ManualDeliveryInput): Promise<ManualDeliveryResult> {
    if (typeof input !== 'object' || input === null) throw new TypeError('a manual delivery is required');
    const msgId = text(input.msgId, 'msgId');
    const partner = text(input.partnerHerId, 'partnerHerId');
    const channel = text(input.channel, 'channel').trim();
    if (channel === '') throw new TypeError('channel must be a non-empty string');
    const actor = text(input.actor, 'actor');
    const note = typeof input.note === 'string' ? input.note : '';
    const now = ms(input.now, 'now');
    if (input.receiptUpdate !== undefined && input.receiptUpdate.message.msgId !== msgId) throw new TypeError('receiptUpdate is for another message');
    const receipt = input.receiptUpdate === undefined ? undefined : receiptUpdateParams(input.receiptUpdate);
    return this.tx(function* () {
      const row = yield* one(
        `UPDATE outgoing SET state = 'dead-letter', updated_at = ?, next_attempt_at = NULL, dead_letter_reason = ?, lease_token = NULL, lease_until = NULL
         WHERE msg_id = ? AND state IN ('queued', 'failed', 'sent', 'dead-letter') AND ${NOT_MANUAL} RETURNING ${cols(OUT_COLS)}`,
        now,
        `${MANUAL_DELIVERY_REASON_PREFIX} ${channel}`,
        msgId,
      );
      let current = row;
      if (current === undefined) {
        // acknowledged, or delivered by hand before: the delivery is logged, the state stays
        current = yield* one(`SELECT ${cols(OUT_COLS)} FROM outgoing WHERE msg_id = ?`, msgId);
        if (current === undefined) throw new StoreError('ERR_STORE_NOT_FOUND', `no outgoing message ${msgId}`, { table: 'outgoing' });
        if (current['state'] === 'sending') throw new StoreError('ERR_STORE_INVALID_STATE', `outgoing message ${msgId} is being sent right now`, { table: 'outgoing' });
      }
      const outgoing = toOutgoing(current);
      const closed = row !== undefined;
      if (receipt !== undefined) yield* updateTrackedOrConflict(receipt);
      const event = yield* insertDowntime([partner, 'manual-delivery', now, actor, msgId, jsonText({ channel, note, direction: 'sent', ...(closed ? {} : { state: outgoing.state }) }, 'details')]);
      const entry: { -readonly [K in keyof AuditEntry]: AuditEntry[K] } = {
        actor,
        action: 'manual-delivery',
        subjectType: 'outgoing',
        subjectId: msgId,
        at: new Date(now),
        details: { partnerHerId: partner, channel, msgType: outgoing.msgType },
      };
      put(entry, 'patientRef', outgoing.patientRef);
      yield* insertAudit(auditParams(entry));
      return { outgoing, event, closed };
    }, true);
  }

  async refuseOutgoing(msgId: string, reason: string, now: Date): Promise<OutgoingRecord | undefined> {
    text(msgId, 'msgId');
    text(reason, 'reason');
    const t = ms(now, 'now');
    return this.tx(function* () {
      const row = yield* one(
        `UPDATE outgoing SET state = 'dead-letter', updated_at = ?, next_attempt_at = NULL, dead_letter_reason = ?, lease_token = NULL, lease_until = NULL
         WHERE msg_id = ? AND state IN ('queued', 'failed', 'sent') RETURNING ${cols(OUT_COLS)}`,
        t,
        reason,
        msgId,
      );
      if (row !== undefined) return toOutgoing(row);
      if ((yield* one('SELECT state FROM outgoing WHERE msg_id = ?', msgId)) === undefined) throw new StoreError('ERR_STORE_NOT_FOUND', `no outgoing message ${msgId}`, { table: 'outgoing' });
      return undefined;
    }, true);
  }

  async getOutgoing(msgId: string): Promise<OutgoingWithPayload | undefined> {
    text(msgId, 'msgId');
    return this.tx(function* () {
      const row = yield* one(`SELECT ${cols(OUT_COLS)}, payload FROM outgoing WHERE msg_id = ?`, msgId);
      return row === undefined ? undefined : { ...toOutgoing(row), payload: blob(row['payload']) };
    }, false);
  }

  async listOutgoing(filter: OutgoingFilter = {}): Promise<OutgoingRecord[]> {
    if (filter.state !== undefined && !OUTGOING_STATES.has(filter.state)) throw new TypeError('unknown outgoing state');
    const w = where([
      ['state = ?', filter.state],
      ['receiver_her_id = ?', filter.receiverHerId === undefined ? undefined : text(filter.receiverHerId, 'receiverHerId')],
    ]);
    const limit = limitOf(filter.limit);
    return this.tx(function* () {
      const rows = yield* all(`SELECT ${cols(OUT_COLS)} FROM outgoing ${w.sql} ORDER BY created_at, msg_id LIMIT ?`, ...w.params, limit);
      return rows.map(toOutgoing);
    }, false);
  }

  // --- incoming ---

  async storeIncomingRaw(raw: IncomingRaw): Promise<StoredIncoming> {
    if (typeof raw !== 'object' || raw === null) throw new TypeError('the raw incoming message is required');
    const id = text(raw.transportMessageId, 'transportMessageId');
    const payload = bytes(raw.payload, 'payload');
    const at = ms(raw.receivedAt, 'receivedAt');
    const meta = jsonText(raw.transportMeta, 'transportMeta');
    return this.tx(function* () {
      const inserted = yield* one(
        `INSERT INTO incoming (transport_message_id, payload, received_at, transport_meta, state, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, 'received', 0, ?) ON CONFLICT DO NOTHING RETURNING incoming_id, received_at, transport_meta`,
        id,
        payload,
        at,
        meta,
        at,
      );
      const row = inserted ?? (yield* one('SELECT incoming_id, received_at, transport_meta FROM incoming WHERE transport_message_id = ?', id));
      if (row === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'the incoming row vanished');
      const out: { -readonly [K in keyof StoredIncoming]: StoredIncoming[K] } = {
        incomingId: str(row['incoming_id']),
        created: inserted !== undefined,
        receivedAt: date(row['received_at']),
      };
      put(out, 'transportMeta', optJson(row['transport_meta']));
      return out;
    }, true);
  }

  async claimIncoming(options: ClaimOptions): Promise<IncomingClaim[]> {
    const { workerId, now, limit, leaseMs } = checkClaim(options);
    const lease = `${workerId}/${randomUUID()}`;
    const until = now + leaseMs;
    const due = `(state = 'received' AND next_attempt_at <= ?) OR (state = 'processing' AND lease_until <= ?)`;
    const set = `state = 'processing', lease_token = ?, lease_until = ?, attempts = attempts + 1`;
    const pg = this.#driver.dialect === 'postgres';
    const rows = await this.tx(function* () {
      if (pg) {
        return yield* all(
          `WITH c AS (SELECT incoming_id FROM incoming WHERE ${due} ORDER BY incoming_id LIMIT ? FOR UPDATE SKIP LOCKED)
           UPDATE incoming AS i SET ${set} FROM c WHERE i.incoming_id = c.incoming_id RETURNING ${cols(IN_COLS, 'i.')}, i.payload`,
          now,
          now,
          limit,
          lease,
          until,
        );
      }
      return yield* all(
        `UPDATE incoming SET ${set} WHERE incoming_id IN (SELECT incoming_id FROM incoming WHERE ${due} ORDER BY incoming_id LIMIT ?) RETURNING ${cols(IN_COLS)}, payload`,
        lease,
        until,
        now,
        now,
        limit,
      );
    }, true);
    return rows
      .map((r) => ({ ...toIncoming(r), payload: blob(r['payload']), lease, leaseUntil: new Date(until), state: 'processing' as const }))
      .sort((a, b) => Number(a.incomingId) - Number(b.incomingId));
  }

  async releaseIncoming(incomingId: string, lease: string, options: ReleaseIncomingOptions): Promise<IncomingRecord> {
    const id = idParam(incomingId, 'incomingId');
    text(lease, 'lease');
    ms(options?.now, 'now');
    const next = ms(options.nextAttemptAt, 'nextAttemptAt');
    const error = text(options.error, 'error');
    return this.tx(function* () {
      const row = yield* one(
        `UPDATE incoming SET state = 'received', next_attempt_at = ?, last_error = ?, lease_token = NULL, lease_until = NULL
         WHERE incoming_id = ? AND state = 'processing' AND lease_token = ? RETURNING ${cols(IN_COLS)}`,
        next,
        error,
        id,
        lease,
      );
      if (row === undefined) return yield* leaseFailure('incoming', 'incoming_id', id);
      return toIncoming(row);
    }, true);
  }

  async recordIncomingResult(incomingId: string, lease: string, result: IncomingResult, now: Date): Promise<RecordedIncoming> {
    const id = idParam(incomingId, 'incomingId');
    text(lease, 'lease');
    const t = ms(now, 'now');
    if (typeof result !== 'object' || result === null || !OUTCOMES.has(result.state)) throw new TypeError('result.state must be a final incoming state');
    const msgId = optText(result.msgId, 'msgId');
    const sender = optText(result.senderHerId, 'senderHerId');
    if ((msgId === null) !== (sender === null)) throw new TypeError('msgId and senderHerId go together');
    if ((result.state === 'delivered' || result.state === 'duplicate') && msgId === null) throw new TypeError(`a ${result.state} result needs msgId and senderHerId`);
    if (result.state === 'delivered' && result.inbox === undefined) throw new TypeError('a delivered result needs the inbox item');
    if (result.state !== 'delivered' && result.inbox !== undefined) throw new TypeError('only a delivered result has an inbox item');
    if (result.state === 'quarantined' && result.quarantine === undefined) throw new TypeError('a quarantined result needs the quarantine reason');
    if (result.state !== 'quarantined' && result.quarantine !== undefined) throw new TypeError('only a quarantined result has a quarantine entry');
    if (result.state !== 'duplicate' && result.resendAppRec !== undefined) throw new TypeError('only a duplicate re-sends the stored AppRec');
    if (result.state === 'duplicate' && (result.appRec !== undefined || result.reply !== undefined)) throw new TypeError('a duplicate re-sends the stored AppRec; it has no new one');
    const msgType = optText(result.msgType, 'msgType');
    const patient = optText(result.patientRef, 'patientRef');
    const conversation = optText(result.conversationRef, 'conversationRef');
    const contentHash = optText(result.contentHash, 'contentHash');
    const update: SqlValue[] = [
      result.state,
      t,
      msgId,
      sender,
      optText(result.receiverHerId, 'receiverHerId'),
      msgType,
      conversation,
      patient,
      optText(result.reason, 'reason'),
      jsonText(result.details, 'details'),
    ];
    const appRec = result.appRec === undefined ? undefined : { msgId: text(result.appRec.msgId, 'appRec.msgId'), xml: bytes(result.appRec.xml, 'appRec.xml') };
    const reply = result.reply === undefined ? undefined : outgoingParams(result.reply);
    const inbox = result.inbox === undefined ? undefined : { payload: bytes(result.inbox.payload, 'inbox.payload'), contentType: optText(result.inbox.contentType, 'inbox.contentType') ?? 'application/xml' };
    const quarantine = result.quarantine === undefined ? undefined : { reason: text(result.quarantine.reason, 'quarantine.reason'), details: jsonText(result.quarantine.details, 'quarantine.details') };
    const resendExpires = result.resendAppRec === undefined ? undefined : ms(result.resendAppRec.expiresAt, 'resendAppRec.expiresAt');
    const state = result.state;
    if (result.audit !== undefined && !Array.isArray(result.audit)) throw new TypeError('result.audit must be an array');
    const audits = (result.audit ?? []).map((a) => {
      if (typeof a !== 'object' || a === null || (a.subject !== 'inbox' && a.subject !== 'incoming')) throw new TypeError("an outcome audit entry's subject must be 'inbox' or 'incoming'");
      if (a.subject === 'inbox' && result.state !== 'delivered') throw new TypeError('only a delivered result has an inbox item to audit');
      return { subject: a.subject, params: auditParams({ ...a, subjectType: a.subject, subjectId: a.subject === 'inbox' ? 'inbox' : incomingId }) };
    });
    if (result.receiptUpdate !== undefined && state !== 'receipt') throw new TypeError('only a receipt result updates receipt tracking');
    const receipt = result.receiptUpdate === undefined ? undefined : receiptUpdateParams(result.receiptUpdate);

    try {
      return await this.tx(function* () {
        const row = yield* one(
          `UPDATE incoming SET state = ?, completed_at = ?, msg_id = ?, sender_her_id = ?, receiver_her_id = ?, msg_type = ?, conversation_ref = ?, patient_ref = ?, reason = ?, details = ?,
             lease_token = NULL, lease_until = NULL, next_attempt_at = NULL
           WHERE incoming_id = ? AND state = 'processing' AND lease_token = ? RETURNING incoming_id`,
          ...update,
          id,
          lease,
        );
        if (row === undefined) return yield* leaseFailure('incoming', 'incoming_id', id);

        if (state === 'duplicate') {
          const first = yield* one('SELECT incoming_id, apprec_msg_id FROM received_messages WHERE sender_her_id = ? AND msg_id = ?', sender, msgId);
          if (first === undefined) throw new StoreError('ERR_STORE_NOT_FOUND', `no first copy of ${String(msgId)} from ${String(sender)}`, { table: 'received_messages' });
          yield* run('UPDATE incoming SET duplicate_of = ? WHERE incoming_id = ?', num(first['incoming_id']), id);
          const appRecMsgId = optStr(first['apprec_msg_id']);
          if (resendExpires !== undefined && appRecMsgId !== undefined && (yield* one('SELECT msg_id FROM outgoing WHERE msg_id = ?', appRecMsgId)) !== undefined) {
            yield* requeue(appRecMsgId, t, resendExpires);
          }
        } else if (msgId !== null && sender !== null) {
          yield* run(
            'INSERT INTO received_messages (sender_her_id, msg_id, incoming_id, state, msg_type, content_hash, apprec_msg_id, apprec_xml, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            sender,
            msgId,
            id,
            state,
            msgType,
            contentHash,
            appRec?.msgId ?? null,
            appRec?.xml ?? null,
            t,
          );
        }
        let inboxId: string | undefined;
        if (inbox !== undefined) {
          const inserted = yield* one(
            'INSERT INTO inbox (incoming_id, sender_her_id, msg_id, msg_type, conversation_ref, patient_ref, payload, content_type, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING inbox_id',
            id,
            sender,
            msgId,
            msgType ?? 'unknown',
            conversation,
            patient,
            inbox.payload,
            inbox.contentType,
            t,
          );
          if (inserted !== undefined) inboxId = str(inserted['inbox_id']);
        }
        if (quarantine !== undefined) {
          yield* run('INSERT INTO quarantine (incoming_id, reason, details, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', id, quarantine.reason, quarantine.details, t);
        }
        if (reply !== undefined) yield* insertOutgoing(reply);
        if (receipt !== undefined) yield* updateTrackedOrConflict(receipt);
        for (const a of audits) {
          // subject id: the inbox item written above, or the incoming message
          const params = [...a.params];
          params[4] = a.subject === 'inbox' ? (inboxId ?? null) : incomingId;
          if (params[4] === null) throw new StoreError('ERR_STORE_CORRUPT', 'the inbox item was not written');
          yield* insertAudit(params);
        }
        const done = yield* one(`SELECT ${cols(IN_COLS)} FROM incoming WHERE incoming_id = ?`, id);
        if (done === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'the incoming row vanished');
        const record: RecordedIncoming = toIncoming(done);
        return inboxId === undefined ? record : { ...record, inboxId };
      }, true);
    } catch (err) {
      if (err instanceof StoreError && err.code === 'ERR_STORE_CONFLICT' && (err.table === 'received_messages' || err.table === 'inbox')) {
        throw new StoreError('ERR_STORE_DUPLICATE', `${String(msgId)} from ${String(sender)} was already received`, { table: err.table, cause: err });
      }
      throw err;
    }
  }

  async findReceived(senderHerId: string, msgId: string): Promise<ReceivedMessage | undefined> {
    text(senderHerId, 'senderHerId');
    text(msgId, 'msgId');
    return this.tx(function* () {
      const row = yield* one(
        'SELECT sender_her_id, msg_id, incoming_id, state, msg_type, content_hash, apprec_msg_id, apprec_xml, recorded_at FROM received_messages WHERE sender_her_id = ? AND msg_id = ?',
        senderHerId,
        msgId,
      );
      return row === undefined ? undefined : toReceived(row);
    }, false);
  }

  async getIncoming(incomingId: string): Promise<IncomingWithPayload | undefined> {
    const id = idParam(incomingId, 'incomingId');
    return this.tx(function* () {
      const row = yield* one(`SELECT ${cols(IN_COLS)}, payload FROM incoming WHERE incoming_id = ?`, id);
      return row === undefined ? undefined : { ...toIncoming(row), payload: blob(row['payload']) };
    }, false);
  }

  async listIncoming(filter: IncomingFilter = {}): Promise<IncomingRecord[]> {
    if (filter.state !== undefined && !INCOMING_STATES.has(filter.state)) throw new TypeError('unknown incoming state');
    const w = where([
      ['state = ?', filter.state],
      ['sender_her_id = ?', filter.senderHerId === undefined ? undefined : text(filter.senderHerId, 'senderHerId')],
    ]);
    const limit = limitOf(filter.limit);
    return this.tx(function* () {
      const rows = yield* all(`SELECT ${cols(IN_COLS)} FROM incoming ${w.sql} ORDER BY incoming_id LIMIT ?`, ...w.params, limit);
      return rows.map(toIncoming);
    }, false);
  }

  // --- EPJ inbox ---

  async deliverToInbox(item: InboxItemInput): Promise<{ readonly inboxId: string; readonly created: boolean }> {
    if (typeof item !== 'object' || item === null) throw new TypeError('an inbox item is required');
    const sender = text(item.senderHerId, 'senderHerId');
    const msgId = text(item.msgId, 'msgId');
    const params: SqlValue[] = [
      item.incomingId === undefined ? null : idParam(item.incomingId, 'incomingId'),
      sender,
      msgId,
      text(item.msgType, 'msgType'),
      optText(item.conversationRef, 'conversationRef'),
      optText(item.patientRef, 'patientRef'),
      bytes(item.payload, 'payload'),
      optText(item.contentType, 'contentType') ?? 'application/xml',
      ms(item.deliveredAt, 'deliveredAt'),
    ];
    return this.tx(function* () {
      const inserted = yield* one(
        `INSERT INTO inbox (incoming_id, sender_her_id, msg_id, msg_type, conversation_ref, patient_ref, payload, content_type, delivered_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING inbox_id`,
        ...params,
      );
      if (inserted !== undefined) return { inboxId: str(inserted['inbox_id']), created: true };
      const existing = yield* one('SELECT inbox_id FROM inbox WHERE sender_her_id = ? AND msg_id = ?', sender, msgId);
      if (existing === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'the inbox row vanished');
      return { inboxId: str(existing['inbox_id']), created: false };
    }, true);
  }

  async listInbox(filter: InboxFilter = {}): Promise<InboxItem[]> {
    const w = where(
      [['inbox_id > ?', filter.afterId === undefined ? undefined : idParam(filter.afterId, 'afterId')]],
      filter.pendingOnly === false ? [] : ['acked_at IS NULL'],
    );
    const limit = limitOf(filter.limit);
    return this.tx(function* () {
      const rows = yield* all(
        `SELECT inbox_id, incoming_id, sender_her_id, msg_id, msg_type, conversation_ref, patient_ref, payload, content_type, delivered_at, acked_at, acked_by FROM inbox ${w.sql} ORDER BY inbox_id LIMIT ?`,
        ...w.params,
        limit,
      );
      return rows.map(toInbox);
    }, false);
  }

  async ackInbox(inboxId: string, options: { readonly actor: string; readonly now: Date }): Promise<boolean> {
    const id = idParam(inboxId, 'inboxId');
    const actor = text(options?.actor, 'actor');
    const t = ms(options.now, 'now');
    return this.tx(function* () {
      const n = yield* run('UPDATE inbox SET acked_at = ?, acked_by = ? WHERE inbox_id = ? AND acked_at IS NULL', t, actor, id);
      if (n === 0 && (yield* one('SELECT inbox_id FROM inbox WHERE inbox_id = ?', id)) === undefined) {
        throw new StoreError('ERR_STORE_NOT_FOUND', `no inbox item ${inboxId}`, { table: 'inbox' });
      }
      return n > 0;
    }, true);
  }

  // --- quarantine ---

  async quarantine(incomingId: string, options: { readonly reason: string; readonly details?: JsonValue; readonly now: Date }): Promise<QuarantineRecord> {
    const id = idParam(incomingId, 'incomingId');
    const reason = text(options?.reason, 'reason');
    const details = jsonText(options.details, 'details');
    const t = ms(options.now, 'now');
    return this.tx(function* () {
      if ((yield* one('SELECT incoming_id FROM incoming WHERE incoming_id = ?', id)) === undefined) {
        throw new StoreError('ERR_STORE_NOT_FOUND', `no incoming message ${incomingId}`, { table: 'incoming' });
      }
      yield* run('INSERT INTO quarantine (incoming_id, reason, details, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', id, reason, details, t);
      const row = yield* one('SELECT quarantine_id FROM quarantine WHERE incoming_id = ?', id);
      const record = row === undefined ? undefined : yield* quarantineById(num(row['quarantine_id']));
      if (record === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'the quarantine row vanished');
      return record;
    }, true);
  }

  async listQuarantine(filter: QuarantineFilter = {}): Promise<QuarantineRecord[]> {
    const open = filter.openOnly !== false;
    const limit = limitOf(filter.limit);
    return this.tx(function* () {
      const rows = yield* all(
        `SELECT quarantine_id, incoming_id, reason, details, created_at, handled_at, handled_by FROM quarantine ${open ? 'WHERE handled_at IS NULL' : ''} ORDER BY quarantine_id LIMIT ?`,
        limit,
      );
      const actions = yield* quarantineActions(rows.map((r) => num(r['quarantine_id'])));
      return rows.map((r) => toQuarantine(r, actions.get(str(r['quarantine_id'])) ?? []));
    }, false);
  }

  async getQuarantine(quarantineId: string): Promise<QuarantineRecord | undefined> {
    const id = idParam(quarantineId, 'quarantineId');
    return this.tx(() => quarantineById(id), false);
  }

  async recordQuarantineAction(quarantineId: string, action: QuarantineActionInput): Promise<QuarantineRecord> {
    const id = idParam(quarantineId, 'quarantineId');
    if (typeof action !== 'object' || action === null || !QUARANTINE_ACTIONS.has(action.action)) throw new TypeError('unknown quarantine action');
    const kind = action.action;
    const actor = text(action.actor, 'actor');
    const at = ms(action.at, 'at');
    const note = optText(action.note, 'note');
    const target = optText(action.targetHerId, 'targetHerId');
    const msgId = optText(action.msgId, 'msgId');
    if (kind === 'forward' && target === null) throw new TypeError('a forward needs targetHerId');
    return this.tx(function* () {
      const entry = yield* one('SELECT quarantine_id, incoming_id, handled_at FROM quarantine WHERE quarantine_id = ?', id);
      if (entry === undefined) throw new StoreError('ERR_STORE_NOT_FOUND', `no quarantine entry ${quarantineId}`, { table: 'quarantine' });
      if (entry['handled_at'] !== null && entry['handled_at'] !== undefined) {
        throw new StoreError('ERR_STORE_INVALID_STATE', `quarantine entry ${quarantineId} is already handled`, { table: 'quarantine' });
      }
      yield* run('INSERT INTO quarantine_actions (quarantine_id, action, actor, at, note, target_her_id, msg_id) VALUES (?, ?, ?, ?, ?, ?, ?)', id, kind, actor, at, note, target, msgId);
      if (kind === 'handled') yield* run('UPDATE quarantine SET handled_at = ?, handled_by = ? WHERE quarantine_id = ?', at, actor, id);
      const incoming = yield* one('SELECT patient_ref FROM incoming WHERE incoming_id = ?', num(entry['incoming_id']));
      const details: Record<string, JsonValue> = { incomingId: str(entry['incoming_id']) };
      if (target !== null) details['targetHerId'] = target;
      if (msgId !== null) details['msgId'] = msgId;
      if (note !== null) details['note'] = note;
      const audit: { -readonly [K in keyof AuditEntry]: AuditEntry[K] } = {
        actor,
        action: `quarantine-${kind}`,
        subjectType: 'quarantine',
        subjectId: quarantineId,
        at: new Date(at),
        details,
      };
      put(audit, 'patientRef', incoming === undefined ? undefined : optStr(incoming['patient_ref']));
      yield* insertAudit(auditParams(audit));
      const record = yield* quarantineById(id);
      if (record === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'the quarantine row vanished');
      return record;
    }, true);
  }

  // --- procedure state ---

  async getProcedureState(key: string): Promise<ProcedureStateRecord | undefined> {
    text(key, 'key');
    return this.tx(function* () {
      const row = yield* one('SELECT state_key, state, version, patient_ref, updated_at FROM procedure_state WHERE state_key = ?', key);
      return row === undefined ? undefined : toProcedure(row);
    }, false);
  }

  async saveProcedureState(key: string, state: JsonValue, options: SaveProcedureStateOptions): Promise<ProcedureStateRecord> {
    text(key, 'key');
    const data = jsonText(state, 'state');
    if (data === null) throw new TypeError('state is required');
    const expected = options?.expectedVersion;
    if (expected !== null && (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 1)) {
      throw new TypeError('expectedVersion must be null or a positive integer');
    }
    const t = ms(options.now, 'now');
    const patient = optText(options.patientRef, 'patientRef');
    const returning = 'RETURNING state_key, state, version, patient_ref, updated_at';
    return this.tx(function* () {
      const row =
        expected === null
          ? yield* one(`INSERT INTO procedure_state (state_key, state, version, patient_ref, updated_at) VALUES (?, ?, 1, ?, ?) ON CONFLICT DO NOTHING ${returning}`, key, data, patient, t)
          : yield* one(
              `UPDATE procedure_state SET state = ?, version = version + 1, patient_ref = COALESCE(?, patient_ref), updated_at = ? WHERE state_key = ? AND version = ? ${returning}`,
              data,
              patient,
              t,
              key,
              expected,
            );
      if (row === undefined) throw new StoreError('ERR_STORE_CONFLICT', `procedure state ${key} changed concurrently`, { table: 'procedure_state' });
      return toProcedure(row);
    }, true);
  }

  // --- engine tasks and stay index ---

  async changeTasks(change: EngineTaskChange): Promise<EngineTaskChangeResult> {
    if (typeof change !== 'object' || change === null) throw new TypeError('a task change is required');
    const by = text(change.by, 'by');
    const now = ms(change.now, 'now');
    const complete = (change.complete ?? []).map((id) => text(id, 'complete[]'));
    const stay =
      change.completeStay === undefined
        ? undefined
        : {
            stayKey: text(change.completeStay.stayKey, 'completeStay.stayKey'),
            prefix: text(change.completeStay.idPrefix, 'completeStay.idPrefix'),
            keep: (change.completeStay.keep ?? []).map((id) => text(id, 'completeStay.keep[]')),
          };
    const add = (change.add ?? []).map((t): SqlValue[] => {
      if (typeof t !== 'object' || t === null || !TASK_KINDS.has(t.kind)) throw new TypeError('a task needs a known kind');
      return [
        text(t.taskId, 'taskId'),
        t.kind,
        text(t.title, 'title'),
        optText(t.detail, 'detail'),
        optText(t.stayKey, 'stayKey'),
        optText(t.msgId, 'msgId'),
        t.createdAt === undefined ? now : ms(t.createdAt, 'createdAt'),
        optText(t.due, 'due'),
      ];
    });
    return this.tx(function* () {
      const completed: string[] = [];
      for (let i = 0; i < complete.length; i += 500) {
        const ids = complete.slice(i, i + 500);
        const rows = yield* all(
          `UPDATE engine_tasks SET done = 1, done_at = ?, done_by = ? WHERE done = 0 AND task_id IN (${ids.map(() => '?').join(', ')}) RETURNING task_id`,
          now,
          by,
          ...ids,
        );
        for (const r of rows) completed.push(str(r['task_id']));
      }
      if (stay !== undefined) {
        const keep = stay.keep.length === 0 ? '' : ` AND task_id NOT IN (${stay.keep.map(() => '?').join(', ')})`;
        const rows = yield* all(
          `UPDATE engine_tasks SET done = 1, done_at = ?, done_by = ? WHERE stay_key = ? AND done = 0 AND substr(task_id, 1, ?) = ?${keep} RETURNING task_id`,
          now,
          by,
          stay.stayKey,
          stay.prefix.length,
          stay.prefix,
          ...stay.keep,
        );
        for (const r of rows) completed.push(str(r['task_id']));
      }
      const added: string[] = [];
      for (const params of add) {
        const row = yield* one(
          `INSERT INTO engine_tasks (task_id, kind, title, detail, stay_key, msg_id, created_at, due, done) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING RETURNING task_id`,
          ...params,
        );
        if (row !== undefined) added.push(str(row['task_id']));
      }
      return { added, completed };
    }, true);
  }

  async getTask(taskId: string): Promise<EngineTask | undefined> {
    text(taskId, 'taskId');
    return this.tx(function* () {
      const row = yield* one(`SELECT ${TASK_COLS} FROM engine_tasks WHERE task_id = ?`, taskId);
      return row === undefined ? undefined : toTask(row);
    }, false);
  }

  async listTasks(filter: EngineTaskFilter = {}): Promise<EngineTask[]> {
    if (filter.done !== undefined && typeof filter.done !== 'boolean') throw new TypeError('done must be a boolean');
    const w = where([
      ['done = ?', filter.done === undefined ? undefined : filter.done ? 1 : 0],
      ['stay_key = ?', filter.stayKey === undefined ? undefined : text(filter.stayKey, 'stayKey')],
      ['msg_id = ?', filter.msgId === undefined ? undefined : text(filter.msgId, 'msgId')],
      ['seq > ?', filter.after === undefined ? undefined : idParam(filter.after, 'after')],
    ]);
    const limit = limitOf(filter.limit);
    return this.tx(function* () {
      const rows = yield* all(`SELECT ${TASK_COLS} FROM engine_tasks ${w.sql} ORDER BY seq LIMIT ?`, ...w.params, limit);
      return rows.map(toTask);
    }, false);
  }

  async addStayIndex(entry: StayIndexEntry): Promise<void> {
    if (typeof entry !== 'object' || entry === null) throw new TypeError('a stay index entry is required');
    if (typeof entry.terminal !== 'boolean') throw new TypeError('terminal must be a boolean');
    const params: SqlValue[] = [
      text(entry.stayKey, 'stayKey'),
      text(entry.patientRef, 'patientRef'),
      text(entry.hospitalHerId, 'hospitalHerId'),
      ms(entry.openedAt, 'openedAt'),
      entry.terminal ? 1 : 0,
      optText(entry.innlagt, 'innlagt'),
      optMs(entry.nextDue, 'nextDue'),
    ];
    return this.tx(function* () {
      yield* run(`INSERT INTO engine_stays (${STAY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, ...params);
    }, true);
  }

  async removeStayIndex(stayKey: string): Promise<boolean> {
    text(stayKey, 'stayKey');
    return this.tx(function* () {
      return (yield* run('DELETE FROM engine_stays WHERE stay_key = ?', stayKey)) > 0;
    }, true);
  }

  async updateStayIndex(stayKey: string, change: StayIndexChange): Promise<StayIndexEntry | undefined> {
    text(stayKey, 'stayKey');
    if (typeof change !== 'object' || change === null) throw new TypeError('a change is required');
    const sets: string[] = [];
    const params: SqlValue[] = [];
    if (change.terminal !== undefined) {
      if (typeof change.terminal !== 'boolean') throw new TypeError('terminal must be a boolean');
      sets.push('terminal = ?');
      params.push(change.terminal ? 1 : 0);
    }
    if (change.innlagt !== undefined) {
      sets.push('innlagt = ?');
      params.push(change.innlagt === null ? null : text(change.innlagt, 'innlagt'));
    }
    if (change.nextDue !== undefined) {
      sets.push('next_due = ?');
      params.push(change.nextDue === null ? null : ms(change.nextDue, 'nextDue'));
    }
    return this.tx(function* () {
      const row =
        sets.length === 0
          ? yield* one(`SELECT ${STAY_COLS} FROM engine_stays WHERE stay_key = ?`, stayKey)
          : yield* one(`UPDATE engine_stays SET ${sets.join(', ')} WHERE stay_key = ? RETURNING ${STAY_COLS}`, ...params, stayKey);
      return row === undefined ? undefined : toStayIndex(row);
    }, sets.length > 0);
  }

  async listStayIndex(filter: StayIndexFilter = {}): Promise<StayIndexEntry[]> {
    const due = filter.dueBy === undefined ? undefined : ms(filter.dueBy, 'dueBy');
    const w = where(
      [
        ['patient_ref = ?', filter.patientRef === undefined ? undefined : text(filter.patientRef, 'patientRef')],
        ['hospital_her_id = ?', filter.hospitalHerId === undefined ? undefined : text(filter.hospitalHerId, 'hospitalHerId')],
        ['terminal = 0 AND next_due IS NOT NULL AND next_due <= ?', due],
        ['seq > (SELECT seq FROM engine_stays WHERE stay_key = ?)', filter.afterKey === undefined ? undefined : text(filter.afterKey, 'afterKey')],
      ],
    );
    const limit = limitOf(filter.limit);
    return this.tx(function* () {
      const rows = yield* all(`SELECT ${STAY_COLS} FROM engine_stays ${w.sql} ORDER BY seq LIMIT ?`, ...w.params, limit);
      return rows.map(toStayIndex);
    }, false);
  }

  // --- audit log ---

  async audit(entry: AuditEntry): Promise<AuditRecord> {
    const params = auditParams(entry);
    return this.tx(() => insertAudit(params), true);
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const w = where([
      ['actor = ?', filter.actor === undefined ? undefined : text(filter.actor, 'actor')],
      ['action = ?', filter.action === undefined ? undefined : text(filter.action, 'action')],
      ['subject_type = ?', filter.subjectType === undefined ? undefined : text(filter.subjectType, 'subjectType')],
      ['subject_id = ?', filter.subjectId === undefined ? undefined : text(filter.subjectId, 'subjectId')],
      ['patient_ref = ?', filter.patientRef === undefined ? undefined : text(filter.patientRef, 'patientRef')],
      ['at >= ?', filter.from === undefined ? undefined : ms(filter.from, 'from')],
      ['at < ?', filter.to === undefined ? undefined : ms(filter.to, 'to')],
      ['audit_id > ?', filter.afterId === undefined ? undefined : idParam(filter.afterId, 'afterId')],
    ]);
    const limit = limitOf(filter.limit);
    return this.tx(function* () {
      const rows = yield* all(`SELECT audit_id, at, actor, action, subject_type, subject_id, patient_ref, details FROM audit_log ${w.sql} ORDER BY audit_id LIMIT ?`, ...w.params, limit);
      return rows.map(toAudit);
    }, false);
  }

  async purgeAudit(options: PurgeAuditOptions): Promise<number> {
    const retainMs = positiveInt(options?.retainMs, 'retainMs');
    const actor = text(options.actor, 'actor');
    const now = ms(options.now, 'now');
    const cutoff = now - retainMs;
    return this.tx(function* () {
      yield* run('INSERT INTO audit_purge_gate (cutoff) VALUES (?)', cutoff);
      const deleted = yield* run('DELETE FROM audit_log WHERE at < ?', cutoff);
      yield* run('DELETE FROM audit_purge_gate');
      yield* insertAudit(auditParams({
        actor,
        action: 'audit-purge',
        subjectType: 'audit',
        subjectId: 'audit_log',
        at: new Date(now),
        details: { cutoff: new Date(cutoff).toISOString(), retainMs, deleted },
      }));
      return deleted;
    }, true);
  }

  // --- downtime log ---

  async logDowntime(event: DowntimeEvent): Promise<DowntimeRecord> {
    if (typeof event !== 'object' || event === null || !DOWNTIME_KINDS.has(event.kind)) throw new TypeError('unknown downtime event kind');
    const params: SqlValue[] = [
      text(event.partnerHerId, 'partnerHerId'),
      event.kind,
      ms(event.at, 'at'),
      text(event.actor, 'actor'),
      optText(event.msgId, 'msgId'),
      jsonText(event.details, 'details'),
    ];
    return this.tx(() => insertDowntime(params), true);
  }

  async listDowntime(filter: DowntimeFilter = {}): Promise<DowntimeRecord[]> {
    if (filter.kind !== undefined && !DOWNTIME_KINDS.has(filter.kind)) throw new TypeError('unknown downtime event kind');
    const w = where([
      ['partner_her_id = ?', filter.partnerHerId === undefined ? undefined : text(filter.partnerHerId, 'partnerHerId')],
      ['kind = ?', filter.kind],
      ['at >= ?', filter.from === undefined ? undefined : ms(filter.from, 'from')],
      ['at < ?', filter.to === undefined ? undefined : ms(filter.to, 'to')],
    ]);
    const limit = limitOf(filter.limit);
    return this.tx(function* () {
      const rows = yield* all(`SELECT event_id, partner_her_id, kind, at, actor, msg_id, details FROM downtime_log ${w.sql} ORDER BY event_id LIMIT ?`, ...w.params, limit);
      return rows.map(toDowntime);
    }, false);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#driver.close();
  }
}
