/**
 * Typed errors of the CMS operations and their mapping to AppRec error codes (kodeverk 8221).
 */

/** Stable codes of {@link CmsError} with their short meaning (ADR 0003). Codes are added, never reused or renamed. */
export const CMS_ERROR_CODES = {
  /** The input is not a well-formed CMS ContentInfo of the expected shape (bad BER/DER, truncated, absurd lengths, too deep). */
  ERR_CMS_MALFORMED: 'CMS structure is malformed',
  /** The input exceeds {@link CMS_MAX_INPUT_BYTES} (or the caller's lower limit). */
  ERR_CMS_TOO_LARGE: 'CMS input is too large',
  /** The content type is not the one the operation expects (e.g. SignedData where EnvelopedData was required). */
  ERR_CMS_UNEXPECTED_CONTENT_TYPE: 'Unexpected CMS content type',
  /** An algorithm (key transport, content encryption, digest, signature) that this package does not implement. */
  ERR_CMS_UNSUPPORTED_ALGORITHM: 'Unsupported CMS algorithm',
  /** A legacy algorithm (DES, 3DES, SHA-1) that the policy does not allow. */
  ERR_CMS_LEGACY_ALGORITHM_REFUSED: 'Legacy algorithm refused by policy',
  /** None of the configured decryption keys matches a recipient of the EnvelopedData. */
  ERR_CMS_NO_MATCHING_KEY: 'No decryption key matches a recipient',
  /** Decryption failed (wrong key, bad padding, tampered ciphertext). Deliberately generic; detail only in `cause`. */
  ERR_CMS_DECRYPT_FAILED: 'Decryption failed',
  /** The SignedData carries no encapsulated content (detached signatures are not accepted). */
  ERR_CMS_CONTENT_MISSING: 'Signed data carries no content',
  /** The SignedData has no SignerInfo, or more than one. */
  ERR_CMS_SIGNER_COUNT: 'Signed data must have exactly one signer',
  /** The certificate named by the SignerInfo sid is not among the certificates of the SignedData. */
  ERR_CMS_SIGNER_NOT_FOUND: 'Signer certificate not found in the signed data',
  /** The signature, the messageDigest or the contentType attribute does not verify. */
  ERR_CMS_SIGNATURE_INVALID: 'Signature is invalid',
  /** The verified signer is not the expected one (certificate or organisation number). */
  ERR_CMS_SIGNER_MISMATCH: 'Signer is not the expected sender',
  /** The signingTime attribute is unreadable, repeated, or lies further in the future than the allowed clock skew. */
  ERR_CMS_SIGNING_TIME_INVALID: 'Signing time is invalid',
} as const;

/** Union of every {@link CmsError} code. */
export type CmsErrorCode = keyof typeof CMS_ERROR_CODES;

/**
 * A data or protocol failure of a CMS operation. `code` is stable; `message` is short and, for
 * decryption failures, deliberately generic; the detail is in `cause`.
 */
export class CmsError extends Error {
  /** Stable code, see {@link CMS_ERROR_CODES}. */
  readonly code: CmsErrorCode;
  /** Always false: no CMS failure goes away by retrying (compare `CertError.retryable`). */
  readonly retryable = false;

  constructor(code: CmsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CmsError';
    this.code = code;
  }
}

/** AppRec error code (kodeverk 8221) used for CMS and certificate failures. */
export type CmsAppRecCode = 'S01' | 'S02' | 'S03' | 'S99' | 'T01' | 'T10' | 'T99' | 'X99';

const CMS_APPREC: Readonly<Record<CmsErrorCode, CmsAppRecCode>> = {
  ERR_CMS_MALFORMED: 'T01',
  ERR_CMS_TOO_LARGE: 'T99',
  ERR_CMS_UNEXPECTED_CONTENT_TYPE: 'T10',
  ERR_CMS_UNSUPPORTED_ALGORITHM: 'T10',
  ERR_CMS_LEGACY_ALGORITHM_REFUSED: 'T10',
  ERR_CMS_NO_MATCHING_KEY: 'X99',
  ERR_CMS_DECRYPT_FAILED: 'X99',
  ERR_CMS_CONTENT_MISSING: 'S99',
  ERR_CMS_SIGNER_COUNT: 'S99',
  ERR_CMS_SIGNER_NOT_FOUND: 'S01',
  ERR_CMS_SIGNATURE_INVALID: 'S01',
  ERR_CMS_SIGNER_MISMATCH: 'S99',
  ERR_CMS_SIGNING_TIME_INVALID: 'S01',
};

/**
 * AppRec error code (8221) for a {@link CmsError} code:
 * signature problems → S01; a signer that is not the expected sender, missing content or several
 * signers → S99; unreadable structure → T01; unsupported or refused algorithms and content types
 * → T10; too large → T99; decryption failures and no matching key → X99 (the cause cannot be told
 * apart without helping an attacker). Certificate failures ({@link CertError}) map through
 * `certErrorAppRecCode` (S02/S03/S99); use {@link appRecCodeForError} for any thrown value.
 */
export function cmsErrorAppRecCode(code: CmsErrorCode): CmsAppRecCode {
  const mapped = CMS_APPREC[code] as CmsAppRecCode | undefined;
  if (mapped === undefined) throw new RangeError(`unknown CMS error code: ${String(code)}`);
  return mapped;
}

/** Narrows an unknown thrown value to {@link CmsError}. */
export function isCmsError(value: unknown): value is CmsError {
  return value instanceof CmsError;
}
