import { generateKeyPairSync } from 'node:crypto';
import { OID } from './algorithms';
import { int, octets, oid, seq, set, tlv, toBytes } from './der';
import { decrypt } from './envelope';
import { CmsError } from './errors';
import type { Certificate } from '../cert/types';

/** EnvelopedData with the given content-encryption OID and IV, no recipients (the algorithm is checked first). */
function envelope(cipherOid: string, ivLength: number): Uint8Array {
  return toBytes(
    seq(oid(OID.envelopedData), tlv(0xa0, seq(int(0), set(), seq(oid(OID.data), seq(oid(cipherOid), octets(new Uint8Array(ivLength))), tlv(0x80, new Uint8Array(16)))))),
  );
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const keys = [{ certificate: { der: new Uint8Array([0x30, 0x00]) } as Certificate, key: privateKey }];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CmsError);
    return (err as CmsError).code;
  }
  return 'no error';
}

describe('decrypt: content-encryption algorithm policy', () => {
  test('single DES and 3DES are refused without the legacy policy', () => {
    expect(codeOf(() => decrypt(envelope(OID.desCbc, 8), { decryptionKeys: keys }))).toBe('ERR_CMS_LEGACY_ALGORITHM_REFUSED');
    expect(codeOf(() => decrypt(envelope(OID.desEde3Cbc, 8), { decryptionKeys: keys }))).toBe('ERR_CMS_LEGACY_ALGORITHM_REFUSED');
  });

  test('single DES under the legacy policy: unsupported when the runtime lacks it, otherwise on to key matching', () => {
    const code = codeOf(() => decrypt(envelope(OID.desCbc, 8), { decryptionKeys: keys, policy: { allowLegacyCiphers: true } }));
    expect(['ERR_CMS_UNSUPPORTED_ALGORITHM', 'ERR_CMS_NO_MATCHING_KEY']).toContain(code);
    expect(codeOf(() => decrypt(envelope(OID.desEde3Cbc, 8), { decryptionKeys: keys, policy: { allowLegacyCiphers: true } }))).toBe('ERR_CMS_NO_MATCHING_KEY');
  });

  test('unknown ciphers and wrong IV lengths are typed errors', () => {
    expect(codeOf(() => decrypt(envelope('1.2.3.4', 16), { decryptionKeys: keys }))).toBe('ERR_CMS_UNSUPPORTED_ALGORITHM');
    expect(codeOf(() => decrypt(envelope(OID.aes256Cbc, 8), { decryptionKeys: keys }))).toBe('ERR_CMS_MALFORMED');
    expect(codeOf(() => decrypt(envelope(OID.aes256Cbc, 16), { decryptionKeys: keys }))).toBe('ERR_CMS_NO_MATCHING_KEY');
  });
});
