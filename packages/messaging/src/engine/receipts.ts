/**
 * Receipt tracking in the engine: AppRecs received for our messages, deadlines fired from the
 * persisted receipt state (overdue → escalation to the meldingsansvarlig contacts), and the
 * effects of each. Effects are carried out BEFORE the new state is saved, so a crash repeats an
 * effect (a notice may go out twice) but never loses one; tasks have deterministic ids.
 * @internal
 */
import { advance, applyAppRec, closeManually, isSettled } from '@samhandling/apprec';
import type { AppRec, ReceiptEffect, TrackedMessage } from '@samhandling/apprec';
import { isStoreError } from '../store/errors';
import type { EngineContext } from './context';
import { EngineError } from './errors';
import { outgoingMeta } from './outgoing';

/**
 * What a received AppRec does to its original message's receipt state, decided without writing
 * it: `settled` carries the new state, to be written by the caller in the same transaction as the
 * incoming outcome (`IncomingResult.receiptUpdate`, refused when `expectedRevision` is stale: decide
 * again). Orphans, spoofed senders and conflicts are kept aside here (as the tracker does).
 */
export type AppRecDecision =
  | { readonly kind: 'settled'; readonly message: TrackedMessage; readonly expectedRevision: number; readonly effects: readonly ReceiptEffect[] }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'orphan' | 'refused' | 'conflict'; readonly code: 'ERR_APPREC_ORPHAN' | 'ERR_APPREC_SPOOFED' | 'ERR_APPREC_CONFLICT' };

/** Decides what a received AppRec does (see {@link AppRecDecision}). */
export async function decideAppRec(ctx: EngineContext, appRec: AppRec): Promise<AppRecDecision> {
  const now = ctx.clock();
  const at = now.toISOString();
  const tracked = await ctx.store.receipts.get(appRec.originalMsgId.id);
  if (tracked === undefined) {
    await ctx.store.receipts.keepUnmatched({ reason: 'orphan', code: 'ERR_APPREC_ORPHAN', at, appRec });
    return { kind: 'orphan', code: 'ERR_APPREC_ORPHAN' };
  }
  const applied = applyAppRec(tracked, appRec, now.getTime(), { acceptInstitutionLevel: ctx.receiptPolicy.acceptInstitutionLevel !== false });
  switch (applied.kind) {
    case 'refused':
      await ctx.store.receipts.keepUnmatched({ reason: 'spoofed', code: 'ERR_APPREC_SPOOFED', at, appRec });
      return { kind: 'refused', code: 'ERR_APPREC_SPOOFED' };
    case 'conflict':
      await ctx.store.receipts.keepUnmatched({ reason: 'conflict', code: 'ERR_APPREC_CONFLICT', at, appRec });
      return { kind: 'conflict', code: 'ERR_APPREC_CONFLICT' };
    case 'duplicate':
      return { kind: 'duplicate' };
    case 'settled':
      return { kind: 'settled', message: applied.message, expectedRevision: tracked.revision, effects: applied.effects };
  }
}

async function partnerOf(ctx: EngineContext, msgId: string, fallback: string): Promise<string> {
  const rec = await ctx.store.getOutgoing(msgId);
  return (rec === undefined ? undefined : outgoingMeta(rec)?.partnerHerId) ?? fallback;
}

/** Carries out one receipt effect: events, tasks, notices, metrics, downtime signals. */
export async function handleReceiptEffect(ctx: EngineContext, effect: ReceiptEffect): Promise<void> {
  switch (effect.kind) {
    case 'receipt-overdue': {
      const partner = await partnerOf(ctx, effect.msgId, effect.receiverHerId);
      await ctx.overdue.add(effect.msgId, partner);
      const id = `receipt-overdue:${effect.msgId}`;
      const title = `AppRec overdue for ${effect.type} to ${effect.receiverHerId}`;
      if (await ctx.tasks.add({ id, kind: 'alarm', title, msgId: effect.msgId, due: effect.deadline })) ctx.emit({ type: 'alarm', taskId: id, title });
      ctx.emit({ type: 'receipt', msgId: effect.msgId, state: 'overdue' });
      await ctx.downtime.noteOverdue(partner);
      return;
    }
    case 'escalate': {
      const id = `receipt-escalated:${effect.msgId}`;
      const title = `AppRec missing for ${effect.type} to ${effect.receiverHerId}: escalated to meldingsansvarlig`;
      const added = await ctx.tasks.add({ id, kind: 'alarm', title, msgId: effect.msgId, due: effect.deadline });
      if (added) {
        ctx.emit({ type: 'alarm', taskId: id, title });
        const to: string[] = [];
        for (const r of effect.to) {
          const contact = r.party === 'own' ? await ctx.downtime.ownContact() : await ctx.downtime.contactOf(r.herId);
          if (contact !== undefined) to.push(contact.email);
        }
        await ctx.downtime.notify(
          [...new Set(to)],
          `Manglende applikasjonskvittering: ${effect.type} ${effect.msgId}`,
          `Meldingen ${effect.msgId} (${effect.type}) sendt ${effect.sentAt} til HER-id ${effect.receiverHerId} har ikke fått applikasjonskvittering innen fristen ${effect.deadline}.`,
          effect.receiverHerId,
        );
      }
      ctx.emit({ type: 'receipt', msgId: effect.msgId, state: 'escalated' });
      return;
    }
    case 'receipt-settled': {
      await ctx.overdue.remove(effect.msgId);
      const tracked = await ctx.store.receipts.get(effect.msgId);
      if (tracked !== undefined) {
        const settledAt = tracked.history[tracked.history.length - 1]?.at;
        if (settledAt !== undefined) ctx.counters.receiptLatenciesMs.push(Math.max(0, Date.parse(settledAt) - Date.parse(tracked.sentAt)));
      }
      ctx.emit({ type: 'receipt', msgId: effect.msgId, state: effect.state });
      if (effect.state !== 'ok') {
        const id = `receipt-${effect.state}:${effect.msgId}`;
        const title = `AppRec ${effect.state === 'rejected' ? 'rejected' : 'with errors'}: ${effect.errors.map((e) => e.code).join(', ')}`;
        if (await ctx.tasks.add({ id, kind: 'alarm', title, detail: effect.errors.map((e) => `${e.code} ${e.text ?? ''}`.trim()).join('; '), msgId: effect.msgId })) {
          ctx.emit({ type: 'alarm', taskId: id, title });
        }
      }
      if (wasLate(tracked)) await closeLateAlarms(ctx, effect.msgId);
      return;
    }
  }
}

/**
 * The AppRec was applied before (a duplicate AppRec, or processing repeated after a crash between
 * the tracker's update and the incoming result): makes sure its settlement's bookkeeping is done
 * (overdue set, alarms closed) without counting it twice.
 */
export async function settleAgain(ctx: EngineContext, msgId: string): Promise<void> {
  const tracked = await ctx.store.receipts.get(msgId);
  if (tracked === undefined || !isSettled(tracked.state)) return;
  await ctx.overdue.remove(msgId);
  if (wasLate(tracked)) await closeLateAlarms(ctx, msgId);
}

/** Whether the receipt was overdue (or escalated) before it settled: only then are there alarms to close. */
function wasLate(tracked: { readonly history: readonly { readonly state: string }[] } | undefined): boolean {
  return tracked === undefined || tracked.history.some((h) => h.state === 'overdue' || h.state === 'escalated');
}

/** Closes the overdue and escalation alarms of a settled message (one change of the task list). */
async function closeLateAlarms(ctx: EngineContext, msgId: string): Promise<void> {
  await ctx.tasks.reconcile([], { ids: [`receipt-overdue:${msgId}`, `receipt-escalated:${msgId}`] }, ctx.engineActor);
}

/** Fires due receipt deadlines (at most `limit`); resolves how many messages moved. */
export async function tickReceipts(ctx: EngineContext, limit: number): Promise<number> {
  const now = ctx.clock();
  let moved = 0;
  for (const due of await ctx.store.receipts.due(now.toISOString(), limit)) {
    const step = advance(due, now.getTime());
    if (step.message === due) continue;
    for (const e of step.effects) await handleReceiptEffect(ctx, e);
    if (await ctx.store.receipts.update(step.message, due.revision)) moved++;
  }
  return moved;
}

/** What {@link deliverManually} needs: the outgoing message and how it was delivered by hand. */
export interface ManualDelivery {
  readonly msgId: string;
  /** As the operator named it: the message's partner (transport endpoint) or its receiver. */
  readonly partnerHerId: string;
  readonly channel: string;
  readonly note: string;
  readonly actor: string;
}

/** Alarms about one outgoing message that a delivery by hand resolves. */
function resolvedByHand(msgId: string): (t: { readonly msgId?: string; readonly id: string }) => boolean {
  return (t) => t.msgId === msgId && (t.id === `receipt-overdue:${msgId}` || t.id === `receipt-escalated:${msgId}` || t.id.startsWith(`dead-letter:${msgId}:`));
}

/**
 * An operator delivered one of our outgoing messages by hand (downtime routine, DOMAIN §8): the
 * message leaves the electronic channel unless it was acknowledged already, its receipt
 * expectation is closed as `manual`, and the manual-delivery log entry and audit entry are written,
 * in one store transaction (decided again when the receipt state changed meanwhile). Then the
 * message's overdue and dead-letter alarms are closed.
 *
 * @throws TypeError when the message went to another partner; EngineError `ERR_MSG_NOT_FOUND`,
 *   `ERR_MSG_INVALID_STATE` (being sent right now: try again).
 */
export async function deliverManually(ctx: EngineContext, delivery: ManualDelivery): Promise<void> {
  const rec = await ctx.store.getOutgoing(delivery.msgId);
  if (rec === undefined) throw new EngineError('ERR_MSG_NOT_FOUND', `no outgoing message ${delivery.msgId}`);
  const partner = outgoingMeta(rec)?.partnerHerId ?? rec.receiverHerId;
  if (delivery.partnerHerId !== partner && delivery.partnerHerId !== rec.receiverHerId) {
    throw new TypeError(`message ${delivery.msgId} went to HER-id ${rec.receiverHerId}, not ${delivery.partnerHerId}`);
  }
  for (let attempt = 0; ; attempt++) {
    const now = ctx.clock();
    const tracked = await ctx.store.receipts.get(delivery.msgId);
    const manual = tracked === undefined ? undefined : closeManually(tracked, now.getTime(), delivery.channel);
    const receiptChanged = tracked !== undefined && manual !== undefined && manual !== tracked;
    let closed: boolean;
    try {
      ({ closed } = await ctx.store.closeOutgoingManually({
        msgId: delivery.msgId,
        partnerHerId: partner,
        channel: delivery.channel,
        note: delivery.note,
        actor: delivery.actor,
        now,
        ...(receiptChanged ? { receiptUpdate: { message: manual, expectedRevision: tracked.revision } } : {}),
      }));
    } catch (err) {
      if (isStoreError(err) && err.code === 'ERR_STORE_CONFLICT' && err.table === 'receipt_tracking' && attempt < 10) continue;
      if (isStoreError(err) && err.code === 'ERR_STORE_NOT_FOUND') throw new EngineError('ERR_MSG_NOT_FOUND', err.message);
      if (isStoreError(err) && err.code === 'ERR_STORE_INVALID_STATE') throw new EngineError('ERR_MSG_INVALID_STATE', err.message);
      throw err;
    }
    if (closed) ctx.emit({ type: 'transport', msgId: delivery.msgId, state: 'manual' });
    if (receiptChanged) ctx.emit({ type: 'receipt', msgId: delivery.msgId, state: 'manual' });
    break;
  }
  await ctx.overdue.remove(delivery.msgId);
  await ctx.tasks.reconcile([], resolvedByHand(delivery.msgId), delivery.actor);
}
