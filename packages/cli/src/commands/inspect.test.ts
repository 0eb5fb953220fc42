import path from 'node:path';
import { runCli } from '../run';
import { captureIO } from '../../test/capture-io';
import { findConformance, fixtures } from '../../test/conformance';

async function inspect(args: string[], opts: Parameters<typeof captureIO>[0] = {}) {
  const io = captureIO({ cwd: fixtures, ...opts });
  const code = await runCli(['inspect', ...args], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('samhandling inspect', () => {
  it('summarises a MsgHead as JSON', async () => {
    const { code, out } = await inspect(['log-innlagt.xml', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      type: 'LOG_INNLAGT',
      migVersion: 'v1.2 2006-05-24',
      msgId: '6f1c2d3e-0000-4000-8000-000000000001',
      genDate: '2024-03-01T10:15:00',
      sender: { herId: '222222', name: 'Somatikk plo meldingsmottak' },
      receiver: { herId: '444444', name: 'Sykepleietjeneste' },
      patient: { idType: 'FNR', valid: true },
      conversationRef: {
        refToParent: '6f1c2d3e-0000-4000-8000-000000000000',
        refToConversation: '6f1c2d3e-0000-4000-8000-000000000000',
      },
      documents: [
        {
          msgType: 'XML',
          mimeType: null,
          description: null,
          contentNamespace: 'http://www.kith.no/xmlstds/po/pasientlogistikk/2012-04-01',
          contentElement: 'Pasientlogistikk',
        },
        {
          msgType: 'A',
          mimeType: 'application/pdf',
          description: 'Vedlegg',
          contentNamespace: 'http://www.kith.no/xmlstds/base64container',
          contentElement: 'Base64Container',
        },
      ],
    });
  });

  it('never prints the patient number', async () => {
    for (const args of [['log-innlagt.xml'], ['log-innlagt.xml', '--json']]) {
      const { out } = await inspect(args);
      expect(out).not.toContain('13116900216');
    }
  });

  it('prints a readable summary without --json', async () => {
    const { code, out } = await inspect(['log-innlagt.xml']);
    expect(code).toBe(0);
    expect(out).toMatch(/^type: +LOG_INNLAGT$/m);
    expect(out).toMatch(/^sender: +HER 222222 \(Somatikk plo meldingsmottak\)$/m);
    expect(out).toMatch(/^patient: +FNR \(valid\)$/m);
    expect(out).toMatch(/2\. A application\/pdf/);
  });

  it('flags an invalid or mistyped patient identifier', async () => {
    const original = await import('node:fs/promises').then((fs) => fs.readFile(path.join(fixtures, 'log-innlagt.xml'), 'utf8'));
    const wrongDigit = original.replace('13116900216', '13116900217');
    const wrongType = original.replace('<TypeId V="FNR" DN="Fødselsnummer"', '<TypeId V="DNR" DN="D-nummer"');
    for (const xml of [wrongDigit, wrongType]) {
      const file = path.join(fixtures, 'virtual.xml');
      const { code, out } = await inspect(['virtual.xml', '--json'], { files: { [file]: xml } });
      expect(code).toBe(0);
      expect(JSON.parse(out).patient.valid).toBe(false);
    }
  });

  it('summarises an AppRec with status, errors and the original message', async () => {
    const { code, out } = await inspect(['apprec-rejected.xml', '--json']);
    expect(code).toBe(0);
    const s = JSON.parse(out);
    expect(s).toMatchObject({
      type: 'APPREC',
      migVersion: 'v1.1 2012-02-15',
      msgId: '6f1c2d3e-0000-4000-8000-0000000000aa',
      sender: { herId: '444444', name: 'Sykepleietjeneste' },
      receiver: { herId: '111111', name: 'Testsykehuset HF' },
      patient: null,
      documents: [],
    });
    expect(s.appRec).toEqual({
      status: { code: '2', name: 'Avvist' },
      errors: [
        { code: 'E35', name: 'Pasienten finnes ikke i mottakersystemet', details: null },
        { code: 'T02', name: 'XML validerer ikke', details: 'Element Hendelse mangler' },
      ],
      originalMsgId: { msgType: 'LOG_INNLAGT', issueDate: '2024-03-01T10:15:00', id: '6f1c2d3e-0000-4000-8000-000000000001' },
    });
  });

  it('takes an AppRec HER-id from AdditionalId when the unit\'s own Id is not a HER-id', async () => {
    const original = await import('node:fs/promises').then((fs) => fs.readFile(path.join(fixtures, 'apprec-rejected.xml'), 'utf8'));
    const swapped = original
      .replace('<Id>111111</Id>\n        <TypeId V="HER" DN="HER-id"/>', '<Id>974760673</Id>\n        <TypeId V="ENH" DN="Organisasjonsnummer"/>')
      .replace('<Id>974760673</Id>\n          <Type V="ENH" DN="Organisasjonsnummer"/>', '<Id>111111</Id>\n          <Type V="HER" DN="HER-id"/>');
    expect(swapped).not.toBe(original);
    const file = path.join(fixtures, 'swapped.xml');
    const { code, out } = await inspect(['swapped.xml', '--json'], { files: { [file]: swapped } });
    expect(code).toBe(0);
    expect(JSON.parse(out).receiver).toEqual({ herId: '111111', name: 'Testsykehuset HF' });
  });

  it('reads standard input for "-"', async () => {
    const xml = await import('node:fs/promises').then((fs) => fs.readFile(path.join(fixtures, 'apprec-rejected.xml'), 'utf8'));
    const { code, out } = await inspect(['-', '--json'], { stdin: xml });
    expect(code).toBe(0);
    expect(JSON.parse(out).type).toBe('APPREC');
  });

  it('exits 1 for a well-formed document that is neither MsgHead nor AppRec', async () => {
    const file = path.join(fixtures, 'other.xml');
    const { code, err } = await inspect(['other.xml'], { files: { [file]: '<Other xmlns="urn:x"/>' } });
    expect(code).toBe(1);
    expect(err).toContain('not a MsgHead or AppRec document');
  });

  it.each([
    ['not well-formed', '<MsgHead><MsgInfo></MsgHead>', 'ERR_PLO_XML_NOT_WELL_FORMED'],
    ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 'ERR_PLO_XML_DTD_FORBIDDEN'],
    ['empty', '', 'ERR_PLO_XML'],
  ])('exits 2 for %s input', async (_label, xml, code) => {
    const file = path.join(fixtures, 'bad.xml');
    const result = await inspect(['bad.xml'], { files: { [file]: xml } });
    expect(result.code).toBe(2);
    expect(result.err).toContain(code);
  });

  it('exits 2 for a missing file and for usage errors', async () => {
    const missing = await inspect(['does-not-exist.xml']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read does-not-exist.xml (ENOENT)');
    expect((await inspect([])).code).toBe(2);
    expect((await inspect(['a.xml', 'b.xml'])).code).toBe(2);
    expect((await inspect(['a.xml', '--bogus'])).code).toBe(2);
  });

  it('prints help', async () => {
    const { code, out } = await inspect(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('usage: samhandling inspect FILE');
  });

  describe('official samples', () => {
    const conformance = findConformance();
    if (!conformance) {
      console.log('inspect.test: shared/conformance not found; skipping the official samples');
      it.skip('summarises the official samples (skipped)', () => undefined);
      return;
    }

    it('summarises the AppRec 1.0 sample (ISO-8859-1)', async () => {
      const { code, out } = await inspect([path.join(conformance, 'samples/MetadataTests_Apprec10.xml'), '--json']);
      expect(code).toBe(0);
      const s = JSON.parse(out);
      expect(s.type).toBe('APPREC');
      expect(s.sender).toEqual({ herId: '90998', name: 'Ortopedisk kirurgi' });
      expect(s.appRec.status.code).toBe('1');
      expect(s.appRec.originalMsgId.msgType).toBe('DIALOG_HELSEFAGLIG');
    });

    it('summarises the Dialogmelding MsgHead sample', async () => {
      const { code, out } = await inspect([path.join(conformance, 'samples/Dialogtjeneste12_Kommunikasjonstest_Request.xml'), '--json']);
      expect(code).toBe(0);
      const s = JSON.parse(out);
      expect(s.type).toBe('DIALOG_INNBYGGER_TEST');
      expect(s.sender).toEqual({ herId: '987654', name: 'Nanset legekontor' });
      expect(s.receiver).toEqual({ herId: '93246', name: 'Digitale innbyggertjenester, DD.QA' });
      expect(s.patient).toBeNull();
      expect(s.documents[0]).toMatchObject({ msgType: 'XML', contentElement: 'Dialogmelding' });
    });
  });
});
