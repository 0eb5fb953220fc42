/**
 * End to end against PostgreSQL: the complete-stay scenario of
 * packages/messaging/test/stay-e2e.ts (two engines over ebXML/SMTP on loopback, a test PKI, the
 * chain of DOMAIN §4) with each engine on its own database in a private PostgreSQL server: every
 * message arrives once, gets its AppRec, and the procedure state is identical on both sides.
 */
import { runCompleteStay } from '../../messaging/test/stay-e2e';
import { openPostgresStore } from '../src/index';
import { pgUnavailableReason, startPgServer } from './pg-harness';
import type { PgTestServer } from './pg-harness';

const skip = pgUnavailableReason();
if (skip !== undefined) console.log(`PostgreSQL end-to-end test skipped: ${skip}`);
let server: PgTestServer | undefined;

if (skip === undefined) {
  beforeAll(async () => {
    server = await startPgServer();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);
}

(skip === undefined ? test : test.skip)(
  'a complete hospital stay with each engine on PostgreSQL: every message once, every AppRec, the same procedure state on both sides',
  async () => {
    const s = server as PgTestServer;
    const hospital = await openPostgresStore({ connectionString: s.url(await s.createDatabase()), pool: { max: 4 } });
    const kommune = await openPostgresStore({ connectionString: s.url(await s.createDatabase()), pool: { max: 4 } });
    try {
      const procedure = (await runCompleteStay({ hospital, kommune })) as { state: string };
      expect(procedure.state).toBe('discharged');
    } finally {
      await hospital.close();
      await kommune.close();
    }
  },
  180_000,
);
