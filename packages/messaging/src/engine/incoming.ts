/**
 * The incoming pipeline. The transport handler only stores the raw bytes (durably, before the
 * transport acknowledges). A worker then takes each stored message through: CMS unprotect (our
 * decryption keys, trust anchors, revocation) → anti-spoofing (the signer is the sender's signing
 * certificate in the address register; the transport sender is the MsgHead sender) → validation →
 * duplicate check on (sender HER-id, MsgId) → receiver check → patient check (EPJ port) → one
 * transaction writing the outcome (inbox item, duplicate register, AppRec in the outbox) →
 * procedure. Every failure goes through apprec's one table (`outcomeForError`, `decideReceipt`).
 * AppRecs go to receipt tracking and are never answered.
 * @internal
 */
import { createHash } from 'node:crypto';
import {
  APPREC_NS_V1_0,
  APPREC_NS_V1_1,
  MESSAGING_ERROR_CODES,
  decideReceipt,
  describeOutcome,
  errorFeedbackTask,
  outcomeForError,
  parseAppRecTree,
  partyHerId,
  receiptFor,
} from '@samhandling/apprec';
import type { AppRec, ReceiptFailure } from '@samhandling/apprec';
import { matchesExpectedSigner, unprotect } from '@samhandling/cms';
import type { Certificate } from '@samhandling/cms';
import { deepestHerId, herIdent, parseMessage, parseMsgHeadTree, readXml } from '@samhandling/plo';
import type { MsgHead, Organisation, ParsedMessage } from '@samhandling/plo';
import { isAddressRegisterError } from '../address-register/errors';
import { isStoreError } from '../store/errors';
import type { IncomingClaim, IncomingResult, JsonValue, OutgoingMessage } from '../store/types';
import type { IncomingMessage } from '../transport/types';
import type { EngineContext, IncomingMeta, OutgoingMeta } from './context';
import { applyProcedure, procedureFor, protectFor } from './outgoing';
import { ourPartOf, patientIdOf, rootHerId, sameParty } from './parties';
import { decideAppRec, handleReceiptEffect, settleAgain } from './receipts';
import type { AppRecDecision } from './receipts';

const encoder = new TextEncoder();

/** The transport's incoming handler: stores the raw message durably, then lets the transport acknowledge. */
export async function storeIncoming(ctx: EngineContext, m: IncomingMessage): Promise<'accept'> {
  const meta: IncomingMeta = {
    from: m.from,
    to: m.to,
    messageId: m.messageId,
    conversationId: m.conversationId,
    ...(m.msgType === undefined ? {} : { msgType: m.msgType }),
    ...(m.refToMessageId === undefined ? {} : { refToMessageId: m.refToMessageId }),
    payloadKind: m.payloadKind,
    timestamp: m.timestamp.toISOString(),
  };
  const stored = await ctx.store.storeIncomingRaw({
    transportMessageId: `${m.from}/${m.messageId}`,
    payload: m.payload,
    receivedAt: ctx.clock(),
    transportMeta: meta as unknown as JsonValue,
  });
  if (stored.created) {
    ctx.counters.messagesReceivedTotal++;
    ctx.wake();
  }
  return 'accept';
}

/** A failure that stops processing, with its code and text. */
class Stop extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'ERR_MSG_UNEXPECTED';
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

interface Opened {
  readonly xml: Uint8Array;
  readonly signer: Certificate | undefined;
}

/** Processes one claimed incoming message to its final state (or releases it for a retry). */
export async function processClaimed(ctx: EngineContext, claim: IncomingClaim): Promise<void> {
  try {
    await process(ctx, claim);
  } catch (err) {
    if (isStoreError(err) && (err.code === 'ERR_STORE_LEASE_LOST' || err.code === 'ERR_STORE_NOT_FOUND')) return;
    // Anything unexpected is retried later, never blamed on the sender (outcomeForError → retry).
    ctx.logger.log('error', 'incoming-failed', { incomingId: claim.incomingId, code: codeOf(err), message: (err as Error).message });
    await release(ctx, claim, `${codeOf(err)}: ${(err as Error).message}`);
  }
}

async function release(ctx: EngineContext, claim: IncomingClaim, error: string): Promise<void> {
  const now = ctx.clock();
  try {
    await ctx.store.releaseIncoming(claim.incomingId, claim.lease, { now, nextAttemptAt: new Date(now.getTime() + ctx.workers.incomingRetryMs), error });
  } catch (err) {
    if (isStoreError(err) && (err.code === 'ERR_STORE_LEASE_LOST' || err.code === 'ERR_STORE_NOT_FOUND')) return;
    throw err;
  }
}

async function quarantine(
  ctx: EngineContext,
  claim: IncomingClaim,
  code: string,
  text: string,
  facts: Partial<Pick<IncomingResult, 'msgId' | 'senderHerId' | 'receiverHerId' | 'msgType' | 'patientRef' | 'conversationRef'>> = {},
): Promise<void> {
  const details = { code, text, outcome: describeOutcome(outcomeForError({ code })) };
  const { msgId: _m, senderHerId: _s, ...rest } = facts;
  const now = ctx.clock();
  await ctx.store.recordIncomingResult(
    claim.incomingId,
    claim.lease,
    {
      state: 'quarantined',
      ...rest,
      ...(facts.msgId === undefined ? {} : { details: { msgId: facts.msgId, senderHerId: facts.senderHerId ?? null } }),
      reason: code,
      quarantine: { reason: code, details },
      audit: [{ subject: 'incoming', actor: ctx.engineActor, action: 'quarantine', at: now, ...(facts.patientRef === undefined ? {} : { patientRef: facts.patientRef }), details: { code } }],
    },
    now,
  );
  const q = (await ctx.store.listQuarantine({ openOnly: true, limit: 1000 })).find((e) => e.incomingId === claim.incomingId);
  const id = q?.quarantineId ?? claim.incomingId;
  if (await ctx.tasks.add({ id: `quarantine:${id}`, kind: 'task', title: `quarantined message: ${code}`, detail: text, ...(facts.msgId === undefined ? {} : { msgId: facts.msgId }) })) {
    ctx.emit({ type: 'quarantined', quarantineId: id, reason: code });
  }
}

async function open(ctx: EngineContext, claim: IncomingClaim, meta: IncomingMeta): Promise<Opened> {
  if (meta.payloadKind === 'business-document') return { xml: claim.payload, signer: undefined };
  const res = await unprotect(claim.payload, { decryptionKeys: ctx.decryptionKeys, trust: ctx.trust, clock: ctx.clock });
  return { xml: res.content, signer: res.signer };
}

/** Checks that the signer and the transport sender are the named sender; throws Stop. */
async function checkSender(ctx: EngineContext, senderHerId: string, signer: Certificate | undefined, meta: IncomingMeta): Promise<void> {
  let expected: Certificate;
  try {
    expected = await ctx.ar.signingCertificateFor(senderHerId);
  } catch (err) {
    if (isAddressRegisterError(err) && err.retryable) throw err;
    throw new Stop('ERR_MSG_UNKNOWN_SENDER', `sender HER-id ${senderHerId} has no signing certificate in the address register`);
  }
  if (signer !== undefined && !matchesExpectedSigner(signer, { certificate: expected })) {
    throw new Stop('ERR_MSG_SPOOFED_SENDER', `the message is signed by another party than HER-id ${senderHerId}`);
  }
  if (!(await sameParty(ctx.ar, meta.from, senderHerId))) {
    throw new Stop('ERR_MSG_SPOOFED_SENDER', `transport sender ${meta.from} is not the named sender ${senderHerId}`);
  }
}

async function process(ctx: EngineContext, claim: IncomingClaim): Promise<void> {
  const meta = claim.transportMeta as unknown as IncomingMeta;
  let opened: Opened;
  try {
    opened = await open(ctx, claim, meta);
  } catch (err) {
    const outcome = outcomeForError(err);
    if (outcome.action === 'retry') return release(ctx, claim, `${codeOf(err)}: ${(err as Error).message}`);
    // Without the decrypted MsgHead there is nobody to address an AppRec to: keep it for an operator.
    return quarantine(ctx, claim, codeOf(err), `cannot open the CMS payload (${describeOutcome(outcome)})`);
  }
  let root;
  try {
    root = readXml(opened.xml).root;
  } catch (err) {
    return quarantine(ctx, claim, codeOf(err), 'the payload is not readable XML');
  }
  if (root.ns === APPREC_NS_V1_0 || root.ns === APPREC_NS_V1_1) return processAppRec(ctx, claim, meta, opened, root);
  let head: MsgHead;
  try {
    head = parseMsgHeadTree(root);
  } catch (err) {
    return quarantine(ctx, claim, codeOf(err), 'the payload is not a readable MsgHead');
  }
  const info = head.msgInfo;
  const senderHerId = deepestHerId(info.sender.organisation);
  const receiverHerId = deepestHerId(info.receiver.organisation);
  const msgId = info.msgId;
  const facts = {
    msgId,
    msgType: info.type.v,
    ...(receiverHerId === undefined ? {} : { receiverHerId }),
    ...(info.conversationRef === undefined ? {} : { conversationRef: info.conversationRef.refToConversation }),
  };
  if (senderHerId === undefined) return quarantine(ctx, claim, 'ERR_MSG_UNKNOWN_SENDER', 'the MsgHead sender has no HER-id', facts);
  try {
    await checkSender(ctx, senderHerId, opened.signer, meta);
  } catch (err) {
    if (err instanceof Stop) return quarantine(ctx, claim, err.code, err.message, { ...facts, senderHerId });
    throw err;
  }
  const patientId = patientIdOf(info.patient);
  const patientRef = patientId === undefined ? undefined : ctx.patientRef(patientId);
  const contentHash = sha256(opened.xml);
  const common = { ...facts, senderHerId, ...(patientRef === undefined ? {} : { patientRef }) };

  // Duplicate check on (sender HER-id, MsgId).
  const previous = await ctx.store.findReceived(senderHerId, msgId);
  if (previous !== undefined) return answerDuplicate(ctx, claim, common, previous.contentHash, contentHash, head);

  // Validation, receiver, content and patient: every failure, then one decision through the table.
  const failures: ReceiptFailure[] = [];
  const report = ctx.validator.validate(opened.xml);
  for (const i of report.issues) failures.push({ code: i.code, message: i.message, severity: i.severity });
  if (receiverHerId === undefined || !ctx.ourHerIds.has(receiverHerId)) {
    failures.push({ code: 'ERR_MSG_RECEIVER_UNKNOWN', message: `HER-id ${receiverHerId ?? '(none)'} is not served here` });
  }
  let parsed: ParsedMessage | undefined;
  try {
    parsed = parseMessage(opened.xml);
  } catch (err) {
    failures.push({ code: codeOf(err), message: (err as Error).message });
  }
  const patientIssue = report.issues.some((i) => i.severity === 'error' && /^ERR_SCHEMA_PATIENT_ID/.test(i.code));
  if (patientId !== undefined && !patientIssue && failures.every((f) => f.severity === 'warning')) {
    const found = await ctx.epj.findPatient(patientId);
    if (!found.found) {
      const code = found.reason === 'ambiguous' ? 'ERR_MSG_PATIENT_AMBIGUOUS' : found.reason === 'not-in-folkeregisteret' ? 'ERR_MSG_PATIENT_NOT_IN_FOLKEREGISTERET' : 'ERR_MSG_PATIENT_NOT_FOUND';
      failures.push({ code, message: MESSAGING_ERROR_CODES[code] });
    }
  }
  const decision = decideReceipt(failures);
  switch (decision.action) {
    case 'retry':
      return release(ctx, claim, `retry: ${decision.codes.join(', ')}`);
    case 'quarantine':
      return quarantine(ctx, claim, decision.codes[0] ?? 'ERR_MSG_UNKNOWN_SENDER', failures.map((f) => f.message ?? f.code).join('; '), common);
    case 'repeat':
    case 'none':
      return quarantine(ctx, claim, 'ERR_MSG_UNKNOWN_SENDER', `unexpected decision ${decision.action}`, common);
    case 'apprec':
      break;
  }
  // The AppRec, protected for the sender, enqueued in the same transaction as the outcome.
  let reply: { readonly appRec: { readonly msgId: string; readonly xml: Uint8Array }; readonly message: OutgoingMessage };
  try {
    reply = await buildReply(ctx, head, senderHerId, receiverHerId, decision.status, decision.errors, patientRef);
  } catch (err) {
    if (isAddressRegisterError(err) && !err.retryable) return quarantine(ctx, claim, 'ERR_MSG_UNKNOWN_SENDER', `cannot answer HER-id ${senderHerId}: ${err.message}`, common);
    throw err;
  }
  const delivered = decision.status !== '2';
  const codes = decision.errors.map((e) => e.code);
  if (!delivered && (codes.includes('E21') || codes.includes('T10'))) {
    // Misdirected or unsupported: answered with the negative AppRec and kept for follow-up (forward, feedback).
    const reason = codes.includes('E21') ? 'ERR_MSG_RECEIVER_UNKNOWN' : 'ERR_MSG_UNSUPPORTED_MESSAGE_TYPE';
    const q = await ctx.store.quarantine(claim.incomingId, { reason, details: { code: reason, text: failures.map((f) => f.message ?? f.code).join('; '), answered: true }, now: ctx.clock() });
    if (await ctx.tasks.add({ id: `quarantine:${q.quarantineId}`, kind: 'task', title: `misdirected or unsupported message: ${reason}`, msgId })) {
      ctx.emit({ type: 'quarantined', quarantineId: q.quarantineId, reason });
    }
  }
  let proc: Awaited<ReturnType<typeof procedureFor>> = {};
  if (delivered && parsed !== undefined) {
    proc = await procedureFor(ctx, parsed, 'incoming', senderHerId, receiverHerId ?? ctx.mainHerId);
    await applyProcedure(ctx, proc, { msgId, type: info.type.v, at: info.genDate, direction: 'incoming' });
  }
  const now = ctx.clock();
  const auditRef = patientRef === undefined ? {} : { patientRef };
  const result: IncomingResult = {
    state: delivered ? 'delivered' : 'rejected',
    ...common,
    ...(delivered ? { inbox: { payload: opened.xml } } : { reason: codes.join(',') }),
    details: { status: decision.status, errors: codes, ...(proc.stayKey === undefined ? {} : { stayKey: proc.stayKey }) },
    contentHash,
    appRec: reply.appRec,
    reply: reply.message,
    // the delivery (or rejection) is audited in the same transaction as the outcome
    audit: [
      delivered
        ? { subject: 'inbox', actor: ctx.engineActor, action: 'deliver', at: now, ...auditRef, details: { msgId, msgType: info.type.v } }
        : { subject: 'incoming', actor: ctx.engineActor, action: 'reject', at: now, ...auditRef, details: { msgId, errors: codes } },
    ],
  };
  let recorded;
  try {
    recorded = await ctx.store.recordIncomingResult(claim.incomingId, claim.lease, result, now);
  } catch (err) {
    if (isStoreError(err) && err.code === 'ERR_STORE_DUPLICATE') {
      const prev = await ctx.store.findReceived(senderHerId, msgId);
      return answerDuplicate(ctx, claim, common, prev?.contentHash, contentHash, head);
    }
    throw err;
  }
  ctx.wake();
  if (delivered) {
    // The item (and its audit entry) was written with the outcome.
    ctx.emit({ type: 'incoming-delivered', inboxId: recorded.inboxId ?? '', msgId, msgType: info.type.v });
    if (info.type.v === 'DIALOG_AVVIK' && parsed !== undefined) {
      try {
        const task = errorFeedbackTask(parsed);
        await ctx.tasks.add({ id: `error-feedback:${msgId}`, kind: 'task', title: `Tilbakemelding om feil: ${task.reasonName}`, detail: task.description, msgId: task.originalMsgId });
      } catch {
        // a feedback without a reference is still delivered; nothing to link
      }
    }
  }
}

async function endpointOf(ctx: EngineContext, herId: string): Promise<string> {
  try {
    return (await ctx.ar.resolveReceiver(herId)).endpoint.herId;
  } catch {
    return rootHerId(ctx.ar, herId);
  }
}

/** Builds the AppRec for a received message and the outbox row that carries it (no receipt expectation). */
async function buildReply(
  ctx: EngineContext,
  head: MsgHead,
  senderHerId: string,
  receiverHerId: string | undefined,
  status: '1' | '2' | '3',
  errors: readonly { readonly code: string; readonly text?: string }[],
  patientRef: string | undefined,
): Promise<{ readonly appRec: { readonly msgId: string; readonly xml: Uint8Array }; readonly message: OutgoingMessage }> {
  const resolved = await ctx.ar.resolveReceiver(senderHerId);
  // The AppRec speaks for the receiver it names. For a message addressed to a HER-id we do not
  // have (E21), that is the part of the receiver that is ours (or our main HER-id): an AppRec in
  // the name of the unknown receiver would fail the original sender's anti-spoofing check.
  let answered = head;
  let ourHer = receiverHerId !== undefined && ctx.ourHerIds.has(receiverHerId) ? receiverHerId : ctx.mainHerId;
  if (receiverHerId === undefined || !ctx.ourHerIds.has(receiverHerId)) {
    const ours =
      ourPartOf(head.msgInfo.receiver.organisation, ctx.ourHerIds) ??
      ({ name: (await ctx.ar.lookup(ctx.mainHerId))?.name ?? head.msgInfo.receiver.organisation.name, idents: [herIdent(ctx.mainHerId)] } satisfies Organisation);
    ourHer = deepestHerId(ours) ?? ctx.mainHerId;
    answered = { ...head, msgInfo: { ...head.msgInfo, receiver: { ...head.msgInfo.receiver, organisation: ours } } };
  }
  const receipt = receiptFor({ msgHead: answered }, {
    status,
    ...(errors.length === 0 ? {} : { errors: errors as never }),
    version: resolved.appRecVersion,
    clock: ctx.clock,
    idGenerator: ctx.newId,
    softwareName: 'samhandling',
  });
  const xml = encoder.encode(receipt.xml);
  const now = ctx.clock();
  const { payload, meta } = await protectFor(ctx, receipt.xml, senderHerId, {
    conversationId: head.msgInfo.conversationRef?.refToConversation ?? head.msgInfo.msgId,
    expectsReceipt: false,
  });
  return {
    appRec: { msgId: receipt.appRec.id, xml },
    message: {
      msgId: receipt.appRec.id,
      msgType: 'APPREC',
      senderHerId: ourHer,
      receiverHerId: senderHerId,
      conversationRef: meta.conversationId,
      ...(patientRef === undefined ? {} : { patientRef }),
      payload,
      transportMeta: meta as unknown as JsonValue,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ctx.retry.ttlMs),
    },
  };
}

async function answerDuplicate(
  ctx: EngineContext,
  claim: IncomingClaim,
  common: { readonly msgId: string; readonly senderHerId: string; readonly msgType: string; readonly patientRef?: string },
  firstHash: string | undefined,
  contentHash: string,
  head: MsgHead,
): Promise<void> {
  if (firstHash !== undefined && firstHash !== contentHash) {
    // The MsgId was reused with other content: E10 through the table, answered, not registered again.
    const decision = decideReceipt([{ code: 'ERR_MSG_DUPLICATE_CONFLICT', message: `MsgId ${common.msgId} was received before with other content` }]);
    if (decision.action !== 'apprec') return quarantine(ctx, claim, 'ERR_MSG_DUPLICATE_CONFLICT', 'MsgId reused with other content', common);
    const reply = await buildReply(ctx, head, common.senderHerId, deepestHerId(head.msgInfo.receiver.organisation), decision.status, decision.errors, common.patientRef);
    const { msgId: _m, senderHerId: _s, ...rest } = common;
    await ctx.store.recordIncomingResult(
      claim.incomingId,
      claim.lease,
      { state: 'rejected', ...rest, reason: 'ERR_MSG_DUPLICATE_CONFLICT', details: { msgId: common.msgId, senderHerId: common.senderHerId, status: decision.status, errors: decision.errors.map((e) => e.code) }, reply: reply.message },
      ctx.clock(),
    );
    ctx.wake();
    return;
  }
  const first = await ctx.store.findReceived(common.senderHerId, common.msgId);
  const now = ctx.clock();
  await ctx.store.recordIncomingResult(
    claim.incomingId,
    claim.lease,
    {
      state: 'duplicate',
      ...common,
      reason: 'ERR_MSG_DUPLICATE',
      ...(first?.appRecMsgId === undefined ? {} : { resendAppRec: { expiresAt: new Date(now.getTime() + ctx.retry.ttlMs) } }),
      audit: [{ subject: 'incoming', actor: ctx.engineActor, action: 'duplicate', at: now, ...(common.patientRef === undefined ? {} : { patientRef: common.patientRef }), details: { msgId: common.msgId } }],
    },
    now,
  );
  ctx.wake();
}

async function processAppRec(
  ctx: EngineContext,
  claim: IncomingClaim,
  meta: IncomingMeta,
  opened: Opened,
  root: ReturnType<typeof readXml>['root'],
): Promise<void> {
  let appRec: AppRec;
  try {
    appRec = parseAppRecTree(root);
  } catch (err) {
    return quarantine(ctx, claim, codeOf(err), 'a received AppRec cannot be read', { msgType: 'APPREC' });
  }
  const senderHerId = partyHerId(appRec.sender);
  const facts = { msgId: appRec.id, msgType: 'APPREC' };
  if (senderHerId === undefined) return quarantine(ctx, claim, 'ERR_APPREC_MISSING_SENDER', 'the AppRec sender has no HER-id', facts);
  try {
    await checkSender(ctx, senderHerId, opened.signer, meta);
  } catch (err) {
    if (err instanceof Stop) return quarantine(ctx, claim, err.code, err.message, { ...facts, senderHerId });
    throw err;
  }
  const outgoing = await ctx.store.getOutgoing(appRec.originalMsgId.id);
  const common = { ...facts, senderHerId, ...(outgoing?.patientRef === undefined ? {} : { patientRef: outgoing.patientRef }), conversationRef: appRec.originalMsgId.id };
  // The receipt state and the incoming outcome are written in ONE transaction; a concurrent change
  // of the receipt state (stale revision) writes nothing and the AppRec is decided again.
  let decision: AppRecDecision | undefined;
  for (let attempt = 0; attempt < 10 && decision === undefined; attempt++) {
    const d = await decideAppRec(ctx, appRec);
    if (d.kind === 'orphan' || d.kind === 'refused' || d.kind === 'conflict') {
      return quarantine(ctx, claim, d.code, `AppRec ${appRec.id} for ${appRec.originalMsgId.id}: ${d.kind}`, { ...facts, senderHerId });
    }
    try {
      await ctx.store.recordIncomingResult(
        claim.incomingId,
        claim.lease,
        {
          state: 'receipt',
          ...common,
          details: { status: appRec.status.v, originalMsgId: appRec.originalMsgId.id },
          contentHash: sha256(opened.xml),
          ...(d.kind === 'settled' ? { receiptUpdate: { message: d.message, expectedRevision: d.expectedRevision } } : {}),
        },
        ctx.clock(),
      );
      decision = d;
    } catch (err) {
      if (isStoreError(err) && err.code === 'ERR_STORE_CONFLICT' && err.table === 'receipt_tracking') continue;
      if (isStoreError(err) && err.code === 'ERR_STORE_DUPLICATE') {
        await ctx.store.recordIncomingResult(claim.incomingId, claim.lease, { state: 'duplicate', ...common, reason: 'ERR_MSG_DUPLICATE' }, ctx.clock());
        return;
      }
      throw err;
    }
  }
  if (decision === undefined) throw new Error(`receipt state of ${appRec.originalMsgId.id} kept changing concurrently`);
  if (decision.kind === 'settled') for (const e of decision.effects) await handleReceiptEffect(ctx, e);
  else await settleAgain(ctx, appRec.originalMsgId.id);
  const outMeta = outgoing?.transportMeta as unknown as OutgoingMeta | undefined;
  await ctx.downtime.recordSuccess(outMeta?.partnerHerId ?? (await endpointOf(ctx, senderHerId)), 'receipt');
}
