/** Typed errors of the address register (ADR 0003). */

/** Stable codes of {@link AddressRegisterError} with their short meaning. Codes are added, never reused or renamed. */
export const ADDRESS_REGISTER_ERROR_CODES = {
  /** The register data (file or list) breaks a rule; `issues` name every field (path + message). */
  ERR_AR_INVALID: 'Address register data is invalid',
  /** The register file cannot be read or is not JSON. */
  ERR_AR_UNREADABLE: 'Address register file cannot be read',
  /** No party has this HER-id. */
  ERR_AR_UNKNOWN_PARTY: 'Unknown HER-id',
  /** Neither the party nor any parent has a transport address. */
  ERR_AR_NO_TRANSPORT: 'No transport address for the party',
  /** Neither the party nor any parent has the requested certificate. */
  ERR_AR_NO_CERTIFICATE: 'No certificate for the party',
  /** A remote register did not answer (retryable). */
  ERR_AR_UNAVAILABLE: 'Address register unavailable',
} as const;

/** Union of every {@link AddressRegisterError} code. */
export type AddressRegisterErrorCode = keyof typeof ADDRESS_REGISTER_ERROR_CODES;

/** One problem found while validating register data. */
export interface AddressRegisterIssue {
  /** Where, e.g. `parties[2].transport.port`. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
}

/** A failure of the address register. `issues` lists every problem for ERR_AR_INVALID. */
export class AddressRegisterError extends Error {
  /** Stable code, see {@link ADDRESS_REGISTER_ERROR_CODES}. */
  readonly code: AddressRegisterErrorCode;
  /** True for ERR_AR_UNAVAILABLE. */
  readonly retryable: boolean;
  /** Every validation problem (ERR_AR_INVALID), else empty. */
  readonly issues: readonly AddressRegisterIssue[];
  /** The HER-id concerned, when one is. */
  readonly herId: string | undefined;

  constructor(code: AddressRegisterErrorCode, message?: string, details: { issues?: readonly AddressRegisterIssue[]; herId?: string; cause?: unknown } = {}) {
    super(message ?? ADDRESS_REGISTER_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AddressRegisterError';
    this.code = code;
    this.retryable = code === 'ERR_AR_UNAVAILABLE';
    this.issues = details.issues ?? [];
    this.herId = details.herId;
  }
}

/** True when `value` is an {@link AddressRegisterError}. */
export function isAddressRegisterError(value: unknown): value is AddressRegisterError {
  return value instanceof AddressRegisterError;
}
