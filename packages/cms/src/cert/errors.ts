/**
 * Typed errors for certificates and keys in `@samhandling/cms`. Certificate, chain, revocation and
 * key-loading failures throw `CertError` with a stable string code; caller mistakes throw
 * `TypeError` / `RangeError`. Codes are added, never reused.
 */
export const CERT_ERROR_CODES = {
  /** The certificate's notAfter lies before one of the times it was checked at. */
  ERR_CERT_EXPIRED: 'Certificate has expired',
  /** The certificate's notBefore lies after one of the times it was checked at. */
  ERR_CERT_NOT_YET_VALID: 'Certificate is not yet valid',
  /** The certificate (or a certificate in its chain) is listed in its issuer's CRL. */
  ERR_CERT_REVOKED: 'Certificate has been revoked',
  /** No chain leads from the certificate to a configured trust anchor. */
  ERR_CERT_UNTRUSTED: 'Certificate does not chain to a trusted anchor',
  /** The certificate's keyUsage does not allow the requested purpose. */
  ERR_CERT_KEY_USAGE: 'Certificate key usage does not allow this purpose',
  /**
   * Revocation status could not be established (source unreachable, CRL stale or unverifiable).
   * Retryable: the error carries `retryable: true`. Never a silent pass.
   */
  ERR_CERT_REVOCATION_UNAVAILABLE: 'Certificate revocation status is unavailable',
  /**
   * A chain was found but is not acceptable: an intermediate is not a CA, lacks keyCertSign,
   * violates a path length constraint, or a certificate signature does not verify.
   */
  ERR_CERT_CHAIN_INVALID: 'Certificate chain is invalid',
  /** A certificate or CRL is signed with an algorithm that is not accepted (e.g. SHA-1 without the legacy policy). */
  ERR_CERT_ALGORITHM_UNSUPPORTED: 'Certificate signature algorithm is not accepted',
  /** Bytes that are not a readable X.509 certificate (or PEM without one). */
  ERR_CERT_MALFORMED: 'Certificate is malformed',
  /** Bytes that are not a readable CRL. */
  ERR_CERT_CRL_MALFORMED: 'CRL is malformed',
  /** Bytes that are not a readable private key or PKCS#12 file. */
  ERR_KEY_MALFORMED: 'Private key is malformed',
  /** The password or passphrase for a key or PKCS#12 file is missing or wrong. */
  ERR_KEY_PASSWORD: 'Wrong or missing password for the private key',
  /** A PKCS#12 file uses an encryption or MAC algorithm that is not supported. */
  ERR_KEY_UNSUPPORTED: 'Private key container uses an unsupported algorithm',
} as const;

/** Union of every certificate/key error code. */
export type CertErrorCode = keyof typeof CERT_ERROR_CODES;

/** AppRec error codes (code list 8221) for signature and certificate problems. */
export type CertAppRecCode = 'S01' | 'S02' | 'S03' | 'S99';

/** Options for constructing a {@link CertError}. */
export interface CertErrorDetails {
  /** Underlying error (e.g. from node:crypto); kept out of `message`. */
  readonly cause?: unknown;
  /** Subject (RFC 4514 style) of the certificate the error is about, when known. */
  readonly subject?: string;
}

/**
 * Error thrown for certificate, chain, revocation and key failures. `code` narrows in a
 * `switch`; `retryable` is true only for {@link CERT_ERROR_CODES.ERR_CERT_REVOCATION_UNAVAILABLE}.
 */
export class CertError extends Error {
  override readonly name = 'CertError';
  /** Stable code. */
  readonly code: CertErrorCode;
  /** True when trying again later may succeed (revocation source unavailable). */
  readonly retryable: boolean;
  /** Subject of the certificate the error is about, when known. */
  readonly subject?: string;

  constructor(code: CertErrorCode, message?: string, details: CertErrorDetails = {}) {
    super(message ?? CERT_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.retryable = code === 'ERR_CERT_REVOCATION_UNAVAILABLE';
    if (details.subject !== undefined) this.subject = details.subject;
  }
}

/** Type guard for {@link CertError}. */
export function isCertError(value: unknown): value is CertError {
  return value instanceof CertError;
}

/**
 * Maps a certificate/key error code to the AppRec 8221 code to report to the sender:
 *
 * | code | AppRec |
 * | --- | --- |
 * | ERR_CERT_REVOKED | S03 tilbaketrukket sertifikat |
 * | ERR_CERT_EXPIRED, ERR_CERT_NOT_YET_VALID, ERR_CERT_UNTRUSTED, ERR_CERT_KEY_USAGE, ERR_CERT_CHAIN_INVALID, ERR_CERT_ALGORITHM_UNSUPPORTED, ERR_CERT_MALFORMED | S02 ugyldig sertifikat |
 * | ERR_CERT_REVOCATION_UNAVAILABLE, ERR_CERT_CRL_MALFORMED, ERR_KEY_MALFORMED, ERR_KEY_PASSWORD, ERR_KEY_UNSUPPORTED | S99 annen feil på signatur eller sertifikat |
 *
 * S01 (feil på signatur) belongs to CMS signature failures, not to certificate codes.
 * ERR_CERT_REVOCATION_UNAVAILABLE is retryable: a receiver should retry later rather than send a
 * negative AppRec; S99 is the code to use if it must answer anyway. Key errors are local
 * configuration problems and should normally not reach a counterparty.
 */
export function certErrorAppRecCode(code: CertErrorCode): CertAppRecCode {
  switch (code) {
    case 'ERR_CERT_REVOKED':
      return 'S03';
    case 'ERR_CERT_EXPIRED':
    case 'ERR_CERT_NOT_YET_VALID':
    case 'ERR_CERT_UNTRUSTED':
    case 'ERR_CERT_KEY_USAGE':
    case 'ERR_CERT_CHAIN_INVALID':
    case 'ERR_CERT_ALGORITHM_UNSUPPORTED':
    case 'ERR_CERT_MALFORMED':
      return 'S02';
    case 'ERR_CERT_REVOCATION_UNAVAILABLE':
    case 'ERR_CERT_CRL_MALFORMED':
    case 'ERR_KEY_MALFORMED':
    case 'ERR_KEY_PASSWORD':
    case 'ERR_KEY_UNSUPPORTED':
      return 'S99';
  }
}
