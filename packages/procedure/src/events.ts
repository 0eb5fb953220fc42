/**
 * The inputs of the procedure: chain messages (as either party sees them), user decisions and
 * deadline-passed ticks, their validation and their normalised, perspective-free form.
 */
import { formatInstant, isCalendarDate, parseInstant } from './calendar';
import { throwIfIssues } from './errors';
import type { ProcedureIssue } from './errors';
import { sameStayKey } from './stay-key';
import type { StayKey } from './stay-key';

/** A party of the stay. */
export type Party = 'hospital' | 'municipality';

/** Message types the procedure follows (MsgInfo/Type, Volven 8279). */
export const PROCEDURE_MESSAGE_TYPES = [
  'LOG_INNLAGT',
  'INNLEGGELSESRAPPORT',
  'HELSEOPPL_SOKNAD',
  'LOG_UTSKRIVNINGSKLAR',
  'DIALOG_SVAR',
  'DIALOG_FORESPORSEL',
  'LOG_AVMELDING',
  'LOG_UTSKREVET',
  'UTSKRIVNINGSRAPPORT',
  'LOG_DOD',
] as const;

/** A message type the procedure follows. */
export type ProcedureMessageType = (typeof PROCEDURE_MESSAGE_TYPES)[number];

/** Forsendelsesstatus (Volven 7309): N ny, M endring, A tillegg, H historikk, C kansellering, O oppdatert og erstatter, X annet. */
export type Forsendelsesstatus = 'N' | 'M' | 'A' | 'H' | 'C' | 'O' | 'X';

/** The municipality's answer to LOG_UTSKRIVNINGSKLAR. */
export type MunicipalityAnswer = 'can-receive' | 'cannot-receive' | 'offer-ready';

const FORSENDELSESSTATUS: readonly Forsendelsesstatus[] = ['N', 'M', 'A', 'H', 'C', 'O', 'X'];
const ANSWERS: readonly MunicipalityAnswer[] = ['can-receive', 'cannot-receive', 'offer-ready'];

/** The sender a message type must have; `either` for LOG_DOD and dialogue messages. */
export const MESSAGE_SENDER: Readonly<Record<ProcedureMessageType, Party | 'either'>> = {
  LOG_INNLAGT: 'hospital',
  INNLEGGELSESRAPPORT: 'municipality',
  HELSEOPPL_SOKNAD: 'hospital',
  LOG_UTSKRIVNINGSKLAR: 'hospital',
  DIALOG_SVAR: 'either',
  DIALOG_FORESPORSEL: 'either',
  LOG_AVMELDING: 'hospital',
  LOG_UTSKREVET: 'hospital',
  UTSKRIVNINGSRAPPORT: 'hospital',
  LOG_DOD: 'either',
};

/**
 * A message of the chain as fed to {@link transition} (and as written in a scenario file).
 * Timestamps are ISO 8601 with an explicit offset. `direction` and `receivedAt` describe one
 * party's copy and are dropped: both copies give the same state.
 */
export interface MessageEvent {
  /** The message id (MsgId); duplicates with the same id and content change nothing. */
  readonly id: string;
  /** When the message was created (MsgInfo/GenDate): orders the chain. */
  readonly at: string;
  readonly type: ProcedureMessageType;
  /** The sending party; must match the type's sender. */
  readonly from: Party;
  /** Forsendelsesstatus; default N. C cancels, M and O replace the message named by `refersTo`. */
  readonly status?: Forsendelsesstatus;
  /** The id of the message cancelled or replaced (required for C, M, O). */
  readonly refersTo?: string;
  /** HELSEOPPL_SOKNAD: 9140 = 1 notice (varsel), 2 update. Required unless status C. */
  readonly subtype?: 1 | 2;
  /** LOG_INNLAGT (default `at`), HELSEOPPL_SOKNAD (optional): time of admission. */
  readonly admittedAt?: string;
  /** LOG_UTSKRIVNINGSKLAR: time the physician declared the patient utskrivningsklar (default `at`). */
  readonly declaredAt?: string;
  /** LOG_UTSKREVET: time of discharge (default `at`). */
  readonly dischargedAt?: string;
  /** LOG_DOD: time of death (default `at`). */
  readonly diedAt?: string;
  /** DIALOG_SVAR / DIALOG_FORESPORSEL from the municipality: the answer to LOG_UTSKRIVNINGSKLAR. */
  readonly answer?: MunicipalityAnswer;
  /** With `cannot-receive`: the date (YYYY-MM-DD) the municipality expects to be ready. */
  readonly date?: string;
  /** Perspective of this copy; ignored. */
  readonly direction?: 'sent' | 'received';
  /** When this copy was received; ignored. */
  readonly receivedAt?: string;
  /** The stay the message belongs to; when given it must match the state's key. */
  readonly stay?: StayKey;
}

/** A user decision of one party. Local: the other party never sees it. */
export interface DecisionEvent {
  readonly type: 'decision';
  /** Unique id of the decision (idempotency key). */
  readonly id: string;
  readonly at: string;
  readonly decision: 'declare-utskrivningsklar';
  /** Time of the declaration (default `at`). */
  readonly declaredAt?: string;
  readonly stay?: StayKey;
}

/** The caller's scheduler reports that time reached `at` (usually a due time). Moves the clock only. */
export interface DeadlinePassedEvent {
  readonly type: 'deadline-passed';
  readonly at: string;
  /** The deadline that fell due (informative). */
  readonly rule?: string;
  readonly stay?: StayKey;
}

/** Any input of {@link transition}. */
export type StayEvent = MessageEvent | DecisionEvent | DeadlinePassedEvent;

/** A message as kept in the state: perspective-free, timestamps as canonical UTC text. */
export interface LoggedMessage {
  readonly id: string;
  readonly at: string;
  readonly type: ProcedureMessageType;
  readonly from: Party;
  readonly status: Forsendelsesstatus;
  readonly refersTo?: string;
  readonly subtype?: 1 | 2;
  readonly admittedAt?: string;
  readonly declaredAt?: string;
  readonly dischargedAt?: string;
  readonly diedAt?: string;
  readonly answer?: MunicipalityAnswer;
  readonly date?: string;
}

/** A decision as kept in the state. */
export interface LoggedDecision {
  readonly id: string;
  readonly at: string;
  readonly decision: 'declare-utskrivningsklar';
  readonly declaredAt: string;
}

/** A validated, normalised input. */
export type NormalizedEvent =
  | { readonly kind: 'message'; readonly message: LoggedMessage }
  | { readonly kind: 'decision'; readonly decision: LoggedDecision }
  | { readonly kind: 'deadline-passed'; readonly at: string };

const MESSAGE_FIELDS = new Set([
  'id', 'at', 'type', 'from', 'status', 'refersTo', 'subtype', 'admittedAt', 'declaredAt', 'dischargedAt',
  'diedAt', 'answer', 'date', 'direction', 'receivedAt', 'stay',
]);
const TYPE_FIELDS: Readonly<Record<ProcedureMessageType, readonly string[]>> = {
  LOG_INNLAGT: ['admittedAt'],
  INNLEGGELSESRAPPORT: [],
  HELSEOPPL_SOKNAD: ['subtype', 'admittedAt'],
  LOG_UTSKRIVNINGSKLAR: ['declaredAt'],
  DIALOG_SVAR: ['answer', 'date'],
  DIALOG_FORESPORSEL: ['answer', 'date'],
  LOG_AVMELDING: [],
  LOG_UTSKREVET: ['dischargedAt'],
  UTSKRIVNINGSRAPPORT: [],
  LOG_DOD: ['diedAt'],
};
const TYPE_SPECIFIC = new Set(Object.values(TYPE_FIELDS).flat());

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function instant(v: unknown, path: string, issues: ProcedureIssue[]): string | undefined {
  if (typeof v !== 'string') {
    issues.push({ path, message: 'must be an ISO 8601 date-time with offset' });
    return undefined;
  }
  const ms = parseInstant(v);
  if (ms === null) {
    issues.push({ path, message: 'must be an ISO 8601 date-time with an explicit offset (Z or ±hh:mm)' });
    return undefined;
  }
  return formatInstant(ms);
}

function id(v: unknown, path: string, issues: ProcedureIssue[]): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > 200) {
    issues.push({ path, message: 'must be a non-empty string (at most 200 characters)' });
    return undefined;
  }
  return v;
}

function checkStay(v: unknown, path: string, issues: ProcedureIssue[]): void {
  if (v === undefined) return;
  // Shape only: the key must equal the state's key, which was fully checked when the stay was created.
  const shapeOk =
    isRecord(v) &&
    Object.keys(v).length === 3 &&
    ['patientId', 'hospitalHerId', 'admission'].every((k) => typeof v[k] === 'string');
  if (!shapeOk) issues.push({ path, message: 'must be a stay key { patientId, hospitalHerId, admission }' });
}

function normalizeMessage(ev: Record<string, unknown>, p: string, issues: ProcedureIssue[]): LoggedMessage | undefined {
  const start = issues.length;
  const type = ev['type'] as ProcedureMessageType;
  for (const key of Object.keys(ev)) {
    if (!MESSAGE_FIELDS.has(key)) issues.push({ path: `${p}${key}`, message: 'unknown field' });
    else if (TYPE_SPECIFIC.has(key) && !TYPE_FIELDS[type].includes(key)) issues.push({ path: `${p}${key}`, message: `not a field of ${type}` });
  }
  const mid = id(ev['id'], `${p}id`, issues);
  const at = instant(ev['at'], `${p}at`, issues);
  const from = ev['from'];
  const sender = MESSAGE_SENDER[type];
  if (from !== 'hospital' && from !== 'municipality') issues.push({ path: `${p}from`, message: 'must be "hospital" or "municipality"' });
  else if (sender !== 'either' && from !== sender) issues.push({ path: `${p}from`, message: `${type} is sent by the ${sender}` });
  let status: Forsendelsesstatus = 'N';
  if (ev['status'] !== undefined) {
    if (!FORSENDELSESSTATUS.includes(ev['status'] as Forsendelsesstatus)) {
      issues.push({ path: `${p}status`, message: `must be one of ${FORSENDELSESSTATUS.join(', ')}` });
    } else status = ev['status'] as Forsendelsesstatus;
  }
  const refersTo = ev['refersTo'] === undefined ? undefined : id(ev['refersTo'], `${p}refersTo`, issues);
  const needsRef = status === 'C' || status === 'M' || status === 'O';
  if (needsRef && ev['refersTo'] === undefined) issues.push({ path: `${p}refersTo`, message: `required with status ${status}` });
  if (!needsRef && ev['refersTo'] !== undefined) issues.push({ path: `${p}refersTo`, message: 'only with status C, M or O' });
  if (refersTo !== undefined && refersTo === mid) issues.push({ path: `${p}refersTo`, message: 'a message cannot refer to itself' });
  if (ev['direction'] !== undefined && ev['direction'] !== 'sent' && ev['direction'] !== 'received') {
    issues.push({ path: `${p}direction`, message: 'must be "sent" or "received"' });
  }
  if (ev['receivedAt'] !== undefined) instant(ev['receivedAt'], `${p}receivedAt`, issues);
  checkStay(ev['stay'], `${p}stay`, issues);
  const cancel = status === 'C';
  const out: { -readonly [K in keyof LoggedMessage]: LoggedMessage[K] } = {
    id: mid ?? '',
    at: at ?? '',
    type,
    from: from as Party,
    status,
  };
  if (refersTo !== undefined) out.refersTo = refersTo;
  const optionalInstant = (field: 'admittedAt' | 'declaredAt' | 'dischargedAt' | 'diedAt'): void => {
    if (ev[field] === undefined) return;
    const v = instant(ev[field], `${p}${field}`, issues);
    if (v !== undefined) out[field] = v;
  };
  switch (type) {
    case 'LOG_INNLAGT':
      optionalInstant('admittedAt');
      if (!cancel) out.admittedAt ??= out.at;
      break;
    case 'HELSEOPPL_SOKNAD':
      if (ev['subtype'] === 1 || ev['subtype'] === 2) out.subtype = ev['subtype'];
      else if (ev['subtype'] !== undefined || !cancel) issues.push({ path: `${p}subtype`, message: 'must be 1 (notice, 9140 = 1) or 2 (update)' });
      optionalInstant('admittedAt');
      break;
    case 'LOG_UTSKRIVNINGSKLAR':
      optionalInstant('declaredAt');
      if (!cancel) out.declaredAt ??= out.at;
      break;
    case 'LOG_UTSKREVET':
      optionalInstant('dischargedAt');
      if (!cancel) out.dischargedAt ??= out.at;
      break;
    case 'LOG_DOD':
      optionalInstant('diedAt');
      if (!cancel) out.diedAt ??= out.at;
      break;
    case 'DIALOG_SVAR':
    case 'DIALOG_FORESPORSEL':
      if (ev['answer'] !== undefined) {
        if (!ANSWERS.includes(ev['answer'] as MunicipalityAnswer)) issues.push({ path: `${p}answer`, message: `must be one of ${ANSWERS.join(', ')}` });
        else out.answer = ev['answer'] as MunicipalityAnswer;
        if (from === 'hospital') issues.push({ path: `${p}answer`, message: 'only the municipality answers LOG_UTSKRIVNINGSKLAR' });
      }
      if (ev['date'] !== undefined) {
        if (typeof ev['date'] !== 'string' || !isCalendarDate(ev['date'])) issues.push({ path: `${p}date`, message: 'must be a calendar date YYYY-MM-DD' });
        else if (ev['answer'] === 'cannot-receive') out.date = ev['date'];
        else if (ev['answer'] === undefined || ANSWERS.includes(ev['answer'] as MunicipalityAnswer)) {
          issues.push({ path: `${p}date`, message: 'only with answer cannot-receive' });
        }
      }
      break;
    default:
      break;
  }
  return issues.length === start ? out : undefined;
}

/**
 * Validates one input and returns its normalised form.
 *
 * @param path prefix for issue paths (e.g. `events[3]`).
 * @throws ProcedureError `ERR_PROCEDURE_INVALID_EVENT` with every issue found.
 */
export function normalizeEvent(event: unknown, path = ''): NormalizedEvent {
  const issues: ProcedureIssue[] = [];
  const result = checkEvent(event, path, issues);
  throwIfIssues('ERR_PROCEDURE_INVALID_EVENT', issues);
  return result as NormalizedEvent;
}

/** Like {@link normalizeEvent} but collects issues instead of throwing. */
export function checkEvent(event: unknown, path: string, issues: ProcedureIssue[]): NormalizedEvent | undefined {
  const p = path ? `${path}.` : '';
  if (!isRecord(event)) {
    issues.push({ path, message: 'event must be an object' });
    return undefined;
  }
  const start = issues.length;
  const type = event['type'];
  if (type === 'deadline-passed') {
    for (const key of Object.keys(event)) {
      if (!['type', 'at', 'rule', 'stay'].includes(key)) issues.push({ path: `${p}${key}`, message: 'unknown field' });
    }
    const at = instant(event['at'], `${p}at`, issues);
    if (event['rule'] !== undefined && typeof event['rule'] !== 'string') issues.push({ path: `${p}rule`, message: 'must be a string' });
    checkStay(event['stay'], `${p}stay`, issues);
    return issues.length === start && at !== undefined ? { kind: 'deadline-passed', at } : undefined;
  }
  if (type === 'decision') {
    for (const key of Object.keys(event)) {
      if (!['type', 'id', 'at', 'decision', 'declaredAt', 'stay'].includes(key)) issues.push({ path: `${p}${key}`, message: 'unknown field' });
    }
    const did = id(event['id'], `${p}id`, issues);
    const at = instant(event['at'], `${p}at`, issues);
    if (event['decision'] !== 'declare-utskrivningsklar') issues.push({ path: `${p}decision`, message: 'must be "declare-utskrivningsklar"' });
    const declaredAt = event['declaredAt'] === undefined ? at : instant(event['declaredAt'], `${p}declaredAt`, issues);
    checkStay(event['stay'], `${p}stay`, issues);
    if (issues.length !== start || did === undefined || at === undefined || declaredAt === undefined) return undefined;
    return { kind: 'decision', decision: { id: did, at, decision: 'declare-utskrivningsklar', declaredAt } };
  }
  if (typeof type !== 'string' || !(PROCEDURE_MESSAGE_TYPES as readonly string[]).includes(type)) {
    issues.push({
      path: `${p}type`,
      message: `must be one of ${PROCEDURE_MESSAGE_TYPES.join(', ')}, "decision" or "deadline-passed"`,
    });
    return undefined;
  }
  const message = normalizeMessage(event, p, issues);
  return message === undefined ? undefined : { kind: 'message', message };
}

/** The stay key an event names, if any. */
export function eventStayKey(event: StayEvent): StayKey | undefined {
  return event.stay;
}

/** True when the event names no stay or names `key`. */
export function eventMatchesStay(event: StayEvent, key: StayKey | null): boolean {
  return event.stay === undefined || key === null || sameStayKey(event.stay, key);
}
