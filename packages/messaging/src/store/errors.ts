/**
 * Typed errors of the store (`MessagingStore` and its SQLite and PostgreSQL adapters). Caller
 * mistakes (wrong argument types, invalid dates, impossible options) throw `TypeError` /
 * `RangeError`; database conditions throw {@link StoreError} with a stable code. Codes are added,
 * never renamed or reused.
 */

/** Every {@link StoreError} code and its meaning. */
export const STORE_ERROR_CODES = {
  /** The database cannot be reached or is busy (locked, connection lost, disk full). Retryable. */
  ERR_STORE_UNAVAILABLE: 'The store is unavailable; try again later',
  /** A concurrent change won: a version or revision did not match, or a key is already taken. */
  ERR_STORE_CONFLICT: 'The record was changed concurrently or already exists',
  /** A message with this (sender HER-id, MsgId) was already received: it must be answered as a duplicate. */
  ERR_STORE_DUPLICATE: 'A message with this sender HER-id and MsgId was already received',
  /** The caller's lease on a claimed message expired and someone else claimed it, or it was settled meanwhile. */
  ERR_STORE_LEASE_LOST: 'The lease on the claimed message was lost',
  /** The record named by the caller does not exist. */
  ERR_STORE_NOT_FOUND: 'No such record',
  /** The record exists but is not in a state that allows the operation. */
  ERR_STORE_INVALID_STATE: 'The record is not in a state that allows this operation',
  /** Applying a schema migration failed; nothing was changed. */
  ERR_STORE_MIGRATION: 'Schema migration failed',
  /** The database has a newer schema than this code knows: upgrade the software. */
  ERR_STORE_SCHEMA_NEWER: 'The database schema is newer than this software',
  /** The database file or a stored value is damaged. */
  ERR_STORE_CORRUPT: 'The store is corrupt',
  /** An update or delete of an append-only record (audit log, downtime log) was refused. */
  ERR_STORE_IMMUTABLE: 'The record is append-only',
  /** The store was closed. */
  ERR_STORE_CLOSED: 'The store is closed',
} as const;

/** Union of every {@link StoreError} code. */
export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

const RETRYABLE: ReadonlySet<StoreErrorCode> = new Set<StoreErrorCode>(['ERR_STORE_UNAVAILABLE']);

/** Options of the {@link StoreError} constructor. */
export interface StoreErrorDetails {
  /** The table concerned, when known (for example the table whose unique key was violated). */
  readonly table?: string;
  /** The underlying driver error. */
  readonly cause?: unknown;
}

/** A database condition in the store. `code` is stable and narrows in a `switch`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** Stable code, see {@link STORE_ERROR_CODES}. */
  readonly code: StoreErrorCode;
  /** True when the same call may succeed later (the engine retries instead of failing the message). */
  readonly retryable: boolean;
  /** The table concerned, when known. */
  readonly table?: string;

  constructor(code: StoreErrorCode, message?: string, details: StoreErrorDetails = {}) {
    super(message ?? STORE_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    if (details.table !== undefined) this.table = details.table;
  }
}

/** True when `value` is a {@link StoreError} (optionally with the given code). */
export function isStoreError(value: unknown, code?: StoreErrorCode): value is StoreError {
  return value instanceof StoreError && (code === undefined || value.code === code);
}
