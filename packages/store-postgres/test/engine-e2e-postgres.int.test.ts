/**
 * End to end against PostgreSQL: the complete-stay scenario of
 * packages/messaging/test/stay-e2e.ts (two engines over ebXML/SMTP on loopback, a test PKI, the
 * chain of DOMAIN §4) with each engine on its own database in a private PostgreSQL server: every
 * message arrives once, gets its AppRec, and the procedure state is identical on both sides.
 */
import { runCompleteStay } from '../../messaging/test/stay-e2e';
import { openPostgresStore } from '../src/index';
import { privatePgServer } from './pg-harness';

const { skip, server } = privatePgServer('PostgreSQL end-to-end test');

(skip === undefined ? test : test.skip)(
  'a complete hospital stay with each engine on PostgreSQL: every message once, every AppRec, the same procedure state on both sides',
  async () => {
    const s = server();
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
