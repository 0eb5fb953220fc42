/**
 * HER-id: the identifier of a communication party in the national address register
 * (Adresseregisteret). A positive integer, written in messages as `Ident/Id` with
 * `TypeId V="HER"` (Volven 9051).
 */
import { PloError } from '../errors';

/**
 * Largest HER-id accepted. The address register stores HER-ids as 32-bit signed integers; real
 * values are far below this (typically 5 to 8 digits).
 */
export const MAX_HER_ID = 2_147_483_647;

const HER_ID_TEXT = /^[1-9][0-9]{0,9}$/;

/**
 * True when `value` is a plausible HER-id: a positive integer of at most ten digits, no sign, no
 * leading zero, no whitespace, not above {@link MAX_HER_ID}. HER-ids carry no check digit, so this
 * cannot tell whether the id exists in the register.
 */
export function isValidHerId(value: string | number): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 && value <= MAX_HER_ID;
  if (typeof value !== 'string' || !HER_ID_TEXT.test(value)) return false;
  return Number(value) <= MAX_HER_ID;
}

/**
 * Returns the HER-id as a string when valid.
 *
 * @throws PloError `ERR_PLO_INVALID_HER_ID` when {@link isValidHerId} is false.
 */
export function assertHerId(value: string | number): string {
  if (!isValidHerId(value)) throw new PloError('ERR_PLO_INVALID_HER_ID');
  return String(value);
}
