/**
 * Parties as KITH messages describe them: organisations, health professionals and persons with
 * their identifiers, addresses and telecom addresses. The same shapes serve MsgHead 1.2
 * (`http://www.kith.no/xmlstds/msghead/2006-05-24`) and felleskomponent1
 * (`http://www.kith.no/xmlstds/felleskomponent1`, used inside PLO content); only element order
 * differs between the two, which the XML functions handle.
 */
import type { CodedValue } from '../xml/helpers';

/** A code held in a KITH `CS` element: value and display name only (no code system attribute). */
export interface SimpleCode {
  /** Code (`V`). */
  readonly v: string;
  /** Display name (`DN`). */
  readonly dn?: string;
}

/** `Ident`: an identifier and its type (`TypeId`, CV: 9051 for organisations, 8116 for persons). */
export interface Ident {
  /** `Id`. */
  readonly id: string;
  /** `TypeId`, e.g. `{ v: 'HER', s: '2.16.578.1.12.4.1.1.9051', dn: 'HER-id' }`. */
  readonly typeId: CodedValue;
}

/** `Address` (postal address). */
export interface Address {
  /** `Type` (CS, kodeverk 3401), e.g. `{ v: 'H', dn: 'Bostedsadresse' }`. */
  readonly type?: SimpleCode;
  readonly streetAdr?: string;
  readonly postalCode?: string;
  readonly city?: string;
  readonly postbox?: string;
  /** `County` (CS): municipality number. */
  readonly county?: SimpleCode;
  /** `Country` (CS). */
  readonly country?: SimpleCode;
}

/** `TeleCom`: a telecom address such as `tel:+4735000000` or `mailto:...`. */
export interface TeleCom {
  /** `TypeTelecom` (CS, kodeverk 9044). */
  readonly typeTelecom?: SimpleCode;
  /** `TeleAddress/@V` (URL). */
  readonly teleAddress: string;
}

/** `HealthcareProfessional`. At least one `Ident` (e.g. HPR-nummer or HER-id). */
export interface HealthcareProfessional {
  /** `TypeHealthcareProfessional` (CS, kodeverk 9060). */
  readonly typeHealthcareProfessional?: SimpleCode;
  /** `RoleToPatient` (CV, kodeverk 9034). */
  readonly roleToPatient?: CodedValue;
  readonly familyName?: string;
  readonly middleName?: string;
  readonly givenName?: string;
  /** xs:date. */
  readonly dateOfBirth?: string;
  /** `Sex` (CS, kodeverk 3101). */
  readonly sex?: SimpleCode;
  readonly nationality?: SimpleCode;
  readonly idents: readonly Ident[];
  readonly address?: Address;
  readonly teleCom?: readonly TeleCom[];
}

/**
 * `Organisation`. Nested `organisation` is the next level down (service, department); the most
 * specific (deepest) HER-id addresses the party. `healthcareProfessional` exists only in MsgHead.
 */
export interface Organisation {
  /** `OrganisationName`. */
  readonly name: string;
  /** `TypeOrganisation` (CV, kodeverk 9040). */
  readonly typeOrganisation?: CodedValue;
  /** At least one: HER-id (9051 `HER`), organisation number (`ENH`), ... */
  readonly idents: readonly Ident[];
  readonly address?: Address;
  readonly teleCom?: readonly TeleCom[];
  /** The next level down. */
  readonly organisation?: Organisation;
  /** A person at the organisation (MsgHead only). */
  readonly healthcareProfessional?: HealthcareProfessional;
}

/** `Person` / MsgHead `Patient`: all parts optional in the schemas; builders require more. */
export interface Person {
  readonly familyName?: string;
  readonly middleName?: string;
  readonly givenName?: string;
  /** xs:date. */
  readonly dateOfBirth?: string;
  /** `Sex` (CS, kodeverk 3101). */
  readonly sex?: SimpleCode;
  readonly nationality?: SimpleCode;
  /** Fødselsnummer (8116 `FNR`), D-nummer (`DNR`), H-nummer (`HNR`), ... */
  readonly idents: readonly Ident[];
  readonly address?: Address;
  readonly teleCom?: readonly TeleCom[];
}

/** OID of Volven 9051 (organisation identifier types). */
export const ORGANISATION_ID_TYPES_OID = '2.16.578.1.12.4.1.1.9051';
/** OID of Volven 8116 (person identifier types). */
export const PERSON_ID_TYPES_OID = '2.16.578.1.12.4.1.1.8116';

/** An organisation HER-id ident (`TypeId V=HER S=…9051`). */
export function herIdent(id: string | number): Ident {
  return { id: String(id), typeId: { v: 'HER', s: ORGANISATION_ID_TYPES_OID, dn: 'HER-id' } };
}

/** An organisation number ident (`TypeId V=ENH S=…9051`). */
export function orgNumberIdent(id: string): Ident {
  return { id, typeId: { v: 'ENH', s: ORGANISATION_ID_TYPES_OID, dn: 'Organisasjonsnummeret i Enhetsregister' } };
}

const PERSON_ID_NAMES: Readonly<Record<string, string>> = {
  FNR: 'Fødselsnummer',
  DNR: 'D-nummer',
  HNR: 'H-nummer',
  FHN: 'Felles hjelpenummer',
  HPR: 'HPR-nummer',
  HER: 'HER-id',
};

/** A person ident (`TypeId S=…8116`), default type `FNR`. */
export function personIdent(id: string, type: 'FNR' | 'DNR' | 'HNR' | 'FHN' | 'HPR' | 'HER' = 'FNR'): Ident {
  return { id, typeId: { v: type, s: PERSON_ID_TYPES_OID, dn: PERSON_ID_NAMES[type] ?? type } };
}

/**
 * The HER-id that addresses `org`: the HER-id of the deepest level that has one, or `undefined`
 * when no level has a HER-id.
 */
export function deepestHerId(org: Organisation): string | undefined {
  const below = org.organisation === undefined ? undefined : deepestHerId(org.organisation);
  if (below !== undefined) return below;
  return org.idents.find((i) => i.typeId.v === 'HER')?.id;
}
