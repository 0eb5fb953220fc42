/**
 * The app's typed error. Codes are stable strings (ADR 0003); added, never reused.
 */

/** Every code the app layer throws, with its meaning. */
export const APP_ERROR_CODES = {
  ERR_APP_CONFIG_INVALID: 'the configuration file is invalid (every issue is listed with its field)',
  ERR_APP_CONFIG_UNREADABLE: 'the configuration file cannot be read or parsed',
  ERR_APP_SECRET_UNAVAILABLE: 'a secret named in the configuration cannot be read from its file or environment variable',
  ERR_APP_TOKENS_INVALID: 'the API token file is invalid',
  ERR_APP_ENGINE_UNAVAILABLE: 'the messaging engine (createMessagingNode) is not available',
  ERR_APP_EPJ_LOOKUP_FAILED: "the EPJ's patient lookup did not answer as agreed (the engine tries the message again later)",
} as const;

/** Union of the app's error codes. */
export type AppErrorCode = keyof typeof APP_ERROR_CODES;

/** One problem found in a configuration or token file: the field (dotted path) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** An app-level failure with a stable code; configuration errors carry every issue. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly issues: readonly ConfigIssue[];

  constructor(code: AppErrorCode, message: string, options: { issues?: readonly ConfigIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** True when `err` is an {@link AppError}. */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
