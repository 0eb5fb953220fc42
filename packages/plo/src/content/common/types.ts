/**
 * Common PLO components (poKomponent), PLO v1.6 namespace
 * `http://www.kith.no/xmlstds/po/poKomponent/2012-04-01` (v1.5: `.../2009-06-30`, read only).
 * Each interface documents the element it models. Parties inside them (`Kontaktenhet`,
 * `Kontaktperson`) use felleskomponent1 types, so their children are in the felleskomponent1
 * namespace.
 */
import type { CodedValue } from '../../xml/helpers';
import type { HealthcareProfessional, Organisation } from '../../parties/types';
import type { Forsendelsesstatus } from '../../codelists/codelists';

export type { Forsendelsesstatus };

/** PLO v1.6 poKomponent namespace (built). */
export const PO_KOMPONENT_NS_V16 = 'http://www.kith.no/xmlstds/po/poKomponent/2012-04-01';
/** PLO v1.5 poKomponent namespace (parsed only). */
export const PO_KOMPONENT_NS_V15 = 'http://www.kith.no/xmlstds/po/poKomponent/2009-06-30';

/** Display names of {@link Forsendelsesstatus} (7309). */
export const FORSENDELSESSTATUS_NAMES: Readonly<Record<Forsendelsesstatus, string>> = {
  N: 'Ny',
  M: 'Endring',
  A: 'Tillegg',
  H: 'Historikk',
  C: 'Kansellering',
  O: 'Oppdatert og erstatter',
  X: 'Annet',
};

/** Statuses that change or cancel an earlier message and therefore must refer back to it. */
export const FORSENDELSESSTATUS_REFERRING: ReadonlySet<Forsendelsesstatus> = new Set(['M', 'A', 'C', 'O']);

/**
 * `po:InformasjonOmForsendelsen`: status of this sending. A change or cancel (M, A, C, O) is a
 * new message (new MsgId) that refers to the earlier one through MsgHead
 * `ConversationRef/RefToParent` (the earlier MsgId); `buildMessage` enforces that.
 */
export interface InformasjonOmForsendelsen {
  /** `po:Forsendelsesstatus` (CV, 7309). */
  readonly forsendelsesstatus: Forsendelsesstatus;
  /** `po:ForbeholdOmVideresending` (boolean). */
  readonly forbeholdOmVideresending?: boolean;
  /** `po:SvarPaaForesporsel` (boolean): this message answers a request. */
  readonly svarPaaForesporsel?: boolean;
}

/**
 * `po:TidsfestetHendelse`: an event with a time, e.g. admission (9121=1) or death (9121=13).
 */
export interface TidsfestetHendelse {
  /** `po:Hendelsekode` (CV, 9121). */
  readonly hendelsekode: CodedValue;
  /** `po:TidspunktForHendelse/@V`: xs:dateTime (or xs:date). */
  readonly tidspunkt?: string;
  /** `po:Anslag`: the time is an estimate. */
  readonly anslag?: boolean;
  /** `po:StedForHendelse/po:StedHendelse`: where, as text (e.g. the ward). */
  readonly sted?: string;
  /** `po:BeskrivelseAvHendelse`. */
  readonly beskrivelse?: string;
  /** `po:Merknad`: free-text note. */
  readonly merknad?: string;
}

/** `po:UtskrevetTil`: where the patient was discharged to, and condition at discharge. */
export interface UtskrevetTil {
  /** `po:UtTil` (CV): place, kodeverk 8408 (or 7300). */
  readonly utTil: CodedValue;
  /** `po:Uttilstand` (CV, kodeverk 8431): condition at discharge (e.g. 1 levende, 2 død). */
  readonly uttilstand?: CodedValue;
  /** `po:Merknad`. */
  readonly merknad?: string;
}

/** `po:TilknyttetEnhet`: an institution or department involved, e.g. the hospital ward. */
export interface TilknyttetEnhet {
  /** `po:Kontaktenhet` (felleskomponent1 Organisation; nested Organisation = department). */
  readonly kontaktenhet: Organisation;
  /** `po:Merknad`. */
  readonly merknad?: string;
}

/** `po:KontaktpersonHelsepersonell`: a health professional to contact. */
export interface KontaktpersonHelsepersonell {
  /** `po:Kontaktperson` (felleskomponent1 HealthcareProfessional). */
  readonly kontaktperson: HealthcareProfessional;
  /** `po:Merknad`. */
  readonly merknad?: string;
}
