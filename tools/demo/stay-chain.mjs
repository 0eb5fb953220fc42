// The message chain of one hospital stay (DOMAIN §4), as build inputs for @samhandling/plo's
// buildMessage. Shared by the demonstration (hospital-stay.mjs) and the conformance tests.
// Synthetic data only: 31129956715 is the public example fødselsnummer from DOMAIN §7; HER-ids
// and organisation numbers are made up but well-formed.
import { UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, herIdent, orgNumberIdent, personIdent } from '@samhandling/plo';

const OID = (n) => `2.16.578.1.12.4.1.1.${n}`;
const hospital = {
  name: 'Sykehuset Telemark HF',
  idents: [herIdent(8142519), orgNumberIdent('983975267')],
  organisation: { name: 'Somatikk plo meldingsmottak', idents: [herIdent(8142520)] },
};
const ward = { kontaktenhet: { name: 'Sykehuset Telemark HF', idents: [herIdent(8142519)], organisation: { name: 'Medisinsk sengepost 3', idents: [herIdent(8142521)] } } };
const nursingService = {
  name: 'Skien kommune',
  idents: [herIdent(8143100), orgNumberIdent('938583986')],
  organisation: { name: 'Sykepleietjeneste', idents: [herIdent(8143101)] },
};
const caseOffice = {
  name: 'Skien kommune',
  idents: [herIdent(8143100), orgNumberIdent('938583986')],
  organisation: { name: 'Saksbehandler pleie og omsorg', idents: [herIdent(8143102)] },
};
const gp = { name: 'Skien legesenter', idents: [herIdent(8143200)] };
export const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('31129956715', 'FNR')] };
const nurse = {
  kontaktperson: { typeHealthcareProfessional: { v: 'SP', dn: 'Sykepleier' }, familyName: 'Hansen', givenName: 'Ola', idents: [personIdent('9144900', 'HPR')] },
  merknad: 'Treffes på vakttelefon 35 00 00 00',
};
const ny = { forsendelsesstatus: 'N' };

/** The chain of DOMAIN §4 for one stay: [when, from → to, build input]. */
export const stayChain = [
  ['2024-03-04T09:00:00+01:00', 'hospital → sykepleietjeneste', { type: 'LOG_INNLAGT', sender: hospital, receiver: nursingService,
    content: { informasjonOmForsendelsen: ny, hendelse: { tidspunkt: '2024-03-04T08:30:00+01:00', merknad: 'Innlagt etter fall i hjemmet' }, tilknyttetEnhet: [ward] } }],
  ['2024-03-04T11:00:00+01:00', 'sykepleietjeneste → hospital', { type: 'INNLEGGELSESRAPPORT', sender: nursingService, receiver: hospital,
    content: { informasjonOmForsendelsen: ny,
      eksisterendeTjenester: [{ iplosTjenestetype: { v: '15', s: OID(9151) }, startdato: '2023-01-01', merknad: 'Hjemmesykepleie morgen og kveld' }],
      sykepleieopplysninger: [{ typeOpplysning: { v: '1', s: OID(9141), dn: 'Innkomststatus' }, tekst: 'Klar og orientert, går med rullator.' }],
      kontaktpersoner: [nurse] } }],
  ['2024-03-04T15:00:00+01:00', 'hospital → saksbehandler', { type: 'HELSEOPPL_SOKNAD', sender: hospital, receiver: caseOffice,
    content: { informasjonOmForsendelsen: ny, typeInnhold: '1',
      medisinskeDiagnoser: [{ diagnosekode: { v: 'S72.0', s: OID(7110), dn: 'Lårhalsbrudd' }, hoveddiagnose: true }],
      opplysninger: [{ typeOpplysning: { v: 'VU', s: OID(9142) }, tekst: 'Forventet å trenge hjemmesykepleie to ganger daglig etter utskrivning.' }],
      opphold: [{ hendelsekode: { v: '1', s: OID(9121) }, tidspunkt: '2024-03-04T08:30:00+01:00' }, { hendelsekode: { v: '2', s: OID(9121) }, tidspunkt: '2024-03-08', anslag: true }],
      tilknyttetEnhet: [ward], kontaktpersoner: [nurse] } }],
  ['2024-03-06T13:00:00+01:00', 'hospital → saksbehandler', { type: 'HELSEOPPL_SOKNAD', sender: hospital, receiver: caseOffice,
    content: { informasjonOmForsendelsen: ny, typeInnhold: '2',
      opplysninger: [{ typeOpplysning: { v: 'VU', s: OID(9142) }, tekst: 'Operert 05.03. Trenger korttidsopphold før hjemreise.' }],
      tilknyttetEnhet: [ward] } }],
  ['2024-03-08T11:00:00+01:00', 'hospital → sykepleietjeneste', { type: 'LOG_UTSKRIVNINGSKLAR', sender: hospital, receiver: nursingService,
    otherReceivers: [{ roleReceiver: { v: 'Fastlege', dn: 'Fastlege' }, organisation: gp }],
    content: { informasjonOmForsendelsen: ny, hendelse: { tidspunkt: '2024-03-08T10:00:00+01:00', merknad: 'Utskrivningsklar fra i dag' }, tilknyttetEnhet: [ward] } }],
  ['2024-03-08T13:00:00+01:00', 'sykepleietjeneste → hospital', { type: 'DIALOG_FORESPORSEL', sender: nursingService, receiver: hospital,
    content: { questions: [{ topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: 'Kommunen kan ikke ta imot pasienten i dag. Forventet klar: 2024-03-11.', documentId: 'SVAR-UK-1' }] } }],
  ['2024-03-09T09:00:00+01:00', 'hospital → sykepleietjeneste', { type: 'LOG_AVMELDING', sender: hospital, receiver: nursingService,
    content: { informasjonOmForsendelsen: ny, hendelse: { tidspunkt: '2024-03-09T08:00:00+01:00', merknad: 'Feber, trenger videre behandling' }, tilknyttetEnhet: [ward] } }],
  ['2024-03-10T10:00:00+01:00', 'hospital → sykepleietjeneste', { type: 'LOG_UTSKRIVNINGSKLAR', sender: hospital, receiver: nursingService,
    content: { informasjonOmForsendelsen: ny, hendelse: { tidspunkt: '2024-03-10T09:30:00+01:00', merknad: 'Utskrivningsklar igjen' }, tilknyttetEnhet: [ward] } }],
  ['2024-03-10T12:00:00+01:00', 'hospital → sykepleietjeneste', { type: 'DIALOG_FORESPORSEL', sender: hospital, receiver: nursingService,
    content: { questions: [{ topic: { v: '8', s: OID(7322), dn: 'Forespørsel om helseopplysninger' }, question: 'Hvilken hjemmesykepleie hadde pasienten før innleggelsen?', documentId: 'Q-1' }] } }],
  ['2024-03-10T14:00:00+01:00', 'sykepleietjeneste → hospital', { type: 'DIALOG_SVAR', sender: nursingService, receiver: hospital,
    content: { status: { v: '5', s: OID(9069), dn: 'Svar på forespørsel' }, answer: 'Morgen og kveld, sårstell og medisiner.', documentId: 'A-1',
      question: { topic: { v: '8', s: OID(7322) }, question: 'Hvilken hjemmesykepleie hadde pasienten før innleggelsen?', documentId: 'Q-1' } } }],
  ['2024-03-11T09:00:00+01:00', 'sykepleietjeneste → hospital', { type: 'DIALOG_FORESPORSEL', sender: nursingService, receiver: hospital,
    content: { questions: [{ topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: 'Tilbudet er klart: korttidsplass ved Skien helsehus fra i dag.', documentId: 'SVAR-UK-2' }] } }],
  ['2024-03-11T14:00:00+01:00', 'hospital → sykepleietjeneste', { type: 'LOG_UTSKREVET', sender: hospital, receiver: nursingService,
    content: { informasjonOmForsendelsen: ny, hendelse: { tidspunkt: '2024-03-11T13:00:00+01:00' },
      utskrevetTil: { utTil: { v: '11', s: OID(8408), dn: 'Sykehjem/aldershjem/helsehus' } }, tilknyttetEnhet: [ward] } }],
  ['2024-03-11T16:00:00+01:00', 'hospital → sykepleietjeneste', { type: 'UTSKRIVNINGSRAPPORT', sender: hospital, receiver: nursingService,
    content: { informasjonOmForsendelsen: ny,
      medisinskeDiagnoser: [{ diagnosekode: { v: 'S72.0', s: OID(7110) }, diagnoseBeskrivelse: 'Operert 05.03.', hoveddiagnose: true }],
      sykepleieopplysninger: [{ typeOpplysning: { v: '12', s: OID(9141) }, tekst: 'Mobiliseres med gåstol, sår tørt.' }],
      opphold: [{ hendelsekode: { v: '2', s: OID(9121) }, tidspunkt: '2024-03-11T13:00:00+01:00' }],
      utskrevetTil: { utTil: { v: '11', s: OID(8408) } }, tilknyttetEnhet: [ward] } }],
  ['2024-03-11T16:30:00+01:00', 'sykepleietjeneste → hospital', { type: 'DIALOG_AVVIK', sender: nursingService, receiver: hospital,
    content: { reason: '2', description: 'Utskrivningsrapporten mangler legemiddelliste.', originalMsgId: (previousMsgIds) => previousMsgIds[previousMsgIds.length - 1] } }],
];

/**
 * Resolves the chain into `buildMessage` inputs in order. A content field given as a function
 * receives the MsgIds built so far (e.g. DIALOG_AVVIK refers to the previous message).
 * @param {(input: object) => string} build builds one message and returns its MsgId
 */
export function forEachStayMessage(build) {
  const msgIds = [];
  for (const [at, route, input] of stayChain) {
    const content = Object.fromEntries(
      Object.entries(input.content).map(([k, v]) => [k, typeof v === 'function' ? v(msgIds) : v]),
    );
    msgIds.push(build({ at, route, input: { ...input, content, patient, genDate: at } }));
  }
  return msgIds;
}
