/**
 * The hospital-stay procedure inside the engine: which stay a message belongs to, the procedure
 * event a message makes, applying it (idempotently: a message id already in the stay changes
 * nothing), deadline ticks from persisted due times, and tasks/alarms synchronised from the
 * derived state (so a crash between saving the state and writing the tasks loses nothing: the
 * next apply or tick writes them).
 */
import type { ParsedMessage, Helseopplysninger, Pasientlogistikk } from '@samhandling/plo';
import { PROCEDURE_MESSAGE_TYPES, createStay, migrateState, partitionStays, summarize, transition } from '@samhandling/procedure';
import type {
  Forsendelsesstatus,
  MessageEvent,
  MunicipalityAnswer,
  Party,
  PartitionMessage,
  PolicyInput,
  ProcedureMessageType,
  StayPartitionPolicy,
  StayState,
} from '@samhandling/procedure';
import { isStoreError } from '../store/errors';
import type { MessagingStore, StayIndexEntry as StoredStayIndexEntry } from '../store/types';
import { DEFAULT_ANSWER_RULE, answerTextOf, classifierFromRule, ruleOf } from './answers';
import type { AnswerClassification } from './answers';
import type { AnswerClassifier, EngineRole } from './config';
import type { TaskBook } from './records';
import { STAYS_KEY, readRecord, updateRecord } from './records';

/** A message of a stay as the engine lists it. */
export interface StayMessageRef {
  readonly msgId: string;
  readonly type: string;
  readonly at: string;
  readonly direction: 'outgoing' | 'incoming';
}

/** How an answer to LOG_UTSKRIVNINGSKLAR in the stay was classified. */
export interface StayAnswerRef {
  readonly msgId: string;
  readonly answer: MunicipalityAnswer;
  readonly date?: string;
  /** `rule`: by the configured answer rule; `manual`: by an operator (`classifyAnswer`). */
  readonly classifiedBy: 'rule' | 'manual';
  /** The operator and time of a manual classification. */
  readonly by?: string;
  readonly at?: string;
}

/** A stay as stored (`stay:<patientRef>|<hospitalHerId>|<admission>`). */
/**
 * Stay states by object identity: those this process produced with `transition` (valid by
 * construction) and those it already checked with `migrateState`, so a state read from the store
 * is migrated and checked once, not again by every step that looks at it.
 */
const checkedStates = new WeakMap<object, StayState>();

/** `migrateState`, once per state object. */
function stateOf(raw: unknown): StayState {
  if (typeof raw !== 'object' || raw === null) return migrateState(raw);
  const hit = checkedStates.get(raw);
  if (hit !== undefined) return hit;
  const state = migrateState(raw);
  checkedStates.set(raw, state);
  checkedStates.set(state, state);
  return state;
}

/** Marks a state produced by `transition`/`createStay` as checked, and returns it. */
function produced(state: StayState): StayState {
  checkedStates.set(state, state);
  return state;
}

export interface StayRecord {
  readonly key: string;
  readonly patientRef: string;
  readonly hospitalHerId: string;
  readonly partnerHerId: string;
  readonly admission: string;
  readonly state: StayState;
  readonly messages: readonly StayMessageRef[];
  /** The patient's chain revision the stay was derived from (ADR 0014). */
  readonly revision?: number;
  /** Fingerprint of the chain entries the stay was derived from (skip unchanged rebuilds). */
  readonly fingerprint?: string;
  /** Answers to LOG_UTSKRIVNINGSKLAR and how each was classified. */
  readonly answers?: readonly StayAnswerRef[];
  /** Set when a later message moved this stay's messages into another stay (its key). */
  readonly supersededBy?: string;
}

interface StayIndexEntry {
  readonly key: string;
  readonly patientRef: string;
  readonly hospitalHerId: string;
  readonly openedAt: string;
  readonly terminal: boolean;
  /** MsgId of the LOG_INNLAGT in the stay, once there is one. */
  readonly innlagt?: string;
  /** The next pending deadline (ISO UTC), when any. */
  readonly nextDue?: string;
}

interface StayIndex {
  readonly stays: readonly StayIndexEntry[];
}

/** The patient and hospital of a message: which chain (`chain:<patientRef>|<hospitalHerId>`) it is recorded in. */
export interface ChainSubject {
  readonly patientId: string;
  readonly patientRef: string;
  /** The hospital's top-level HER-id. */
  readonly hospitalHerId: string;
  /** The partner's top-level HER-id. */
  readonly partnerHerId: string;
}

/** A message as recorded in its patient's chain. */
export interface ChainEntry {
  readonly msgId: string;
  readonly msgType: string;
  /** MsgInfo/GenDate. */
  readonly at: string;
  readonly direction: 'outgoing' | 'incoming';
  readonly status?: Forsendelsesstatus;
  /** MsgIds referred to (changed/cancelled message, ConversationRef parent and conversation). */
  readonly refs?: readonly string[];
  /** The procedure event, for types the procedure follows. */
  readonly event?: MessageEvent;
  /** A topic-7 answer the answer rule could not classify. */
  readonly unclassifiedAnswer?: boolean;
  /** An operator's classification of such an answer. */
  readonly manual?: AnswerClassification & { readonly by: string; readonly at: string };
}

interface ChainRecord extends ChainSubject {
  /** Grows with every change of `entries`; stays derived from an older revision never overwrite newer ones. */
  readonly revision: number;
  readonly entries: readonly ChainEntry[];
  /** Keys of the stays last derived from the chain. */
  readonly stayKeys: readonly string[];
}

/** What a message adds to its chain (stored with an outgoing message, so it is applied again after a crash). */
export interface ChainInput extends ChainSubject {
  readonly entry: Omit<ChainEntry, 'event' | 'direction' | 'manual'>;
}

/**
 * The procedure part of an outgoing or incoming message: enough to apply it again after a crash.
 * `stayKey` is the stay the message belonged to when it was submitted or received; a later message
 * may move it to another stay (ADR 0014), so the stay's message list is authoritative.
 */
export interface ProcedureInput {
  readonly stayKey: string;
  /** The procedure event; absent for messages the procedure does not follow (they are listed in the stay only). */
  readonly event?: MessageEvent;
  readonly direction: 'outgoing' | 'incoming';
  /** Absent in inputs stored before ADR 0014 (applied to `stayKey` directly). */
  readonly chain?: ChainInput;
}

/** The chain record's key. */
export function chainKeyOf(patientRef: string, hospitalHerId: string): string {
  return `chain:${patientRef}|${hospitalHerId}`;
}

function stayKeyOf(patientRef: string, hospitalHerId: string, admission: string): string {
  return `stay:${patientRef}|${hospitalHerId}|${admission}`;
}

function partitionMessage(e: ChainEntry): PartitionMessage {
  return { id: e.msgId, at: e.at, type: e.msgType, ...(e.status === undefined ? {} : { status: e.status }), ...(e.refs === undefined ? {} : { refs: e.refs }) };
}

/** The event of an entry with its manual classification applied. */
function effectiveEvent(e: ChainEntry): MessageEvent | undefined {
  if (e.event === undefined) return undefined;
  if (e.manual === undefined) return e.event;
  const { answer: _a, date: _d, ...rest } = e.event;
  return { ...rest, answer: e.manual.answer, ...(e.manual.date === undefined ? {} : { date: e.manual.date }) };
}

/**
 * The entries with no event dated before an event it refers to: the two parties' clocks may differ
 * by seconds, and an answer cannot come before the notice it answers. Such an event takes the time
 * of what it refers to (the procedure then folds by the chain's type order). Deterministic: both
 * parties derive from the same set of messages.
 */
function causal(entries: readonly ChainEntry[]): ChainEntry[] {
  const byId = new Map(entries.map((e) => [e.msgId, e]));
  const memo = new Map<string, number>();
  const timeOf = (e: ChainEntry, depth: number): number => {
    const known = memo.get(e.msgId);
    if (known !== undefined) return known;
    let t = Date.parse(e.event?.at ?? e.at) || 0;
    if (depth < 50) {
      for (const ref of e.refs ?? []) {
        const target = byId.get(ref);
        if (target !== undefined && target !== e) t = Math.max(t, timeOf(target, depth + 1));
      }
    }
    memo.set(e.msgId, t);
    return t;
  };
  return entries.map((e) => {
    if (e.event === undefined) return e;
    const t = timeOf(e, 0);
    return t > (Date.parse(e.event.at) || 0) ? { ...e, event: { ...e.event, at: new Date(t).toISOString() } } : e;
  });
}

/** What a stay was derived from: its messages and their (effective) events. */
function fingerprintOf(entries: readonly ChainEntry[]): string {
  return JSON.stringify(entries.map((e) => [e.msgId, effectiveEvent(e) ?? null]));
}

function byTimeThenId(a: ChainEntry, b: ChainEntry): number {
  return Date.parse(a.at) - Date.parse(b.at) || (a.msgId < b.msgId ? -1 : a.msgId > b.msgId ? 1 : 0);
}

const OFFSET = /(?:Z|[+-]\d{2}:\d{2})$/;

function withOffset(v: unknown): string | undefined {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && OFFSET.test(v) ? v : undefined;
}

/**
 * The default {@link AnswerClassifier}: {@link classifierFromRule} with `DEFAULT_ANSWER_RULE`
 * (Norwegian keywords; UNVERIFIED, configure the partners' agreed rule with
 * `config.answerRule`). A topic-7 answer it cannot read raises an "unclassified answer" alarm.
 */
export const defaultAnswerClassifier: AnswerClassifier = classifierFromRule(DEFAULT_ANSWER_RULE);

/**
 * The procedure event of a message, or undefined when the procedure does not follow its type or
 * the type's sender is not `from`.
 */
export function procedureEventOf(message: ParsedMessage, from: Party, classifier: AnswerClassifier): MessageEvent | undefined {
  const type = message.type;
  if (!(PROCEDURE_MESSAGE_TYPES as readonly string[]).includes(type)) return undefined;
  const info = message.msgHead.msgInfo;
  const at = withOffset(info.genDate);
  if (at === undefined) return undefined;
  const content = message.content as Record<string, unknown> | undefined;
  const forsendelse = (content?.['informasjonOmForsendelsen'] as { forsendelsesstatus?: string } | undefined)?.forsendelsesstatus;
  const status = (['N', 'M', 'A', 'H', 'C', 'O', 'X'] as const).find((s) => s === forsendelse) as Forsendelsesstatus | undefined;
  const base: { -readonly [K in keyof MessageEvent]?: MessageEvent[K] } = { id: info.msgId, at, type: type as ProcedureMessageType, from };
  if (status !== undefined && status !== 'N') base.status = status;
  if ((status === 'C' || status === 'M' || status === 'O') && info.conversationRef !== undefined) base.refersTo = info.conversationRef.refToParent;
  const hendelse = withOffset((content as Pasientlogistikk | undefined)?.hendelse?.tidspunkt);
  switch (type) {
    case 'LOG_INNLAGT':
      if (hendelse !== undefined) base.admittedAt = hendelse;
      break;
    case 'LOG_UTSKRIVNINGSKLAR':
      if (hendelse !== undefined) base.declaredAt = hendelse;
      break;
    case 'LOG_UTSKREVET':
      if (hendelse !== undefined) base.dischargedAt = hendelse;
      break;
    case 'LOG_DOD':
      if (hendelse !== undefined) base.diedAt = hendelse;
      break;
    case 'HELSEOPPL_SOKNAD': {
      const t = (content as Helseopplysninger | undefined)?.typeInnhold;
      if (t === '1' || t === '2') base.subtype = Number(t) as 1 | 2;
      else if (status !== 'C') return undefined;
      break;
    }
    case 'DIALOG_FORESPORSEL':
    case 'DIALOG_SVAR':
      if (from === 'municipality') {
        const a = classifier(message);
        if (a !== undefined) {
          base.answer = a.answer;
          if (a.date !== undefined) base.date = a.date;
        }
      }
      break;
  }
  return base as MessageEvent;
}

/**
 * What a message adds to its patient's chain: MsgId, type, time (the event's time, else a GenDate
 * with an offset), the messages it refers to, and whether it is a topic-7 answer the answer rule
 * could not classify. Undefined when the message has no usable time.
 */
export function chainEntryOf(message: ParsedMessage, event: MessageEvent | undefined, from: Party, classifier: AnswerClassifier): ChainInput['entry'] | undefined {
  const info = message.msgHead.msgInfo;
  const at = event?.at ?? withOffset(info.genDate);
  if (at === undefined) return undefined;
  const refs = [...new Set([event?.refersTo, info.conversationRef?.refToParent, info.conversationRef?.refToConversation])].filter(
    (r): r is string => typeof r === 'string' && r !== '' && r !== info.msgId,
  );
  const unclassified = from === 'municipality' && event !== undefined && event.answer === undefined && answerTextOf(message, ruleOf(classifier)) !== undefined;
  return {
    msgId: info.msgId,
    msgType: message.type,
    at,
    ...(event?.status === undefined ? {} : { status: event.status }),
    ...(refs.length === 0 ? {} : { refs }),
    ...(unclassified ? { unclassifiedAnswer: true } : {}),
  };
}

/** The party that sends in direction `direction` when we have `role`. */
export function senderParty(role: EngineRole, direction: 'outgoing' | 'incoming'): Party {
  const us: Party = role;
  const them: Party = role === 'hospital' ? 'municipality' : 'hospital';
  return direction === 'outgoing' ? us : them;
}

function nextDueOf(state: StayState): string | undefined {
  let best: string | undefined;
  for (const d of state.derived.deadlines) {
    if (d.due === null || d.metAt !== null || d.breached || d.status !== 'pending') continue;
    if (best === undefined || Date.parse(d.due) < Date.parse(best)) best = d.due;
  }
  return best;
}

/** What the stays module reports to the engine. */
export interface StayHooks {
  readonly emitStayChanged: (key: string) => void;
  readonly emitAlarm: (taskId: string, title: string) => void;
}

/** The stays of one engine. */
export class Stays {
  private readonly partition: Partial<StayPartitionPolicy>;

  constructor(
    private readonly store: MessagingStore,
    private readonly now: () => Date,
    private readonly tasks: TaskBook,
    private readonly role: EngineRole,
    private readonly policy: PolicyInput | undefined,
    private readonly allowSynthetic: boolean,
    private readonly hooks: StayHooks,
    partition: Partial<StayPartitionPolicy> = {},
  ) {
    this.partition = partition;
  }

  /**
   * The stay a message belongs to now: the chain of its patient at its hospital plus this message,
   * partitioned by `partitionStays` (ADR 0014). Writes nothing (the message joins the chain when
   * it is applied); undefined when the message belongs to no stay.
   */
  async resolve(input: ChainInput): Promise<string | undefined> {
    const chain = await readRecord<ChainRecord>(this.store, chainKeyOf(input.patientRef, input.hospitalHerId));
    const entries = [...(chain?.entries ?? []).filter((e) => e.msgId !== input.entry.msgId), { ...input.entry, direction: 'outgoing' as const }];
    const partition = partitionStays(entries.map(partitionMessage), this.partition);
    const stay = partition.stays.find((s) => s.messageIds.includes(input.entry.msgId));
    return stay === undefined ? undefined : stayKeyOf(input.patientRef, input.hospitalHerId, stay.admission);
  }

  /**
   * Records a message in its patient's chain (idempotent on MsgId) and re-derives the patient's
   * stays from the whole chain: the result depends on the set of messages, not on their order.
   */
  async apply(input: ProcedureInput, msgType: string): Promise<void> {
    if (input.chain === undefined) return this.applyLegacy(input, msgType);
    const { entry, ...subject } = input.chain;
    const full: ChainEntry = { ...entry, direction: input.direction, ...(input.event === undefined ? {} : { event: input.event }) };
    const key = chainKeyOf(subject.patientRef, subject.hospitalHerId);
    await updateRecord<ChainRecord>(
      this.store,
      key,
      this.now,
      (cur) => {
        const known = cur?.entries.find((e) => e.msgId === full.msgId);
        if (known !== undefined) return undefined;
        return { ...(cur ?? { ...subject, stayKeys: [] }), revision: (cur?.revision ?? 0) + 1, entries: [...(cur?.entries ?? []), full] };
      },
      subject.patientRef,
    );
    await this.rebuild(key);
  }

  /** Records a non-procedure message (e.g. DIALOG_AVVIK) in the stay's message list only (inputs stored before ADR 0014). */
  async note(stayKey: string, ref: StayMessageRef): Promise<void> {
    await updateRecord<StayRecord>(this.store, stayKey, this.now, (cur) => {
      if (cur === undefined || cur.messages.some((m) => m.msgId === ref.msgId)) return undefined;
      return { ...cur, messages: [...cur.messages, ref] };
    });
  }

  /**
   * An operator classifies a topic-7 answer the rule could not read: the procedure gets the same
   * event as if the rule had read it, and the stay records that the classification was manual.
   * A manual classification may be corrected the same way.
   *
   * @returns `not-found` when no stay lists the message, `not-unclassified` when it is not an
   * answer of the municipality that the rule left unclassified, else the stay's key.
   */
  async classify(
    msgId: string,
    classification: AnswerClassification,
    by: string,
  ): Promise<{ readonly status: 'ok'; readonly stayKey: string } | { readonly status: 'not-found' | 'not-unclassified' }> {
    const rec = await this.findByMessage(msgId);
    if (rec === undefined) return { status: 'not-found' };
    const key = chainKeyOf(rec.patientRef, rec.hospitalHerId);
    let ok = false;
    await updateRecord<ChainRecord>(this.store, key, this.now, (cur) => {
      ok = false;
      const entries = cur?.entries ?? [];
      const i = entries.findIndex((e) => e.msgId === msgId);
      const e = entries[i];
      if (cur === undefined || e?.event === undefined || e.event.from !== 'municipality' || (e.unclassifiedAnswer !== true && e.manual === undefined)) return undefined;
      ok = true;
      const next = [...entries];
      next[i] = { ...e, manual: { ...classification, by, at: this.now().toISOString() } };
      return { ...cur, revision: cur.revision + 1, entries: next };
    });
    if (!ok) return { status: 'not-unclassified' };
    await this.rebuild(key);
    await this.tasks.complete(`unclassified-answer:${msgId}`, by);
    const now = await this.findByMessage(msgId);
    return { status: 'ok', stayKey: now?.key ?? rec.key };
  }

  /** The current (not superseded) stay that lists `msgId`. */
  async findByMessage(msgId: string): Promise<StayRecord | undefined> {
    for (const rec of await this.list()) if (rec.messages.some((m) => m.msgId === msgId)) return rec;
    return undefined;
  }

  /**
   * Re-derives the stays of one chain until the chain did not change meanwhile (a concurrent
   * message of the same patient): the last derivation always sees the whole chain.
   */
  private async rebuild(chainKey: string): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const chain = await readRecord<ChainRecord>(this.store, chainKey);
      if (chain === undefined) return;
      await this.rebuildOnce(chain);
      const after = await readRecord<ChainRecord>(this.store, chainKey);
      if (after === undefined || after.revision === chain.revision) return;
    }
  }

  /** Derives the stays of one chain revision, writes the changed ones, retires the ones that no longer exist. */
  private async rebuildOnce(chain: ChainRecord): Promise<void> {
    const chainKey = chainKeyOf(chain.patientRef, chain.hospitalHerId);
    const byId = new Map(causal(chain.entries).map((e) => [e.msgId, e]));
    const partition = partitionStays(chain.entries.map(partitionMessage), this.partition);
    const opened = partition.stays.map((stay) => ({ key: stayKeyOf(chain.patientRef, chain.hospitalHerId, stay.admission), ...(stay.innlagt === undefined ? {} : { innlagt: stay.innlagt }) }));
    const keys = opened.map((o) => o.key);
    const index = await this.indexStays(chain, opened);
    // Stays this chain derived before and no longer has (also one written by an older derivation that ran late).
    const gone = [...new Set([...chain.stayKeys, ...index.filter((e) => e.derived).map((e) => e.stayKey)])].filter((k) => !keys.includes(k));
    for (const stay of partition.stays) {
      const key = stayKeyOf(chain.patientRef, chain.hospitalHerId, stay.admission);
      const entries = stay.messageIds.map((id) => byId.get(id) as ChainEntry).sort(byTimeThenId);
      const fingerprint = fingerprintOf(entries);
      let changed = false;
      let refusals: { msgId: string; code: string }[] = [];
      const rec = await updateRecord<StayRecord>(
        this.store,
        key,
        this.now,
        (cur) => {
          changed = false;
          refusals = [];
          if (cur !== undefined && (cur.revision ?? 0) > chain.revision) return undefined;
          if (cur !== undefined && cur.fingerprint === fingerprint && cur.supersededBy === undefined) return undefined;
          // Only new messages since the stored derivation: apply them to the stored state (the fold
          // does not depend on order); anything else (moved or reclassified messages): rebuild.
          const had = new Set(cur?.supersededBy === undefined ? (cur?.messages ?? []).map((m) => m.msgId) : []);
          const incremental = cur !== undefined && had.size > 0 && cur.fingerprint === fingerprintOf(entries.filter((e) => had.has(e.msgId)));
          let state = incremental
            ? stateOf(cur.state)
            : createStay({
                key: { patientId: chain.patientId, hospitalHerId: chain.hospitalHerId, admission: stay.admission },
                allowSyntheticPersonIds: this.allowSynthetic,
                ...(this.policy === undefined ? {} : { policy: this.policy }),
              });
          for (const e of incremental ? entries.filter((x) => !had.has(x.msgId)) : entries) {
            const event = effectiveEvent(e);
            if (event === undefined) continue;
            try {
              state = transition(state, event).state;
            } catch (err) {
              const code = (err as { code?: unknown }).code;
              refusals.push({ msgId: e.msgId, code: typeof code === 'string' ? code : String(err) });
            }
          }
          // Deadline ticks already fed keep the stay's clock.
          const clock = cur === undefined ? null : stateOf(cur.state).clock;
          if (clock !== null && (state.clock === null || Date.parse(clock) > Date.parse(state.clock))) state = transition(state, { type: 'deadline-passed', at: clock }).state;
          produced(state);
          changed = true;
          const answers: StayAnswerRef[] = [];
          for (const e of entries) {
            const ev = effectiveEvent(e);
            if (ev?.answer === undefined) continue;
            answers.push({
              msgId: e.msgId,
              answer: ev.answer,
              ...(ev.date === undefined ? {} : { date: ev.date }),
              classifiedBy: e.manual === undefined ? 'rule' : 'manual',
              ...(e.manual === undefined ? {} : { by: e.manual.by, at: e.manual.at }),
            });
          }
          return {
            key,
            patientRef: chain.patientRef,
            hospitalHerId: chain.hospitalHerId,
            partnerHerId: chain.partnerHerId,
            admission: stay.admission,
            state,
            messages: entries.map((e) => ({ msgId: e.msgId, type: e.msgType, at: e.event?.at ?? e.at, direction: e.direction })),
            revision: chain.revision,
            fingerprint,
            answers,
          };
        },
        chain.patientRef,
      );
      if (rec === undefined) continue;
      for (const r of refusals) {
        await this.tasks.add({ id: `procedure-refused:${r.msgId}`, kind: 'notification', title: 'message not applied to the stay procedure', detail: r.code, msgId: r.msgId, stayKey: key });
      }
      for (const e of entries) {
        if (e.unclassifiedAnswer !== true || e.manual !== undefined) continue;
        const id = `unclassified-answer:${e.msgId}`;
        const title = 'unclassified answer to LOG_UTSKRIVNINGSKLAR';
        const detail = 'The answer rule could not read the answer: classify it as can-receive, cannot-receive (with date) or offer-ready.';
        if (await this.tasks.add({ id, kind: 'alarm', title, detail, msgId: e.msgId, stayKey: key })) this.hooks.emitAlarm(id, title);
      }
      if (changed) {
        await this.sync(rec, index.find((e) => e.stayKey === key));
        this.hooks.emitStayChanged(key);
      }
    }
    for (const old of gone) {
      const first = (await readRecord<StayRecord>(this.store, old))?.messages[0]?.msgId;
      const successor = partition.stays.find((s) => first !== undefined && s.messageIds.includes(first));
      const to = successor === undefined ? undefined : stayKeyOf(chain.patientRef, chain.hospitalHerId, successor.admission);
      await updateRecord<StayRecord>(this.store, old, this.now, (cur) => {
        if (cur === undefined || (cur.revision ?? 0) > chain.revision || cur.supersededBy !== undefined) return undefined;
        return { ...cur, revision: chain.revision, supersededBy: to ?? '' };
      });
      await this.store.removeStayIndex(old);
      await this.tasks.reconcile([], (t) => t.stayKey === old, 'engine:procedure');
      this.hooks.emitStayChanged(old);
    }
    if (gone.length > 0 || keys.length !== chain.stayKeys.length || keys.some((k, i) => chain.stayKeys[i] !== k)) {
      await updateRecord<ChainRecord>(this.store, chainKey, this.now, (cur) => {
        if (cur === undefined || cur.revision !== chain.revision) return undefined;
        return { ...cur, stayKeys: keys };
      });
    }
  }

  /**
   * Adds the chain's stays that are not in the index yet and records their LOG_INNLAGT; resolves
   * the index entries of this patient at this hospital (one indexed query, not the whole index),
   * each marked `derived` when its stay record came from a chain (ADR 0014) rather than before it.
   */
  private async indexStays(chain: ChainRecord, opened: readonly { key: string; innlagt?: string }[]): Promise<(StoredStayIndexEntry & { readonly derived: boolean })[]> {
    const mine = await this.store.listStayIndex({ patientRef: chain.patientRef, hospitalHerId: chain.hospitalHerId, limit: 1000 });
    const have = new Map(mine.map((e) => [e.stayKey, e]));
    for (const o of opened) {
      const e = have.get(o.key);
      if (e === undefined) {
        const entry: StoredStayIndexEntry = { stayKey: o.key, patientRef: chain.patientRef, hospitalHerId: chain.hospitalHerId, openedAt: this.now(), terminal: false, ...(o.innlagt === undefined ? {} : { innlagt: o.innlagt }) };
        try {
          await this.store.addStayIndex(entry);
          have.set(o.key, entry);
        } catch (err) {
          if (!(isStoreError(err) && err.code === 'ERR_STORE_CONFLICT')) throw err;
          const now = (await this.store.listStayIndex({ patientRef: chain.patientRef, hospitalHerId: chain.hospitalHerId, limit: 1000 })).find((x) => x.stayKey === o.key);
          if (now !== undefined) have.set(o.key, now);
        }
      } else if (o.innlagt !== undefined && e.innlagt !== o.innlagt) {
        have.set(o.key, (await this.store.updateStayIndex(o.key, { innlagt: o.innlagt })) ?? e);
      }
    }
    const out: (StoredStayIndexEntry & { readonly derived: boolean })[] = [];
    for (const e of have.values()) {
      const known = opened.some((o) => o.key === e.stayKey);
      // Only entries outside the current derivation need a look at their record (usually none).
      const derived = known || ((await readRecord<StayRecord>(this.store, e.stayKey))?.revision !== undefined);
      out.push({ ...e, derived });
    }
    return out;
  }

  /** Applies an input stored before ADR 0014 (no chain) to the stay it names. */
  private async applyLegacy(input: ProcedureInput, msgType: string): Promise<void> {
    const event = input.event;
    if (event === undefined) return;
    let changed = false;
    const rec = await updateRecord<StayRecord>(this.store, input.stayKey, this.now, (cur) => {
      changed = false;
      if (cur === undefined || cur.supersededBy !== undefined) return undefined;
      const known = cur.messages.some((m) => m.msgId === event.id);
      const state = stateOf(cur.state);
      if (state.messages.some((m) => m.id === event.id)) {
        if (known) return undefined;
        changed = true;
        return { ...cur, messages: [...cur.messages, { msgId: event.id, type: msgType, at: event.at, direction: input.direction }] };
      }
      const result = transition(state, event);
      changed = true;
      return {
        ...cur,
        state: produced(result.state),
        messages: known ? cur.messages : [...cur.messages, { msgId: event.id, type: msgType, at: event.at, direction: input.direction }],
      };
    });
    if (rec === undefined) return;
    await this.sync(rec);
    if (changed) this.hooks.emitStayChanged(rec.key);
  }

  /** Feeds `deadline-passed` to every stay with a due deadline at or before now. */
  async tick(): Promise<number> {
    const now = this.now();
    let n = 0;
    const index: StoredStayIndexEntry[] = [];
    for (let page = await this.store.listStayIndex({ dueBy: now, limit: 1000 }); ; ) {
      index.push(...page);
      if (page.length < 1000) break;
      page = await this.store.listStayIndex({ dueBy: now, limit: 1000, afterKey: page[page.length - 1]?.stayKey as string });
    }
    for (const entry of index) {
      if (entry.nextDue === undefined || entry.nextDue.getTime() > now.getTime()) continue;
      const due = entry.nextDue.toISOString();
      const rec = await updateRecord<StayRecord>(this.store, entry.stayKey, this.now, (cur) => {
        if (cur === undefined || cur.supersededBy !== undefined) return undefined;
        const state = stateOf(cur.state);
        const result = transition(state, { type: 'deadline-passed', at: due });
        if (result.state === state) return undefined;
        return { ...cur, state: produced(result.state) };
      });
      if (rec !== undefined) {
        await this.sync(rec);
        this.hooks.emitStayChanged(rec.key);
        n++;
      }
    }
    return n;
  }

  /** Index entry and tasks from the stay's derived state. */
  private async sync(rec: StayRecord, known?: StoredStayIndexEntry): Promise<void> {
    const state = stateOf(rec.state);
    const nextDue = nextDueOf(state);
    const entry = known ?? (await this.store.listStayIndex({ patientRef: rec.patientRef, hospitalHerId: rec.hospitalHerId, limit: 1000 })).find((e) => e.stayKey === rec.key);
    if (entry !== undefined && (entry.terminal !== state.derived.terminal || entry.nextDue?.getTime() !== (nextDue === undefined ? undefined : Date.parse(nextDue)))) {
      await this.store.updateStayIndex(rec.key, { terminal: state.derived.terminal, nextDue: nextDue === undefined ? null : new Date(nextDue) });
    }
    const party: Party = this.role;
    const openIds = new Set<string>();
    const add: Parameters<TaskBook['reconcile']>[0][number][] = [];
    for (const t of state.derived.tasks) {
      if (t.party !== party) continue;
      const id = `${rec.key}#task:${t.id}`;
      openIds.add(id);
      add.push({
        id,
        kind: 'task',
        title: t.task,
        ...(t.expectedDate === undefined ? {} : { detail: `expected ${t.expectedDate}` }),
        stayKey: rec.key,
        ...(t.due === null ? {} : { due: t.due }),
      });
    }
    const alarms = new Map<string, string>();
    for (const d of state.derived.deadlines) {
      if (!d.breached || d.party !== party) continue;
      const id = `${rec.key}#alarm:${d.id}`;
      const title = `deadline ${d.rule} breached`;
      alarms.set(id, title);
      add.push({ id, kind: 'alarm', title, stayKey: rec.key, ...(d.due === null ? {} : { due: d.due }) });
    }
    // One change of the task list: new tasks and alarms in, tasks the procedure no longer asks for done.
    const prefix = `${rec.key}#task:`;
    const added = await this.tasks.reconcile(add, (t) => t.stayKey === rec.key && t.id.startsWith(prefix) && !openIds.has(t.id), 'engine:procedure');
    for (const id of added) {
      const title = alarms.get(id);
      if (title !== undefined) this.hooks.emitAlarm(id, title);
    }
  }

  /** One stay; the key of a stay whose messages moved to another stay leads to that stay. */
  async get(key: string): Promise<StayRecord | undefined> {
    if (!key.startsWith('stay:')) return undefined;
    let rec = await readRecord<StayRecord>(this.store, key);
    for (let hops = 0; rec?.supersededBy !== undefined && hops < 10; hops++) {
      rec = rec.supersededBy === '' ? undefined : await readRecord<StayRecord>(this.store, rec.supersededBy);
    }
    return rec;
  }

  /** Every current stay, oldest first (by its first message's time). */
  async list(): Promise<StayRecord[]> {
    const index = (await readRecord<StayIndex>(this.store, STAYS_KEY))?.stays ?? [];
    const out: StayRecord[] = [];
    for (const e of index) {
      const rec = await readRecord<StayRecord>(this.store, e.key);
      if (rec !== undefined && rec.supersededBy === undefined) out.push(rec);
    }
    // By the stay's own time (its first message), not by when this side happened to open it.
    const first = (r: StayRecord): number => Date.parse(r.messages[0]?.at ?? '') || 0;
    return out.sort((a, b) => first(a) - first(b));
  }
}

/** The procedure summary of a stay for the API (`StayView.procedure`), with how each answer was classified. */
export function staySummary(rec: StayRecord): unknown {
  const state = stateOf(rec.state);
  const { effects: _effects, ...summary } = summarize(state);
  return { ...summary, phase: state.derived.phase, messages: state.messages.length, answers: rec.answers ?? [] };
}
