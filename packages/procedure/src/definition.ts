/**
 * The declarative definition of the standard procedure for one hospital stay (DOMAIN §4,
 * forskrift om kommunal betaling for utskrivningsklare pasienter, FOR-2011-11-18-1115): states,
 * events, named guards and actions, the transition table, deadlines, effects and the policy
 * defaults. It is data: the fold in `derive.ts` walks this table, the protocol page is generated
 * from it, and its canonical JSON gives the content hash both parties compare.
 *
 * Change the behaviour ⇒ change this object ⇒ bump `version` (the hash changes by itself).
 */
import { contentHash } from './canonical';
import { DEFAULT_POLICY } from './policy';

const IN_STAY = ['admitted', 'utskrivningsklar', 'waiting', 'receivable'] as const;
const NOT_TERMINAL = ['initial', ...IN_STAY] as const;
const WAITING_FOR_ANSWER = ['utskrivningsklar', 'waiting'] as const;
const IN_PERIOD = ['utskrivningsklar', 'waiting', 'receivable'] as const;

/** The hospital-stay procedure, version 1.0.0. */
export const HOSPITAL_STAY_DEFINITION = {
  id: 'hospital-stay',
  version: '1.0.0',
  title: 'Standard procedure for one hospital stay',
  legalBasis: 'FOR-2011-11-18-1115 (forskrift om kommunal betaling for utskrivningsklare pasienter) §§ 8-13',
  stayKey: ['patientId', 'hospitalHerId', 'admission'],
  initial: 'initial',
  states: {
    initial: { terminal: false, description: 'No message of the stay seen yet.' },
    admitted: { terminal: false, description: 'The patient is in hospital and under treatment (also again after LOG_AVMELDING).' },
    utskrivningsklar: {
      terminal: false,
      description: 'Declared utskrivningsklar and notified (LOG_UTSKRIVNINGSKLAR); waiting for the municipality’s answer.',
    },
    waiting: { terminal: false, description: 'The municipality answered it cannot receive the patient yet; payment days accrue.' },
    receivable: { terminal: false, description: 'The municipality can receive the patient or reported the offer ready; payment stopped.' },
    discharged: { terminal: true, description: 'LOG_UTSKREVET: the patient has left the hospital.' },
    deceased: { terminal: true, description: 'LOG_DOD: the patient died during the stay.' },
  },
  events: {
    LOG_INNLAGT: { kind: 'message', messageType: 'LOG_INNLAGT', sender: 'hospital', description: 'Melding om innlagt pasient (9121 = 1).' },
    INNLEGGELSESRAPPORT: {
      kind: 'message',
      messageType: 'INNLEGGELSESRAPPORT',
      sender: 'municipality',
      description: 'Innleggelsesrapport: nursing status at admission; may come without LOG_INNLAGT.',
    },
    HELSEOPPL_SOKNAD: {
      kind: 'message',
      messageType: 'HELSEOPPL_SOKNAD',
      sender: 'hospital',
      description: 'Helseopplysninger: 9140 = 1 varsel om innlagt pasient (§ 8), 9140 = 2 oppdaterte opplysninger.',
    },
    LOG_UTSKRIVNINGSKLAR: {
      kind: 'message',
      messageType: 'LOG_UTSKRIVNINGSKLAR',
      sender: 'hospital',
      description: 'Melding om utskrivningsklar pasient (9121 = 3), carrying the time of the declaration.',
    },
    ANSWER: {
      kind: 'message',
      messageType: 'policy.answerMessageTypes (default DIALOG_SVAR, DIALOG_FORESPORSEL) with an answer',
      sender: 'municipality',
      description: 'The municipality’s answer to LOG_UTSKRIVNINGSKLAR (7322 = 7): can-receive, cannot-receive (with an expected date) or offer-ready.',
    },
    DIALOG: { kind: 'message', messageType: 'DIALOG_FORESPORSEL, DIALOG_SVAR without an answer', sender: 'either', description: 'Other dialogue; logged only.' },
    LOG_AVMELDING: {
      kind: 'message',
      messageType: 'LOG_AVMELDING',
      sender: 'hospital',
      description: 'Avmelding av utskrivningsklar pasient (9121 = 4): the patient needs hospital treatment again.',
    },
    LOG_UTSKREVET: { kind: 'message', messageType: 'LOG_UTSKREVET', sender: 'hospital', description: 'Melding om utskrevet pasient (9121 = 2).' },
    UTSKRIVNINGSRAPPORT: {
      kind: 'message',
      messageType: 'UTSKRIVNINGSRAPPORT',
      sender: 'hospital',
      description: 'Utskrivningsrapport: nursing discharge report, due the discharge day.',
    },
    LOG_DOD: { kind: 'message', messageType: 'LOG_DOD', sender: 'either', description: 'Orientering om dødsfall (9121 = 13).' },
  },
  inputs: {
    message: 'A message of the chain, sent or received; both parties’ copies give the same state. Forsendelsesstatus C cancels, M/O replace the message named by refersTo.',
    decision: 'declare-utskrivningsklar: the hospital’s physician declared the patient utskrivningsklar (opens the § 10 deadline before the message exists). Local to the party that makes it.',
    'deadline-passed': 'The caller’s scheduler reports that time has reached a due instant. Only moves the clock; never undoes anything.',
  },
  guards: {
    isNotice: 'HELSEOPPL_SOKNAD with 9140 = 1 (varsel om innlagt pasient).',
    isUpdate: 'HELSEOPPL_SOKNAD with 9140 = 2 (oppdaterte opplysninger).',
    canReceive: 'answer = can-receive.',
    cannotReceive: 'answer = cannot-receive.',
    offerReady: 'answer = offer-ready.',
  },
  actions: {
    recordAdmission: 'Remember the admission time (first live LOG_INNLAGT).',
    recordInnleggelsesrapport: 'Remember that the Innleggelsesrapport arrived.',
    recordNotice: 'Remember the § 8 notice (first live 9140 = 1); it may carry the admission time.',
    recordUpdate: 'Count updated Helseopplysninger.',
    openPeriod: 'Open a new utskrivningsklar period with declared day D.',
    recordAnswer: 'Add the answer to the open period (the first answer meets § 11).',
    endPayment: 'The municipality can receive the patient: payment for the period ends that day.',
    closePeriod: 'Close the open period (LOG_AVMELDING); payment ends that day.',
    recordDischarge: 'Remember the discharge time; close the open period.',
    recordDeath: 'Remember the death; close the open period.',
    recordUtskrivningsrapport: 'Remember the Utskrivningsrapport (first live one meets its deadline).',
  },
  transitions: [
    { from: ['initial'], on: 'LOG_INNLAGT', to: 'admitted', actions: ['recordAdmission'] },
    { from: IN_STAY, on: 'LOG_INNLAGT', actions: ['recordAdmission'] },
    { from: ['initial'], on: 'INNLEGGELSESRAPPORT', to: 'admitted', actions: ['recordInnleggelsesrapport'] },
    { from: IN_STAY, on: 'INNLEGGELSESRAPPORT', actions: ['recordInnleggelsesrapport'] },
    { from: ['initial'], on: 'HELSEOPPL_SOKNAD', guard: 'isNotice', to: 'admitted', actions: ['recordNotice'] },
    { from: IN_STAY, on: 'HELSEOPPL_SOKNAD', guard: 'isNotice', actions: ['recordNotice'] },
    { from: ['initial'], on: 'HELSEOPPL_SOKNAD', guard: 'isUpdate', to: 'admitted', actions: ['recordUpdate'] },
    { from: IN_STAY, on: 'HELSEOPPL_SOKNAD', guard: 'isUpdate', actions: ['recordUpdate'] },
    { from: ['initial', 'admitted'], on: 'LOG_UTSKRIVNINGSKLAR', to: 'utskrivningsklar', actions: ['openPeriod'] },
    { from: WAITING_FOR_ANSWER, on: 'ANSWER', guard: 'canReceive', to: 'receivable', actions: ['recordAnswer', 'endPayment'] },
    { from: WAITING_FOR_ANSWER, on: 'ANSWER', guard: 'offerReady', to: 'receivable', actions: ['recordAnswer', 'endPayment'] },
    { from: WAITING_FOR_ANSWER, on: 'ANSWER', guard: 'cannotReceive', to: 'waiting', actions: ['recordAnswer'] },
    { from: ['receivable'], on: 'ANSWER', actions: ['recordAnswer'] },
    { from: IN_PERIOD, on: 'LOG_AVMELDING', to: 'admitted', actions: ['closePeriod'] },
    { from: NOT_TERMINAL, on: 'LOG_UTSKREVET', to: 'discharged', actions: ['recordDischarge'] },
    { from: NOT_TERMINAL, on: 'LOG_DOD', to: 'deceased', actions: ['recordDeath'] },
    { from: [...NOT_TERMINAL, 'discharged'], on: 'UTSKRIVNINGSRAPPORT', actions: ['recordUtskrivningsrapport'] },
    { from: [...NOT_TERMINAL, 'discharged', 'deceased'], on: 'DIALOG', actions: [] },
  ],
  deadlines: [
    {
      rule: 'section-8-notice',
      section: '§ 8',
      party: 'hospital',
      scope: 'stay',
      anchor: 'admission time (LOG_INNLAGT admittedAt, else HELSEOPPL_SOKNAD admittedAt)',
      due: 'anchor + policy.noticeWithinHours hours',
      metBy: 'first live HELSEOPPL_SOKNAD with 9140 = 1',
      notApplicable: 'the stay ended before the due time and no utskrivningsklar period was opened',
    },
    {
      rule: 'section-10-notify',
      section: '§ 10',
      party: 'hospital',
      scope: 'period',
      anchor: 'declared time (LOG_UTSKRIVNINGSKLAR declaredAt, or a declare-utskrivningsklar decision)',
      due: 'end of the declared day + policy.notifyExtraDays days',
      metBy: 'the LOG_UTSKRIVNINGSKLAR that opened the period',
      notApplicable: 'never',
    },
    {
      rule: 'section-11-answer',
      section: '§ 11',
      party: 'municipality',
      scope: 'period',
      anchor: 'policy.answerDeadline.anchor: the day LOG_UTSKRIVNINGSKLAR was sent (notice-day) or the declared day',
      due: 'end of the anchor day + policy.answerDeadline.extraDays days',
      metBy: 'the first answer in the period (any of can-receive, cannot-receive, offer-ready)',
      notApplicable: 'the period closed (avmelding, discharge, death) before an answer and before the due time',
    },
    {
      rule: 'utskrivningsrapport',
      section: 'procedure step 7',
      party: 'hospital',
      scope: 'stay',
      anchor: 'discharge time (LOG_UTSKREVET dischargedAt)',
      due: 'end of the discharge day + policy.utskrivningsrapportExtraDays days',
      metBy: 'first live UTSKRIVNINGSRAPPORT',
      notApplicable: 'no discharge (e.g. death)',
    },
  ],
  payment: {
    section: '§ 13',
    payable: 'a period whose § 8 and § 10 deadlines were met, and where no can-receive answer came by the § 11 deadline',
    firstDay: 'policy.paymentStart: the declared day D, or the day after',
    end: 'the first of: a can-receive or offer-ready answer, LOG_AVMELDING, discharge, death; that day counts only when policy.paymentEndDayCounts',
    open: 'a period not ended yet accrues days up to and including the day of the latest known time',
    amount: 'sum over payable days of the daily rate of that day’s year (policy.dailyRatesNOK); a year without a rate makes the amount null and is reported',
  },
  effects: {
    task: {
      'answer-utskrivningsklar': 'municipality: answer LOG_UTSKRIVNINGSKLAR (due § 11).',
      'report-offer-ready': 'municipality: report at once when the offer is ready (after cannot-receive).',
      'send-utskrivningsklar': 'hospital: send LOG_UTSKRIVNINGSKLAR for a declared patient (due § 10).',
      'send-utskrivningsrapport': 'hospital: send the Utskrivningsrapport (due the discharge day).',
    },
    alarm: 'A deadline became breached (one alarm per deadline).',
    'schedule-deadline': 'A deadline is pending: feed a deadline-passed event at its due time.',
    notification: {
      'phase-changed': 'The stay moved to another state.',
      'message-superseded': 'A message was cancelled (C) or replaced (M, O); results were recomputed.',
      'rate-missing': 'A payable day falls in a year without a configured daily rate.',
      anomaly: 'A message was ignored or a reference could not be applied (see issues).',
    },
  },
  policyDefaults: DEFAULT_POLICY,
} as const;

/** The definition's type. */
export type ProcedureDefinition = typeof HOSPITAL_STAY_DEFINITION;
/** A state (phase) name of the hospital stay. */
export type StayPhase = keyof ProcedureDefinition['states'];
/** An event name of the transition table. */
export type ProcedureEventName = keyof ProcedureDefinition['events'];
/** A guard name. */
export type GuardName = keyof ProcedureDefinition['guards'];
/** An action name. */
export type ActionName = keyof ProcedureDefinition['actions'];
/** A deadline rule name. */
export type DeadlineRule = ProcedureDefinition['deadlines'][number]['rule'];
/** A task name. */
export type TaskName = keyof ProcedureDefinition['effects']['task'];
/** One row of the transition table. `to` absent: the state stays. */
export interface TransitionRow {
  readonly from: readonly StayPhase[];
  readonly on: ProcedureEventName;
  readonly guard?: GuardName;
  readonly to?: StayPhase;
  readonly actions: readonly ActionName[];
}

/** The transition table, typed. */
export const TRANSITIONS: readonly TransitionRow[] = HOSPITAL_STAY_DEFINITION.transitions;

/** True when `phase` is terminal (discharged, deceased). */
export function isTerminalPhase(phase: StayPhase): boolean {
  return HOSPITAL_STAY_DEFINITION.states[phase].terminal;
}

/** Identity of a machine definition: id, version and content hash. */
export interface MachineInfo {
  readonly id: string;
  readonly version: string;
  /** SHA-256 (hex) of the canonical JSON of the whole definition, policy defaults included. */
  readonly hash: string;
}

let cachedInfo: MachineInfo | undefined;

/**
 * The id, version and content hash of {@link HOSPITAL_STAY_DEFINITION}. Two parties running the
 * same procedure get the same hash.
 */
export function machineInfo(): MachineInfo {
  cachedInfo ??= {
    id: HOSPITAL_STAY_DEFINITION.id,
    version: HOSPITAL_STAY_DEFINITION.version,
    hash: contentHash(HOSPITAL_STAY_DEFINITION),
  };
  return cachedInfo;
}
