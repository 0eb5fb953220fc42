import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CrlCache, createTestPki, httpCrlSource, parseCertificate, validateCertificate, type TestPki } from '../index';

describe('httpCrlSource against a local HTTP server', () => {
  let server: Server;
  let pki: TestPki;
  let mode: 'ok' | 'missing' | 'hang' | 'big' = 'ok';
  let requests = 0;
  const now = new Date();

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (mode === 'hang') return; // never answers
      if (mode === 'missing') {
        res.writeHead(404).end();
        return;
      }
      if (mode === 'big') {
        res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.alloc(4096));
        return;
      }
      const body = req.url === '/enterprise-ca.crl' ? pki.crl.crl.der : req.url === '/root.crl' ? pki.rootCrl.crl.der : undefined;
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    pki = await createTestPki({ parties: [{ name: 'Skien kommune', herId: '12345', orgNumber: '938583986' }], clock: () => now, crlBaseUrl: `http://127.0.0.1:${String(port)}/` });
  }, 120_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const validate = (cert = pki.parties[0]!.signing.certificate, source = httpCrlSource({ timeoutMs: 500, maxBytes: 2048 })) =>
    validateCertificate(cert, {
      purpose: 'sign',
      trustAnchors: [pki.root.certificate],
      intermediates: [pki.intermediate.certificate],
      clock: () => now,
      revocation: new CrlCache({ source, clock: () => now }),
    });

  test('fetches CRLs from the distribution points and finds a revoked certificate', async () => {
    mode = 'ok';
    const before = requests;
    await expect(validate()).resolves.toMatchObject({ revocationChecked: true });
    expect(requests - before).toBe(2);
    await expect(validate(pki.bad.revoked.certificate)).rejects.toMatchObject({ code: 'ERR_CERT_REVOKED' });
  });

  test.each(['missing', 'hang', 'big'] as const)('%s: revocation unavailable and retryable', async (m) => {
    mode = m;
    await expect(validate()).rejects.toMatchObject({ code: 'ERR_CERT_REVOCATION_UNAVAILABLE', retryable: true });
  });

  test('nothing listening: unavailable', async () => {
    const source = httpCrlSource({ timeoutMs: 500 });
    await expect(source.fetchCrl(pki.intermediate.certificate, ['http://127.0.0.1:1/x.crl'])).rejects.toThrow();
    await expect(source.fetchCrl(pki.intermediate.certificate, ['ldap://example/x'])).rejects.toThrow();
  });
});

describe('certificate signature algorithms', () => {
  let dir: string;
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const load = (name: string) => parseCertificate(readFileSync(path.join(dir, name)));

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cms-sigalg-'));
    const ext = path.join(dir, 'ext.cnf');
    writeFileSync(
      ext,
      '[leaf]\nbasicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n',
    );
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '5', '-subj', '/C=NO/CN=Alg CA', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/C=NO/serialNumber=938583986/CN=Leaf');
    const sign = (out: string, ...extra: string[]): void =>
      openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '5', '-extfile', ext, '-extensions', 'leaf', '-out', out, ...extra);
    sign('pss.pem', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32');
    sign('sha512.pem', '-sha512');
    sign('sha1.pem', '-sha1');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (name: string, allowSha1 = false) =>
    validateCertificate(load(name), { purpose: 'sign', trustAnchors: [load('ca.pem')], clock: () => new Date(), policy: { allowSha1 } });

  test('RSA-PSS and SHA-512 signatures verify', async () => {
    await expect(check('pss.pem')).resolves.toMatchObject({ chain: [expect.anything(), expect.anything()] });
    await expect(check('sha512.pem')).resolves.toBeDefined();
  });

  test('SHA-1 only under the legacy flag', async () => {
    await expect(check('sha1.pem')).rejects.toMatchObject({ code: 'ERR_CERT_ALGORITHM_UNSUPPORTED' });
    await expect(check('sha1.pem', true)).resolves.toBeDefined();
  });
});
