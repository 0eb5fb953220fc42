/**
 * Interoperability matrix with the `openssl cms` command (OpenSSL 3): OpenSSL → ours for every
 * sender variant the sector produces, and ours → OpenSSL for every send profile.
 */
import { randomBytes } from 'node:crypto';
import { CMS_PROFILES, decrypt, protect, unprotect, verify } from '../index';
import type { CmsProfileName, UnprotectOptions } from '../index';
import { createCmsFixture, hasOpenssl, openssl, systemClock } from '../../test/support/cms-fixture';
import type { CmsFixture } from '../../test/support/cms-fixture';

const haveOpenssl = hasOpenssl();
if (!haveOpenssl) console.log('openssl not found: skipping the CMS interop matrix');
const describeIf = haveOpenssl ? describe : describe.skip;

describeIf('CMS interop with openssl', () => {
  let fx: CmsFixture;
  let signer: { cert: string; key: string };
  let recipient: { cert: string; key: string };
  let other: { cert: string; key: string };
  const content = Buffer.concat([Buffer.from('<MsgHead>æøå '), randomBytes(3000), Buffer.from('</MsgHead>')]);

  beforeAll(async () => {
    fx = await createCmsFixture();
    const [a, b] = fx.pki.parties;
    signer = fx.pem('a-sign', a!.signing);
    recipient = fx.pem('b-enc', b!.encryption);
    other = fx.pem('a-enc', a!.encryption);
    fx.write('content.bin', content);
  });
  afterAll(() => fx.cleanup());

  const receive = (extra: Partial<UnprotectOptions> = {}): UnprotectOptions => ({
    decryptionKeys: [{ certificate: fx.pki.parties[1]!.encryption.certificate, key: fx.pki.parties[1]!.encryption.key }],
    trust: fx.trust,
    expectedSigner: { organisationNumber: '964963738' },
    clock: systemClock,
    ...extra,
  });

  /** openssl cms -sign, then openssl cms -encrypt; returns the DER. */
  function opensslProtect(signArgs: string[], encryptArgs: string[]): Buffer {
    const signed = openssl(['cms', '-sign', '-binary', '-nodetach', '-in', fx.file('content.bin'), '-signer', signer.cert, '-inkey', signer.key, '-certfile', fx.file('intermediate.pem'), '-outform', 'DER', ...signArgs]);
    fx.write('os-signed.der', signed);
    return openssl(['cms', '-encrypt', '-binary', '-in', fx.file('os-signed.der'), '-outform', 'DER', '-recip', recipient.cert, ...encryptArgs]);
  }

  describe('OpenSSL → ours', () => {
    test.each([
      ['default: PKCS#1 v1.5 key transport, AES-256-CBC', [], ['-aes256'], 'rsa-pkcs1', 'aes-256-cbc'],
      ['OAEP SHA-1', [], ['-aes256', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha1'], 'rsa-oaep-sha1-mgf1-sha1', 'aes-256-cbc'],
      ['OAEP SHA-256', [], ['-aes256', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256'], 'rsa-oaep-sha256-mgf1-sha256', 'aes-256-cbc'],
      ['OAEP SHA-256 with MGF1 SHA-1', [], ['-aes256', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256', '-keyopt', 'rsa_mgf1_md:sha1'], 'rsa-oaep-sha256-mgf1-sha1', 'aes-256-cbc'],
      ['OAEP SHA-512 with MGF1 SHA-256', [], ['-aes256', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha512', '-keyopt', 'rsa_mgf1_md:sha256'], 'rsa-oaep-sha512-mgf1-sha256', 'aes-256-cbc'],
      ['OAEP SHA-1 with MGF1 SHA-256', [], ['-aes256', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha1', '-keyopt', 'rsa_mgf1_md:sha256'], 'rsa-oaep-sha1-mgf1-sha256', 'aes-256-cbc'],
      ['-stream (indefinite-length BER) both layers', ['-stream'], ['-aes256', '-stream'], 'rsa-pkcs1', 'aes-256-cbc'],
      ['-noattr (no signed attributes)', ['-noattr'], ['-aes256'], 'rsa-pkcs1', 'aes-256-cbc'],
      ['-keyid (SubjectKeyIdentifier signer and recipient ids)', ['-keyid'], ['-aes256', '-keyid'], 'rsa-pkcs1', 'aes-256-cbc'],
      ['AES-128-CBC', [], ['-aes128'], 'rsa-pkcs1', 'aes-128-cbc'],
      ['AES-192-CBC', [], ['-aes192'], 'rsa-pkcs1', 'aes-192-cbc'],
      ['RSA-PSS signature', ['-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_pss_saltlen:32'], ['-aes256'], 'rsa-pkcs1', 'aes-256-cbc'],
      ['SHA-512 digest', ['-md', 'sha512'], ['-aes256'], 'rsa-pkcs1', 'aes-256-cbc'],
    ])('%s', async (_name, signArgs, encryptArgs, keyTransport, contentEncryption) => {
      const der = opensslProtect(signArgs, encryptArgs);
      const result = await unprotect(der, receive());
      expect(Buffer.from(result.content)).toEqual(content);
      expect(result.algorithms.keyTransport).toBe(keyTransport);
      expect(result.algorithms.contentEncryption).toBe(contentEncryption);
      expect(result.signer.fingerprintSha256).toBe(fx.pki.parties[0]!.signing.certificate.fingerprintSha256);
      expect(result.chain).toHaveLength(3);
      if (signArgs.includes('-noattr')) expect(result.signingTime).toBeNull();
      else expect(result.signingTime).toBeInstanceOf(Date);
      if (signArgs.includes('rsa_padding_mode:pss')) expect(result.algorithms.signature).toBe('rsa-pss');
    });

    test('3DES is refused by default and accepted only under the legacy policy', async () => {
      const der = opensslProtect([], ['-des3']);
      await expect(unprotect(der, receive())).rejects.toMatchObject({ code: 'ERR_CMS_LEGACY_ALGORITHM_REFUSED' });
      const result = await unprotect(der, receive({ policy: { allowLegacyCiphers: true } }));
      expect(Buffer.from(result.content)).toEqual(content);
      expect(result.algorithms.contentEncryption).toBe('des-ede3-cbc');
    });

    test('SHA-1 signatures are refused by default and accepted only under the legacy policy', async () => {
      const der = opensslProtect(['-md', 'sha1'], ['-aes256']);
      await expect(unprotect(der, receive())).rejects.toMatchObject({ code: 'ERR_CMS_LEGACY_ALGORITHM_REFUSED' });
      const result = await unprotect(der, receive({ policy: { allowSha1: true } }));
      expect(result.algorithms.digest).toBe('sha1');
    });

    test('several recipients and several decryption keys: the key is picked by the recipient identifier', async () => {
      const signed = openssl(['cms', '-sign', '-binary', '-nodetach', '-in', fx.file('content.bin'), '-signer', signer.cert, '-inkey', signer.key, '-outform', 'DER']);
      fx.write('os-signed2.der', signed);
      const der = openssl(['cms', '-encrypt', '-binary', '-aes256', '-in', fx.file('os-signed2.der'), '-outform', 'DER', '-recip', other.cert, '-recip', recipient.cert]);
      const [a, b] = fx.pki.parties;
      // Rollover: the receiver holds an unrelated old key and the current key, in either order.
      for (const keys of [
        [a!.encryption, b!.encryption],
        [b!.encryption, a!.encryption],
      ]) {
        const result = await unprotect(der, receive({ decryptionKeys: keys.map((k) => ({ certificate: k.certificate, key: k.key })) }));
        expect(Buffer.from(result.content)).toEqual(content);
      }
      const onlyB = decrypt(der, { decryptionKeys: [{ certificate: b!.encryption.certificate, key: b!.encryption.key }] });
      expect(onlyB.recipient).toBe(b!.encryption.certificate);
    });

    test('-nocerts: the signer is found through the expected signer certificate, else ERR_CMS_SIGNER_NOT_FOUND', async () => {
      const signed = openssl(['cms', '-sign', '-binary', '-nodetach', '-nocerts', '-in', fx.file('content.bin'), '-signer', signer.cert, '-inkey', signer.key, '-outform', 'DER']);
      fx.write('os-nocerts.der', signed);
      const der = openssl(['cms', '-encrypt', '-binary', '-aes256', '-in', fx.file('os-nocerts.der'), '-outform', 'DER', '-recip', recipient.cert]);
      await expect(unprotect(der, receive())).rejects.toMatchObject({ code: 'ERR_CMS_SIGNER_NOT_FOUND' });
      const result = await unprotect(der, receive({ expectedSigner: { certificate: fx.pki.parties[0]!.signing.certificate } }));
      expect(Buffer.from(result.content)).toEqual(content);
    });

    test('a SignedData without encryption verifies with verify()', async () => {
      const signed = openssl(['cms', '-sign', '-binary', '-nodetach', '-in', fx.file('content.bin'), '-signer', signer.cert, '-inkey', signer.key, '-outform', 'DER', '-stream']);
      const result = await verify(signed, { trust: fx.trust, clock: systemClock });
      expect(Buffer.from(result.content)).toEqual(content);
    });
  });

  describe('ours → OpenSSL', () => {
    test.each(Object.keys(CMS_PROFILES) as CmsProfileName[])('profile %s: openssl cms -decrypt, then -verify -crl_check', (profile) => {
      const [a, b] = fx.pki.parties;
      const der = protect(content, {
        signer: { certificate: a!.signing.certificate, key: a!.signing.key, chain: [fx.pki.intermediate.certificate] },
        recipient: b!.encryption.certificate,
        profile,
        clock: systemClock,
      });
      fx.write(`ours-${profile}.der`, der);
      const inner = openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', fx.file(`ours-${profile}.der`), '-recip', recipient.cert, '-inkey', recipient.key]);
      fx.write(`ours-${profile}-signed.der`, inner);
      const out = openssl([
        'cms', '-verify', '-binary', '-inform', 'DER', '-in', fx.file(`ours-${profile}-signed.der`),
        '-CAfile', fx.file('ca-bundle-crls.pem'), '-crl_check', '-purpose', 'any',
      ]);
      expect(out).toEqual(content);
      // openssl reports the structure it found
      const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', fx.file(`ours-${profile}.der`)]).toString();
      expect(printed).toContain(CMS_PROFILES[profile].keyTransport === 'rsa-pkcs1' ? 'rsaEncryption' : 'rsaesOaep');
      expect(printed).toContain('aes-256-cbc');
    });

    test('a signer certificate without its chain still verifies when openssl is given the intermediate', () => {
      const [a, b] = fx.pki.parties;
      const der = protect(content, { signer: { certificate: a!.signing.certificate, key: a!.signing.key }, recipient: b!.encryption.certificate, clock: systemClock });
      fx.write('ours-nochain.der', der);
      const inner = openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', fx.file('ours-nochain.der'), '-recip', recipient.cert, '-inkey', recipient.key]);
      fx.write('ours-nochain-signed.der', inner);
      const out = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', fx.file('ours-nochain-signed.der'), '-CAfile', fx.file('ca-bundle.pem'), '-purpose', 'any']);
      expect(out).toEqual(content);
    });

    test('openssl refuses our message for a revoked signer under -crl_check (the CRL works)', () => {
      const b = fx.pki.parties[1]!;
      const der = protect(content, { signer: { certificate: fx.pki.bad.revoked.certificate, key: fx.pki.bad.revoked.key }, recipient: b.encryption.certificate, clock: systemClock });
      fx.write('ours-revoked.der', der);
      const inner = openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', fx.file('ours-revoked.der'), '-recip', recipient.cert, '-inkey', recipient.key]);
      fx.write('ours-revoked-signed.der', inner);
      expect(() =>
        openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', fx.file('ours-revoked-signed.der'), '-CAfile', fx.file('ca-bundle-crls.pem'), '-crl_check', '-purpose', 'any']),
      ).toThrow(/revoked/);
    });
  });
});
