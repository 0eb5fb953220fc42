/**
 * Build and parse the party structures of MsgHead 1.2 and felleskomponent1. Both use the same
 * element names; MsgHead's `Organisation` starts with `OrganisationName` (then `TypeOrganisation`)
 * and may end with `HealthcareProfessional`, felleskomponent1's starts with `TypeOrganisation`.
 */
import type { XmlElement } from '../xml/tree';
import type { CodedValue } from '../xml/helpers';
import {
  childElements,
  codeEl,
  el,
  findChild,
  invalidValue,
  optionalAttr,
  optionalChildCode,
  optionalChildText,
  requireChild,
  requiredAttr,
  requiredChildCode,
  requiredChildText,
  textEl,
} from '../xml/helpers';
import type { Address, HealthcareProfessional, Ident, Organisation, Person, SimpleCode, TeleCom } from './types';

/** Namespace of felleskomponent1 v1.1. */
export const FELLESKOMPONENT1_NS = 'http://www.kith.no/xmlstds/felleskomponent1';

/** Which schema's element order to follow. */
export type PartyFlavour = 'msghead' | 'fk1';

/** A CS element (V and DN only). */
export function csEl(ns: string, name: string, code: SimpleCode | undefined): XmlElement | undefined {
  return code === undefined ? undefined : el(ns, name, { V: code.v, DN: code.dn });
}

/** Read a CS element's V and DN. */
export function readSimpleCode(element: XmlElement, path: string): SimpleCode {
  const v = requiredAttr(element, 'V', path);
  const dn = optionalAttr(element, 'DN');
  return dn === undefined ? { v } : { v, dn };
}

function optionalCs(parent: XmlElement, ns: string, name: string, path: string): SimpleCode | undefined {
  const c = findChild(parent, ns, name);
  return c === undefined ? undefined : readSimpleCode(c, `${path}/${name}`);
}

function identEl(ns: string, ident: Ident): XmlElement {
  return el(ns, 'Ident', {}, [textEl(ns, 'Id', ident.id), codeEl(ns, 'TypeId', ident.typeId)]);
}

function addressEl(ns: string, a: Address | undefined): XmlElement | undefined {
  if (a === undefined) return undefined;
  return el(ns, 'Address', {}, [
    csEl(ns, 'Type', a.type),
    textEl(ns, 'StreetAdr', a.streetAdr),
    textEl(ns, 'PostalCode', a.postalCode),
    textEl(ns, 'City', a.city),
    textEl(ns, 'Postbox', a.postbox),
    csEl(ns, 'County', a.county),
    csEl(ns, 'Country', a.country),
  ]);
}

function teleComEls(ns: string, t: readonly TeleCom[] | undefined): XmlElement[] {
  return (t ?? []).map((x) => el(ns, 'TeleCom', {}, [csEl(ns, 'TypeTelecom', x.typeTelecom), el(ns, 'TeleAddress', { V: x.teleAddress })]));
}

/** Children of a `Person`/`Patient` element (same order in MsgHead and felleskomponent1). */
export function personChildren(ns: string, p: Person): XmlElement[] {
  return [
    textEl(ns, 'FamilyName', p.familyName),
    textEl(ns, 'MiddleName', p.middleName),
    textEl(ns, 'GivenName', p.givenName),
    textEl(ns, 'DateOfBirth', p.dateOfBirth),
    csEl(ns, 'Sex', p.sex),
    csEl(ns, 'Nationality', p.nationality),
    ...p.idents.map((i) => identEl(ns, i)),
    addressEl(ns, p.address),
    ...teleComEls(ns, p.teleCom),
  ].filter((x): x is XmlElement => x !== undefined);
}

/** Children of a `HealthcareProfessional` element. */
export function healthcareProfessionalChildren(ns: string, h: HealthcareProfessional): XmlElement[] {
  return [
    csEl(ns, 'TypeHealthcareProfessional', h.typeHealthcareProfessional),
    codeEl(ns, 'RoleToPatient', h.roleToPatient),
    ...personChildren(ns, h),
  ].filter((x): x is XmlElement => x !== undefined);
}

/**
 * Children of an `Organisation` element in `ns`, in the order of `flavour`. Nested organisations
 * are `Organisation` in `ns`.
 */
export function organisationChildren(ns: string, o: Organisation, flavour: PartyFlavour): XmlElement[] {
  const name = textEl(ns, 'OrganisationName', o.name);
  const type = codeEl(ns, 'TypeOrganisation', o.typeOrganisation);
  return [
    ...(flavour === 'msghead' ? [name, type] : [type, name]),
    ...o.idents.map((i) => identEl(ns, i)),
    addressEl(ns, o.address),
    ...teleComEls(ns, o.teleCom),
    o.organisation === undefined ? undefined : el(ns, 'Organisation', {}, organisationChildren(ns, o.organisation, flavour)),
    flavour === 'msghead' && o.healthcareProfessional !== undefined
      ? el(ns, 'HealthcareProfessional', {}, healthcareProfessionalChildren(ns, o.healthcareProfessional))
      : undefined,
  ].filter((x): x is XmlElement => x !== undefined);
}

function readIdents(parent: XmlElement, ns: string, path: string): Ident[] {
  return childElements(parent, ns, 'Ident').map((i, n) => {
    const p = `${path}/Ident[${n + 1}]`;
    const typeId: CodedValue = requiredChildCode(i, ns, 'TypeId', p);
    return { id: requiredChildText(i, ns, 'Id', p), typeId };
  });
}

function readAddress(parent: XmlElement, ns: string, path: string): Address | undefined {
  const a = findChild(parent, ns, 'Address');
  if (a === undefined) return undefined;
  const p = `${path}/Address`;
  const out: { -readonly [K in keyof Address]: Address[K] } = {};
  const type = optionalCs(a, ns, 'Type', p);
  if (type !== undefined) out.type = type;
  for (const [key, name] of [
    ['streetAdr', 'StreetAdr'],
    ['postalCode', 'PostalCode'],
    ['city', 'City'],
    ['postbox', 'Postbox'],
  ] as const) {
    const t = optionalChildText(a, ns, name);
    if (t !== undefined) out[key] = t;
  }
  const county = optionalCs(a, ns, 'County', p);
  if (county !== undefined) out.county = county;
  const country = optionalCs(a, ns, 'Country', p);
  if (country !== undefined) out.country = country;
  return out;
}

function readTeleCom(parent: XmlElement, ns: string, path: string): TeleCom[] {
  return childElements(parent, ns, 'TeleCom').map((t, n) => {
    const p = `${path}/TeleCom[${n + 1}]`;
    const typeTelecom = optionalCs(t, ns, 'TypeTelecom', p);
    const teleAddress = requiredAttr(requireChild(t, ns, 'TeleAddress', p), 'V', `${p}/TeleAddress`);
    return typeTelecom === undefined ? { teleAddress } : { typeTelecom, teleAddress };
  });
}

/** Read a `Person`/`Patient` element whose children are in `ns`. Absent parts are left out. */
export function parsePerson(element: XmlElement, ns: string, path: string): Person {
  const out: { -readonly [K in keyof Person]: Person[K] } = { idents: readIdents(element, ns, path) };
  const familyName = optionalChildText(element, ns, 'FamilyName');
  if (familyName !== undefined) out.familyName = familyName;
  const middleName = optionalChildText(element, ns, 'MiddleName');
  if (middleName !== undefined) out.middleName = middleName;
  const givenName = optionalChildText(element, ns, 'GivenName');
  if (givenName !== undefined) out.givenName = givenName;
  const dob = optionalChildText(element, ns, 'DateOfBirth');
  if (dob !== undefined) out.dateOfBirth = dob;
  const sex = optionalCs(element, ns, 'Sex', path);
  if (sex !== undefined) out.sex = sex;
  const nat = optionalCs(element, ns, 'Nationality', path);
  if (nat !== undefined) out.nationality = nat;
  const address = readAddress(element, ns, path);
  if (address !== undefined) out.address = address;
  const tc = readTeleCom(element, ns, path);
  if (tc.length > 0) out.teleCom = tc;
  return out;
}

/** Read a `HealthcareProfessional` element; at least one `Ident` is required. */
export function parseHealthcareProfessional(element: XmlElement, ns: string, path: string): HealthcareProfessional {
  const person = parsePerson(element, ns, path);
  if (person.idents.length === 0) requireChild(element, ns, 'Ident', path);
  const out: { -readonly [K in keyof HealthcareProfessional]: HealthcareProfessional[K] } = { ...person };
  const type = optionalCs(element, ns, 'TypeHealthcareProfessional', path);
  if (type !== undefined) out.typeHealthcareProfessional = type;
  const role = optionalChildCode(element, ns, 'RoleToPatient', path);
  if (role !== undefined) out.roleToPatient = role;
  // Keep key order stable (type, role first) for readable output.
  const { typeHealthcareProfessional, roleToPatient, ...rest } = out;
  return {
    ...(typeHealthcareProfessional === undefined ? {} : { typeHealthcareProfessional }),
    ...(roleToPatient === undefined ? {} : { roleToPatient }),
    ...rest,
  };
}

/** Read an `Organisation` element whose children are in `ns` (either flavour). */
export function parseOrganisation(element: XmlElement, ns: string, path: string): Organisation {
  const name = requiredChildText(element, ns, 'OrganisationName', path);
  const idents = readIdents(element, ns, path);
  if (idents.length === 0) requireChild(element, ns, 'Ident', path);
  const out: { -readonly [K in keyof Organisation]: Organisation[K] } = { name, idents };
  const type = optionalChildCode(element, ns, 'TypeOrganisation', path);
  if (type !== undefined) out.typeOrganisation = type;
  const address = readAddress(element, ns, path);
  if (address !== undefined) out.address = address;
  const tc = readTeleCom(element, ns, path);
  if (tc.length > 0) out.teleCom = tc;
  const nested = findChild(element, ns, 'Organisation');
  if (nested !== undefined) out.organisation = parseOrganisation(nested, ns, `${path}/Organisation`);
  const hcp = findChild(element, ns, 'HealthcareProfessional');
  if (hcp !== undefined) out.healthcareProfessional = parseHealthcareProfessional(hcp, ns, `${path}/HealthcareProfessional`);
  return out;
}

/** Parse a `true`/`false`/`1`/`0` xs:boolean text. */
export function parseBoolean(value: string, path: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalidValue(path, `'${value}' is not a boolean`);
}
