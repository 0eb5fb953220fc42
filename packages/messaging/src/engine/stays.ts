/**
 * The hospital-stay procedure inside the engine: which stay a message belongs to, the procedure
 * event a message makes, applying it (idempotently: a message id already in the stay changes
 * nothing), deadline ticks from persisted due times, and tasks/alarms synchronised from the
 * derived state (so a crash between saving the state and writing the tasks loses nothing: the
 * next apply or tick writes them).
 */
import { UTSKRIVNINGSKLAR_FEEDBACK_TOPIC } from '@samhandling/plo';
import type { DialogForesporsel, DialogSvar, Helseopplysninger, Pasientlogistikk, ParsedMessage } from '@samhandling/plo';
import { PROCEDURE_MESSAGE_TYPES, createStay, migrateState, summarize, transition } from '@samhandling/procedure';
import type { Forsendelsesstatus, MessageEvent, MunicipalityAnswer, Party, PolicyInput, ProcedureMessageType, StayState } from '@samhandling/procedure';
import type { MessagingStore } from '../store/types';
import type { AnswerClassifier, EngineRole } from './config';
import type { TaskBook} from './records';
import { STAYS_KEY, readRecord, updateRecord } from './records';

/** A message of a stay as the engine lists it. */
export interface StayMessageRef {
  readonly msgId: string;
  readonly type: string;
  readonly at: string;
  readonly direction: 'outgoing' | 'incoming';
}

/** A stay as stored (`stay:<patientRef>|<hospitalHerId>|<admission>`). */
export interface StayRecord {
  readonly key: string;
  readonly patientRef: string;
  readonly hospitalHerId: string;
  readonly partnerHerId: string;
  readonly admission: string;
  readonly state: StayState;
  readonly messages: readonly StayMessageRef[];
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

/** The procedure part of an outgoing or incoming message: enough to apply it again after a crash. */
export interface ProcedureInput {
  readonly stayKey: string;
  readonly event: MessageEvent;
  readonly direction: 'outgoing' | 'incoming';
}

/** Types that may open a stay (the others join an existing one). */
const OPENERS: ReadonlySet<string> = new Set(['LOG_INNLAGT', 'INNLEGGELSESRAPPORT', 'HELSEOPPL_SOKNAD', 'LOG_UTSKRIVNINGSKLAR']);

const OFFSET = /(?:Z|[+-]\d{2}:\d{2})$/;

function withOffset(v: unknown): string | undefined {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && OFFSET.test(v) ? v : undefined;
}

function isTopic7(topic: { readonly v?: string; readonly s?: string } | undefined): boolean {
  return topic?.v === UTSKRIVNINGSKLAR_FEEDBACK_TOPIC.v && (topic.s === undefined || topic.s === UTSKRIVNINGSKLAR_FEEDBACK_TOPIC.s);
}

/**
 * The default {@link AnswerClassifier} (UNVERIFIED heuristic, replace it with the partners' agreed
 * rule): a DIALOG_FORESPORSEL / DIALOG_SVAR whose topic is 7322 = 7 carries the municipality's
 * answer in free text. "kan ikke" → cannot-receive (the first YYYY-MM-DD in the text is the
 * expected date); "klar"/"klart" → offer-ready; "kan ta imot"/"kan motta" → can-receive.
 */
export const defaultAnswerClassifier: AnswerClassifier = (message) => {
  const texts: string[] = [];
  if (message.type === 'DIALOG_FORESPORSEL') {
    const c = message.content as DialogForesporsel | undefined;
    for (const q of c?.questions ?? []) if (isTopic7(q.topic) && q.question !== undefined) texts.push(q.question);
  } else if (message.type === 'DIALOG_SVAR') {
    const c = message.content as DialogSvar | undefined;
    if (c !== undefined && isTopic7(c.question?.topic) && c.answer !== undefined) texts.push(c.answer);
  }
  if (texts.length === 0) return undefined;
  const text = texts.join('\n').toLowerCase();
  const date = /\b(\d{4}-\d{2}-\d{2})\b/.exec(text)?.[1];
  let answer: MunicipalityAnswer | undefined;
  if (/\bkan ikke\b/.test(text)) answer = 'cannot-receive';
  else if (/\bklar[t]?\b/.test(text)) answer = 'offer-ready';
  else if (/\bkan (ta imot|motta)\b/.test(text)) answer = 'can-receive';
  if (answer === undefined) return undefined;
  return answer === 'cannot-receive' && date !== undefined ? { answer, date } : { answer };
};

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
  constructor(
    private readonly store: MessagingStore,
    private readonly now: () => Date,
    private readonly tasks: TaskBook,
    private readonly role: EngineRole,
    private readonly policy: PolicyInput | undefined,
    private readonly allowSynthetic: boolean,
    private readonly hooks: StayHooks,
  ) {}

  /**
   * Finds or opens the stay a message belongs to, for (patient, hospital). Openers (LOG_INNLAGT,
   * INNLEGGELSESRAPPORT, HELSEOPPL_SOKNAD, LOG_UTSKRIVNINGSKLAR) open a stay when none is open
   * (LOG_INNLAGT also when the open one has another LOG_INNLAGT); the others join the open stay,
   * else the latest one. The admission id of a new stay is the MsgId that opened it, so both
   * parties derive the same key. Idempotent for the same message.
   */
  async resolve(input: {
    readonly patientId: string;
    readonly patientRef: string;
    readonly hospitalHerId: string;
    readonly partnerHerId: string;
    readonly msgId: string;
    readonly type: string;
  }): Promise<string | undefined> {
    let chosen: string | undefined;
    await updateRecord<StayIndex>(this.store, STAYS_KEY, this.now, (cur) => {
      chosen = undefined;
      const stays = cur?.stays ?? [];
      const own = stays.filter((s) => s.patientRef === input.patientRef && s.hospitalHerId === input.hospitalHerId);
      const mine = own.find((s) => s.key.endsWith(`|${input.msgId}`));
      if (mine !== undefined) {
        chosen = mine.key;
        return undefined;
      }
      const open = [...own].reverse().find((s) => !s.terminal);
      if (open !== undefined && (input.type !== 'LOG_INNLAGT' || open.innlagt === undefined || open.innlagt === input.msgId)) {
        chosen = open.key;
        if (input.type === 'LOG_INNLAGT' && open.innlagt === undefined) {
          return { stays: stays.map((s) => (s.key === open.key ? { ...s, innlagt: input.msgId } : s)) };
        }
        return undefined;
      }
      if (!OPENERS.has(input.type)) {
        chosen = own[own.length - 1]?.key;
        return undefined;
      }
      const entry: StayIndexEntry = {
        key: `stay:${input.patientRef}|${input.hospitalHerId}|${input.msgId}`,
        patientRef: input.patientRef,
        hospitalHerId: input.hospitalHerId,
        openedAt: this.now().toISOString(),
        terminal: false,
        ...(input.type === 'LOG_INNLAGT' ? { innlagt: input.msgId } : {}),
      };
      chosen = entry.key;
      return { stays: [...stays, entry] };
    });
    if (chosen === undefined) return undefined;
    const key = chosen;
    const admission = key.slice(key.lastIndexOf('|') + 1);
    await updateRecord<StayRecord>(
      this.store,
      key,
      this.now,
      (cur) => {
        if (cur !== undefined) return undefined;
        const state = createStay({
          key: { patientId: input.patientId, hospitalHerId: input.hospitalHerId, admission },
          allowSyntheticPersonIds: this.allowSynthetic,
          ...(this.policy === undefined ? {} : { policy: this.policy }),
        });
        return { key, patientRef: input.patientRef, hospitalHerId: input.hospitalHerId, partnerHerId: input.partnerHerId, admission, state, messages: [] };
      },
      input.patientRef,
    );
    return key;
  }

  /** Applies a message event to its stay (idempotent), then syncs the index and the tasks. */
  async apply(input: ProcedureInput, msgType: string): Promise<void> {
    let changed = false;
    const rec = await updateRecord<StayRecord>(this.store, input.stayKey, this.now, (cur) => {
      changed = false;
      if (cur === undefined) return undefined;
      const known = cur.messages.some((m) => m.msgId === input.event.id);
      const state = migrateState(cur.state);
      if (state.messages.some((m) => m.id === input.event.id)) {
        if (known) return undefined;
        changed = true;
        return { ...cur, messages: [...cur.messages, { msgId: input.event.id, type: msgType, at: input.event.at, direction: input.direction }] };
      }
      const result = transition(state, input.event);
      changed = true;
      return {
        ...cur,
        state: result.state,
        messages: known ? cur.messages : [...cur.messages, { msgId: input.event.id, type: msgType, at: input.event.at, direction: input.direction }],
      };
    });
    if (rec === undefined) return;
    await this.sync(rec);
    if (changed) this.hooks.emitStayChanged(rec.key);
  }

  /** Records a non-procedure message (e.g. DIALOG_AVVIK) in the stay's message list only. */
  async note(stayKey: string, ref: StayMessageRef): Promise<void> {
    await updateRecord<StayRecord>(this.store, stayKey, this.now, (cur) => {
      if (cur === undefined || cur.messages.some((m) => m.msgId === ref.msgId)) return undefined;
      return { ...cur, messages: [...cur.messages, ref] };
    });
  }

  /** Feeds `deadline-passed` to every stay with a due deadline at or before now. */
  async tick(): Promise<number> {
    const now = this.now();
    const index = (await readRecord<StayIndex>(this.store, STAYS_KEY))?.stays ?? [];
    let n = 0;
    for (const entry of index) {
      if (entry.nextDue === undefined || Date.parse(entry.nextDue) > now.getTime()) continue;
      const due = entry.nextDue;
      const rec = await updateRecord<StayRecord>(this.store, entry.key, this.now, (cur) => {
        if (cur === undefined) return undefined;
        const state = migrateState(cur.state);
        const result = transition(state, { type: 'deadline-passed', at: due });
        if (result.state === state) return undefined;
        return { ...cur, state: result.state };
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
  private async sync(rec: StayRecord): Promise<void> {
    const state = migrateState(rec.state);
    const nextDue = nextDueOf(state);
    await updateRecord<StayIndex>(this.store, STAYS_KEY, this.now, (cur) => {
      const stays = cur?.stays ?? [];
      const entry = stays.find((s) => s.key === rec.key);
      if (entry === undefined) return undefined;
      if (entry.terminal === state.derived.terminal && entry.nextDue === nextDue) return undefined;
      const { nextDue: _old, ...rest } = entry;
      const updated: StayIndexEntry = { ...rest, terminal: state.derived.terminal, ...(nextDue === undefined ? {} : { nextDue }) };
      return { stays: stays.map((s) => (s.key === rec.key ? updated : s)) };
    });
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

  /** One stay. */
  async get(key: string): Promise<StayRecord | undefined> {
    if (!key.startsWith('stay:')) return undefined;
    return readRecord<StayRecord>(this.store, key);
  }

  /** Every stay, oldest first. */
  async list(): Promise<StayRecord[]> {
    const index = (await readRecord<StayIndex>(this.store, STAYS_KEY))?.stays ?? [];
    const out: StayRecord[] = [];
    for (const e of index) {
      const rec = await this.get(e.key);
      if (rec !== undefined) out.push(rec);
    }
    return out;
  }
}

/** The procedure summary of a stay for the API (`StayView.procedure`). */
export function staySummary(rec: StayRecord): unknown {
  const state = migrateState(rec.state);
  const { effects: _effects, ...summary } = summarize(state);
  return { ...summary, phase: state.derived.phase, messages: state.messages.length };
}
