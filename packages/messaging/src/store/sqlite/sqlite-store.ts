/**
 * The embedded SQLite store (better-sqlite3): the engine's default. One database file, WAL
 * journal, `synchronous=FULL` so a commit is on disk before the transport is acknowledged, foreign
 * keys on, a busy timeout for other processes on the same file. Each transaction runs
 * synchronously from BEGIN to COMMIT, so nothing else interleaves with it in this process; write
 * transactions take the write lock up front (`BEGIN IMMEDIATE`).
 *
 * Group commit (ADR 0015): write transactions requested in the same turn of the event loop are
 * run one after the other inside ONE database transaction, each in its own savepoint, and
 * committed with one fsync. A transaction whose body fails is rolled back to its savepoint alone;
 * every promise resolves only after the COMMIT is on disk, and when the COMMIT fails they all
 * reject. So each caller keeps exactly the guarantee of its own transaction (atomic, and durable
 * before it resolves), while concurrent work shares the cost of the fsync.
 */
import { setImmediate } from 'node:timers';
import Database from 'better-sqlite3';
import { StoreError } from '../errors';
import type { MessagingStore } from '../types';
import type { SqlDriver, SqlRow, SqlStatement, SqlTransaction } from '../sql/driver';
import { openSqlStore } from '../sql/sql-store';
import { SQLITE_MIGRATIONS } from './migrations';

/** Default busy timeout: how long a write waits for another connection's lock, in milliseconds. */
export const SQLITE_DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file (created when missing), or `:memory:` for a throw-away database in tests. */
  readonly path: string;
  /** See {@link SQLITE_DEFAULT_BUSY_TIMEOUT_MS}. */
  readonly busyTimeoutMs?: number;
  /** Clock for the migration timestamp (the store methods take their times as arguments). */
  readonly clock?: () => Date;
  /**
   * Group commit: write transactions requested in the same turn of the event loop share one
   * COMMIT (one fsync), each in its own savepoint. Default true; every transaction is still
   * atomic and on disk before its promise resolves.
   */
  readonly groupCommit?: boolean;
}

const UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_PROTOCOL', 'SQLITE_PERM']);

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Maps a better-sqlite3 error to a StoreError (errors already typed pass unchanged). */
function mapError(err: unknown): unknown {
  // duck-typed: errors from Node's core or a native addon may come from another realm (Jest)
  if (err instanceof StoreError || typeof (err as { message?: unknown } | null)?.message !== 'string') return err;
  const e = err as Error;
  const code = errorCode(e);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const table = /constraint failed: (\w+)\./.exec(e.message)?.[1];
    return new StoreError('ERR_STORE_CONFLICT', undefined, table === undefined ? { cause: e } : { cause: e, table });
  }
  if (e.message.startsWith('append-only')) {
    const table = /append-only: (\w+)/.exec(e.message)?.[1];
    return new StoreError('ERR_STORE_IMMUTABLE', undefined, table === undefined ? { cause: e } : { cause: e, table });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT_')) return new StoreError('ERR_STORE_CORRUPT', undefined, { cause: e });
  if (UNAVAILABLE.has(code) || code.startsWith('SQLITE_BUSY_') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN_')) {
    return new StoreError('ERR_STORE_UNAVAILABLE', undefined, { cause: e });
  }
  return err;
}

/** Most write transactions committed together (one fsync). */
const MAX_GROUP = 64;

interface PendingWrite {
  readonly body: () => SqlTransaction<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #group: boolean;
  #pending: PendingWrite[] = [];
  #scheduled = false;

  constructor(db: Database.Database, group: boolean) {
    this.#db = db;
    this.#group = group;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  /** Runs the pending write transactions in one database transaction (see the module comment). */
  #flush(): void {
    const batch = this.#pending.splice(0, MAX_GROUP);
    if (this.#pending.length > 0) this.#schedule();
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const [only] = batch as [PendingWrite];
      try {
        only.resolve(this.#db.transaction(() => this.#drive(only.body)).immediate());
      } catch (err) {
        only.reject(mapError(err));
      }
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.#prepare('BEGIN IMMEDIATE').run();
    } catch (err) {
      const mapped = mapError(err);
      for (const p of batch) p.reject(mapped);
      return;
    }
    try {
      for (const p of batch) {
        this.#prepare('SAVEPOINT samhandling_group').run();
        try {
          outcomes.push({ ok: true, value: this.#drive(p.body) });
          this.#prepare('RELEASE samhandling_group').run();
        } catch (err) {
          // the whole transaction was rolled back by SQLite (disk full, I/O error ...): nothing commits
          if (!this.#db.inTransaction) throw err;
          this.#prepare('ROLLBACK TO samhandling_group').run();
          this.#prepare('RELEASE samhandling_group').run();
          outcomes.push({ ok: false, value: mapError(err) });
        }
      }
      this.#prepare('COMMIT').run();
    } catch (err) {
      if (this.#db.inTransaction) {
        try {
          this.#prepare('ROLLBACK').run();
        } catch {
          // the connection rolled back already
        }
      }
      const mapped = mapError(err);
      for (const p of batch) p.reject(mapped);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as { ok: boolean; value: unknown };
      if (o.ok) p.resolve(o.value);
      else p.reject(o.value);
    });
  }

  #prepare(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  #execute(statement: SqlStatement): unknown {
    if (statement.kind === 'exec') {
      this.#db.exec(statement.sql);
      return undefined;
    }
    const stmt = this.#prepare(statement.sql);
    if (statement.kind === 'all') return stmt.all(...statement.params) as SqlRow[];
    return stmt.run(...statement.params).changes;
  }

  #drive<T>(body: () => SqlTransaction<T>): T {
    const gen = body();
    let step = gen.next();
    while (!step.done) {
      let result: unknown;
      try {
        result = this.#execute(step.value);
      } catch (err) {
        step = gen.throw(mapError(err));
        continue;
      }
      step = gen.next(result);
    }
    return step.value;
  }

  async transaction<T>(body: () => SqlTransaction<T>, options: { readonly write: boolean }): Promise<T> {
    if (options.write && this.#group) {
      return new Promise<T>((resolve, reject) => {
        this.#pending.push({ body, resolve: resolve as (value: unknown) => void, reject });
        this.#schedule();
      });
    }
    try {
      const tx = this.#db.transaction(() => this.#drive(body));
      return options.write ? tx.immediate() : tx.deferred();
    } catch (err) {
      throw mapError(err);
    }
  }

  async close(): Promise<void> {
    while (this.#pending.length > 0) this.#flush();
    this.#statements.clear();
    this.#db.close();
  }
}

/** Sets the connection's pragmas: busy timeout, WAL (files only), synchronous=FULL, foreign keys. Internal. */
export function configureConnection(db: Database.Database, busyTimeoutMs: number, wal: boolean): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (wal) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/**
 * Opens (creating and migrating as needed) the SQLite store at `options.path`.
 *
 * ```ts
 * const store = await openSqliteStore({ path: '/var/lib/samhandling/engine.db' });
 * const stored = await store.storeIncomingRaw({ transportMessageId, payload, receivedAt: clock() });
 * ```
 *
 * @throws StoreError `ERR_STORE_CORRUPT` (not a database), `ERR_STORE_UNAVAILABLE` (cannot open,
 *   locked), `ERR_STORE_SCHEMA_NEWER`, `ERR_STORE_MIGRATION`.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<MessagingStore> {
  if (typeof options !== 'object' || options === null || typeof options.path !== 'string' || options.path === '') {
    throw new TypeError('openSqliteStore needs a path');
  }
  const busy = options.busyTimeoutMs ?? SQLITE_DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busy) || busy < 0) throw new RangeError('busyTimeoutMs must be a non-negative integer');
  if (options.groupCommit !== undefined && typeof options.groupCommit !== 'boolean') throw new TypeError('groupCommit must be a boolean');
  let db: Database.Database | undefined;
  try {
    db = new Database(options.path, { timeout: busy });
    configureConnection(db, busy, options.path !== ':memory:');
  } catch (err) {
    db?.close();
    throw mapError(err);
  }
  const driver = new SqliteDriver(db, options.groupCommit !== false);
  try {
    return await openSqlStore(driver, SQLITE_MIGRATIONS, options.clock === undefined ? {} : { clock: options.clock });
  } catch (err) {
    await driver.close();
    throw err;
  }
}
