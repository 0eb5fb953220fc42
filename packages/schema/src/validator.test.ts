import { createValidator } from './validator';
import type { ValidationReport } from './validator';
import { APPREC_CODE_BY_ISSUE, SCHEMA_ISSUE_CODES } from './issues';
import { SchemaError } from './errors';
import { defaultRegistry } from '@samhandling/plo';
import { clock as fixtureClock, isKnownMessageType, replaceOnce, validAppRec, validMsgHead } from '../test/fixtures/documents';

const clock = fixtureClock;

const validator = createValidator({ clock, isKnownMessageType });
const testValidator = createValidator({ clock, isKnownMessageType, environment: 'test' });

function codes(report: ValidationReport): string[] {
  return report.issues.map((i) => i.code);
}

function only(report: ValidationReport, code: string) {
  const found = report.issues.filter((i) => i.code === code);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('valid documents', () => {
  it('accepts the valid MsgHead with no issues', () => {
    const report = validator.validate(validMsgHead());
    expect(report.issues).toEqual([]);
    expect(report).toMatchObject({
      valid: true,
      namespace: 'http://www.kith.no/xmlstds/msghead/2006-05-24',
      messageType: 'DIALOG_FORESPORSEL',
      contentNamespaces: ['http://www.kith.no/xmlstds/base64container'],
    });
  });

  it('accepts the same document as bytes, and as ISO-8859-1 bytes with æøå', () => {
    expect(validator.validate(new Uint8Array(Buffer.from(validMsgHead(), 'utf8'))).issues).toEqual([]);
    const latin1 = replaceOnce(validMsgHead(), 'encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const report = validator.validate(new Uint8Array(Buffer.from(latin1, 'latin1')));
    expect(report.issues).toEqual([]);
  });

  it('accepts AppRec 1.0 and 1.1', () => {
    expect(validator.validate(validAppRec('1.0')).issues).toEqual([]);
    const report = validator.validate(validAppRec('1.1'));
    expect(report.issues).toEqual([]);
    expect(report.messageType).toBe('APPREC');
  });

  it('reuses one validator for many documents', () => {
    for (let i = 0; i < 20; i++) expect(validator.validate(i % 2 ? validMsgHead() : validAppRec()).valid).toBe(true);
  });
});

describe('XSD validation', () => {
  it('reports every XSD error with line, xpath and T02', () => {
    let xml = replaceOnce(validMsgHead(), '<MIGversion>v1.2 2006-05-24</MIGversion>', '<MIGversion>v1.1</MIGversion>');
    xml = replaceOnce(xml, '<GenDate>2024-03-01T11:58:00+01:00</GenDate>', '<GenDate>yesterday</GenDate>');
    xml = replaceOnce(xml, '<Ack V="J" DN="Ja"/>', '<Ack V="J" DN="Ja"/><Bogus/>');
    const report = validator.validate(xml);
    expect(report.valid).toBe(false);
    const xsd = report.issues.filter((i) => i.code === 'ERR_SCHEMA_XSD_INVALID');
    expect(xsd.length).toBeGreaterThanOrEqual(3);
    expect(xsd.every((i) => i.appRecCode === 'T02' && i.severity === 'error')).toBe(true);
    expect(xsd.map((i) => i.xpath)).toEqual(expect.arrayContaining(['/MsgHead/MsgInfo/MIGversion', '/MsgHead/MsgInfo/GenDate', '/MsgHead/MsgInfo/Bogus']));
    expect(xsd.find((i) => i.xpath === '/MsgHead/MsgInfo/GenDate')?.line).toBe(6);
  });

  it('validates the content strictly against its namespace schema', () => {
    const xml = replaceOnce(validMsgHead(), 'SGVsbG8gd29ybGQ=', 'not base64 !!');
    const issue = only(validator.validate(xml), 'ERR_SCHEMA_XSD_INVALID');
    expect(issue.xpath).toBe('/MsgHead/Document/RefDoc/Content/Base64Container');
  });

  it('reports an unsupported content namespace as T10 (once)', () => {
    const xml = replaceOnce(validMsgHead(), /<Base64Container xmlns="[^"]+">/, '<Base64Container xmlns="urn:unknown:content">');
    const report = validator.validate(xml);
    expect(codes(report)).toEqual(['ERR_SCHEMA_UNSUPPORTED_NAMESPACE']);
    expect(report.issues[0]).toMatchObject({ appRecCode: 'T10', xpath: '/MsgHead/Document/RefDoc/Content/Base64Container', line: 55 });
  });

  it('reports an unsupported root namespace as T10', () => {
    const report = validator.validate('<Other xmlns="urn:x"><a/></Other>');
    expect(report).toMatchObject({ valid: false, namespace: 'urn:x' });
    expect(only(report, 'ERR_SCHEMA_UNSUPPORTED_NAMESPACE').appRecCode).toBe('T10');
  });
});

describe('business rules', () => {
  it('E31: wrong check digit in the patient fødselsnummer', () => {
    const xml = replaceOnce(validMsgHead(), '<Id>31129956715</Id>', '<Id>31129956716</Id>');
    const issue = only(validator.validate(xml), 'ERR_SCHEMA_PATIENT_ID_INVALID');
    expect(issue).toMatchObject({ appRecCode: 'E31', severity: 'error', xpath: '/MsgHead/MsgInfo/Patient/Ident/Id' });
  });

  it('E30: patient without a person identifier, or without Patient at all', () => {
    const noIdent = validMsgHead().replace(/<Ident>\s*<Id>31129956715<\/Id>[\s\S]*?<\/Ident>/, '');
    expect(only(validator.validate(noIdent), 'ERR_SCHEMA_PATIENT_ID_MISSING')).toMatchObject({ appRecCode: 'E30', xpath: '/MsgHead/MsgInfo/Patient' });
    const noPatient = validMsgHead().replace(/<Patient>[\s\S]*<\/Patient>/, '');
    expect(only(validator.validate(noPatient), 'ERR_SCHEMA_PATIENT_ID_MISSING')).toMatchObject({ appRecCode: 'E30', xpath: '/MsgHead/MsgInfo' });
    const relaxed = createValidator({ clock, isKnownMessageType, requiresPatient: () => false });
    expect(relaxed.validate(noPatient).issues).toEqual([]);
  });

  it('synthetic fødselsnummer: refused in production, accepted in test', () => {
    // 311299 567 with month + 80 (synthetic, Test Norge / Tenor) and its check digits.
    const synthetic = '31929956780';
    const xml = replaceOnce(validMsgHead(), '<Id>31129956715</Id>', `<Id>${synthetic}</Id>`);
    const prod = validator.validate(xml);
    expect(codes(prod)).toContain('ERR_SCHEMA_PATIENT_ID_SYNTHETIC');
    expect(only(prod, 'ERR_SCHEMA_PATIENT_ID_SYNTHETIC').appRecCode).toBe('E31');
    expect(testValidator.validate(xml).issues.filter((i) => i.code.startsWith('ERR_SCHEMA_PATIENT'))).toEqual([]);
  });

  it('warns when the TypeId does not match the kind of number', () => {
    const xml = replaceOnce(validMsgHead(), '<TypeId V="FNR" DN="Fødselsnummer"', '<TypeId V="DNR" DN="D-nummer"');
    const report = validator.validate(xml);
    expect(report.valid).toBe(true);
    expect(only(report, 'ERR_SCHEMA_PATIENT_ID_TYPE_MISMATCH').severity).toBe('warning');
  });

  it('E21: receiver without HER-id; T99: sender without HER-id', () => {
    const noReceiverHer = validMsgHead().replace(/<Receiver>[\s\S]*<\/Receiver>/, (r) => r.replaceAll('V="HER"', 'V="ENH"'));
    const issue = only(validator.validate(noReceiverHer), 'ERR_SCHEMA_RECEIVER_MISSING');
    expect(issue).toMatchObject({ appRecCode: 'E21', xpath: '/MsgHead/MsgInfo/Receiver' });
    const noSenderHer = validMsgHead().replace(/<Sender>[\s\S]*<\/Sender>/, (r) => r.replaceAll('V="HER"', 'V="ENH"'));
    expect(only(validator.validate(noSenderHer), 'ERR_SCHEMA_SENDER_MISSING').appRecCode).toBe('T99');
  });

  it('E21: receiver HER-id that is not a number', () => {
    const xml = replaceOnce(validMsgHead(), '<Id>90002</Id>', '<Id>abc</Id>');
    expect(only(validator.validate(xml), 'ERR_SCHEMA_RECEIVER_MISSING')).toMatchObject({
      xpath: '/MsgHead/MsgInfo/Receiver/Organisation/Organisation',
    });
  });

  it('warns when the deepest receiver level has no HER-id', () => {
    const xml = validMsgHead().replace(/(<OrganisationName>Sykepleietjeneste<\/OrganisationName>\s*<Ident>\s*<Id>90002<\/Id>\s*<TypeId V=)"HER"/, '$1"ENH"');
    const report = validator.validate(xml);
    expect(report.valid).toBe(true);
    expect(only(report, 'ERR_SCHEMA_HER_ID_NOT_DEEPEST')).toMatchObject({ severity: 'warning', xpath: '/MsgHead/MsgInfo/Receiver/Organisation/Organisation' });
  });

  it('T10: unknown message type', () => {
    const xml = replaceOnce(validMsgHead(), 'V="DIALOG_FORESPORSEL"', 'V="NOT_A_TYPE"');
    expect(only(validator.validate(xml), 'ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE')).toMatchObject({ appRecCode: 'T10', xpath: '/MsgHead/MsgInfo/Type' });
    const custom = createValidator({ clock, isKnownMessageType: (t) => t === 'NOT_A_TYPE' });
    expect(custom.validate(xml).issues).toEqual([]);
  });

  it('by default, supported types are those registered in the plo registry', () => {
    const defaults = createValidator({ clock });
    const registered = defaultRegistry.list()[0]?.type ?? 'LOG_INNLAGT';
    const xml = replaceOnce(validMsgHead(), 'V="DIALOG_FORESPORSEL"', `V="${registered}"`);
    expect(defaults.validate(xml).issues.filter((i) => i.code === 'ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE')).toEqual([]);
    const unknown = replaceOnce(validMsgHead(), 'V="DIALOG_FORESPORSEL"', 'V="LOG_NOT_REGISTERED"');
    expect(only(defaults.validate(unknown), 'ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE').appRecCode).toBe('T10');
  });

  it('T99: code not in its bundled code list; unknown lists are not judged', () => {
    const xml = replaceOnce(validMsgHead(), '<TypeId V="FNR" DN="Fødselsnummer" S="2.16.578.1.12.4.1.1.8116"/>', '<TypeId V="FNR" DN="x" S="2.16.578.1.12.4.1.1.8116"/><!---->');
    expect(validator.validate(xml).issues).toEqual([]);
    const bad = replaceOnce(validMsgHead(), /(<Id>80001<\/Id>\s*<TypeId V=)"HER"/, '$1"HXR"');
    const issue = only(validator.validate(bad), 'ERR_SCHEMA_UNKNOWN_CODE');
    expect(issue).toMatchObject({ appRecCode: 'T99', xpath: '/MsgHead/MsgInfo/Sender/Organisation/Ident/TypeId' });
    const unknownList = replaceOnce(validMsgHead(), 'S="2.16.578.1.12.4.1.1.8116"', 'S="2.16.578.1.12.4.1.1.99999"');
    expect(validator.validate(unknownList).issues).toEqual([]);
  });

  it('E10: empty or trivial MsgId; warning for a non-GUID', () => {
    const empty = replaceOnce(validMsgHead(), '<MsgId>6f0c3a52-2b7e-4b43-9d51-3f1f0c8a9e21</MsgId>', '<MsgId> </MsgId>');
    expect(only(validator.validate(empty), 'ERR_SCHEMA_MSGID_INVALID')).toMatchObject({ appRecCode: 'E10', xpath: '/MsgHead/MsgInfo/MsgId', line: 7 });
    const trivial = replaceOnce(validMsgHead(), '6f0c3a52-2b7e-4b43-9d51-3f1f0c8a9e21</MsgId>', '00000000-0000-0000-0000-000000000000</MsgId>');
    expect(codes(validator.validate(trivial))).toContain('ERR_SCHEMA_MSGID_INVALID');
    const notGuid = replaceOnce(validMsgHead(), '6f0c3a52-2b7e-4b43-9d51-3f1f0c8a9e21</MsgId>', 'EPJ-2024-000123</MsgId>');
    const report = validator.validate(notGuid);
    expect(report.valid).toBe(true);
    expect(only(report, 'ERR_SCHEMA_MSGID_NOT_GUID').severity).toBe('warning');
  });

  it('E10 in an AppRec: its own Id and OriginalMsgId/Id', () => {
    const xml = replaceOnce(validAppRec(), '<Id>6f0c3a52-2b7e-4b43-9d51-3f1f0c8a9e21</Id>', '<Id>1</Id>');
    expect(only(validator.validate(xml), 'ERR_SCHEMA_MSGID_INVALID').xpath).toBe('/AppRec/OriginalMsgId/Id');
  });

  it('GenDate in the future beyond the skew is an error; very old is a warning', () => {
    const future = replaceOnce(validMsgHead(), '2024-03-01T11:58:00+01:00', '2024-03-01T13:30:00+01:00');
    expect(only(validator.validate(future), 'ERR_SCHEMA_GENDATE_FUTURE')).toMatchObject({ appRecCode: 'T99', xpath: '/MsgHead/MsgInfo/GenDate' });
    const withinSkew = replaceOnce(validMsgHead(), '2024-03-01T11:58:00+01:00', '2024-03-01T13:05:00+01:00');
    expect(validator.validate(withinSkew).issues).toEqual([]);
    // No time zone: Norwegian local time (CET in March: UTC+1), so 13:05 local is 12:05Z.
    const localTime = replaceOnce(validMsgHead(), '2024-03-01T11:58:00+01:00', '2024-03-01T13:05:00');
    expect(validator.validate(localTime).issues).toEqual([]);
    const old = replaceOnce(validMsgHead(), '2024-03-01T11:58:00+01:00', '2019-01-01T00:00:00Z');
    const report = validator.validate(old);
    expect(report.valid).toBe(true);
    expect(only(report, 'ERR_SCHEMA_GENDATE_TOO_OLD').severity).toBe('warning');
  });

  it('AppRec parties: receiver (the original sender) must have a HER-id', () => {
    const xml = validAppRec().replace(/<Receiver>[\s\S]*<\/Receiver>/, (r) => r.replaceAll('V="HER"', 'V="XXX"'));
    expect(only(validator.validate(xml), 'ERR_SCHEMA_RECEIVER_MISSING')).toMatchObject({ appRecCode: 'E21', xpath: '/AppRec/Receiver' });
  });

  it('AppRec MsgType must be APPREC', () => {
    const xml = replaceOnce(validAppRec(), '<MsgType V="APPREC"/>', '<MsgType V="LOG_INNLAGT"/>');
    expect(only(validator.validate(xml), 'ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE').xpath).toBe('/AppRec/MsgType');
  });

  it('reports all issues at once', () => {
    let xml = replaceOnce(validMsgHead(), '<Id>31129956715</Id>', '<Id>31129956716</Id>');
    xml = replaceOnce(xml, '6f0c3a52-2b7e-4b43-9d51-3f1f0c8a9e21</MsgId>', '</MsgId>');
    xml = replaceOnce(xml, '<MIGversion>v1.2 2006-05-24</MIGversion>', '<MIGversion>x</MIGversion>');
    expect(codes(validator.validate(xml)).sort()).toEqual(['ERR_SCHEMA_MSGID_INVALID', 'ERR_SCHEMA_PATIENT_ID_INVALID', 'ERR_SCHEMA_XSD_INVALID']);
  });

  it('rules can be turned off or have their severity changed', () => {
    const xml = replaceOnce(validMsgHead(), '<Id>31129956715</Id>', '<Id>31129956716</Id>');
    expect(createValidator({ clock, isKnownMessageType, rules: { patientId: false } }).validate(xml).issues).toEqual([]);
    const report = createValidator({ clock, isKnownMessageType, rules: { patientId: 'warning' } }).validate(xml);
    expect(report.valid).toBe(true);
    expect(report.issues[0]?.severity).toBe('warning');
  });

  it('skips the GenDate rule without a clock', () => {
    const future = replaceOnce(validMsgHead(), '2024-03-01T11:58:00+01:00', '2099-03-01T13:30:00+01:00');
    expect(createValidator({ isKnownMessageType }).validate(future).issues).toEqual([]);
  });
});

describe('issue codes and configuration', () => {
  it('maps every issue code to an AppRec 8221 code', () => {
    expect(Object.keys(APPREC_CODE_BY_ISSUE).sort()).toEqual(Object.keys(SCHEMA_ISSUE_CODES).sort());
    expect(APPREC_CODE_BY_ISSUE.ERR_SCHEMA_XML_NOT_WELL_FORMED).toBe('T01');
    expect(APPREC_CODE_BY_ISSUE.ERR_SCHEMA_XSD_INVALID).toBe('T02');
    expect(Object.values(APPREC_CODE_BY_ISSUE).every((c) => /^[ESTX]\d\d$/.test(c))).toBe(true);
  });

  it('throws SchemaError for a missing schema directory', () => {
    expect(() => createValidator({ schemaDirectory: '/nonexistent/schemas' })).toThrow(SchemaError);
    try {
      createValidator({ schemaDirectory: '/nonexistent/schemas' });
    } catch (err) {
      expect((err as SchemaError).code).toBe('ERR_SCHEMA_DIRECTORY');
    }
  });

  it('throws TypeError for input that is neither string nor bytes', () => {
    expect(() => validator.validate(42 as unknown as string)).toThrow(TypeError);
  });
});
