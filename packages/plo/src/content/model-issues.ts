/**
 * Builder-side model checks shared by the Helseopplysninger, Innleggelsesrapport,
 * Utskrivningsrapport and dialogue content models. A builder collects every problem in an
 * {@link IssueList} and throws once (`ERR_PLO_INVALID_MODEL` with `issues`), so a caller sees all
 * mistakes of a model at the same time. Internal: not exported from the package.
 */
import { PloError } from '../errors';
import type { CodedValue } from '../xml/helpers';
import { isXsdDate, isXsdDateTime, volvenOid } from '../xml/helpers';
import { isKnownCode } from '../codelists/codelists';
import { checkPersonId } from '../identifiers/person-id';
import { isValidHerId } from '../identifiers/her-id';

/** One problem found in a model: where (model path) and what. */
export interface ModelIssue {
  readonly path: string;
  readonly message: string;
}

/** Collects model issues; `throwIfAny` raises one `PloError` listing them all. */
export class IssueList {
  readonly items: ModelIssue[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  /** Throw `ERR_PLO_INVALID_MODEL` listing every issue, when there is at least one. */
  throwIfAny(what: string): void {
    const first = this.items[0];
    if (first === undefined) return;
    const summary = this.items.length === 1 ? `${first.path}: ${first.message}` : `${this.items.length} problems, first ${first.path}: ${first.message}`;
    throw new PloError('ERR_PLO_INVALID_MODEL', `Invalid ${what} model (${summary})`, { path: first.path, issues: [...this.items] });
  }
}

/** True when `value` is a string with at least one non-whitespace character. */
export function hasText(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Require non-blank free text. */
export function requireText(issues: IssueList, path: string, value: string | undefined, what: string): void {
  if (!hasText(value)) issues.add(path, `${what} is mandatory free text and must not be empty`);
}

/** Optional text, when present, must not be blank (an empty element carries nothing). */
export function checkOptionalText(issues: IssueList, path: string, value: string | undefined): void {
  if (value !== undefined && !hasText(value)) issues.add(path, 'must not be empty when given');
}

/**
 * Check a coded value against a Volven code list: `v` must be in list `system`, and `s`, when
 * given, must be that list's OID. With `required`, an absent value is an issue too.
 */
export function checkVolvenCode(
  issues: IssueList,
  path: string,
  code: CodedValue | undefined,
  system: number,
  required: boolean,
): void {
  if (code === undefined) {
    if (required) issues.add(path, `a code from kodeverk ${system} is required`);
    return;
  }
  if (!hasText(code.v)) {
    issues.add(`${path}.v`, 'code value (V) is empty');
    return;
  }
  if (code.s !== undefined && code.s !== volvenOid(system)) {
    issues.add(`${path}.s`, `code system must be ${volvenOid(system)} (kodeverk ${system}), got '${code.s}'`);
  }
  if (!isKnownCode(system, code.v)) issues.add(`${path}.v`, `'${code.v}' is not a code in kodeverk ${system}`);
}

/**
 * Check a coded value whose code list is open (any list, named by its `s`): `v` must be
 * non-empty and `s`, when given, must look like an OID.
 */
export function checkOpenCode(issues: IssueList, path: string, code: CodedValue | undefined, required: boolean): void {
  if (code === undefined) {
    if (required) issues.add(path, 'a code is required');
    return;
  }
  if (!hasText(code.v)) issues.add(`${path}.v`, 'code value (V) is empty');
  if (code.s !== undefined && !/^(\d+\.)*\d+$/.test(code.s)) issues.add(`${path}.s`, `'${code.s}' is not an OID`);
}

/** xs:date check. */
export function checkDate(issues: IssueList, path: string, value: string | undefined): void {
  if (value !== undefined && !isXsdDate(value)) issues.add(path, `'${value}' is not a date (YYYY-MM-DD)`);
}

/** xs:dateTime or xs:date check (KITH TS values allow both). */
export function checkDateOrDateTime(issues: IssueList, path: string, value: string | undefined): void {
  if (value !== undefined && !isXsdDate(value) && !isXsdDateTime(value)) {
    issues.add(path, `'${value}' is neither a date nor a date-time`);
  }
}

/** Identifier types (8116) that are fødselsnummer-family numbers. */
const PERSON_ID_TYPES = new Set(['FNR', 'DNR', 'HNR', 'FHN']);

/**
 * Check an identifier by its type: fødselsnummer-family types with `checkPersonId`, `HER` with
 * `isValidHerId`, `HPR` as digits. Other types need a non-empty id.
 */
export function checkIdent(issues: IssueList, path: string, id: string, typeCode: string): void {
  if (!hasText(id)) {
    issues.add(`${path}.id`, 'identifier is empty');
    return;
  }
  if (PERSON_ID_TYPES.has(typeCode)) {
    const r = checkPersonId(id);
    if (!r.valid) issues.add(`${path}.id`, `not a valid ${typeCode} (${r.reason ?? 'invalid'})`);
  } else if (typeCode === 'HER') {
    if (!isValidHerId(id)) issues.add(`${path}.id`, `'${id}' is not a valid HER-id`);
  } else if (typeCode === 'HPR') {
    if (!/^\d{1,9}$/.test(id)) issues.add(`${path}.id`, `'${id}' is not a valid HPR-number`);
  }
}
