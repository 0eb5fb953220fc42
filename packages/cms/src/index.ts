/**
 * @samhandling/cms: CMS sign-then-encrypt and certificate validation for Norwegian health messaging.
 * Explicit named exports only; each block is owned by one area of the package.
 */

// --- cms operations (sign, verify, encrypt, decrypt, protect, unprotect) ---

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

export const PACKAGE_NAME = '@samhandling/cms';
