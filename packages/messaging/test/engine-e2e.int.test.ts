/**
 * End to end: two engines (the hospital and the municipality), each with its own SQLite database,
 * its own local address register file and its own embedded SMTP server on loopback (ebXML over
 * SMTP, real SMTP client and server), a test PKI. One complete hospital stay (DOMAIN §4, the
 * chain of tools/demo/stay-chain.mjs): every message arrives exactly once, gets its AppRec, and
 * the procedure state is the same on both sides. The scenario is in stay-e2e.ts (also run
 * against PostgreSQL in packages/store-postgres).
 */
import { runCompleteStay } from './stay-e2e';

test('a complete hospital stay over ebXML/SMTP: every message once, every AppRec, the same procedure state on both sides', async () => {
  await runCompleteStay();
}, 120_000);
