/**
 * The outgoing pipeline: model → buildMessage → validation gate → CMS protect for the receiver
 * (certificate and profile from the address register) → outbox together with the receipt
 * expectation (one transaction) → worker claims → transport.send → acknowledgment; retries with
 * backoff and jitter, time-to-live, dead-letter with an alarm.
 * @internal
 */
import { createHash } from 'node:crypto';
import { sentMessageRef, startTracking } from '@samhandling/apprec';
import { decrypt, encrypt, protectAsync } from '@samhandling/cms';
import { buildMessage, defaultRegistry, isPloError, parseMessage } from '@samhandling/plo';
import type { BuildMessageInput, ConversationRef, MsgHead, Organisation, OtherReceiverInput, ParsedMessage, Person } from '@samhandling/plo';
import { isAddressRegisterError } from '../address-register/errors';
import { isStoreError } from '../store/errors';
import type { AuditEntry, JsonValue, OutgoingClaim, OutgoingRecord } from '../store/types';
import { isTransportError } from '../transport/errors';
import type { SubmissionIssue, SubmitMessageInput } from './api';
import { backoffDelay } from './config';
import type { EngineContext, OutgoingMeta } from './context';
import { COPY_ROLE, ensureCopies, isCopy } from './copies';
import { organisationFor, patientIdOf, rootHerId } from './parties';
import { chainEntryOf, procedureEventOf, senderParty } from './stays';
import type { ChainInput, ProcedureInput } from './stays';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A deterministic UUID (version 4 layout) from an idempotency key, so a repeated submission finds the first. */
export function msgIdForKey(senderHerId: string, key: string): string {
  const h = createHash('sha256').update(`samhandling-submit\u0000${senderHerId}\u0000${key}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The MsgId of one of our transmissions (`<msgId>.r<n>` for resends of a requeued message). */
export function msgIdOfTransmission(transportMessageId: string): string {
  return transportMessageId.replace(/\.r\d+$/, '');
}

/** Our readable copy of an outgoing message (decrypted archive), when it has one. */
export function readArchive(ctx: EngineContext, meta: OutgoingMeta | undefined): string | undefined {
  if (meta?.archive === undefined) return undefined;
  try {
    return decoder.decode(decrypt(Buffer.from(meta.archive, 'base64'), { decryptionKeys: ctx.decryptionKeys }).content);
  } catch {
    return undefined;
  }
}

/** Engine meta of an outgoing record (undefined for rows written by something else). */
export function outgoingMeta(rec: { readonly transportMeta?: JsonValue }): OutgoingMeta | undefined {
  const m = rec.transportMeta as unknown as OutgoingMeta | undefined;
  return m !== undefined && m !== null && typeof m === 'object' && m.engine === 1 ? m : undefined;
}

/** What {@link enqueue} needs. */
export interface EnqueueInput {
  readonly xml: string;
  readonly msgHead: MsgHead | undefined;
  readonly msgId: string;
  readonly msgType: string;
  readonly senderHerId: string;
  readonly receiverHerId: string;
  readonly conversationId: string;
  readonly refToMessageId?: string;
  readonly patientRef?: string;
  readonly expectReceipt: boolean;
  readonly stayKey?: string;
  readonly procedure?: ProcedureInput;
  readonly forwardOf?: string;
  readonly copies?: readonly string[];
  /** An audit entry written in the same transaction as the outbox row (the submission). */
  readonly audit?: AuditEntry;
}

/**
 * Protects a built message for its receiver and puts it in the outbox with its receipt
 * expectation (one transaction). Throws AddressRegisterError / CmsError / StoreError.
 */
export async function enqueue(ctx: EngineContext, input: EnqueueInput): Promise<OutgoingRecord> {
  const now = ctx.clock();
  const { payload, meta } = await protectFor(ctx, input.xml, input.receiverHerId, {
    conversationId: input.conversationId,
    expectsReceipt: input.expectReceipt,
    ...(input.refToMessageId === undefined ? {} : { refToMessageId: input.refToMessageId }),
    ...(input.stayKey === undefined ? {} : { stayKey: input.stayKey }),
    ...(input.procedure === undefined ? {} : { procedure: input.procedure }),
    ...(input.forwardOf === undefined ? {} : { forwardOf: input.forwardOf }),
    ...(input.copies === undefined || input.copies.length === 0 ? {} : { copies: input.copies }),
  });
  const expectation =
    input.expectReceipt && input.msgHead !== undefined ? startTracking(sentMessageRef(input.msgHead), now.getTime(), ctx.receiptPolicy) : undefined;
  return ctx.store.enqueueOutgoing(
    {
      msgId: input.msgId,
      msgType: input.msgType,
      senderHerId: input.senderHerId,
      receiverHerId: input.receiverHerId,
      conversationRef: input.conversationId,
      ...(input.patientRef === undefined ? {} : { patientRef: input.patientRef }),
      payload,
      transportMeta: meta as unknown as JsonValue,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ctx.retry.ttlMs),
    },
    expectation,
    input.audit === undefined ? undefined : { audit: input.audit },
  );
}

/**
 * The bytes to transmit for a message to `receiverHerId` (CMS-protected for its encryption
 * certificate with its CMS profile, or the plain document for a transport that protects itself)
 * and the engine meta with our readable copy (encrypted for our own encryption certificate).
 * Throws AddressRegisterError (unknown receiver, no certificate) or CmsError.
 */
export async function protectFor(
  ctx: EngineContext,
  xml: string,
  receiverHerId: string,
  meta: Omit<OutgoingMeta, 'engine' | 'archive' | 'partnerHerId'>,
): Promise<{ readonly payload: Uint8Array; readonly meta: OutgoingMeta }> {
  const resolved = await ctx.ar.resolveReceiver(receiverHerId);
  const bytes = encoder.encode(xml);
  let payload: Uint8Array;
  if (ctx.transport.capabilities.payload === 'cms') {
    const recipient = await ctx.ar.encryptionCertificateFor(receiverHerId);
    // The RSA signature runs on libuv's thread pool: the event loop goes on meanwhile.
    payload = await protectAsync(bytes, {
      signer: {
        certificate: ctx.credentials.signing.certificate,
        key: ctx.credentials.signing.key,
        ...(ctx.credentials.signing.chain === undefined ? {} : { chain: ctx.credentials.signing.chain }),
      },
      recipient,
      profile: resolved.cmsProfile,
      clock: ctx.clock,
    });
  } else {
    payload = bytes;
  }
  const archive = Buffer.from(encrypt(bytes, { recipients: [ctx.credentials.encryption.certificate] })).toString('base64');
  return { payload, meta: { engine: 1, ...meta, archive, partnerHerId: resolved.endpoint.herId } };
}

function issue(code: string, message: string, path?: string, appRecCode?: string): SubmissionIssue {
  return { code, message, ...(path === undefined ? {} : { path }), ...(appRecCode === undefined ? {} : { appRecCode }) };
}

async function conversationOf(ctx: EngineContext, inReplyTo: string, receiverHerId: string): Promise<ConversationRef> {
  const own = await ctx.store.getOutgoing(inReplyTo);
  if (own !== undefined) return { refToParent: inReplyTo, refToConversation: own.conversationRef ?? inReplyTo };
  const received = await ctx.store.findReceived(receiverHerId, inReplyTo);
  if (received !== undefined) {
    const inc = await ctx.store.getIncoming(received.incomingId);
    return { refToParent: inReplyTo, refToConversation: inc?.conversationRef ?? inReplyTo };
  }
  return { refToParent: inReplyTo, refToConversation: inReplyTo };
}

/** Result of {@link prepareSubmission}. */
export type Prepared =
  | { readonly ok: false; readonly issues: readonly SubmissionIssue[] }
  | { readonly ok: true; readonly xml: string; readonly parsed: ParsedMessage; readonly msgId: string; readonly senderHerId: string; readonly conversation: ConversationRef | undefined };

/** Builds and validates a submission. Every problem is an issue; nothing is stored. */
export async function prepareSubmission(ctx: EngineContext, input: SubmitMessageInput, msgId: string): Promise<Prepared> {
  const issues: SubmissionIssue[] = [];
  const senderHerId = String(input.senderHerId ?? ctx.mainHerId);
  const receiverHerId = String(input.receiverHerId);
  if (!ctx.ourHerIds.has(senderHerId)) issues.push(issue('ERR_MSG_UNKNOWN_SENDER', `HER-id ${senderHerId} is not one of ours`, 'senderHerId'));
  let sender: Organisation | undefined;
  let receiver: Organisation | undefined;
  try {
    sender = await organisationFor(ctx.ar, senderHerId);
    receiver = await organisationFor(ctx.ar, receiverHerId);
  } catch (err) {
    if (isAddressRegisterError(err) && err.retryable) throw err;
    throw err;
  }
  if (sender === undefined) issues.push(issue('ERR_MSG_UNKNOWN_SENDER', `HER-id ${senderHerId} is not in the address register`, 'senderHerId'));
  if (receiver === undefined) issues.push(issue('ERR_MSG_RECEIVER_UNKNOWN', `HER-id ${receiverHerId} is not in the address register`, 'receiverHerId', 'E21'));
  else {
    try {
      const resolved = await ctx.ar.resolveReceiver(receiverHerId);
      const supported = resolved.messageTypes;
      const entry = supported.find((t) => t.type === input.type);
      if (supported.length > 0 && entry === undefined) {
        issues.push(issue('ERR_MSG_UNSUPPORTED_MESSAGE_TYPE', `HER-id ${receiverHerId} does not receive ${input.type}`, 'type', 'T10'));
      } else if (entry !== undefined) {
        // the version we build (the standard of the type's default definition, e.g. "PLO 1.6") must be one the receiver lists
        const standard = defaultRegistry.get(input.type)?.standard;
        const version = standard === undefined ? undefined : /(\d+(?:\.\d+)*)$/.exec(standard)?.[1];
        if (version !== undefined && !entry.versions.includes(version)) {
          issues.push(issue('ERR_MSG_UNSUPPORTED_MESSAGE_TYPE', `HER-id ${receiverHerId} receives ${input.type} in version ${entry.versions.join(', ')}, not ${standard ?? version}`, 'type', 'T10'));
        }
      }
      if (ctx.transport.capabilities.payload === 'cms' && resolved.encryptionCertificate === undefined) {
        issues.push(issue('ERR_AR_NO_CERTIFICATE', `no encryption certificate for HER-id ${receiverHerId}`, 'receiverHerId'));
      }
    } catch (err) {
      if (isAddressRegisterError(err) && !err.retryable) issues.push(issue(err.code, err.message, 'receiverHerId'));
      else throw err;
    }
  }
  const otherReceivers: OtherReceiverInput[] = [];
  for (const [i, her] of (input.copyTo ?? []).entries()) {
    const org = await organisationFor(ctx.ar, String(her));
    if (org === undefined) issues.push(issue('ERR_MSG_RECEIVER_UNKNOWN', `copy receiver ${String(her)} is not in the address register`, `copyTo[${i}]`));
    else otherReceivers.push({ roleReceiver: COPY_ROLE, organisation: org });
  }
  if (issues.length > 0 || sender === undefined || receiver === undefined) return { ok: false, issues };
  const conversation = input.inReplyTo === undefined ? undefined : await conversationOf(ctx, input.inReplyTo, receiverHerId);
  const build: BuildMessageInput = {
    type: input.type,
    msgId,
    processingStatus: ctx.config.processingStatus ?? 'P',
    sender,
    receiver,
    ...(otherReceivers.length === 0 ? {} : { otherReceivers }),
    ...(conversation === undefined ? {} : { conversationRef: conversation }),
    patient: input.patient as unknown as Person,
    content: input.content,
  };
  let xml: string;
  try {
    xml = buildMessage(build, { clock: ctx.clock, allowSyntheticPersonIds: ctx.allowSynthetic });
  } catch (err) {
    if (isPloError(err)) {
      const list = err.issues ?? [];
      if (list.length === 0) return { ok: false, issues: [issue(err.code, err.message, err.path)] };
      return { ok: false, issues: list.map((i) => issue(err.code, i.message, i.path)) };
    }
    throw err;
  }
  const report = ctx.validator.validate(xml);
  const errors = report.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) return { ok: false, issues: errors.map((i) => issue(i.code, i.message, i.xpath, i.appRecCode)) };
  const parsed = parseMessage(xml);
  return { ok: true, xml, parsed, msgId, senderHerId, conversation };
}

/** The procedure input of a message we send or received, resolving (or opening) its stay. */
export async function procedureFor(
  ctx: EngineContext,
  parsed: ParsedMessage,
  direction: 'outgoing' | 'incoming',
  partnerHerId: string,
  ourHerId: string,
): Promise<{ readonly stayKey?: string; readonly procedure?: ProcedureInput }> {
  const patientId = patientIdOf(parsed.msgHead.msgInfo.patient);
  // A copy (we are a copy receiver, e.g. the GP) is not part of the stay between the two parties.
  if (patientId === undefined || isCopy(parsed)) return {};
  const from = senderParty(ctx.role, direction);
  const event = procedureEventOf(parsed, from, ctx.classifier);
  const entry = chainEntryOf(parsed, event, from, ctx.classifier);
  if (entry === undefined) return {};
  const partnerRoot = await rootHerId(ctx.ar, partnerHerId);
  const ourRoot = await rootHerId(ctx.ar, ourHerId);
  const hospitalHerId = ctx.role === 'hospital' ? ourRoot : partnerRoot;
  // Every message of the patient joins the chain, also one that belongs to no stay yet (ADR 0014).
  const chain: ChainInput = { patientId, patientRef: ctx.patientRef(patientId), hospitalHerId, partnerHerId: partnerRoot, entry };
  const stayKey = await ctx.stays.resolve(chain);
  const procedure: ProcedureInput = { stayKey: stayKey ?? '', direction, chain, ...(event === undefined ? {} : { event }) };
  return stayKey === undefined ? { procedure } : { stayKey, procedure };
}

/** Applies a message's procedure part (idempotent); a procedure that refuses the event raises a task, never fails the message. */
export async function applyProcedure(ctx: EngineContext, meta: { readonly stayKey?: string; readonly procedure?: ProcedureInput }, ref: { readonly msgId: string; readonly type: string; readonly at: string; readonly direction: 'outgoing' | 'incoming' }): Promise<void> {
  try {
    if (meta.procedure !== undefined) await ctx.stays.apply(meta.procedure, ref.type);
    else if (meta.stayKey !== undefined) await ctx.stays.note(meta.stayKey, ref);
  } catch (err) {
    if (isStoreError(err) && err.retryable) throw err;
    const code = (err as { code?: unknown }).code;
    ctx.logger.log('warn', 'procedure-refused', { msgId: ref.msgId, code: typeof code === 'string' ? code : 'unknown' });
    await ctx.tasks.add({
      id: `procedure-refused:${ref.msgId}`,
      kind: 'notification',
      title: 'message not applied to the stay procedure',
      detail: typeof code === 'string' ? code : String(err),
      msgId: ref.msgId,
      ...(meta.stayKey === undefined ? {} : { stayKey: meta.stayKey }),
    });
  }
}

const PERMANENT = new Set(['ERR_TRANSPORT_REJECTED', 'ERR_TRANSPORT_TOO_LARGE', 'ERR_TRANSPORT_UNKNOWN_PARTY', 'ERR_TRANSPORT_UNSUPPORTED', 'ERR_TRANSPORT_NOT_FOR_US']);

async function deadLetter(ctx: EngineContext, claim: OutgoingClaim, reason: string): Promise<void> {
  await ctx.store.deadLetter(claim.msgId, claim.lease, reason, ctx.clock());
  await deadLettered(ctx, claim, reason);
}

/** The alarm, event and log line of a dead-lettered message. */
async function deadLettered(ctx: EngineContext, rec: Pick<OutgoingRecord, 'msgId' | 'msgType' | 'receiverHerId' | 'attempts'>, reason: string): Promise<void> {
  const id = `dead-letter:${rec.msgId}:${rec.attempts}`;
  const title = `message ${rec.msgType} to ${rec.receiverHerId} dead-lettered`;
  if (await ctx.tasks.add({ id, kind: 'alarm', title, detail: reason, msgId: rec.msgId })) ctx.emit({ type: 'alarm', taskId: id, title });
  ctx.emit({ type: 'transport', msgId: rec.msgId, state: 'dead-letter' });
  ctx.logger.log('warn', 'dead-letter', { msgId: rec.msgId, reason });
}

/**
 * The peer refused one of our messages at transport level (ebXML MessageError): dead-lettered at
 * once in the store (a restart or another instance sees it). A message being sent right now keeps
 * the refusal in memory and is dead-lettered at its next claim.
 */
export async function refusedByPeer(ctx: EngineContext, msgId: string, errors: string): Promise<void> {
  const reason = `refused by the peer: ${errors}`;
  let rec: OutgoingRecord | undefined;
  try {
    rec = await ctx.store.refuseOutgoing(msgId, reason, ctx.clock());
  } catch (err) {
    if (isStoreError(err) && err.code === 'ERR_STORE_NOT_FOUND') {
      ctx.logger.log('warn', 'transport-message-error-unknown', { msgId, errors });
      return;
    }
    throw err;
  }
  if (rec !== undefined) {
    await deadLettered(ctx, rec, reason);
    return;
  }
  const current = await ctx.store.getOutgoing(msgId);
  if (current?.state === 'sending') ctx.refused.set(msgId, errors);
  else ctx.logger.log('warn', 'transport-message-error-ignored', { msgId, state: current?.state ?? 'unknown', errors });
}

/** Sends one claimed message (the worker's step). Never throws for a transport failure. */
export async function sendClaimed(ctx: EngineContext, claim: OutgoingClaim): Promise<void> {
  const now = ctx.clock();
  const meta = outgoingMeta(claim);
  const partner = meta?.partnerHerId ?? claim.receiverHerId;
  try {
    // Held for manual handling (manual mode) before the time-to-live: an operator deals with held
    // messages (delivered by hand, or sent when manual mode ends, with a new time-to-live).
    if (await ctx.downtime.isHeld(partner)) {
      await ctx.store.markFailed(claim.msgId, claim.lease, { now, nextAttemptAt: new Date(now.getTime() + ctx.retry.holdRecheckMs), error: 'held: manual mode' });
      ctx.emit({ type: 'transport', msgId: claim.msgId, state: 'held' });
      return;
    }
    if (now.getTime() >= claim.expiresAt.getTime()) {
      await deadLetter(ctx, claim, 'time-to-live passed');
      return;
    }
    const refusal = ctx.refused.get(claim.msgId);
    if (refusal !== undefined) {
      ctx.refused.delete(claim.msgId);
      await deadLetter(ctx, claim, `refused by the peer: ${refusal}`);
      return;
    }
    if (meta !== undefined) {
      await applyProcedure(ctx, meta, { msgId: claim.msgId, type: claim.msgType, at: claim.createdAt.toISOString(), direction: 'outgoing' });
      // Copies are enqueued at submission; repeated here (idempotent) in case the process died in
      // between or the address register was unavailable then: the original waits for its copies.
      if (meta.copies !== undefined) {
        try {
          await ensureCopies(ctx, claim);
        } catch (err) {
          if (!isRetryable(err)) throw err;
          const delay = backoffDelay(ctx.retry, claim.attempts, ctx.random);
          await ctx.store.markFailed(claim.msgId, claim.lease, { now, nextAttemptAt: new Date(now.getTime() + delay), error: `copies: ${String((err as { code?: unknown }).code)}` });
          return;
        }
      }
    }
    // A resend after an acknowledgment timeout keeps its transport id (the receiver eliminates the
    // duplicate); a message requeued after it was sent (a duplicate's AppRec) needs a new one.
    const transportMessageId = claim.transportMessageId ?? (claim.sentAt !== undefined ? `${claim.msgId}.r${claim.updatedAt.getTime()}` : claim.msgId);
    let result;
    try {
      result = await ctx.transport.send({
        from: claim.senderHerId,
        to: claim.receiverHerId,
        conversationId: meta?.conversationId ?? claim.conversationRef ?? claim.msgId,
        msgType: claim.msgType,
        messageId: transportMessageId,
        ...(meta?.refToMessageId === undefined ? {} : { refToMessageId: meta.refToMessageId }),
        payload: claim.payload,
        ackRequested: true,
      });
    } catch (err) {
      const code = isTransportError(err) ? err.code : 'ERR_TRANSPORT_UNAVAILABLE';
      ctx.counters.sendFailuresTotal++;
      if (PERMANENT.has(code)) {
        await deadLetter(ctx, claim, `${code}: ${(err as Error).message}`);
        return;
      }
      const delay = backoffDelay(ctx.retry, claim.attempts, ctx.random);
      await ctx.store.markFailed(claim.msgId, claim.lease, { now, nextAttemptAt: new Date(now.getTime() + delay), error: `${code}: ${(err as Error).message}` });
      ctx.emit({ type: 'transport', msgId: claim.msgId, state: 'failed' });
      await ctx.downtime.recordFailure(partner, code);
      return;
    }
    await ctx.store.markSent(claim.msgId, claim.lease, { now, transportMessageId: result.transportId, ackDeadline: new Date(now.getTime() + ctx.retry.ackTimeoutMs) });
    ctx.counters.messagesSentTotal++;
    ctx.emit({ type: 'transport', msgId: claim.msgId, state: 'sent' });
    const refusedMeanwhile = ctx.refused.get(claim.msgId);
    if (refusedMeanwhile !== undefined) {
      // the peer's MessageError arrived while this attempt was still being recorded
      ctx.refused.delete(claim.msgId);
      await refusedByPeer(ctx, claim.msgId, refusedMeanwhile);
      return;
    }
    await ctx.downtime.recordSuccess(partner, 'transport');
  } catch (err) {
    if (isStoreError(err) && (err.code === 'ERR_STORE_LEASE_LOST' || err.code === 'ERR_STORE_NOT_FOUND')) return;
    throw err;
  }
}

/** Applies a transport acknowledgment. */
export async function acknowledge(ctx: EngineContext, transportMessageId: string): Promise<void> {
  const msgId = msgIdOfTransmission(transportMessageId);
  let changed: boolean;
  try {
    changed = await ctx.store.markAcknowledged(msgId, ctx.clock());
  } catch (err) {
    if (isStoreError(err) && err.code === 'ERR_STORE_NOT_FOUND') return;
    throw err;
  }
  if (!changed) return;
  ctx.emit({ type: 'transport', msgId, state: 'acknowledged' });
  const rec = await ctx.store.getOutgoing(msgId);
  const meta = rec === undefined ? undefined : outgoingMeta(rec);
  if (meta !== undefined) await ctx.downtime.recordSuccess(meta.partnerHerId, 'transport');
}

/** The parsed head of our readable copy. */
export function parsedArchive(ctx: EngineContext, meta: OutgoingMeta | undefined): { xml: string; parsed?: unknown } | undefined {
  const xml = readArchive(ctx, meta);
  if (xml === undefined) return undefined;
  try {
    return { xml, parsed: JSON.parse(JSON.stringify(parseMessage(xml), (k, v: unknown) => (k === 'definition' ? undefined : v))) as unknown };
  } catch {
    return { xml };
  }
}

/** Whether a store failure is worth retrying the whole step later. */
export function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;
}
