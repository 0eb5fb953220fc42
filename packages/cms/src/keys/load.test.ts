import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CertError, loadPkcs12, loadPrivateKey, parseCertificate, parseCertificates } from '../index';

let dir: string;
const file = (name: string): string => path.join(dir, name);
const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cms-keys-'));
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'k8.pem');
  openssl('rsa', '-in', 'k8.pem', '-traditional', '-out', 'k1.pem');
  openssl('pkey', '-in', 'k8.pem', '-outform', 'DER', '-out', 'k8.der');
  openssl('rsa', '-in', 'k8.pem', '-traditional', '-outform', 'DER', '-out', 'k1.der');
  openssl('pkcs8', '-topk8', '-in', 'k8.pem', '-passout', 'pass:hemmelig', '-out', 'k8enc.pem');
  openssl('pkcs8', '-topk8', '-in', 'k8.pem', '-passout', 'pass:hemmelig', '-outform', 'DER', '-out', 'k8enc.der');
  openssl('req', '-x509', '-key', 'k8.pem', '-out', 'c.pem', '-days', '10', '-subj', '/C=NO/O=Kommune Test/serialNumber=974600951/CN=Kommune Test');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k2.pem', '-out', 'c2.pem', '-days', '10', '-subj', '/C=NO/O=Other/organizationIdentifier=NTRNO-983974899/CN=Other');
  openssl('x509', '-in', 'c.pem', '-outform', 'DER', '-out', 'c.der');
  writeFileSync(file('pw.txt'), 'p12-pass\n');
  // Default OpenSSL 3 export: PBES2 (PBKDF2 + AES-256-CBC), SHA-256 MAC; chain bag holds c2.
  openssl('pkcs12', '-export', '-in', 'c.pem', '-inkey', 'k8.pem', '-certfile', 'c2.pem', '-out', 'pbes2.p12', '-passout', 'pass:p12-pass');
  // Legacy scheme: pbeWithSHAAnd3-KeyTripleDES-CBC for key and certificates, SHA-1 MAC.
  openssl('pkcs12', '-export', '-in', 'c.pem', '-inkey', 'k8.pem', '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-out', 'legacy.p12', '-passout', 'pass:p12-pass');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('parseCertificate', () => {
  test('reads PEM and DER to the same certificate with subject fields and the organisation number', () => {
    const fromPem = parseCertificate(readFileSync(file('c.pem'), 'utf8'));
    const fromDer = parseCertificate(readFileSync(file('c.der')));
    expect(fromDer.fingerprintSha256).toBe(fromPem.fingerprintSha256);
    expect(fromPem.subject).toBe('CN=Kommune Test,serialNumber=974600951,O=Kommune Test,C=NO');
    expect(fromPem.issuer).toBe(fromPem.subject);
    expect(fromPem.organisationNumber).toBe('974600951');
    expect(fromPem.publicKey.asymmetricKeyType).toBe('rsa');
    expect(fromPem.notAfter.getTime()).toBeGreaterThan(fromPem.notBefore.getTime());
    expect(fromPem.serialNumberHex).toMatch(/^[0-9a-f]+$/);
    const openSslFingerprint = execFileSync('openssl', ['x509', '-in', file('c.pem'), '-noout', '-fingerprint', '-sha256']).toString();
    expect(openSslFingerprint.split('=')[1]?.trim().replace(/:/g, '').toLowerCase()).toBe(fromPem.fingerprintSha256);
  });

  test('reads the organisation number from organizationIdentifier NTRNO-', () => {
    expect(parseCertificate(readFileSync(file('c2.pem'))).organisationNumber).toBe('983974899');
  });

  test('parseCertificates keeps bundle order', () => {
    const bundle = readFileSync(file('c.pem'), 'utf8') + readFileSync(file('c2.pem'), 'utf8');
    expect(parseCertificates(bundle).map((c) => c.organisationNumber)).toEqual(['974600951', '983974899']);
  });

  test.each([
    ['empty', (): Uint8Array | string => new Uint8Array(0)],
    ['random bytes', (): Uint8Array | string => new Uint8Array([0x30, 0x82, 0xff, 0xff, 1, 2, 3])],
    ['trailing garbage', (): Uint8Array | string => new Uint8Array([...readFileSync(file('c.der')), 0])],
    ['PEM without certificate', (): Uint8Array | string => '-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n'],
    ['plain text', (): Uint8Array | string => 'hello'],
  ])('rejects %s with ERR_CERT_MALFORMED', (_name, input) => {
    expect(() => parseCertificate(input())).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
  });

  test('rejects a truncated certificate', () => {
    const der = readFileSync(file('c.der'));
    for (const len of [1, 10, 100, der.length - 1]) {
      expect(() => parseCertificate(der.subarray(0, len))).toThrow(CertError);
    }
  });
});

describe('loadPrivateKey', () => {
  test.each(['k8.pem', 'k1.pem', 'k8.der', 'k1.der'])('loads %s', (name) => {
    const key = loadPrivateKey(readFileSync(file(name)));
    expect(key.modulusBits).toBe(2048);
    expect(key.keyObject.type).toBe('private');
  });

  test('loads PEM given as a string', () => {
    expect(loadPrivateKey(readFileSync(file('k1.pem'), 'utf8')).modulusBits).toBe(2048);
  });

  test.each(['k8enc.pem', 'k8enc.der'])('loads encrypted %s with the passphrase, refuses without or with a wrong one', (name) => {
    const bytes = readFileSync(file(name));
    expect(loadPrivateKey(bytes, { passphrase: 'hemmelig' }).modulusBits).toBe(2048);
    expect(() => loadPrivateKey(bytes)).toThrow(expect.objectContaining({ code: 'ERR_KEY_PASSWORD' }));
    expect(() => loadPrivateKey(bytes, { passphrase: 'feil' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_PASSWORD' }));
  });

  test('rejects a certificate and junk as ERR_KEY_MALFORMED', () => {
    expect(() => loadPrivateKey(readFileSync(file('c.pem')))).toThrow(expect.objectContaining({ code: 'ERR_KEY_MALFORMED' }));
    expect(() => loadPrivateKey(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'ERR_KEY_MALFORMED' }));
  });
});

describe('loadPkcs12', () => {
  const cert = (): string => parseCertificate(readFileSync(file('c.pem'))).fingerprintSha256;

  test('PBES2/AES file with the password from an environment variable', () => {
    process.env['SAMHANDLING_TEST_P12'] = 'p12-pass';
    try {
      const p12 = loadPkcs12(readFileSync(file('pbes2.p12')), { env: 'SAMHANDLING_TEST_P12' });
      expect(p12.certificate.fingerprintSha256).toBe(cert());
      expect(p12.key.modulusBits).toBe(2048);
      expect(p12.chain.map((c) => c.organisationNumber)).toEqual(['983974899']);
    } finally {
      delete process.env['SAMHANDLING_TEST_P12'];
    }
  });

  test('legacy 3DES file with the password from a file', () => {
    const p12 = loadPkcs12(readFileSync(file('legacy.p12')), { file: file('pw.txt') });
    expect(p12.certificate.fingerprintSha256).toBe(cert());
    expect(p12.chain).toHaveLength(0);
  });

  test('the loaded key signs what the certificate verifies', async () => {
    const { sign, verify } = await import('node:crypto');
    const p12 = loadPkcs12(readFileSync(file('pbes2.p12')), { value: 'p12-pass' });
    const sig = sign('sha256', Buffer.from('x'), p12.key.keyObject);
    expect(verify('sha256', Buffer.from('x'), p12.certificate.publicKey, sig)).toBe(true);
  });

  test.each(['pbes2.p12', 'legacy.p12'])('%s: wrong password is ERR_KEY_PASSWORD', (name) => {
    expect(() => loadPkcs12(readFileSync(file(name)), { value: 'wrong' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_PASSWORD' }));
  });

  test('missing environment variable is ERR_KEY_PASSWORD', () => {
    expect(() => loadPkcs12(readFileSync(file('pbes2.p12')), { env: 'SAMHANDLING_NO_SUCH_VARIABLE' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_PASSWORD' }),
    );
  });

  test('damaged file is rejected with a typed error', () => {
    const bytes = new Uint8Array(readFileSync(file('pbes2.p12')));
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] as number) ^ 0xff;
    expect(() => loadPkcs12(bytes, { value: 'p12-pass' })).toThrow(CertError);
    expect(() => loadPkcs12(bytes.subarray(0, 200), { value: 'p12-pass' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_MALFORMED' }));
  });
});
