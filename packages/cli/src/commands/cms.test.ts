import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki } from '@samhandling/cms';
import type { TestPki } from '@samhandling/cms';
import { runCli } from '../run';
import { captureIO } from '../../test/capture-io';

let pki: TestPki;
let dir: string;
const f = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  pki = await createTestPki({
    parties: [
      { name: 'Skien kommune', herId: 1001, orgNumber: '964963738' },
      { name: 'Sykehuset Telemark', herId: 2002, orgNumber: '983975267' },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'samhandling-cli-cms-'));
  const [a, b] = pki.parties;
  const files: Record<string, string> = {
    'a-sign.pem': a!.signing.certificatePem,
    'a-sign.key.pem': a!.signing.keyPem,
    'a-enc.pem': a!.encryption.certificatePem,
    'a-enc.key.pem': a!.encryption.keyPem,
    'b-enc.pem': b!.encryption.certificatePem,
    'b-enc.key.pem': b!.encryption.keyPem,
    'b-sign.pem': b!.signing.certificatePem,
    'revoked.pem': pki.bad.revoked.certificatePem,
    'revoked.key.pem': pki.bad.revoked.keyPem,
    'root.pem': pki.root.certificatePem,
    'intermediate.pem': pki.intermediate.certificatePem,
    'ca.crl.pem': pki.crl.pem,
    'root.crl.pem': pki.rootCrl.pem,
    'msg.xml': '<MsgHead>hei</MsgHead>',
    'bad-key.pem': 'not a key',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(f(name), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const protectArgs = (out: string, signer = 'a-sign'): string[] =>
  ['cms', 'protect', '--in', 'msg.xml', '--out', out, '--sign-cert', `${signer}.pem`, '--sign-key', `${signer}.key.pem`, '--recipient-cert', 'b-enc.pem'];
const unprotectArgs = (input: string, out: string): string[] =>
  ['cms', 'unprotect', '--in', input, '--out', out, '--key', 'a-enc.key.pem', '--cert', 'a-enc.pem', '--key', 'b-enc.key.pem', '--cert', 'b-enc.pem', '--ca', 'root.pem', '--ca', 'intermediate.pem', '--crl', 'ca.crl.pem', '--crl', 'root.crl.pem'];

describe('samhandling cms', () => {
  it('protect then unprotect round-trips (exit 0), with rollover keys and a CRL', async () => {
    const io = captureIO({ cwd: dir });
    expect(await runCli(protectArgs('msg.p7m'), io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^protected 22 bytes → msg\.p7m/);
    const out = captureIO({ cwd: dir });
    expect(await runCli([...unprotectArgs('msg.p7m', 'msg.out.xml'), '--signer-cert', 'a-sign.pem', '--json'], out)).toBe(0);
    expect(readFileSync(f('msg.out.xml'), 'utf8')).toBe('<MsgHead>hei</MsgHead>');
    const json = JSON.parse(out.stdoutText());
    expect(json).toMatchObject({ ok: true, bytes: 22, revocationChecked: true, signer: { organisationNumber: '964963738' }, algorithms: { keyTransport: 'rsa-pkcs1', contentEncryption: 'aes-256-cbc' } });
  });

  it('--key-transport rsa-oaep-sha256 is honoured', async () => {
    expect(await runCli([...protectArgs('oaep.p7m'), '--key-transport', 'rsa-oaep-sha256'], captureIO({ cwd: dir }))).toBe(0);
    const out = captureIO({ cwd: dir });
    expect(await runCli([...unprotectArgs('oaep.p7m', 'oaep.out'), '--json'], out)).toBe(0);
    expect(JSON.parse(out.stdoutText()).algorithms.keyTransport).toBe('rsa-oaep-sha256-mgf1-sha256');
  });

  it('exits 1 with the error and AppRec codes for a rejected message', async () => {
    expect(await runCli(protectArgs('revoked.p7m', 'revoked'), captureIO({ cwd: dir }))).toBe(0);
    const io = captureIO({ cwd: dir });
    expect(await runCli(unprotectArgs('revoked.p7m', 'x.out'), io)).toBe(1);
    expect(io.stdoutText()).toBe('rejected: ERR_CERT_REVOKED (AppRec S03): Certificate has been revoked\n');
    const mismatch = captureIO({ cwd: dir });
    expect(await runCli([...unprotectArgs('msg.p7m', 'y.out'), '--signer-cert', 'b-sign.pem', '--json'], mismatch)).toBe(1);
    expect(JSON.parse(mismatch.stdoutText())).toMatchObject({ ok: false, code: 'ERR_CMS_SIGNER_MISMATCH', appRecCode: 'S99' });
    writeFileSync(f('garbage.p7m'), 'garbage');
    const garbage = captureIO({ cwd: dir });
    expect(await runCli(unprotectArgs('garbage.p7m', 'z.out'), garbage)).toBe(1);
    expect(garbage.stdoutText()).toContain('ERR_CMS_MALFORMED (AppRec T01)');
  });

  it('exits 2 for usage errors and unreadable input', async () => {
    const cases: string[][] = [
      ['cms'],
      ['cms', 'nope'],
      ['cms', 'protect', '--in', 'msg.xml'],
      [...protectArgs('p.p7m'), '--key-transport', 'rsa-oaep-sha1'],
      ['cms', 'unprotect', '--in', 'msg.p7m', '--out', 'o', '--key', 'b-enc.key.pem', '--ca', 'root.pem'],
      ['cms', 'unprotect', '--in', 'msg.p7m', '--out', 'o', '--key', 'b-enc.key.pem', '--cert', 'b-enc.pem'],
      [...unprotectArgs('missing.p7m', 'o')],
      ['cms', 'protect', '--in', 'msg.xml', '--out', 'p.p7m', '--sign-cert', 'a-sign.pem', '--sign-key', 'bad-key.pem', '--recipient-cert', 'b-enc.pem'],
      ['cms', 'protect', '--in', 'msg.xml', '--out', 'p.p7m', '--sign-cert', 'msg.xml', '--sign-key', 'a-sign.key.pem', '--recipient-cert', 'b-enc.pem'],
    ];
    for (const argv of cases) {
      const io = captureIO({ cwd: dir });
      expect([argv.join(' '), await runCli(argv, io)]).toEqual([argv.join(' '), 2]);
    }
  });

  it('prints help', async () => {
    const io = captureIO({ cwd: dir });
    expect(await runCli(['cms', '--help'], io)).toBe(0);
    expect(io.stdoutText()).toContain('samhandling cms unprotect');
  });
});
