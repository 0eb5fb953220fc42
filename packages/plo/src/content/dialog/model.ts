/**
 * Models of the dialogue messages (Dialogmelding, KITH/Helsedirektoratet) used between
 * municipalities and hospitals: Forespørsel (`DIALOG_FORESPORSEL`), Svar på forespørsel
 * (`DIALOG_SVAR`) and Tilbakemelding om feil i mottatt melding (`DIALOG_AVVIK`).
 *
 * Built as Dialogmelding v1.1 (namespace `http://www.kith.no/xmlstds/dialog/2013-01-23`); v1.0
 * (`http://www.kith.no/xmlstds/dialog/2006-10-11`) is read as well.
 */
import type { CodedValue } from '../../xml/helpers';

/** Dialogmelding v1.1 namespace (built and read). */
export const DIALOG_NS_V1_1 = 'http://www.kith.no/xmlstds/dialog/2013-01-23';
/** Dialogmelding v1.0 namespace (read only). */
export const DIALOG_NS_V1_0 = 'http://www.kith.no/xmlstds/dialog/2006-10-11';
/** felleskomponent1 namespace (Ident, Address, TeleCom inside persons). */
export const FELLESKOMPONENT1_NS = 'http://www.kith.no/xmlstds/felleskomponent1';

/**
 * An identifier of a person (felleskomponent1 `Ident`): `Id` and `TypeId` (a code from 8116,
 * e.g. `HPR`, `HER`, `FNR`). Fødselsnummer-family ids are checked with `checkPersonId`, HER-ids
 * with `isValidHerId`.
 */
export interface DialogIdent {
  /** `Ident/Id`. */
  readonly id: string;
  /** `Ident/TypeId` (code list 8116). */
  readonly typeId: CodedValue;
}

/** A telecom address (felleskomponent1 `TeleCom`), e.g. `tel:+4735000000`. */
export interface DialogTeleCom {
  /** `TypeTelecom` (KITH CS: only `v` and `dn` are written). */
  readonly type?: CodedValue;
  /** `TeleAddress/@V`, a URI such as `tel:...` or `mailto:...`. */
  readonly address: string;
}

/**
 * A health professional (Dialogmelding `HealthcareProfessional`): the asker, the answerer or a
 * contact. At least one name or identifier is required by the builders.
 */
export interface DialogHealthcareProfessional {
  /** `TypeHealthcareProfessional` (9060, e.g. `SP` sykepleier, `LE` lege; KITH CS). */
  readonly typeHealthcareProfessional?: CodedValue;
  /** `RoleToPatient` (9034). */
  readonly roleToPatient?: CodedValue;
  readonly familyName?: string;
  readonly middleName?: string;
  readonly givenName?: string;
  /** `Ident` (HPR-number, HER-id, ...). */
  readonly idents?: readonly DialogIdent[];
  /** `TeleCom`. */
  readonly teleComs?: readonly DialogTeleCom[];
}

/** A person that is not acting as a health professional (Dialogmelding `Person`), e.g. a relative. */
export interface DialogPerson {
  readonly givenName?: string;
  readonly middleName?: string;
  readonly familyName?: string;
  readonly idents?: readonly DialogIdent[];
  readonly teleComs?: readonly DialogTeleCom[];
}

/**
 * `RollerRelatertNotat`: a person related to the question or note and their role. Exactly one
 * of `healthcareProfessional` and `person` is given.
 */
export interface DialogRole {
  /** `RolleNotat` (e.g. 7318/8254 roles such as KHM "Kontakt hos mottaker"). */
  readonly role?: CodedValue;
  /** `RoleToPatient` (9034). */
  readonly roleToPatient?: CodedValue;
  readonly healthcareProfessional?: DialogHealthcareProfessional;
  readonly person?: DialogPerson;
}

/**
 * One question (Dialogmelding `Foresporsel`). In a `DIALOG_SVAR` it is the copy of the question
 * being answered, so the asker sees what the answer is about.
 *
 * `question` and `documentId` are optional in the type because received questions (for example
 * a communication test) may lack them; the builders require both.
 */
export interface DialogQuestion {
  /**
   * `TypeForesp`: the topic. Built with code list 7322 (e.g. 6 Henvendelse om pasient,
   * 7 Tilbakemelding på mottak av utskrivningsklar pasient, 8 Forespørsel om helseopplysninger);
   * read with any code list.
   */
  readonly topic: CodedValue;
  /** `EmneSporsmal` (v1.1 only): a short subject line. */
  readonly subject?: string;
  /** `Sporsmal`: the question in free text. Mandatory when building. */
  readonly question?: string;
  /** `Formål` (purpose, e.g. 9065 codes). */
  readonly purpose?: CodedValue;
  /** `Begrunnelse`: why the information is needed. */
  readonly reason?: string;
  /** `FraDato`, `TilDato` (xs:date): the period the question concerns. */
  readonly fromDate?: string;
  readonly toDate?: string;
  /**
   * `DokIdForesp`: the question's document id, unique at the sender. An answer refers to the
   * question through it. Mandatory when building.
   */
  readonly documentId?: string;
  /** `RollerRelatertNotat`: the asker and other contacts. */
  readonly roles?: readonly DialogRole[];
}

/**
 * `DIALOG_FORESPORSEL`: one or more questions (Dialogmelding with `Foresporsel` children).
 *
 * The municipality's answer to `LOG_UTSKRIVNINGSKLAR` uses topic 7322 = 7 ("Tilbakemelding på
 * mottak av utskrivningsklar pasient"). Whether that answer is a Forespørsel or a Svar is not
 * confirmed in a primary source **(unverified)**: both models accept that topic, see
 * {@link UTSKRIVNINGSKLAR_FEEDBACK_TOPIC}.
 */
export interface DialogForesporsel {
  /** `SakstypeKodet`. */
  readonly caseTypeCode?: CodedValue;
  /** `Sakstype`. */
  readonly caseType?: string;
  /** `Foresporsel` (at least one). */
  readonly questions: readonly DialogQuestion[];
}

/**
 * `DIALOG_SVAR`: the answer to a question (Dialogmelding `Notat` with the question copied in).
 * The answer goes to the address that asked; MsgHead `ConversationRef/RefToParent` carries the
 * question's MsgId (msghead layer), the content refers to the question by its `DokIdForesp`.
 */
export interface DialogSvar {
  /** `Notat/TemaKodet`: svar status from code list 9069 (e.g. 1 opplysningene er inkludert, 5 svar på forespørsel). */
  readonly status: CodedValue;
  /** `Notat/Tema`: heading. */
  readonly heading?: string;
  /**
   * `Notat/TekstNotatInnhold`: the answer. Mandatory when building, except for statuses 2, 3 and 4
   * (avvist uten begrunnelse, har ikke opplysningene, krever samtykke).
   */
  readonly answer?: string;
  /** `Notat/Merknad`. */
  readonly remark?: string;
  /** `Notat/DokIdNotat`: the answer's own document id. */
  readonly documentId?: string;
  /** `Notat/DatoNotat` (xs:date). */
  readonly date?: string;
  /**
   * `Notat/Foresporsel`: the question answered, with its `documentId`. Mandatory when building
   * (the standard sends the question with the answer); may be absent in a received answer.
   */
  readonly question?: DialogQuestion;
  /** `Notat/RollerRelatertNotat`: the answerer and other contacts. */
  readonly roles?: readonly DialogRole[];
}

/** Reason for a Tilbakemelding om feil i mottatt melding (code list 8117). */
export type AvvikReason = '1' | '2' | '9';

/**
 * `DIALOG_AVVIK`: Tilbakemelding om feil i mottatt melding, sent back to the original sender when
 * a message turned out wrong after a positive AppRec (wrong addressee, missing information).
 * It does not replace a negative AppRec.
 *
 * Encoding (a project choice, **unverified** against the official guide): Dialogmelding `Notat`
 * with `TemaKodet` from 8117, the mandatory free-text reason in `TekstNotatInnhold` and the
 * original message's MsgId in `DokIdNotat`. Also set MsgHead `ConversationRef/RefToParent` to
 * that MsgId.
 */
export interface DialogAvvik {
  /** `TemaKodet` (8117): 1 feil adressat, 2 mangelfulle opplysninger, 9 annet. */
  readonly reason: AvvikReason;
  /** `Tema`: heading, e.g. "Tilbakemelding om feil i mottatt melding". */
  readonly heading?: string;
  /** `TekstNotatInnhold`: what is wrong, in free text. Mandatory. */
  readonly description: string;
  /** `DokIdNotat`: MsgId of the message the feedback is about. Mandatory when building. */
  readonly originalMsgId?: string;
  /** `Merknad`. */
  readonly remark?: string;
  /** `DatoNotat` (xs:date). */
  readonly date?: string;
  /** `RollerRelatertNotat`: who reports the error, for questions back. */
  readonly roles?: readonly DialogRole[];
}

/** Topic 7322 = 7, "Tilbakemelding på mottak av utskrivningsklar pasient". */
export const UTSKRIVNINGSKLAR_FEEDBACK_TOPIC: CodedValue = {
  v: '7',
  s: '2.16.578.1.12.4.1.1.7322',
  dn: 'Tilbakemelding på mottak av utskrivningsklar pasient',
};
