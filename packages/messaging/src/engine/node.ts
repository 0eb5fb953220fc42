/**
 * `createMessagingNode`: the engine behind the {@link MessagingNode} interface. It composes the
 * ports (Store, Transport, AddressRegister, Clock, EPJ, Notifier), runs the pipelines from a
 * scheduler loop (a timer plus wake-ups when work arrives; every deadline comes from persisted
 * timestamps), and answers the API with plain views. All state lives in the store: a process can
 * be killed at any point and restarted (leases expire, every step is idempotent). ADR 0013.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { buildErrorFeedback, isSettled } from '@samhandling/apprec';
import type { TrackedMessage } from '@samhandling/apprec';
import { unprotect } from '@samhandling/cms';
import type { CmsTrust, KeyPair } from '@samhandling/cms';
import { deepestHerId, parseMessage } from '@samhandling/plo';
import { createValidator } from '@samhandling/schema';
import type { Validator } from '@samhandling/schema';
import { createLocalAddressRegister } from '../address-register/local';
import type { AddressRegister } from '../address-register/types';
import { patientRef } from '../store/patient-ref';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import { isStoreError } from '../store/errors';
import { MANUAL_DELIVERY_REASON_PREFIX } from '../store/types';
import type { IncomingRecord, JsonValue, MessagingStore, OutgoingRecord, OutgoingState, QuarantineRecord } from '../store/types';
import { createEbxmlSmtpTransport } from '../transport/ebxml/smtp-transport';
import type { Transport } from '../transport/types';
import type {
  Actor,
  DowntimeNoticeInput,
  DowntimeView,
  EngineEvent,
  HealthView,
  InboxEntry,
  IncomingMessageView,
  IncomingState,
  ListFilter,
  ManualDeliveryEntry,
  MessageDetail,
  MessagingNode,
  MetricsView,
  AnswerClassificationInput,
  OutgoingMessageView,
  OutgoingTransportState,
  QuarantineView,
  ReceiptState,
  ReceiptView,
  StayOperations,
  StayView,
  SubmitMessageInput,
  SubmitResult,
  TaskView,
} from './api';
import { fromAppEngineConfig, isAppEngineConfig } from './app-config';
import type { AppEngineConfig } from './app-config';
import { resolveAuditRetentionMs, resolveDowntimePolicy, resolveRetryPolicy, resolveWorkerSettings } from './config';
import type { EngineLogger, MessagingNodeConfig, MessagingNodeDeps, Notifier } from './config';
import type { EngineContext, EngineCounters, IncomingMeta } from './context';
import { DowntimeMonitor, partnerView } from './downtime';
import { EngineError } from './errors';
import { processClaimed, storeIncoming } from './incoming';
import {
  acknowledge,
  applyProcedure,
  enqueue,
  msgIdForKey,
  msgIdOfTransmission,
  outgoingMeta,
  parsedArchive,
  prepareSubmission,
  procedureFor,
  readArchive,
  refusedByPeer,
  sendClaimed,
} from './outgoing';
import { lineageOf, organisationFor, patientIdOf } from './parties';
import { readdressed } from './readdress';
import { renderPrintableHtml } from './printable';
import { deliverManually, tickReceipts } from './receipts';
import { OverdueReceipts, TaskBook } from './records';
import type { TaskRecord } from './records';
import { classifyAnswer } from './answer-classification';
import { ensureCopies } from './copies';
import { classifierFromRule } from './answers';
import { Stays, defaultAnswerClassifier, staySummary } from './stays';

/** The engine: the {@link MessagingNode} interface plus hooks for tests, tools and operations. */
export interface MessagingEngine extends MessagingNode, StayOperations {
  /**
   * Runs every worker once at the clock's current time (send, receive, receipt deadlines, stay
   * deadlines, downtime), repeating while work is found. The scheduler loop calls it; tests and
   * tools may call it directly (a pass already running is awaited instead of started twice).
   */
  runOnce(): Promise<void>;
  /** The store in use (after start). */
  readonly store: MessagingStore | undefined;
  /** The transport in use (after start). */
  readonly transport: Transport | undefined;
}

const noopLogger: EngineLogger = { log: () => undefined };

function loggingNotifier(logger: EngineLogger): Notifier {
  return {
    send: async (n) => {
      logger.log('info', 'notice', { to: n.to, subject: n.subject });
    },
  };
}

async function mailNotifier(config: NonNullable<MessagingNodeConfig['notifications']>): Promise<Notifier & { close(): void }> {
  const nodemailer = (await import('nodemailer')).default;
  const t = nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure === true,
    ...(config.smtp.user === undefined ? {} : { auth: { user: config.smtp.user, pass: config.smtp.password ?? '' } }),
  });
  return {
    send: async (n) => {
      await t.sendMail({ from: config.from, to: [...n.to], subject: n.subject, text: n.text });
    },
    close: () => t.close(),
  };
}

function actorName(actor: Actor): string {
  if (typeof actor !== 'object' || actor === null || typeof actor.id !== 'string' || typeof actor.kind !== 'string') throw new TypeError('actor { kind, id } is required');
  return `${actor.kind}:${actor.id}`;
}

function herNumber(her: string | undefined): number {
  return her === undefined ? 0 : Number(her);
}

const OPEN_OUTGOING: readonly OutgoingState[] = ['queued', 'sending', 'sent', 'failed'];

function transportState(rec: OutgoingRecord): OutgoingTransportState {
  if (rec.state === 'failed' && rec.lastError?.startsWith('held:') === true) return 'held';
  if (rec.state === 'dead-letter' && rec.deadLetterReason?.startsWith(MANUAL_DELIVERY_REASON_PREFIX) === true) return 'manual';
  return rec.state;
}

function receiptView(tracked: TrackedMessage | undefined): ReceiptView {
  if (tracked === undefined) return { state: 'not-expected', history: [] };
  const last = [...tracked.history].reverse().find((h) => isSettled(h.state));
  const status = last === undefined ? undefined : last.state === 'ok' ? '1' : last.state === 'rejected' ? '2' : '3';
  return {
    state: tracked.state,
    deadline: tracked.deadline,
    ...(status === undefined ? {} : { status }),
    ...(last?.errors === undefined ? {} : { errors: last.errors.map((e) => ({ code: e.code, ...(e.text === undefined ? {} : { text: e.text }) })) }),
    history: tracked.history.map((h) => ({ state: h.state as ReceiptState, at: h.at })),
  };
}

function incomingState(rec: IncomingRecord): IncomingState {
  switch (rec.state) {
    case 'received':
    case 'processing':
      return 'received';
    case 'discarded':
      return 'rejected';
    default:
      return rec.state;
  }
}

function detailsOf(rec: { readonly details?: JsonValue }): Record<string, unknown> {
  const d = rec.details;
  return d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
}

function quarantineState(q: QuarantineRecord): QuarantineView['state'] {
  if (q.handledAt !== undefined) return 'handled';
  const kinds = q.actions.map((a) => a.action);
  if (kinds.includes('forward')) return 'forwarded';
  if (kinds.includes('feedback-sent')) return 'feedback-sent';
  return 'open';
}

function page<T>(items: readonly T[], filter: { readonly limit?: number; readonly offset?: number }): T[] {
  const offset = filter.offset ?? 0;
  const limit = filter.limit ?? 100;
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError('offset must be a non-negative integer');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError('limit must be an integer from 1 to 1000');
  return items.slice(offset, offset + limit);
}

class Engine implements MessagingEngine {
  readonly #config: MessagingNodeConfig;
  readonly #deps: MessagingNodeDeps;
  #ctx: EngineContext | undefined;
  #owned: { store: boolean; notifier: (() => void) | undefined } = { store: false, notifier: undefined };
  readonly #listeners = new Set<(e: EngineEvent) => void>();
  #timer: unknown;
  #running = false;
  #pass: Promise<void> | undefined;
  #again = false;
  /** The time-based steps (receipts, stay deadlines, downtime, purge) are asked for (timer, runOnce). */
  #periodicDue = true;
  /** performance.now() of the last pass that ran the time-based steps. */
  #lastPeriodic = Number.NEGATIVE_INFINITY;
  #lastPurge = 0;
  #lastPassError: string | undefined;
  readonly #counters: EngineCounters = { sendFailuresTotal: 0, messagesSentTotal: 0, messagesReceivedTotal: 0, receiptLatenciesMs: [] };

  constructor(config: MessagingNodeConfig, deps: MessagingNodeDeps) {
    if (typeof config !== 'object' || config === null) throw new TypeError('createMessagingNode needs a configuration');
    if (config.role !== 'hospital' && config.role !== 'municipality') throw new TypeError("config.role must be 'hospital' or 'municipality'");
    if (config.herIds === undefined || config.herIds.main === undefined) throw new TypeError('config.herIds.main is required');
    if (config.credentials?.signing === undefined || config.credentials.encryption === undefined || !Array.isArray(config.credentials.trustAnchors)) {
      throw new TypeError('config.credentials needs signing, encryption and trustAnchors');
    }
    if (deps.store === undefined && config.store === undefined) throw new TypeError('give deps.store or config.store.sqlitePath');
    if (deps.addressRegister === undefined && config.addressRegisterFile === undefined) throw new TypeError('give deps.addressRegister or config.addressRegisterFile');
    if (deps.transport === undefined && config.smtp === undefined) throw new TypeError('give deps.transport or config.smtp');
    resolveRetryPolicy(config.retry);
    resolveDowntimePolicy(config.downtime);
    resolveWorkerSettings(config.workers);
    resolveAuditRetentionMs(config.auditRetentionMs);
    this.#config = config;
    this.#deps = deps;
  }

  get store(): MessagingStore | undefined {
    return this.#ctx?.store;
  }

  get transport(): Transport | undefined {
    return this.#ctx?.transport;
  }

  #c(): EngineContext {
    if (this.#ctx === undefined || !this.#running) throw new EngineError('ERR_MSG_NOT_RUNNING');
    return this.#ctx;
  }

  #emit(event: EngineEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // a listener that throws must not break the engine
      }
    }
  }

  async start(): Promise<void> {
    if (this.#running) return;
    const config = this.#config;
    const deps = this.#deps;
    const clock = deps.clock ?? (() => new Date());
    const logger = deps.logger ?? noopLogger;
    const store = deps.store ?? (await openSqliteStore({ path: (config.store as { sqlitePath: string }).sqlitePath, clock }));
    this.#owned.store = deps.store === undefined;
    const ar: AddressRegister = deps.addressRegister ?? createLocalAddressRegister({ file: config.addressRegisterFile as string, clock });
    const mainHerId = String(config.herIds.main);
    const ours = new Set<string>((config.herIds.all ?? []).map(String));
    ours.add(mainHerId);
    if (config.herIds.all === undefined) for (const p of await lineageOf(ar, mainHerId)) ours.add(p.herId);
    let transport = deps.transport;
    if (transport === undefined) {
      const smtp = config.smtp as NonNullable<MessagingNodeConfig['smtp']>;
      transport = createEbxmlSmtpTransport({
        localHerIds: [...ours],
        mailbox: smtp.mailbox,
        signer: { certificate: config.credentials.signing.certificate, key: config.credentials.signing.key },
        addressRegister: ar,
        server: { host: smtp.listen.host, port: smtp.listen.port },
        client: { timeoutMs: smtp.clientTimeoutMs ?? 30_000 },
        seenMessages: store.seenMessages,
        // several instances share one store but only one receives (the register's address): a
        // message another instance saw acknowledged, or that left the 'sent' state, is not resent
        acknowledgedElsewhere: async (messageId) => {
          const rec = await store.getOutgoing(msgIdOfTransmission(messageId));
          if (rec === undefined) return true;
          if (rec.state === 'sending') return false;
          return rec.state !== 'sent' || (rec.transportMessageId !== undefined && rec.transportMessageId !== messageId);
        },
        clock,
      });
    }
    let notifier = deps.notifier;
    if (notifier === undefined) {
      if (config.notifications !== undefined) {
        const mail = await mailNotifier(config.notifications);
        this.#owned.notifier = () => mail.close();
        notifier = mail;
      } else notifier = loggingNotifier(logger);
    }
    const allowSynthetic = config.testEnvironment === true;
    const validator: Validator = deps.validator ?? createValidator({ environment: allowSynthetic ? 'test' : 'production', clock });
    const refKey = config.patientRefKey ?? derivedRefKey(config.credentials.signing.key);
    const engineActor = `engine:${config.instanceId ?? 'engine'}`;
    const tasks = new TaskBook(store, clock);
    const emit = (e: EngineEvent): void => this.#emit(e);
    const decryptionKeys: KeyPair[] = [config.credentials.encryption, ...(config.credentials.previousEncryption ?? [])];
    const trust: CmsTrust = {
      anchors: config.credentials.trustAnchors,
      ...(config.credentials.intermediates === undefined ? {} : { intermediates: config.credentials.intermediates }),
      ...(config.credentials.revocation === undefined ? {} : { revocation: config.credentials.revocation }),
      ...(config.credentials.revocationPolicy === undefined ? {} : { policy: config.credentials.revocationPolicy }),
    };
    const stays = new Stays(store, clock, tasks, config.role, config.procedurePolicy, allowSynthetic, {
      emitStayChanged: (key) => emit({ type: 'stay-changed', stayKey: key }),
      emitAlarm: (taskId, title) => emit({ type: 'alarm', taskId, title }),
    }, config.stayPartition);
    const downtimePolicy = resolveDowntimePolicy(config.downtime);
    const downtime = new DowntimeMonitor(store, clock, ar, downtimePolicy, notifier, [...ours], config.meldingsansvarlig, tasks, engineActor, logger, {
      emitDowntime: (herId, state) => emit({ type: 'downtime', partnerHerId: Number(herId), state }),
      emitAlarm: (taskId, title) => emit({ type: 'alarm', taskId, title }),
    });
    const ctx: EngineContext = {
      config,
      role: config.role,
      retry: resolveRetryPolicy(config.retry),
      downtimePolicy,
      workers: resolveWorkerSettings(config.workers),
      receiptPolicy: config.receipts ?? {},
      store,
      transport,
      ar,
      clock,
      epj: deps.epj ?? { findPatient: async () => ({ found: true }) },
      notifier,
      validator,
      random: deps.random ?? Math.random,
      newId: deps.idGenerator ?? randomUUID,
      classifier: deps.answerClassifier ?? (config.answerRule === undefined ? defaultAnswerClassifier : classifierFromRule(config.answerRule)),
      logger,
      credentials: config.credentials,
      decryptionKeys,
      trust,
      mainHerId,
      ourHerIds: ours,
      engineActor,
      allowSynthetic,
      tasks,
      overdue: new OverdueReceipts(store, clock),
      stays,
      downtime,
      counters: this.#counters,
      refused: new Map(),
      patientRef: (id) => patientRef(id, refKey),
      emit,
      audit: async (actor, action, subjectType, subjectId, ref, details) => {
        await store.audit({ actor, action, subjectType, subjectId, ...(ref === undefined ? {} : { patientRef: ref }), at: clock(), ...(details === undefined ? {} : { details }) });
      },
      wake: () => this.#wake(),
    };
    this.#ctx = ctx;
    transport.onMessage((m) => storeIncoming(ctx, m));
    transport.onAcknowledgment((ack) => acknowledge(ctx, ack.messageId).then(() => this.#wake()));
    transport.onMessageError(async (e) => {
      const msgId = msgIdOfTransmission(e.messageId);
      const text = e.errors.map((x) => `${x.code}${x.description === undefined ? '' : ` ${x.description}`}`).join('; ');
      logger.log('warn', 'transport-message-error', { msgId, errors: text });
      await refusedByPeer(ctx, msgId, text);
    });
    transport.onDeliveryFailure(async (f) => {
      const rec = await store.getOutgoing(msgIdOfTransmission(f.messageId));
      const meta = rec === undefined ? undefined : outgoingMeta(rec);
      await downtime.recordFailure(meta?.partnerHerId ?? f.to, f.error.code);
    });
    transport.onError((i) => logger.log('warn', 'transport-incident', { stage: i.stage, code: i.error.code, message: i.error.message }));
    await transport.start();
    this.#running = true;
    logger.log('info', 'engine-started', { herIds: [...ours], transport: transport.name });
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    if (this.#timer !== undefined) (this.#deps.timers ?? globalTimers).clearTimeout(this.#timer);
    this.#timer = undefined;
    const ctx = this.#ctx;
    if (this.#pass !== undefined) await this.#pass.catch(() => undefined);
    if (ctx !== undefined) {
      await ctx.transport.stop();
      if (this.#pass !== undefined) await this.#pass.catch(() => undefined);
      this.#owned.notifier?.();
      if (this.#owned.store) await ctx.store.close();
      ctx.logger.log('info', 'engine-stopped');
    }
  }

  /** `periodic`: the timer of the poll interval (runs the time-based steps); else a wake-up for new work. */
  #schedule(ms: number, periodic = true): void {
    if (!this.#running) return;
    const timers = this.#deps.timers ?? globalTimers;
    if (this.#timer !== undefined) timers.clearTimeout(this.#timer);
    this.#timer = timers.setTimeout(() => {
      this.#timer = undefined;
      if (periodic) this.#periodicDue = true;
      void this.#run()
        .catch(() => undefined)
        .finally(() => this.#schedule(this.#pollIntervalMs()));
    }, ms);
  }

  #pollIntervalMs(): number {
    return this.#ctx?.workers.pollIntervalMs ?? 1000;
  }

  #wake(): void {
    if (!this.#running) return;
    if (this.#pass !== undefined) {
      this.#again = true;
      return;
    }
    this.#schedule(0, false);
  }

  runOnce(): Promise<void> {
    this.#periodicDue = true;
    return this.#run();
  }

  /**
   * Passes until no work is left. A pass always claims incoming and outgoing work; the time-based
   * steps (overdue receipts, stay deadlines, downtime, audit purge) only read the store to find
   * what is due, so they run when asked for (the poll timer, `runOnce`) or when the last such run
   * is a poll interval old, not on every wake-up for new work (ADR 0015).
   */
  #run(): Promise<void> {
    if (this.#pass !== undefined) {
      this.#again = true;
      return this.#pass;
    }
    const pass = (async () => {
      try {
        let rounds = 0;
        do {
          this.#again = false;
          const periodic = this.#periodicDue || performance.now() - this.#lastPeriodic >= this.#pollIntervalMs();
          this.#periodicDue = false;
          if (periodic) this.#lastPeriodic = performance.now();
          const busy = await this.#passOnce(periodic);
          if (busy) this.#again = true;
          rounds++;
        } while ((this.#again || this.#periodicDue) && this.#running && rounds < 50);
      } finally {
        this.#pass = undefined;
      }
    })();
    this.#pass = pass;
    return pass;
  }

  async #passOnce(periodic: boolean): Promise<boolean> {
    const ctx = this.#ctx;
    if (ctx === undefined || !this.#running) return false;
    let busy = false;
    const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        this.#lastPassError = `${name}: ${(err as Error).message}`;
        ctx.logger.log('error', 'worker-failed', { worker: name, message: (err as Error).message, code: (err as { code?: unknown }).code });
      }
    };
    const claimOpts = () => ({ workerId: `${ctx.engineActor}:${randomUUID().slice(0, 8)}`, now: ctx.clock(), limit: ctx.workers.batchSize, leaseMs: ctx.workers.leaseMs });
    await step('incoming', async () => {
      const claims = await ctx.store.claimIncoming(claimOpts());
      if (claims.length > 0) busy = true;
      await Promise.all(claims.map((c) => processClaimed(ctx, c)));
    });
    await step('outgoing', async () => {
      const claims = await ctx.store.claimOutgoing(claimOpts());
      if (claims.length > 0) busy = true;
      await Promise.all(claims.map((c) => sendClaimed(ctx, c)));
    });
    if (!periodic) {
      if (busy) this.#lastPassError = undefined;
      return busy;
    }
    await step('receipts', () => tickReceipts(ctx, 500));
    await step('stays', () => ctx.stays.tick());
    await step('downtime', () => ctx.downtime.evaluate());
    const retention = ctx.config.auditRetentionMs;
    if (retention !== undefined && ctx.clock().getTime() - this.#lastPurge > 60 * 60_000) {
      await step('audit-purge', async () => {
        await ctx.store.purgeAudit({ retainMs: retention, actor: ctx.engineActor, now: ctx.clock() });
        this.#lastPurge = ctx.clock().getTime();
      });
    }
    if (busy) this.#lastPassError = undefined;
    return busy;
  }

  // --- outgoing ---

  async submit(input: SubmitMessageInput, actor: Actor): Promise<SubmitResult> {
    const ctx = this.#c();
    const who = actorName(actor);
    if (typeof input !== 'object' || input === null) throw new TypeError('submit needs an input');
    if (typeof input.type !== 'string' || input.type === '') throw new TypeError('input.type is required');
    if (!Number.isSafeInteger(Number(input.receiverHerId))) throw new TypeError('input.receiverHerId must be a HER-id');
    if (typeof input.patient !== 'object' || input.patient === null || typeof input.content !== 'object' || input.content === null) {
      throw new TypeError('input.patient and input.content must be objects');
    }
    const senderHerId = String(input.senderHerId ?? ctx.mainHerId);
    const msgId = input.idempotencyKey === undefined ? ctx.newId() : msgIdForKey(senderHerId, input.idempotencyKey);
    if (input.idempotencyKey !== undefined) {
      const existing = await ctx.store.getOutgoing(msgId);
      if (existing !== undefined) return this.#afterEnqueue(ctx, existing, who);
    }
    const prepared = await prepareSubmission(ctx, input, msgId);
    if (!prepared.ok) {
      await ctx.audit(who, 'submit-refused', 'outgoing', msgId, undefined, { type: input.type, issues: prepared.issues.length });
      return { accepted: false, issues: prepared.issues };
    }
    const receiverHerId = String(input.receiverHerId);
    const proc = await procedureFor(ctx, prepared.parsed, 'outgoing', receiverHerId, senderHerId);
    const pid = patientIdOf(prepared.parsed.msgHead.msgInfo.patient);
    let rec: OutgoingRecord;
    try {
      rec = await enqueue(ctx, {
        xml: prepared.xml,
        msgHead: prepared.parsed.msgHead,
        msgId,
        msgType: input.type,
        senderHerId,
        receiverHerId,
        conversationId: prepared.conversation?.refToConversation ?? msgId,
        ...(input.inReplyTo === undefined ? {} : { refToMessageId: input.inReplyTo }),
        ...(pid === undefined ? {} : { patientRef: ctx.patientRef(pid) }),
        expectReceipt: true,
        ...(proc.stayKey === undefined ? {} : { stayKey: proc.stayKey }),
        ...(proc.procedure === undefined ? {} : { procedure: proc.procedure }),
        ...(input.copyTo === undefined || input.copyTo.length === 0 ? {} : { copies: input.copyTo.map(String) }),
        audit: { actor: who, action: 'submit', subjectType: 'outgoing', subjectId: msgId, ...(pid === undefined ? {} : { patientRef: ctx.patientRef(pid) }), at: ctx.clock(), details: { type: input.type, receiverHerId } },
      });
    } catch (err) {
      if (isStoreError(err) && err.code === 'ERR_STORE_CONFLICT' && input.idempotencyKey !== undefined) {
        const existing = await ctx.store.getOutgoing(msgId);
        if (existing !== undefined) return this.#afterEnqueue(ctx, existing, who);
      }
      throw err;
    }
    return this.#afterEnqueue(ctx, rec, who, true);
  }

  /** After the outbox row is stored; `audited`: its submit audit entry was written with it. */
  async #afterEnqueue(ctx: EngineContext, rec: OutgoingRecord, who: string, audited = false): Promise<SubmitResult> {
    const meta = outgoingMeta(rec);
    if (meta !== undefined) await applyProcedure(ctx, meta, { msgId: rec.msgId, type: rec.msgType, at: rec.createdAt.toISOString(), direction: 'outgoing' });
    // The message is stored: a copy that cannot be made now is made before the message is sent (sendClaimed).
    if (meta?.copies !== undefined) await ensureCopies(ctx, rec).catch((err: unknown) => ctx.logger.log('warn', 'copies-deferred', { msgId: rec.msgId, code: String((err as { code?: unknown }).code ?? 'unknown') }));
    if (!audited) await ctx.audit(who, 'submit', 'outgoing', rec.msgId, rec.patientRef, { type: rec.msgType, receiverHerId: rec.receiverHerId });
    ctx.emit({ type: 'transport', msgId: rec.msgId, state: 'queued' });
    this.#wake();
    return { accepted: true, msgId: rec.msgId, message: await this.#outgoingView(ctx, rec) };
  }

  async #outgoingView(ctx: EngineContext, rec: OutgoingRecord): Promise<OutgoingMessageView> {
    const meta = outgoingMeta(rec);
    const tracked = await ctx.store.receipts.get(rec.msgId);
    const state = transportState(rec);
    return {
      msgId: rec.msgId,
      type: rec.msgType,
      senderHerId: herNumber(rec.senderHerId),
      receiverHerId: herNumber(rec.receiverHerId),
      createdAt: rec.createdAt.toISOString(),
      transport: {
        state,
        attempts: rec.attempts,
        ...(rec.lastError === undefined ? {} : { lastError: rec.deadLetterReason ?? rec.lastError }),
        ...(rec.nextAttemptAt === undefined || rec.state === 'acknowledged' ? {} : { nextAttemptAt: rec.nextAttemptAt.toISOString() }),
      },
      receipt: receiptView(tracked),
      ...(meta?.stayKey === undefined ? {} : { stayKey: meta.stayKey }),
    };
  }

  #incomingView(rec: IncomingRecord): IncomingMessageView {
    const d = detailsOf(rec);
    const msgId = rec.msgId ?? (typeof d['msgId'] === 'string' ? d['msgId'] : undefined);
    const sender = rec.senderHerId ?? (typeof d['senderHerId'] === 'string' ? d['senderHerId'] : undefined);
    const status = d['status'];
    const errors = Array.isArray(d['errors']) ? (d['errors'] as unknown[]).filter((e): e is string => typeof e === 'string') : [];
    return {
      id: rec.incomingId,
      ...(msgId === undefined ? {} : { msgId }),
      ...(rec.msgType === undefined ? {} : { type: rec.msgType }),
      ...(sender === undefined ? {} : { senderHerId: herNumber(sender) }),
      ...(rec.receiverHerId === undefined ? {} : { receiverHerId: herNumber(rec.receiverHerId) }),
      receivedAt: rec.receivedAt.toISOString(),
      state: incomingState(rec),
      ...((status === '1' || status === '2' || status === '3') && rec.state !== 'receipt' ? { appRec: { status, errors } } : {}),
      ...(typeof d['stayKey'] === 'string' ? { stayKey: d['stayKey'] } : {}),
    };
  }

  async listOutgoing(filter: ListFilter, actor: Actor): Promise<readonly OutgoingMessageView[]> {
    const ctx = this.#c();
    const who = actorName(actor);
    const storeState = filter.state === 'held' ? 'failed' : filter.state === 'manual' ? 'dead-letter' : (filter.state as OutgoingState | undefined);
    const recs = await ctx.store.listOutgoing({ ...(storeState === undefined ? {} : { state: storeState }), limit: 1000 });
    const views: OutgoingMessageView[] = [];
    for (const rec of recs) {
      if (filter.type !== undefined && rec.msgType !== filter.type) continue;
      if (storeState !== undefined && filter.state !== transportState(rec)) continue;
      const view = await this.#outgoingView(ctx, rec);
      if (filter.stayKey !== undefined && view.stayKey !== filter.stayKey) continue;
      views.push(view);
    }
    const out = page(views, filter);
    await ctx.audit(who, 'list', 'outgoing', '*', undefined, { count: out.length });
    return out;
  }

  async listIncoming(filter: ListFilter, actor: Actor): Promise<readonly IncomingMessageView[]> {
    const ctx = this.#c();
    const who = actorName(actor);
    const recs = await ctx.store.listIncoming({ limit: 1000 });
    const views = recs
      .map((r) => this.#incomingView(r))
      .filter((v) => (filter.type === undefined || v.type === filter.type) && (filter.state === undefined || v.state === filter.state) && (filter.stayKey === undefined || v.stayKey === filter.stayKey));
    const out = page(views, filter);
    await ctx.audit(who, 'list', 'incoming', '*', undefined, { count: out.length });
    return out;
  }

  async #incomingXml(ctx: EngineContext, incomingId: string): Promise<{ rec: IncomingRecord; xml: string | undefined } | undefined> {
    const rec = await ctx.store.getIncoming(incomingId);
    if (rec === undefined) return undefined;
    const meta = rec.transportMeta as unknown as IncomingMeta | undefined;
    if (meta?.payloadKind === 'business-document') return { rec, xml: Buffer.from(rec.payload).toString('utf8') };
    try {
      const opened = await unprotect(rec.payload, { decryptionKeys: ctx.decryptionKeys, trust: ctx.trust, clock: () => rec.receivedAt });
      return { rec, xml: Buffer.from(opened.content).toString('utf8') };
    } catch {
      return { rec, xml: undefined };
    }
  }

  async getMessage(direction: 'outgoing' | 'incoming', id: string, actor: Actor): Promise<MessageDetail | undefined> {
    const ctx = this.#c();
    const who = actorName(actor);
    if (direction === 'outgoing') {
      const rec = await ctx.store.getOutgoing(id);
      if (rec === undefined) return undefined;
      const doc = parsedArchive(ctx, outgoingMeta(rec));
      await ctx.audit(who, 'read', 'outgoing', id, rec.patientRef);
      return { direction, summary: await this.#outgoingView(ctx, rec), ...(doc?.parsed === undefined ? {} : { parsed: doc.parsed }), ...(doc === undefined ? {} : { xml: doc.xml }) };
    }
    if (direction !== 'incoming') throw new TypeError("direction must be 'outgoing' or 'incoming'");
    const found = await this.#incomingXml(ctx, id);
    if (found === undefined) return undefined;
    await ctx.audit(who, 'read', 'incoming', id, found.rec.patientRef);
    let parsed: unknown;
    if (found.xml !== undefined) {
      try {
        parsed = JSON.parse(JSON.stringify(parseMessage(found.xml), (k, v: unknown) => (k === 'definition' ? undefined : v))) as unknown;
      } catch {
        parsed = undefined;
      }
    }
    return { direction, summary: this.#incomingView(found.rec), ...(parsed === undefined ? {} : { parsed }), ...(found.xml === undefined ? {} : { xml: found.xml }) };
  }

  async resend(msgId: string, actor: Actor): Promise<void> {
    const ctx = this.#c();
    const who = actorName(actor);
    const rec = await ctx.store.getOutgoing(msgId);
    if (rec === undefined) throw new EngineError('ERR_MSG_NOT_FOUND', `no outgoing message ${msgId}`);
    const now = ctx.clock();
    const expiresAt = new Date(now.getTime() + ctx.retry.ttlMs);
    if (transportState(rec) === 'manual') {
      throw new EngineError('ERR_MSG_INVALID_STATE', `message ${msgId} was delivered by hand; it is not sent electronically again`);
    } else if (rec.state === 'dead-letter') {
      await ctx.store.resendOutgoing(msgId, { actor: who, now, expiresAt });
    } else if (rec.state === 'failed') {
      await ctx.store.requeueOutgoing(msgId, { now, expiresAt });
      await ctx.audit(who, 'resend', 'outgoing', msgId, rec.patientRef);
    } else {
      throw new EngineError('ERR_MSG_INVALID_STATE', `message ${msgId} is ${rec.state}; only dead-lettered or held messages can be resent`);
    }
    for (const t of await ctx.tasks.list()) if (!t.done && t.msgId === msgId && t.id.startsWith('dead-letter:')) await ctx.tasks.complete(t.id, who);
    ctx.emit({ type: 'transport', msgId, state: 'queued' });
    this.#wake();
  }

  // --- inbox ---

  async listInbox(filter: { readonly unacknowledgedOnly?: boolean; readonly limit?: number }, actor: Actor): Promise<readonly InboxEntry[]> {
    const ctx = this.#c();
    const who = actorName(actor);
    const limit = filter.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError('limit must be an integer from 1 to 1000');
    const items = await ctx.store.listInbox({ pendingOnly: filter.unacknowledgedOnly === true, limit });
    const out = items.map(
      (i): InboxEntry => ({
        id: i.inboxId,
        msgId: i.msgId,
        type: i.msgType,
        senderHerId: herNumber(i.senderHerId),
        receivedAt: i.deliveredAt.toISOString(),
        acknowledged: i.ackedAt !== undefined,
        xml: Buffer.from(i.payload).toString('utf8'),
      }),
    );
    for (const i of items) await ctx.audit(who, 'read', 'inbox', i.inboxId, i.patientRef, { msgId: i.msgId });
    return out;
  }

  async acknowledgeInbox(inboxId: string, actor: Actor): Promise<void> {
    const ctx = this.#c();
    const who = actorName(actor);
    try {
      await ctx.store.ackInbox(inboxId, { actor: who, now: ctx.clock() });
    } catch (err) {
      if (isStoreError(err) && err.code === 'ERR_STORE_NOT_FOUND') throw new EngineError('ERR_MSG_NOT_FOUND', `no inbox item ${inboxId}`, { cause: err });
      throw err;
    }
    await ctx.audit(who, 'acknowledge', 'inbox', inboxId);
  }

  // --- stays and tasks ---

  async listStays(actor: Actor): Promise<readonly StayView[]> {
    const ctx = this.#c();
    const who = actorName(actor);
    const out: StayView[] = [];
    for (const rec of await ctx.stays.list()) {
      out.push({ key: rec.key, procedure: staySummary(rec), messages: rec.messages });
      await ctx.audit(who, 'read', 'procedure', rec.key, rec.patientRef);
    }
    return out;
  }

  async getStay(key: string, actor: Actor): Promise<StayView | undefined> {
    const ctx = this.#c();
    const who = actorName(actor);
    const rec = await ctx.stays.get(key);
    if (rec === undefined) return undefined;
    await ctx.audit(who, 'read', 'procedure', rec.key, rec.patientRef);
    return { key: rec.key, procedure: staySummary(rec), messages: rec.messages };
  }

  async classifyAnswer(msgId: string, classification: AnswerClassificationInput, actor: Actor): Promise<StayView> {
    return classifyAnswer(this.#c(), msgId, classification, actorName(actor));
  }

  async listTasks(filter: { readonly open?: boolean }, actor: Actor): Promise<readonly TaskView[]> {
    const ctx = this.#c();
    actorName(actor);
    const tasks = await ctx.tasks.list();
    return tasks
      .filter((t) => filter.open === undefined || filter.open === !t.done)
      .map((t: TaskRecord): TaskView => {
        const { doneAt: _a, doneBy: _b, ...view } = t;
        return view;
      });
  }

  async completeTask(id: string, actor: Actor): Promise<void> {
    const ctx = this.#c();
    const who = actorName(actor);
    const task = await ctx.tasks.get(id);
    if (task === undefined) throw new EngineError('ERR_MSG_NOT_FOUND', `no task ${id}`);
    await ctx.tasks.complete(id, who);
    await ctx.audit(who, 'complete-task', 'task', id);
  }

  // --- quarantine ---

  async listQuarantine(actor: Actor): Promise<readonly QuarantineView[]> {
    const ctx = this.#c();
    const who = actorName(actor);
    const list = await ctx.store.listQuarantine({ openOnly: false, limit: 1000 });
    await ctx.audit(who, 'list', 'quarantine', '*', undefined, { count: list.length });
    return list.map((q) => {
      const d = detailsOf(q);
      return {
        id: q.quarantineId,
        incomingId: q.incomingId,
        reason: typeof d['text'] === 'string' ? d['text'] : q.reason,
        code: typeof d['code'] === 'string' ? d['code'] : q.reason,
        createdAt: q.createdAt.toISOString(),
        state: quarantineState(q),
        actions: q.actions.map((a) => ({
          action: a.action,
          actor: a.actor,
          at: a.at.toISOString(),
          ...(a.note === undefined && a.targetHerId === undefined ? {} : { detail: [a.note, a.targetHerId === undefined ? undefined : `to ${a.targetHerId}`, a.msgId].filter(Boolean).join(' ') }),
        })),
      };
    });
  }

  async #quarantined(ctx: EngineContext, id: string): Promise<{ q: QuarantineRecord; rec: IncomingRecord; xml: string }> {
    const q = await ctx.store.getQuarantine(id);
    if (q === undefined) throw new EngineError('ERR_MSG_NOT_FOUND', `no quarantine entry ${id}`);
    if (q.handledAt !== undefined) throw new EngineError('ERR_MSG_INVALID_STATE', `quarantine entry ${id} is handled`);
    const found = await this.#incomingXml(ctx, q.incomingId);
    if (found?.xml === undefined) throw new EngineError('ERR_MSG_INVALID_STATE', `the message of quarantine entry ${id} cannot be read`);
    return { q, rec: found.rec, xml: found.xml };
  }

  async forwardQuarantined(id: string, toHerId: number, actor: Actor): Promise<void> {
    const ctx = this.#c();
    const who = actorName(actor);
    if (!Number.isSafeInteger(toHerId) || toHerId <= 0) throw new TypeError('toHerId must be a HER-id');
    const { q, rec, xml } = await this.#quarantined(ctx, id);
    const parsed = parseMessage(xml);
    const info = parsed.msgHead.msgInfo;
    const target = String(toHerId);
    if (ctx.ourHerIds.has(target)) {
      // Inside our organisation (ADR 0016): re-addressed to the receiver it was meant for and
      // delivered to our own EPJ inbox, once (the inbox is keyed by sender and MsgId). The sender's
      // signature cannot travel on to another party, so nothing is sent.
      const now = ctx.clock();
      const name = (await ctx.ar.lookup(target))?.name ?? target;
      const senderHerId = rec.senderHerId ?? deepestHerId(info.sender.organisation);
      if (senderHerId === undefined) throw new EngineError('ERR_MSG_INVALID_STATE', 'the quarantined message has no sender HER-id');
      const delivered = await ctx.store.deliverToInbox({
        incomingId: q.incomingId,
        senderHerId,
        msgId: info.msgId,
        msgType: info.type.v,
        ...(info.conversationRef?.refToConversation === undefined ? {} : { conversationRef: info.conversationRef.refToConversation }),
        ...(rec.patientRef === undefined ? {} : { patientRef: rec.patientRef }),
        payload: new TextEncoder().encode(readdressed(xml, { herId: target, name }, ctx.ourHerIds)),
        deliveredAt: now,
      });
      await ctx.store.recordQuarantineAction(q.quarantineId, { action: 'forward', actor: who, at: now, targetHerId: target, note: `delivered to our EPJ inbox (${delivered.inboxId})` });
      if (delivered.created) ctx.emit({ type: 'incoming-delivered', inboxId: delivered.inboxId, msgId: info.msgId, msgType: info.type.v });
      return;
    }
    // Outside our organisation the document would reach the target signed by the original sender
    // but sent by us, which the target's anti-spoofing check refuses (ADR 0016).
    throw new EngineError(
      'ERR_MSG_INVALID_STATE',
      `HER-id ${target} is not ours: a message cannot be forwarded outside our organisation; send a Tilbakemelding om feil so that the sender sends it to ${target}`,
    );
  }

  async sendErrorFeedback(id: string, reason: '1' | '2' | '9', text: string, actor: Actor): Promise<void> {
    const ctx = this.#c();
    const who = actorName(actor);
    if (reason !== '1' && reason !== '2' && reason !== '9') throw new TypeError("reason must be '1', '2' or '9'");
    if (typeof text !== 'string' || text.trim() === '') throw new TypeError('text is required');
    const { q, rec, xml } = await this.#quarantined(ctx, id);
    const received = parseMessage(xml);
    const senderHerId = deepestHerId(received.msgHead.msgInfo.sender.organisation);
    // A misdirected message names another receiver: the feedback comes from us.
    const named = deepestHerId(received.msgHead.msgInfo.receiver.organisation);
    const ourOrg = named !== undefined && ctx.ourHerIds.has(named) ? undefined : await organisationFor(ctx.ar, ctx.mainHerId);
    const original =
      ourOrg === undefined ? received : { ...received, msgHead: { ...received.msgHead, msgInfo: { ...received.msgHead.msgInfo, receiver: { organisation: ourOrg } } } };
    if (senderHerId === undefined) throw new EngineError('ERR_MSG_INVALID_STATE', 'the quarantined message has no sender HER-id');
    const msgId = msgIdForKey(ctx.mainHerId, `feedback:${q.quarantineId}`);
    if ((await ctx.store.getOutgoing(msgId)) === undefined) {
      const feedback = buildErrorFeedback(original, { reason, description: text, msgId }, { clock: ctx.clock, allowSyntheticPersonIds: ctx.allowSynthetic });
      const report = ctx.validator.validate(feedback);
      const errors = report.issues.filter((i) => i.severity === 'error');
      if (errors.length > 0) throw new EngineError('ERR_MSG_INVALID_STATE', `the feedback does not validate: ${errors.map((e) => e.code).join(', ')}`);
      const parsed = parseMessage(feedback);
      await enqueue(ctx, {
        xml: feedback,
        msgHead: parsed.msgHead,
        msgId,
        msgType: 'DIALOG_AVVIK',
        senderHerId: deepestHerId(parsed.msgHead.msgInfo.sender.organisation) ?? ctx.mainHerId,
        receiverHerId: senderHerId,
        conversationId: parsed.msgHead.msgInfo.conversationRef?.refToConversation ?? msgId,
        refToMessageId: original.msgHead.msgInfo.msgId,
        ...(rec.patientRef === undefined ? {} : { patientRef: rec.patientRef }),
        expectReceipt: true,
      });
    }
    // The store writes the audit entry (quarantine-feedback-sent) in the same transaction as the action.
    await ctx.store.recordQuarantineAction(q.quarantineId, { action: 'feedback-sent', actor: who, at: ctx.clock(), note: text, msgId });
    this.#wake();
  }

  async markQuarantineHandled(id: string, note: string, actor: Actor): Promise<void> {
    const ctx = this.#c();
    const who = actorName(actor);
    const q = await ctx.store.getQuarantine(id);
    if (q === undefined) throw new EngineError('ERR_MSG_NOT_FOUND', `no quarantine entry ${id}`);
    await ctx.store.recordQuarantineAction(id, { action: 'handled', actor: who, at: ctx.clock(), note });
    for (const t of await ctx.tasks.list()) if (!t.done && t.id === `quarantine:${id}`) await ctx.tasks.complete(t.id, who);
  }

  // --- downtime ---

  async downtime(actor: Actor): Promise<DowntimeView> {
    const ctx = this.#c();
    const who = actorName(actor);
    const partners = await ctx.downtime.partners();
    const held = new Map<string, number>();
    for (const rec of await ctx.store.listOutgoing({ state: 'failed', limit: 1000 })) {
      if (transportState(rec) !== 'held') continue;
      const p = outgoingMeta(rec)?.partnerHerId ?? rec.receiverHerId;
      held.set(p, (held.get(p) ?? 0) + 1);
    }
    const views = [];
    for (const p of partners) {
      const party = await ctx.ar.lookup(p.herId);
      views.push(partnerView(p, party?.name ?? p.herId, held.get(p.herId) ?? 0));
    }
    const log = await ctx.store.listDowntime({ kind: 'manual-delivery', limit: 1000 });
    await ctx.audit(who, 'read', 'downtime', '*');
    return {
      partners: views,
      manualLog: log.map((e) => {
        const d = detailsOf(e);
        return {
          id: e.eventId,
          partnerHerId: herNumber(e.partnerHerId),
          direction: d['direction'] === 'received' ? ('received' as const) : ('sent' as const),
          ...(e.msgId === undefined ? {} : { msgId: e.msgId }),
          at: e.at.toISOString(),
          actor: e.actor,
          channel: typeof d['channel'] === 'string' ? d['channel'] : '',
          note: typeof d['note'] === 'string' ? d['note'] : '',
        };
      }),
    };
  }

  async setManualMode(partnerHerId: number, on: boolean, actor: Actor): Promise<void> {
    const ctx = this.#c();
    const who = actorName(actor);
    if (!Number.isSafeInteger(partnerHerId) || partnerHerId <= 0) throw new TypeError('partnerHerId must be a HER-id');
    await ctx.downtime.setManual(String(partnerHerId), on === true, who);
    await ctx.audit(who, on ? 'manual-mode-on' : 'manual-mode-off', 'partner', String(partnerHerId));
    if (!on) {
      // Held messages become due again at once, with at least a full time-to-live from now.
      const now = ctx.clock();
      const fresh = new Date(now.getTime() + ctx.retry.ttlMs);
      for (const rec of await ctx.store.listOutgoing({ state: 'failed', limit: 1000 })) {
        if (transportState(rec) === 'held' && (outgoingMeta(rec)?.partnerHerId ?? rec.receiverHerId) === String(partnerHerId)) {
          await ctx.store.requeueOutgoing(rec.msgId, { now, expiresAt: rec.expiresAt.getTime() > fresh.getTime() ? rec.expiresAt : fresh });
        }
      }
      this.#wake();
    }
  }

  async recordManualDelivery(entry: ManualDeliveryEntry, actor: Actor): Promise<void> {
    const ctx = this.#c();
    const who = actorName(actor);
    if (typeof entry !== 'object' || entry === null || !Number.isSafeInteger(entry.partnerHerId) || entry.partnerHerId <= 0) throw new TypeError('entry.partnerHerId must be a HER-id');
    if (typeof entry.channel !== 'string' || entry.channel.trim() === '') throw new TypeError('entry.channel is required');
    if (entry.msgId !== undefined && (typeof entry.msgId !== 'string' || entry.msgId.trim() === '')) throw new TypeError('entry.msgId must be a non-empty string');
    const direction = entry.direction ?? 'sent';
    if (direction !== 'sent' && direction !== 'received') throw new TypeError("entry.direction must be 'sent' or 'received'");
    const partner = String(entry.partnerHerId);
    const channel = entry.channel.trim();
    const note = typeof entry.note === 'string' ? entry.note : '';
    if (direction === 'received' || entry.msgId === undefined) {
      await ctx.store.logDowntime({ partnerHerId: partner, kind: 'manual-delivery', at: ctx.clock(), actor: who, ...(entry.msgId === undefined ? {} : { msgId: entry.msgId }), details: { channel, note, direction } });
      await ctx.audit(who, direction === 'sent' ? 'manual-delivery' : 'manual-receipt', 'partner', partner, undefined, { channel, ...(entry.msgId === undefined ? {} : { reference: entry.msgId }) });
      return;
    }
    await deliverManually(ctx, { msgId: entry.msgId, partnerHerId: partner, channel, note, actor: who });
  }

  async announceDowntime(notice: DowntimeNoticeInput, actor: Actor): Promise<readonly { readonly partnerHerId: number; readonly to: readonly string[] }[]> {
    const ctx = this.#c();
    const who = actorName(actor);
    if (typeof notice !== 'object' || notice === null) throw new TypeError('a downtime notice is required');
    const { partners, planned, reason } = notice;
    if (!Array.isArray(partners) || partners.length === 0 || partners.length > 500 || !partners.every((p) => Number.isSafeInteger(p) && p > 0)) {
      throw new TypeError('notice.partners must be 1 to 500 HER-ids');
    }
    if (typeof planned !== 'boolean') throw new TypeError('notice.planned must be a boolean');
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 2000) throw new TypeError('notice.reason must be 1 to 2000 characters');
    const instant = (v: unknown, name: string): Date => {
      if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
        throw new TypeError(`notice.${name} must be an ISO 8601 date-time with offset`);
      }
      return new Date(v);
    };
    const from = instant(notice.from, 'from');
    const expectedUntil = notice.expectedUntil === undefined ? undefined : instant(notice.expectedUntil, 'expectedUntil');
    if (expectedUntil !== undefined && expectedUntil.getTime() <= from.getTime()) throw new TypeError('notice.expectedUntil must be after notice.from');
    const unique = [...new Set(partners)].map(String);
    const sent = await ctx.downtime.announce(unique, { planned, from, ...(expectedUntil === undefined ? {} : { expectedUntil }), reason: reason.trim() }, who);
    for (const s of sent) await ctx.audit(who, 'downtime-notice', 'partner', s.herId, undefined, { planned, to: [...s.to] });
    return sent.map((s) => ({ partnerHerId: Number(s.herId), to: s.to }));
  }

  async renderPrintable(direction: 'outgoing' | 'incoming', id: string, actor: Actor): Promise<string | undefined> {
    const ctx = this.#c();
    const who = actorName(actor);
    let xml: string | undefined;
    let note: string;
    let ref: string | undefined;
    if (direction === 'outgoing') {
      const rec = await ctx.store.getOutgoing(id);
      if (rec === undefined) return undefined;
      xml = readArchive(ctx, outgoingMeta(rec));
      ref = rec.patientRef;
      note = `Utgående melding, status ${transportState(rec)}, opprettet ${rec.createdAt.toISOString()}`;
    } else {
      const found = await this.#incomingXml(ctx, id);
      if (found === undefined) return undefined;
      xml = found.xml;
      ref = found.rec.patientRef;
      note = `Innkommende melding, mottatt ${found.rec.receivedAt.toISOString()}, status ${incomingState(found.rec)}`;
    }
    if (xml === undefined) return undefined;
    await ctx.audit(who, 'print', direction, id, ref);
    return renderPrintableHtml(xml, note);
  }

  // --- operations ---

  async health(): Promise<HealthView> {
    const ctx = this.#ctx;
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    checks['engine'] = this.#running ? { ok: true } : { ok: false, detail: 'not running' };
    if (ctx !== undefined && this.#running) {
      try {
        await ctx.store.schemaVersion();
        checks['store'] = { ok: true };
      } catch (err) {
        checks['store'] = { ok: false, detail: (err as Error).message };
      }
      checks['workers'] = this.#lastPassError === undefined ? { ok: true } : { ok: false, detail: this.#lastPassError };
      checks['transport'] = { ok: true, detail: ctx.transport.name };
    }
    const ready = Object.values(checks).every((c) => c.ok);
    return { live: true, ready, checks };
  }

  async metrics(): Promise<MetricsView> {
    const ctx = this.#c();
    let outboxDepth = 0;
    for (const state of OPEN_OUTGOING) outboxDepth += (await ctx.store.listOutgoing({ state, limit: 1000 })).length;
    const inbox = await ctx.store.listInbox({ pendingOnly: true, limit: 1000 });
    const quarantine = await ctx.store.listQuarantine({ openOnly: true, limit: 1000 });
    const overdue = await ctx.overdue.list();
    return {
      outboxDepth,
      inboxDepth: inbox.length,
      quarantineOpen: quarantine.length,
      overdueReceipts: overdue.length,
      sendFailuresTotal: this.#counters.sendFailuresTotal,
      messagesSentTotal: this.#counters.messagesSentTotal,
      messagesReceivedTotal: this.#counters.messagesReceivedTotal,
      receiptLatenciesMs: [...this.#counters.receiptLatenciesMs],
    };
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

const globalTimers = {
  setTimeout: (fn: () => void, ms: number): unknown => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h: unknown): void => clearTimeout(h as ReturnType<typeof setTimeout>),
};

function derivedRefKey(key: MessagingNodeConfig['credentials']['signing']['key']): Uint8Array {
  const keyObject = 'keyObject' in key ? key.keyObject : key;
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  return createHmac('sha256', 'samhandling patient reference key v1').update(der).digest();
}

/**
 * Creates the messaging engine for apps and EPJ integrations (see {@link MessagingNode}). Nothing
 * runs until `start()`: it opens the store (SQLite from `config.store` unless `deps.store` is
 * given), the address register and the transport (ebXML over SMTP from `config.smtp` unless
 * `deps.transport` is given), then runs the workers.
 *
 * The reference apps' configuration shape ({@link AppEngineConfig}: PEM texts, role `kommune` /
 * `sthf`) is accepted too and mapped.
 *
 * @throws TypeError for an incomplete configuration; RangeError for invalid policies.
 */
export function createMessagingNode(config: MessagingNodeConfig | AppEngineConfig, deps: MessagingNodeDeps = {}): MessagingEngine {
  if (isAppEngineConfig(config)) {
    const mapped = fromAppEngineConfig(config, deps);
    return new Engine(mapped.config, mapped.deps);
  }
  return new Engine(config, deps);
}
