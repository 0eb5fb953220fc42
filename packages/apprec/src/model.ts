/**
 * The AppRec (Applikasjonskvittering) model, versions 1.0 (namespace
 * `http://www.kith.no/xmlstds/apprec/2004-11-21`, MIGversion `1.0 2004-11-21`) and 1.1
 * (`http://www.kith.no/xmlstds/apprec/2012-02-15`, MIGversion `v1.1 2012-02-15`). Both versions have
 * the same element structure; only the namespace and the default MIGversion differ.
 *
 * ```
 * AppRec
 *   MsgType (CS, V=APPREC)  MIGversion  SoftwareName?  SoftwareVersion?  GenDate  Id
 *   Sender   { Role? (CS), HCP }        Receiver { Role? (CS), HCP }
 *   Status (CS, 8258)  Error* (CV, 8221)
 *   OriginalMsgId { MsgType (CS, 8279), IssueDate (dateTime), Id }
 * HCP  { (Inst | HCProf), MedSpeciality? (CV), Address? }
 * Inst { Name?, Id?, TypeId? (CS), Dept*, AdditionalId*, HCPerson* }
 * Dept { Type? (CS), Name?, Id?, TypeId? (CS), AdditionalId* }
 * AdditionalId { Id, Type (CS) }
 * ```
 */
import type { AppRecErrorCode, AppRecStatus, CodedValue, SimpleCode } from '@samhandling/plo';

/** AppRec version. */
export type AppRecVersion = '1.0' | '1.1';

/** Namespace of AppRec 1.0. */
export const APPREC_NS_V1_0 = 'http://www.kith.no/xmlstds/apprec/2004-11-21';
/** Namespace of AppRec 1.1. */
export const APPREC_NS_V1_1 = 'http://www.kith.no/xmlstds/apprec/2012-02-15';

/** Namespace and default MIGversion per AppRec version. */
export const APPREC_VERSIONS: Readonly<Record<AppRecVersion, { readonly namespace: string; readonly migVersion: string }>> = Object.freeze({
  '1.0': Object.freeze({ namespace: APPREC_NS_V1_0, migVersion: '1.0 2004-11-21' }),
  '1.1': Object.freeze({ namespace: APPREC_NS_V1_1, migVersion: 'v1.1 2012-02-15' }),
});

/** The version sent unless a counterparty is configured otherwise. */
export const DEFAULT_APPREC_VERSION: AppRecVersion = '1.1';

/** The AppRec version of a namespace, or `undefined` for any other namespace. */
export function appRecVersionOf(namespace: string): AppRecVersion | undefined {
  if (namespace === APPREC_NS_V1_0) return '1.0';
  if (namespace === APPREC_NS_V1_1) return '1.1';
  return undefined;
}

/** `AdditionalId`: another identifier of the unit, e.g. the HER-id when `Id` holds the organisation number. */
export interface AppRecAdditionalId {
  /** `Id`. */
  readonly id: string;
  /** `Type` (CS, 9051), e.g. `{ v: 'HER', dn: 'HER-id' }`. */
  readonly type: SimpleCode;
}

/** `Dept`: a department or service of an institution. */
export interface AppRecDept {
  /** `Type` (CS). */
  readonly type?: SimpleCode;
  readonly name?: string;
  readonly id?: string;
  /** `TypeId` (CS, 9051), e.g. `{ v: 'HER', dn: 'HER-id' }`. */
  readonly typeId?: SimpleCode;
  readonly additionalIds?: readonly AppRecAdditionalId[];
}

/** `HCPerson`: a person in an institution. */
export interface AppRecHcPerson {
  readonly name?: string;
  readonly id?: string;
  readonly typeId?: SimpleCode;
  readonly additionalIds?: readonly AppRecAdditionalId[];
}

/**
 * `Inst`: the institution. Identified either by its HER-id in `Id`/`TypeId` (`HER`), or by its
 * organisation number (`ENH`) with the HER-id in an `AdditionalId`.
 */
export interface AppRecInstitution {
  readonly name?: string;
  readonly id?: string;
  readonly typeId?: SimpleCode;
  readonly depts?: readonly AppRecDept[];
  readonly additionalIds?: readonly AppRecAdditionalId[];
  readonly hcPersons?: readonly AppRecHcPerson[];
}

/** `HCProf`: a health professional acting as the party (instead of an institution). */
export interface AppRecHcProf {
  /** `Type` (CS, profession). */
  readonly type?: SimpleCode;
  readonly name?: string;
  readonly id?: string;
  readonly typeId?: SimpleCode;
  readonly additionalIds?: readonly AppRecAdditionalId[];
}

/** `Address`. */
export interface AppRecAddress {
  /** `Type` (CS, 3401). Required by the schema. */
  readonly type: SimpleCode;
  readonly streetAdr?: string;
  readonly postalCode?: string;
  readonly city?: string;
  readonly county?: SimpleCode;
  readonly country?: SimpleCode;
  readonly cityDistr?: SimpleCode;
  /** `TeleAddress/@V` (URLs such as `tel:+4735000000`). */
  readonly teleAddresses?: readonly string[];
}

/** `HCP`: exactly one of `inst` and `hcProf`. */
export interface AppRecHcp {
  readonly inst?: AppRecInstitution;
  readonly hcProf?: AppRecHcProf;
  /** `MedSpeciality` (CV). */
  readonly medSpeciality?: CodedValue;
  readonly address?: AppRecAddress;
}

/** `Sender` / `Receiver`. */
export interface AppRecParty {
  /** `Role` (CS). */
  readonly role?: SimpleCode;
  readonly hcp: AppRecHcp;
}

/** `Status` (CS, 8258). */
export interface AppRecStatusCode {
  readonly v: AppRecStatus;
  readonly dn?: string;
}

/**
 * `Error` (CV, 8221): `v` the code, `dn` its display name, `s` the code system OID and `ot` the
 * free text that explains this occurrence. Parsed errors keep any code the sender used.
 */
export interface AppRecErrorEntry {
  readonly v: AppRecErrorCode | (string & {});
  readonly dn?: string;
  readonly s?: string;
  readonly ot?: string;
}

/** `OriginalMsgId`: the message this AppRec answers. */
export interface OriginalMsgId {
  /** `MsgType` (CS, 8279): MsgInfo/Type of the original, e.g. `{ v: 'LOG_INNLAGT', dn: '...' }`. */
  readonly msgType: SimpleCode;
  /** `IssueDate` (xs:dateTime): the original's MsgInfo/GenDate. */
  readonly issueDate: string;
  /** `Id`: the original's MsgInfo/MsgId. */
  readonly id: string;
}

/** The parts of an AppRec that a builder takes; version, MIGversion and MsgType come from the options. */
export interface AppRecInput {
  /** `MIGversion`; default the version's own (`1.0 2004-11-21` / `v1.1 2012-02-15`). */
  readonly migVersion?: string;
  readonly softwareName?: string;
  readonly softwareVersion?: string;
  /** `GenDate` (xs:dateTime). */
  readonly genDate: string;
  /** `Id`: this AppRec's own id (a UUID when we build). */
  readonly id: string;
  /** The original receiver (who sends this receipt). */
  readonly sender: AppRecParty;
  /** The original sender (who gets this receipt). */
  readonly receiver: AppRecParty;
  readonly status: AppRecStatusCode;
  readonly errors: readonly AppRecErrorEntry[];
  readonly originalMsgId: OriginalMsgId;
}

/** An AppRec as read from a document (AppRec 1.0 or 1.1). */
export interface AppRec extends AppRecInput {
  /** The version, decided by the namespace (the MIGversion text may disagree and is kept as is). */
  readonly version: AppRecVersion;
  readonly migVersion: string;
  /** `MsgType` (CS): `APPREC`. */
  readonly msgType: SimpleCode;
}
