/**
 * Typed errors of `@samhandling/plo`. Data and protocol failures throw `PloError` with a stable
 * string code; caller mistakes throw `TypeError` / `RangeError`. Codes are added, never reused.
 */
export const PLO_ERROR_CODES = {
  /** A person identifier (fødselsnummer family) has a wrong length, date or check digit. */
  ERR_PLO_INVALID_PERSON_ID: 'Invalid person identifier',
  /** A HER-id is not a positive integer in the register's range. */
  ERR_PLO_INVALID_HER_ID: 'Invalid HER-id',
  /** An organisation number fails its length or mod-11 check. */
  ERR_PLO_INVALID_ORG_NUMBER: 'Invalid organisation number',
  /** A code is not in its code list (kodeverk). */
  ERR_PLO_UNKNOWN_CODE: 'Code not in its code list',
  /** The message type (MsgInfo/Type) is not registered. */
  ERR_PLO_UNKNOWN_MESSAGE_TYPE: 'Unknown message type',
  /** The content namespace is not supported for the message type. */
  ERR_PLO_UNSUPPORTED_VERSION: 'Unsupported message version',
  /** A builder was given a model that breaks the standard's rules. */
  ERR_PLO_INVALID_MODEL: 'Invalid message model',
  /** A required element is missing in a message being parsed. */
  ERR_PLO_MISSING_ELEMENT: 'Required element missing',
  /** An element or attribute has a value that cannot be read. */
  ERR_PLO_INVALID_VALUE: 'Invalid value in message',
  /** The document is not a MsgHead (wrong root element or namespace). */
  ERR_PLO_NOT_MSGHEAD: 'Not a MsgHead document',
  /** XML refused before parsing: DOCTYPE or entity declaration present. */
  ERR_PLO_XML_DTD_FORBIDDEN: 'DOCTYPE and entity declarations are not allowed',
  /** XML larger than the configured limit. */
  ERR_PLO_XML_TOO_LARGE: 'XML document exceeds the size limit',
  /** XML nested deeper than the configured limit. */
  ERR_PLO_XML_TOO_DEEP: 'XML document exceeds the depth limit',
  /** Bytes that are not valid in the declared or detected encoding. */
  ERR_PLO_XML_ENCODING: 'XML document has an invalid or unsupported encoding',
  /** Not well-formed XML (includes empty and truncated input). */
  ERR_PLO_XML_NOT_WELL_FORMED: 'XML document is not well-formed',
  /** A construct that is never followed (XInclude, external references). */
  ERR_PLO_XML_FORBIDDEN_CONSTRUCT: 'XML document uses a forbidden construct',
} as const;

export type PloErrorCode = keyof typeof PLO_ERROR_CODES;

export interface PloErrorDetails {
  /** 1-based line in the source document, when known. */
  readonly line?: number;
  /** XPath-like location of the offending element, when known. */
  readonly path?: string;
  /** Further issues, when one error reports several problems. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

export class PloError extends Error {
  override readonly name = 'PloError';
  readonly code: PloErrorCode;
  readonly line?: number;
  readonly path?: string;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];

  constructor(code: PloErrorCode, message?: string, details: PloErrorDetails & { cause?: unknown } = {}) {
    super(message ?? PLO_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.line !== undefined) this.line = details.line;
    if (details.path !== undefined) this.path = details.path;
    if (details.issues !== undefined) this.issues = details.issues;
  }
}

export function isPloError(value: unknown): value is PloError {
  return value instanceof PloError;
}
