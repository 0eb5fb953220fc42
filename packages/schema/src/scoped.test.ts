/**
 * The validator hands the business rules a scoped tree (MsgInfo whole, the content roots, the
 * coded elements; ADR 0007). These tests compare its issues with the rules run on the full tree
 * that plo's `readXml` reads from the same document.
 */
import { buildMessage, defaultRegistry, herIdent, personIdent, readXml } from '@samhandling/plo';
import type { Utskrivningsrapport } from '@samhandling/plo';
import { createValidator } from './validator';
import { ElementLocator } from './locate';
import { codesRule } from './rules/codes';
import { genDateRule } from './rules/gen-date';
import { messageTypeRule } from './rules/message-type';
import { msgIdRule } from './rules/msg-id';
import { partiesRule } from './rules/parties';
import { patientIdRule } from './rules/patient-id';
import type { RuleContext } from './rules/context';

const NOW = new Date('2024-05-02T08:00:00Z');
const validator = createValidator({ clock: () => NOW });
const OID = (n: number): string => `2.16.578.1.12.4.1.1.${n}`;

function message(content: Utskrivningsrapport): string {
  let id = 0;
  return buildMessage(
    {
      type: 'UTSKRIVNINGSRAPPORT',
      sender: { name: 'Sykehuset Telemark HF', idents: [herIdent(90001)], organisation: { name: 'Somatikk', idents: [herIdent(90002)] } },
      receiver: { name: 'Skien kommune', idents: [herIdent(80001)], organisation: { name: 'Sykepleietjeneste', idents: [herIdent(80002)] } },
      patient: { familyName: 'Nordmann', givenName: 'Ola', idents: [personIdent('31129956715')] },
      genDate: '2024-05-02T09:00:00+02:00',
      content,
    },
    { idGenerator: () => `5a3e0c1d-0000-4000-8000-${String(++id).padStart(12, '0')}`, clock: () => NOW },
  );
}

const content: Utskrivningsrapport = {
  informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
  medisinskeDiagnoser: [{ diagnosekode: { v: 'S72.0', s: OID(7110) }, diagnoseBeskrivelse: 'Operert' }],
  sykepleieopplysninger: [
    { typeOpplysning: { v: '8', s: OID(9141) }, tekst: 'Første notat, æøå' },
    { typeOpplysning: { v: '12', s: OID(9141) }, tekst: 'Andre notat' },
    { typeOpplysning: { v: '8', s: OID(9141) }, tekst: 'Tredje notat' },
  ],
  utskrevetTil: { utTil: { v: '11', s: OID(8408) } },
};

/** The code-list rule over the full tree of `xml`. */
function fullTreeCodeIssues(xml: string): unknown[] {
  const root = readXml(xml).root;
  const ctx = { root, kind: 'msghead', locator: new ElementLocator(root) } as unknown as RuleContext;
  return codesRule(ctx);
}

describe('scoped tree for the business rules', () => {
  it('reports unknown codes in the content with the same paths, lines and order as the full tree', () => {
    const xml = message(content)
      .replace(/V="8"/g, 'V="ZZ9"')
      .replace('V="11" S="2.16.578.1.12.4.1.1.8408"', 'V="ZZ8" S="2.16.578.1.12.4.1.1.8408"')
      .replace('V="11" S="2.16.578.1.12.4.1.1.9139"', 'V="ZZ7" S="2.16.578.1.12.4.1.1.9139"');
    const issues = validator.validate(xml).issues.filter((i) => i.code === 'ERR_SCHEMA_UNKNOWN_CODE');
    expect(issues).toHaveLength(4);
    expect(issues.every((i) => i.xpath?.includes('/Content/') === true && (i.line ?? 0) > 0)).toBe(true);
    expect(issues).toEqual(fullTreeCodeIssues(xml));
  });

  it('accepts the valid message and reports its content namespace', () => {
    const report = validator.validate(message(content));
    expect(report.issues).toEqual([]);
    expect(report.contentNamespaces).toHaveLength(1);
  });

  it('still reads the whole MsgInfo (patient, parties, ids)', () => {
    const xml = message(content).replace('<Id>31129956715</Id>', '<Id>31129956716</Id>');
    const issue = validator.validate(xml).issues.find((i) => i.code === 'ERR_SCHEMA_PATIENT_ID_INVALID');
    expect(issue?.xpath).toBe('/MsgHead/MsgInfo/Patient/Ident/Id');
  });

  it('gives every rule the facts it reads: the same findings as over the full tree', () => {
    const rules = [messageTypeRule, msgIdRule, genDateRule, partiesRule, patientIdRule, codesRule];
    const full = (xml: string): unknown[] => {
      const root = readXml(xml).root;
      const ctx: RuleContext = {
        root,
        kind: 'msghead',
        locator: new ElementLocator(root),
        environment: 'production',
        now: NOW,
        clockSkewMs: 10 * 60 * 1000,
        maxMessageAgeMs: 366 * 24 * 60 * 60 * 1000,
        isKnownMessageType: (t) => defaultRegistry.has(t),
        requiresPatient: (t) => t !== 'APPREC',
      };
      return rules.flatMap((rule) => rule(ctx));
    };
    const valid = message(content);
    const broken = [
      valid.replace('<Id>31129956715</Id>', '<Id>31129956716</Id>'),
      valid.replace('<Id>90002</Id>', '<Id>12</Id>').replace('<Id>80001</Id>', '<Id>0</Id>'),
      valid.replace(/<MsgId>[^<]*<\/MsgId>/, '<MsgId>aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa</MsgId>'),
      valid.replace(/<GenDate>[^<]*<\/GenDate>/, '<GenDate>2031-01-01T00:00:00+01:00</GenDate>'),
      valid.replace('V="UTSKRIVNINGSRAPPORT"', 'V="UKJENT_TYPE"'),
      valid.replace(/V="8"/g, 'V="ZZ9"'),
    ];
    for (const xml of broken) {
      expect(xml).not.toBe(valid);
      const scoped = validator.validate(xml).issues.filter((i) => i.code !== 'ERR_SCHEMA_XSD_INVALID');
      expect(scoped.length).toBeGreaterThan(0);
      expect(scoped).toEqual(full(xml));
    }
  });
});
