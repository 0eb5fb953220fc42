/**
 * Parsers for the dialogue message content (Dialogmelding v1.1 and v1.0). Lenient where the
 * standard is optional (a received question may lack `Sporsmal` or `DokIdForesp`), strict where
 * the data cannot be read (missing `TemaKodet`, a reason outside 8117).
 */
import type { CodedValue } from '../../xml/helpers';
import {
  childElements,
  findChild,
  invalidValue,
  optionalAttr,
  optionalChildCode,
  optionalChildText,
  readCode,
  requireChild,
  requiredChildCode,
} from '../../xml/helpers';
import type { XmlElement } from '../../xml/tree';
import { isElement } from '../../xml/tree';
import { PloError } from '../../errors';
import type {
  AvvikReason,
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

/** Copy only defined properties, so parsed models carry no `undefined` keys. */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length === 0 ? undefined : list;
}

/** Text of an element and all its descendants (for xs:anyType content such as XHTML), trimmed. */
function deepText(element: XmlElement): string {
  let s = '';
  for (const c of element.children) s += isElement(c) ? deepText(c) : c.text;
  return s;
}

function optionalDeepText(parent: XmlElement, ns: string, name: string): string | undefined {
  const c = findChild(parent, ns, name);
  if (c === undefined) return undefined;
  const t = deepText(c).trim();
  return t === '' ? undefined : t;
}

function csCode(parent: XmlElement, ns: string, name: string, path: string): CodedValue | undefined {
  const c = optionalChildCode(parent, ns, name, path);
  return c;
}

function readIdents(parent: XmlElement, ns: string, path: string): DialogIdent[] | undefined {
  return nonEmpty(
    childElements(parent, ns, 'Ident').map((e, i) => {
      const p = `${path}/Ident[${i + 1}]`;
      const id = optionalChildText(e, FK1, 'Id');
      if (id === undefined) throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required element ${p}/Id is missing`, { path: `${p}/Id` });
      return { id, typeId: requiredChildCode(e, FK1, 'TypeId', p) };
    }),
  );
}

function readTeleComs(parent: XmlElement, ns: string, path: string): DialogTeleCom[] | undefined {
  return nonEmpty(
    childElements(parent, ns, 'TeleCom').map((e, i) => {
      const p = `${path}/TeleCom[${i + 1}]`;
      const addr = requireChild(e, FK1, 'TeleAddress', p);
      const address = optionalAttr(addr, 'V');
      if (address === undefined) throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required attribute ${p}/TeleAddress/@V is missing`, { path: `${p}/TeleAddress/@V` });
      return compact({ type: csCode(e, FK1, 'TypeTelecom', p), address });
    }),
  );
}

function readHcp(e: XmlElement, ns: string, path: string): DialogHealthcareProfessional {
  return compact({
    typeHealthcareProfessional: csCode(e, ns, 'TypeHealthcareProfessional', path),
    roleToPatient: optionalChildCode(e, ns, 'RoleToPatient', path),
    familyName: optionalChildText(e, ns, 'FamilyName'),
    middleName: optionalChildText(e, ns, 'MiddleName'),
    givenName: optionalChildText(e, ns, 'GivenName'),
    idents: readIdents(e, ns, path),
    teleComs: readTeleComs(e, ns, path),
  });
}

function readPerson(e: XmlElement, ns: string, path: string): DialogPerson {
  return compact({
    givenName: optionalChildText(e, ns, 'GivenName'),
    middleName: optionalChildText(e, ns, 'MiddleName'),
    familyName: optionalChildText(e, ns, 'FamilyName'),
    idents: readIdents(e, ns, path),
    teleComs: readTeleComs(e, ns, path),
  });
}

function readRoles(parent: XmlElement, ns: string, path: string): DialogRole[] | undefined {
  return nonEmpty(
    childElements(parent, ns, 'RollerRelatertNotat').map((e, i) => {
      const p = `${path}/RollerRelatertNotat[${i + 1}]`;
      const hcp = findChild(e, ns, 'HealthcareProfessional');
      const person = findChild(e, ns, 'Person');
      return compact({
        role: optionalChildCode(e, ns, 'RolleNotat', p),
        roleToPatient: optionalChildCode(e, ns, 'RoleToPatient', p),
        healthcareProfessional: hcp === undefined ? undefined : readHcp(hcp, ns, `${p}/HealthcareProfessional`),
        person: person === undefined ? undefined : readPerson(person, ns, `${p}/Person`),
      });
    }),
  );
}

function readQuestion(e: XmlElement, ns: string, path: string): DialogQuestion {
  return compact({
    topic: requiredChildCode(e, ns, 'TypeForesp', path),
    subject: optionalChildText(e, ns, 'EmneSporsmal'),
    question: optionalDeepText(e, ns, 'Sporsmal'),
    purpose: optionalChildCode(e, ns, 'Formål', path),
    reason: optionalChildText(e, ns, 'Begrunnelse'),
    fromDate: optionalChildText(e, ns, 'FraDato'),
    toDate: optionalChildText(e, ns, 'TilDato'),
    documentId: optionalChildText(e, ns, 'DokIdForesp'),
    roles: readRoles(e, ns, path),
  });
}

function checkRoot(root: XmlElement, ns: string): void {
  if (ns !== DIALOG_NS_V1_1 && ns !== DIALOG_NS_V1_0) {
    throw new PloError('ERR_PLO_UNSUPPORTED_VERSION', `Dialogmelding namespace '${ns}' is not supported`, { path: '/Dialogmelding' });
  }
  if (root.ns !== ns || root.name !== 'Dialogmelding') {
    throw invalidValue(`/${root.name}`, `Expected Dialogmelding in ${ns}, found {${root.ns}}${root.name}`, root.line);
  }
}

function singleNote(root: XmlElement, ns: string, type: string): XmlElement {
  const notes = childElements(root, ns, 'Notat');
  const first = notes[0];
  if (first === undefined) {
    throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required element /Dialogmelding/Notat is missing (${type})`, { path: '/Dialogmelding/Notat' });
  }
  if (notes.length > 1) {
    throw invalidValue('/Dialogmelding/Notat[2]', `${type} carries one Notat; found ${notes.length}`, notes[1]?.line);
  }
  return first;
}

/**
 * Read `DIALOG_FORESPORSEL` content (`Dialogmelding` with `Foresporsel` children).
 *
 * @throws PloError `ERR_PLO_UNSUPPORTED_VERSION` for another namespace, `ERR_PLO_MISSING_ELEMENT`
 *   without any `Foresporsel` or `TypeForesp`.
 */
export function parseDialogForesporselContent(root: XmlElement, ns: string = root.ns): DialogForesporsel {
  checkRoot(root, ns);
  const qs = childElements(root, ns, 'Foresporsel');
  if (qs.length === 0) {
    throw new PloError('ERR_PLO_MISSING_ELEMENT', 'Required element /Dialogmelding/Foresporsel is missing', { path: '/Dialogmelding/Foresporsel' });
  }
  return compact({
    caseTypeCode: optionalChildCode(root, ns, 'SakstypeKodet', '/Dialogmelding'),
    caseType: optionalChildText(root, ns, 'Sakstype'),
    questions: qs.map((q, i) => readQuestion(q, ns, `/Dialogmelding/Foresporsel[${i + 1}]`)),
  });
}

/**
 * Read `DIALOG_SVAR` content (`Dialogmelding/Notat` with svar status and the answered question).
 *
 * @throws PloError `ERR_PLO_MISSING_ELEMENT` without `Notat` or `TemaKodet`,
 *   `ERR_PLO_INVALID_VALUE` for more than one `Notat`.
 */
export function parseDialogSvarContent(root: XmlElement, ns: string = root.ns): DialogSvar {
  checkRoot(root, ns);
  const n = singleNote(root, ns, 'DIALOG_SVAR');
  const p = '/Dialogmelding/Notat';
  const q = findChild(n, ns, 'Foresporsel');
  return compact({
    status: requiredChildCode(n, ns, 'TemaKodet', p),
    heading: optionalChildText(n, ns, 'Tema'),
    answer: optionalDeepText(n, ns, 'TekstNotatInnhold'),
    remark: optionalChildText(n, ns, 'Merknad'),
    documentId: optionalChildText(n, ns, 'DokIdNotat'),
    date: optionalChildText(n, ns, 'DatoNotat'),
    question: q === undefined ? undefined : readQuestion(q, ns, `${p}/Foresporsel`),
    roles: readRoles(n, ns, p),
  });
}

const AVVIK_REASONS: ReadonlySet<string> = new Set(['1', '2', '9']);

/**
 * Read `DIALOG_AVVIK` content (`Dialogmelding/Notat` with an 8117 reason).
 *
 * @throws PloError `ERR_PLO_MISSING_ELEMENT` without `Notat`, `TemaKodet` or the mandatory
 *   `TekstNotatInnhold`; `ERR_PLO_INVALID_VALUE` when the reason is not 1, 2 or 9.
 */
export function parseDialogAvvikContent(root: XmlElement, ns: string = root.ns): DialogAvvik {
  checkRoot(root, ns);
  const n = singleNote(root, ns, 'DIALOG_AVVIK');
  const p = '/Dialogmelding/Notat';
  const theme = readCode(requireChild(n, ns, 'TemaKodet', p), `${p}/TemaKodet`);
  if (!AVVIK_REASONS.has(theme.v)) throw invalidValue(`${p}/TemaKodet/@V`, `'${theme.v}' is not a reason from code list 8117`, n.line);
  const description = optionalDeepText(n, ns, 'TekstNotatInnhold');
  if (description === undefined) {
    throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required element ${p}/TekstNotatInnhold is missing`, { path: `${p}/TekstNotatInnhold` });
  }
  return compact({
    reason: theme.v as AvvikReason,
    heading: optionalChildText(n, ns, 'Tema'),
    description,
    originalMsgId: optionalChildText(n, ns, 'DokIdNotat'),
    remark: optionalChildText(n, ns, 'Merknad'),
    date: optionalChildText(n, ns, 'DatoNotat'),
    roles: readRoles(n, ns, p),
  });
}
