/**
 * @samhandling/cms: CMS sign-then-encrypt and certificate validation for Norwegian health messaging.
 * Explicit named exports only; each block is owned by one area of the package.
 */

// --- cms operations (sign, verify, encrypt, decrypt, protect, unprotect) ---

// --- certificates, keys, revocation, test PKI ---

export const PACKAGE_NAME = '@samhandling/cms';
