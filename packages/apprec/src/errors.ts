/**
 * Typed errors of `@samhandling/apprec`. Data and protocol failures throw {@link ApprecError} with a
 * stable string code; caller mistakes (wrong argument types, impossible options) throw `TypeError`
 * / `RangeError`. Codes are added, never renamed or reused.
 */
export const APPREC_ERROR_CODES = {
  /** A receipt was asked for an AppRec: an AppRec is never answered with an AppRec. */
  ERR_APPREC_FOR_APPREC: 'An AppRec is never answered with an AppRec',
  /** The received message has no usable MsgId, so no OriginalMsgId can be written. */
  ERR_APPREC_MISSING_MSGID: 'The received message has no usable MsgId',
  /** The received message's sender has no HER-id on any level: the receipt cannot be addressed. */
  ERR_APPREC_MISSING_SENDER: 'The received message has no sender that can be addressed',
  /** The received message's receiver (us) has no HER-id on any level: the receipt has no sender. */
  ERR_APPREC_MISSING_RECEIVER: 'The received message has no receiver HER-id',
  /** Status 2 (Avvist) was asked for without any error code. */
  ERR_APPREC_REJECTED_WITHOUT_ERRORS: 'A rejection (status 2) needs at least one error',
  /** An AppRec model given to the builder breaks the standard's rules; `issues` lists every problem. */
  ERR_APPREC_INVALID_MODEL: 'Invalid AppRec model',
  /** The document is not an AppRec (root element or namespace). */
  ERR_APPREC_NOT_APPREC: 'Not an AppRec document',
  /** A required element of a received AppRec is missing. */
  ERR_APPREC_MISSING_ELEMENT: 'Required element missing in AppRec',
  /** An element or attribute of a received AppRec has a value that cannot be used. */
  ERR_APPREC_INVALID_VALUE: 'Invalid value in AppRec',
  /** An AppRec refers to a MsgId we never sent (or no longer track): kept as an orphan. */
  ERR_APPREC_ORPHAN: 'AppRec for an unknown message',
  /** An AppRec came from a party that was not the receiver of the original message: refused. */
  ERR_APPREC_SPOOFED: 'AppRec from a party that was not the receiver',
  /** A second, different AppRec for a message that already has one: kept, state unchanged. */
  ERR_APPREC_CONFLICT: 'A second, different AppRec for the same message',
  /** A message was registered for tracking twice with different data. */
  ERR_APPREC_ALREADY_TRACKED: 'Message is already tracked with different data',
  /** The received message has no patient, which a Tilbakemelding om feil must carry. */
  ERR_APPREC_MISSING_PATIENT: 'The received message has no patient',
  /** A message given as Tilbakemelding om feil is not a DIALOG_AVVIK. */
  ERR_APPREC_NOT_ERROR_FEEDBACK: 'Not a Tilbakemelding om feil (DIALOG_AVVIK)',
  /** A Tilbakemelding om feil names no original message (no DokIdNotat, no ConversationRef). */
  ERR_APPREC_FEEDBACK_NO_REFERENCE: 'Tilbakemelding om feil does not name the original message',
} as const;

/** Union of every {@link ApprecError} code. */
export type ApprecErrorCode = keyof typeof APPREC_ERROR_CODES;

/** One problem found in a model or document: a path and what is wrong. */
export interface ApprecIssue {
  /** Model path (`sender.hcp.inst.id`) or document path (`/AppRec/Status/@V`); `''` for the whole input. */
  readonly path: string;
  readonly message: string;
}

/** Options of the {@link ApprecError} constructor. */
export interface ApprecErrorDetails {
  /** Location of the problem, when there is one. */
  readonly path?: string;
  /** 1-based line in the source document, when known. */
  readonly line?: number;
  /** Every problem, when one error reports several. */
  readonly issues?: readonly ApprecIssue[];
  readonly cause?: unknown;
}

/** A data or protocol failure in `@samhandling/apprec`. `code` is stable and narrows in a `switch`. */
export class ApprecError extends Error {
  override readonly name = 'ApprecError';
  /** Stable code, see {@link APPREC_ERROR_CODES}. */
  readonly code: ApprecErrorCode;
  readonly path?: string;
  readonly line?: number;
  /** Every problem found; empty when the error reports one. */
  readonly issues: readonly ApprecIssue[];

  constructor(code: ApprecErrorCode, message?: string, details: ApprecErrorDetails = {}) {
    super(message ?? APPREC_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.path !== undefined) this.path = details.path;
    if (details.line !== undefined) this.line = details.line;
    this.issues = details.issues ?? [];
  }
}

/** True when `value` is an {@link ApprecError}. */
export function isApprecError(value: unknown): value is ApprecError {
  return value instanceof ApprecError;
}

/** Collects issues and throws one {@link ApprecError} listing all of them. */
export class IssueList {
  readonly #issues: ApprecIssue[] = [];

  add(path: string, message: string): void {
    this.#issues.push({ path, message });
  }

  get length(): number {
    return this.#issues.length;
  }

  /** Throws `code` with every collected issue, when there is any. */
  throwIfAny(code: ApprecErrorCode, what: string): void {
    if (this.#issues.length === 0) return;
    const shown = this.#issues
      .slice(0, 3)
      .map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`))
      .join('; ');
    const more = this.#issues.length > 3 ? ` (and ${this.#issues.length - 3} more)` : '';
    throw new ApprecError(code, `${what}: ${shown}${more}`, { issues: [...this.#issues] });
  }
}
