#!/usr/bin/env node
// Demonstration of the message layer (`npm start`): builds every message of one hospital stay,
// validates each with the bundled schemas and business rules, parses it back and prints a
// readable summary. Synthetic data only: 31129956715 is the public example fødselsnummer, HER-ids
// and organisation numbers are made up but well-formed.
//
//   node tools/demo/hospital-stay.mjs [--out DIR] [--json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  UTSKRIVNINGSKLAR_FEEDBACK_TOPIC,
  buildMessage,
  checkPersonId,
  codeDisplayName,
  deepestHerId,
  herIdent,
  orgNumberIdent,
  parseMessage,
  personIdent,
} from '@samhandling/plo';
import { createValidator } from '@samhandling/schema';

const { values } = parseArgs({ options: { out: { type: 'string' }, json: { type: 'boolean', default: false } } });

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
const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('31129956715', 'FNR')] };
const nurse = {
  kontaktperson: { typeHealthcareProfessional: { v: 'SP', dn: 'Sykepleier' }, familyName: 'Hansen', givenName: 'Ola', idents: [personIdent('9144900', 'HPR')] },
  merknad: 'Treffes på vakttelefon 35 00 00 00',
};
const ny = { forsendelsesstatus: 'N' };

let n = 0;
const ids = [];
const nextId = () => {
  n += 1;
  const id = `5a3e0c1d-0000-4000-8000-${String(n).padStart(12, '0')}`;
  ids.push(id);
  return id;
};

/** The chain of DOMAIN §4 for one stay: [when, from → to, build input]. */
const chain = [
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
    content: { reason: '2', description: 'Utskrivningsrapporten mangler legemiddelliste.', originalMsgId: () => ids[ids.length - 1] } }],
];

const validator = createValidator();
const results = [];
let failures = 0;
for (const [at, route, input] of chain) {
  const content = { ...input.content };
  if (typeof content.originalMsgId === 'function') content.originalMsgId = content.originalMsgId();
  const xml = buildMessage(
    { ...input, content, patient, genDate: at },
    { idGenerator: nextId, clock: () => new Date(at) },
  );
  const report = validator.validate(xml);
  const parsed = parseMessage(xml);
  const head = parsed.msgHead;
  const errors = report.issues.filter((i) => i.severity === 'error');
  if (!report.valid) failures += 1;
  results.push({
    at,
    route,
    type: parsed.type,
    displayName: codeDisplayName('8279', parsed.type) ?? parsed.type,
    msgId: head.msgInfo.msgId,
    bytes: Buffer.byteLength(xml),
    sender: deepestHerId(head.msgInfo.sender.organisation),
    receiver: deepestHerId(head.msgInfo.receiver.organisation),
    valid: report.valid,
    issues: report.issues,
    xml,
  });
  if (values.out) {
    const dir = resolve(values.out);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${String(results.length).padStart(2, '0')}-${parsed.type}.xml`), xml);
  }
  if (errors.length > 0 && !values.json) {
    for (const i of errors) console.error(`  ${parsed.type}: ${i.code} ${i.appRecCode} ${i.xpath ?? ''} ${i.message}`);
  }
}

if (values.json) {
  console.log(JSON.stringify(results.map(({ xml: _xml, ...r }) => r), null, 2));
} else {
  const fnr = checkPersonId('31129956715');
  console.log('Samhandling: one hospital stay, message by message (synthetic data)\n');
  console.log(`Patient  Kari Nordmann, ${fnr.kind} 311299***** (valid: ${fnr.valid}, born ${fnr.birthDate})`);
  console.log('Parties  Sykehuset Telemark HF (HER 8142520) ⇄ Skien kommune (sykepleietjeneste HER 8143101, saksbehandler HER 8143102); copy to the GP on utskrivningsklar\n');
  const rows = results.map((r, i) => [
    String(i + 1).padStart(2),
    r.at.slice(0, 16).replace('T', ' '),
    r.route.padEnd(30),
    r.type.padEnd(21),
    `${r.bytes} B`.padStart(8),
    r.valid ? 'valid' : `INVALID (${r.issues.length})`,
  ]);
  console.log(' #  sent              route                          type                     size  validation');
  for (const row of rows) console.log(row.join('  '));
  console.log(`\n${results.length} messages built, ${results.length - failures} valid against the bundled MsgHead, PLO 1.6 and Dialogmelding 1.1 schemas and the business rules, each parsed back to its model.`);
  if (values.out) console.log(`XML written to ${resolve(values.out)}`);
  else console.log('Run `node tools/demo/hospital-stay.mjs --out DIR` to write the XML files, or `--json` for a machine-readable report.');
}
process.exit(failures === 0 ? 0 : 1);
