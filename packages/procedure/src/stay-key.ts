/**
 * The key of one hospital stay: the patient's identifier (fødselsnummer family), the hospital's
 * HER-id and the hospital's identifier of the admission. Both parties derive the same key from
 * the messages (MsgHead Patient/Ident, the hospital's HER-id, the admission in Pasientlogistikk).
 */
import { checkPersonId, isValidHerId } from '@samhandling/plo';
import { throwIfIssues } from './errors';
import type { ProcedureIssue } from './errors';

/** Identifies one hospital stay. */
export interface StayKey {
  /** The patient's fødselsnummer, D-, H- or FH-number (11 digits). */
  readonly patientId: string;
  /** The hospital's HER-id (the organisation, not a department). */
  readonly hospitalHerId: string;
  /** The hospital's identifier of the admission (episode id, or the admission time as ISO text). */
  readonly admission: string;
}

/** Options for checking a stay key. */
export interface StayKeyOptions {
  /** Accept synthetic test person ids (month + 80). Only in environments marked as test. */
  readonly allowSyntheticPersonIds?: boolean;
}

/** Every problem with `value` as a stay key (empty when valid). */
export function checkStayKey(value: unknown, options: StayKeyOptions = {}): ProcedureIssue[] {
  const issues: ProcedureIssue[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path: '', message: 'stay key must be an object' }];
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!['patientId', 'hospitalHerId', 'admission'].includes(key)) issues.push({ path: key, message: 'unknown field' });
  }
  const pid = v['patientId'];
  if (typeof pid !== 'string' || !checkPersonId(pid, { allowSynthetic: options.allowSyntheticPersonIds ?? false }).valid) {
    issues.push({ path: 'patientId', message: 'must be a valid fødselsnummer, D-, H- or FH-number' });
  }
  const her = v['hospitalHerId'];
  if (typeof her !== 'string' || !isValidHerId(her)) issues.push({ path: 'hospitalHerId', message: 'must be a HER-id (digits)' });
  const adm = v['admission'];
  if (typeof adm !== 'string' || adm.length === 0 || adm.length > 200) issues.push({ path: 'admission', message: 'must be a non-empty string' });
  return issues;
}

/**
 * Returns a clean copy of a valid stay key.
 *
 * @throws ProcedureError `ERR_PROCEDURE_INVALID_STAY_KEY` with every issue.
 */
export function assertStayKey(value: unknown, options: StayKeyOptions = {}): StayKey {
  throwIfIssues('ERR_PROCEDURE_INVALID_STAY_KEY', checkStayKey(value, options));
  const v = value as StayKey;
  return { patientId: v.patientId, hospitalHerId: v.hospitalHerId, admission: v.admission };
}

/** True when both keys name the same stay. */
export function sameStayKey(a: StayKey, b: StayKey): boolean {
  return a.patientId === b.patientId && a.hospitalHerId === b.hospitalHerId && a.admission === b.admission;
}

/** A single string for a stay key, for use as a map or store key: `patientId|hospitalHerId|admission`. */
export function stayKeyId(key: StayKey): string {
  return `${key.patientId}|${key.hospitalHerId}|${key.admission}`;
}
