import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describeStoreContract } from '../../../test/store/contract';
import type { StoreContractDatabase } from '../../../test/store/contract';
import { SQLITE_MIGRATIONS } from './migrations';
import { configureConnection, openSqliteStore } from './sqlite-store';

const root = mkdtempSync(path.join(tmpdir(), 'samhandling-sqlite-'));
let counter = 0;

afterAll(() => rmSync(root, { recursive: true, force: true }));

function database(): StoreContractDatabase {
  const file = path.join(root, `db-${++counter}.sqlite`);
  return {
    open: () => openSqliteStore({ path: file }),
    exec: async (sql) => {
      const raw = new Database(file);
      try {
        raw.exec(sql);
      } catch (err) {
        // better-sqlite3 is a native addon, loaded once per process, while Jest gives each test file
        // a fresh realm: after another file in the same worker loaded it, its SqliteError belongs to
        // that earlier realm and fails Jest's `instanceof Error` check. Re-throw it in this realm.
        throw new Error((err as { message?: unknown }).message === undefined ? String(err) : String((err as { message: unknown }).message));
      } finally {
        raw.close();
      }
    },
    dispose: async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    },
  };
}

describeStoreContract('SQLite', { createDatabase: async () => database(), migrations: SQLITE_MIGRATIONS });

describe('SQLite adapter', () => {
  it('configures WAL, synchronous=FULL, foreign keys and the busy timeout', async () => {
    const file = path.join(root, 'pragmas.sqlite');
    const raw = new Database(file);
    try {
      configureConnection(raw, 1234, true);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('synchronous', { simple: true })).toBe(2);
      expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(raw.pragma('busy_timeout', { simple: true })).toBe(1234);
    } finally {
      raw.close();
    }
  });

  it('keeps committed data across a reopen (durable before resolve)', async () => {
    const db = database();
    const s1 = await db.open();
    const stored = await s1.storeIncomingRaw({ transportMessageId: 't1', payload: new Uint8Array([1, 2, 3]), receivedAt: new Date(0) });
    await s1.close();
    const s2 = await db.open();
    const got = await s2.getIncoming(stored.incomingId);
    expect(Buffer.from(got!.payload)).toEqual(Buffer.from([1, 2, 3]));
    await s2.close();
    await db.dispose();
  });

  it('a file that is not a database is ERR_STORE_CORRUPT', async () => {
    const file = path.join(root, 'garbage.sqlite');
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    await expect(openSqliteStore({ path: file })).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
  });

  it('a locked database is ERR_STORE_UNAVAILABLE (retryable)', async () => {
    const db = database();
    const file = path.join(root, `db-${counter}.sqlite`);
    const store = await openSqliteStore({ path: file, busyTimeoutMs: 0 });
    const locker = new Database(file);
    locker.exec('BEGIN IMMEDIATE');
    try {
      const err = await store.audit({ actor: 'x', action: 'read', subjectType: 's', subjectId: '1', at: new Date(0) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'StoreError', code: 'ERR_STORE_UNAVAILABLE', retryable: true });
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    expect((await store.audit({ actor: 'x', action: 'read', subjectType: 's', subjectId: '1', at: new Date(0) })).auditId).toBe('1');
    await store.close();
    await db.dispose();
  });

  it('an in-memory database works for tests', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    expect(await store.schemaVersion()).toBe(2);
    await store.close();
  });

  it('group commit: concurrent writes share a commit, a failing one is rolled back alone', async () => {
    const db = database();
    const store = await db.open();
    const msg = (msgId: string) => ({
      msgId,
      msgType: 'LOG_INNLAGT',
      senderHerId: '1',
      receiverHerId: '2',
      payload: new Uint8Array([1]),
      createdAt: new Date(0),
      expiresAt: new Date(1000),
    });
    const results = await Promise.allSettled([
      store.enqueueOutgoing(msg('m1')),
      store.enqueueOutgoing(msg('m1')),
      store.audit({ actor: 'x', action: 'read', subjectType: 's', subjectId: '1', at: new Date(0) }),
      store.enqueueOutgoing(msg('m2')),
      store.markAcknowledged('missing', new Date(0)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_STORE_CONFLICT' });
    expect((results[4] as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_STORE_NOT_FOUND' });
    await store.close();
    // all committed and durable: a new connection sees them
    const again = await db.open();
    expect((await again.listOutgoing()).map((r) => r.msgId)).toEqual(['m1', 'm2']);
    expect(await again.listAudit()).toHaveLength(1);
    await again.close();
    await db.dispose();
  });

  it('a write pending at close is committed first', async () => {
    const db = database();
    const file = path.join(root, `db-${counter}.sqlite`);
    const store = await openSqliteStore({ path: file });
    const pending = store.audit({ actor: 'x', action: 'read', subjectType: 's', subjectId: '1', at: new Date(0) });
    await store.close();
    await expect(pending).resolves.toMatchObject({ auditId: '1' });
    const plain = await openSqliteStore({ path: file, groupCommit: false });
    expect(await plain.listAudit()).toHaveLength(1);
    await plain.close();
    await db.dispose();
  });

  it('rejects bad options', async () => {
    await expect(openSqliteStore({ path: '' })).rejects.toThrow(TypeError);
    await expect(openSqliteStore({ path: ':memory:', busyTimeoutMs: -1 })).rejects.toThrow(RangeError);
    await expect(openSqliteStore({ path: ':memory:', groupCommit: 'yes' as never })).rejects.toThrow(TypeError);
  });
});
