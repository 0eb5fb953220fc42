/**
 * The municipality's app asks its EPJ whether it knows the patient (`epj.patientLookup`), over
 * HTTP to a local server standing in for the EPJ, with both apps and engines real (SMTP on
 * loopback, SQLite, test PKI): an unknown patient gets AppRec E35 and never reaches the inbox; an
 * EPJ that is down delays the message (retried) instead of refusing it; every request is signed.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, startRealPair, TEST_TIMEOUT_MS, until, type RealPair } from './real-pair';

jest.setTimeout(TEST_TIMEOUT_MS);

const SECRET = 'epj-lookup-secret-for-the-integration-test';
const FNR = { v: 'FNR', dn: 'Fødselsnummer', s: '2.16.578.1.12.4.1.1.8116' };
const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [{ id: '31129956715', typeId: FNR }] };
const logistikk = (): Record<string, unknown> => ({ informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2025-03-04T08:30:00+01:00' } });

let epj: Server;
let mode: 'found' | 'not-found' | 'down' = 'found';
const asked: { personId: unknown; mode: string; signed: boolean }[] = [];
let pair: RealPair;

beforeAll(async () => {
  epj = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-samhandling-signature']));
      const signed = sig !== null && createHmac('sha256', SECRET).update(`${sig[1] ?? ''}.${body}`).digest('hex') === sig[2];
      asked.push({ personId: (JSON.parse(body) as { personId?: unknown }).personId, mode, signed });
      if (mode === 'down') return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(mode === 'found' ? { found: true } : { found: false, reason: 'not-found' }));
    });
  });
  await new Promise<void>((r) => epj.listen(0, '127.0.0.1', r));
  const port = (epj.address() as AddressInfo).port;
  pair = await startRealPair({
    secrets: { 'epj-lookup': SECRET },
    configPatch: {
      kommune: {
        epj: { patientLookup: { url: `http://127.0.0.1:${String(port)}/samhandling/pasient`, secret: { file: './secrets/epj-lookup' }, timeoutMs: 2000 } },
        engine: { workers: { pollIntervalMs: 50, incomingRetryMs: 200 } },
      },
    },
  });
});

afterAll(async () => {
  await pair?.stop();
  await new Promise((r) => epj.close(r));
});

async function send(): Promise<string> {
  const r = await api(pair.sthf.url, 'POST', '/api/messages', pair.sthf.tokens.epj, { type: 'LOG_INNLAGT', receiverHerId: 8143101, patient, content: logistikk() });
  expect(r.status).toBe(202);
  return String(r.json['msgId']);
}

const summaryOf = async (msgId: string): Promise<{ receipt: { state: string; errors?: { code: string }[] } }> =>
  (await api(pair.sthf.url, 'GET', `/api/messages/outgoing/${msgId}`, pair.sthf.tokens.readOnly)).json['summary'] as { receipt: { state: string; errors?: { code: string }[] } };
const inbox = async (): Promise<string[]> => ((await api(pair.kommune.url, 'GET', '/api/inbox', pair.kommune.tokens.epj)).json['items'] as { msgId: string }[]).map((i) => i.msgId);

test('a patient the EPJ does not know gets AppRec E35 and is not delivered', async () => {
  mode = 'not-found';
  const msgId = await send();
  const s = await until('the AppRec', async () => {
    const x = await summaryOf(msgId);
    return x.receipt.state === 'awaiting' ? undefined : x;
  });
  expect(s.receipt).toMatchObject({ state: 'rejected', errors: [expect.objectContaining({ code: 'E35' })] });
  expect(await inbox()).not.toContain(msgId);
  expect(asked.at(-1)).toEqual({ personId: '31129956715', mode: 'not-found', signed: true });
});

test('an EPJ that is down delays the message; when it answers again the message is delivered once with AppRec OK', async () => {
  mode = 'down';
  const before = asked.length;
  const msgId = await send();
  await until('two lookups while the EPJ is down', async () => asked.slice(before).filter((a) => a.mode === 'down').length >= 2);
  expect((await summaryOf(msgId)).receipt.state).toBe('awaiting');
  expect(await inbox()).not.toContain(msgId);
  mode = 'found';
  await until('the AppRec', async () => (await summaryOf(msgId)).receipt.state === 'ok');
  expect((await inbox()).filter((id) => id === msgId)).toHaveLength(1);
  expect(asked.slice(before).every((a) => a.signed && a.personId === '31129956715')).toBe(true);
});
