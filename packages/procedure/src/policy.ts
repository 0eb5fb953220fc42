/**
 * The procedure's policy: every deadline length, the payment rules and the daily rates. The
 * defaults follow forskrift om kommunal betaling for utskrivningsklare pasienter
 * (FOR-2011-11-18-1115) as read in `docs/protocols/hospital-stay-policy.md`; local agreements
 * override them with a JSON policy file.
 */
import { isKnownTimeZone } from './calendar';
import { throwIfIssues } from './errors';
import type { ProcedureIssue } from './errors';

/** Message types that may carry the municipality's answer to LOG_UTSKRIVNINGSKLAR (7322 = 7). */
export type AnswerMessageType = 'DIALOG_SVAR' | 'DIALOG_FORESPORSEL';

/** The resolved policy: every option present. Plain JSON; part of the persisted state. */
export interface ProcedurePolicy {
  /** IANA time zone whose calendar days count. Default `Europe/Oslo`. */
  readonly timeZone: string;
  /** § 8: hours after admission within which Helseopplysninger 9140 = 1 must be sent. Default 24. */
  readonly noticeWithinHours: number;
  /**
   * § 10: LOG_UTSKRIVNINGSKLAR is due by the end of the declared day plus this many calendar days.
   * Default 0 (the same day).
   */
  readonly notifyExtraDays: number;
  /**
   * § 11: the municipality's answer is due by the end of the anchor day plus `extraDays`. Anchor
   * `notice-day` (default) is the day LOG_UTSKRIVNINGSKLAR was sent; `declared-day` is the day the
   * patient was declared utskrivningsklar. An answer "can receive" by this deadline means no
   * payment days for the period.
   */
  readonly answerDeadline: { readonly anchor: 'notice-day' | 'declared-day'; readonly extraDays: number };
  /** Utskrivningsrapport is due by the end of the discharge day plus this many days. Default 0. */
  readonly utskrivningsrapportExtraDays: number;
  /** First payable day: the declared day D (`declared-day`, default) or the day after (`day-after`). */
  readonly paymentStart: 'declared-day' | 'day-after';
  /** Whether the day that ends a payable period (answer, avmelding, discharge, death) is payable. Default false. */
  readonly paymentEndDayCounts: boolean;
  /** Daily rate in NOK per calendar year (`"2024": 5745`). A year without a rate is flagged, never guessed. */
  readonly dailyRatesNOK: Readonly<Record<string, number>>;
  /** Message types accepted as the municipality's answer when they carry `answer`. */
  readonly answerMessageTypes: readonly AnswerMessageType[];
  /**
   * Where a replacing message (Forsendelsesstatus M or O) sits in time: `original` (default) takes
   * the place and time of the message it replaces, so a correction does not make a notice late;
   * `own` uses the replacement's own timestamp.
   */
  readonly replacementTiming: 'original' | 'own';
}

/** A partial policy as written in a policy file; missing options take the defaults. */
export interface PolicyInput {
  readonly timeZone?: string;
  readonly noticeWithinHours?: number;
  readonly notifyExtraDays?: number;
  readonly answerDeadline?: { readonly anchor?: 'notice-day' | 'declared-day'; readonly extraDays?: number };
  readonly utskrivningsrapportExtraDays?: number;
  readonly paymentStart?: 'declared-day' | 'day-after';
  readonly paymentEndDayCounts?: boolean;
  /** Merged over the default rates year by year. */
  readonly dailyRatesNOK?: Readonly<Record<string, number>>;
  readonly answerMessageTypes?: readonly AnswerMessageType[];
  readonly replacementTiming?: 'original' | 'own';
}

/** Daily rates (NOK) for utskrivningsklare pasienter, 2014-2024, as set yearly. */
export const DEFAULT_DAILY_RATES_NOK: Readonly<Record<string, number>> = Object.freeze({
  '2014': 4255,
  '2015': 4387,
  '2016': 4505,
  '2017': 4622,
  '2018': 4747,
  '2019': 4885,
  '2020': 5036,
  '2021': 5167,
  '2022': 5306,
  '2023': 5508,
  '2024': 5745,
});

/** The default policy (see the field docs of {@link ProcedurePolicy}). */
export const DEFAULT_POLICY: ProcedurePolicy = Object.freeze({
  timeZone: 'Europe/Oslo',
  noticeWithinHours: 24,
  notifyExtraDays: 0,
  answerDeadline: Object.freeze({ anchor: 'notice-day', extraDays: 0 }),
  utskrivningsrapportExtraDays: 0,
  paymentStart: 'declared-day',
  paymentEndDayCounts: false,
  dailyRatesNOK: DEFAULT_DAILY_RATES_NOK,
  answerMessageTypes: Object.freeze(['DIALOG_SVAR', 'DIALOG_FORESPORSEL'] as const),
  replacementTiming: 'original',
} as const);

/** The names of every policy option, in documentation order. */
export const POLICY_OPTIONS = [
  'timeZone',
  'noticeWithinHours',
  'notifyExtraDays',
  'answerDeadline',
  'utskrivningsrapportExtraDays',
  'paymentStart',
  'paymentEndDayCounts',
  'dailyRatesNOK',
  'answerMessageTypes',
  'replacementTiming',
] as const satisfies readonly (keyof ProcedurePolicy)[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkDays(v: unknown, path: string, issues: ProcedureIssue[], max = 366): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    issues.push({ path, message: `must be an integer from 0 to ${max}` });
    return undefined;
  }
  return v;
}

function checkEnum<T extends string>(v: unknown, allowed: readonly T[], path: string, issues: ProcedureIssue[]): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    issues.push({ path, message: `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` });
    return undefined;
  }
  return v as T;
}

/**
 * The default policy with `input` applied over it (rates merged year by year).
 *
 * @throws ProcedureError `ERR_PROCEDURE_INVALID_POLICY` listing every invalid or unknown option.
 */
export function resolvePolicy(input: unknown = {}): ProcedurePolicy {
  const issues: ProcedureIssue[] = [];
  if (!isRecord(input)) {
    throwIfIssues('ERR_PROCEDURE_INVALID_POLICY', [{ path: '', message: 'policy must be a JSON object' }]);
    return DEFAULT_POLICY;
  }
  for (const key of Object.keys(input)) {
    if (!(POLICY_OPTIONS as readonly string[]).includes(key)) issues.push({ path: key, message: 'unknown policy option' });
  }
  let timeZone: string | undefined;
  if (input['timeZone'] !== undefined) {
    if (typeof input['timeZone'] !== 'string' || !isKnownTimeZone(input['timeZone'])) {
      issues.push({ path: 'timeZone', message: 'must be an IANA time zone known to this runtime' });
    } else timeZone = input['timeZone'];
  }
  const noticeWithinHours = checkDays(input['noticeWithinHours'], 'noticeWithinHours', issues, 24 * 31);
  if (noticeWithinHours === 0) issues.push({ path: 'noticeWithinHours', message: 'must be at least 1' });
  const notifyExtraDays = checkDays(input['notifyExtraDays'], 'notifyExtraDays', issues);
  const utskrivningsrapportExtraDays = checkDays(input['utskrivningsrapportExtraDays'], 'utskrivningsrapportExtraDays', issues);
  let answerDeadline: ProcedurePolicy['answerDeadline'] = DEFAULT_POLICY.answerDeadline;
  const ad = input['answerDeadline'];
  if (ad !== undefined) {
    if (!isRecord(ad)) issues.push({ path: 'answerDeadline', message: 'must be an object { anchor, extraDays }' });
    else {
      for (const key of Object.keys(ad)) {
        if (key !== 'anchor' && key !== 'extraDays') issues.push({ path: `answerDeadline.${key}`, message: 'unknown option' });
      }
      answerDeadline = {
        anchor: checkEnum(ad['anchor'], ['notice-day', 'declared-day'] as const, 'answerDeadline.anchor', issues) ?? answerDeadline.anchor,
        extraDays: checkDays(ad['extraDays'], 'answerDeadline.extraDays', issues) ?? answerDeadline.extraDays,
      };
    }
  }
  const paymentStart = checkEnum(input['paymentStart'], ['declared-day', 'day-after'] as const, 'paymentStart', issues);
  let paymentEndDayCounts: boolean | undefined;
  if (input['paymentEndDayCounts'] !== undefined) {
    if (typeof input['paymentEndDayCounts'] !== 'boolean') issues.push({ path: 'paymentEndDayCounts', message: 'must be true or false' });
    else paymentEndDayCounts = input['paymentEndDayCounts'];
  }
  const rates: Record<string, number> = { ...DEFAULT_DAILY_RATES_NOK };
  const rin = input['dailyRatesNOK'];
  if (rin !== undefined) {
    if (!isRecord(rin)) issues.push({ path: 'dailyRatesNOK', message: 'must be an object { "YYYY": rate }' });
    else {
      for (const [year, rate] of Object.entries(rin)) {
        if (!/^[12][0-9]{3}$/.test(year)) issues.push({ path: `dailyRatesNOK.${year}`, message: 'key must be a four-digit year' });
        else if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || Math.round(rate * 100) !== rate * 100) {
          issues.push({ path: `dailyRatesNOK.${year}`, message: 'rate must be a non-negative amount in NOK with at most two decimals' });
        } else rates[year] = rate;
      }
    }
  }
  let answerMessageTypes: readonly AnswerMessageType[] | undefined;
  const amt = input['answerMessageTypes'];
  if (amt !== undefined) {
    if (!Array.isArray(amt) || amt.length === 0) issues.push({ path: 'answerMessageTypes', message: 'must be a non-empty array' });
    else {
      const list: AnswerMessageType[] = [];
      amt.forEach((t, i) => {
        const v = checkEnum(t, ['DIALOG_SVAR', 'DIALOG_FORESPORSEL'] as const, `answerMessageTypes[${i}]`, issues);
        if (v !== undefined && !list.includes(v)) list.push(v);
      });
      answerMessageTypes = list;
    }
  }
  const replacementTiming = checkEnum(input['replacementTiming'], ['original', 'own'] as const, 'replacementTiming', issues);
  throwIfIssues('ERR_PROCEDURE_INVALID_POLICY', issues);
  const sortedRates: Record<string, number> = {};
  for (const year of Object.keys(rates).sort()) sortedRates[year] = rates[year] as number;
  return {
    timeZone: timeZone ?? DEFAULT_POLICY.timeZone,
    noticeWithinHours: noticeWithinHours ?? DEFAULT_POLICY.noticeWithinHours,
    notifyExtraDays: notifyExtraDays ?? DEFAULT_POLICY.notifyExtraDays,
    answerDeadline: { anchor: answerDeadline.anchor, extraDays: answerDeadline.extraDays },
    utskrivningsrapportExtraDays: utskrivningsrapportExtraDays ?? DEFAULT_POLICY.utskrivningsrapportExtraDays,
    paymentStart: paymentStart ?? DEFAULT_POLICY.paymentStart,
    paymentEndDayCounts: paymentEndDayCounts ?? DEFAULT_POLICY.paymentEndDayCounts,
    dailyRatesNOK: sortedRates,
    answerMessageTypes: answerMessageTypes ?? [...DEFAULT_POLICY.answerMessageTypes],
    replacementTiming: replacementTiming ?? DEFAULT_POLICY.replacementTiming,
  };
}
