/**
 * Cross-checks against the official schemas and samples in the shared conformance folder (test
 * data only, never copied into the repository). Skips when the folder is absent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildCatalog, createValidator } from '../src';
import { findConformanceDir } from './fixtures/conformance';
import { isKnownMessageType, replaceOnce, validAppRec, validMsgHead } from './fixtures/documents';

const conformance = findConformanceDir();
if (conformance === undefined) {
  console.log('shared/conformance not found: skipping official-schema conformance tests');
}
const describeIfData = conformance === undefined ? describe.skip : describe;

describeIfData('conformance with the official schemas', () => {
  const dir = conformance as string;
  const official = path.join(dir, 'xsd');
  const sampleClock = () => new Date('2020-09-16T13:00:00Z');
  const fixtureClock = () => new Date('2024-03-01T12:00:00Z');

  it('official schemas replace the bundled ones by namespace', () => {
    const catalog = buildCatalog(official);
    expect(catalog.get('http://www.kith.no/xmlstds/msghead/2006-05-24')?.origin).toBe('directory');
    expect(catalog.get('http://www.kith.no/xmlstds/apprec/2004-11-21')?.file).toBe(path.join(official, 'AppRec-v1.0.xsd'));
    expect(catalog.get('http://www.kith.no/xmlstds/apprec/2012-02-15')?.origin).toBe('directory');
    expect(catalog.get('http://www.w3.org/2000/09/xmldsig#')?.origin).toBe('directory');
  });

  it('the official AppRec 1.0 sample validates with the bundled schemas and with the official ones', () => {
    const sample = readFileSync(path.join(dir, 'samples', 'MetadataTests_Apprec10.xml'));
    expect(createValidator({ clock: sampleClock }).validate(sample).issues).toEqual([]);
    expect(createValidator({ clock: sampleClock, schemaDirectory: official }).validate(sample).issues).toEqual([]);
  });

  describe('documents valid under the bundled schemas are valid under the official ones', () => {
    const bundled = createValidator({ clock: fixtureClock, isKnownMessageType });
    const withOfficial = createValidator({ clock: fixtureClock, isKnownMessageType, schemaDirectory: official });
    const cases: Record<string, string> = {
      'MsgHead with Base64Container content': validMsgHead(),
      'MsgHead as ISO-8859-1': replaceOnce(validMsgHead(), 'encoding="UTF-8"', 'encoding="ISO-8859-1"'),
      'MsgHead with ConversationRef, OtherReceiver and attachment': replaceOnce(
        replaceOnce(
          validMsgHead(),
          '<Sender>',
          '<ConversationRef><RefToParent>a1b2c3d4-0000-4000-8000-000000000001</RefToParent><RefToConversation>a1b2c3d4-0000-4000-8000-000000000001</RefToConversation></ConversationRef>\n<Sender>',
        ),
        '<Patient>',
        '<OtherReceiver><RoleReceiver V="FL" DN="Fastlege"/><HealthcareProfessional><FamilyName>Lege</FamilyName><Ident><Id>123456</Id><TypeId V="HPR" S="2.16.578.1.12.4.1.1.8116"/></Ident></HealthcareProfessional></OtherReceiver>\n<Patient>',
      ),
      'AppRec 1.0': validAppRec('1.0'),
      'AppRec 1.1': validAppRec('1.1'),
    };
    for (const [name, xml] of Object.entries(cases)) {
      it(name, () => {
        const bytes = new Uint8Array(name.includes('ISO-8859-1') ? Buffer.from(xml, 'latin1') : Buffer.from(xml, 'utf8'));
        expect(bundled.validate(bytes).issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(withOfficial.validate(bytes).issues.filter((i) => i.severity === 'error')).toEqual([]);
      });
    }
  });

  it('a document the official schema refuses is refused by the bundled one too', () => {
    const bad = replaceOnce(validMsgHead(), '<MsgId>', '<Bogus/><MsgId>');
    const bundledCodes = createValidator({ clock: fixtureClock, isKnownMessageType }).validate(bad).issues.map((i) => i.code);
    const officialCodes = createValidator({ clock: fixtureClock, isKnownMessageType, schemaDirectory: official }).validate(bad).issues.map((i) => i.code);
    expect(bundledCodes).toContain('ERR_SCHEMA_XSD_INVALID');
    expect(officialCodes).toContain('ERR_SCHEMA_XSD_INVALID');
  });
});
