/**
 * Organisasjonsnummer: the nine-digit number of a legal unit in Enhetsregisteret, used in
 * messages with `TypeId V="ENH"` (Volven 9051) when a party has no HER-id. The ninth digit is a
 * mod-11 check digit over the first eight with weights `3 2 7 6 5 4 3 2`.
 */
import { PloError } from '../errors';

const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;
const NINE_DIGITS = /^[0-9]{9}$/;

/**
 * Computes the check digit for the first eight digits of an organisation number, or `null` when no
 * valid number exists for them (the check digit would be 10).
 *
 * @throws TypeError when `firstEight` is not exactly eight ASCII digits.
 */
export function orgNumberCheckDigit(firstEight: string): number | null {
  if (typeof firstEight !== 'string' || !/^[0-9]{8}$/.test(firstEight)) {
    throw new TypeError('orgNumberCheckDigit expects exactly eight digits');
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(firstEight[i]) * (ORG_WEIGHTS[i] ?? 0);
  const k = 11 - (sum % 11);
  if (k === 11) return 0;
  if (k === 10) return null;
  return k;
}

/**
 * True when `value` is nine digits (string, or a number with nine digits) whose last digit is the
 * mod-11 check digit. Does not check that the unit exists in Enhetsregisteret.
 */
export function isValidOrgNumber(value: string | number): boolean {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return false;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return false;
  }
  if (!NINE_DIGITS.test(text)) return false;
  return orgNumberCheckDigit(text.slice(0, 8)) === Number(text[8]);
}

/**
 * Returns the organisation number as a nine-digit string when valid.
 *
 * @throws PloError `ERR_PLO_INVALID_ORG_NUMBER` when {@link isValidOrgNumber} is false.
 */
export function assertOrgNumber(value: string | number): string {
  if (!isValidOrgNumber(value)) throw new PloError('ERR_PLO_INVALID_ORG_NUMBER');
  return String(value);
}
