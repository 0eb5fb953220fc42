/**
 * Typed errors of `@samhandling/procedure`. Data and protocol failures (an event, scenario, policy
 * or persisted state that cannot be used) throw {@link ProcedureError} with a stable string code;
 * caller mistakes (wrong argument types) throw `TypeError` / `RangeError`. Codes are added, never
 * renamed or reused.
 */
export const PROCEDURE_ERROR_CODES = {
  /** An event is malformed: unknown type, missing or invalid field, wrong sender for its type. */
  ERR_PROCEDURE_INVALID_EVENT: 'Invalid procedure event',
  /** A message id was seen before with different content. */
  ERR_PROCEDURE_DUPLICATE_CONFLICT: 'Message id already used with different content',
  /** A policy (defaults overridden by configuration) has an invalid value. */
  ERR_PROCEDURE_INVALID_POLICY: 'Invalid procedure policy',
  /** A scenario document (the `simulate` input) is malformed. */
  ERR_PROCEDURE_INVALID_SCENARIO: 'Invalid procedure scenario',
  /** A persisted state snapshot is malformed. */
  ERR_PROCEDURE_INVALID_STATE: 'Invalid procedure state',
  /** A persisted state has a schemaVersion this version cannot read (newer, or no migration). */
  ERR_PROCEDURE_UNSUPPORTED_STATE_VERSION: 'Unsupported procedure state version',
  /** A stay key (patient id, hospital HER-id, admission) is invalid. */
  ERR_PROCEDURE_INVALID_STAY_KEY: 'Invalid stay key',
  /** An event names a different stay than the state it is applied to. */
  ERR_PROCEDURE_WRONG_STAY: 'Event belongs to another stay',
} as const;

/** Union of every {@link ProcedureError} code. */
export type ProcedureErrorCode = keyof typeof PROCEDURE_ERROR_CODES;

/** One problem found while checking an input: a JSON-pointer-like path and a message. */
export interface ProcedureIssue {
  /** Location in the checked input, e.g. `events[3].at`; `''` for the whole input. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
}

/** A data or protocol failure in the procedure package. `code` is stable; `message` is not. */
export class ProcedureError extends Error {
  override readonly name = 'ProcedureError';
  /** Stable code; `switch (err.code)` narrows. */
  readonly code: ProcedureErrorCode;
  /** Every problem found, when the error reports several (validation). */
  readonly issues: readonly ProcedureIssue[];

  constructor(code: ProcedureErrorCode, message?: string, details: { issues?: readonly ProcedureIssue[]; cause?: unknown } = {}) {
    super(message ?? PROCEDURE_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.issues = details.issues ?? [];
  }
}

/** True when `value` is a {@link ProcedureError}. */
export function isProcedureError(value: unknown): value is ProcedureError {
  return value instanceof ProcedureError;
}

/** Throws `code` with all `issues` when there are any; the message lists the first few. */
export function throwIfIssues(code: ProcedureErrorCode, issues: readonly ProcedureIssue[]): void {
  if (issues.length === 0) return;
  const shown = issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw new ProcedureError(code, `${PROCEDURE_ERROR_CODES[code]}: ${shown}${more}`, { issues });
}
