/**
 * Pseudonymous patient references (NORM: data minimisation). Operational tables, logs and audit
 * entries carry a keyed hash of the patient's identifier instead of the fødselsnummer, so entries
 * about one patient can be found (by computing the reference again) without the tables revealing
 * who the patient is.
 */
import { createHmac } from 'node:crypto';

/** Prefix of references made by {@link patientRef} (version 1: HMAC-SHA-256, base64url). */
export const PATIENT_REF_PREFIX = 'p1-';

/** Shortest key accepted by {@link patientRef}, in bytes. */
export const PATIENT_REF_MIN_KEY_BYTES = 16;

/**
 * The pseudonymous reference of a patient: HMAC-SHA-256 of the identifier (fødselsnummer, D-, H-
 * or FH-number; 11 digits) with a secret key held by the installation, as `p1-<base64url>`.
 * Keep the key outside the database; rotating it makes old references unfindable.
 *
 * @throws TypeError when `patientId` is not 11 digits; RangeError when the key is shorter than 16 bytes.
 */
export function patientRef(patientId: string, key: Uint8Array | string): string {
  if (typeof patientId !== 'string' || !/^\d{11}$/.test(patientId)) throw new TypeError('patientId must be 11 digits');
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (!(keyBytes instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array or a string');
  if (keyBytes.length < PATIENT_REF_MIN_KEY_BYTES) throw new RangeError(`key must be at least ${PATIENT_REF_MIN_KEY_BYTES} bytes`);
  return PATIENT_REF_PREFIX + createHmac('sha256', keyBytes).update(patientId, 'utf8').digest('base64url');
}
