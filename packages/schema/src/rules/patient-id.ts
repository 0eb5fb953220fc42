import { checkPersonId } from '@samhandling/plo';
import type { XmlElement } from '@samhandling/plo';
import { makeIssue } from '../issues';
import type { Issue } from '../issues';
import { childNamed, childrenNamed, textOf } from '../locate';
import type { Rule } from './context';
import { messageTypeOf, msgInfo } from './msghead-paths';

/** TypeId codes (8116) that carry a fødselsnummer-family identifier. */
const PERSON_ID_TYPES: ReadonlySet<string> = new Set(['FNR', 'DNR', 'HNR', 'FHN']);

/**
 * The patient (MsgInfo/Patient) must carry a fødselsnummer, D-, H- or FH-number with correct
 * check digits. Synthetic test numbers are accepted only in a test environment.
 */
export const patientIdRule: Rule = (ctx) => {
  const issues: Issue[] = [];
  if (ctx.kind !== 'msghead') return issues;
  const info = msgInfo(ctx);
  if (info === undefined) return issues;
  const type = messageTypeOf(ctx.root, ctx.kind) ?? '';
  const patient = childNamed(info, 'Patient');
  if (patient === undefined) {
    if (ctx.requiresPatient(type)) {
      issues.push(makeIssue('ERR_SCHEMA_PATIENT_ID_MISSING', `A ${type} message must identify the patient`, { line: info.line, xpath: ctx.locator.pathOf(info) }));
    }
    return issues;
  }
  const personIdents: XmlElement[] = childrenNamed(patient, 'Ident').filter((ident) =>
    PERSON_ID_TYPES.has(childNamed(ident, 'TypeId')?.attrs['V'] ?? ''),
  );
  if (personIdents.length === 0) {
    issues.push(
      makeIssue('ERR_SCHEMA_PATIENT_ID_MISSING', 'Patient has no fødselsnummer, D-number or H-number', {
        line: patient.line,
        xpath: ctx.locator.pathOf(patient),
      }),
    );
    return issues;
  }
  for (const ident of personIdents) {
    const idElement = childNamed(ident, 'Id') ?? ident;
    // The path is looked up only for an issue (it indexes the whole tree).
    const location = (): { line: number | undefined; xpath: string | undefined } => ({ line: idElement.line, xpath: ctx.locator.pathOf(idElement) });
    const typeId = childNamed(ident, 'TypeId')?.attrs['V'] ?? '';
    const value = textOf(childNamed(ident, 'Id')) ?? '';
    if (value === '') {
      issues.push(makeIssue('ERR_SCHEMA_PATIENT_ID_MISSING', `Patient ${typeId} is empty`, location()));
      continue;
    }
    const result = checkPersonId(value, { allowSynthetic: ctx.environment === 'test' });
    if (!result.valid) {
      if (result.reason === 'synthetic-not-allowed') {
        issues.push(makeIssue('ERR_SCHEMA_PATIENT_ID_SYNTHETIC', `Patient ${typeId} is a synthetic test number; not allowed in production`, location()));
      } else {
        issues.push(makeIssue('ERR_SCHEMA_PATIENT_ID_INVALID', `Patient ${typeId} is not valid (${result.reason ?? 'format'})`, location()));
      }
    } else if (result.kind !== typeId) {
      issues.push(makeIssue('ERR_SCHEMA_PATIENT_ID_TYPE_MISMATCH', `Patient identifier typed ${typeId} is a ${result.kind ?? 'unknown kind'}`, location()));
    }
  }
  return issues;
};
