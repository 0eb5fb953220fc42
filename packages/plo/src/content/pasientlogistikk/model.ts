/**
 * Pasientlogistikk (PLO v1.6, HIS 80704:2014): the short logistics messages about a hospital
 * stay. Content root `Pasientlogistikk` in
 * `http://www.kith.no/xmlstds/po/Pasientlogistikk/2012-04-01` (v1.5 `.../2009-06-30`, parsed),
 * holding one event element, optional `po:TilknyttetEnhet` / `po:KontaktpersonHelsepersonell`,
 * and `po:InformasjonOmForsendelsen`.
 *
 * | MsgInfo/Type | event element | Hendelsekode (9121) |
 * |---|---|---|
 * | LOG_INNLAGT | MeldingInnlagtPasient | 1 Pasient innlagt |
 * | LOG_UTSKREVET | MeldingOmUtskrevetPasient (+ po:UtskrevetTil) | 2 Pasient utskrevet |
 * | LOG_UTSKRIVNINGSKLAR | MeldingUtskrivningsklarPasient | 3 Pasient utskrivningsklar |
 * | LOG_AVMELDING | AvmeldingUtskrivningsklarPasient | 4 Avmelding av utskrivningsklar pasient |
 * | LOG_DOD | OrienteringOmDod | 13 Pasienten er død |
 */
import type {
  InformasjonOmForsendelsen,
  KontaktpersonHelsepersonell,
  TidsfestetHendelse,
  TilknyttetEnhet,
  UtskrevetTil,
} from '../common/types';

/** PLO v1.6 Pasientlogistikk namespace (built). */
export const PASIENTLOGISTIKK_NS_V16 = 'http://www.kith.no/xmlstds/po/Pasientlogistikk/2012-04-01';
/** PLO v1.5 Pasientlogistikk namespace (parsed only). */
export const PASIENTLOGISTIKK_NS_V15 = 'http://www.kith.no/xmlstds/po/Pasientlogistikk/2009-06-30';

/** The Pasientlogistikk message types (8279). */
export type PasientlogistikkType = 'LOG_INNLAGT' | 'LOG_UTSKREVET' | 'LOG_UTSKRIVNINGSKLAR' | 'LOG_AVMELDING' | 'LOG_DOD';

/** The event of the message (`po:TidsfestetHendelse`); its 9121 code follows from the type. */
export interface PasientlogistikkHendelse extends Omit<TidsfestetHendelse, 'hendelsekode' | 'tidspunkt'> {
  /** `TidspunktForHendelse/@V`: when it happened, xs:dateTime (xs:date accepted). Required. */
  readonly tidspunkt: string;
}

/**
 * Content of every Pasientlogistikk message (LOG_INNLAGT, LOG_UTSKREVET, LOG_UTSKRIVNINGSKLAR,
 * LOG_AVMELDING, LOG_DOD). `utskrevetTil` is required for LOG_UTSKREVET and refused otherwise.
 * The patient is MsgHead's `Patient`.
 */
export interface Pasientlogistikk {
  readonly informasjonOmForsendelsen: InformasjonOmForsendelsen;
  readonly hendelse: PasientlogistikkHendelse;
  /** LOG_UTSKREVET only: discharged to (8408 or 7300) and condition (8431). */
  readonly utskrevetTil?: UtskrevetTil;
  /** Institution / department involved (e.g. the hospital and ward). */
  readonly tilknyttetEnhet?: readonly TilknyttetEnhet[];
  /** Health professionals to contact. */
  readonly kontaktpersoner?: readonly KontaktpersonHelsepersonell[];
}

/** Per type: event element, 9121 code and display names. */
export const PASIENTLOGISTIKK_EVENTS: Readonly<
  Record<PasientlogistikkType, { readonly element: string; readonly hendelsekode: string; readonly hendelse: string; readonly displayName: string }>
> = {
  LOG_INNLAGT: { element: 'MeldingInnlagtPasient', hendelsekode: '1', hendelse: 'Pasient innlagt', displayName: 'Melding om innlagt pasient' },
  LOG_UTSKREVET: { element: 'MeldingOmUtskrevetPasient', hendelsekode: '2', hendelse: 'Pasient utskrevet', displayName: 'Melding om utskrevet pasient' },
  LOG_UTSKRIVNINGSKLAR: {
    element: 'MeldingUtskrivningsklarPasient',
    hendelsekode: '3',
    hendelse: 'Pasient utskrivningsklar',
    displayName: 'Melding om utskrivningsklar pasient',
  },
  LOG_AVMELDING: {
    element: 'AvmeldingUtskrivningsklarPasient',
    hendelsekode: '4',
    hendelse: 'Avmelding av utskrivningsklar pasient',
    displayName: 'Avmelding av utskrivningsklar pasient',
  },
  LOG_DOD: { element: 'OrienteringOmDod', hendelsekode: '13', hendelse: 'Pasienten er død', displayName: 'Orientering om dødsfall' },
};
