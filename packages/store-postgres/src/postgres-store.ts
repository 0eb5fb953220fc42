/**
 * The PostgreSQL store: `MessagingStore` of `@samhandling/messaging` over a `pg` Pool, for several
 * engine instances sharing one database. The store logic is the messaging package's SQL core; this
 * file supplies the driver: one pooled connection per transaction (READ COMMITTED with explicit
 * row locks; work claimed with `FOR UPDATE SKIP LOCKED`), retries on serialization failures and
 * deadlocks, and the mapping of PostgreSQL errors to `StoreError`.
 */
import pg from 'pg';
import { StoreError, openSqlStore } from '@samhandling/messaging';
import type { MessagingStore, SqlDriver, SqlRow, SqlStatement, SqlTransaction } from '@samhandling/messaging';
import { POSTGRES_MIGRATIONS } from './migrations';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgresql://user@host:port/database`; or give `pool`. */
  readonly connectionString?: string;
  /** Further `pg` pool settings (host, ssl, max, idleTimeoutMillis ...); `connectionString` wins. */
  readonly pool?: pg.PoolConfig;
  /** How often a transaction is retried after a serialization failure or deadlock. Default 5. */
  readonly maxRetries?: number;
  /** Clock for the migration timestamp (the store methods take their times as arguments). */
  readonly clock?: () => Date;
  /** Called with errors of idle pooled connections (for example a server restart); default: ignored. */
  readonly onPoolError?: (err: Error) => void;
}

const OID_INT8 = 20;
const OID_JSON = 114;
const OID_JSONB = 3802;

/** Type parsers of this store's pools: BIGINT as number (times in ms, ids), JSON as text. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === OID_INT8) return (value: string) => Number(value);
    if (oid === OID_JSON || oid === OID_JSONB) return (value: string) => value;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

const RETRY_CODES = new Set(['40001', '40P01']);
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53000', '53100', '53200', '53300', '55P03', '57014', '25006']);
const NODE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Maps a pg error to a StoreError; errors already typed and unknown errors pass unchanged. */
function mapError(err: unknown): unknown {
  // duck-typed: errors from Node's core or a native addon may come from another realm (Jest)
  if (err instanceof StoreError || typeof (err as { message?: unknown } | null)?.message !== 'string') return err;
  const e = err as Error;
  const code = codeOf(e);
  if (code === '23505') {
    const table = (e as { table?: unknown }).table;
    return new StoreError('ERR_STORE_CONFLICT', undefined, typeof table === 'string' ? { cause: e, table } : { cause: e });
  }
  if (e.message.startsWith('append-only')) {
    const table = /append-only: (\w+)/.exec(e.message)?.[1];
    return new StoreError('ERR_STORE_IMMUTABLE', undefined, table === undefined ? { cause: e } : { cause: e, table });
  }
  if (code === 'XX001' || code === 'XX002') return new StoreError('ERR_STORE_CORRUPT', undefined, { cause: e });
  if (
    RETRY_CODES.has(code) ||
    UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') ||
    NODE_NETWORK_CODES.has(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message)
  ) {
    return new StoreError('ERR_STORE_UNAVAILABLE', undefined, { cause: e });
  }
  return err;
}

function isRetryable(err: unknown): boolean {
  return err instanceof StoreError && err.code === 'ERR_STORE_UNAVAILABLE' && RETRY_CODES.has(codeOf(err.cause));
}

/** `?` placeholders → `$1, $2, ...` (the store core writes no other `?`). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #maxRetries: number;
  readonly #sql = new Map<string, string>();

  constructor(pool: pg.Pool, maxRetries: number) {
    this.#pool = pool;
    this.#maxRetries = maxRetries;
  }

  async #execute(client: pg.PoolClient, statement: SqlStatement): Promise<unknown> {
    if (statement.kind === 'exec') {
      await client.query(statement.sql);
      return undefined;
    }
    let text = this.#sql.get(statement.sql);
    if (text === undefined) {
      text = numbered(statement.sql);
      this.#sql.set(statement.sql, text);
    }
    const result = await client.query({ text, values: [...statement.params] });
    return statement.kind === 'all' ? (result.rows as SqlRow[]) : (result.rowCount ?? 0);
  }

  async transaction<T>(body: () => SqlTransaction<T>, options: { readonly write: boolean }): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.#pool.connect();
      } catch (err) {
        throw mapError(err);
      }
      let broken = false;
      try {
        await client.query(options.write ? 'BEGIN' : 'BEGIN READ ONLY');
        const gen = body();
        let step = gen.next();
        while (!step.done) {
          let result: unknown;
          try {
            result = await this.#execute(client, step.value);
          } catch (err) {
            step = gen.throw(mapError(err));
            continue;
          }
          step = gen.next(result);
        }
        await client.query('COMMIT');
        return step.value;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const mapped = mapError(err);
        if (isRetryable(mapped) && attempt < this.#maxRetries) continue;
        throw mapped;
      } finally {
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/**
 * Opens the PostgreSQL store: creates a pool, applies the migrations (instances starting together
 * are serialised by an advisory lock) and returns the store. Close it with `store.close()`.
 *
 * @throws StoreError `ERR_STORE_UNAVAILABLE` (server unreachable), `ERR_STORE_SCHEMA_NEWER`,
 *   `ERR_STORE_MIGRATION`.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<MessagingStore> {
  if (typeof options !== 'object' || options === null) throw new TypeError('openPostgresStore needs options');
  if (options.connectionString === undefined && options.pool === undefined) throw new TypeError('openPostgresStore needs a connectionString or pool settings');
  if (options.connectionString !== undefined && (typeof options.connectionString !== 'string' || options.connectionString === '')) {
    throw new TypeError('connectionString must be a non-empty string');
  }
  const maxRetries = options.maxRetries ?? 5;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError('maxRetries must be a non-negative integer');
  const pool = new pg.Pool({
    ...options.pool,
    ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
    types: TYPES,
  });
  pool.on('error', (err) => options.onPoolError?.(err));
  const driver = new PostgresDriver(pool, maxRetries);
  try {
    return await openSqlStore(driver, POSTGRES_MIGRATIONS, options.clock === undefined ? {} : { clock: options.clock });
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw err;
  }
}
