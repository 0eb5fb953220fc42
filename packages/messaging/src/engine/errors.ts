/**
 * Typed errors of the messaging engine (ADR 0003). The codes that decide what happens to a
 * received message (`ERR_MSG_*` of `MESSAGING_ERROR_CODES`) live in `@samhandling/apprec`'s one
 * error table; the engine adds operational codes for API calls that cannot be carried out.
 */
import { MESSAGING_ERROR_CODES } from '@samhandling/apprec';

/** Every {@link EngineError} code with its meaning. Codes are added, never renamed or reused. */
export const ENGINE_ERROR_CODES = {
  ...MESSAGING_ERROR_CODES,
  /** The message, quarantine entry, task or inbox item named by the caller does not exist. */
  ERR_MSG_NOT_FOUND: 'No such message or entry',
  /** The entry is not in a state that allows the operation (for example forwarding an unreadable message). */
  ERR_MSG_INVALID_STATE: 'The entry does not allow this operation',
  /** The engine is not started, or was stopped. */
  ERR_MSG_NOT_RUNNING: 'The messaging engine is not running',
} as const;

/** Union of every {@link EngineError} code. */
export type EngineErrorCode = keyof typeof ENGINE_ERROR_CODES;

const RETRYABLE: ReadonlySet<EngineErrorCode> = new Set<EngineErrorCode>([
  'ERR_MSG_STORE_UNAVAILABLE',
  'ERR_MSG_ADDRESS_REGISTER_UNAVAILABLE',
  'ERR_MSG_TRANSPORT_UNAVAILABLE',
  'ERR_MSG_INBOX_UNAVAILABLE',
]);

/** A failure inside the engine with a stable code; `retryable` for transient conditions. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  /** Stable code, see {@link ENGINE_ERROR_CODES}. */
  readonly code: EngineErrorCode;
  /** True when a later attempt may succeed. */
  readonly retryable: boolean;

  constructor(code: EngineErrorCode, message?: string, options: { readonly cause?: unknown } = {}) {
    super(message ?? ENGINE_ERROR_CODES[code], options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = RETRYABLE.has(code);
  }
}

/** True when `value` is an {@link EngineError}. */
export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError;
}
