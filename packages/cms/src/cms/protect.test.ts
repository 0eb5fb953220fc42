import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  CMS_ERROR_CODES,
  CMS_MAX_INPUT_BYTES,
  CertError,
  CmsError,
  appRecCodeForError,
  cmsErrorAppRecCode,
  decodeSmimeBody,
  decrypt,
  encodeSmimeBody,
  encrypt,
  protect,
  protectAsync,
  sign,
  unprotect,
  verify,
} from '../index';
import type { CmsErrorCode, ProtectOptions, UnprotectOptions } from '../index';
import { createCmsFixture, systemClock } from '../../test/support/cms-fixture';
import type { CmsFixture } from '../../test/support/cms-fixture';
import type { TestCredential } from '../pki/generate';

let fx: CmsFixture;
beforeAll(async () => {
  fx = await createCmsFixture();
});
afterAll(() => fx.cleanup());

const content = Buffer.from('<MsgHead><MsgInfo><Type V="PLO"/></MsgInfo>… innhold med æøå …</MsgHead>');
const parties = () => ({ a: fx.pki.parties[0]!, b: fx.pki.parties[1]! });

function protectWith(signer: TestCredential, extra: Partial<ProtectOptions> = {}, data: Uint8Array = content): Uint8Array {
  return protect(data, {
    signer: { certificate: signer.certificate, key: signer.key, chain: [fx.pki.intermediate.certificate] },
    recipient: parties().b.encryption.certificate,
    clock: systemClock,
    ...extra,
  });
}

function receive(extra: Partial<UnprotectOptions> = {}): UnprotectOptions {
  const b = parties().b;
  return {
    decryptionKeys: [{ certificate: b.encryption.certificate, key: b.encryption.key }],
    trust: fx.trust,
    expectedSigner: { organisationNumber: '964963738' },
    clock: systemClock,
    ...extra,
  };
}

/** Asserts a typed rejection with the code (and no content). */
async function rejects(der: Uint8Array, code: string, options: UnprotectOptions = receive()): Promise<CmsError | CertError> {
  let result: unknown;
  try {
    result = await unprotect(der, options);
  } catch (err) {
    expect(err instanceof CmsError || err instanceof CertError).toBe(true);
    expect((err as CmsError).code).toBe(code);
    return err as CmsError;
  }
  throw new Error(`expected ${code}, got content ${JSON.stringify(result).slice(0, 80)}`);
}

describe('protect → unprotect', () => {
  test('round trip with the default profile reports the algorithms, signer and chain', async () => {
    const { a, b } = parties();
    const der = protectWith(a.signing);
    const result = await unprotect(der, receive());
    expect(Buffer.from(result.content)).toEqual(content);
    expect(result.algorithms).toEqual({ keyTransport: 'rsa-pkcs1', contentEncryption: 'aes-256-cbc', digest: 'sha256', signature: 'rsa-pkcs1' });
    expect(result.signer.fingerprintSha256).toBe(a.signing.certificate.fingerprintSha256);
    expect(result.recipient).toBe(b.encryption.certificate);
    expect(result.chain.map((c) => c.subject)).toEqual([a.signing.certificate.subject, fx.pki.intermediate.certificate.subject, fx.pki.root.certificate.subject]);
    expect(result.signingTime).toBeInstanceOf(Date);
  });

  test.each([
    ['oaep', { keyTransport: 'rsa-oaep-sha256-mgf1-sha256', signature: 'rsa-pkcs1' }],
    ['modern', { keyTransport: 'rsa-oaep-sha256-mgf1-sha256', signature: 'rsa-pss' }],
  ] as const)('profile %s', async (profile, expected) => {
    const result = await unprotect(protectWith(parties().a.signing, { profile }), receive());
    expect(result.algorithms).toMatchObject(expected);
  });

  test.each(['default', 'modern'] as const)('protectAsync (signature on the thread pool) gives what protect gives: profile %s', async (profile) => {
    const { a } = parties();
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000); // signingTime has whole seconds
    const options = { signer: { certificate: a.signing.certificate, key: a.signing.key, chain: [fx.pki.intermediate.certificate] }, recipient: parties().b.encryption.certificate, clock: () => at, profile };
    const viaPool = await unprotect(await protectAsync(content, options), receive());
    const onLoop = await unprotect(protect(content, options), receive());
    expect(Buffer.from(viaPool.content).equals(content)).toBe(true);
    expect(viaPool.algorithms).toEqual(onLoop.algorithms);
    expect(viaPool.signingTime).toEqual(at);
    expect(onLoop.signingTime).toEqual(at);
    // Same errors, as a rejection: a recipient certificate without keyEncipherment.
    await expect(protectAsync(content, { ...options, recipient: a.signing.certificate })).rejects.toMatchObject({ code: 'ERR_CERT_KEY_USAGE' });
    await expect(protectAsync('x' as unknown as Uint8Array, options)).rejects.toThrow('content must be a Uint8Array');
  });

  test('profile overrides: AES-128 and SHA-512', async () => {
    const result = await unprotect(protectWith(parties().a.signing, { profile: { contentEncryption: 'aes-128-cbc', digest: 'sha512' } }), receive());
    expect(result.algorithms).toMatchObject({ contentEncryption: 'aes-128-cbc', digest: 'sha512' });
  });

  test('signingTime comes from the injected clock', async () => {
    const at = new Date(Date.now() - 60_000);
    at.setMilliseconds(0);
    const result = await unprotect(protectWith(parties().a.signing, { clock: () => at }), receive());
    expect(result.signingTime?.toISOString()).toBe(at.toISOString());
  });

  test('the expected signer may be given as the certificate', async () => {
    const result = await unprotect(protectWith(parties().a.signing), receive({ expectedSigner: { certificate: parties().a.signing.certificate } }));
    expect(Buffer.from(result.content)).toEqual(content);
  });

  test('empty and large contents', async () => {
    for (const data of [new Uint8Array(0), randomBytes(300_000)]) {
      const result = await unprotect(protectWith(parties().a.signing, {}, data), receive());
      expect(Buffer.compare(result.content, data)).toBe(0);
    }
  });

  test('property: any content round-trips', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (data) => {
        const result = await unprotect(protectWith(parties().a.signing, {}, data), receive());
        expect(Buffer.from(result.content)).toEqual(Buffer.from(data));
      }),
      { numRuns: 15 },
    );
  });

  test('encrypted content type id-signedData holding a bare SignedData (no ContentInfo) is accepted', async () => {
    const { a, b } = parties();
    const signed = Buffer.from(sign(content, { certificate: a.signing.certificate, key: a.signing.key, clock: systemClock }));
    // ContentInfo = 30 82 LL LL | 06 09 <signedData OID> | A0 82 LL LL | SignedData
    const bare = signed.subarray(4 + 11 + 4);
    expect(bare[0]).toBe(0x30);
    const der = encrypt(bare, { recipients: [b.encryption.certificate], contentType: '1.2.840.113549.1.7.2' });
    const result = await unprotect(der, receive());
    expect(Buffer.from(result.content)).toEqual(content);
  });

  test('S/MIME body helpers round-trip', () => {
    const der = protectWith(parties().a.signing);
    const body = encodeSmimeBody(der);
    expect(body.split('\r\n').every((line) => line.length <= 76)).toBe(true);
    expect(Buffer.from(decodeSmimeBody(body))).toEqual(Buffer.from(der));
    expect(() => decodeSmimeBody('not*base64')).toThrow(CmsError);
  });
});

describe('rejections: a typed error, never content', () => {
  test('tampered ciphertext (last block: padding) → ERR_CMS_DECRYPT_FAILED', async () => {
    const der = Buffer.from(protectWith(parties().a.signing));
    der[der.length - 1]! ^= 0x01;
    await rejects(der, 'ERR_CMS_DECRYPT_FAILED');
  });

  test('tampered ciphertext anywhere → some typed rejection or the unchanged content', async () => {
    const original = Buffer.from(protectWith(parties().a.signing));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: original.length - 1 }), fc.integer({ min: 0, max: 7 }), async (pos, bit) => {
        const der = Buffer.from(original);
        der[pos]! ^= 1 << bit;
        try {
          const result = await unprotect(der, receive());
          expect(Buffer.from(result.content)).toEqual(content); // only unauthenticated framing changed
        } catch (err) {
          expect(err instanceof CmsError || err instanceof CertError).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('tampered signature → ERR_CMS_SIGNATURE_INVALID (S01)', async () => {
    const { a, b } = parties();
    const signed = Buffer.from(sign(content, { certificate: a.signing.certificate, key: a.signing.key, clock: systemClock }));
    signed[signed.length - 1]! ^= 0x01; // the signature is the last field
    const err = await rejects(encrypt(signed, { recipients: [b.encryption.certificate] }), 'ERR_CMS_SIGNATURE_INVALID');
    expect(appRecCodeForError(err)).toBe('S01');
  });

  test('tampered signed content → ERR_CMS_SIGNATURE_INVALID', async () => {
    const { a, b } = parties();
    const signed = Buffer.from(sign(content, { certificate: a.signing.certificate, key: a.signing.key, clock: systemClock }));
    const at = signed.indexOf(Buffer.from('innhold'));
    signed[at]! ^= 0x20;
    await rejects(encrypt(signed, { recipients: [b.encryption.certificate] }), 'ERR_CMS_SIGNATURE_INVALID');
  });

  test('wrong recipient key: no key matches → ERR_CMS_NO_MATCHING_KEY', async () => {
    const a = parties().a;
    await rejects(protectWith(a.signing), 'ERR_CMS_NO_MATCHING_KEY', receive({ decryptionKeys: [{ certificate: a.encryption.certificate, key: a.encryption.key }] }));
  });

  test('wrong private key behind the right certificate → ERR_CMS_DECRYPT_FAILED', async () => {
    const { a, b } = parties();
    await rejects(protectWith(a.signing), 'ERR_CMS_DECRYPT_FAILED', receive({ decryptionKeys: [{ certificate: b.encryption.certificate, key: a.encryption.key }] }));
  });

  test('implicit rejection: a bad PKCS#1 padding fails exactly like a wrong key', async () => {
    const { a, b } = parties();
    const der = Buffer.from(protectWith(a.signing));
    // Replace the encryptedKey (256 octets after `04 82 01 00`) with an RSA block whose padding is invalid.
    const at = der.indexOf(Buffer.from([0x04, 0x82, 0x01, 0x00])) + 4;
    const em = Buffer.alloc(256, 0x42);
    em[0] = 0;
    em[1] = 1;
    publicEncrypt({ key: b.encryption.certificate.publicKey, padding: constants.RSA_NO_PADDING }, em).copy(der, at);
    const badPadding = await rejects(der, 'ERR_CMS_DECRYPT_FAILED');
    const wrongKey = await rejects(protectWith(a.signing), 'ERR_CMS_DECRYPT_FAILED', receive({ decryptionKeys: [{ certificate: b.encryption.certificate, key: a.encryption.key }] }));
    expect(badPadding.message).toBe(wrongKey.message);
    expect(badPadding.message).toBe('decryption failed');
  });

  test.each([
    ['expired', 'ERR_CERT_EXPIRED', 'S02'],
    ['notYetValid', 'ERR_CERT_NOT_YET_VALID', 'S02'],
    ['revoked', 'ERR_CERT_REVOKED', 'S03'],
    ['wrongKeyUsage', 'ERR_CERT_KEY_USAGE', 'S02'],
    ['untrusted', 'ERR_CERT_UNTRUSTED', 'S02'],
  ] as const)('signer certificate %s → %s (%s)', async (which, code, appRec) => {
    const der = protectWith(fx.pki.bad[which]);
    const err = await rejects(der, code);
    expect(appRecCodeForError(err)).toBe(appRec);
  });

  test('signer under an intermediate without keyCertSign → ERR_CERT_CHAIN_INVALID', async () => {
    const bad = fx.pki.bad;
    const der = protectWith(bad.underIntermediateWithoutKeyCertSign, {
      signer: { certificate: bad.underIntermediateWithoutKeyCertSign.certificate, key: bad.underIntermediateWithoutKeyCertSign.key, chain: [bad.intermediateWithoutKeyCertSign.certificate] },
    });
    await rejects(der, 'ERR_CERT_CHAIN_INVALID');
  });

  test('revocation source unreachable → retryable ERR_CERT_REVOCATION_UNAVAILABLE, never a pass', async () => {
    const unreachable = { check: () => Promise.reject(new Error('ECONNREFUSED')) };
    const err = await rejects(protectWith(parties().a.signing), 'ERR_CERT_REVOCATION_UNAVAILABLE', receive({ trust: { ...fx.trust, revocation: unreachable } }));
    expect((err as CertError).retryable).toBe(true);
  });

  test('signer mismatch (certificate or organisation number) → ERR_CMS_SIGNER_MISMATCH (S99)', async () => {
    const { a, b } = parties();
    const der = protectWith(a.signing);
    const err = await rejects(der, 'ERR_CMS_SIGNER_MISMATCH', receive({ expectedSigner: { certificate: b.signing.certificate } }));
    expect(appRecCodeForError(err)).toBe('S99');
    await rejects(der, 'ERR_CMS_SIGNER_MISMATCH', receive({ expectedSigner: { organisationNumber: '983975267' } }));
  });

  test('signingTime in the future → ERR_CMS_SIGNING_TIME_INVALID', async () => {
    const der = protectWith(parties().a.signing, { clock: () => new Date(Date.now() + 3_600_000) });
    await rejects(der, 'ERR_CMS_SIGNING_TIME_INVALID');
  });

  test('a SignedData where EnvelopedData is expected → ERR_CMS_UNEXPECTED_CONTENT_TYPE', async () => {
    const a = parties().a;
    await rejects(sign(content, { certificate: a.signing.certificate, key: a.signing.key, clock: systemClock }), 'ERR_CMS_UNEXPECTED_CONTENT_TYPE');
  });

  test('encrypted content that is not signed → ERR_CMS_MALFORMED', async () => {
    await rejects(encrypt(content, { recipients: [parties().b.encryption.certificate] }), 'ERR_CMS_MALFORMED');
  });

  test('truncated DER at every 97th length → ERR_CMS_MALFORMED', async () => {
    const der = protectWith(parties().a.signing);
    for (let n = 0; n < der.length; n += 97) await rejects(der.subarray(0, n), 'ERR_CMS_MALFORMED');
  });

  test('random bytes → a typed rejection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        await expect(unprotect(bytes, receive())).rejects.toBeInstanceOf(CmsError);
      }),
      { numRuns: 200 },
    );
  });

  test.each([
    ['length beyond the input', [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x06, 0x00]],
    ['length of length 9', [0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['indefinite length without end-of-contents', [0x30, 0x80, 0x06, 0x01, 0x2a]],
    ['indefinite length on a primitive', [0x04, 0x80, 0x00, 0x00]],
    ['nesting deeper than the limit', [...Array.from({ length: 200 }, () => [0x30, 0x80]).flat(), ...Array.from({ length: 200 }, () => [0, 0]).flat()]],
    ['trailing garbage', [0x30, 0x00, 0x00]],
    ['multi-octet tag too long', [0x3f, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00]],
  ])('absurd DER: %s → ERR_CMS_MALFORMED', async (_name, bytes) => {
    await rejects(Uint8Array.from(bytes), 'ERR_CMS_MALFORMED');
  });

  test('input over the size limit → ERR_CMS_TOO_LARGE before parsing', async () => {
    await rejects(new Uint8Array(CMS_MAX_INPUT_BYTES + 1), 'ERR_CMS_TOO_LARGE');
    await rejects(protectWith(parties().a.signing), 'ERR_CMS_TOO_LARGE', receive({ maxBytes: 1000 }));
  });

  test('caller mistakes are TypeError/RangeError', async () => {
    const { a, b } = parties();
    await expect(unprotect(protectWith(a.signing), receive({ decryptionKeys: [] }))).rejects.toBeInstanceOf(TypeError);
    expect(() => protect('text' as unknown as Uint8Array, { signer: { certificate: a.signing.certificate, key: a.signing.key }, recipient: b.encryption.certificate })).toThrow(TypeError);
    expect(() => protectWith(a.signing, { profile: 'nope' as 'default' })).toThrow(RangeError);
    expect(() => decrypt(new Uint8Array(10), { decryptionKeys: [{ certificate: b.encryption.certificate, key: b.encryption.key }], maxBytes: 0 })).toThrow(RangeError);
  });

  test('non-RSA keys: a signing key is a caller mistake, a recipient certificate is unsupported', () => {
    const { a, b } = parties();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => protect(content, { signer: { certificate: a.signing.certificate, key: ec.privateKey }, recipient: b.encryption.certificate })).toThrow(TypeError);
    const ecRecipient = { ...b.encryption.certificate, publicKey: ec.publicKey };
    expect(() => protectWith(a.signing, { recipient: ecRecipient })).toThrow(expect.objectContaining({ code: 'ERR_CMS_UNSUPPORTED_ALGORITHM' }));
  });

  test('a recipient certificate without keyEncipherment is refused when protecting', () => {
    const a = parties().a;
    expect(() => protect(content, { signer: { certificate: a.signing.certificate, key: a.signing.key }, recipient: a.signing.certificate, clock: systemClock })).toThrow(
      expect.objectContaining({ code: 'ERR_CERT_KEY_USAGE' }),
    );
  });
});

describe('verify on its own', () => {
  test('checks trust like unprotect', async () => {
    const bad = fx.pki.bad.revoked;
    const signed = sign(content, { certificate: bad.certificate, key: bad.key, clock: systemClock });
    await expect(verify(signed, { trust: fx.trust, clock: systemClock })).rejects.toMatchObject({ code: 'ERR_CERT_REVOKED' });
  });
});

describe('error codes', () => {
  test('every CMS code maps to an AppRec code', () => {
    const codes = Object.keys(CMS_ERROR_CODES) as CmsErrorCode[];
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(cmsErrorAppRecCode(code)).toMatch(/^(S0[1-3]|S99|T01|T10|T99|X99)$/);
    expect(cmsErrorAppRecCode('ERR_CMS_SIGNATURE_INVALID')).toBe('S01');
    expect(cmsErrorAppRecCode('ERR_CMS_MALFORMED')).toBe('T01');
    expect(() => cmsErrorAppRecCode('ERR_NOPE' as CmsErrorCode)).toThrow(RangeError);
    expect(appRecCodeForError(new Error('x'))).toBeNull();
  });
});
