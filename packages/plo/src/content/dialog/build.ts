/**
 * Builders for the dialogue message content (Dialogmelding v1.1, also v1.0 on request).
 * Each checks the whole model first and throws one `PloError` `ERR_PLO_INVALID_MODEL` listing
 * every issue.
 */
import type { CodedValue } from '../../xml/helpers';
import { el, textEl, codeEl, volvenOid } from '../../xml/helpers';
import type { XmlElement } from '../../xml/tree';
import type { IssueSink as IssueList } from '../common/issues';
import { Issues, checkOptionalText, hasText } from '../common/issues';
import { checkCode, checkIdent } from '../../parties/check';
import { checkDate, checkRequiredText, checkVolvenCode } from '../model-issues';

/** A code from an open list (any OID). */
const checkOpenCode = checkCode;
import { codeDisplayName } from '../../codelists/codelists';
import type {
  DialogAvvik,
  DialogForesporsel,
  DialogHealthcareProfessional,
  DialogIdent,
  DialogPerson,
  DialogQuestion,
  DialogRole,
  DialogSvar,
  DialogTeleCom,
} from './model';
import { DIALOG_NS_V1_0, DIALOG_NS_V1_1, FELLESKOMPONENT1_NS } from './model';

const FK1 = FELLESKOMPONENT1_NS;

function checkNamespace(ns: string): void {
  if (ns !== DIALOG_NS_V1_1 && ns !== DIALOG_NS_V1_0) {
    throw new RangeError(`Not a Dialogmelding namespace: '${ns}'`);
  }
}

// ---------------------------------------------------------------- checks

function checkIdents(issues: IssueList, path: string, idents: readonly DialogIdent[] | undefined): void {
  idents?.forEach((ident, i) => {
    const p = `${path}.idents[${i}]`;
    checkIdent(issues, p, ident, 'person');
  });
}

function checkTeleComs(issues: IssueList, path: string, teleComs: readonly DialogTeleCom[] | undefined): void {
  teleComs?.forEach((t, i) => {
    const p = `${path}.teleComs[${i}]`;
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(t.address)) issues.add(`${p}.address`, `'${t.address}' is not a URI such as tel:... or mailto:...`);
    if (t.type !== undefined) checkOpenCode(issues, `${p}.type`, t.type, true);
  });
}

function checkPersonNames(issues: IssueList, path: string, p: DialogPerson | DialogHealthcareProfessional): void {
  checkOptionalText(issues, `${path}.givenName`, p.givenName);
  checkOptionalText(issues, `${path}.middleName`, p.middleName);
  checkOptionalText(issues, `${path}.familyName`, p.familyName);
  if (!hasText(p.familyName) && !hasText(p.givenName) && (p.idents ?? []).length === 0) {
    issues.add(path, 'a person needs a name or an identifier');
  }
  checkIdents(issues, path, p.idents);
  checkTeleComs(issues, path, p.teleComs);
}

function checkRoles(issues: IssueList, path: string, roles: readonly DialogRole[] | undefined, ns: string): void {
  roles?.forEach((r, i) => {
    const p = `${path === '' ? '' : `${path}.`}roles[${i}]`;
    if (r.role !== undefined) checkOpenCode(issues, `${p}.role`, r.role, true);
    if (r.roleToPatient !== undefined) checkVolvenCode(issues, `${p}.roleToPatient`, r.roleToPatient, 9034, true);
    const hcp = r.healthcareProfessional;
    if (hcp !== undefined && r.person !== undefined) issues.add(p, 'give only one of healthcareProfessional and person');
    else if (hcp === undefined && r.person === undefined) {
      if (ns === DIALOG_NS_V1_0) issues.add(p, 'Dialogmelding v1.0 needs a healthcareProfessional or a person in each role');
      else if (r.role === undefined && r.roleToPatient === undefined) issues.add(p, 'a role needs a person or a role code');
    }
    if (hcp !== undefined) {
      const hp = `${p}.healthcareProfessional`;
      if (hcp.typeHealthcareProfessional !== undefined) {
        checkVolvenCode(issues, `${hp}.typeHealthcareProfessional`, { ...hcp.typeHealthcareProfessional, s: undefined }, 9060, true);
      }
      if (hcp.roleToPatient !== undefined) checkVolvenCode(issues, `${hp}.roleToPatient`, hcp.roleToPatient, 9034, true);
      checkPersonNames(issues, hp, hcp);
    }
    if (r.person !== undefined) checkPersonNames(issues, `${p}.person`, r.person);
  });
}

function checkQuestion(issues: IssueList, path: string, q: DialogQuestion, ns: string): void {
  if (q.topic.s === volvenOid(7322) || q.topic.s === undefined) checkVolvenCode(issues, `${path}.topic`, q.topic, 7322, true);
  else checkOpenCode(issues, `${path}.topic`, q.topic, true);
  checkOptionalText(issues, `${path}.subject`, q.subject);
  if (q.subject !== undefined && ns === DIALOG_NS_V1_0) issues.add(`${path}.subject`, 'EmneSporsmal does not exist in Dialogmelding v1.0');
  checkRequiredText(issues, `${path}.question`, q.question);
  if (q.purpose !== undefined) checkOpenCode(issues, `${path}.purpose`, q.purpose, true);
  checkOptionalText(issues, `${path}.reason`, q.reason);
  checkDate(issues, `${path}.fromDate`, q.fromDate);
  checkDate(issues, `${path}.toDate`, q.toDate);
  if (q.fromDate !== undefined && q.toDate !== undefined && q.fromDate > q.toDate) issues.add(`${path}.toDate`, 'toDate is before fromDate');
  if (!hasText(q.documentId)) issues.add(`${path}.documentId`, 'the question needs a document id (DokIdForesp) that answers can refer to');
  checkRoles(issues, path, q.roles, ns);
}

// ---------------------------------------------------------------- tree

function csEl(ns: string, name: string, code: CodedValue | undefined): XmlElement | undefined {
  // KITH CS has only V and DN.
  return code === undefined ? undefined : el(ns, name, { V: code.v, DN: code.dn });
}

function identEls(ns: string, idents: readonly DialogIdent[] | undefined): XmlElement[] {
  return (idents ?? []).map((i) => el(ns, 'Ident', {}, [textEl(FK1, 'Id', i.id), codeEl(FK1, 'TypeId', i.typeId)]));
}

function teleComEls(ns: string, teleComs: readonly DialogTeleCom[] | undefined): XmlElement[] {
  return (teleComs ?? []).map((t) => el(ns, 'TeleCom', {}, [csEl(FK1, 'TypeTelecom', t.type), el(FK1, 'TeleAddress', { V: t.address })]));
}

function hcpEl(ns: string, h: DialogHealthcareProfessional): XmlElement {
  return el(ns, 'HealthcareProfessional', {}, [
    csEl(ns, 'TypeHealthcareProfessional', h.typeHealthcareProfessional),
    codeEl(ns, 'RoleToPatient', h.roleToPatient),
    textEl(ns, 'FamilyName', h.familyName),
    textEl(ns, 'MiddleName', h.middleName),
    textEl(ns, 'GivenName', h.givenName),
    identEls(ns, h.idents),
    teleComEls(ns, h.teleComs),
  ]);
}

function personEl(ns: string, p: DialogPerson): XmlElement {
  return el(ns, 'Person', {}, [
    textEl(ns, 'GivenName', p.givenName),
    textEl(ns, 'MiddleName', p.middleName),
    textEl(ns, 'FamilyName', p.familyName),
    identEls(ns, p.idents),
    teleComEls(ns, p.teleComs),
  ]);
}

function roleEls(ns: string, roles: readonly DialogRole[] | undefined): XmlElement[] {
  return (roles ?? []).map((r) =>
    el(ns, 'RollerRelatertNotat', {}, [
      codeEl(ns, 'RolleNotat', r.role),
      codeEl(ns, 'RoleToPatient', r.roleToPatient),
      r.healthcareProfessional === undefined ? undefined : hcpEl(ns, r.healthcareProfessional),
      r.person === undefined ? undefined : personEl(ns, r.person),
    ]),
  );
}

function questionEl(ns: string, q: DialogQuestion): XmlElement {
  return el(ns, 'Foresporsel', {}, [
    codeEl(ns, 'TypeForesp', q.topic),
    ns === DIALOG_NS_V1_1 ? textEl(ns, 'EmneSporsmal', q.subject) : undefined,
    textEl(ns, 'Sporsmal', q.question),
    codeEl(ns, 'Formål', q.purpose),
    textEl(ns, 'Begrunnelse', q.reason),
    textEl(ns, 'FraDato', q.fromDate),
    textEl(ns, 'TilDato', q.toDate),
    textEl(ns, 'DokIdForesp', q.documentId),
    roleEls(ns, q.roles),
  ]);
}

function root(ns: string, children: readonly (XmlElement | undefined)[]): XmlElement {
  return el(ns, 'Dialogmelding', {}, children, { '': ns, fk1: FK1 });
}

interface NoteParts {
  readonly theme: CodedValue;
  readonly heading?: string | undefined;
  readonly text?: string | undefined;
  readonly remark?: string | undefined;
  readonly documentId?: string | undefined;
  readonly date?: string | undefined;
  readonly question?: DialogQuestion | undefined;
  readonly roles?: readonly DialogRole[] | undefined;
}

function noteEl(ns: string, n: NoteParts): XmlElement {
  return el(ns, 'Notat', {}, [
    codeEl(ns, 'TemaKodet', n.theme),
    textEl(ns, 'Tema', n.heading),
    textEl(ns, 'TekstNotatInnhold', n.text),
    textEl(ns, 'Merknad', n.remark),
    textEl(ns, 'DokIdNotat', n.documentId),
    textEl(ns, 'DatoNotat', n.date),
    n.question === undefined ? undefined : questionEl(ns, n.question),
    roleEls(ns, n.roles),
  ]);
}

// ---------------------------------------------------------------- public builders

/**
 * Build the content of a `DIALOG_FORESPORSEL`: `Dialogmelding` with one `Foresporsel` per question.
 *
 * @param ns Dialogmelding namespace, v1.1 by default.
 * @throws PloError `ERR_PLO_INVALID_MODEL` listing every problem (missing question text or
 *   document id, unknown 7322 topic, bad identifiers, ...).
 */
export function buildDialogForesporselContent(model: DialogForesporsel, ns: string = DIALOG_NS_V1_1): XmlElement {
  checkNamespace(ns);
  const issues = new Issues();
  if (model.questions.length === 0) issues.add('questions', 'at least one question is required');
  if (model.caseTypeCode !== undefined) checkOpenCode(issues, 'caseTypeCode', model.caseTypeCode, true);
  checkOptionalText(issues, 'caseType', model.caseType);
  const ids = new Set<string>();
  model.questions.forEach((q, i) => {
    checkQuestion(issues, `questions[${i}]`, q, ns);
    if (q.documentId !== undefined && ids.has(q.documentId)) issues.add(`questions[${i}].documentId`, 'document ids must be unique within the message');
    if (q.documentId !== undefined) ids.add(q.documentId);
  });
  issues.throwIfAny('DIALOG_FORESPORSEL');
  return root(ns, [
    codeEl(ns, 'SakstypeKodet', model.caseTypeCode),
    textEl(ns, 'Sakstype', model.caseType),
    ...model.questions.map((q) => questionEl(ns, q)),
  ]);
}

/** Svar statuses (9069) for which the answer text may be left out. */
const STATUS_WITHOUT_TEXT = new Set(['2', '3', '4']);

/**
 * Build the content of a `DIALOG_SVAR`: `Dialogmelding/Notat` with the svar status (9069) in
 * `TemaKodet`, the answer text and the answered question (with its `DokIdForesp`).
 *
 * @throws PloError `ERR_PLO_INVALID_MODEL` listing every problem.
 */
export function buildDialogSvarContent(model: DialogSvar, ns: string = DIALOG_NS_V1_1): XmlElement {
  checkNamespace(ns);
  const issues = new Issues();
  checkVolvenCode(issues, 'status', model.status, 9069, true);
  checkOptionalText(issues, 'heading', model.heading);
  if (!STATUS_WITHOUT_TEXT.has(model.status.v)) checkRequiredText(issues, 'answer', model.answer);
  else checkOptionalText(issues, 'answer', model.answer);
  checkOptionalText(issues, 'remark', model.remark);
  checkOptionalText(issues, 'documentId', model.documentId);
  checkDate(issues, 'date', model.date);
  if (model.question === undefined) issues.add('question', 'an answer carries the question it answers (Foresporsel with DokIdForesp)');
  else checkQuestion(issues, 'question', model.question, ns);
  checkRoles(issues, '', model.roles, ns);
  issues.throwIfAny('DIALOG_SVAR');
  return root(ns, [
    noteEl(ns, {
      theme: { ...model.status, s: model.status.s ?? volvenOid(9069) },
      heading: model.heading,
      text: model.answer,
      remark: model.remark,
      documentId: model.documentId,
      date: model.date,
      question: model.question,
      roles: model.roles,
    }),
  ]);
}

/**
 * Build the content of a `DIALOG_AVVIK` (Tilbakemelding om feil i mottatt melding):
 * `Dialogmelding/Notat` with the 8117 reason, the mandatory description and the original MsgId.
 *
 * @throws PloError `ERR_PLO_INVALID_MODEL` listing every problem (blank description, missing
 *   original MsgId, reason not in 8117, ...).
 */
export function buildDialogAvvikContent(model: DialogAvvik, ns: string = DIALOG_NS_V1_1): XmlElement {
  checkNamespace(ns);
  const issues = new Issues();
  checkVolvenCode(issues, 'reason', { v: model.reason }, 8117, true);
  checkOptionalText(issues, 'heading', model.heading);
  checkRequiredText(issues, 'description', model.description);
  checkRequiredText(issues, 'originalMsgId', model.originalMsgId);
  checkOptionalText(issues, 'remark', model.remark);
  checkDate(issues, 'date', model.date);
  checkRoles(issues, '', model.roles, ns);
  issues.throwIfAny('DIALOG_AVVIK');
  const dn = codeDisplayName(8117, model.reason);
  return root(ns, [
    noteEl(ns, {
      theme: { v: model.reason, s: volvenOid(8117), ...(dn === undefined ? {} : { dn }) },
      heading: model.heading,
      text: model.description,
      remark: model.remark,
      documentId: model.originalMsgId,
      date: model.date,
      roles: model.roles,
    }),
  ]);
}
