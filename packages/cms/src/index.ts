/**
 * @samhandling/cms: CMS sign-then-encrypt and certificate validation for Norwegian health messaging.
 * Explicit named exports only; each block is owned by one area of the package.
 */

// --- cms operations (sign, verify, encrypt, decrypt, protect, unprotect) ---
export { CMS_ERROR_CODES, CmsError, cmsErrorAppRecCode, isCmsError } from './cms/errors';
export type { CmsAppRecCode, CmsErrorCode } from './cms/errors';
export { CMS_MAX_CERTIFICATES, CMS_MAX_DEPTH, CMS_MAX_ELEMENTS, CMS_MAX_INPUT_BYTES, CMS_MAX_RECIPIENTS, CMS_MAX_STRING_CHUNKS } from './cms/limits';
export type { ContentEncryptionName, DigestName, KeyTransportName, SignatureName } from './cms/algorithms';
export type {
  CmsAlgorithmPolicy,
  CmsAlgorithms,
  CmsPrivateKey,
  CmsProfile,
  KeyPair,
  SendContentEncryption,
  SendDigest,
  SendKeyTransport,
  SendSignature,
} from './cms/types';
export { sign } from './cms/signed';
export type { SignOptions } from './cms/signed';
export { decrypt, encrypt } from './cms/envelope';
export type { DecryptOptions, DecryptResult, EncryptOptions } from './cms/envelope';
export {
  CMS_PROFILES,
  CMS_SIGNING_TIME_SKEW_MS,
  SMIME_SIGNED_AND_ENVELOPED_CONTENT_TYPE,
  appRecCodeForError,
  decodeSmimeBody,
  encodeSmimeBody,
  protect,
  protectAsync,
  unprotect,
  verify,
} from './cms/protect';
export type { CmsProfileName, CmsTrust, ProtectOptions, UnprotectOptions, UnprotectResult, VerifyOptions, VerifyResult } from './cms/protect';

// --- certificates, keys, revocation, test PKI ---
export { CERT_ERROR_CODES, CertError, certErrorAppRecCode, isCertError } from './cert/errors';
export type { CertAppRecCode, CertErrorCode, CertErrorDetails } from './cert/errors';
export type { Certificate, KeyUsage, PrivateKey } from './cert/types';
export { MAX_CERTIFICATE_BYTES } from './cert/certificate';
export { MAX_CRL_BYTES, parseCrl, parseCrls } from './cert/crl';
export type { Crl } from './cert/crl';
export { CrlCache, httpCrlSource, staticCrlSource } from './cert/revocation';
export type { CrlCacheOptions, HttpCrlSourceOptions, RevocationChecker, RevocationSource } from './cert/revocation';
export { MAX_CHAIN_LENGTH, PURPOSE_KEY_USAGE, matchesExpectedSigner, validateCertificate } from './cert/validate';
export type { CertificatePurpose, ExpectedSigner, RevocationPolicy, ValidateCertificateOptions, ValidatedChain } from './cert/validate';
export { MAX_PEM_BYTES, loadPrivateKey, parseCertificate, parseCertificates } from './keys/load';
export type { LoadPrivateKeyOptions } from './keys/load';
export { MAX_PKCS12_BYTES, MAX_PKCS12_ITERATIONS, loadPkcs12 } from './keys/pkcs12';
export type { Pkcs12Contents, Pkcs12Password } from './keys/pkcs12';
export { createTestPki } from './pki/generate';
export type { CreateTestPkiOptions, TestCredential, TestCrl, TestPartyCredentials, TestPartySpec, TestPki, TestPkiBadCertificates } from './pki/generate';
export { writeTestPki } from './pki/write';
export type { TestPkiIndex, TestPkiIndexEntry } from './pki/write';

export const PACKAGE_NAME = '@samhandling/cms';
