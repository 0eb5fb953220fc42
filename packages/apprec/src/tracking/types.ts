/**
 * Receipt tracking model: every business message we send expects exactly one AppRec by a
 * deadline. States and their history are plain data, persisted through a {@link ReceiptStore}.
 */
import type { AppRec } from '../model';
import type { SentMessageRef } from '../correlate';

/**
 * Receipt state of a sent message: `awaiting` the AppRec; `overdue` past the deadline;
 * `escalated` to the meldingsansvarlig contacts; settled as `ok` (status 1), `rejected` (2) or
 * `partial` (3) by the AppRec, also when it arrives late; `manual` when the message was delivered
 * outside the electronic channel (downtime routine, DOMAIN §8): no AppRec is awaited any more, but
 * one that still arrives settles the message.
 */
export type ReceiptState = 'awaiting' | 'overdue' | 'escalated' | 'ok' | 'rejected' | 'partial' | 'manual';

/** One error of a received AppRec, as kept in the history. */
export interface ReceiptHistoryError {
  readonly code: string;
  readonly text?: string;
}

/** One entry of a message's append-only receipt history. */
export interface ReceiptHistoryEntry {
  /** When the state was recorded (ISO 8601, UTC). */
  readonly at: string;
  readonly state: ReceiptState;
  /** Settled states: the AppRec's Id. */
  readonly appRecId?: string;
  /** Settled states: the AppRec's errors (8221 code and free text). */
  readonly errors?: readonly ReceiptHistoryError[];
  /** Settled states: the AppRec arrived after the deadline. */
  readonly late?: boolean;
  /** `manual`: how the message was delivered (e.g. telefaks, post, telefon). */
  readonly channel?: string;
}

/** A sent message as the tracker keeps it. */
export interface TrackedMessage extends SentMessageRef {
  /** When it was sent (ISO 8601, UTC). */
  readonly sentAt: string;
  /** When the AppRec is due (absolute, ISO 8601 UTC). */
  readonly deadline: string;
  /** When an overdue message is escalated (absolute, ISO 8601 UTC; at or after `deadline`). */
  readonly escalateAt: string;
  readonly state: ReceiptState;
  /** When `tick` must look at the message next; absent once settled or escalated. */
  readonly nextCheckAt?: string;
  /** Ids of the AppRecs applied to the message (to recognise duplicates). */
  readonly appRecIds: readonly string[];
  /** Append-only history, oldest first; the first entry is `awaiting` at `sentAt`. */
  readonly history: readonly ReceiptHistoryEntry[];
  /** Incremented on every change (optimistic concurrency in the store). */
  readonly revision: number;
}

/** Why an AppRec was kept aside instead of settling a message. */
export type UnmatchedReason = 'orphan' | 'spoofed' | 'conflict';

/** An AppRec that did not settle anything, kept and logged. */
export interface UnmatchedAppRec {
  readonly reason: UnmatchedReason;
  /** ApprecError code for the reason: ERR_APPREC_ORPHAN, ERR_APPREC_SPOOFED, ERR_APPREC_CONFLICT. */
  readonly code: 'ERR_APPREC_ORPHAN' | 'ERR_APPREC_SPOOFED' | 'ERR_APPREC_CONFLICT';
  /** When it was received (ISO 8601, UTC). */
  readonly at: string;
  readonly appRec: AppRec;
}

/**
 * Persistence port of the tracker. The engine supplies SQLite and PostgreSQL implementations;
 * {@link InMemoryReceiptStore} is for tests. Implementations store and return the objects as
 * given (plain data, JSON-compatible).
 */
export interface ReceiptStore {
  /** Adds a message; resolves false (and changes nothing) when its msgId is already stored. */
  insert(message: TrackedMessage): Promise<boolean>;
  /** The message with our MsgId `msgId`. */
  get(msgId: string): Promise<TrackedMessage | undefined>;
  /**
   * Replaces the stored message when the stored `revision` equals `expectedRevision`; resolves
   * false otherwise (someone else changed it: reload and try again).
   */
  update(message: TrackedMessage, expectedRevision: number): Promise<boolean>;
  /** Messages whose `nextCheckAt` is at or before `now`, earliest first, at most `limit`. */
  due(now: string, limit: number): Promise<TrackedMessage[]>;
  /** Keeps an AppRec that settled nothing. */
  keepUnmatched(record: UnmatchedAppRec): Promise<void>;
  /** Every kept unmatched AppRec, oldest first. */
  listUnmatched(): Promise<UnmatchedAppRec[]>;
}

/** A recipient of an escalation: our own meldingsansvarlig, or the partner's (by HER-id). */
export type EscalationRecipient = { readonly party: 'own' } | { readonly party: 'partner'; readonly herId: string };

/** Something the tracker asks its caller to do. */
export type ReceiptEffect =
  | {
      /** The AppRec did not arrive by the deadline. */
      readonly kind: 'receipt-overdue';
      readonly msgId: string;
      readonly type: string;
      readonly receiverHerId: string;
      readonly deadline: string;
    }
  | {
      /**
       * Tell both meldingsansvarlig contacts (resolved by the caller from its configuration and
       * the address register) that the receipt is missing.
       */
      readonly kind: 'escalate';
      readonly msgId: string;
      readonly type: string;
      readonly receiverHerId: string;
      readonly sentAt: string;
      readonly deadline: string;
      readonly to: readonly EscalationRecipient[];
    }
  | {
      /** The AppRec arrived: the sender's system is told the outcome (and, if escalated, the all-clear). */
      readonly kind: 'receipt-settled';
      readonly msgId: string;
      readonly state: 'ok' | 'rejected' | 'partial';
      readonly errors: readonly ReceiptHistoryError[];
      readonly late: boolean;
      /** True when the message had been escalated: the contacts should hear it was resolved. */
      readonly wasEscalated: boolean;
    };

/** Deadlines of the tracker. No national deadline exists for the AppRec (DOMAIN §5): configure it. */
export interface ReceiptPolicy {
  /** Deadline after sending when no per-type deadline is set. Default 1 hour. */
  readonly defaultDeadlineMs?: number;
  /** Deadline per message type (MsgInfo/Type V). */
  readonly deadlineMsByType?: Readonly<Record<string, number>>;
  /** Time from the deadline to escalation. Default 0 (escalate as soon as it is overdue). */
  readonly escalateAfterMs?: number;
  /** See `CorrelateOptions.acceptInstitutionLevel`. Default true. */
  readonly acceptInstitutionLevel?: boolean;
}

/** Default AppRec deadline: 1 hour (DOMAIN §5, configurable). */
export const DEFAULT_RECEIPT_DEADLINE_MS = 60 * 60 * 1000;
