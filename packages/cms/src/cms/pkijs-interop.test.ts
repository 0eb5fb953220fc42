/**
 * Interoperability with pkijs (WebCrypto engine): pkijs parses and verifies what we produce, and we
 * decrypt and verify what pkijs produces (RSA-OAEP key transport, AES-CBC, SHA-256 signatures).
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { protect, sign, unprotect } from '../index';
import { toPkijsCertificate } from '../cert/certificate';
import { createCmsFixture, systemClock } from '../../test/support/cms-fixture';
import type { CmsFixture } from '../../test/support/cms-fixture';

const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] });
let fx: CmsFixture;
beforeAll(async () => {
  fx = await createCmsFixture();
});
afterAll(() => fx.cleanup());

const content = new TextEncoder().encode('<MsgHead>pkijs</MsgHead>');
const ab = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

test('pkijs parses our EnvelopedData and verifies our SignedData', async () => {
  const [a, b] = fx.pki.parties;
  const der = protect(content, { signer: { certificate: a!.signing.certificate, key: a!.signing.key }, recipient: b!.encryption.certificate, clock: systemClock });
  const env = new pkijs.EnvelopedData({ schema: pkijs.ContentInfo.fromBER(ab(der)).content });
  expect(env.recipientInfos).toHaveLength(1);
  expect(env.encryptedContentInfo.contentEncryptionAlgorithm.algorithmId).toBe('2.16.840.1.101.3.4.1.42');

  const signed = sign(content, { certificate: a!.signing.certificate, key: a!.signing.key, clock: systemClock });
  const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(ab(signed)).content });
  const ok = await sd.verify({ signer: 0, checkChain: false, extendedMode: false }, engine);
  expect(ok).toBe(true);
});

test('we unprotect what pkijs signs and encrypts (RSA-OAEP SHA-256, AES-256-CBC)', async () => {
  const [a, b] = fx.pki.parties;
  const signerCert = toPkijsCertificate(a!.signing.certificate);
  const sd = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1', eContent: new asn1js.OctetString({ valueHex: ab(content) }) }),
    signerInfos: [new pkijs.SignerInfo({ version: 1, sid: new pkijs.IssuerAndSerialNumber({ issuer: signerCert.issuer, serialNumber: signerCert.serialNumber }) })],
    certificates: [signerCert],
  });
  const signKey = await webcrypto.subtle.importKey('pkcs8', a!.signing.key.keyObject.export({ format: 'der', type: 'pkcs8' }), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  await sd.sign(signKey as unknown as Parameters<pkijs.SignedData['sign']>[0], 0, 'SHA-256', undefined, engine);
  const signedDer = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) }).toSchema().toBER();

  const env = new pkijs.EnvelopedData();
  env.addRecipientByCertificate(toPkijsCertificate(b!.encryption.certificate), { oaepHashAlgorithm: 'SHA-256' }, 1, engine);
  await env.encrypt({ name: 'AES-CBC', length: 256 } as Parameters<pkijs.EnvelopedData['encrypt']>[0], signedDer, engine);
  const der = new Uint8Array(new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.3', content: env.toSchema() }).toSchema().toBER());

  const result = await unprotect(der, {
    decryptionKeys: [{ certificate: b!.encryption.certificate, key: b!.encryption.key }],
    trust: fx.trust,
    expectedSigner: { certificate: a!.signing.certificate },
    clock: systemClock,
  });
  expect(new TextDecoder().decode(result.content)).toBe('<MsgHead>pkijs</MsgHead>');
  expect(result.algorithms.keyTransport).toBe('rsa-oaep-sha256-mgf1-sha256');
  expect(result.signingTime).toBeNull();
});
