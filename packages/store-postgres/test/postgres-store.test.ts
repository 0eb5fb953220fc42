import pg from 'pg';
import { describeStoreContract } from '../../messaging/test/store/contract';
import type { StoreContractDatabase } from '../../messaging/test/store/contract';
import { POSTGRES_MIGRATIONS, openPostgresStore } from '../src/index';
import { privatePgServer } from './pg-harness';

const { skip, server } = privatePgServer();

async function exec(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function database(): Promise<StoreContractDatabase> {
  const s = server();
  const name = await s.createDatabase();
  const url = s.url(name);
  return {
    open: () => openPostgresStore({ connectionString: url, pool: { max: 4 } }),
    exec: (sql) => exec(url, sql),
    dispose: () => s.dropDatabase(name),
  };
}

describeStoreContract('PostgreSQL', { ...(skip === undefined ? {} : { skip }), createDatabase: database, migrations: POSTGRES_MIGRATIONS });

(skip === undefined ? describe : describe.skip)('PostgreSQL adapter', () => {
  it('refuses TRUNCATE of the append-only tables', async () => {
    const db = await database();
    const store = await db.open();
    try {
      await store.audit({ actor: 'x', action: 'read', subjectType: 'inbox', subjectId: '1', at: new Date(0) });
      await expect(db.exec('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      await expect(db.exec('TRUNCATE downtime_log')).rejects.toThrow(/append-only/);
      expect(await store.listAudit()).toHaveLength(1);
    } finally {
      await store.close();
      await db.dispose();
    }
  });

  it('many instances claiming at once on separate pools never share a row', async () => {
    const db = await database();
    const stores = await Promise.all(Array.from({ length: 6 }, () => db.open()));
    try {
      const first = stores[0]!;
      const total = 300;
      const at = new Date('2026-03-02T08:00:00Z');
      for (let i = 0; i < total; i++) {
        await first.storeIncomingRaw({ transportMessageId: `t${i}`, payload: new Uint8Array([i % 256]), receivedAt: at });
      }
      const claimed: string[] = [];
      await Promise.all(
        stores.flatMap((s, i) =>
          [0, 1, 2].map(async (j) => {
            for (;;) {
              const batch = await s.claimIncoming({ workerId: `i${i}w${j}`, now: at, limit: 3, leaseMs: 3_600_000 });
              if (batch.length === 0) return;
              claimed.push(...batch.map((c) => c.incomingId));
            }
          }),
        ),
      );
      expect(claimed).toHaveLength(total);
      expect(new Set(claimed).size).toBe(total);
    } finally {
      for (const s of stores) await s.close();
      await db.dispose();
    }
  });

  it('an unreachable server is ERR_STORE_UNAVAILABLE (retryable)', async () => {
    const err = await openPostgresStore({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', pool: { connectionTimeoutMillis: 2000 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'ERR_STORE_UNAVAILABLE', retryable: true });
  });

  it('rejects bad options', async () => {
    await expect(openPostgresStore({})).rejects.toThrow(TypeError);
    await expect(openPostgresStore({ connectionString: 'postgresql://x@127.0.0.1:1/x', maxRetries: -1 })).rejects.toThrow(RangeError);
  });
});
