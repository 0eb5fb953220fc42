/**
 * A test double of the engine's `MessagingNode` for the app's unit tests only: it keeps plain
 * in-memory lists and records every call with its actor, so tests can assert what the app asked
 * the engine (including the audit actor). Integration tests use the real engine.
 */
import type {
  Actor,
  AnswerClassificationInput,
  DowntimeNoticeInput,
  DowntimeView,
  EngineEvent,
  HealthView,
  InboxEntry,
  IncomingMessageView,
  ManualDeliveryEntry,
  MessageDetail,
  MessagingNode,
  MetricsView,
  OutgoingMessageView,
  QuarantineView,
  StayView,
  SubmitMessageInput,
  SubmitResult,
  TaskView,
} from '@samhandling/messaging';

export interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
  readonly actor?: Actor;
}

export class FakeNode implements MessagingNode {
  readonly calls: Call[] = [];
  readonly listeners = new Set<(e: EngineEvent) => void>();
  outgoing: OutgoingMessageView[] = [];
  incoming: IncomingMessageView[] = [];
  details = new Map<string, MessageDetail>();
  inbox: InboxEntry[] = [];
  stays: StayView[] = [];
  tasks: TaskView[] = [];
  quarantine: QuarantineView[] = [];
  downtimeView: DowntimeView = { partners: [], manualLog: [] };
  ready = true;
  started = false;
  /**
   * A stay waiting on an answer to LOG_UTSKRIVNINGSKLAR (`svar-1`) that the answer rule could not
   * read, with its open alarm task (`detail` optional).
   */
  withUnclassifiedAnswer(detail?: string): void {
    this.stays = [
      {
        key: 'stay:1',
        procedure: { state: 'utskrivningsklar', answers: [] },
        messages: [
          { msgId: 'klar-1', type: 'LOG_UTSKRIVNINGSKLAR', at: '2024-03-08T10:00:00.000Z', direction: 'outgoing' },
          { msgId: 'svar-1', type: 'DIALOG_FORESPORSEL', at: '2024-03-08T12:00:00.000Z', direction: 'incoming' },
        ],
      },
    ];
    this.tasks = [
      {
        id: 'unclassified-answer:svar-1',
        kind: 'alarm',
        title: 'unclassified answer to LOG_UTSKRIVNINGSKLAR',
        ...(detail === undefined ? {} : { detail }),
        msgId: 'svar-1',
        stayKey: 'stay:1',
        createdAt: '2024-03-08T12:00:00.000Z',
        done: false,
      },
    ];
  }

  /** Issues returned by submit when set (refusal). */
  refuse: SubmitResult | undefined;
  #n = 0;

  #call(method: string, args: unknown[], actor?: Actor): void {
    this.calls.push({ method, args, ...(actor === undefined ? {} : { actor }) });
  }

  emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  async start(): Promise<void> {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.started = false;
  }
  async submit(input: SubmitMessageInput, actor: Actor): Promise<SubmitResult> {
    this.#call('submit', [input], actor);
    if (this.refuse !== undefined) return this.refuse;
    this.#n += 1;
    const msgId = `00000000-0000-4000-8000-${String(this.#n).padStart(12, '0')}`;
    const message: OutgoingMessageView = {
      msgId,
      type: input.type,
      senderHerId: input.senderHerId ?? 1,
      receiverHerId: input.receiverHerId,
      createdAt: '2024-03-08T10:00:00.000Z',
      transport: { state: 'queued', attempts: 0 },
      receipt: { state: 'awaiting', deadline: '2024-03-08T11:00:00.000Z', history: [] },
    };
    this.outgoing.push(message);
    this.details.set(`outgoing/${msgId}`, { direction: 'outgoing', summary: message, parsed: { type: input.type, msgHead: { msgInfo: { msgId, patient: input.patient } } }, xml: '<MsgHead/>' });
    return { accepted: true, msgId, message };
  }
  async listOutgoing(filter: object, actor: Actor): Promise<readonly OutgoingMessageView[]> {
    this.#call('listOutgoing', [filter], actor);
    return this.outgoing;
  }
  async listIncoming(filter: object, actor: Actor): Promise<readonly IncomingMessageView[]> {
    this.#call('listIncoming', [filter], actor);
    return this.incoming;
  }
  async getMessage(direction: 'outgoing' | 'incoming', id: string, actor: Actor): Promise<MessageDetail | undefined> {
    this.#call('getMessage', [direction, id], actor);
    return this.details.get(`${direction}/${id}`);
  }
  async resend(msgId: string, actor: Actor): Promise<void> {
    this.#call('resend', [msgId], actor);
  }
  async listInbox(filter: { readonly unacknowledgedOnly?: boolean; readonly limit?: number }, actor: Actor): Promise<readonly InboxEntry[]> {
    this.#call('listInbox', [filter], actor);
    return this.inbox.filter((e) => filter.unacknowledgedOnly !== true || !e.acknowledged);
  }
  async acknowledgeInbox(inboxId: string, actor: Actor): Promise<void> {
    this.#call('acknowledgeInbox', [inboxId], actor);
    const i = this.inbox.findIndex((e) => e.id === inboxId);
    if (i < 0) throw Object.assign(new Error('no such inbox entry'), { code: 'ERR_STORE_NOT_FOUND' });
    this.inbox[i] = { ...(this.inbox[i] as InboxEntry), acknowledged: true };
  }
  async listStays(actor: Actor): Promise<readonly StayView[]> {
    this.#call('listStays', [], actor);
    return this.stays;
  }
  async getStay(key: string, actor: Actor): Promise<StayView | undefined> {
    this.#call('getStay', [key], actor);
    return this.stays.find((s) => s.key === key);
  }
  /**
   * Like the engine: a TypeError for an invalid classification, `ERR_MSG_NOT_FOUND` when no stay
   * lists the message, `ERR_MSG_INVALID_STATE` unless an `unclassified-answer:<msgId>` alarm exists
   * (open, or done by an earlier manual classification); records the answer as manual.
   */
  async classifyAnswer(msgId: string, classification: AnswerClassificationInput, actor: Actor): Promise<StayView> {
    this.#call('classifyAnswer', [msgId, classification], actor);
    const c = classification as { answer?: unknown; date?: unknown };
    if (c.answer !== 'can-receive' && c.answer !== 'cannot-receive' && c.answer !== 'offer-ready') throw new TypeError("classification.answer must be 'can-receive', 'cannot-receive' or 'offer-ready'");
    if (c.date !== undefined && (c.answer !== 'cannot-receive' || typeof c.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.date))) throw new TypeError('classification.date must be a date YYYY-MM-DD, only with cannot-receive');
    const i = this.stays.findIndex((s) => s.messages.some((m) => m.msgId === msgId));
    if (i < 0) throw Object.assign(new Error(`no stay lists message ${msgId}`), { code: 'ERR_MSG_NOT_FOUND' });
    const t = this.tasks.findIndex((x) => x.id === `unclassified-answer:${msgId}`);
    if (t < 0) throw Object.assign(new Error(`message ${msgId} is not an answer the rule left unclassified`), { code: 'ERR_MSG_INVALID_STATE' });
    this.tasks[t] = { ...(this.tasks[t] as TaskView), done: true };
    const stay = this.stays[i] as StayView;
    const procedure = (stay.procedure ?? {}) as { answers?: readonly { msgId: string }[] };
    const answer = { msgId, answer: c.answer, ...(typeof c.date === 'string' ? { date: c.date } : {}), classifiedBy: 'manual', by: `${actor.kind}:${actor.id}`, at: '2024-03-08T12:00:00.000Z' };
    const next: StayView = { ...stay, procedure: { ...procedure, answers: [...(procedure.answers ?? []).filter((a) => a.msgId !== msgId), answer] } };
    this.stays[i] = next;
    return next;
  }
  async listTasks(filter: { readonly open?: boolean }, actor: Actor): Promise<readonly TaskView[]> {
    this.#call('listTasks', [filter], actor);
    return this.tasks.filter((t) => filter.open === undefined || t.done !== filter.open);
  }
  async completeTask(id: string, actor: Actor): Promise<void> {
    this.#call('completeTask', [id], actor);
  }
  async listQuarantine(actor: Actor): Promise<readonly QuarantineView[]> {
    this.#call('listQuarantine', [], actor);
    return this.quarantine;
  }
  async forwardQuarantined(id: string, toHerId: number, actor: Actor): Promise<void> {
    this.#call('forwardQuarantined', [id, toHerId], actor);
  }
  async sendErrorFeedback(id: string, reason: '1' | '2' | '9', text: string, actor: Actor): Promise<void> {
    this.#call('sendErrorFeedback', [id, reason, text], actor);
  }
  async markQuarantineHandled(id: string, note: string, actor: Actor): Promise<void> {
    this.#call('markQuarantineHandled', [id, note], actor);
  }
  async downtime(actor: Actor): Promise<DowntimeView> {
    this.#call('downtime', [], actor);
    return this.downtimeView;
  }
  async setManualMode(partnerHerId: number, on: boolean, actor: Actor): Promise<void> {
    this.#call('setManualMode', [partnerHerId, on], actor);
  }
  async recordManualDelivery(entry: ManualDeliveryEntry, actor: Actor): Promise<void> {
    this.#call('recordManualDelivery', [entry], actor);
  }
  async announceDowntime(notice: DowntimeNoticeInput, actor: Actor): Promise<readonly { readonly partnerHerId: number; readonly to: readonly string[] }[]> {
    this.#call('announceDowntime', [notice], actor);
    return notice.partners.map((p) => ({ partnerHerId: p, to: ['meldingsansvarlig@test.example'] }));
  }
  async renderPrintable(direction: 'outgoing' | 'incoming', id: string, actor: Actor): Promise<string | undefined> {
    this.#call('renderPrintable', [direction, id], actor);
    return this.details.has(`${direction}/${id}`) ? '<html><body>utskrift</body></html>' : undefined;
  }
  async health(): Promise<HealthView> {
    return { live: true, ready: this.ready, checks: { store: { ok: this.ready, detail: 'x' } } };
  }
  async metrics(): Promise<MetricsView> {
    return { outboxDepth: 2, inboxDepth: 1, quarantineOpen: 0, overdueReceipts: 1, sendFailuresTotal: 3, messagesSentTotal: 10, messagesReceivedTotal: 9, receiptLatenciesMs: [200, 1500, 70000] };
  }
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
