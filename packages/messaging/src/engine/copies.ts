/**
 * Copy receivers (MsgHead `OtherReceiver`, e.g. the patient's GP; ADR 0014). The original message
 * names each copy receiver with role `COP` (kodeverk 8112, Kopimottaker) and goes to its receiver
 * only. Each copy receiver gets its OWN message: a new MsgId (derived from the original MsgId and
 * the copy receiver, so repeating the step finds the copy already queued), the copy receiver as
 * `Receiver`, the original receiver listed as `OtherReceiver` with role `PRIM` (Primærmottaker),
 * the same GenDate, patient and content; protected for the copy receiver's certificate from the
 * address register and tracked with its own AppRec. A copy never feeds the stay procedure (the copy
 * receiver is not a party of the stay; a received copy does not either, see {@link isCopy}).
 *
 * A copy receiver that the address register does not know, or that has no endpoint or no
 * certificate, gets no copy: the engine raises the alarm `copy-failed:<msgId>:<herId>` with the
 * address register's error code (`ERR_AR_UNKNOWN_PARTY`, `ERR_AR_NO_TRANSPORT`,
 * `ERR_AR_NO_CERTIFICATE`). The original message is sent regardless.
 * @internal
 */
import { buildMessage, deepestHerId, isPloError, parseMessage } from '@samhandling/plo';
import type { OtherReceiverInput, ParsedMessage } from '@samhandling/plo';
import { isAddressRegisterError } from '../address-register/errors';
import { isStoreError } from '../store/errors';
import type { JsonValue } from '../store/types';
import type { EngineContext } from './context';
import { enqueue, msgIdForKey, outgoingMeta, readArchive } from './outgoing';
import { organisationFor } from './parties';

/** `RoleReceiver` of a copy receiver in the original message (kodeverk 8112: COP Kopimottaker). */
export const COPY_ROLE = { v: 'COP', dn: 'Kopimottaker' } as const;
/** `RoleReceiver` of the original receiver listed in a copy (kodeverk 8112: PRIM Primærmottaker). */
export const PRIMARY_ROLE = { v: 'PRIM', dn: 'Primærmottaker' } as const;

/** True when `message` is a copy made for a copy receiver (it lists the original receiver with role PRIM). */
export function isCopy(message: ParsedMessage): boolean {
  return message.msgHead.msgInfo.otherReceivers.some((o) => o.roleReceiver.v === PRIMARY_ROLE.v);
}

/** The MsgId of the copy of `msgId` for `copyHerId`. */
export function copyMsgId(senderHerId: string, msgId: string, copyHerId: string): string {
  return msgIdForKey(senderHerId, `copy:${msgId}:${copyHerId}`);
}

/** The outgoing message a copy is made from: what {@link ensureCopies} reads. */
interface Original {
  readonly msgId: string;
  readonly msgType: string;
  readonly senderHerId: string;
  readonly patientRef?: string;
  readonly transportMeta?: JsonValue;
}

/** A copy of `original` addressed to the copy receiver `org`, as MsgHead XML. */
function copyXml(ctx: EngineContext, original: ParsedMessage, msgId: string, receiver: NonNullable<OtherReceiverInput['organisation']>): string {
  const info = original.msgHead.msgInfo;
  return buildMessage(
    {
      type: original.type,
      msgId,
      genDate: info.genDate,
      processingStatus: (info.processingStatus?.v as 'P' | 'D' | 'T' | undefined) ?? ctx.config.processingStatus ?? 'P',
      sender: info.sender.organisation,
      receiver,
      otherReceivers: [{ roleReceiver: PRIMARY_ROLE, organisation: info.receiver.organisation }],
      ...(info.conversationRef === undefined ? {} : { conversationRef: info.conversationRef }),
      patient: info.patient as NonNullable<typeof info.patient>,
      content: original.content,
      ...(original.contentNamespace === undefined ? {} : { namespace: original.contentNamespace }),
    },
    { clock: ctx.clock, allowSyntheticPersonIds: ctx.allowSynthetic },
  );
}

async function alarm(ctx: EngineContext, original: Original, herId: string, code: string, text: string): Promise<void> {
  const id = `copy-failed:${original.msgId}:${herId}`;
  const title = `copy of ${original.msgType} to ${herId} not sent`;
  ctx.logger.log('warn', 'copy-failed', { msgId: original.msgId, copyReceiver: herId, code });
  if (await ctx.tasks.add({ id, kind: 'alarm', title, detail: `${code}: ${text}`, msgId: original.msgId })) ctx.emit({ type: 'alarm', taskId: id, title });
}

/**
 * Enqueues the copy for every copy receiver of `original` that has none yet (idempotent: the copy's
 * MsgId is derived, and an existing copy is left alone). A copy receiver that cannot get a copy
 * raises an alarm. A retryable failure (address register or store unavailable) is thrown.
 */
export async function ensureCopies(ctx: EngineContext, original: Original): Promise<void> {
  const meta = outgoingMeta(original);
  const copies = meta?.copies ?? [];
  if (copies.length === 0) return;
  const pending: string[] = [];
  for (const her of copies) if ((await ctx.store.getOutgoing(copyMsgId(original.senderHerId, original.msgId, her))) === undefined) pending.push(her);
  if (pending.length === 0) return;
  const xml = readArchive(ctx, meta);
  if (xml === undefined) {
    for (const her of pending) await alarm(ctx, original, her, 'ERR_MSG_INVALID_STATE', 'the original message cannot be read');
    return;
  }
  const parsed = parseMessage(xml);
  const named = new Set(parsed.msgHead.msgInfo.otherReceivers.map((o) => (o.organisation === undefined ? undefined : deepestHerId(o.organisation))));
  for (const her of pending) {
    const msgId = copyMsgId(original.senderHerId, original.msgId, her);
    try {
      if (!named.has(her)) throw Object.assign(new Error(`HER-id ${her} is not an OtherReceiver of the message`), { code: 'ERR_MSG_INVALID_STATE' });
      const org = await organisationFor(ctx.ar, her);
      if (org === undefined) throw Object.assign(new Error(`copy receiver ${her} is not in the address register`), { code: 'ERR_AR_UNKNOWN_PARTY' });
      const copy = copyXml(ctx, parsed, msgId, org);
      const errors = ctx.validator.validate(copy).issues.filter((i) => i.severity === 'error');
      if (errors.length > 0) throw Object.assign(new Error(`the copy does not validate: ${errors.map((e) => e.code).join(', ')}`), { code: 'ERR_MSG_INVALID_STATE' });
      const head = parseMessage(copy).msgHead;
      await enqueue(ctx, {
        xml: copy,
        msgHead: head,
        msgId,
        msgType: original.msgType,
        senderHerId: original.senderHerId,
        receiverHerId: her,
        conversationId: meta?.conversationId ?? msgId,
        ...(meta?.refToMessageId === undefined ? {} : { refToMessageId: meta.refToMessageId }),
        ...(original.patientRef === undefined ? {} : { patientRef: original.patientRef }),
        expectReceipt: true,
      });
      await ctx.audit(ctx.engineActor, 'copy', 'outgoing', msgId, original.patientRef, { of: original.msgId, to: her });
      ctx.emit({ type: 'transport', msgId, state: 'queued' });
    } catch (err) {
      if (isStoreError(err) && err.code === 'ERR_STORE_CONFLICT') continue; // enqueued concurrently
      if ((isAddressRegisterError(err) || isStoreError(err)) && err.retryable) throw err;
      const code = (err as { code?: unknown }).code;
      if (isAddressRegisterError(err) || isPloError(err) || typeof code === 'string') {
        await alarm(ctx, original, her, typeof code === 'string' ? code : 'ERR_MSG_INVALID_STATE', (err as Error).message);
        continue;
      }
      throw err;
    }
  }
  ctx.wake();
}
