/**
 * Volven code lists (kodeverk) used by PLO, MsgHead, AppRec and dialogue messages.
 *
 * GENERATED — DO NOT EDIT. Changes belong in the source data or in the generator.
 * Source: shared/reference/volven-codes-selected.tsv (SHA-256 571803facbb0ca4bc407fbf97bce58f2954302175efac1e77ec859e281db2a81)
 * Generated on: 2026-11-25
 * Regenerate: node tools/scripts/gen-codelists.mjs   (check: --check)
 *
 * Codes and display names are data from Volven (Helsedirektoratet), OID 2.16.578.1.12.4.1.1.<system>.
 * Lists or codes missing from the extract are added by hand in './volven.supplement.ts'.
 */
import type { CodeListData } from './types';

/** Code lists from the Volven extract, ordered by system number. */
export const VOLVEN_GENERATED = [
  {
    system: "7300",
    oid: "2.16.578.1.12.4.1.1.7300",
    name: "Discharged to (destination at discharge)",
    codes: [
      { code: "1", displayName: "Ut til hjemmet" },
      { code: "2", displayName: "Som død" },
      { code: "21", displayName: "Annen somatisk enhet ved egen institusjon" },
      { code: "23", displayName: "Psykiatrisk enhet/-poliklinikk ved egen institusjon" },
      { code: "31", displayName: "Annet somatisk sykehus i Norge" },
      { code: "34", displayName: "Somatisk sykehus utenfor Norge" },
      { code: "35", displayName: "Rehab. Inst./sykehjem" },
      { code: "39", displayName: "Annen helsesinstitusjon" },
    ],
  },
  {
    system: "7304",
    oid: "2.16.578.1.12.4.1.1.7304",
    name: "Yes / no / only on error",
    codes: [
      { code: "F", displayName: "Kun ved feil" },
      { code: "J", displayName: "Ja" },
      { code: "N", displayName: "Nei" },
    ],
  },
  {
    system: "7309",
    oid: "2.16.578.1.12.4.1.1.7309",
    name: "Forsendelsesstatus (dispatch status: new, change, addition, history, cancellation)",
    codes: [
      { code: "A", displayName: "Tillegg" },
      { code: "C", displayName: "Kansellering" },
      { code: "H", displayName: "Historikk" },
      { code: "M", displayName: "Endring" },
      { code: "N", displayName: "Ny" },
    ],
  },
  {
    system: "7318",
    oid: "2.16.578.1.12.4.1.1.7318",
    name: "Health professional role in a report",
    codes: [
      { code: "AHP", displayName: "Ansvarlig helsepersonell" },
      { code: "ANL", displayName: "Anestesist" },
      { code: "ARP", displayName: "Ansvarlig for rapport" },
      { code: "AUT", displayName: "Dokumentgodkjenner" },
      { code: "BLE", displayName: "Behandlende lege" },
      { code: "ILE", displayName: "Innleggende lege" },
      { code: "ISS", displayName: "Dokumentutsteder" },
      { code: "KHM", displayName: "Kontakt hos mottaker" },
      { code: "KLE", displayName: "Kontaktlege" },
      { code: "KPS", displayName: "Kontaktpsykolog" },
      { code: "OPL", displayName: "Operatør" },
      { code: "ULE", displayName: "Utskrivende lege" },
    ],
  },
  {
    system: "7321",
    oid: "2.16.578.1.12.4.1.1.7321",
    name: "Dialogue note type (Notat)",
    codes: [
      { code: "1", displayName: "Notat om pasient" },
      { code: "2", displayName: "Melding om avvik" },
      { code: "3", displayName: "Uspesifisert notat" },
      { code: "4", displayName: "Supplerende opplysninger" },
      { code: "5", displayName: "Overføring av journal" },
      { code: "6", displayName: "Henvendelse om pasient" },
    ],
  },
  {
    system: "7322",
    oid: "2.16.578.1.12.4.1.1.7322",
    name: "Dialogue request topic (Forespørsel)",
    codes: [
      { code: "6", displayName: "Henvendelse om pasient" },
      { code: "7", displayName: "Tilbakemelding på mottak av utskrivningsklar pasient" },
      { code: "8", displayName: "Forespørsel om helseopplysninger" },
      { code: "9", displayName: "Forespørsel om legemiddelopplysninger" },
    ],
  },
  {
    system: "8112",
    oid: "2.16.578.1.12.4.1.1.8112",
    name: "Receiver role (primary, copy, original, forwarded)",
    codes: [
      { code: "COP", displayName: "Kopimottaker" },
      { code: "FR", displayName: "Mottaker i videresendt melding" },
      { code: "OR", displayName: "Opprinnelig mottaker" },
      { code: "PRIM", displayName: "Primærmottaker" },
    ],
  },
  {
    system: "8113",
    oid: "2.16.578.1.12.4.1.1.8113",
    name: "Processing status (MsgInfo/ProcessingStatus)",
    codes: [
      { code: "D", displayName: "Debugging" },
      { code: "P", displayName: "Produksjon" },
      { code: "T", displayName: "Opplæring" },
    ],
  },
  {
    system: "8115",
    oid: "2.16.578.1.12.4.1.1.8115",
    name: "Priority",
    codes: [
      { code: "H", displayName: "Høy" },
      { code: "L", displayName: "Lav" },
      { code: "N", displayName: "Normal" },
    ],
  },
  {
    system: "8116",
    oid: "2.16.578.1.12.4.1.1.8116",
    name: "Person identifier type (Ident/TypeId for persons)",
    codes: [
      { code: "DKF", displayName: "Dansk 'personnummer'" },
      { code: "DNR", displayName: "D-nummer" },
      { code: "DUF", displayName: "DUF-nummer" },
      { code: "FHN", displayName: "Felles hjelpenummer" },
      { code: "FNR", displayName: "Fødselsnummer" },
      { code: "FPN", displayName: "Forsikringspolise nummer" },
      { code: "HER", displayName: "HER-id" },
      { code: "HNR", displayName: "H-nummer" },
      { code: "HPR", displayName: "HPR-nummer" },
      { code: "PNR", displayName: "Passnummer" },
      { code: "SEF", displayName: "Svensk 'personnummer'" },
      { code: "SSN", displayName: "Sosial security number" },
      { code: "UID", displayName: "Utenlandsk identifikasjon" },
      { code: "XXX", displayName: "Annet" },
    ],
  },
  {
    system: "8117",
    oid: "2.16.578.1.12.4.1.1.8117",
    name: "Error feedback type (Tilbakemelding om feil, DIALOG_AVVIK)",
    codes: [
      { code: "1", displayName: "Feil adressat" },
      { code: "2", displayName: "Mangelfulle opplysninger" },
      { code: "9", displayName: "Annet" },
    ],
  },
  {
    system: "8221",
    oid: "2.16.578.1.12.4.1.1.8221",
    name: "AppRec error code",
    codes: [
      { code: "E10", displayName: "Ugyldig meldingsidentifikator" },
      { code: "E20", displayName: "Lege finnes ikke" },
      { code: "E21", displayName: "Mottaker finnes ikke" },
      { code: "E30", displayName: "Pasientens fødselsnummer mangler" },
      { code: "E31", displayName: "Pasientens fødselsnummer er feil" },
      { code: "E32", displayName: "Pasientens navn mangler" },
      { code: "E33", displayName: "Pasientens etternavn mangler" },
      { code: "E34", displayName: "Pasientens fornavn mangler" },
      { code: "E35", displayName: "Pasienten finnes ikke i mottakersystemet" },
      { code: "E36", displayName: "Pasientopplysninger er utilstrekkelige" },
      { code: "E53", displayName: "Pasientens fødselsnummer eller D-nummer finnes ikke registrert i Folkeregisteret." },
      { code: "E54", displayName: "Pasientens fødselsnummer er ikke registrert i mottagersystemet" },
      { code: "S01", displayName: "Feil på signatur" },
      { code: "S02", displayName: "Ugyldig sertifikat" },
      { code: "S03", displayName: "Tilbaketrukket sertifikat" },
      { code: "S99", displayName: "Annen feil på signatur eller sertifikat" },
      { code: "T01", displayName: "Ikke XML / ikke 'well formed' / uleselig" },
      { code: "T02", displayName: "XML validerer ikke" },
      { code: "T10", displayName: "Støtter ikke meldingsformatet" },
      { code: "T99", displayName: "Annen feil på format" },
      { code: "X99", displayName: "Annen feil" },
    ],
  },
  {
    system: "8222",
    oid: "2.16.578.1.12.4.1.1.8222",
    name: "Error code in feedback on received forms",
    codes: [
      { code: "21", displayName: "Behandlers fødselsnummer er ikke et gyldig fødselsnummer." },
      { code: "30", displayName: "Pasientens fødselsnummer finnes ikke i skjemaet." },
      { code: "31", displayName: "Pasientens fødselsnummer er feil." },
      { code: "32", displayName: "Pasientens navn finnes ikke på skjemaet." },
      { code: "33", displayName: "Pasientens etternavn finnes ikke på skjemaet." },
      { code: "34", displayName: "Pasientens fornavn finnes ikke på skjemaet." },
      { code: "37", displayName: "Opplysninger om arbeidsuførhet mangler." },
      { code: "38", displayName: "Opplysninger om perioden for arbeidsuførhet mangler." },
      { code: "39", displayName: "Opplysninger om uføregrad mangler." },
      { code: "47", displayName: "Pasientens fødselsnummer er ikke 11 tegn." },
      { code: "51", displayName: "Informasjon om pasienten er kjent eller har legitimert seg, er ikke utfylt." },
      { code: "52", displayName: "Informasjonsblokk med legens underskrift mangler eller er ufullstendig." },
      { code: "53", displayName: "Pasientens fødselsnummer eller D-nummer finnes ikke registrert i Folkeregisteret." },
      { code: "54", displayName: "Duplikat! - Denne legeerklæringen meldingen er mottatt tidligere. Skal ikke sendes på nytt." },
      { code: "55", displayName: "Pasientopplysninger er utilstrekkelige." },
      { code: "56", displayName: "Feil på signatur." },
      { code: "60", displayName: "Fradato for arbeidsuførhetsperiode (SM felt 2.4) er ikke utfylt." },
      { code: "61", displayName: "Tildato for arbeidsuførhetsperiode (SM felt 2.4) er ikke utfylt." },
    ],
  },
  {
    system: "8241",
    oid: "2.16.578.1.12.4.1.1.8241",
    name: "Health professional identifier type",
    codes: [
      { code: "HER", displayName: "Identifikator fra Helsetjenesteenhetsregisteret (HER-Id)" },
      { code: "HPR", displayName: "Off. identifikator for helsepersonell (HPR-nummer)" },
      { code: "LOP", displayName: "Lokal identifikator for helsepersonell" },
    ],
  },
  {
    system: "8254",
    oid: "2.16.578.1.12.4.1.1.8254",
    name: "Health professional role",
    codes: [
      { code: "AHP", displayName: "Ansvarlig helsepersonell" },
      { code: "ALE", displayName: "Ansvarlig lege" },
      { code: "AMO", displayName: "Ansvarlig for medisinskfaglige opplysninger" },
      { code: "ARP", displayName: "Ansvarlig for rapport" },
      { code: "ASO", displayName: "Ansvarlig for sykepleieopplysninger" },
      { code: "AUT", displayName: "Dokumentgodkjenner" },
      { code: "BIO", displayName: "Utførende bioingeniør" },
      { code: "DLE", displayName: "Beskrivende lege" },
      { code: "FLE", displayName: "Fastlege" },
      { code: "HHE", displayName: "Henvisende helsepersonell" },
      { code: "KHM", displayName: "Kontakt hos mottaker" },
      { code: "KLE", displayName: "Kontaktlege" },
      { code: "KPS", displayName: "Kontaktpsykolog" },
      { code: "LAB", displayName: "Utførende laboratorium" },
      { code: "OEB", displayName: "Ønsket behandler" },
      { code: "OES", displayName: "Ønsket behandlingssted" },
      { code: "OPL", displayName: "Operatør" },
      { code: "PRT", displayName: "Prøvetaker" },
      { code: "REK", displayName: "Rekvirent" },
      { code: "RSC", displayName: "Rescreener" },
      { code: "SCR", displayName: "Screener" },
      { code: "SEK", displayName: "Sekretær" },
      { code: "SLE", displayName: "Signerende lege" },
      { code: "UTF", displayName: "Utførende (uspesifisert)" },
    ],
  },
  {
    system: "8258",
    oid: "2.16.578.1.12.4.1.1.8258",
    name: "AppRec status",
    codes: [
      { code: "1", displayName: "OK" },
      { code: "2", displayName: "Avvist" },
      { code: "3", displayName: "OK, feil i delmelding" },
    ],
  },
  {
    system: "8268",
    oid: "2.16.578.1.12.4.1.1.8268",
    name: "Identifier type for persons and organisations",
    codes: [
      { code: "AKO", displayName: "Apotekenes konsesjonsnummer" },
      { code: "APO", displayName: "Apotekenes identifikasjonsnummer" },
      { code: "AVD", displayName: "Off. identifikator for avdelinger" },
      { code: "DKF", displayName: "Dansk 'personnummer'" },
      { code: "DNR", displayName: "D-nummer" },
      { code: "DUF", displayName: "DUF-nummer" },
      { code: "EHK", displayName: "Europeisk helsetrygdkortnummer" },
      { code: "ENH", displayName: "Organisasjonsnummeret i Enhetsregister" },
      { code: "FHN", displayName: "Felles hjelpenummer (FH-nummer)" },
      { code: "FNR", displayName: "Norsk fødselsnummer" },
      { code: "FPN", displayName: "Forsikringspolise nummer" },
      { code: "HER", displayName: "HER-id" },
      { code: "HNR", displayName: "H-nummer" },
      { code: "HPR", displayName: "HPR-nummer" },
      { code: "LAV", displayName: "Lokal identifikator for avdelinger" },
      { code: "LIN", displayName: "Lokal identifikator for institusjoner" },
      { code: "LOK", displayName: "Lokal identifikator uten nærmere angivelse" },
      { code: "LOP", displayName: "Lokal identifikator for helsepersonell" },
      { code: "NPR", displayName: "NPR avdelingsnummer" },
      { code: "PNR", displayName: "Passnummer" },
      { code: "RSH", displayName: "Nasjonalt register over enheter i spesialisthelsetjenesten (RESH-ID)" },
      { code: "SEF", displayName: "Svensk 'personnummer'" },
      { code: "SSN", displayName: "Sosial security number" },
      { code: "SYS", displayName: "SYSVAK institusjonsnummer" },
      { code: "XXX", displayName: "Annet" },
    ],
  },
  {
    system: "8270",
    oid: "2.16.578.1.12.4.1.1.8270",
    name: "Dispatch status (status of the message)",
    codes: [
      { code: "A", displayName: "Tillegg" },
      { code: "C", displayName: "Kansellering" },
      { code: "H", displayName: "Historikk" },
      { code: "M", displayName: "Endring" },
      { code: "N", displayName: "Ny" },
    ],
  },
  {
    system: "8279",
    oid: "2.16.578.1.12.4.1.1.8279",
    name: "Message type (MsgInfo/Type)",
    codes: [
      { code: "ADM_KOMM_KJERNEJOURNAL", displayName: "Administrativ kommunikasjon med kjernejournal" },
      { code: "AMQP_SOAP_FAULT", displayName: "AMQP SOAP Fault" },
      { code: "APM", displayName: "Audiopedagogoppgjørsmelding" },
      { code: "APOK", displayName: "Apotek - oppgjørsmelding" },
      { code: "APPREC", displayName: "Applikasjonskvittering" },
      { code: "BEKREFT_REKVISISJON", displayName: "Bekreftelse på rekvirert tjeneste" },
      { code: "BIVIRKNING", displayName: "Melding om bivirkning" },
      { code: "BOM", displayName: "Behandlingsreiser i utlandet oppgjørsmelding" },
      { code: "CANCER_BR", displayName: "Meldeskjema brystkreft" },
      { code: "CANCER_NS", displayName: "Meldeskjema non - solide svulster" },
      { code: "CANCER_S", displayName: "Meldeskjema solide svulster" },
      { code: "DIALOG", displayName: "EPJhode - dialog" },
      { code: "DIALOG_AVVIK", displayName: "Tilbakemelding om feil i mottatt melding" },
      { code: "DIALOG_FORESPORSEL", displayName: "Forespørsel" },
      { code: "DIALOG_FORSIKRING", displayName: "Dialog forsikring" },
      { code: "DIALOG_HELSEFAGLIG", displayName: "Helsefaglig dialog" },
      { code: "DIALOG_INNBYGGER_AVTALEUTSENDING", displayName: "Dialog med innbygger – avtaleutsending" },
      { code: "DIALOG_INNBYGGER_BEHANDLEROVERSIKT", displayName: "Benyttes til prosess for å hente behandler" },
      { code: "DIALOG_INNBYGGER_DIGITALBRUKER", displayName: "Dialog med innbygger - digital bruker" },
      { code: "DIALOG_INNBYGGER_EKONSULTASJON", displayName: "Dialog med innbygger - eKonsultasjon" },
      { code: "DIALOG_INNBYGGER_EKONTAKT", displayName: "Dialog med innbygger - eKontakt" },
      { code: "DIALOG_INNBYGGER_FINN_DOKUMENTER", displayName: "Dialog med innbygger - finn dokument" },
      { code: "DIALOG_INNBYGGER_HELSEPERSONELL", displayName: "Dialog mellom innbygger og helsepersonell" },
      { code: "DIALOG_INNBYGGER_HELSEREGISTER", displayName: "Dialog mellom innbygger og helseregister" },
      { code: "DIALOG_INNBYGGER_HENT_DOKUMENTER", displayName: "Dialog med innbygger - hent dokument" },
      { code: "DIALOG_INNBYGGER_HL7_DOKUMENTNOTIFIKASJON", displayName: "Dialog med innbygger - dokumentnotifikasjon" },
      { code: "DIALOG_INNBYGGER_HREG_INNSYN_BRUK", displayName: "Dialog med innbygger - innsyn bruk" },
      { code: "DIALOG_INNBYGGER_HREG_INNSYN_HELSEOPPLYSNINGER", displayName: "Dialog med innbygger - innsyn helseopplysninger" },
      { code: "DIALOG_INNBYGGER_HREG_INNSYN_UTLEVERING", displayName: "Dialog med innbygger - innsyn utlevering" },
      { code: "DIALOG_INNBYGGER_HREG_MELDE_FEIL", displayName: "Dialog med innbygger - melde feil i helseopplysninger" },
      { code: "DIALOG_INNBYGGER_HREG_OPPFORINGER", displayName: "Dialog med innbygger - informasjon om oppføring" },
      { code: "DIALOG_INNBYGGER_HREG_SLETTING_ELLER_SPERRING", displayName: "Dialog med innbygger - Sletting eller sperring" },
      { code: "DIALOG_INNBYGGER_JOURNAL", displayName: "Forespørsel fra innbygger til helsepersonell om innsyn i journal" },
      { code: "DIALOG_INNBYGGER_KOORDINATOR", displayName: "Dialog mellom innbygger og koordinator" },
      { code: "DIALOG_INNBYGGER_MELDINGSFORMIDLING", displayName: "Melding eller varsel til innbygger" },
      { code: "DIALOG_INNBYGGER_RESEPTFORNYELSE", displayName: "Dialog med innbygger - reseptfornyelse" },
      { code: "DIALOG_INNBYGGER_SAMTYKKE", displayName: "Benyttes for helseaktør som sender en samtykkeforespørsel til innbygger via helsenorge.no" },
      { code: "DIALOG_INNBYGGER_TEST", displayName: "Dialog med innbygger - test" },
      { code: "DIALOG_INNBYGGER_TIMEONSKE", displayName: "Dialog med innbygger - timeønske" },
      { code: "DIALOG_INNBYGGER_TIMER", displayName: "Dialog med innbygger om timer" },
      { code: "DIALOG_INNBYGGER_TIMERESERVASJON", displayName: "Dialog med innbygger - timereservasjon" },
      { code: "DIALOG_INNBYGGER_TJENESTEOVERSIKT", displayName: "Dialog med innbygger - tjenesteoversikt" },
      { code: "DIALOG_NOTAT", displayName: "Notat" },
      { code: "DIALOG_OVERFORING_JOURNAL", displayName: "Overføring av journal" },
      { code: "DIALOG_STATUS_HENVISNING", displayName: "Status på henvisning" },
      { code: "DIALOG_SVAR", displayName: "Svar på forespørsel" },
      { code: "DIALOG_TIL_ARKIVERING", displayName: "Til arkivering i pasientens journal" },
      { code: "EBREV", displayName: "Elektronisk brev" },
      { code: "EMOKAM", displayName: "Avslutningsmelding" },
      { code: "EMOKASK", displayName: "Automatisk saksbehandlerkvittering" },
      { code: "EMOKBM", displayName: "Basismelding" },
      { code: "EMOKDI", displayName: "MeldeordningDialog" },
      { code: "EMOKE", displayName: "Ettersporring" },
      { code: "EMOKKT", displayName: "Kunnskapstilbakemelding" },
      { code: "EMOKLM", displayName: "Laringsmelding" },
      { code: "EMOKM", displayName: "MeldeordningPrimarmelding" },
      { code: "EMOKMVA", displayName: "MVAvslutningsmelding" },
      { code: "EMOKPM", displayName: "Pafyllingsmelding" },
      { code: "EMOKSV", displayName: "MeldeordningSvar" },
      { code: "EMOKTM", displayName: "MeldeordningTakkForMelding" },
      { code: "EPIKRISE", displayName: "Epikrise" },
      { code: "EPJ-EKSTRAKT", displayName: "Kommunikasjon av EPJ-innhold" },
      { code: "ERM1", displayName: "Resept" },
      { code: "ERM10", displayName: "Utleveringsrapport reseptbanken" },
      { code: "ERM12", displayName: "Søknadssvar - Individuell søknad om refusjon til HELFO" },
      { code: "ERM14", displayName: "Søknad til Legemiddelverket" },
      { code: "ERM15", displayName: "Søknadssvar fra Legemiddelverket" },
      { code: "ERM18", displayName: "Oppgjørskrav" },
      { code: "ERM2", displayName: "Individuell søknad om refusjon til HELFO" },
      { code: "ERM20", displayName: "Notifiseringsmelding" },
      { code: "ERM21", displayName: "Ekspederingsanmodning" },
      { code: "ERM22", displayName: "Oppgjørsresultat" },
      { code: "ERM23", displayName: "Utbetaling" },
      { code: "ERM241", displayName: "Samtykkeregistrering" },
      { code: "ERM242", displayName: "Svar samtykke" },
      { code: "ERM243", displayName: "Flytting av samtykker" },
      { code: "ERM244", displayName: "Endringer av samtykke i RF" },
      { code: "ERM245", displayName: "Informasjon om flytting av samtykker" },
      { code: "ERM251", displayName: "Varer i bruk" },
      { code: "ERM252", displayName: "Varer i bruk" },
      { code: "ERM253", displayName: "Varer i bruk" },
      { code: "ERM261", displayName: "Oppslag i fastlegeregister" },
      { code: "ERM262", displayName: "Svar fra fastlegeregister" },
      { code: "ERM271", displayName: "Registrering av multidoseansvarlig" },
      { code: "ERM272", displayName: "Svar på registrering av multidoseansvarlig" },
      { code: "ERM273", displayName: "Registrering av multidoseansvarlig gruppe" },
      { code: "ERM274", displayName: "Svar på registrering av multidoseansvarlig gruppe" },
      { code: "ERM28", displayName: "Endring av multidoseansvarlig lege" },
      { code: "ERM3", displayName: "Grunnlag for søknad Legemiddelverket" },
      { code: "ERM30", displayName: "FEST-meldingen" },
      { code: "ERM41", displayName: "Forespørsel om referansenummere" },
      { code: "ERM42", displayName: "Referansenummer" },
      { code: "ERM5", displayName: "Tilbakekalling av resept" },
      { code: "ERM52", displayName: "Kvittering på tilbakekalt resept" },
      { code: "ERM6", displayName: "Utleveringsrapport rekvirent" },
      { code: "ERM7", displayName: "Slettet resept i RF" },
      { code: "ERM8", displayName: "Utleveringsrapport fastlege" },
      { code: "ERM81", displayName: "Utleveringsrapport kjernejournal" },
      { code: "ERM91", displayName: "Forespørsel om tilgjengelige resepter på pasient (utleverer)" },
      { code: "ERM911", displayName: "Forespørsel om varer i bruk" },
      { code: "ERM912", displayName: "Nedlasting av varer i bruk" },
      { code: "ERM92", displayName: "Reseptliste (utleverer)" },
      { code: "ERM921", displayName: "Hent endrede multidosepasienter" },
      { code: "ERM922", displayName: "Endrede multidosepasienter" },
      { code: "ERM93", displayName: "Forespørsel om nedlasting av resept" },
      { code: "ERM94", displayName: "Nedlasting av resept" },
      { code: "ERM95", displayName: "Forespørsel om tilgjengelige resepter på pasient (rekvirent)" },
      { code: "ERM96", displayName: "Reseptliste (rekvirent)" },
      { code: "ERM97", displayName: "Forespørsel om utleveringer på resept" },
      { code: "ERM98", displayName: "Utleveringer på resept" },
      { code: "ERM9NA1", displayName: "Forespørsel om reseptliste fra nettkunde" },
      { code: "ERM9NA2", displayName: "Reseptliste nettkunde" },
      { code: "ERM9NA3", displayName: "Forespørsel om utvidet informasjon på resept fra nettkunde" },
      { code: "ERM9NA4", displayName: "Utvidet informasjon om resept nettkunde" },
      { code: "ERMV", displayName: "Eresept verify" },
      { code: "EVIUH", displayName: "En vei inn - Uønsket hendelse" },
      { code: "EbrevAbonnementStatus", displayName: "Status om abonnement" },
      { code: "EbrevForesporsel", displayName: "Forespørsel om elektronisk brev" },
      { code: "EbrevSamhandlerAdresser", displayName: "Informasjon om samhandlers adresser" },
      { code: "EgenandelForesporsel", displayName: "Forespørsel om egenandel" },
      { code: "EgenandelForesporselV2", displayName: "Forespørsel om egenandel" },
      { code: "EgenandelMengdeForesporsel", displayName: "Mengdeforespørsel om egenandel" },
      { code: "EgenandelMengdeForesporselV2", displayName: "Mengdeforespørsel om egenandel" },
      { code: "EgenandelMengdeSvar", displayName: "Svar på mengdeforespørsel om egenandel" },
      { code: "EgenandelMengdeSvarV2", displayName: "Svar på mengdeforespørsel om egenandel" },
      { code: "EgenandelSvar", displayName: "Svar på forespørsel om egenandel" },
      { code: "EgenandelSvarV2", displayName: "Svar på forespørsel om egenandel" },
      { code: "FBV", displayName: "Fritt behandlingsvalg oppgjørsmelding" },
      { code: "FODSELS_EPIKRISE", displayName: "Fødselsepikrise" },
      { code: "FOM", displayName: "Fysioterapeutoppgjørsmelding" },
      { code: "FRAVARSMELDING", displayName: "Fraværsmelding" },
      { code: "FastlegeForesporsel", displayName: "Forespørsel om pasientens fastlege" },
      { code: "FastlegeSvar", displayName: "Svar på forespørsel om pasientens fastlege" },
      { code: "HELSEOPPLYSNINGER_LEGE", displayName: "Helseopplysninger til lege" },
      { code: "HELSEOPPL_SOKNAD", displayName: "Helseopplysninger" },
      { code: "HENDELSEREQUEST", displayName: "Hendelse" },
      { code: "HENDELSERESPONSE", displayName: "Hendelsessvar" },
      { code: "HENVISNING", displayName: "Henvisning" },
      { code: "HENVISNING_BUP", displayName: "Henvisning til BUP" },
      { code: "HENVISNING_NYTILSTAND", displayName: "Henvisning ny tilstand" },
      { code: "HENVISNING_REHAB", displayName: "Henvisning til rehabiliteringsinstitusjon" },
      { code: "HENVISNING_VIDERE", displayName: "Viderehenvisning" },
      { code: "HODE_FOLGEBREV", displayName: "Hodemeldingen benyttet som følgebrev" },
      { code: "HOM", displayName: "Helsestasjonoppgjørsmelding" },
      { code: "INNLEGGELSESRAPPORT", displayName: "Innleggelsesrapport" },
      { code: "INNRAPPORTERING_TREKK", displayName: "Innrapportering av trekk til NAV" },
      { code: "INNRAPPORTERING_TREKK_RETUR", displayName: "Innrapportering av trekk til NAV retur" },
      { code: "IPLOS_TILBAKEMELDING", displayName: "Tilbakemelding ved IPLOS-rapportering" },
      { code: "KODEVERKREQUEST", displayName: "Kodeverk" },
      { code: "KODEVERKRESPONSE", displayName: "Kodeverkssvar" },
      { code: "KOM", displayName: "Kiropraktoroppgjørsmelding" },
      { code: "KONSULTASJON", displayName: "Konsultasjon hos lege" },
      { code: "KPR_HST", displayName: "KPR Innrapportering av data fra helsestasjon og skolehelsetjeneste" },
      { code: "KPR_IPL", displayName: "KPR Innrapportering av data for individbasert pleie- og omsorgsstatistikk" },
      { code: "LEGEERKL", displayName: "Legeerklæring ved arbeidsuførhet" },
      { code: "LEGEMIDDELHANDTERING", displayName: "Legemiddelhåndtering" },
      { code: "LGM", displayName: "Logopedoppgjørsmelding" },
      { code: "LOG_AVMELDING", displayName: "Avmelding av utskrivningsklar pasient" },
      { code: "LOG_DOD", displayName: "Orientering om dødsfall" },
      { code: "LOG_INNLAGT", displayName: "Melding om innlagt pasient" },
      { code: "LOG_UTSKREVET", displayName: "Melding om utskrevet pasient" },
      { code: "LOG_UTSKRIVNINGSKLAR", displayName: "Melding om utskrivningsklar pasient" },
      { code: "LOM", displayName: "Legeoppgjørsmelding" },
      { code: "LROM", displayName: "Laboratorie- og røntgenoppgjørsmelding" },
      { code: "MEDISINSKE_OPPLYSNINGER", displayName: "Medisinske opplysninger" },
      { code: "NOTIFIKASJON_INNBYGGER_HENVISNING", displayName: "Notifikasjon til innbygger om henvisning" },
      { code: "NOTIFIKASJON_INNBYGGER_TIME", displayName: "Notifikasjon til innbygger om time" },
      { code: "NPR_AMK", displayName: "NPR Prehospital melding fra AMK-sentraler" },
      { code: "NPR_ARK", displayName: "NPR Videresending til Norsk helsearkiv" },
      { code: "NPR_AVT", displayName: "NPR Innrapportering av data fra avtalespesialister" },
      { code: "NPR_ERR", displayName: "NPR Den ordinære tilbakemeldingen inkludert feilmeldinger" },
      { code: "NPR_HKR", displayName: "NPR Videresending til Hjerte og karregisteret" },
      { code: "NPR_IDE", displayName: "NPR Innrapportering av data for identifikasjon av person" },
      { code: "NPR_KJERNEMELDING", displayName: "NPR Kjernemelding" },
      { code: "NPR_KPP", displayName: "NPR Innrapportering av data om kostnad per pasient (KPP)" },
      { code: "NPR_KRE", displayName: "NPR Videresending til Kreftregisteret" },
      { code: "NPR_KRG", displayName: "NPR Melding til Kreftregisteret" },
      { code: "NPR_ORD", displayName: "NPR Den vanlige NPR-meldingen (kombinasjon av flere sektorer)" },
      { code: "NPR_PAK", displayName: "NPR Innrapportering av hendelser i forløp" },
      { code: "NPR_PID", displayName: "NPR Personidentifikasjon" },
      { code: "NPR_PRE", displayName: "NPR Innrapportering av data fra Prehospitale tjenester/Ambulanse" },
      { code: "NPR_PSKADE", displayName: "NPR Personskade" },
      { code: "NPR_PSKADE_ARBEID", displayName: "NPR Personskade arbeidsulykke" },
      { code: "NPR_PSKADE_PRODUKT", displayName: "NPR Personskade produktrelatert" },
      { code: "NPR_PSKADE_TRAFIKK", displayName: "NPR Personskade trafikkrelatert" },
      { code: "NPR_RAD", displayName: "NPR Innrapportering av data fra bildediagnostikk, intervensjon og nukleærmedisin" },
      { code: "NPR_SBS", displayName: "NPR Innrapportering av data om situasjonen ved behandlingsstart for ruspasienter" },
      { code: "NPR_SKA", displayName: "NPR Innrapportering av data om Personskade. Felles minimum datasett (FMDS)" },
      { code: "NPR_STR", displayName: "NPR Innrapportering av data fra stråleterapi" },
      { code: "NPR_TSB", displayName: "NPR Tverrfaglig spesialisert behandling" },
      { code: "NPR_VAL", displayName: "NPR tilbakemelding på teknisk validering mot XML-skjema" },
      { code: "NPR_VTK", displayName: "NPR Innrapportering av vedtak etter psykisk helsevernloven (EPJ-standard)" },
      { code: "OOM", displayName: "Ortoptistoppgjørsmelding" },
      { code: "ORIENTERING_TJENESTETILBUD", displayName: "Orientering om tjenestetilbud" },
      { code: "PASIENTLOGISTIKK", displayName: "Pasientlogistikk" },
      { code: "PASIENTREISE", displayName: "Melding om pasientreise" },
      { code: "PATIENT_FROM", displayName: "Melding fra pasient" },
      { code: "PATIENT_TO", displayName: "Melding til pasient" },
      { code: "PERSONVERN_INNBYGGER_RESERVASJON", displayName: "Personvern innstilling innbygger - reservasjon" },
      { code: "PERSONVERN_INNBYGGER_SAMTYKKE", displayName: "Personvern innstilling innbygger - samtykke" },
      { code: "PERSONVERN_INNBYGGER_TILGANGSBEGRENSNING", displayName: "Personvern innstilling innbygger - tilgangsbegrensning" },
      { code: "PJM", displayName: "Privat jordmoroppgjørsmelding" },
      { code: "POM", displayName: "Poliklinisk oppgjørsmelding" },
      { code: "PROM", displayName: "Pasientreiseoppgjørsmelding" },
      { code: "PSOM", displayName: "Psykologoppgjørsmelding" },
      { code: "Pasientliste", displayName: "Pasientliste" },
      { code: "PasientlisteAbonnementStatus", displayName: "Status på pasientliste-abonnement" },
      { code: "PasientlisteForesporsel", displayName: "Forespørsel om pasientliste" },
      { code: "PasientlisteStartAbonnement", displayName: "Start av pasientliste-abonnement" },
      { code: "PasientlisteStoppAbonnement", displayName: "Stopp av pasientliste-abonnement" },
      { code: "REQ_CYT", displayName: "Rekvisisjon-Cytologi" },
      { code: "REQ_HIST", displayName: "Rekvisisjon-Histologi" },
      { code: "REQ_KKL", displayName: "Rekvisisjon-KKL" },
      { code: "REQ_LAB", displayName: "Rekvisisjon-Laboratoriemedisin" },
      { code: "REQ_MBIO", displayName: "Rekvisisjon-Mikrobiologi" },
      { code: "REQ_RTG", displayName: "Rekvisisjon-Radiologi" },
      { code: "ROM", displayName: "Rehabiliteringsoppgjørsmelding" },
      { code: "SOKREQUEST", displayName: "Søk" },
      { code: "SOKRESPONSE", displayName: "Søkesvar" },
      { code: "STATUS_REKVISISJON", displayName: "Status på rekvirert tjeneste" },
      { code: "SVAR_CYT", displayName: "Svarrapport-Cytologi" },
      { code: "SVAR_HIST", displayName: "Svarrapport-Histologi" },
      { code: "SVAR_KKL", displayName: "Svarrapport-KKL" },
      { code: "SVAR_LAB", displayName: "Svarrapport-Laboratoriemedisin" },
      { code: "SVAR_MBIO", displayName: "Svarrapport-Mikrobiologi" },
      { code: "SVAR_RTG", displayName: "Svarrapport-Radiologi" },
      { code: "SYKMELD", displayName: "Medisinsk vurdering av arbeidsmulighet ved sykdom, sykmelding" },
      { code: "TILBAKEMELD", displayName: "Tilbakemelding på henvisning" },
      { code: "TOM", displayName: "Tannlegeoppgjørsmelding" },
      { code: "TPM", displayName: "Tannpleieroppgjørsmelding" },
      { code: "TVERRFAGLIG_EPIKRISE", displayName: "Tverrfaglig epikrise" },
      { code: "UTSKRIVNINGSRAPPORT", displayName: "Utskrivningsrapport" },
      { code: "VEDTAKSKJEMA_TVANG", displayName: "Vedtak om helsehjelp til person uten samtykkekompetanse som motsetter seg helsehjelpen" },
    ],
  },
  {
    system: "8331",
    oid: "2.16.578.1.12.4.1.1.8331",
    name: "Request type",
    codes: [
      { code: "1", displayName: "Generell forespørsel" },
      { code: "5", displayName: "Fritekst" },
    ],
  },
  {
    system: "8408",
    oid: "2.16.578.1.12.4.1.1.8408",
    name: "Place category",
    codes: [
      { code: "1", displayName: "Bosted/arbeidssted" },
      { code: "2", displayName: "Skade- eller funnsted" },
      { code: "3", displayName: "Annen helseinstitusjon innen spesialisthelsetjenesten" },
      { code: "5", displayName: "Institusjon i utlandet" },
      { code: "7", displayName: "Annen (somatisk) enhet ved egen helseinstitusjon" },
      { code: "8", displayName: "Annen enhet (ikke somatikk) ved egen helseinstitusjon" },
      { code: "10", displayName: "Pasienthotell" },
      { code: "11", displayName: "Sykehjem/aldershjem/helsehus" },
      { code: "21", displayName: "Kommunal akutt døgnenhet (KAD)" },
      { code: "88", displayName: "Annet" },
      { code: "98", displayName: "Ukjent" },
      { code: "99", displayName: "Sted identifisert ved rapportering av attributt Til/Fra institusjon" },
    ],
  },
  {
    system: "8663",
    oid: "2.16.578.1.12.4.1.1.8663",
    name: "Municipal service type",
    codes: [
      { code: "KA01", displayName: "Fastlegetjeneste" },
      { code: "KA02", displayName: "Legevakt" },
      { code: "KA03", displayName: "Kommuneoverlege" },
      { code: "KA0301", displayName: "Smittevern" },
      { code: "KA04", displayName: "Migrasjonshelse" },
      { code: "KD01", displayName: "Sosialtjeneste" },
      { code: "KD0501", displayName: "Saksbehandling" },
      { code: "KD0601", displayName: "Sakbehandler bolig" },
      { code: "KF01", displayName: "Helsestasjons- og skolehelsetjeneste" },
      { code: "KF0103", displayName: "Helsestasjon for ungdom" },
      { code: "KF0105", displayName: "Fysioterapi, helsestasjon" },
      { code: "KF0106", displayName: "Ergoterapi, helsestasjon" },
      { code: "KF0107", displayName: "Psykolog, helsestasjon" },
      { code: "KP01", displayName: "Legetjeneste ved sykehjem mv." },
      { code: "KP02", displayName: "Sykepleietjeneste" },
      { code: "KP05", displayName: "Psykolog, pleie og omsorg" },
      { code: "KR01", displayName: "Fysioterapi, pleie og omsorg" },
      { code: "KR02", displayName: "Ergoterapi, pleie og omsorg" },
      { code: "KX01", displayName: "Fengselshelsetjeneste" },
      { code: "KX02", displayName: "Helseteam (Overdoseteam)" },
      { code: "KX03", displayName: "Sosialmedisinsk senter, helsetjeneste" },
      { code: "KX04", displayName: "Frisklivssentral" },
      { code: "KX05", displayName: "Øyeblikkelig hjelp døgntilbud (ØHD)" },
      { code: "KX06", displayName: "Kreftkoordinator" },
      { code: "KX07", displayName: "Demenskoordinator" },
      { code: "KX08", displayName: "Diabeteskoordinator" },
      { code: "KX09", displayName: "Synskontakt" },
      { code: "KX10", displayName: "Hørselskontakt" },
      { code: "KX12", displayName: "Familieteam" },
      { code: "KX13", displayName: "IPLOS samhandling" },
      { code: "KX15", displayName: "Barnevern" },
      { code: "KX16", displayName: "Pedagogisk-psykologisk tjeneste (PPT)" },
      { code: "KX17", displayName: "Fastlege, liste uten fast lege" },
      { code: "KX18", displayName: "Barnevernvakt" },
    ],
  },
  {
    system: "8666",
    oid: "2.16.578.1.12.4.1.1.8666",
    name: "Service type",
    codes: [
      { code: "01", displayName: "Bedriftshelsetjeneste" },
      { code: "02", displayName: "Meldingsmottak" },
      { code: "03", displayName: "Egenregistrerte pasientopplysninger" },
      { code: "04", displayName: "Overgrepsmottak" },
      { code: "05", displayName: "Allmennlege" },
      { code: "06", displayName: "Vaksinasjon" },
      { code: "07", displayName: "Ortopeditekniske tjenester" },
      { code: "8", displayName: "Saksbehandling pasientopplysninger" },
      { code: "9", displayName: "Optikertjeneste" },
      { code: "10", displayName: "Rehabilitering" },
      { code: "11", displayName: "Manuellterapi" },
      { code: "12", displayName: "Flerfaglig spesialisttannhelse" },
      { code: "A01", displayName: "Sosionomtjeneste" },
      { code: "A02", displayName: "Ergoterapi" },
      { code: "A03", displayName: "Fysioterapi" },
      { code: "A04", displayName: "Kiropraktikk" },
      { code: "A05", displayName: "Ernæringsfysiologi" },
      { code: "A11", displayName: "Arbeidsmedisin" },
      { code: "FR", displayName: "Forskrivning" },
      { code: "KF0104", displayName: "Jordmortjeneste" },
      { code: "KP03", displayName: "Psykisk helsetjeneste" },
      { code: "KP04", displayName: "Økonomi og oppgjør" },
      { code: "KP05", displayName: "Psykologtjeneste" },
      { code: "KX11", displayName: "Logopedtjeneste" },
      { code: "KX14", displayName: "Responssentertjeneste" },
      { code: "R", displayName: "Rus- og avhengighet" },
    ],
  },
  {
    system: "9032",
    oid: "2.16.578.1.12.4.1.1.9032",
    name: "Person identifier type (numeric)",
    codes: [
      { code: "1", displayName: "Norsk fødselsnummer" },
      { code: "2", displayName: "D-nummer" },
      { code: "3", displayName: "H-nummer" },
      { code: "4", displayName: "Passnummer" },
      { code: "5", displayName: "Svensk personnummer" },
      { code: "6", displayName: "Dansk personnummer" },
      { code: "7", displayName: "Sosial security number" },
      { code: "8", displayName: "Forsikringspolise nummer" },
      { code: "9", displayName: "Annet" },
      { code: "10", displayName: "DUF-nummer" },
      { code: "12", displayName: "Felles hjelpenummer (FH-nummer)" },
    ],
  },
  {
    system: "9033",
    oid: "2.16.578.1.12.4.1.1.9033",
    name: "Relation to the patient",
    codes: [
      { code: "AF", displayName: "Adoptivfar" },
      { code: "AM", displayName: "Adoptivmor" },
      { code: "AN", displayName: "Annen foresatt" },
      { code: "AP", displayName: "Annen personlig relasjon" },
      { code: "AS", displayName: "Annen slektning" },
      { code: "BB", displayName: "Barnebarn" },
      { code: "BF", displayName: "Biologisk far" },
      { code: "BM", displayName: "Biologisk mor" },
      { code: "BR", displayName: "Bror" },
      { code: "DA", displayName: "Datter" },
      { code: "EF", displayName: "Ektefelle" },
      { code: "FA", displayName: "Far" },
      { code: "FF", displayName: "Fosterfar" },
      { code: "FM", displayName: "Fostermor" },
      { code: "GF", displayName: "Bestefar" },
      { code: "GM", displayName: "Bestemor" },
      { code: "MM", displayName: "Medmor" },
      { code: "MO", displayName: "Mor" },
      { code: "SA", displayName: "Samboer" },
      { code: "SB", displayName: "Stebror" },
      { code: "SD", displayName: "Stedatter" },
      { code: "SF", displayName: "Stefar" },
      { code: "SI", displayName: "Søster" },
      { code: "SM", displayName: "Stemor" },
      { code: "SN", displayName: "Stesønn" },
      { code: "SO", displayName: "Sønn" },
      { code: "SS", displayName: "Stesøster" },
      { code: "TO", displayName: "Foreldres søsken" },
    ],
  },
  {
    system: "9034",
    oid: "2.16.578.1.12.4.1.1.9034",
    name: "Role in relation to the patient",
    codes: [
      { code: "3", displayName: "Behandlingsansvarlig lege" },
      { code: "4", displayName: "Journalansvarlig" },
      { code: "5", displayName: "Informasjonsansvarlig" },
      { code: "6", displayName: "Fastlege" },
      { code: "7", displayName: "Faglig ansvarlig for vedtak i psykisk helsevern" },
      { code: "8", displayName: "Koordinator Individuell plan" },
      { code: "9", displayName: "Primærkontakt" },
      { code: "10", displayName: "Utskrivende lege" },
      { code: "11", displayName: "Utskrivende sykepleier" },
      { code: "12", displayName: "Instituerende lege" },
      { code: "13", displayName: "Innleggende lege" },
      { code: "14", displayName: "Ansvarlig jordmor" },
      { code: "15", displayName: "Vikar for fastlege" },
      { code: "16", displayName: "Turnuslege" },
      { code: "17", displayName: "Forløpskoordinator kreft" },
      { code: "18", displayName: "Koordinator (spesialisthelsetjenesteloven)" },
      { code: "19", displayName: "Kontaktlege" },
      { code: "20", displayName: "Kontaktpsykolog" },
      { code: "21", displayName: "Helsefaglig kontakt" },
      { code: "22", displayName: "Kontakt i primærhelseteam" },
      { code: "23", displayName: "Ønsket behandler" },
      { code: "24", displayName: "Kontakt hos mottaker" },
    ],
  },
  {
    system: "9040",
    oid: "2.16.578.1.12.4.1.1.9040",
    name: "Organisation category",
    codes: [
      { code: "101", displayName: "Helseforetak/private sykehus" },
      { code: "102", displayName: "Kommune" },
      { code: "103", displayName: "Fastlege og annen privat virksomhet som yter helsetjenester" },
      { code: "104", displayName: "Privat røntgeninstitutt" },
      { code: "105", displayName: "Privat laboratorium" },
      { code: "108", displayName: "Apotek" },
      { code: "109", displayName: "Bandasjist" },
      { code: "110", displayName: "Tannlege/Tannhelse" },
      { code: "113", displayName: "Statlig forvaltning" },
      { code: "114", displayName: "Interkommunal virksomhet" },
      { code: "115", displayName: "Øvrig virksomhet som ikke yter helsehjelp (dekker forsikringsselskap mv.)" },
      { code: "116", displayName: "Annen privat aktør som yter helsehjelp (dekker fysioterapeuter, medisinske sentre, avtalespesialister mv.)" },
    ],
  },
  {
    system: "9050",
    oid: "2.16.578.1.12.4.1.1.9050",
    name: "Role of a guardian or representative",
    codes: [
      { code: "1", displayName: "Forelder/foresatt" },
      { code: "2", displayName: "Verge" },
      { code: "3", displayName: "Hjelpeverge" },
      { code: "4", displayName: "Tilsynsfører" },
      { code: "5", displayName: "Støttekontakt" },
      { code: "6", displayName: "Fremtidsfullmektig" },
    ],
  },
  {
    system: "9051",
    oid: "2.16.578.1.12.4.1.1.9051",
    name: "Organisation identifier type (Ident/TypeId for organisations)",
    codes: [
      { code: "AKO", displayName: "Apotekets konsesjonsnummer" },
      { code: "APO", displayName: "Apotekets identifikasjonsnummer" },
      { code: "AVD", displayName: "Off. identifikator for avdelinger" },
      { code: "ENH", displayName: "Organisasjonsnummeret i Enhetsregister" },
      { code: "HER", displayName: "HER-id" },
      { code: "LAV", displayName: "Lokal identifikator for avdelinger" },
      { code: "LIN", displayName: "Lokal identifikator for institusjoner" },
      { code: "LOK", displayName: "Lokal identifikator uten nærmere angivelse" },
      { code: "NPR", displayName: "NPR avdelingsnummer" },
      { code: "RSH", displayName: "Nasjonalt register over enheter i spesialisthelsetjenesten (RESH-ID)" },
      { code: "SYS", displayName: "SYSVAK institusjonsnummer" },
    ],
  },
  {
    system: "9060",
    oid: "2.16.578.1.12.4.1.1.9060",
    name: "Health personnel category",
    codes: [
      { code: "AA", displayName: "Ambulansearbeider" },
      { code: "AT", displayName: "Apotektekniker" },
      { code: "AU", displayName: "Audiograf" },
      { code: "BI", displayName: "Bioingeniør" },
      { code: "ET", displayName: "Ergoterapeut" },
      { code: "FA1", displayName: "Provisorfarmasøyt" },
      { code: "FA2", displayName: "Reseptarfarmasøyt" },
      { code: "FO", displayName: "Fotterapeut" },
      { code: "FT", displayName: "Fysioterapeut" },
      { code: "HE", displayName: "Helsesekretær" },
      { code: "HF", displayName: "Helsefagarbeider" },
      { code: "HP", displayName: "Hjelpepleier" },
      { code: "JO", displayName: "Jordmor" },
      { code: "KE", displayName: "Klinisk ernæringsfysiolog" },
      { code: "KI", displayName: "Kiropraktor" },
      { code: "LE", displayName: "Lege" },
      { code: "MT", displayName: "Manuellterapeut" },
      { code: "OA", displayName: "Omsorgsarbeider" },
      { code: "OI", displayName: "Ortopedingeniør" },
      { code: "OP", displayName: "Optiker" },
      { code: "OR", displayName: "Ortoptist" },
      { code: "PE", displayName: "Perfusjonist" },
      { code: "PS", displayName: "Psykolog" },
      { code: "RA", displayName: "Radiograf" },
      { code: "SP", displayName: "Sykepleier" },
      { code: "TH", displayName: "Tannhelsesekretær" },
      { code: "TL", displayName: "Tannlege" },
      { code: "TP", displayName: "Tannpleier" },
      { code: "TT", displayName: "Tanntekniker" },
      { code: "VE", displayName: "Veterinær" },
      { code: "VP", displayName: "Vernepleier" },
      { code: "XX", displayName: "Ukjent/uspesifisert" },
    ],
  },
  {
    system: "9065",
    oid: "2.16.578.1.12.4.1.1.9065",
    name: "Journal transfer request type",
    codes: [
      { code: "1", displayName: "Spørsmål om å få oversendt hele journalen" },
      { code: "2", displayName: "Spørsmål om å få overført en eller flere kategorier opplysninger i journalen" },
      { code: "3", displayName: "Spørsmål om mottaker har ønske om å få tilsendt hele journalen eller flere opplysninger enn det det er spurt om" },
      { code: "4", displayName: "Spørsmål om mottaker kan motta et sett av journaler for deponering" },
      { code: "5", displayName: "Fritekst" },
    ],
  },
  {
    system: "9067",
    oid: "2.16.578.1.12.4.1.1.9067",
    name: "Urgency",
    codes: [
      { code: "1", displayName: "Øyeblikkelig hjelp" },
      { code: "2", displayName: "Gjelder pågående helsehjelp" },
      { code: "3", displayName: "Innen 24 timer" },
      { code: "9", displayName: "Ubestemt" },
    ],
  },
  {
    system: "9068",
    oid: "2.16.578.1.12.4.1.1.9068",
    name: "Purpose of a journal transfer",
    codes: [
      { code: "1", displayName: "Ny pasient, journal skal opprettes" },
      { code: "2", displayName: "Helsehjelp til pasient som har journal" },
      { code: "9", displayName: "Annet" },
    ],
  },
  {
    system: "9069",
    oid: "2.16.578.1.12.4.1.1.9069",
    name: "Answer status (Svar på forespørsel)",
    codes: [
      { code: "1", displayName: "De etterspurte opplysningene er inkludert i meldingen" },
      { code: "2", displayName: "Forespørselen avvist uten begrunnelse" },
      { code: "3", displayName: "Har ikke ønskede opplysninger" },
      { code: "4", displayName: "Kan ikke besvares. Krever pasientens samtykke" },
      { code: "5", displayName: "Svar på forespørsel" },
      { code: "9", displayName: "Annet, svar angitt i fritekst" },
    ],
  },
  {
    system: "9121",
    oid: "2.16.578.1.12.4.1.1.9121",
    name: "Patient logistics event (Pasientlogistikk)",
    codes: [
      { code: "1", displayName: "Pasient innlagt" },
      { code: "2", displayName: "Pasient utskrevet" },
      { code: "3", displayName: "Pasient utskrivningsklar" },
      { code: "4", displayName: "Avmelding av utskrivningsklar pasient" },
      { code: "13", displayName: "Pasienten er død" },
    ],
  },
  {
    system: "9137",
    oid: "2.16.578.1.12.4.1.1.9137",
    name: "Type of Helseopplysninger til lege",
    codes: [
      { code: "2", displayName: "Statusrapport" },
      { code: "3", displayName: "Ønske om legevurdering" },
    ],
  },
  {
    system: "9138",
    oid: "2.16.578.1.12.4.1.1.9138",
    name: "Type of Medisinske opplysninger",
    codes: [
      { code: "1", displayName: "Rapport etter konsultasjon" },
      { code: "4", displayName: "Svar på forespørsel" },
      { code: "5", displayName: "Opplysninger til søknad" },
    ],
  },
  {
    system: "9139",
    oid: "2.16.578.1.12.4.1.1.9139",
    name: "Type of discharge summary",
    codes: [
      { code: "11", displayName: "Utskrivningsrapport" },
      { code: "12", displayName: "Fødselsepikrise" },
    ],
  },
  {
    system: "9140",
    oid: "2.16.578.1.12.4.1.1.9140",
    name: "Type of Helseopplysninger (notice or update)",
    codes: [
      { code: "1", displayName: "Varsel om innlagt pasient" },
      { code: "2", displayName: "Oppdaterte opplysninger" },
    ],
  },
  {
    system: "9141",
    oid: "2.16.578.1.12.4.1.1.9141",
    name: "Nursing report section type",
    codes: [
      { code: "1", displayName: "Innkomststatus" },
      { code: "7", displayName: "Sykepleiediagnose" },
      { code: "8", displayName: "Sykepleiesammenfatning" },
      { code: "12", displayName: "Status ved utskrivning" },
      { code: "13", displayName: "Pasientens egne vurderinger" },
      { code: "14", displayName: "Praktiske opplysninger" },
      { code: "88", displayName: "Annet" },
    ],
  },
  {
    system: "9142",
    oid: "2.16.578.1.12.4.1.1.9142",
    name: "Nursing information category",
    codes: [
      { code: "AAI", displayName: "Årsak til innleggelse" },
      { code: "FA", displayName: "Familie/sosialt" },
      { code: "FO", displayName: "Forløp og behandling" },
      { code: "FU", displayName: "Funn og undersøkelsesresultat" },
      { code: "HJ", displayName: "Funksjonsnivå/hjelpetiltak" },
      { code: "IP", displayName: "Informasjon til pasient/pårørende" },
      { code: "OP", displayName: "Planer for videre oppfølging" },
      { code: "PROB", displayName: "Aktuell problemstilling" },
      { code: "SYKM", displayName: "Sykmelding" },
      { code: "TS", displayName: "Tidligere sykdommer" },
      { code: "UTRED", displayName: "Forventet/ønsket undersøkelser/behandling" },
      { code: "VU", displayName: "Vurdering" },
    ],
  },
  {
    system: "9151",
    oid: "2.16.578.1.12.4.1.1.9151",
    name: "Municipal health and care service",
    codes: [
      { code: "1", displayName: "Praktisk bistand - daglige gjøremål" },
      { code: "2", displayName: "Praktisk bistand - opplæring - daglige gjøremål" },
      { code: "3", displayName: "Praktisk bistand - brukerstyrt - personlig assistanse" },
      { code: "4", displayName: "Dagaktivitetstilbud" },
      { code: "5", displayName: "Matombringing" },
      { code: "6", displayName: "Trygghetsalarm" },
      { code: "7", displayName: "Avlastning utenfor institusjon" },
      { code: "8", displayName: "Avlastning i institusjon" },
      { code: "9", displayName: "Støttekontakt" },
      { code: "11", displayName: "Omsorgsstønad" },
      { code: "14", displayName: "Planlagte tiltak" },
      { code: "15", displayName: "Helsetjenester i hjemmet" },
      { code: "17", displayName: "Dagopphold i institusjon" },
      { code: "18", displayName: "Tidsbegrenset opphold - utredning/behandling" },
      { code: "19", displayName: "Tidsbegrenset opphold - habilitering/rehabilitering" },
      { code: "20", displayName: "Tidsbegrenset opphold - annet" },
      { code: "21", displayName: "Langtidsopphold i institusjon" },
      { code: "22", displayName: "Nattopphold i institusjon" },
      { code: "23", displayName: "Skadeavvergende tiltak i nødssituasjoner" },
      { code: "24", displayName: "Helsehjelp med tvang" },
      { code: "25", displayName: "Kommunal øyeblikkelig hjelp - døgnopphold" },
      { code: "26", displayName: "Lokaliseringsteknologi (GPS)" },
      { code: "27", displayName: "Elektronisk medisineringsstøtte" },
      { code: "28", displayName: "Digitalt tilsyn" },
      { code: "29", displayName: "Bolig som kommunen disponerer for helse- og omsorgsformål" },
    ],
  },
  {
    system: "9152",
    oid: "2.16.578.1.12.4.1.1.9152",
    name: "Topic of a request to the GP",
    codes: [
      { code: "1", displayName: "Helseopplysninger" },
      { code: "4", displayName: "Legemiddelopplysninger" },
      { code: "6", displayName: "Fornye resept(er)." },
      { code: "7", displayName: "Time til undersøkelse/behandling" },
      { code: "8", displayName: "Status/plan for utskrivning" },
      { code: "99", displayName: "Annen henvendelse" },
    ],
  },
  {
    system: "9153",
    oid: "2.16.578.1.12.4.1.1.9153",
    name: "Topic of a request to the municipality",
    codes: [
      { code: "3", displayName: "Tjenestetilbud" },
      { code: "5", displayName: "Tilstandsvurdering" },
      { code: "99", displayName: "Annen henvendelse" },
    ],
  },
  {
    system: "9154",
    oid: "2.16.578.1.12.4.1.1.9154",
    name: "Topic of a request to the hospital",
    codes: [
      { code: "1", displayName: "Helseopplysninger" },
      { code: "4", displayName: "Legemiddelopplysninger" },
      { code: "8", displayName: "Status/plan om utskrivning" },
      { code: "99", displayName: "Annen henvendelse" },
    ],
  },
] as const satisfies readonly CodeListData[];

/** Codes of Volven 7300 (Discharged to (destination at discharge)) in the extract. */
export type Volven7300Code = "1" | "2" | "21" | "23" | "31" | "34" | "35" | "39";
/** Codes of Volven 7304 (Yes / no / only on error) in the extract. */
export type Volven7304Code = "F" | "J" | "N";
/** Codes of Volven 7309 (Forsendelsesstatus (dispatch status: new, change, addition, history, cancellation)) in the extract. */
export type Volven7309Code = "A" | "C" | "H" | "M" | "N";
/** Codes of Volven 7318 (Health professional role in a report) in the extract. */
export type Volven7318Code = "AHP" | "ANL" | "ARP" | "AUT" | "BLE" | "ILE" | "ISS" | "KHM" | "KLE" | "KPS" | "OPL" | "ULE";
/** Codes of Volven 7321 (Dialogue note type (Notat)) in the extract. */
export type Volven7321Code = "1" | "2" | "3" | "4" | "5" | "6";
/** Codes of Volven 7322 (Dialogue request topic (Forespørsel)) in the extract. */
export type Volven7322Code = "6" | "7" | "8" | "9";
/** Codes of Volven 8112 (Receiver role (primary, copy, original, forwarded)) in the extract. */
export type Volven8112Code = "COP" | "FR" | "OR" | "PRIM";
/** Codes of Volven 8113 (Processing status (MsgInfo/ProcessingStatus)) in the extract. */
export type Volven8113Code = "D" | "P" | "T";
/** Codes of Volven 8115 (Priority) in the extract. */
export type Volven8115Code = "H" | "L" | "N";
/** Codes of Volven 8116 (Person identifier type (Ident/TypeId for persons)) in the extract. */
export type Volven8116Code =
  | "DKF"
  | "DNR"
  | "DUF"
  | "FHN"
  | "FNR"
  | "FPN"
  | "HER"
  | "HNR"
  | "HPR"
  | "PNR"
  | "SEF"
  | "SSN"
  | "UID"
  | "XXX";
/** Codes of Volven 8117 (Error feedback type (Tilbakemelding om feil, DIALOG_AVVIK)) in the extract. */
export type Volven8117Code = "1" | "2" | "9";
/** Codes of Volven 8221 (AppRec error code) in the extract. */
export type Volven8221Code =
  | "E10"
  | "E20"
  | "E21"
  | "E30"
  | "E31"
  | "E32"
  | "E33"
  | "E34"
  | "E35"
  | "E36"
  | "E53"
  | "E54"
  | "S01"
  | "S02"
  | "S03"
  | "S99"
  | "T01"
  | "T02"
  | "T10"
  | "T99"
  | "X99";
/** Codes of Volven 8222 (Error code in feedback on received forms) in the extract. */
export type Volven8222Code =
  | "21"
  | "30"
  | "31"
  | "32"
  | "33"
  | "34"
  | "37"
  | "38"
  | "39"
  | "47"
  | "51"
  | "52"
  | "53"
  | "54"
  | "55"
  | "56"
  | "60"
  | "61";
/** Codes of Volven 8241 (Health professional identifier type) in the extract. */
export type Volven8241Code = "HER" | "HPR" | "LOP";
/** Codes of Volven 8254 (Health professional role) in the extract. */
export type Volven8254Code =
  | "AHP"
  | "ALE"
  | "AMO"
  | "ARP"
  | "ASO"
  | "AUT"
  | "BIO"
  | "DLE"
  | "FLE"
  | "HHE"
  | "KHM"
  | "KLE"
  | "KPS"
  | "LAB"
  | "OEB"
  | "OES"
  | "OPL"
  | "PRT"
  | "REK"
  | "RSC"
  | "SCR"
  | "SEK"
  | "SLE"
  | "UTF";
/** Codes of Volven 8258 (AppRec status) in the extract. */
export type Volven8258Code = "1" | "2" | "3";
/** Codes of Volven 8268 (Identifier type for persons and organisations) in the extract. */
export type Volven8268Code =
  | "AKO"
  | "APO"
  | "AVD"
  | "DKF"
  | "DNR"
  | "DUF"
  | "EHK"
  | "ENH"
  | "FHN"
  | "FNR"
  | "FPN"
  | "HER"
  | "HNR"
  | "HPR"
  | "LAV"
  | "LIN"
  | "LOK"
  | "LOP"
  | "NPR"
  | "PNR"
  | "RSH"
  | "SEF"
  | "SSN"
  | "SYS"
  | "XXX";
/** Codes of Volven 8270 (Dispatch status (status of the message)) in the extract. */
export type Volven8270Code = "A" | "C" | "H" | "M" | "N";
/** Codes of Volven 8279 (Message type (MsgInfo/Type)) in the extract. */
export type Volven8279Code =
  | "ADM_KOMM_KJERNEJOURNAL"
  | "AMQP_SOAP_FAULT"
  | "APM"
  | "APOK"
  | "APPREC"
  | "BEKREFT_REKVISISJON"
  | "BIVIRKNING"
  | "BOM"
  | "CANCER_BR"
  | "CANCER_NS"
  | "CANCER_S"
  | "DIALOG"
  | "DIALOG_AVVIK"
  | "DIALOG_FORESPORSEL"
  | "DIALOG_FORSIKRING"
  | "DIALOG_HELSEFAGLIG"
  | "DIALOG_INNBYGGER_AVTALEUTSENDING"
  | "DIALOG_INNBYGGER_BEHANDLEROVERSIKT"
  | "DIALOG_INNBYGGER_DIGITALBRUKER"
  | "DIALOG_INNBYGGER_EKONSULTASJON"
  | "DIALOG_INNBYGGER_EKONTAKT"
  | "DIALOG_INNBYGGER_FINN_DOKUMENTER"
  | "DIALOG_INNBYGGER_HELSEPERSONELL"
  | "DIALOG_INNBYGGER_HELSEREGISTER"
  | "DIALOG_INNBYGGER_HENT_DOKUMENTER"
  | "DIALOG_INNBYGGER_HL7_DOKUMENTNOTIFIKASJON"
  | "DIALOG_INNBYGGER_HREG_INNSYN_BRUK"
  | "DIALOG_INNBYGGER_HREG_INNSYN_HELSEOPPLYSNINGER"
  | "DIALOG_INNBYGGER_HREG_INNSYN_UTLEVERING"
  | "DIALOG_INNBYGGER_HREG_MELDE_FEIL"
  | "DIALOG_INNBYGGER_HREG_OPPFORINGER"
  | "DIALOG_INNBYGGER_HREG_SLETTING_ELLER_SPERRING"
  | "DIALOG_INNBYGGER_JOURNAL"
  | "DIALOG_INNBYGGER_KOORDINATOR"
  | "DIALOG_INNBYGGER_MELDINGSFORMIDLING"
  | "DIALOG_INNBYGGER_RESEPTFORNYELSE"
  | "DIALOG_INNBYGGER_SAMTYKKE"
  | "DIALOG_INNBYGGER_TEST"
  | "DIALOG_INNBYGGER_TIMEONSKE"
  | "DIALOG_INNBYGGER_TIMER"
  | "DIALOG_INNBYGGER_TIMERESERVASJON"
  | "DIALOG_INNBYGGER_TJENESTEOVERSIKT"
  | "DIALOG_NOTAT"
  | "DIALOG_OVERFORING_JOURNAL"
  | "DIALOG_STATUS_HENVISNING"
  | "DIALOG_SVAR"
  | "DIALOG_TIL_ARKIVERING"
  | "EBREV"
  | "EMOKAM"
  | "EMOKASK"
  | "EMOKBM"
  | "EMOKDI"
  | "EMOKE"
  | "EMOKKT"
  | "EMOKLM"
  | "EMOKM"
  | "EMOKMVA"
  | "EMOKPM"
  | "EMOKSV"
  | "EMOKTM"
  | "EPIKRISE"
  | "EPJ-EKSTRAKT"
  | "ERM1"
  | "ERM10"
  | "ERM12"
  | "ERM14"
  | "ERM15"
  | "ERM18"
  | "ERM2"
  | "ERM20"
  | "ERM21"
  | "ERM22"
  | "ERM23"
  | "ERM241"
  | "ERM242"
  | "ERM243"
  | "ERM244"
  | "ERM245"
  | "ERM251"
  | "ERM252"
  | "ERM253"
  | "ERM261"
  | "ERM262"
  | "ERM271"
  | "ERM272"
  | "ERM273"
  | "ERM274"
  | "ERM28"
  | "ERM3"
  | "ERM30"
  | "ERM41"
  | "ERM42"
  | "ERM5"
  | "ERM52"
  | "ERM6"
  | "ERM7"
  | "ERM8"
  | "ERM81"
  | "ERM91"
  | "ERM911"
  | "ERM912"
  | "ERM92"
  | "ERM921"
  | "ERM922"
  | "ERM93"
  | "ERM94"
  | "ERM95"
  | "ERM96"
  | "ERM97"
  | "ERM98"
  | "ERM9NA1"
  | "ERM9NA2"
  | "ERM9NA3"
  | "ERM9NA4"
  | "ERMV"
  | "EVIUH"
  | "EbrevAbonnementStatus"
  | "EbrevForesporsel"
  | "EbrevSamhandlerAdresser"
  | "EgenandelForesporsel"
  | "EgenandelForesporselV2"
  | "EgenandelMengdeForesporsel"
  | "EgenandelMengdeForesporselV2"
  | "EgenandelMengdeSvar"
  | "EgenandelMengdeSvarV2"
  | "EgenandelSvar"
  | "EgenandelSvarV2"
  | "FBV"
  | "FODSELS_EPIKRISE"
  | "FOM"
  | "FRAVARSMELDING"
  | "FastlegeForesporsel"
  | "FastlegeSvar"
  | "HELSEOPPLYSNINGER_LEGE"
  | "HELSEOPPL_SOKNAD"
  | "HENDELSEREQUEST"
  | "HENDELSERESPONSE"
  | "HENVISNING"
  | "HENVISNING_BUP"
  | "HENVISNING_NYTILSTAND"
  | "HENVISNING_REHAB"
  | "HENVISNING_VIDERE"
  | "HODE_FOLGEBREV"
  | "HOM"
  | "INNLEGGELSESRAPPORT"
  | "INNRAPPORTERING_TREKK"
  | "INNRAPPORTERING_TREKK_RETUR"
  | "IPLOS_TILBAKEMELDING"
  | "KODEVERKREQUEST"
  | "KODEVERKRESPONSE"
  | "KOM"
  | "KONSULTASJON"
  | "KPR_HST"
  | "KPR_IPL"
  | "LEGEERKL"
  | "LEGEMIDDELHANDTERING"
  | "LGM"
  | "LOG_AVMELDING"
  | "LOG_DOD"
  | "LOG_INNLAGT"
  | "LOG_UTSKREVET"
  | "LOG_UTSKRIVNINGSKLAR"
  | "LOM"
  | "LROM"
  | "MEDISINSKE_OPPLYSNINGER"
  | "NOTIFIKASJON_INNBYGGER_HENVISNING"
  | "NOTIFIKASJON_INNBYGGER_TIME"
  | "NPR_AMK"
  | "NPR_ARK"
  | "NPR_AVT"
  | "NPR_ERR"
  | "NPR_HKR"
  | "NPR_IDE"
  | "NPR_KJERNEMELDING"
  | "NPR_KPP"
  | "NPR_KRE"
  | "NPR_KRG"
  | "NPR_ORD"
  | "NPR_PAK"
  | "NPR_PID"
  | "NPR_PRE"
  | "NPR_PSKADE"
  | "NPR_PSKADE_ARBEID"
  | "NPR_PSKADE_PRODUKT"
  | "NPR_PSKADE_TRAFIKK"
  | "NPR_RAD"
  | "NPR_SBS"
  | "NPR_SKA"
  | "NPR_STR"
  | "NPR_TSB"
  | "NPR_VAL"
  | "NPR_VTK"
  | "OOM"
  | "ORIENTERING_TJENESTETILBUD"
  | "PASIENTLOGISTIKK"
  | "PASIENTREISE"
  | "PATIENT_FROM"
  | "PATIENT_TO"
  | "PERSONVERN_INNBYGGER_RESERVASJON"
  | "PERSONVERN_INNBYGGER_SAMTYKKE"
  | "PERSONVERN_INNBYGGER_TILGANGSBEGRENSNING"
  | "PJM"
  | "POM"
  | "PROM"
  | "PSOM"
  | "Pasientliste"
  | "PasientlisteAbonnementStatus"
  | "PasientlisteForesporsel"
  | "PasientlisteStartAbonnement"
  | "PasientlisteStoppAbonnement"
  | "REQ_CYT"
  | "REQ_HIST"
  | "REQ_KKL"
  | "REQ_LAB"
  | "REQ_MBIO"
  | "REQ_RTG"
  | "ROM"
  | "SOKREQUEST"
  | "SOKRESPONSE"
  | "STATUS_REKVISISJON"
  | "SVAR_CYT"
  | "SVAR_HIST"
  | "SVAR_KKL"
  | "SVAR_LAB"
  | "SVAR_MBIO"
  | "SVAR_RTG"
  | "SYKMELD"
  | "TILBAKEMELD"
  | "TOM"
  | "TPM"
  | "TVERRFAGLIG_EPIKRISE"
  | "UTSKRIVNINGSRAPPORT"
  | "VEDTAKSKJEMA_TVANG";
/** Codes of Volven 8331 (Request type) in the extract. */
export type Volven8331Code = "1" | "5";
/** Codes of Volven 8408 (Place category) in the extract. */
export type Volven8408Code = "1" | "2" | "3" | "5" | "7" | "8" | "10" | "11" | "21" | "88" | "98" | "99";
/** Codes of Volven 8663 (Municipal service type) in the extract. */
export type Volven8663Code =
  | "KA01"
  | "KA02"
  | "KA03"
  | "KA0301"
  | "KA04"
  | "KD01"
  | "KD0501"
  | "KD0601"
  | "KF01"
  | "KF0103"
  | "KF0105"
  | "KF0106"
  | "KF0107"
  | "KP01"
  | "KP02"
  | "KP05"
  | "KR01"
  | "KR02"
  | "KX01"
  | "KX02"
  | "KX03"
  | "KX04"
  | "KX05"
  | "KX06"
  | "KX07"
  | "KX08"
  | "KX09"
  | "KX10"
  | "KX12"
  | "KX13"
  | "KX15"
  | "KX16"
  | "KX17"
  | "KX18";
/** Codes of Volven 8666 (Service type) in the extract. */
export type Volven8666Code =
  | "01"
  | "02"
  | "03"
  | "04"
  | "05"
  | "06"
  | "07"
  | "8"
  | "9"
  | "10"
  | "11"
  | "12"
  | "A01"
  | "A02"
  | "A03"
  | "A04"
  | "A05"
  | "A11"
  | "FR"
  | "KF0104"
  | "KP03"
  | "KP04"
  | "KP05"
  | "KX11"
  | "KX14"
  | "R";
/** Codes of Volven 9032 (Person identifier type (numeric)) in the extract. */
export type Volven9032Code = "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "12";
/** Codes of Volven 9033 (Relation to the patient) in the extract. */
export type Volven9033Code =
  | "AF"
  | "AM"
  | "AN"
  | "AP"
  | "AS"
  | "BB"
  | "BF"
  | "BM"
  | "BR"
  | "DA"
  | "EF"
  | "FA"
  | "FF"
  | "FM"
  | "GF"
  | "GM"
  | "MM"
  | "MO"
  | "SA"
  | "SB"
  | "SD"
  | "SF"
  | "SI"
  | "SM"
  | "SN"
  | "SO"
  | "SS"
  | "TO";
/** Codes of Volven 9034 (Role in relation to the patient) in the extract. */
export type Volven9034Code =
  | "3"
  | "4"
  | "5"
  | "6"
  | "7"
  | "8"
  | "9"
  | "10"
  | "11"
  | "12"
  | "13"
  | "14"
  | "15"
  | "16"
  | "17"
  | "18"
  | "19"
  | "20"
  | "21"
  | "22"
  | "23"
  | "24";
/** Codes of Volven 9040 (Organisation category) in the extract. */
export type Volven9040Code = "101" | "102" | "103" | "104" | "105" | "108" | "109" | "110" | "113" | "114" | "115" | "116";
/** Codes of Volven 9050 (Role of a guardian or representative) in the extract. */
export type Volven9050Code = "1" | "2" | "3" | "4" | "5" | "6";
/** Codes of Volven 9051 (Organisation identifier type (Ident/TypeId for organisations)) in the extract. */
export type Volven9051Code = "AKO" | "APO" | "AVD" | "ENH" | "HER" | "LAV" | "LIN" | "LOK" | "NPR" | "RSH" | "SYS";
/** Codes of Volven 9060 (Health personnel category) in the extract. */
export type Volven9060Code =
  | "AA"
  | "AT"
  | "AU"
  | "BI"
  | "ET"
  | "FA1"
  | "FA2"
  | "FO"
  | "FT"
  | "HE"
  | "HF"
  | "HP"
  | "JO"
  | "KE"
  | "KI"
  | "LE"
  | "MT"
  | "OA"
  | "OI"
  | "OP"
  | "OR"
  | "PE"
  | "PS"
  | "RA"
  | "SP"
  | "TH"
  | "TL"
  | "TP"
  | "TT"
  | "VE"
  | "VP"
  | "XX";
/** Codes of Volven 9065 (Journal transfer request type) in the extract. */
export type Volven9065Code = "1" | "2" | "3" | "4" | "5";
/** Codes of Volven 9067 (Urgency) in the extract. */
export type Volven9067Code = "1" | "2" | "3" | "9";
/** Codes of Volven 9068 (Purpose of a journal transfer) in the extract. */
export type Volven9068Code = "1" | "2" | "9";
/** Codes of Volven 9069 (Answer status (Svar på forespørsel)) in the extract. */
export type Volven9069Code = "1" | "2" | "3" | "4" | "5" | "9";
/** Codes of Volven 9121 (Patient logistics event (Pasientlogistikk)) in the extract. */
export type Volven9121Code = "1" | "2" | "3" | "4" | "13";
/** Codes of Volven 9137 (Type of Helseopplysninger til lege) in the extract. */
export type Volven9137Code = "2" | "3";
/** Codes of Volven 9138 (Type of Medisinske opplysninger) in the extract. */
export type Volven9138Code = "1" | "4" | "5";
/** Codes of Volven 9139 (Type of discharge summary) in the extract. */
export type Volven9139Code = "11" | "12";
/** Codes of Volven 9140 (Type of Helseopplysninger (notice or update)) in the extract. */
export type Volven9140Code = "1" | "2";
/** Codes of Volven 9141 (Nursing report section type) in the extract. */
export type Volven9141Code = "1" | "7" | "8" | "12" | "13" | "14" | "88";
/** Codes of Volven 9142 (Nursing information category) in the extract. */
export type Volven9142Code = "AAI" | "FA" | "FO" | "FU" | "HJ" | "IP" | "OP" | "PROB" | "SYKM" | "TS" | "UTRED" | "VU";
/** Codes of Volven 9151 (Municipal health and care service) in the extract. */
export type Volven9151Code =
  | "1"
  | "2"
  | "3"
  | "4"
  | "5"
  | "6"
  | "7"
  | "8"
  | "9"
  | "11"
  | "14"
  | "15"
  | "17"
  | "18"
  | "19"
  | "20"
  | "21"
  | "22"
  | "23"
  | "24"
  | "25"
  | "26"
  | "27"
  | "28"
  | "29";
/** Codes of Volven 9152 (Topic of a request to the GP) in the extract. */
export type Volven9152Code = "1" | "4" | "6" | "7" | "8" | "99";
/** Codes of Volven 9153 (Topic of a request to the municipality) in the extract. */
export type Volven9153Code = "3" | "5" | "99";
/** Codes of Volven 9154 (Topic of a request to the hospital) in the extract. */
export type Volven9154Code = "1" | "4" | "8" | "99";
