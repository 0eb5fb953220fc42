/**
 * Model checks for parties: identifiers by type (HER-id, organisation number, fødselsnummer
 * family, HPR-nummer), required names, dates. Problems go to an issue sink with model paths.
 */
import type { IssueSink } from '../content/common/issues';
import { checkToken, hasText } from '../content/common/issues';
import { checkPersonId } from '../identifiers/person-id';
import { isValidHerId } from '../identifiers/her-id';
import { isValidOrgNumber } from '../identifiers/org-number';
import type { CodedValue } from '../xml/helpers';
import { isXsdDate } from '../xml/helpers';
import type { HealthcareProfessional, Ident, Organisation, Person, SimpleCode, TeleCom } from './types';

/** Options for person identifier checks. */
export interface PersonCheckOptions {
  /** Accept synthetic test fødselsnumre (month + 80). */
  readonly allowSynthetic?: boolean;
}

const PERSON_ID_TYPES = new Set(['FNR', 'DNR', 'HNR', 'FHN']);

/** A CV/CS code: `v` must be a non-blank token; `s`, when given, an OID. */
export function checkCode(issues: IssueSink, path: string, code: CodedValue | SimpleCode | undefined, required: boolean): void {
  if (code === undefined || code === null) {
    if (required) issues.add(path, 'is required');
    return;
  }
  if (!hasText(code.v) || /\s/.test(code.v)) issues.add(`${path}.v`, 'code value must be a non-empty token without spaces');
  const s = (code as CodedValue).s;
  if (s !== undefined && !/^(\d+\.)*\d+$/.test(s)) issues.add(`${path}.s`, `'${s}' is not an OID`);
}

/** Check one ident; `scope` says whether it identifies an organisation or a person. */
export function checkIdent(issues: IssueSink, path: string, ident: Ident, scope: 'organisation' | 'person', opts: PersonCheckOptions = {}): void {
  if (ident === undefined || ident === null || typeof ident !== 'object') {
    issues.add(path, 'is not an ident');
    return;
  }
  checkCode(issues, `${path}.typeId`, ident.typeId, true);
  checkToken(issues, `${path}.id`, ident.id, true);
  if (!hasText(ident.id) || ident.typeId === undefined) return;
  const type = ident.typeId.v;
  if (type === 'HER') {
    if (!isValidHerId(ident.id)) issues.add(`${path}.id`, `'${ident.id}' is not a valid HER-id`);
  } else if (scope === 'organisation' && type === 'ENH') {
    if (!isValidOrgNumber(ident.id)) issues.add(`${path}.id`, `'${ident.id}' is not a valid organisation number`);
  } else if (scope === 'person' && PERSON_ID_TYPES.has(type)) {
    const r = checkPersonId(ident.id, { allowSynthetic: opts.allowSynthetic === true });
    if (!r.valid) issues.add(`${path}.id`, `not a valid ${type} (${r.reason ?? 'invalid'})`);
    else if (r.kind !== type) issues.add(`${path}.typeId.v`, `the number is a ${String(r.kind)}, not a ${type}`);
  } else if (type === 'HPR') {
    if (!/^\d{1,9}$/.test(ident.id)) issues.add(`${path}.id`, `'${ident.id}' is not a valid HPR-nummer`);
  }
}

function checkTeleCom(issues: IssueSink, path: string, t: readonly TeleCom[] | undefined): void {
  (t ?? []).forEach((x, i) => {
    checkCode(issues, `${path}[${i}].typeTelecom`, x.typeTelecom, false);
    checkToken(issues, `${path}[${i}].teleAddress`, x.teleAddress, true);
  });
}

function checkPersonParts(issues: IssueSink, path: string, p: Person, opts: PersonCheckOptions): void {
  for (const key of ['familyName', 'middleName', 'givenName'] as const) checkToken(issues, `${path}.${key}`, p[key], false);
  if (p.dateOfBirth !== undefined && !isXsdDate(p.dateOfBirth)) issues.add(`${path}.dateOfBirth`, `'${p.dateOfBirth}' is not a date (YYYY-MM-DD)`);
  checkCode(issues, `${path}.sex`, p.sex, false);
  checkCode(issues, `${path}.nationality`, p.nationality, false);
  if (!Array.isArray(p.idents)) issues.add(`${path}.idents`, 'must be an array');
  else p.idents.forEach((id, i) => checkIdent(issues, `${path}.idents[${i}]`, id, 'person', opts));
  checkTeleCom(issues, `${path}.teleCom`, p.teleCom);
}

/**
 * Check a patient: family and given name and at least one identifier are required (the
 * fødselsnummer is the key that finds the record at the receiver).
 */
export function checkPatient(issues: IssueSink, path: string, p: Person | undefined, opts: PersonCheckOptions = {}): void {
  if (p === undefined || p === null) {
    issues.add(path, 'is required');
    return;
  }
  checkToken(issues, `${path}.familyName`, p.familyName, true);
  checkToken(issues, `${path}.givenName`, p.givenName, true);
  checkPersonParts(issues, path, p, opts);
  if (Array.isArray(p.idents) && p.idents.length === 0) issues.add(`${path}.idents`, 'at least one identifier (fødselsnummer, D-nummer, ...) is required');
}

/** Check a health professional: at least one ident. */
export function checkHealthcareProfessional(issues: IssueSink, path: string, h: HealthcareProfessional, opts: PersonCheckOptions = {}): void {
  checkCode(issues, `${path}.typeHealthcareProfessional`, h.typeHealthcareProfessional, false);
  checkCode(issues, `${path}.roleToPatient`, h.roleToPatient, false);
  checkPersonParts(issues, path, h, opts);
  if (Array.isArray(h.idents) && h.idents.length === 0) issues.add(`${path}.idents`, 'at least one identifier is required');
}

/** Options for {@link checkOrganisation}. */
export interface OrganisationCheckOptions {
  /** Some level must carry a HER-id (message sender and receiver). */
  readonly requireHerId: boolean;
  /** `healthcareProfessional` is allowed (MsgHead only). */
  readonly allowHealthcareProfessional: boolean;
}

/** Check an organisation chain: names, at least one ident on every level, identifier checks. */
export function checkOrganisation(issues: IssueSink, path: string, o: Organisation | undefined, opts: OrganisationCheckOptions): void {
  if (o === undefined || o === null) {
    issues.add(path, 'is required');
    return;
  }
  let hasHer = false;
  let level: Organisation | undefined = o;
  let p = path;
  while (level !== undefined) {
    checkToken(issues, `${p}.name`, level.name, true);
    checkCode(issues, `${p}.typeOrganisation`, level.typeOrganisation, false);
    if (!Array.isArray(level.idents) || level.idents.length === 0) issues.add(`${p}.idents`, 'at least one identifier (HER-id or organisation number) is required');
    else
      level.idents.forEach((id, i) => {
        checkIdent(issues, `${p}.idents[${i}]`, id, 'organisation');
        if (id?.typeId?.v === 'HER') hasHer = true;
      });
    checkTeleCom(issues, `${p}.teleCom`, level.teleCom);
    if (level.healthcareProfessional !== undefined) {
      if (opts.allowHealthcareProfessional) checkHealthcareProfessional(issues, `${p}.healthcareProfessional`, level.healthcareProfessional);
      else issues.add(`${p}.healthcareProfessional`, 'is not allowed here');
    }
    level = level.organisation;
    p = `${p}.organisation`;
  }
  if (opts.requireHerId && !hasHer) issues.add(`${path}.idents`, 'no HER-id on any level: the party cannot be addressed');
}
