/**
 * The fold: every derived result of a stay (state, periods, deadlines, tasks, payment days) is
 * recomputed from the surviving messages, sorted by time then id, walked through the transition
 * table of the definition. Because nothing depends on arrival order, duplicates are idempotent,
 * late messages land where their timestamps put them, and a cancel (C) or replacement (M, O) is
 * applied by simply leaving the old message out.
 */
import { addDays, daysFromTo, endOfLocalDay, formatInstant, localDate } from './calendar';
import { HOSPITAL_STAY_DEFINITION, TRANSITIONS, isTerminalPhase } from './definition';
import type { ActionName, DeadlineRule, GuardName, ProcedureEventName, StayPhase, TaskName } from './definition';
import type { LoggedDecision, LoggedMessage, MunicipalityAnswer, Party } from './events';
import type { ProcedurePolicy } from './policy';

/** Status of a deadline. `due` is the first instant at which it is breached. */
export type DeadlineStatus = 'pending' | 'met' | 'breached' | 'not-applicable' | 'unknown';

/** One deadline of the stay, evaluated at the latest known time (the state's clock). */
export interface DeadlineState {
  /** Stable id: the rule, plus `:<period>` or `:decision:<id>`. */
  readonly id: string;
  readonly rule: DeadlineRule;
  /** The utskrivningsklar period (1-based) for period deadlines; `null` for stay deadlines. */
  readonly period: number | null;
  /** Who must act. */
  readonly party: Party;
  /** First instant at which the deadline is breached (ISO UTC); `null` when its anchor is unknown. */
  readonly due: string | null;
  /** When it was met (ISO UTC), also when met late; `null` when not (yet) met. */
  readonly metAt: string | null;
  readonly status: DeadlineStatus;
  /** `status === 'breached'`. */
  readonly breached: boolean;
}

/** One answer of the municipality within a period. */
export interface PeriodAnswer {
  readonly messageId: string;
  readonly at: string;
  readonly answer: MunicipalityAnswer;
  /** The expected date with `cannot-receive`. */
  readonly date?: string;
}

/** Why a period's payment ended. */
export type PeriodEndReason = 'can-receive' | 'offer-ready' | 'avmelding' | 'discharged' | 'deceased';

/** One utskrivningsklar period (from LOG_UTSKRIVNINGSKLAR to its end) and its payment days. */
export interface UtskrivningsklarPeriod {
  /** 1-based, in time order. */
  readonly index: number;
  /** The LOG_UTSKRIVNINGSKLAR that opened the period. */
  readonly messageId: string;
  readonly declaredAt: string;
  /** D: the local calendar day of the declaration. */
  readonly declaredDay: string;
  /** When the hospital notified (LOG_UTSKRIVNINGSKLAR time). */
  readonly notifiedAt: string;
  readonly answers: readonly PeriodAnswer[];
  /** Latest expected date given with `cannot-receive`. */
  readonly expectedReadyDate: string | null;
  /** First can-receive / offer-ready answer. */
  readonly receivableAt: string | null;
  /** Avmelding, discharge or death. */
  readonly closedAt: string | null;
  readonly closedBy: 'avmelding' | 'discharged' | 'deceased' | null;
  /** What ended the payable stretch, and when; `null` while open. */
  readonly endReason: PeriodEndReason | null;
  readonly endAt: string | null;
  /** Conditions of § 13. */
  readonly conditions: {
    readonly section8: DeadlineStatus;
    readonly section10: DeadlineStatus;
    /** The municipality answered can-receive by the § 11 deadline. */
    readonly canReceiveInTime: boolean;
  };
  /** § 8 and § 10 met and no can-receive in time. */
  readonly payable: boolean;
  /** True while the period has not ended: days accrue up to the day of the latest known time. */
  readonly open: boolean;
  readonly paymentDays: readonly string[];
  /** Sum of the daily rates; `null` when a day's year has no configured rate. */
  readonly amountNOK: number | null;
  readonly missingRateYears: readonly string[];
}

/** An open task for a person at one party. */
export interface OpenTask {
  /** Stable id, e.g. `answer-utskrivningsklar:1`. */
  readonly id: string;
  readonly task: TaskName;
  readonly party: Party;
  readonly period: number | null;
  readonly due: string | null;
  /** With `report-offer-ready`: the date the municipality expected. */
  readonly expectedDate?: string;
}

/** Something in the input that was not applied, or needs attention. */
export interface StayIssue {
  readonly code:
    | 'ignored-event'
    | 'unresolved-reference'
    | 'forward-reference'
    | 'reference-type-mismatch'
    | 'rate-missing';
  readonly messageId?: string;
  readonly message: string;
}

/** One step of the fold: an event taken through the transition table. */
export interface FoldStep {
  readonly messageId: string;
  readonly on: ProcedureEventName;
  readonly guard?: GuardName;
  readonly from: StayPhase;
  readonly to: StayPhase;
}

/** A message left out because a later message cancelled or replaced it. */
export interface SupersededMessage {
  readonly id: string;
  readonly by: string;
  readonly status: 'C' | 'M' | 'O';
}

/** Everything derived from a stay's log. Recomputed on every transition; never edited. */
export interface DerivedStay {
  readonly phase: StayPhase;
  readonly terminal: boolean;
  /** Admission time from LOG_INNLAGT, else from the § 8 notice. */
  readonly admittedAt: string | null;
  readonly noticeAt: string | null;
  readonly updates: number;
  readonly innleggelsesrapportAt: string | null;
  readonly dischargedAt: string | null;
  readonly diedAt: string | null;
  readonly utskrivningsrapportAt: string | null;
  readonly periods: readonly UtskrivningsklarPeriod[];
  readonly deadlines: readonly DeadlineState[];
  readonly tasks: readonly OpenTask[];
  readonly paymentDays: readonly string[];
  readonly amountNOK: number | null;
  readonly missingRateYears: readonly string[];
  readonly superseded: readonly SupersededMessage[];
  readonly steps: readonly FoldStep[];
  readonly issues: readonly StayIssue[];
}

interface Live {
  readonly message: LoggedMessage;
  /** Effective time (ISO) and ms: the replaced message's time under `replacementTiming: original`. */
  readonly at: string;
  readonly ms: number;
}

const ms = (iso: string): number => Date.parse(iso);

/**
 * The chain's order of message types, for messages with the same time (GenDate has second
 * precision: an answer written in the same second as the notice it answers comes after it).
 */
const TYPE_ORDER: Readonly<Record<string, number>> = {
  LOG_INNLAGT: 0,
  INNLEGGELSESRAPPORT: 1,
  HELSEOPPL_SOKNAD: 2,
  LOG_UTSKRIVNINGSKLAR: 3,
  DIALOG_FORESPORSEL: 4,
  DIALOG_SVAR: 4,
  LOG_AVMELDING: 5,
  LOG_UTSKREVET: 6,
  UTSKRIVNINGSRAPPORT: 7,
  LOG_DOD: 8,
};

function byTimeThenId(a: { ms: number; id: string; type?: string }, b: { ms: number; id: string; type?: string }): number {
  return a.ms - b.ms || (TYPE_ORDER[a.type ?? ''] ?? 4) - (TYPE_ORDER[b.type ?? ''] ?? 4) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Sorts messages by time, then the chain's type order, then id (the order of the log and of the fold). */
export function sortMessages<T extends { readonly at: string; readonly id: string; readonly type?: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => byTimeThenId({ ms: ms(a.at), id: a.id, type: a.type }, { ms: ms(b.at), id: b.id, type: b.type }));
}

function surviving(messages: readonly LoggedMessage[], policy: ProcedurePolicy, issues: StayIssue[]): { live: Live[]; superseded: SupersededMessage[] } {
  const sorted = sortMessages(messages);
  const position = new Map(sorted.map((m, i) => [m.id, i]));
  const byId = new Map(sorted.map((m) => [m.id, m]));
  const killedBy = new Map<string, SupersededMessage>();
  // Latest first: a message's own fate is settled before it may cancel or replace an earlier one.
  for (let i = sorted.length - 1; i >= 0; i--) {
    const m = sorted[i] as LoggedMessage;
    if (killedBy.has(m.id) || (m.status !== 'C' && m.status !== 'M' && m.status !== 'O') || m.refersTo === undefined) continue;
    const target = byId.get(m.refersTo);
    if (target === undefined) {
      issues.push({ code: 'unresolved-reference', messageId: m.id, message: `refers to ${m.refersTo}, not (yet) received` });
    } else if ((position.get(target.id) ?? 0) > i) {
      issues.push({ code: 'forward-reference', messageId: m.id, message: `refers to ${target.id}, which is later; reference ignored` });
    } else if (target.type !== m.type) {
      issues.push({ code: 'reference-type-mismatch', messageId: m.id, message: `${m.type} cannot cancel or replace ${target.type} ${target.id}` });
    } else {
      killedBy.set(target.id, { id: target.id, by: m.id, status: m.status });
    }
  }
  const live: Live[] = [];
  for (const m of sorted) {
    if (killedBy.has(m.id) || m.status === 'C') continue;
    let root = m;
    if (policy.replacementTiming === 'original') {
      while ((root.status === 'M' || root.status === 'O') && root.refersTo !== undefined && killedBy.get(root.refersTo)?.by === root.id) {
        root = byId.get(root.refersTo) as LoggedMessage;
      }
    }
    live.push({ message: m, at: root.at, ms: ms(root.at) });
  }
  live.sort((a, b) => byTimeThenId({ ms: a.ms, id: a.message.id, type: a.message.type }, { ms: b.ms, id: b.message.id, type: b.message.type }));
  const superseded = [...killedBy.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { live, superseded };
}

function eventName(m: LoggedMessage, policy: ProcedurePolicy): ProcedureEventName {
  switch (m.type) {
    case 'DIALOG_SVAR':
    case 'DIALOG_FORESPORSEL':
      return m.answer !== undefined && policy.answerMessageTypes.includes(m.type) ? 'ANSWER' : 'DIALOG';
    default:
      return m.type;
  }
}

const GUARDS: Readonly<Record<GuardName, (m: LoggedMessage) => boolean>> = {
  isNotice: (m) => m.subtype === 1,
  isUpdate: (m) => m.subtype === 2,
  canReceive: (m) => m.answer === 'can-receive',
  cannotReceive: (m) => m.answer === 'cannot-receive',
  offerReady: (m) => m.answer === 'offer-ready',
};

interface MutablePeriod {
  index: number;
  messageId: string;
  declaredAt: string;
  notifiedAt: string;
  answers: PeriodAnswer[];
  expectedReadyDate: string | null;
  receivableAt: string | null;
  receivableBy: 'can-receive' | 'offer-ready' | null;
  closedAt: string | null;
  closedBy: 'avmelding' | 'discharged' | 'deceased' | null;
}

interface Fold {
  phase: StayPhase;
  admittedAt: string | null;
  noticeAdmittedAt: string | null;
  noticeAt: string | null;
  updates: number;
  innleggelsesrapportAt: string | null;
  dischargedAt: string | null;
  diedAt: string | null;
  utskrivningsrapportAt: string | null;
  periods: MutablePeriod[];
}

function openPeriodOf(f: Fold): MutablePeriod | undefined {
  const last = f.periods[f.periods.length - 1];
  return last !== undefined && last.closedAt === null ? last : undefined;
}

function closeOpen(f: Fold, at: string, by: 'avmelding' | 'discharged' | 'deceased'): void {
  const p = openPeriodOf(f);
  if (p !== undefined) {
    p.closedAt = at;
    p.closedBy = by;
  }
}

const ACTIONS: Readonly<Record<ActionName, (f: Fold, m: LoggedMessage, at: string) => void>> = {
  recordAdmission: (f, m) => {
    f.admittedAt ??= m.admittedAt ?? null;
  },
  recordInnleggelsesrapport: (f, _m, at) => {
    f.innleggelsesrapportAt ??= at;
  },
  recordNotice: (f, m, at) => {
    f.noticeAt ??= at;
    f.noticeAdmittedAt ??= m.admittedAt ?? null;
  },
  recordUpdate: (f) => {
    f.updates += 1;
  },
  openPeriod: (f, m, at) => {
    f.periods.push({
      index: f.periods.length + 1,
      messageId: m.id,
      declaredAt: m.declaredAt ?? at,
      notifiedAt: at,
      answers: [],
      expectedReadyDate: null,
      receivableAt: null,
      receivableBy: null,
      closedAt: null,
      closedBy: null,
    });
  },
  recordAnswer: (f, m, at) => {
    const p = openPeriodOf(f);
    if (p === undefined || m.answer === undefined) return;
    p.answers.push(m.date === undefined ? { messageId: m.id, at, answer: m.answer } : { messageId: m.id, at, answer: m.answer, date: m.date });
    if (m.answer === 'cannot-receive' && m.date !== undefined) p.expectedReadyDate = m.date;
  },
  endPayment: (f, m, at) => {
    const p = openPeriodOf(f);
    if (p === undefined || p.receivableAt !== null) return;
    p.receivableAt = at;
    p.receivableBy = m.answer === 'can-receive' ? 'can-receive' : 'offer-ready';
  },
  closePeriod: (f, _m, at) => closeOpen(f, at, 'avmelding'),
  recordDischarge: (f, m, at) => {
    f.dischargedAt = m.dischargedAt ?? at;
    closeOpen(f, f.dischargedAt, 'discharged');
  },
  recordDeath: (f, m, at) => {
    f.diedAt = m.diedAt ?? at;
    closeOpen(f, f.diedAt, 'deceased');
  },
  recordUtskrivningsrapport: (f, _m, at) => {
    f.utskrivningsrapportAt ??= at;
  },
};

function deadlineStatus(due: number | null, met: number | null, notApplicable: boolean, clock: number | null): DeadlineStatus {
  if (due === null) return 'unknown';
  if (met !== null) return met < due ? 'met' : 'breached';
  if (notApplicable) return 'not-applicable';
  if (clock !== null && clock >= due) return 'breached';
  return 'pending';
}

function deadline(
  id: string,
  rule: DeadlineRule,
  period: number | null,
  party: Party,
  due: number | null,
  metAt: string | null,
  notApplicable: boolean,
  clock: number | null,
): DeadlineState {
  const status = deadlineStatus(due, metAt === null ? null : ms(metAt), notApplicable, clock);
  return { id, rule, period, party, due: due === null ? null : formatInstant(due), metAt, status, breached: status === 'breached' };
}

/**
 * Recomputes everything derived from a stay's log.
 *
 * @param messages the message log (any order; ids unique).
 * @param decisions the party's own decisions.
 * @param clock the latest known time (ISO), or `null` before any input.
 */
export function deriveStay(
  messages: readonly LoggedMessage[],
  decisions: readonly LoggedDecision[],
  clock: string | null,
  policy: ProcedurePolicy,
): DerivedStay {
  const tz = policy.timeZone;
  const clockMs = clock === null ? null : ms(clock);
  const issues: StayIssue[] = [];
  const { live, superseded } = surviving(messages, policy, issues);
  const f: Fold = {
    phase: HOSPITAL_STAY_DEFINITION.initial,
    admittedAt: null,
    noticeAdmittedAt: null,
    noticeAt: null,
    updates: 0,
    innleggelsesrapportAt: null,
    dischargedAt: null,
    diedAt: null,
    utskrivningsrapportAt: null,
    periods: [],
  };
  const steps: FoldStep[] = [];
  for (const { message, at } of live) {
    const on = eventName(message, policy);
    const row = TRANSITIONS.find((r) => r.on === on && r.from.includes(f.phase) && (r.guard === undefined || GUARDS[r.guard](message)));
    if (row === undefined) {
      issues.push({ code: 'ignored-event', messageId: message.id, message: `${on} has no transition from state ${f.phase}` });
      continue;
    }
    for (const action of row.actions) ACTIONS[action](f, message, at);
    const to = row.to ?? f.phase;
    steps.push(row.guard === undefined ? { messageId: message.id, on, from: f.phase, to } : { messageId: message.id, on, guard: row.guard, from: f.phase, to });
    f.phase = to;
  }

  // Deadlines.
  const deadlines: DeadlineState[] = [];
  const tasks: OpenTask[] = [];
  const admittedAt = f.admittedAt ?? f.noticeAdmittedAt;
  const stayEnd = f.dischargedAt ?? f.diedAt;
  let section8: DeadlineStatus = 'unknown';
  if (f.phase !== 'initial') {
    const due = admittedAt === null ? null : ms(admittedAt) + policy.noticeWithinHours * 3_600_000;
    const notApplicable = f.periods.length === 0 && stayEnd !== null && due !== null && ms(stayEnd) < due;
    const d = deadline('section-8-notice', 'section-8-notice', null, 'hospital', due, f.noticeAt, notApplicable, clockMs);
    section8 = d.status;
    deadlines.push(d);
  }
  const terminal = isTerminalPhase(f.phase);
  const periodInWork = f.phase === 'utskrivningsklar' || f.phase === 'waiting' || f.phase === 'receivable';
  for (const dec of sortMessages(decisions)) {
    const day = localDate(ms(dec.declaredAt), tz);
    const satisfied =
      terminal ||
      periodInWork ||
      f.periods.some((p) => ms(p.notifiedAt) >= ms(dec.at) || localDate(ms(p.declaredAt), tz) === day);
    if (satisfied) continue;
    const due = endOfLocalDay(addDays(day, policy.notifyExtraDays), tz);
    const id = `section-10-notify:decision:${dec.id}`;
    deadlines.push(deadline(id, 'section-10-notify', null, 'hospital', due, null, false, clockMs));
    tasks.push({ id: `send-utskrivningsklar:decision:${dec.id}`, task: 'send-utskrivningsklar', party: 'hospital', period: null, due: formatInstant(due) });
  }

  const rates = policy.dailyRatesNOK;
  const periods: UtskrivningsklarPeriod[] = [];
  /** A calendar day is paid once: to the earlier period when two periods share it. */
  const paid = new Set<string>();
  for (const p of f.periods) {
    const declaredDay = localDate(ms(p.declaredAt), tz);
    const notifyDue = endOfLocalDay(addDays(declaredDay, policy.notifyExtraDays), tz);
    const d10 = deadline(`section-10-notify:${p.index}`, 'section-10-notify', p.index, 'hospital', notifyDue, p.notifiedAt, false, clockMs);
    const anchorDay = policy.answerDeadline.anchor === 'notice-day' ? localDate(ms(p.notifiedAt), tz) : declaredDay;
    const answerDue = endOfLocalDay(addDays(anchorDay, policy.answerDeadline.extraDays), tz);
    const firstAnswer = p.answers[0]?.at ?? null;
    const d11 = deadline(
      `section-11-answer:${p.index}`,
      'section-11-answer',
      p.index,
      'municipality',
      answerDue,
      firstAnswer,
      firstAnswer === null && p.closedAt !== null && ms(p.closedAt) < answerDue,
      clockMs,
    );
    deadlines.push(d10, d11);

    const canReceiveInTime = p.answers.some((a) => a.answer === 'can-receive' && ms(a.at) < answerDue);
    const payable = section8 === 'met' && d10.status === 'met' && !canReceiveInTime;
    const ends: { at: string; reason: PeriodEndReason }[] = [];
    if (p.receivableAt !== null && p.receivableBy !== null) ends.push({ at: p.receivableAt, reason: p.receivableBy });
    if (p.closedAt !== null && p.closedBy !== null) ends.push({ at: p.closedAt, reason: p.closedBy });
    ends.sort((a, b) => ms(a.at) - ms(b.at));
    const end = ends[0] ?? null;
    const open = end === null;
    let paymentDays: string[] = [];
    if (payable) {
      const first = policy.paymentStart === 'declared-day' ? declaredDay : addDays(declaredDay, 1);
      let stop: string;
      if (end !== null) {
        const endDay = localDate(ms(end.at), tz);
        stop = policy.paymentEndDayCounts ? addDays(endDay, 1) : endDay;
      } else {
        stop = addDays(localDate(clockMs ?? ms(p.notifiedAt), tz), 1);
      }
      paymentDays = daysFromTo(first, stop).filter((day) => !paid.has(day));
      for (const day of paymentDays) paid.add(day);
    }
    const missing = new Set<string>();
    let amount = 0;
    for (const day of paymentDays) {
      const rate = rates[day.slice(0, 4)];
      if (rate === undefined) missing.add(day.slice(0, 4));
      else amount += rate;
    }
    periods.push({
      index: p.index,
      messageId: p.messageId,
      declaredAt: p.declaredAt,
      declaredDay,
      notifiedAt: p.notifiedAt,
      answers: p.answers,
      expectedReadyDate: p.expectedReadyDate,
      receivableAt: p.receivableAt,
      closedAt: p.closedAt,
      closedBy: p.closedBy,
      endReason: end?.reason ?? null,
      endAt: end?.at ?? null,
      conditions: { section8, section10: d10.status, canReceiveInTime },
      payable,
      open,
      paymentDays,
      amountNOK: missing.size > 0 ? null : Math.round(amount * 100) / 100,
      missingRateYears: [...missing].sort(),
    });

    if (p.closedAt === null && !terminal) {
      if (p.answers.length === 0) {
        tasks.push({ id: `answer-utskrivningsklar:${p.index}`, task: 'answer-utskrivningsklar', party: 'municipality', period: p.index, due: formatInstant(answerDue) });
      } else if (f.phase === 'waiting') {
        const t: OpenTask = { id: `report-offer-ready:${p.index}`, task: 'report-offer-ready', party: 'municipality', period: p.index, due: null };
        tasks.push(p.expectedReadyDate === null ? t : { ...t, expectedDate: p.expectedReadyDate });
      }
    }
  }

  if (f.dischargedAt !== null) {
    const due = endOfLocalDay(addDays(localDate(ms(f.dischargedAt), tz), policy.utskrivningsrapportExtraDays), tz);
    deadlines.push(deadline('utskrivningsrapport', 'utskrivningsrapport', null, 'hospital', due, f.utskrivningsrapportAt, false, clockMs));
    if (f.utskrivningsrapportAt === null && f.phase === 'discharged') {
      tasks.push({ id: 'send-utskrivningsrapport', task: 'send-utskrivningsrapport', party: 'hospital', period: null, due: formatInstant(due) });
    }
  }

  const allDays = [...new Set(periods.flatMap((p) => p.paymentDays))].sort();
  const missingYears = [...new Set(periods.flatMap((p) => p.missingRateYears))].sort();
  for (const year of missingYears) issues.push({ code: 'rate-missing', message: `no daily rate configured for ${year}` });
  const total = periods.reduce((sum, p) => sum + (p.amountNOK ?? 0), 0);

  return {
    phase: f.phase,
    terminal,
    admittedAt,
    noticeAt: f.noticeAt,
    updates: f.updates,
    innleggelsesrapportAt: f.innleggelsesrapportAt,
    dischargedAt: f.dischargedAt,
    diedAt: f.diedAt,
    utskrivningsrapportAt: f.utskrivningsrapportAt,
    periods,
    deadlines,
    tasks,
    paymentDays: allDays,
    amountNOK: missingYears.length > 0 ? null : Math.round(total * 100) / 100,
    missingRateYears: missingYears,
    superseded,
    steps,
    issues,
  };
}
