/**
 * Norwegian person identifiers of the fødselsnummer family: fødselsnummer (FNR), D-nummer (DNR),
 * H-nummer (HNR), felles hjelpenummer (FH-nummer, FHN) and synthetic test numbers (Test Norge /
 * Tenor, month + 80).
 *
 * Layout of an 11-digit number: `DDMMYY iii k1 k2`.
 * - k1 weights `3 7 6 1 8 9 4 5 2` over the first nine digits; k2 weights `5 4 3 2 7 6 5 4 3 2`
 *   over the first ten digits. Classic rule: `k = 11 − (sum mod 11)`, 11 → 0, 10 → no valid number.
 * - From 2032 newly issued numbers may have any k1 with `(sum + k1) mod 11 ∈ {0, 1, 2, 3}`; k2 keeps
 *   the classic rule. A number that is valid only under this rule carries no reliable birth year,
 *   so its `birthDate` is `null`.
 * - Century from the individual number `iii` (numbers issued under the classic rule).
 */
import { PloError } from '../errors';

/** The kinds of identifier `checkPersonId` recognises (Volven 8116 codes). */
export type PersonIdKind = 'FNR' | 'DNR' | 'HNR' | 'FHN';

/**
 * Why a person identifier is invalid. Stable strings: switch on them, never on the message text.
 * - `format`: not exactly 11 ASCII digits.
 * - `check-digit`: k1 or k2 does not match.
 * - `date`: the DDMM(YY) part is not a real calendar date (after removing the D-, H- or synthetic
 *   offset), or both the D- and H-number offsets are present.
 * - `individual-number`: the individual number does not fit any century for this year.
 * - `synthetic-not-allowed`: a synthetic test number, and `allowSynthetic` was not set.
 */
export type PersonIdInvalidReason = 'format' | 'check-digit' | 'date' | 'individual-number' | 'synthetic-not-allowed';

/** The result of {@link checkPersonId}. */
export interface PersonIdResult {
  /** True when the number is structurally valid (and allowed by the options). */
  readonly valid: boolean;
  /** The identifier kind; `null` when the number could not be classified. */
  readonly kind: PersonIdKind | null;
  /** True for synthetic test numbers (Test Norge / Tenor: month + 80). */
  readonly synthetic: boolean;
  /** Birth date `YYYY-MM-DD`; `null` for FH-numbers, invalid numbers and numbers valid only under the 2032 rule. */
  readonly birthDate: string | null;
  /** Present exactly when `valid` is false. */
  readonly reason?: PersonIdInvalidReason;
}

/** A {@link PersonIdResult} that passed. */
export interface ValidPersonId extends PersonIdResult {
  readonly valid: true;
  readonly kind: PersonIdKind;
  readonly reason?: undefined;
}

/** Options for {@link checkPersonId}. */
export interface CheckPersonIdOptions {
  /**
   * Accept synthetic test numbers (month + 80). Default `false`: only environments marked as test
   * should set it. When false a synthetic number is reported with `reason: 'synthetic-not-allowed'`
   * (kind, synthetic flag and birth date are still filled in).
   */
  readonly allowSynthetic?: boolean;
}

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const ELEVEN_DIGITS = /^[0-9]{11}$/;

function weightedSum(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  return sum;
}

/** Classic mod-11 check digit for a weighted sum, or `null` when the remainder makes it 10. */
function mod11(sum: number): number | null {
  const k = 11 - (sum % 11);
  if (k === 11) return 0;
  if (k === 10) return null;
  return k;
}

/**
 * Computes the two classic check digits (k1 k2) for the first nine digits of a number of the
 * fødselsnummer family. Returns `null` when no valid number exists for these nine digits (a check
 * digit would be 10). Useful for generating test data.
 *
 * @throws TypeError when `firstNine` is not exactly nine ASCII digits.
 */
export function personIdCheckDigits(firstNine: string): string | null {
  if (typeof firstNine !== 'string' || !/^[0-9]{9}$/.test(firstNine)) {
    throw new TypeError('personIdCheckDigits expects exactly nine digits');
  }
  const digits = Array.from(firstNine, Number);
  const k1 = mod11(weightedSum(digits, K1_WEIGHTS));
  if (k1 === null) return null;
  const k2 = mod11(weightedSum([...digits, k1], K2_WEIGHTS));
  if (k2 === null) return null;
  return `${k1}${k2}`;
}

type CheckDigitRule = 'classic' | 'rule2032';

/** Which rule the check digits satisfy, or null when neither. */
function checkDigitRule(digits: readonly number[], allow2032: boolean): CheckDigitRule | null {
  const k1 = digits[9] ?? -1;
  const k2 = digits[10] ?? -1;
  const k2Expected = mod11(weightedSum(digits, K2_WEIGHTS));
  if (k2Expected === null || k2Expected !== k2) return null;
  const r1 = (weightedSum(digits, K1_WEIGHTS) + k1) % 11;
  if (r1 === 0) return 'classic';
  if (allow2032 && r1 <= 3) return 'rule2032';
  return null;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(month: number, year: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Century (1800, 1900, 2000) from the individual number and two-digit year; null when none fits. */
function centuryOf(individual: number, yy: number): number | null {
  if (individual <= 499) return 1900;
  if (individual <= 749 && yy >= 55) return 1800;
  if (individual >= 500 && yy < 40) return 2000;
  if (individual >= 900 && yy >= 40) return 1900;
  return null;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function invalid(reason: PersonIdInvalidReason): PersonIdResult {
  return { valid: false, kind: null, synthetic: false, birthDate: null, reason };
}

/**
 * Checks a number of the fødselsnummer family and classifies it.
 *
 * Recognised kinds: FNR (fødselsnummer), DNR (D-nummer: first digit + 4), HNR (H-nummer: third
 * digit + 4), FHN (felles hjelpenummer: first digit 8 or 9, classic check digits, no birth date).
 * Synthetic test numbers (month + 80) are FNR or DNR with `synthetic: true` and are valid only with
 * `allowSynthetic`.
 *
 * Never throws for data: an unreadable value gives `{ valid: false, reason: 'format' }`. The value
 * must be the bare 11 digits (no spaces).
 */
export function checkPersonId(value: string, opts: CheckPersonIdOptions = {}): PersonIdResult {
  if (typeof value !== 'string' || !ELEVEN_DIGITS.test(value)) return invalid('format');
  const digits = Array.from(value, Number);
  const d0 = digits[0] ?? 0;

  // Felles hjelpenummer: first digit 8 or 9, no date, classic check digits.
  if (d0 === 8 || d0 === 9) {
    if (checkDigitRule(digits, false) === null) return invalid('check-digit');
    return { valid: true, kind: 'FHN', synthetic: false, birthDate: null };
  }

  const dd = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  const yy = Number(value.slice(4, 6));
  const individual = Number(value.slice(6, 9));

  const isD = dd >= 41 && dd <= 71;
  const day = isD ? dd - 40 : dd;
  let month = mm;
  let isH = false;
  let synthetic = false;
  if (mm >= 81 && mm <= 92) {
    synthetic = true;
    month = mm - 80;
  } else if (mm >= 41 && mm <= 52) {
    isH = true;
    month = mm - 40;
  }
  if (isD && isH) return invalid('date');
  if (day < 1 || day > 31 || month < 1 || month > 12) return invalid('date');

  const rule = checkDigitRule(digits, true);
  if (rule === null) return invalid('check-digit');

  const kind: PersonIdKind = isD ? 'DNR' : isH ? 'HNR' : 'FNR';
  let birthDate: string | null = null;
  if (rule === 'classic') {
    const century = centuryOf(individual, yy);
    if (century === null) return invalid('individual-number');
    const year = century + yy;
    if (day > daysInMonth(month, year)) return invalid('date');
    birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  } else {
    // Issued under the 2032 rule: the year is not reliable. 29 February is accepted when some
    // century would make the two-digit year a leap year (YY divisible by 4; 00 → 2000).
    const maxDay = month === 2 ? (yy % 4 === 0 ? 29 : 28) : daysInMonth(month, 2001);
    if (day > maxDay) return invalid('date');
  }

  if (synthetic && opts.allowSynthetic !== true) {
    return { valid: false, kind, synthetic, birthDate, reason: 'synthetic-not-allowed' };
  }
  return { valid: true, kind, synthetic, birthDate };
}

/**
 * Like {@link checkPersonId}, but throws when the number is not valid.
 *
 * @throws PloError `ERR_PLO_INVALID_PERSON_ID`; the message names the reason, never the number.
 */
export function assertPersonId(value: string, opts: CheckPersonIdOptions = {}): ValidPersonId {
  const result = checkPersonId(value, opts);
  if (!result.valid || result.kind === null) {
    throw new PloError('ERR_PLO_INVALID_PERSON_ID', `Invalid person identifier (${result.reason ?? 'format'})`);
  }
  return result as ValidPersonId;
}
