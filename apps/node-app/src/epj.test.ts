/**
 * The EPJ's patient lookup over HTTP against a real local HTTP server standing in for the EPJ: the
 * signed request, every answer the engine understands, and every failure as a typed error (the
 * engine then retries the message instead of answering "unknown patient").
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpPatientLookup } from './epj';
import { isAppError } from './errors';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server;
let url: string;
let received: Received[];
let answer: { status: number; body: string; delayMs?: number };

beforeEach(async () => {
  received = [];
  answer = { status: 200, body: '{"found":true}' };
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const reply = (): void => {
        res.statusCode = answer.status;
        res.setHeader('content-type', 'application/json');
        res.end(answer.body);
      };
      if (answer.delayMs === undefined) reply();
      else setTimeout(reply, answer.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/pasient`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const NOW = new Date('2024-03-08T10:00:00Z');
const lookup = (timeoutMs = 2000): ReturnType<typeof createHttpPatientLookup> => createHttpPatientLookup({ url, secret: 'epj-secret', timeoutMs, clock: () => NOW });

test('POSTs the fødselsnummer signed with HMAC-SHA256 over "<t>.<body>"; {"found":true} is a known patient', async () => {
  expect(await lookup().findPatient('31129956715')).toEqual({ found: true });
  expect(received).toHaveLength(1);
  const [r] = received;
  expect(r!.body).toBe('{"personId":"31129956715"}');
  expect(r!.headers['content-type']).toBe('application/json');
  const t = NOW.getTime() / 1000;
  const mac = createHmac('sha256', 'epj-secret').update(`${String(t)}.${r!.body}`).digest('hex');
  expect(r!.headers['x-samhandling-signature']).toBe(`t=${String(t)},v1=${mac}`);
});

test.each(['not-found', 'ambiguous', 'not-in-folkeregisteret'] as const)('{"found":false,"reason":"%s"} is passed on', async (reason) => {
  answer = { status: 200, body: JSON.stringify({ found: false, reason }) };
  expect(await lookup().findPatient('31129956715')).toEqual({ found: false, reason });
});

test.each([
  ['a server error', { status: 503, body: '{"found":true}' }, /HTTP 503/],
  ['another status', { status: 404, body: '' }, /HTTP 404/],
  ['a body that is not JSON', { status: 200, body: '<html>' }, /not JSON/],
  ['an unknown reason', { status: 200, body: '{"found":false,"reason":"maybe"}' }, /neither/],
  ['found as a string', { status: 200, body: '{"found":"true"}' }, /neither/],
  ['no answer in time', { status: 200, body: '{"found":true}', delayMs: 1000 }, /no answer within 200 ms/],
  ['an answer far too long', { status: 200, body: `{"found":true,"x":"${'a'.repeat(100_000)}"}` }, /longer than 16384 bytes/],
])('%s is ERR_APP_EPJ_LOOKUP_FAILED (the engine retries later), never a wrong "unknown patient"', async (_name, reply, message) => {
  answer = reply;
  const err: unknown = await lookup(200).findPatient('31129956715').catch((e: unknown) => e);
  expect(isAppError(err) && err.code).toBe('ERR_APP_EPJ_LOOKUP_FAILED');
  expect((err as Error).message).toMatch(message);
});

test('an EPJ that is not reachable is ERR_APP_EPJ_LOOKUP_FAILED', async () => {
  const port = (server.address() as AddressInfo).port;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  const err: unknown = await createHttpPatientLookup({ url: `http://127.0.0.1:${String(port)}/x`, secret: 's' }).findPatient('31129956715').catch((e: unknown) => e);
  expect(isAppError(err) && err.code).toBe('ERR_APP_EPJ_LOOKUP_FAILED');
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
});

test('bad settings are refused when the lookup is created', () => {
  expect(() => createHttpPatientLookup({ url: 'ftp://x', secret: 's' })).toThrow(TypeError);
  expect(() => createHttpPatientLookup({ url, secret: '' })).toThrow(TypeError);
  expect(() => createHttpPatientLookup({ url, secret: 's', timeoutMs: 0 })).toThrow(RangeError);
});
