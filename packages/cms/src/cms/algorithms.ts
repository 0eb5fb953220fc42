/**
 * Object identifiers and algorithm tables for the CMS operations (RFC 5652, 3370, 3560, 4055, 8017).
 * Internal except for the exported name types.
 */

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  pSpecified: '1.2.840.113549.1.1.9',
  rsaPss: '1.2.840.113549.1.1.10',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  desCbc: '1.3.14.3.2.7',
  desEde3Cbc: '1.2.840.113549.3.7',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

/** Digest algorithms understood by the CMS operations. */
export type DigestName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** Content-encryption algorithms: AES-CBC for sending and receiving; DES/3DES only received under legacy policy. */
export type ContentEncryptionName = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc' | 'des-cbc';

/** Key-transport algorithm as reported by `decrypt`/`unprotect` (OAEP names carry the OAEP and MGF1 hashes). */
export type KeyTransportName = 'rsa-pkcs1' | `rsa-oaep-${DigestName}-mgf1-${DigestName}`;

/** Signature algorithm as reported by `verify`/`unprotect`. */
export type SignatureName = 'rsa-pkcs1' | 'rsa-pss';

export const DIGEST_BY_OID: Readonly<Record<string, DigestName>> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

export const DIGEST_OID: Readonly<Record<DigestName, string>> = {
  sha1: OID.sha1,
  sha256: OID.sha256,
  sha384: OID.sha384,
  sha512: OID.sha512,
};

export const DIGEST_LENGTH: Readonly<Record<DigestName, number>> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** RSA PKCS#1 v1.5 signature OIDs with their digest (rsaEncryption alone takes the SignerInfo digest). */
export const RSA_SIG_DIGEST: Readonly<Record<string, DigestName>> = {
  [OID.sha1WithRsa]: 'sha1',
  [OID.sha256WithRsa]: 'sha256',
  [OID.sha384WithRsa]: 'sha384',
  [OID.sha512WithRsa]: 'sha512',
};

export const RSA_SIG_OID: Readonly<Record<DigestName, string>> = {
  sha1: OID.sha1WithRsa,
  sha256: OID.sha256WithRsa,
  sha384: OID.sha384WithRsa,
  sha512: OID.sha512WithRsa,
};

export interface CipherSpec {
  readonly name: ContentEncryptionName;
  readonly oid: string;
  readonly keyLength: number;
  readonly ivLength: number;
  readonly legacy: boolean;
}

export const CIPHERS: readonly CipherSpec[] = [
  { name: 'aes-128-cbc', oid: OID.aes128Cbc, keyLength: 16, ivLength: 16, legacy: false },
  { name: 'aes-192-cbc', oid: OID.aes192Cbc, keyLength: 24, ivLength: 16, legacy: false },
  { name: 'aes-256-cbc', oid: OID.aes256Cbc, keyLength: 32, ivLength: 16, legacy: false },
  { name: 'des-ede3-cbc', oid: OID.desEde3Cbc, keyLength: 24, ivLength: 8, legacy: true },
  { name: 'des-cbc', oid: OID.desCbc, keyLength: 8, ivLength: 8, legacy: true },
];

export const CIPHER_BY_OID: ReadonlyMap<string, CipherSpec> = new Map(CIPHERS.map((c) => [c.oid, c]));
export const CIPHER_BY_NAME: ReadonlyMap<string, CipherSpec> = new Map(CIPHERS.map((c) => [c.name, c]));
