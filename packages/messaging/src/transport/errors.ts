/**
 * Typed errors of the transport layer (ADR 0003): stable `ERR_TRANSPORT_*` codes, a `retryable`
 * flag for transient conditions.
 */

/** Stable codes of {@link TransportError} with their short meaning. Codes are added, never reused or renamed. */
export const TRANSPORT_ERROR_CODES = {
  /** The peer (SMTP server, REST service) could not be reached or refused the connection. Retryable. */
  ERR_TRANSPORT_UNAVAILABLE: 'Transport peer unavailable',
  /** The peer did not answer in time. Retryable. */
  ERR_TRANSPORT_TIMEOUT: 'Transport timed out',
  /** No transport acknowledgment arrived after every resend; the message is reported as not delivered. */
  ERR_TRANSPORT_NOT_ACKNOWLEDGED: 'No transport acknowledgment after every resend',
  /** The XML-DSig signature of the transport envelope is missing, malformed or does not verify against the sender's signing certificate. */
  ERR_TRANSPORT_SIGNATURE_INVALID: 'Transport envelope signature invalid',
  /** The transport message (MIME, SOAP, ebXML header) is not well formed or lacks a required element. */
  ERR_TRANSPORT_MALFORMED: 'Transport message malformed',
  /** The transport message exceeds a configured limit (bytes, parts, header size). */
  ERR_TRANSPORT_TOO_LARGE: 'Transport message too large',
  /** A party (sender or receiver HER-id) is unknown to the address register or has no usable transport address or certificate. */
  ERR_TRANSPORT_UNKNOWN_PARTY: 'Unknown communication party',
  /** The message is addressed to a party (HER-id or mailbox) this endpoint does not serve. */
  ERR_TRANSPORT_NOT_FOR_US: 'Message not addressed to this endpoint',
  /** The peer refused the message permanently (SMTP 5xx, or an ebXML MessageError). */
  ERR_TRANSPORT_REJECTED: 'Message rejected by the peer',
  /** The transport is not started, or was stopped. */
  ERR_TRANSPORT_STOPPED: 'Transport is not running',
  /** The message uses something this adapter does not support (ebXML version, algorithm, message type). */
  ERR_TRANSPORT_UNSUPPORTED: 'Unsupported transport feature',
} as const;

/** Union of every {@link TransportError} code. */
export type TransportErrorCode = keyof typeof TRANSPORT_ERROR_CODES;

const RETRYABLE: ReadonlySet<TransportErrorCode> = new Set<TransportErrorCode>(['ERR_TRANSPORT_UNAVAILABLE', 'ERR_TRANSPORT_TIMEOUT', 'ERR_TRANSPORT_STOPPED']);

/** Optional context of a {@link TransportError}. */
export interface TransportErrorDetails {
  /** The ebXML MessageId (or other transport message id) concerned, when known. */
  readonly messageId?: string;
  /** The sender HER-id claimed by the message, when known. */
  readonly from?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * A data or protocol failure of a transport. `code` is stable; `retryable` is true for transient
 * conditions (peer down, timeout) that a later attempt may overcome.
 */
export class TransportError extends Error {
  /** Stable code, see {@link TRANSPORT_ERROR_CODES}. */
  readonly code: TransportErrorCode;
  /** True when retrying later may succeed. */
  readonly retryable: boolean;
  /** The transport message id concerned, when known. */
  readonly messageId: string | undefined;
  /** The claimed sender HER-id, when known. */
  readonly from: string | undefined;

  constructor(code: TransportErrorCode, message?: string, details: TransportErrorDetails = {}) {
    super(message ?? TRANSPORT_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TransportError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.messageId = details.messageId;
    this.from = details.from;
  }
}

/** True when `value` is a {@link TransportError}. */
export function isTransportError(value: unknown): value is TransportError {
  return value instanceof TransportError;
}
