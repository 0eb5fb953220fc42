/**
 * The table from message type (kodeverk 8279, MsgHead MsgInfo/Type V) to the ebXML Service and
 * Action of the MessageHeader.
 *
 * UNVERIFIED: in production the Service/Action pairs come from the CPA agreed through NHN's
 * CPP/CPA service. This default uses the 8279 code as the Service and a per-type Action; replace
 * or extend it with the `serviceActions` option of the adapter when a CPA says otherwise.
 */

/** ebXML Service and Action for one message type. */
export interface ServiceAction {
  /** eb:Service (sent with eb:type="string"). */
  readonly service: string;
  /** eb:Action. */
  readonly action: string;
}

/** The ebMS service of messaging-level signals (Acknowledgment, MessageError). ebMS 2.0 §3.1.4. */
export const EBMS_SERVICE = 'urn:oasis:names:tc:ebxml-msg:service';

/** Default Service/Action per 8279 message type (UNVERIFIED, see module comment). */
export const DEFAULT_SERVICE_ACTIONS: Readonly<Record<string, ServiceAction>> = {
  LOG_INNLAGT: { service: 'LOG_INNLAGT', action: 'MeldingOmInnlagtPasient' },
  LOG_UTSKRIVNINGSKLAR: { service: 'LOG_UTSKRIVNINGSKLAR', action: 'MeldingOmUtskrivningsklarPasient' },
  LOG_AVMELDING: { service: 'LOG_AVMELDING', action: 'AvmeldingAvUtskrivningsklarPasient' },
  LOG_UTSKREVET: { service: 'LOG_UTSKREVET', action: 'MeldingOmUtskrevetPasient' },
  LOG_DOD: { service: 'LOG_DOD', action: 'OrienteringOmDodsfall' },
  INNLEGGELSESRAPPORT: { service: 'INNLEGGELSESRAPPORT', action: 'Innleggelsesrapport' },
  UTSKRIVNINGSRAPPORT: { service: 'UTSKRIVNINGSRAPPORT', action: 'Utskrivningsrapport' },
  HELSEOPPL_SOKNAD: { service: 'HELSEOPPL_SOKNAD', action: 'Helseopplysninger' },
  DIALOG_FORESPORSEL: { service: 'DIALOG_FORESPORSEL', action: 'Foresporsel' },
  DIALOG_SVAR: { service: 'DIALOG_SVAR', action: 'Svar' },
  DIALOG_AVVIK: { service: 'DIALOG_AVVIK', action: 'TilbakemeldingOmFeil' },
  ORIENTERING_TJENESTETILBUD: { service: 'ORIENTERING_TJENESTETILBUD', action: 'OrienteringOmTjenestetilbud' },
  HELSEOPPLYSNINGER_LEGE: { service: 'HELSEOPPLYSNINGER_LEGE', action: 'HelseopplysningerTilLege' },
  MEDISINSKE_OPPLYSNINGER: { service: 'MEDISINSKE_OPPLYSNINGER', action: 'MedisinskeOpplysninger' },
  APPREC: { service: 'APPREC', action: 'Applikasjonskvittering' },
};

/** Looks message types up in both directions over a table (the default merged with overrides). */
export interface ServiceActionTable {
  /** Service/Action for a message type; a type missing from the table uses the type as both. */
  forType(msgType: string): ServiceAction;
  /** Message type for a received Service/Action, or undefined when the pair is not in the table. */
  typeOf(service: string, action: string): string | undefined;
}

/** Builds a {@link ServiceActionTable} from the default table and `overrides` (which win). */
export function serviceActionTable(overrides: Readonly<Record<string, ServiceAction>> = {}): ServiceActionTable {
  const byType = new Map<string, ServiceAction>(Object.entries({ ...DEFAULT_SERVICE_ACTIONS, ...overrides }));
  const byPair = new Map<string, string>();
  for (const [type, pair] of byType) byPair.set(`${pair.service}\u0000${pair.action}`, type);
  return {
    forType(msgType) {
      return byType.get(msgType) ?? { service: msgType, action: msgType };
    },
    typeOf(service, action) {
      const known = byPair.get(`${service}\u0000${action}`);
      if (known !== undefined) return known;
      // A type sent without a table entry travels as Service = Action = type.
      return service === action && service !== '' && service !== EBMS_SERVICE ? service : undefined;
    },
  };
}
