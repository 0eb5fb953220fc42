/**
 * Collecting model problems: builders check the whole model, collect every issue with its model
 * path, and throw once (`ERR_PLO_INVALID_MODEL` with `issues`). Internal.
 */
import { PloError } from '../../errors';

/** Anything that accepts an issue (path + message). */
export interface IssueSink {
  add(path: string, message: string): void;
}

/** An {@link IssueSink} that throws one `PloError` listing every issue. */
export class Issues implements IssueSink {
  readonly items: { readonly path: string; readonly message: string }[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  /** Throw `ERR_PLO_INVALID_MODEL` (path = first issue) when any issue was added. */
  throwIfAny(what: string): void {
    const first = this.items[0];
    if (first === undefined) return;
    const more = this.items.length > 1 ? ` (and ${this.items.length - 1} more)` : '';
    throw new PloError('ERR_PLO_INVALID_MODEL', `Invalid ${what}: ${first.path}: ${first.message}${more}`, {
      path: first.path,
      issues: [...this.items],
    });
  }
}

/** True for a string with at least one non-whitespace character. */
export function hasText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Optional free text must not be blank when present. */
export function checkOptionalText(issues: IssueSink, path: string, value: string | undefined): void {
  if (value !== undefined && !hasText(value)) issues.add(path, 'must not be empty when given');
}

/**
 * A value written as element text and read back trimmed (names, ids): must be non-blank and
 * without leading or trailing whitespace.
 */
export function checkToken(issues: IssueSink, path: string, value: string | undefined, required: boolean): void {
  if (value === undefined) {
    if (required) issues.add(path, 'is required');
    return;
  }
  if (!hasText(value)) issues.add(path, 'must not be empty');
  else if (value !== value.trim()) issues.add(path, 'must not start or end with whitespace');
}
