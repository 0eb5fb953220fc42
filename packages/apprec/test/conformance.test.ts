/**
 * Every AppRec this package builds, in both versions, validates against the official AppRec
 * schemas in the shared conformance folder (test data only, never copied) and against the bundled
 * ones; the official AppRec 1.0 sample parses to the expected fields. Skips when the folder is absent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createValidator } from '@samhandling/schema';
import { buildAppRec, parseAppRec, partyHerId, receiptFor } from '../src/index';
import type { AppRecVersion } from '../src/index';
import { validAppRecInput } from './support/apprecs';
import { fixedClock, findConformance, receivedUtskrivningsklar } from './support/messages';

const conformance = findConformance();
if (conformance === undefined) console.log('shared/conformance not found: skipping AppRec conformance tests');
const describeIfData = conformance === undefined ? describe.skip : describe;

const clock = fixedClock('2024-05-02T08:30:00Z');

function built(version: AppRecVersion): Record<string, string> {
  const received = receivedUtskrivningsklar();
  const input = validAppRecInput();
  return {
    'receipt OK': receiptFor(received, { status: 'ok', version, clock: fixedClock('2024-05-02T08:21:00Z') }).xml,
    'receipt rejected with two errors': receiptFor(received, { status: 'rejected', version, errors: [{ code: 'E35', text: 'Ukjent' }, { code: 'T02' }], clock }).xml,
    'receipt partial, organisation number identification': receiptFor(received, { status: 'partial', version, institutionId: 'orgNumber', errors: [{ code: 'T99' }], clock, softwareName: 'Samhandling', softwareVersion: '0.1.0' }).xml,
    'model with AdditionalId, HCPerson and Address': buildAppRec(
      {
        ...input,
        receiver: {
          role: { v: 'RECEIVER' },
          hcp: {
            inst: { ...input.receiver.hcp.inst, hcPersons: [{ name: 'Meldingsansvarlig', id: '8142599', typeId: { v: 'HER' } }] },
            medSpeciality: { v: '1', s: '2.16.578.1.12.4.1.1.7426', dn: 'Indremedisin' },
            address: { type: { v: 'PST', dn: 'Postadresse' }, streetAdr: 'Postboks 2900', postalCode: '3710', city: 'Skien', teleAddresses: ['tel:+4735003500'] },
          },
        },
      },
      { version },
    ),
    'model with a health professional party': buildAppRec({ ...input, sender: { hcp: { hcProf: { type: { v: 'LE' }, name: 'Lege Legesen', id: '8140001', typeId: { v: 'HER' } } } } }, { version }),
  };
}

describeIfData('conformance with the official AppRec schemas', () => {
  const dir = conformance as string;
  const official = createValidator({ schemaDirectory: path.join(dir, 'xsd'), clock });
  const bundled = createValidator({ clock });
  for (const version of ['1.0', '1.1'] as const) {
    describe(`AppRec ${version}`, () => {
      for (const [name, xml] of Object.entries(built(version))) {
        it(name, () => {
          const fromOfficial = official.validate(xml);
          expect(fromOfficial.namespace).toBe(version === '1.0' ? 'http://www.kith.no/xmlstds/apprec/2004-11-21' : 'http://www.kith.no/xmlstds/apprec/2012-02-15');
          expect(fromOfficial.issues).toEqual([]);
          expect(bundled.validate(xml).issues).toEqual([]);
        });
      }
    });
  }

  it('the official AppRec 1.0 sample parses to the expected fields', () => {
    const a = parseAppRec(readFileSync(path.join(dir, 'samples', 'MetadataTests_Apprec10.xml')));
    expect(a.version).toBe('1.0');
    expect(a.migVersion).toBe('1.0 2004-11-21');
    expect(a.msgType.v).toBe('APPREC');
    expect(a.genDate).toBe('2020-09-16T12:52:17.0009763Z');
    expect(a.id).toBe('A76D8934-D4BA-4A22-8F5D-5DF5E3FC5756');
    expect(a.sender.role).toEqual({ v: 'REQ' });
    expect(a.sender.hcp.inst?.name).toBe('ST OLAVS HOSPITAL HF');
    expect(a.sender.hcp.inst?.depts?.[0]?.name).toBe('Ortopedisk kirurgi');
    expect(partyHerId(a.sender)).toBe('90998');
    expect(partyHerId(a.receiver)).toBe('258521');
    expect(a.status).toEqual({ v: '1', dn: 'OK' });
    expect(a.errors).toEqual([]);
    expect(a.originalMsgId).toEqual({
      msgType: { v: 'DIALOG_HELSEFAGLIG', dn: 'Helsefaglig dialog' },
      issueDate: '2017-06-12T09:35:22',
      id: 'de1a95c0-4d0c-11e7-9598-0800200c9a66',
    });
  });

  it('the official sample, rebuilt from its parsed model, validates in both versions', () => {
    const a = parseAppRec(readFileSync(path.join(dir, 'samples', 'MetadataTests_Apprec10.xml')));
    const atSampleTime = createValidator({ schemaDirectory: path.join(dir, 'xsd'), clock: fixedClock('2020-09-16T13:00:00Z') });
    for (const version of ['1.0', '1.1'] as const) {
      const xml = buildAppRec(a, { version });
      expect(atSampleTime.validate(xml).issues).toEqual([]);
      expect(parseAppRec(xml)).toEqual({ ...a, version, msgType: { v: 'APPREC', dn: 'Applikasjonskvittering' } });
    }
  });
});
