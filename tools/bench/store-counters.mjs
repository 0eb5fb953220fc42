// Store counters of the engine benchmark: write transactions (as the engine asks for them),
// COMMITs (= fsyncs in WAL with synchronous=FULL; with group commit several transactions share
// one) and read transactions. Counted by wrapping better-sqlite3's transaction and the prepared
// SAVEPOINT/COMMIT statements, which is all the SQLite adapter uses. Call once per process,
// before the engines open their databases.
import { createRequire } from 'node:module';

/** Wraps better-sqlite3 (as the messaging package resolves it); returns the live counters. */
export function countStoreWork() {
  const store = { writes: 0, commits: 0, reads: 0 };
  const Database = createRequire(new URL('../../packages/messaging/package.json', import.meta.url))('better-sqlite3');
  const transaction = Database.prototype.transaction;
  Database.prototype.transaction = function (fn) {
    const tx = transaction.call(this, fn);
    return {
      deferred: (...a) => {
        store.reads++;
        return tx.deferred(...a);
      },
      immediate: (...a) => {
        store.writes++;
        store.commits++;
        return tx.immediate(...a);
      },
    };
  };
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (sql, ...rest) {
    const stmt = prepare.call(this, sql, ...rest);
    const count = sql === 'COMMIT' ? 'commits' : sql.startsWith('SAVEPOINT') ? 'writes' : undefined;
    if (count === undefined) return stmt;
    const run = stmt.run.bind(stmt);
    return new Proxy(stmt, { get: (t, k) => (k === 'run' ? (...a) => (store[count]++, run(...a)) : Reflect.get(t, k)) });
  };
  return store;
}
