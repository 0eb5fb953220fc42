/**
 * The small driver interface the SQL store core runs on. A transaction body is a generator that
 * yields statements and receives their results: a synchronous driver (better-sqlite3) runs it to
 * the end inside one synchronous transaction, so no other work interleaves with it; an asynchronous
 * driver (pg) awaits each statement on one pooled connection. The same body therefore has the same
 * meaning on both engines.
 */

/** A parameter value: text, a number (integers up to 2^53), NULL, or bytes. */
export type SqlValue = string | number | null | Uint8Array;

/** A row as the driver returns it: column name → value (integers as numbers, blobs as bytes, JSON as text). */
export type SqlRow = Readonly<Record<string, unknown>>;

/**
 * One statement for the driver. Parameters are written `?` in `sql` (the PostgreSQL driver numbers
 * them); `exec` runs a parameterless script of several statements.
 * - `all` resolves the returned rows (SELECT, or a write with RETURNING);
 * - `run` resolves the number of rows changed;
 * - `exec` resolves nothing.
 */
export interface SqlStatement {
  readonly kind: 'all' | 'run' | 'exec';
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** A transaction body: yields statements, receives each result, returns the transaction's value. */
export type SqlTransaction<T> = Generator<SqlStatement, T, unknown>;

/** SQL dialect of a driver. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * What the store core needs from a database. Implementations must:
 * - run `body` in one transaction, commit when it returns, roll back when it throws (re-running
 *   `body()` from the start is allowed, e.g. after a serialization failure);
 * - in `write` transactions, take the write lock up front (SQLite `BEGIN IMMEDIATE`);
 * - map driver errors to `StoreError`: a unique-key violation to `ERR_STORE_CONFLICT` with `table`,
 *   an append-only trigger (message starting `append-only`) to `ERR_STORE_IMMUTABLE`, busy or lost
 *   connections to `ERR_STORE_UNAVAILABLE`, damaged files to `ERR_STORE_CORRUPT`; errors thrown by
 *   the body itself pass unchanged.
 */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  transaction<T>(body: () => SqlTransaction<T>, options: { readonly write: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** A schema migration: its version (1, 2, ...), name (`001_init`) and script. */
export interface SqlMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Runs a query and returns its rows. */
export function* all<R = SqlRow>(sql: string, ...params: SqlValue[]): Generator<SqlStatement, R[], unknown> {
  return (yield { kind: 'all', sql, params }) as R[];
}

/** Runs a query and returns its first row. */
export function* one<R = SqlRow>(sql: string, ...params: SqlValue[]): Generator<SqlStatement, R | undefined, unknown> {
  const rows = (yield { kind: 'all', sql, params }) as R[];
  return rows[0];
}

/** Runs a write and returns the number of rows changed. */
export function* run(sql: string, ...params: SqlValue[]): Generator<SqlStatement, number, unknown> {
  return (yield { kind: 'run', sql, params }) as number;
}

/** Runs a parameterless script. */
export function* exec(sql: string): Generator<SqlStatement, void, unknown> {
  yield { kind: 'exec', sql, params: [] };
}
