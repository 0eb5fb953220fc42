import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../run';
import { captureIO } from '../../test/capture-io';
import { parsePartySpec } from './pki';

let dir: string;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO({ cwd: dir });
  const code = await runCli(args, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cli-pki-'));
  const res = await run(['pki', 'init', 'pki', '--party', 'Porsgrunn kommune:8142987:939783035', '--party', 'Sykehuset Telemark HF:84220:983975267']);
  expect(res.code).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (cert: string, ...extra: string[]): string[] => [
  'cert',
  'check',
  '--cert',
  `pki/${cert}`,
  '--ca',
  'pki/root-ca.pem',
  '--intermediate',
  'pki/enterprise-ca.pem',
  '--crl',
  'pki/enterprise-ca.crl.pem',
  '--crl',
  'pki/root.crl.pem',
  ...extra,
];

describe('samhandling pki init', () => {
  test('writes certificates, keys, CRLs and index.json', () => {
    const index = JSON.parse(readFileSync(path.join(dir, 'pki/index.json'), 'utf8')) as { entries: { role: string; certificate: string; key: string }[]; crls: string[] };
    const roles = index.entries.map((e) => e.role);
    expect(roles).toEqual(
      expect.arrayContaining([
        'root',
        'intermediate',
        'party/porsgrunn-kommune/signing',
        'party/porsgrunn-kommune/encryption',
        'party/sykehuset-telemark-hf/signing',
        'bad/expired',
        'bad/not-yet-valid',
        'bad/revoked',
        'bad/wrong-key-usage',
        'bad/untrusted',
        'bad/under-intermediate-without-keycertsign',
      ]),
    );
    for (const e of index.entries) {
      expect(existsSync(path.join(dir, 'pki', e.certificate))).toBe(true);
      expect(readFileSync(path.join(dir, 'pki', e.key), 'utf8')).toContain('BEGIN PRIVATE KEY');
    }
    for (const c of index.crls) expect(readFileSync(path.join(dir, 'pki', c), 'utf8')).toContain('BEGIN X509 CRL');
  });

  test('refuses to overwrite without --force, and bad party specs are usage errors', async () => {
    expect((await run(['pki', 'init', 'pki', '--party', 'A:1:939783035'])).code).toBe(2);
    expect((await run(['pki', 'init', 'other'])).code).toBe(2);
    expect((await run(['pki', 'init', 'other', '--party', 'A:x:939783035'])).code).toBe(2);
    expect((await run(['pki', 'init', 'other', '--party', 'A:1:12345'])).code).toBe(2);
  });

  test('party names may contain colons', () => {
    expect(parsePartySpec('Avd: Helse:123:939783035')).toEqual({ name: 'Avd: Helse', herId: '123', orgNumber: '939783035' });
  });
});

describe('samhandling cert check', () => {
  test('a valid signing certificate exits 0', async () => {
    const res = await run(check('porsgrunn-kommune-signing.pem', '--purpose', 'sign'));
    expect(res.code).toBe(0);
    expect(res.out).toContain('valid for sign: CN=Porsgrunn kommune');
    expect(res.out).toContain('revocation checked');
  });

  test('JSON for a valid encryption certificate, with the root/intermediate bundle as --ca', async () => {
    const res = await run(['cert', 'check', '--cert', 'pki/sykehuset-telemark-hf-encryption.pem', '--ca', 'pki/ca-bundle.pem', '--purpose', 'encrypt', '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.out) as { valid: boolean; chain: string[]; organisationNumber: string };
    expect(out.valid).toBe(true);
    expect(out.chain).toHaveLength(3);
    expect(out.organisationNumber).toBe('983975267');
  });

  test.each([
    ['bad-revoked.pem', 'sign', 'ERR_CERT_REVOKED', 'S03'],
    ['bad-expired.pem', 'sign', 'ERR_CERT_EXPIRED', 'S02'],
    ['bad-not-yet-valid.pem', 'sign', 'ERR_CERT_NOT_YET_VALID', 'S02'],
    ['bad-wrong-key-usage.pem', 'sign', 'ERR_CERT_KEY_USAGE', 'S02'],
    ['porsgrunn-kommune-signing.pem', 'encrypt', 'ERR_CERT_KEY_USAGE', 'S02'],
    ['bad-untrusted.pem', 'sign', 'ERR_CERT_UNTRUSTED', 'S02'],
    ['bad-under-ca-without-keycertsign.pem', 'sign', 'ERR_CERT_CHAIN_INVALID', 'S02'],
  ])('%s for %s: exit 1 with %s / %s', async (file, purpose, code, appRec) => {
    const extra = file === 'bad-under-ca-without-keycertsign.pem' ? ['--intermediate', 'pki/bad-ca-without-keycertsign.pem'] : [];
    const text = await run([...check(file, '--purpose', purpose), ...extra]);
    expect(text.code).toBe(1);
    expect(text.out).toContain(`${code} (AppRec ${appRec})`);
    const res = await run([...check(file, '--purpose', purpose, '--json'), ...extra]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.out)).toMatchObject({ valid: false, code, appRecCode: appRec });
  });

  test('--at after the CRL nextUpdate: revocation unavailable (retryable); --soft-fail accepts', async () => {
    const at = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString();
    const res = await run(check('porsgrunn-kommune-signing.pem', '--purpose', 'sign', '--at', at, '--json'));
    expect(res.code).toBe(1);
    expect(JSON.parse(res.out)).toMatchObject({ code: 'ERR_CERT_REVOCATION_UNAVAILABLE', retryable: true, appRecCode: 'S99' });
    const soft = await run(check('porsgrunn-kommune-signing.pem', '--purpose', 'sign', '--at', at, '--soft-fail'));
    expect(soft.code).toBe(0);
    expect(soft.out).toContain('warning: ERR_CERT_REVOCATION_UNAVAILABLE');
  });

  test('usage errors and unreadable input exit 2', async () => {
    expect((await run(['cert', 'check', '--cert', 'pki/root-ca.pem', '--ca', 'pki/root-ca.pem'])).code).toBe(2); // no --purpose
    expect((await run(['cert', 'check', '--ca', 'pki/root-ca.pem', '--purpose', 'sign'])).code).toBe(2);
    expect((await run(['cert', 'check', '--cert', 'pki/root-ca.pem', '--purpose', 'sign'])).code).toBe(2);
    expect((await run(check('porsgrunn-kommune-signing.pem', '--purpose', 'sign', '--at', 'yesterday'))).code).toBe(2);
    expect((await run(check('missing.pem', '--purpose', 'sign'))).code).toBe(2);
    writeFileSync(path.join(dir, 'junk.pem'), 'not a certificate');
    const junk = await run(['cert', 'check', '--cert', 'junk.pem', '--ca', 'pki/root-ca.pem', '--purpose', 'sign']);
    expect(junk.code).toBe(2);
    expect(junk.err).toContain('cannot read certificate junk.pem');
    expect((await run(['cert', 'check', '--cert', 'pki/porsgrunn-kommune-signing.pem', '--ca', 'pki/root-ca.pem', '--crl', 'junk.pem', '--purpose', 'sign'])).code).toBe(2);
  });
});
