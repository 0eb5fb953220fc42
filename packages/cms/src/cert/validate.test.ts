import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CERT_ERROR_CODES,
  CertError,
  CrlCache,
  certErrorAppRecCode,
  createTestPki,
  matchesExpectedSigner,
  parseCertificate,
  staticCrlSource,
  validateCertificate,
  writeTestPki,
  type Certificate,
  type CertErrorCode,
  type RevocationSource,
  type TestPki,
  type ValidateCertificateOptions,
} from '../index';

let pki: TestPki;
let now: Date;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  now = new Date();
  pki = await createTestPki({
    parties: [
      { name: 'Porsgrunn kommune', herId: '8142987', orgNumber: '939783035' },
      { name: 'Sykehuset Telemark HF', herId: '84220', orgNumber: '983975267' },
    ],
    clock: () => now,
  });
}, 120_000);

function checker(clock: () => Date = () => now, source?: RevocationSource): CrlCache {
  return new CrlCache({ source: source ?? staticCrlSource([pki.crl.pem, pki.rootCrl.pem]), clock });
}

function opts(overrides: Partial<ValidateCertificateOptions> = {}): ValidateCertificateOptions {
  return {
    purpose: 'sign',
    trustAnchors: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    clock: () => now,
    revocation: checker(),
    ...overrides,
  };
}

async function codeOf(cert: Certificate, o: ValidateCertificateOptions): Promise<CertErrorCode | 'valid'> {
  try {
    await validateCertificate(cert, o);
    return 'valid';
  } catch (e) {
    if (e instanceof CertError) return e.code;
    throw e;
  }
}

describe('valid certificates', () => {
  test('a signing certificate chains leaf → intermediate → root with revocation checked', async () => {
    const party = pki.parties[0]!;
    const res = await validateCertificate(party.signing.certificate, opts());
    expect(res.chain.map((c) => c.subject)).toEqual([party.signing.certificate.subject, pki.intermediate.certificate.subject, pki.root.certificate.subject]);
    expect(res.revocationChecked).toBe(true);
    expect(res.softFailures).toEqual([]);
  });

  test('an encryption certificate is valid for encrypt', async () => {
    expect(await codeOf(pki.parties[1]!.encryption.certificate, opts({ purpose: 'encrypt' }))).toBe('valid');
  });

  test('enterprise subjects carry C=NO, O, OU with the HER-id, serialNumber and CN', () => {
    const c = pki.parties[1]!.signing.certificate;
    expect(c.subject).toBe('CN=Sykehuset Telemark HF,serialNumber=983975267,OU=HER-id 84220,O=Sykehuset Telemark HF,C=NO');
    expect(c.organisationNumber).toBe('983975267');
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(pki.parties[1]!.encryption.certificate.keyUsage).toEqual(['keyEncipherment', 'dataEncipherment']);
    expect(pki.intermediate.certificate.isCA).toBe(true);
    expect(c.isCA).toBe(false);
  });

  test('intermediates in any order, with unrelated certificates among them', async () => {
    const pool = [pki.bad.untrustedRoot.certificate, pki.parties[1]!.signing.certificate, pki.intermediate.certificate, pki.bad.intermediateWithoutKeyCertSign.certificate];
    for (let shift = 0; shift < pool.length; shift++) {
      const shuffled = [...pool.slice(shift), ...pool.slice(0, shift)];
      expect(await codeOf(pki.parties[0]!.signing.certificate, opts({ intermediates: shuffled }))).toBe('valid');
      expect(await codeOf(pki.parties[0]!.signing.certificate, opts({ intermediates: shuffled.reverse() }))).toBe('valid');
    }
  });

  test('validity is checked at every given time (message time and now)', async () => {
    const leaf = pki.parties[0]!.signing.certificate;
    expect(await codeOf(leaf, opts({ at: [new Date(now.getTime() - 2 * DAY), now] }))).toBe('ERR_CERT_NOT_YET_VALID');
    expect(await codeOf(leaf, opts({ at: [now, new Date(now.getTime() + 800 * DAY)] }))).toBe('ERR_CERT_EXPIRED');
    expect(await codeOf(leaf, opts({ at: [new Date(now.getTime() - DAY / 2), now] }))).toBe('valid');
  });
});

describe('rejections, each with its own code', () => {
  test.each<[string, (p: TestPki) => Certificate, 'sign' | 'encrypt', CertErrorCode]>([
    ['expired', (p) => p.bad.expired.certificate, 'sign', 'ERR_CERT_EXPIRED'],
    ['not yet valid', (p) => p.bad.notYetValid.certificate, 'sign', 'ERR_CERT_NOT_YET_VALID'],
    ['revoked', (p) => p.bad.revoked.certificate, 'sign', 'ERR_CERT_REVOKED'],
    ['wrong key usage for sign', (p) => p.bad.wrongKeyUsage.certificate, 'sign', 'ERR_CERT_KEY_USAGE'],
    ['wrong key usage for encrypt', (p) => p.bad.wrongKeyUsage.certificate, 'encrypt', 'ERR_CERT_KEY_USAGE'],
    ['signing certificate used to encrypt', (p) => p.parties[0]!.signing.certificate, 'encrypt', 'ERR_CERT_KEY_USAGE'],
    ['encryption certificate used to sign', (p) => p.parties[0]!.encryption.certificate, 'sign', 'ERR_CERT_KEY_USAGE'],
    ['untrusted root', (p) => p.bad.untrusted.certificate, 'sign', 'ERR_CERT_UNTRUSTED'],
  ])('%s', async (_name, pick, purpose, code) => {
    expect(await codeOf(pick(pki), opts({ purpose, intermediates: [pki.intermediate.certificate, pki.bad.untrustedRoot.certificate] }))).toBe(code);
  });

  test('intermediate without keyCertSign: ERR_CERT_CHAIN_INVALID', async () => {
    const o = opts({ intermediates: [pki.bad.intermediateWithoutKeyCertSign.certificate, pki.intermediate.certificate] });
    expect(await codeOf(pki.bad.underIntermediateWithoutKeyCertSign.certificate, o)).toBe('ERR_CERT_CHAIN_INVALID');
  });

  test('missing intermediate: ERR_CERT_UNTRUSTED', async () => {
    expect(await codeOf(pki.parties[0]!.signing.certificate, opts({ intermediates: [] }))).toBe('ERR_CERT_UNTRUSTED');
  });

  test('other anchor only: ERR_CERT_UNTRUSTED', async () => {
    expect(await codeOf(pki.parties[0]!.signing.certificate, opts({ trustAnchors: [pki.bad.untrustedRoot.certificate] }))).toBe('ERR_CERT_UNTRUSTED');
  });

  test('a tampered certificate signature: ERR_CERT_CHAIN_INVALID', async () => {
    const der = new Uint8Array(pki.parties[0]!.signing.certificate.der);
    der[der.length - 5] = (der[der.length - 5] as number) ^ 0x01;
    expect(await codeOf(parseCertificate(der), opts())).toBe('ERR_CERT_CHAIN_INVALID');
  });
});

describe('revocation', () => {
  test('without a checker nothing is checked unless required', async () => {
    expect(await codeOf(pki.bad.revoked.certificate, opts({ revocation: undefined }))).toBe('valid');
    expect(await codeOf(pki.bad.revoked.certificate, opts({ revocation: undefined, policy: { requireRevocationCheck: true } }))).toBe(
      'ERR_CERT_REVOCATION_UNAVAILABLE',
    );
  });

  test('a CRL past its nextUpdate is unavailable (retryable), and soft-fail accepts only by policy', async () => {
    const later = new Date(now.getTime() + 8 * DAY);
    const o = opts({ at: [now], revocation: checker(() => later) });
    await expect(validateCertificate(pki.parties[0]!.signing.certificate, o)).rejects.toMatchObject({ code: 'ERR_CERT_REVOCATION_UNAVAILABLE', retryable: true });
    const soft = await validateCertificate(pki.parties[0]!.signing.certificate, { ...o, policy: { revocationSoftFail: true } });
    expect(soft.revocationChecked).toBe(false);
    expect(soft.softFailures.map((e) => e.code)).toContain('ERR_CERT_REVOCATION_UNAVAILABLE');
  });

  test('a source that throws is unavailable and retryable, never a pass', async () => {
    const failing: RevocationSource = { fetchCrl: () => Promise.reject(new Error('connection refused')) };
    const err = await validateCertificate(pki.parties[0]!.signing.certificate, opts({ revocation: checker(undefined, failing) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertError);
    expect((err as CertError).code).toBe('ERR_CERT_REVOCATION_UNAVAILABLE');
    expect((err as CertError).retryable).toBe(true);
    expect(certErrorAppRecCode((err as CertError).code)).toBe('S99');
  });

  test('revoked is still revoked under soft-fail', async () => {
    expect(await codeOf(pki.bad.revoked.certificate, opts({ policy: { revocationSoftFail: true } }))).toBe('ERR_CERT_REVOKED');
  });

  test('a CRL with a broken signature or from another issuer is unavailable', async () => {
    const der = new Uint8Array(pki.crl.crl.der);
    der[der.length - 3] = (der[der.length - 3] as number) ^ 0x01;
    const tampered: RevocationSource = { fetchCrl: () => Promise.resolve(der) };
    expect(await codeOf(pki.parties[0]!.signing.certificate, opts({ revocation: checker(undefined, tampered) }))).toBe('ERR_CERT_REVOCATION_UNAVAILABLE');
    const wrongIssuer: RevocationSource = { fetchCrl: () => Promise.resolve(pki.rootCrl.crl.der) };
    expect(await codeOf(pki.bad.revoked.certificate, opts({ revocation: checker(undefined, wrongIssuer) }))).toBe('ERR_CERT_REVOCATION_UNAVAILABLE');
    expect(await codeOf(pki.parties[0]!.signing.certificate, opts({ revocation: checker(undefined, staticCrlSource([pki.rootCrl.pem])) }))).toBe(
      'ERR_CERT_REVOCATION_UNAVAILABLE',
    );
  });

  test('the cache reuses a current CRL and fetches again after nextUpdate', async () => {
    let fetches = 0;
    const inner = staticCrlSource([pki.crl.pem, pki.rootCrl.pem]);
    const counting: RevocationSource = {
      fetchCrl: (issuer, dps) => {
        fetches++;
        return inner.fetchCrl(issuer, dps);
      },
    };
    let t = now;
    const cache = new CrlCache({ source: counting, clock: () => t });
    const o = opts({ at: [now], revocation: cache });
    await validateCertificate(pki.parties[0]!.signing.certificate, o);
    await validateCertificate(pki.parties[1]!.signing.certificate, o);
    expect(fetches).toBe(2); // one per issuer (intermediate, root)
    t = new Date(now.getTime() + 8 * DAY);
    await expect(validateCertificate(pki.parties[0]!.signing.certificate, o)).rejects.toMatchObject({ code: 'ERR_CERT_REVOCATION_UNAVAILABLE' });
    expect(fetches).toBe(3);
  });
});

describe('expected signer', () => {
  test('matches by certificate and by organisation number', () => {
    const [a, b] = [pki.parties[0]!, pki.parties[1]!];
    expect(matchesExpectedSigner(a.signing.certificate, { certificate: a.signing.certificate })).toBe(true);
    expect(matchesExpectedSigner(a.signing.certificate, { certificate: b.signing.certificate })).toBe(false);
    expect(matchesExpectedSigner(a.signing.certificate, { organisationNumber: '939783035' })).toBe(true);
    expect(matchesExpectedSigner(a.signing.certificate, { organisationNumber: '983975267' })).toBe(false);
    expect(matchesExpectedSigner(pki.root.certificate, { organisationNumber: '939783035' })).toBe(false);
    expect(() => matchesExpectedSigner(a.signing.certificate, {})).toThrow(TypeError);
  });
});

describe('AppRec mapping', () => {
  test('every code maps to an S code; revoked is S03, invalid certificates S02', () => {
    for (const code of Object.keys(CERT_ERROR_CODES) as CertErrorCode[]) expect(['S01', 'S02', 'S03', 'S99']).toContain(certErrorAppRecCode(code));
    expect(certErrorAppRecCode('ERR_CERT_REVOKED')).toBe('S03');
    for (const c of ['ERR_CERT_EXPIRED', 'ERR_CERT_NOT_YET_VALID', 'ERR_CERT_UNTRUSTED', 'ERR_CERT_KEY_USAGE', 'ERR_CERT_CHAIN_INVALID'] as const) {
      expect(certErrorAppRecCode(c)).toBe('S02');
    }
  });
});

describe('agrees with openssl verify -crl_check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cms-pki-'));
    await writeTestPki(pki, dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const opensslAccepts = (file: string, all = false): boolean => {
    const args = ['verify', '-CAfile', 'root-ca.pem', '-untrusted', 'enterprise-ca.pem', '-CRLfile', 'enterprise-ca.crl.pem', '-CRLfile', 'root.crl.pem'];
    args.push(all ? '-crl_check_all' : '-crl_check', '-attime', String(Math.floor(now.getTime() / 1000)), file);
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  };

  test.each([
    ['porsgrunn-kommune-signing.pem', true],
    ['sykehuset-telemark-hf-encryption.pem', true],
    ['bad-revoked.pem', false],
    ['bad-expired.pem', false],
    ['bad-not-yet-valid.pem', false],
    ['bad-untrusted.pem', false],
  ])('%s', async (file, expected) => {
    expect(opensslAccepts(file)).toBe(expected);
    expect(opensslAccepts(file, true)).toBe(expected);
    const cert = parseCertificate(readFileSync(path.join(dir, file)));
    const ours = await codeOf(cert, opts({ purpose: file.includes('encryption') ? 'encrypt' : 'sign' }));
    expect(ours === 'valid').toBe(expected);
  });
});
