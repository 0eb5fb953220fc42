/**
 * Model checks used by the Helseopplysninger, Innleggelsesrapport, Utskrivningsrapport and
 * dialogue builders, on top of the common ones (`common/issues.ts`, `parties/check.ts`):
 * Volven code-list membership, mandatory free text and dates. Internal.
 */
import type { CodedValue } from '../xml/helpers';
import { isXsdDate, volvenOid } from '../xml/helpers';
import { isKnownCode } from '../codelists/codelists';
import { checkCode } from '../parties/check';
import type { IssueSink } from './common/issues';
import { hasText } from './common/issues';

/**
 * Check a code from Volven list `system`: a non-empty token, `s` (when given) the list's OID,
 * and `v` a code of the list. With `required`, an absent code is an issue too.
 */
export function checkVolvenCode(issues: IssueSink, path: string, code: CodedValue | undefined, system: number, required: boolean): void {
  checkCode(issues, path, code, required);
  if (code === undefined || !hasText(code.v)) return;
  if (code.s !== undefined && code.s !== volvenOid(system)) issues.add(`${path}.s`, `must be ${volvenOid(system)} (kodeverk ${system})`);
  else if (!isKnownCode(system, code.v)) issues.add(`${path}.v`, `'${code.v}' is not a code in kodeverk ${system}`);
}

/** Mandatory free text: present and not blank. */
export function checkRequiredText(issues: IssueSink, path: string, value: string | undefined): void {
  if (!hasText(value)) issues.add(path, 'is mandatory free text and must not be empty');
}

/** An optional xs:date. */
export function checkDate(issues: IssueSink, path: string, value: string | undefined): void {
  if (value !== undefined && !isXsdDate(value)) issues.add(path, `'${value}' is not a date (YYYY-MM-DD)`);
}
