import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from './logger';
import { AppCounters } from './metrics';
import { WebhookDispatcher, signWebhook } from './webhooks';
import { FakeNode } from '../test/fake-node';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server;
let url: string;
let received: Received[];
let failFirst: number;

beforeEach(async () => {
  received = [];
  failFirst = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = failFirst-- > 0 ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hook`;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
});

function dispatcher(node: FakeNode, maxAttempts = 3): { d: WebhookDispatcher; counters: AppCounters } {
  const counters = new AppCounters();
  const d = new WebhookDispatcher({ node, webhooks: [{ url, secret: 'hook-secret', maxAttempts }], logger: createLogger({ write: () => undefined }), counters, clock: () => new Date('2024-03-08T10:00:00Z'), sleep: async () => undefined });
  return { d, counters };
}

const entry = { id: 'in-1', msgId: 'm-1', type: 'LOG_UTSKRIVNINGSKLAR', senderHerId: 8142520, receivedAt: '2024-03-08T10:00:00Z', acknowledged: false, xml: '<MsgHead/>' };

test('delivers each entry once with a verifiable HMAC signature, then acknowledges it', async () => {
  const node = new FakeNode();
  node.inbox = [entry];
  const { d, counters } = dispatcher(node);
  await d.deliverPending();
  await d.deliverPending();
  expect(received).toHaveLength(1);
  const r = received[0]!;
  expect(r.headers['x-samhandling-delivery']).toBe('in-1');
  const t = Math.floor(new Date('2024-03-08T10:00:00Z').getTime() / 1000);
  const mac = createHmac('sha256', 'hook-secret').update(`${String(t)}.${r.body}`).digest('hex');
  expect(r.headers['x-samhandling-signature']).toBe(`t=${String(t)},v1=${mac}`);
  expect(signWebhook('hook-secret', t, r.body)).toBe(r.headers['x-samhandling-signature']);
  expect(JSON.parse(r.body)).toMatchObject({ event: 'incoming-message', delivery: 'in-1', entry: { msgId: 'm-1' } });
  expect(node.inbox[0]!.acknowledged).toBe(true);
  expect(counters.webhookDeliveries).toBe(1);
});

test('retries after failures and acknowledges on success', async () => {
  const node = new FakeNode();
  node.inbox = [entry];
  failFirst = 2;
  const { d, counters } = dispatcher(node);
  await d.deliverPending();
  expect(received).toHaveLength(3);
  expect(counters.webhookFailures).toBe(2);
  expect(node.inbox[0]!.acknowledged).toBe(true);
});

test('after maxAttempts failures the entry stays unacknowledged for the next pass (and for polling)', async () => {
  const node = new FakeNode();
  node.inbox = [entry];
  failFirst = 10;
  const { d } = dispatcher(node, 2);
  await d.deliverPending();
  expect(received).toHaveLength(2);
  expect(node.inbox[0]!.acknowledged).toBe(false);
});
