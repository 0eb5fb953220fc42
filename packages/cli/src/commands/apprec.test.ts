import path from 'node:path';
import { buildMessage, herIdent, parseMessage, personIdent } from '@samhandling/plo';
import type { Pasientlogistikk } from '@samhandling/plo';
import { parseAppRec, receiptFor } from '@samhandling/apprec';
import { runCli } from '../run';
import { captureIO } from '../../test/capture-io';
import { fixtures } from '../../test/conformance';

async function apprec(args: string[], files: Record<string, string> = {}) {
  const io = captureIO({ cwd: fixtures, files: Object.fromEntries(Object.entries(files).map(([name, text]) => [path.join(fixtures, name), text])) });
  const code = await runCli(['apprec', ...args], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

/** A sent LOG_UTSKRIVNINGSKLAR (synthetic HER-ids, NHN's public test person) and the AppRec its receiver returns. */
function sentAndReceipt(status: 'ok' | 'rejected' = 'rejected') {
  const sent = buildMessage<Pasientlogistikk>({
    type: 'LOG_UTSKRIVNINGSKLAR',
    msgId: 'c0ffee00-0000-4000-8000-000000000001',
    genDate: '2024-03-02T09:00:00Z',
    sender: { name: 'Testsykehuset HF', idents: [herIdent(111111)], organisation: { name: 'Somatikk plo meldingsmottak', idents: [herIdent(222222)] } },
    receiver: { name: 'Testkommune', idents: [herIdent(333333)], organisation: { name: 'Sykepleietjeneste', idents: [herIdent(444444)] } },
    patient: { familyName: 'Testperson', givenName: 'Test', idents: [personIdent('13116900216')] },
    content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-02T08:55:00Z' } },
  });
  const errors = status === 'ok' ? [] : [{ code: 'E35' as const, text: 'Ukjent pasient' }];
  const { xml } = receiptFor(parseMessage(sent), { status, errors, clock: () => new Date('2024-03-02T09:01:00Z') });
  return { sent, receipt: xml };
}

describe('samhandling apprec RECEIVED.xml', () => {
  it('prints an OK AppRec 1.1 addressed back to the sender, from the deepest HER-id of the receiver', async () => {
    const { code, out, err } = await apprec(['log-innlagt.xml']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const a = parseAppRec(out);
    expect(a.version).toBe('1.1');
    expect(a.status.v).toBe('1');
    expect(a.originalMsgId).toEqual({ msgType: { v: 'LOG_INNLAGT', dn: 'Melding om innlagt pasient' }, issueDate: '2024-03-01T10:15:00', id: '6f1c2d3e-0000-4000-8000-000000000001' });
    expect(a.sender.hcp.inst?.id).toBe('333333');
    expect(a.sender.hcp.inst?.depts?.[0]?.id).toBe('444444');
    expect(a.receiver.hcp.inst?.depts?.[0]?.id).toBe('222222');
  });

  it('rejects with errors and free text; the status defaults to rejected when errors are given', async () => {
    const { code, out } = await apprec(['log-innlagt.xml', '--error', 'E35:Ukjent pasient: sjekk fnr', '--error', 'T02', '--version', '1.0']);
    expect(code).toBe(0);
    const a = parseAppRec(out);
    expect(a.version).toBe('1.0');
    expect(a.status).toEqual({ v: '2', dn: 'Avvist' });
    expect(a.errors.map((e) => [e.v, e.ot])).toEqual([
      ['E35', 'Ukjent pasient: sjekk fnr'],
      ['T02', undefined],
    ]);
  });

  it('partial with an error', async () => {
    const { code, out } = await apprec(['log-innlagt.xml', '--status', 'partial', '--error', 'T99:vedlegg']);
    expect(code).toBe(0);
    expect(parseAppRec(out).status.v).toBe('3');
  });

  it('exit 1 with the reason when no receipt may be built', async () => {
    const forAppRec = await apprec(['apprec-rejected.xml']);
    expect(forAppRec.code).toBe(1);
    expect(forAppRec.err).toContain('ERR_APPREC_FOR_APPREC');
    const rejectedWithout = await apprec(['log-innlagt.xml', '--status', 'rejected']);
    expect(rejectedWithout.code).toBe(1);
    expect(rejectedWithout.err).toContain('ERR_APPREC_REJECTED_WITHOUT_ERRORS');
    const { sent } = sentAndReceipt();
    const noMsgId = await apprec(['x.xml'], { 'x.xml': sent.replace(/<MsgId>[^<]*<\/MsgId>/, '<MsgId> </MsgId>') });
    expect(noMsgId.code).toBe(1);
    expect(noMsgId.err).toContain('ERR_APPREC_MISSING_MSGID');
    const notMsgHead = await apprec(['x.xml'], { 'x.xml': '<Other/>' });
    expect(notMsgHead.code).toBe(1);
    expect(notMsgHead.err).toContain('not a MsgHead');
  });

  it('exit 2 for usage errors and unreadable input', async () => {
    expect((await apprec([])).code).toBe(2);
    expect((await apprec(['log-innlagt.xml', '--status', 'fine'])).code).toBe(2);
    expect((await apprec(['log-innlagt.xml', '--error', 'E99'])).code).toBe(2);
    expect((await apprec(['log-innlagt.xml', '--version', '1.2'])).code).toBe(2);
    expect((await apprec(['log-innlagt.xml', '--original', 'a.xml'])).code).toBe(2);
    expect((await apprec(['missing.xml'])).code).toBe(2);
    expect((await apprec(['x.xml'], { 'x.xml': '<MsgHead' })).code).toBe(2);
  });
});

describe('samhandling apprec --check', () => {
  it('exit 0 when the receipt correlates, printing status and errors', async () => {
    const { sent, receipt } = sentAndReceipt();
    const { code, out } = await apprec(['--check', 'r.xml', '--original', 's.xml'], { 'r.xml': receipt, 's.xml': sent });
    expect(code).toBe(0);
    expect(out).toMatch(/^correlates: yes$/m);
    expect(out).toMatch(/^status: +2 Avvist$/m);
    expect(out).toMatch(/^error: +E35 Pasienten finnes ikke i mottakersystemet: Ukjent pasient$/m);
  });

  it('--json prints the result', async () => {
    const { sent, receipt } = sentAndReceipt('ok');
    const { code, out } = await apprec(['--check', 'r.xml', '--original', 's.xml', '--json'], { 'r.xml': receipt, 's.xml': sent });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      correlates: true,
      problems: [],
      version: '1.1',
      status: { code: '1', name: 'OK' },
      errors: [],
      originalMsgId: { msgType: 'LOG_UTSKRIVNINGSKLAR', issueDate: '2024-03-02T09:00:00Z', id: 'c0ffee00-0000-4000-8000-000000000001' },
    });
  });

  it('exit 1 when it does not correlate: another MsgId, or from a party that was not the receiver', async () => {
    const { sent, receipt } = sentAndReceipt();
    const otherId = await apprec(['--check', 'r.xml', '--original', 's.xml', '--json'], { 'r.xml': receipt.replace('c0ffee00-0000-4000-8000-000000000001', 'c0ffee00-0000-4000-8000-000000000002'), 's.xml': sent });
    expect(otherId.code).toBe(1);
    expect(JSON.parse(otherId.out).problems.map((p: { field: string }) => p.field)).toEqual(['id']);
    const spoofed = await apprec(['--check', 'r.xml', '--original', 's.xml'], { 'r.xml': receipt.replace('<Id>444444</Id>', '<Id>555555</Id>'), 's.xml': sent });
    expect(spoofed.code).toBe(1);
    expect(spoofed.out).toMatch(/^correlates: no$/m);
    expect(spoofed.out).toContain('HER-id 555555');
  });

  it('exit 1 when the file is not an AppRec; 2 for usage errors and unreadable files', async () => {
    const { sent } = sentAndReceipt();
    expect((await apprec(['--check', 's.xml', '--original', 's.xml'], { 's.xml': sent })).code).toBe(1);
    expect((await apprec(['--check', 'r.xml'], {})).code).toBe(2);
    expect((await apprec(['--check', 'r.xml', '--original', 's.xml', '--status', 'ok'])).code).toBe(2);
    expect((await apprec(['--check', 'nope.xml', '--original', 's.xml'], { 's.xml': sent })).code).toBe(2);
  });
});
