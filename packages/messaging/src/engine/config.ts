/**
 * Configuration and dependencies of the messaging engine ({@link createMessagingNode}). Every
 * time, deadline and threshold is configuration (DOMAIN: unverified facts become policy with a
 * stated default). Ports are passed in; what is not passed is built from the configuration.
 */
import type { ReceiptPolicy } from '@samhandling/apprec';
import type { Certificate, CmsPrivateKey, KeyPair, RevocationChecker, RevocationPolicy } from '@samhandling/cms';
import type { ParsedMessage } from '@samhandling/plo';
import type { MunicipalityAnswer, PolicyInput, StayPartitionPolicy } from '@samhandling/procedure';
import type { Validator } from '@samhandling/schema';
import type { AddressRegister, MessagingContact } from '../address-register/types';
import type { MessagingStore } from '../store/types';
import type { Transport } from '../transport/types';
import type { AnswerRule } from './answers';

/** Our side of the stay procedure. */
export type EngineRole = 'hospital' | 'municipality';

/** Our certificates, keys and trust. */
export interface EngineCredentials {
  /** Enterprise signing certificate and key (signs every message; `chain` adds intermediates). */
  readonly signing: { readonly certificate: Certificate; readonly key: CmsPrivateKey; readonly chain?: readonly Certificate[] };
  /** Enterprise encryption certificate and key (partners encrypt for it). */
  readonly encryption: KeyPair;
  /** Older decryption keys kept during a certificate rollover. */
  readonly previousEncryption?: readonly KeyPair[];
  /** Trust anchors for partners' signing certificates. */
  readonly trustAnchors: readonly Certificate[];
  /** Extra intermediates. */
  readonly intermediates?: readonly Certificate[];
  /** Revocation checker (a CRL cache); a source that is down makes processing retry later. */
  readonly revocation?: RevocationChecker;
  /** Revocation policy of `validateCertificate`. */
  readonly revocationPolicy?: RevocationPolicy;
}

/**
 * Retries of outgoing messages: exponential backoff with jitter (or an explicit schedule), a
 * time-to-live after which the message is dead-lettered with an alarm.
 */
export interface RetryPolicy {
  /** Delay after the first failed attempt. Default 30 s. */
  readonly initialDelayMs: number;
  /** Growth per attempt, a number of at least 1 (anything else is refused with a RangeError). Default 2. */
  readonly factor: number;
  /** Longest delay before jitter (with `jitter` j the delay can reach maxDelayMs × (1 + j)). Default 1 h. */
  readonly maxDelayMs: number;
  /**
   * Explicit delays per failed attempt (the last repeats); overrides initial/factor/max when given
   * (the jitter still applies). A non-empty array of positive numbers; anything else (not an
   * array, empty, an entry that is not a positive finite number) is refused with a RangeError.
   */
  readonly scheduleMs?: readonly number[];
  /**
   * Random spread: the delay is multiplied by a factor in [1 − jitter, 1 + jitter]. A number in
   * [0, 1) (anything else is refused with a RangeError); 0 turns the spread off. Default 0.2.
   */
  readonly jitter: number;
  /**
   * Time-to-live of a message from submission. Default 3 days. A message held for manual handling
   * (its partner in manual mode) does not expire while held; when manual mode ends it gets at least
   * this long again.
   */
  readonly ttlMs: number;
  /** Resend when no transport acknowledgment came this long after sending. Default 10 min. */
  readonly ackTimeoutMs: number;
  /** While a partner is in manual mode, held messages are looked at again this often. Default 60 s. */
  readonly holdRecheckMs: number;
}

/** Default {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 30_000,
  factor: 2,
  maxDelayMs: 60 * 60_000,
  jitter: 0.2,
  ttlMs: 3 * 24 * 60 * 60_000,
  ackTimeoutMs: 10 * 60_000,
  holdRecheckMs: 60_000,
};

/** Downtime detection per partner (DOMAIN §8). */
export interface DowntimePolicy {
  /** Consecutive transport failures after which, together with `downAfterMs`, a partner is down. Default 3. */
  readonly failureThreshold: number;
  /** How long failures must last before the partner is declared down and notices go out. Default 4 h (DOMAIN §8). */
  readonly downAfterMs: number;
  /** Overdue receipts from one partner at once that declare it down. Default 5. */
  readonly overdueReceiptThreshold: number;
  /**
   * When a partner is declared down, switch it to manual mode at once (outgoing messages are held
   * for manual handling instead of retried until their time-to-live). An operator ends manual mode
   * when the partner is back; the all-clear follows the first message that goes through. Default
   * false (messages keep being retried; an operator may switch manual mode on).
   */
  readonly holdWhenDown: boolean;
}

/** Default {@link DowntimePolicy}. */
export const DEFAULT_DOWNTIME_POLICY: DowntimePolicy = { failureThreshold: 3, downAfterMs: 4 * 60 * 60_000, overdueReceiptThreshold: 5, holdWhenDown: false };

/** Worker settings. */
export interface WorkerSettings {
  /** The scheduler loop runs every this many ms (and at once when work arrives). Default 1000. */
  readonly pollIntervalMs: number;
  /** Lease length of a claimed message. Default 60 s. */
  readonly leaseMs: number;
  /** Messages claimed per pass. Default 20. */
  readonly batchSize: number;
  /** Incoming processing that hits a retryable condition is tried again after this long. Default 60 s. */
  readonly incomingRetryMs: number;
}

/** Default {@link WorkerSettings}. */
export const DEFAULT_WORKER_SETTINGS: WorkerSettings = { pollIntervalMs: 1000, leaseMs: 60_000, batchSize: 20, incomingRetryMs: 60_000 };

/** Configuration of {@link createMessagingNode}. */
export interface MessagingNodeConfig {
  /** Our side of the stay procedure. */
  readonly role: EngineRole;
  /** Our HER-ids: `main` sends by default; `all` are the ones we receive for (default: `main` and its ancestors in the address register). */
  readonly herIds: { readonly main: string | number; readonly all?: readonly (string | number)[] };
  /** Instance name, written in leases and as the engine's audit actor (`engine:<instanceId>`). Default `engine`. */
  readonly instanceId?: string;
  readonly credentials: EngineCredentials;
  /**
   * Secret for pseudonymous patient references (`patientRef`), at least 16 bytes. Default: derived
   * from the signing private key (a key rollover then changes the references: set it explicitly
   * in production).
   */
  readonly patientRefKey?: string | Uint8Array;
  /** Accept synthetic test fødselsnumre (month + 80); only where the environment is marked as test. Default false. */
  readonly testEnvironment?: boolean;
  /** MsgInfo/ProcessingStatus of what we send. Default `P`. */
  readonly processingStatus?: 'P' | 'D' | 'T';
  /** AppRec deadlines and escalation (DOMAIN §5: default 1 hour). */
  readonly receipts?: ReceiptPolicy;
  readonly retry?: Partial<RetryPolicy>;
  readonly downtime?: Partial<DowntimePolicy>;
  readonly workers?: Partial<WorkerSettings>;
  /** Procedure policy (payment start rule, rates ...), passed to `createStay`. */
  readonly procedurePolicy?: PolicyInput;
  /**
   * Which stay a message belongs to (ADR 0014, `partitionStays`): how long after discharge further
   * messages still join the stay. Both parties must use the same value. Default 168 hours.
   */
  readonly stayPartition?: Partial<StayPartitionPolicy>;
  /**
   * The rule that reads the municipality's answer to LOG_UTSKRIVNINGSKLAR (topic 7322 = 7) out of a
   * dialogue message (docs/protocols/hospital-stay-policy.md); merged over `DEFAULT_ANSWER_RULE`.
   * Both parties must use the same rule. Ignored when `deps.answerClassifier` is given.
   */
  readonly answerRule?: Partial<AnswerRule>;
  /** Our meldingsansvarlig; default the one in the address register for our HER-ids. */
  readonly meldingsansvarlig?: MessagingContact;
  /**
   * Delete audit entries older than this (ms; checked about once an hour); default: keep
   * everything. A positive integer: anything else is refused with a RangeError by
   * {@link resolveAuditRetentionMs}.
   */
  readonly auditRetentionMs?: number;
  /** SQLite database file, used when no `store` is passed. */
  readonly store?: { readonly sqlitePath: string };
  /** Address register JSON file, used when no `addressRegister` is passed. */
  readonly addressRegisterFile?: string;
  /** ebXML over SMTP, used when no `transport` is passed. */
  readonly smtp?: {
    readonly listen: { readonly host: string; readonly port: number };
    /** Our mailbox (RCPT TO that partners use). */
    readonly mailbox: string;
    readonly clientTimeoutMs?: number;
  };
  /** E-mail for downtime notices and escalations (nodemailer over SMTP), used when no `notifier` is passed. */
  readonly notifications?: {
    readonly smtp: { readonly host: string; readonly port: number; readonly secure?: boolean; readonly user?: string; readonly password?: string };
    /** Sender address of the notices. */
    readonly from: string;
  };
}

/** Result of {@link EpjPort.findPatient}. */
export type PatientLookup =
  | { readonly found: true }
  | { readonly found: false; readonly reason: 'not-found' | 'ambiguous' | 'not-in-folkeregisteret' };

/** The receiving EPJ: patient lookup for incoming messages (E35/E36/E53). */
export interface EpjPort {
  /** Looks up a patient by fødselsnummer (or D-/H-number). Throwing means "try again later". */
  findPatient(personId: string): Promise<PatientLookup>;
}

/** An e-mail notice (downtime, all-clear, escalation). */
export interface Notice {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

/** Sends notices to meldingsansvarlig contacts. Throwing means "not sent"; the engine logs it. */
export interface Notifier {
  send(notice: Notice): Promise<void>;
}

/**
 * Reads the municipality's answer to LOG_UTSKRIVNINGSKLAR out of a dialogue message (DOMAIN §3:
 * Svar or Forespørsel, topic 7322 = 7). Both parties must use the same classifier so they derive
 * the same procedure state.
 */
export type AnswerClassifier = (message: ParsedMessage) => { readonly answer: MunicipalityAnswer; readonly date?: string } | undefined;

/** Timers of the scheduler loop (default: the global ones). */
export interface EngineTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Structured log lines (JSON-serialisable fields). */
export interface EngineLogger {
  log(level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** The ports of the engine; each one not given is built from the configuration. */
export interface MessagingNodeDeps {
  readonly store?: MessagingStore;
  readonly transport?: Transport;
  readonly addressRegister?: AddressRegister;
  /** Source of "now". Default the system clock. */
  readonly clock?: () => Date;
  /** Patient lookup. Default: every patient is found. */
  readonly epj?: EpjPort;
  /** Default: e-mail through `config.notifications`, else notices are only logged. */
  readonly notifier?: Notifier;
  /** Default: `createValidator` of `@samhandling/schema` (compiled once). */
  readonly validator?: Validator;
  /** Random numbers in [0, 1) for jitter. Default Math.random. */
  readonly random?: () => number;
  /** MsgId generator. Default crypto.randomUUID. */
  readonly idGenerator?: () => string;
  readonly timers?: EngineTimers;
  readonly answerClassifier?: AnswerClassifier;
  readonly logger?: EngineLogger;
}

function positive(name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number`);
}

/** Completes and checks a retry policy. @throws RangeError for a value out of its documented range */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...partial };
  for (const k of ['initialDelayMs', 'maxDelayMs', 'ttlMs', 'ackTimeoutMs', 'holdRecheckMs'] as const) positive(`retry.${k}`, p[k]);
  // typeof first: a string or null would pass the comparisons through coercion.
  if (typeof p.factor !== 'number' || !(p.factor >= 1)) throw new RangeError('retry.factor must be at least 1');
  if (typeof p.jitter !== 'number' || !(p.jitter >= 0 && p.jitter < 1)) throw new RangeError('retry.jitter must be in [0, 1)');
  if (p.scheduleMs !== undefined) {
    if (!Array.isArray(p.scheduleMs)) throw new RangeError('retry.scheduleMs must be an array of delays');
    if (p.scheduleMs.length === 0) throw new RangeError('retry.scheduleMs must not be empty');
    p.scheduleMs.forEach((ms, i) => positive(`retry.scheduleMs[${i}]`, ms));
  }
  return p;
}

/**
 * Checks `auditRetentionMs`: absent (keep everything) or a positive integer number of milliseconds.
 * @throws RangeError for anything else
 */
export function resolveAuditRetentionMs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new RangeError('auditRetentionMs must be a positive integer (milliseconds)');
  return value;
}

/** Completes and checks a downtime policy. */
export function resolveDowntimePolicy(partial: Partial<DowntimePolicy> = {}): DowntimePolicy {
  const p = { ...DEFAULT_DOWNTIME_POLICY, ...partial };
  positive('downtime.downAfterMs', p.downAfterMs);
  if (!Number.isInteger(p.failureThreshold) || p.failureThreshold < 1) throw new RangeError('downtime.failureThreshold must be a positive integer');
  if (!Number.isInteger(p.overdueReceiptThreshold) || p.overdueReceiptThreshold < 1) throw new RangeError('downtime.overdueReceiptThreshold must be a positive integer');
  if (typeof p.holdWhenDown !== 'boolean') throw new RangeError('downtime.holdWhenDown must be a boolean');
  return p;
}

/** Completes and checks the worker settings. */
export function resolveWorkerSettings(partial: Partial<WorkerSettings> = {}): WorkerSettings {
  const p = { ...DEFAULT_WORKER_SETTINGS, ...partial };
  for (const k of ['pollIntervalMs', 'leaseMs', 'incomingRetryMs'] as const) positive(`workers.${k}`, p[k]);
  if (!Number.isInteger(p.batchSize) || p.batchSize < 1 || p.batchSize > 1000) throw new RangeError('workers.batchSize must be an integer from 1 to 1000');
  return p;
}

/**
 * The delay before attempt `failedAttempts + 1`: the schedule entry (the last repeats) or
 * `initialDelayMs × factor^(failedAttempts − 1)` capped at `maxDelayMs`, times a jitter factor.
 */
export function backoffDelay(policy: RetryPolicy, failedAttempts: number, random: () => number): number {
  const n = Math.max(1, Math.floor(failedAttempts));
  let base: number;
  if (policy.scheduleMs !== undefined) base = policy.scheduleMs[Math.min(n, policy.scheduleMs.length) - 1] ?? policy.initialDelayMs;
  else base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (n - 1));
  const spread = policy.jitter === 0 ? 1 : 1 - policy.jitter + 2 * policy.jitter * random();
  return Math.max(1, Math.round(base * spread));
}
