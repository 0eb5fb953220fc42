/**
 * Pure receipt-tracking transitions: no store, no clock. The tracker class applies them through
 * its store; they are exported so other drivers (a batch job, a replay) can use them too.
 */
import { isFromReceiver } from '../correlate';
import type { SentMessageRef } from '../correlate';
import type { AppRec } from '../model';
import type { ReceiptEffect, ReceiptHistoryError, ReceiptPolicy, ReceiptState, TrackedMessage } from './types';
import { DEFAULT_RECEIPT_DEADLINE_MS } from './types';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function checkMs(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new RangeError(`${name} must be a non-negative number of milliseconds`);
}

/** Checks a policy; throws RangeError for negative or non-finite durations. */
export function checkPolicy(policy: ReceiptPolicy): void {
  checkMs('defaultDeadlineMs', policy.defaultDeadlineMs);
  checkMs('escalateAfterMs', policy.escalateAfterMs);
  for (const [type, ms] of Object.entries(policy.deadlineMsByType ?? {})) checkMs(`deadlineMsByType.${type}`, ms);
}

/** The AppRec deadline for a message type under `policy`. */
export function deadlineMsFor(type: string, policy: ReceiptPolicy = {}): number {
  return policy.deadlineMsByType?.[type] ?? policy.defaultDeadlineMs ?? DEFAULT_RECEIPT_DEADLINE_MS;
}

/** A newly sent message, `awaiting` its AppRec. `sentAt` is an instant (ms since the epoch). */
export function startTracking(sent: SentMessageRef, sentAt: number, policy: ReceiptPolicy = {}): TrackedMessage {
  if (typeof sent?.msgId !== 'string' || sent.msgId.trim() === '') throw new TypeError('a tracked message needs its msgId');
  if (typeof sent.type !== 'string' || sent.type === '') throw new TypeError('a tracked message needs its type');
  if (!Array.isArray(sent.receiverHerIds) || sent.receiverHerIds.length === 0) throw new TypeError('a tracked message needs the receiver HER-ids');
  if (!Number.isFinite(sentAt)) throw new RangeError('sentAt must be a valid time');
  const deadline = sentAt + deadlineMsFor(sent.type, policy);
  const escalateAt = deadline + (policy.escalateAfterMs ?? 0);
  return {
    msgId: sent.msgId,
    type: sent.type,
    receiverHerIds: [...sent.receiverHerIds],
    ...(sent.senderHerIds === undefined ? {} : { senderHerIds: [...sent.senderHerIds] }),
    ...(sent.genDate === undefined ? {} : { genDate: sent.genDate }),
    sentAt: iso(sentAt),
    deadline: iso(deadline),
    escalateAt: iso(escalateAt),
    state: 'awaiting',
    nextCheckAt: iso(deadline),
    appRecIds: [],
    history: [{ at: iso(sentAt), state: 'awaiting' }],
    revision: 0,
  };
}

/** True for `ok`, `rejected` and `partial`. */
export function isSettled(state: ReceiptState): state is 'ok' | 'rejected' | 'partial' {
  return state === 'ok' || state === 'rejected' || state === 'partial';
}

/** The addressee HER-id (deepest level) of a tracked message's receiver. */
export function receiverHerId(message: SentMessageRef): string {
  return message.receiverHerIds[message.receiverHerIds.length - 1] ?? '';
}

/**
 * Moves an unsettled message along its deadlines at `now`: `awaiting` past the deadline becomes
 * `overdue` (effect `receipt-overdue`), and past `escalateAt` `escalated` (effect `escalate`,
 * addressed to our meldingsansvarlig and the partner's). Unchanged when nothing is due.
 */
export function advance(message: TrackedMessage, now: number): { readonly message: TrackedMessage; readonly effects: readonly ReceiptEffect[] } {
  const effects: ReceiptEffect[] = [];
  let next = message;
  const at = iso(now);
  const her = receiverHerId(message);
  if (next.state === 'awaiting' && now >= Date.parse(next.deadline)) {
    next = { ...next, state: 'overdue', nextCheckAt: next.escalateAt, history: [...next.history, { at, state: 'overdue' }] };
    effects.push({ kind: 'receipt-overdue', msgId: next.msgId, type: next.type, receiverHerId: her, deadline: next.deadline });
  }
  if (next.state === 'overdue' && now >= Date.parse(next.escalateAt)) {
    const { nextCheckAt: _drop, ...rest } = next;
    next = { ...rest, state: 'escalated', history: [...next.history, { at, state: 'escalated' }] };
    effects.push({
      kind: 'escalate',
      msgId: next.msgId,
      type: next.type,
      receiverHerId: her,
      sentAt: next.sentAt,
      deadline: next.deadline,
      to: [{ party: 'own' }, { party: 'partner', herId: her }],
    });
  }
  return { message: next === message ? message : { ...next, revision: message.revision + 1 }, effects };
}

/**
 * Records that an unsettled message was delivered outside the electronic channel (by `channel`,
 * e.g. telefaks) at `now`: state `manual`, no further deadline checks. Settled or already manual
 * messages are returned unchanged. An AppRec that still arrives settles it ({@link applyAppRec}).
 */
export function closeManually(message: TrackedMessage, now: number, channel: string): TrackedMessage {
  if (typeof channel !== 'string' || channel.trim() === '') throw new TypeError('channel is required');
  if (isSettled(message.state) || message.state === 'manual') return message;
  const { nextCheckAt: _drop, ...rest } = message;
  return { ...rest, state: 'manual', history: [...message.history, { at: iso(now), state: 'manual', channel }], revision: message.revision + 1 };
}

/** What applying an AppRec did. */
export type AppRecApplication =
  | { readonly kind: 'settled'; readonly message: TrackedMessage; readonly late: boolean; readonly effects: readonly ReceiptEffect[] }
  | { readonly kind: 'duplicate'; readonly message: TrackedMessage }
  | { readonly kind: 'conflict'; readonly message: TrackedMessage }
  | { readonly kind: 'refused'; readonly message: TrackedMessage };

const STATE_BY_STATUS: Readonly<Record<string, 'ok' | 'rejected' | 'partial'>> = { '1': 'ok', '2': 'rejected', '3': 'partial' };

function errorsOf(appRec: AppRec): ReceiptHistoryError[] {
  return appRec.errors.map((e) => (e.ot === undefined ? { code: e.v } : { code: e.v, text: e.ot }));
}

function sameOutcome(message: TrackedMessage, state: ReceiptState, errors: readonly ReceiptHistoryError[]): boolean {
  const last = [...message.history].reverse().find((h) => isSettled(h.state));
  return last !== undefined && last.state === state && JSON.stringify(last.errors ?? []) === JSON.stringify(errors);
}

/**
 * Applies an AppRec whose OriginalMsgId/Id is `message.msgId`, received at `now`:
 * - from a party that was not the receiver → `refused` (spoofing; message unchanged);
 * - an AppRec already applied (same Id, or the same outcome again) → `duplicate` (unchanged);
 * - a different outcome for a settled message → `conflict` (unchanged; the first receipt stands);
 * - otherwise → `settled` as ok / rejected / partial, `late` when past the deadline; the history
 *   keeps the overdue / escalated entries before it.
 */
export function applyAppRec(message: TrackedMessage, appRec: AppRec, now: number, options: { readonly acceptInstitutionLevel?: boolean } = {}): AppRecApplication {
  if (!isFromReceiver(appRec, message.receiverHerIds, options)) return { kind: 'refused', message };
  if (message.appRecIds.includes(appRec.id)) return { kind: 'duplicate', message };
  const state = STATE_BY_STATUS[appRec.status.v];
  if (state === undefined) throw new RangeError(`AppRec status ${String(appRec.status.v)} is not 1, 2 or 3`);
  const errors = errorsOf(appRec);
  if (isSettled(message.state)) return sameOutcome(message, state, errors) ? { kind: 'duplicate', message } : { kind: 'conflict', message };
  const late = now > Date.parse(message.deadline);
  const wasEscalated = message.state === 'escalated';
  const { nextCheckAt: _drop, ...rest } = message;
  const next: TrackedMessage = {
    ...rest,
    state,
    appRecIds: [...message.appRecIds, appRec.id],
    history: [...message.history, { at: iso(now), state, appRecId: appRec.id, errors, late }],
    revision: message.revision + 1,
  };
  return { kind: 'settled', message: next, late, effects: [{ kind: 'receipt-settled', msgId: message.msgId, state, errors, late, wasEscalated }] };
}
