/**
 * Failures of the validator itself (not of a validated document): a bad schema directory, a
 * schema set that does not compile. Documents never throw: their problems are reported as issues.
 * Codes are added, never reused.
 */
export const SCHEMA_ERROR_CODES = {
  /** The schema directory does not exist, is not a directory or cannot be read. */
  ERR_SCHEMA_DIRECTORY: 'Schema directory cannot be read',
  /** An .xsd file in the schema directory cannot be read or has no targetNamespace. */
  ERR_SCHEMA_FILE: 'Schema file cannot be read',
  /** Two schema files in one directory declare the same targetNamespace. */
  ERR_SCHEMA_DUPLICATE_NAMESPACE: 'Two schema files declare the same namespace',
  /** The composed schema set does not compile. */
  ERR_SCHEMA_COMPILE: 'Schema set does not compile',
} as const;

/** Code of a {@link SchemaError}. */
export type SchemaErrorCode = keyof typeof SCHEMA_ERROR_CODES;

/** Typed failure of the validator itself, with a stable `code`. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  readonly code: SchemaErrorCode;
  /** Schema file or directory concerned, when known. */
  readonly file?: string;

  constructor(code: SchemaErrorCode, message?: string, details: { file?: string; cause?: unknown } = {}) {
    super(message ?? SCHEMA_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
  }
}

/** True when `value` is a {@link SchemaError}. */
export function isSchemaError(value: unknown): value is SchemaError {
  return value instanceof SchemaError;
}
