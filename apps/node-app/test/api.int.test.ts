/**
 * The REST API of both reference apps end to end over the REAL engine: ebXML over the apps' own
 * embedded SMTP servers on loopback, CMS with a test PKI, SQLite, AppRecs, the stay procedure.
 * The tests run in order and build on each other: the hospital admits a patient, sends the
 * notice and declares the patient utskrivningsklar; the municipality polls its inbox, answers
 * (cannot receive yet, then the offer is ready two days later) and the hospital's stay shows the
 * payment days. Around that: invalid input, authorisation per role, quarantine, downtime,
 * webhooks and the audit log.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UTSKRIVNINGSKLAR_FEEDBACK_TOPIC } from '@samhandling/plo';
import { signWebhook } from '../src/webhooks';
import { readPdf } from './pdf-text';
import { api, startRealPair, TEST_TIMEOUT_MS, until, WAIT_MS, type RealPair, type RunningApp } from './real-pair';

// Waits are bounded generously (no timed assertions); see WAIT_MS.
jest.setTimeout(TEST_TIMEOUT_MS);

const FNR = { v: 'FNR', dn: 'Fødselsnummer', s: '2.16.578.1.12.4.1.1.8116' };
const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [{ id: '31129956715', typeId: FNR }] };
const OID = (n: number): string => `2.16.578.1.12.4.1.1.${String(n)}`;
const NOT_OURS = 8143109;
/** The municipality's legevakt: the hospital's register has a wrong encryption certificate for it. */
const LEGEVAKT = 8143103;
const WEBHOOK_SECRET = 'webhook-secret-for-the-integration-test';

interface Delivery {
  readonly id: string;
  readonly signature: string;
  readonly body: string;
}

let pair: RealPair;
let hook: Server;
const deliveries: Delivery[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  // The hospital's EPJ receives incoming messages by webhook; the municipality's EPJ polls.
  hook = createServer((req, res) => {
    void readBody(req).then((body) => {
      deliveries.push({ id: String(req.headers['x-samhandling-delivery']), signature: String(req.headers['x-samhandling-signature']), body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const port = (hook.address() as AddressInfo).port;
  pair = await startRealPair({
    secrets: { 'webhook-secret': WEBHOOK_SECRET },
    // A department of the municipality that the kommune app does not receive for.
    configPatch: {
      sthf: { webhooks: [{ url: `http://127.0.0.1:${String(port)}/epj/hook`, secret: { file: './secrets/webhook-secret' } }] },
      kommune: { herIds: { main: 8143101, organisation: 8143100, others: [8143102, LEGEVAKT] } },
    },
    // The hospital's register: a department no app serves, and the legevakt with a wrong encryption
    // certificate (the hospital's own), so the municipality cannot open what is sent there.
    register: (r) => {
      const hospital = r.parties.find((p) => p['herId'] === '8142519') ?? {};
      return {
        parties: [
          ...r.parties,
          { herId: String(NOT_OURS), name: 'Avdeling utenfor denne noden', kind: 'service', parentHerId: '8143100' },
          { herId: String(LEGEVAKT), name: 'Legevakt', kind: 'service', parentHerId: '8143100', encryptionCertificate: hospital['encryptionCertificate'] },
        ],
      };
    },
    kommuneRegister: (r) => ({ parties: [...r.parties, { herId: String(LEGEVAKT), name: 'Legevakt', kind: 'service', parentHerId: '8143100' }] }),
  });
}, 2 * WAIT_MS);

afterAll(async () => {
  await pair?.stop();
  await new Promise<void>((r) => (hook === undefined ? r() : hook.close(() => r())));
});

type Json = Record<string, unknown>;
const items = (r: { json: { items?: Json[] } }): Json[] => r.json.items ?? [];

function logistikk(type: string, tidspunkt: string, merknad?: string): Json {
  return { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt, ...(merknad === undefined ? {} : { merknad }) } };
}

async function submit(app: RunningApp, body: Json): Promise<string> {
  const r = await api(app.url, 'POST', '/api/messages', app.tokens.epj, body);
  expect(r.status).toBe(202);
  expect(r.headers.get('location')).toBe(`/api/messages/outgoing/${String(r.json['msgId'])}`);
  return r.json['msgId'] as string;
}

/** Waits until the outgoing message has its AppRec; returns its summary. */
async function receipted(app: RunningApp, msgId: string): Promise<Json> {
  return until(`AppRec for ${msgId}`, async () => {
    const r = await api(app.url, 'GET', `/api/messages/outgoing/${msgId}`, app.tokens.readOnly);
    const s = r.json['summary'] as { receipt: { state: string } } | undefined;
    return s !== undefined && s.receipt.state !== 'awaiting' ? (s as unknown as Json) : undefined;
  });
}

async function incoming(app: RunningApp, msgId: string): Promise<Json> {
  return until(`incoming ${msgId}`, async () => items(await api(app.url, 'GET', '/api/messages/incoming?limit=500', app.tokens.epj)).find((m) => m['msgId'] === msgId));
}

async function stayOf(app: RunningApp): Promise<Json & { procedure: Json & { paymentDays: string[]; deadlines: Json[]; phase: string; state: string } }> {
  const r = await api(app.url, 'GET', '/api/stays', app.tokens.readOnly);
  expect(r.status).toBe(200);
  const stays = items(r);
  expect(stays).toHaveLength(1);
  return stays[0] as never;
}

const ids: Record<string, string> = {};

describe('both apps over the real engine', () => {
  test('health, readiness, metrics and the OpenAPI document need a token; the monitor token says ready', async () => {
    for (const app of [pair.sthf, pair.kommune]) {
      expect((await api(app.url, 'GET', '/health/live', undefined)).status).toBe(401);
      expect((await api(app.url, 'GET', '/health/ready', undefined)).status).toBe(401);
      expect((await api(app.url, 'GET', '/health/live', app.tokens.monitor)).json).toEqual({ live: true });
      const ready = await api(app.url, 'GET', '/health/ready', app.tokens.monitor);
      expect(ready.status).toBe(200);
      expect(ready.json['ready']).toBe(true);
      expect((await api(app.url, 'GET', '/openapi.json', undefined)).status).toBe(401);
      const doc = await api(app.url, 'GET', '/openapi.json', app.tokens.readOnly);
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.json['paths'] as Json)).toEqual(expect.arrayContaining(['/api/messages', '/api/inbox', '/api/stays']));
      expect((await api(app.url, 'GET', '/metrics', 'shapp_not-a-token')).status).toBe(401);
      const metrics = await api(app.url, 'GET', '/metrics', app.tokens.monitor);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('samhandling_outbox_depth');
      // The monitor token reads no patient data.
      expect((await api(app.url, 'GET', '/api/stays', app.tokens.monitor)).status).toBe(403);
    }
  });

  test('invalid submissions are answered 4xx with the issues and nothing is sent', async () => {
    const { url, tokens } = pair.sthf;
    const shape = await api(url, 'POST', '/api/messages', tokens.epj, { type: 'log innlagt', receiverHerId: -1, patient: 'Kari', content: {}, extra: 1 });
    expect(shape.status).toBe(400);
    expect((shape.json['issues'] as Json[]).map((i) => i['path'])).toEqual(expect.arrayContaining(['type', 'receiverHerId', 'patient', 'extra']));

    const notJson = await api(url, 'POST', '/api/messages', tokens.epj, '{"type":');
    expect(notJson.status).toBe(400);

    const tooBig = await api(url, 'POST', '/api/messages', tokens.epj, { type: 'LOG_INNLAGT', receiverHerId: 8143101, patient, content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: pair.clock().toISOString(), merknad: 'x'.repeat(2 * 1024 * 1024) } } });
    expect(tooBig.status).toBe(413);

    // Well-formed request, but the message does not validate: the engine lists why (422).
    const invalid = await api(url, 'POST', '/api/messages', tokens.epj, { type: 'LOG_INNLAGT', receiverHerId: 8143101, patient, content: { informasjonOmForsendelsen: { forsendelsesstatus: 'Q' }, hendelse: { tidspunkt: 'i går' } } });
    expect(invalid.status).toBe(422);
    expect(invalid.json['error']).toBe('validation_failed');
    const issues = invalid.json['issues'] as Json[];
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) expect(typeof i['code']).toBe('string');

    expect(items(await api(url, 'GET', '/api/messages/outgoing', tokens.epj))).toHaveLength(0);
  });

  test('the hospital admits a patient: accepted, delivered at the municipality, AppRec OK', async () => {
    const now = pair.clock().toISOString();
    ids['innlagt'] = await submit(pair.sthf, { type: 'LOG_INNLAGT', receiverHerId: 8143101, patient, content: logistikk('LOG_INNLAGT', now, 'Innlagt etter fall i hjemmet'), idempotencyKey: 'innlagt-1' });
    // The same idempotency key returns the first submission.
    const again = await api(pair.sthf.url, 'POST', '/api/messages', pair.sthf.tokens.epj, { type: 'LOG_INNLAGT', receiverHerId: 8143101, patient, content: logistikk('LOG_INNLAGT', now, 'Innlagt etter fall i hjemmet'), idempotencyKey: 'innlagt-1' });
    expect(again.json['msgId']).toBe(ids['innlagt']);

    await receipted(pair.sthf, ids['innlagt']);
    const summary = await until('the transport acknowledgement', async () => {
      const s = (await api(pair.sthf.url, 'GET', `/api/messages/outgoing/${ids['innlagt'] ?? ''}`, pair.sthf.tokens.epj)).json['summary'] as Json & { transport: { state: string } };
      return s.transport.state === 'acknowledged' ? s : undefined;
    });
    expect(summary).toMatchObject({ type: 'LOG_INNLAGT', receiverHerId: 8143101, transport: { state: 'acknowledged' }, receipt: { state: 'ok', status: '1' } });

    const arrived = await incoming(pair.kommune, ids['innlagt']);
    expect(arrived).toMatchObject({ type: 'LOG_INNLAGT', senderHerId: 8142520, receiverHerId: 8143101, state: 'delivered', appRec: { status: '1', errors: [] } });

    const detail = await api(pair.kommune.url, 'GET', `/api/messages/incoming/${String(arrived['id'])}`, pair.kommune.tokens.epj);
    expect(detail.status).toBe(200);
    expect(detail.json['xml']).toEqual(expect.stringContaining('LOG_INNLAGT'));
    expect(JSON.stringify(detail.json['parsed'])).toContain('Nordmann');
    const printable = await api(pair.kommune.url, 'GET', `/api/messages/incoming/${String(arrived['id'])}/printable`, pair.kommune.tokens.readOnly);
    expect(printable.status).toBe(200);
    expect(printable.headers.get('content-type')).toContain('text/html');
    expect(printable.text).toContain('Nordmann');

    expect((await api(pair.kommune.url, 'GET', '/api/messages/incoming/no-such-id', pair.kommune.tokens.epj)).status).toBe(404);
    expect((await api(pair.kommune.url, 'GET', '/api/messages/sideways/1', pair.kommune.tokens.epj)).status).toBe(404);
  });

  test('the notice (HELSEOPPL_SOKNAD) and utskrivningsklar arrive; the municipality gets an answer task with a deadline', async () => {
    const now = pair.clock().toISOString();
    ids['soknad'] = await submit(pair.sthf, {
      type: 'HELSEOPPL_SOKNAD',
      receiverHerId: 8143102,
      patient,
      content: {
        informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
        typeInnhold: '1',
        opplysninger: [{ typeOpplysning: { v: 'VU', s: OID(9142) }, tekst: 'Forventet å trenge hjemmesykepleie etter utskrivning.' }],
      },
    });
    expect(await receipted(pair.sthf, ids['soknad'])).toMatchObject({ receipt: { state: 'ok' } });
    ids['klar'] = await submit(pair.sthf, { type: 'LOG_UTSKRIVNINGSKLAR', receiverHerId: 8143101, patient, content: logistikk('LOG_UTSKRIVNINGSKLAR', now, 'Utskrivningsklar fra i dag') });
    expect(await receipted(pair.sthf, ids['klar'])).toMatchObject({ receipt: { state: 'ok' } });
    await incoming(pair.kommune, ids['klar']);

    const tasks = await until('the answer task', async () => {
      const t = items(await api(pair.kommune.url, 'GET', '/api/tasks?open=true', pair.kommune.tokens.readOnly));
      return t.some((x) => x['title'] === 'answer-utskrivningsklar') ? t : undefined;
    });
    const answerTask = tasks.find((x) => x['title'] === 'answer-utskrivningsklar');
    expect(answerTask).toMatchObject({ kind: 'task', done: false });
    expect(typeof answerTask?.['due']).toBe('string');

    const stay = await stayOf(pair.sthf);
    expect(stay.procedure.phase).toBe('utskrivningsklar');
    expect(stay.messages).toHaveLength(3);
    const rules = stay.procedure.deadlines.map((d) => d['rule']);
    expect(rules).toEqual(expect.arrayContaining(['section-8-notice', 'section-10-notify', 'section-11-answer']));
    expect(stay.procedure.deadlines.find((d) => d['rule'] === 'section-8-notice')?.['status']).toBe('met');
    expect((await api(pair.sthf.url, 'GET', `/api/stays/${encodeURIComponent(String(stay['key']))}`, pair.sthf.tokens.epj)).json['key']).toBe(stay['key']);
    expect((await api(pair.sthf.url, 'GET', '/api/stays/stay%3Anone', pair.sthf.tokens.epj)).status).toBe(404);
  });

  test('the municipality polls its inbox and acknowledges each entry exactly once', async () => {
    const { url, tokens } = pair.kommune;
    const inbox = await until('three inbox entries', async () => {
      const e = items(await api(url, 'GET', '/api/inbox', tokens.epj));
      return e.length >= 3 ? e : undefined;
    });
    expect(inbox.map((e) => e['type'])).toEqual(['LOG_INNLAGT', 'HELSEOPPL_SOKNAD', 'LOG_UTSKRIVNINGSKLAR']);
    for (const e of inbox) {
      expect(e['acknowledged']).toBe(false);
      expect(e['xml']).toEqual(expect.stringContaining('<'));
      expect((await api(url, 'POST', `/api/inbox/${String(e['id'])}/ack`, tokens.epj)).status).toBe(200);
    }
    expect(items(await api(url, 'GET', '/api/inbox', tokens.epj))).toHaveLength(0);
    const all = items(await api(url, 'GET', '/api/inbox?all=true', tokens.epj));
    expect(all.map((e) => e['acknowledged'])).toEqual([true, true, true]);
    // A second acknowledgement does not deliver anything again.
    const second = await api(url, 'POST', `/api/inbox/${String(inbox[0]?.['id'])}/ack`, tokens.epj);
    expect([200, 404, 409]).toContain(second.status);
    expect(items(await api(url, 'GET', '/api/inbox', tokens.epj))).toHaveLength(0);
    expect((await api(url, 'POST', '/api/inbox/999999/ack', tokens.epj)).status).toBe(404);
    expect((await api(url, 'GET', '/api/inbox?all=maybe', tokens.epj)).status).toBe(400);
  });

  test('the municipality answers "cannot receive yet": the hospital gets it once by webhook, payment days run', async () => {
    const klar = await incoming(pair.kommune, ids['klar'] ?? '');
    const expected = '2025-03-06';
    ids['svar1'] = await submit(pair.kommune, {
      type: 'DIALOG_FORESPORSEL',
      receiverHerId: 8142520,
      patient,
      inReplyTo: klar['msgId'],
      content: { questions: [{ topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: `Kommunen kan ikke ta imot pasienten ennå. Forventet klar: ${expected}.`, documentId: 'SVAR-1' }] },
    });
    expect(await receipted(pair.kommune, ids['svar1'])).toMatchObject({ receipt: { state: 'ok' } });

    const delivered = await until('the webhook delivery', async () => deliveries.find((d) => JSON.parse(d.body).entry.msgId === ids['svar1']));
    const body = JSON.parse(delivered.body) as { event: string; delivery: string; entry: Json };
    expect(body.event).toBe('incoming-message');
    expect(body.entry['type']).toBe('DIALOG_FORESPORSEL');
    const t = Number(/^t=(\d+),/.exec(delivered.signature)?.[1]);
    expect(delivered.signature).toBe(signWebhook(WEBHOOK_SECRET, t, delivered.body));
    // Acknowledged by the delivery: nothing left to poll, and no second delivery.
    await until('the acknowledgement', async () => items(await api(pair.sthf.url, 'GET', '/api/inbox', pair.sthf.tokens.epj)).length === 0);
    await pair.sthf.app.webhooks.deliverPending();
    expect(deliveries.filter((d) => d.id === delivered.id)).toHaveLength(1);

    let seen: unknown;
    const stay = await until('the waiting phase', async () => {
      const s = await stayOf(pair.sthf);
      seen = { phase: s.procedure.phase, messages: s['messages'] };
      return s.procedure.phase === 'waiting' ? s : undefined;
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}; last seen ${JSON.stringify(seen)}`);
    });
    expect(stay.procedure.paymentDays).toEqual(['2025-03-04']);
    expect(stay.procedure.deadlines.find((d) => d['rule'] === 'section-11-answer')?.['status']).toBe('met');
    // The municipality's task is now to report when the offer is ready.
    await until('the report-offer-ready task', async () => items(await api(pair.kommune.url, 'GET', '/api/tasks?open=true', pair.kommune.tokens.epj)).some((x) => x['title'] === 'report-offer-ready' && x['detail'] === `expected ${expected}`));
  });

  test('two days later the offer is ready: the stay is receivable with two payment days', async () => {
    pair.clock.advance(2 * 86_400_000);
    const klar = await incoming(pair.kommune, ids['klar'] ?? '');
    ids['svar2'] = await submit(pair.kommune, {
      type: 'DIALOG_FORESPORSEL',
      receiverHerId: 8142520,
      patient,
      inReplyTo: klar['msgId'],
      content: { questions: [{ topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: 'Tilbudet er klart: korttidsplass fra i dag.', documentId: 'SVAR-2' }] },
    });
    expect(await receipted(pair.kommune, ids['svar2'])).toMatchObject({ receipt: { state: 'ok' } });
    const stay = await until('the receivable phase', async () => {
      const s = await stayOf(pair.sthf);
      return s.procedure.phase === 'receivable' ? s : undefined;
    });
    expect(stay.procedure.paymentDays).toEqual(['2025-03-04', '2025-03-05']);
    // Both sides agree.
    const theirs = await stayOf(pair.kommune);
    expect((theirs.procedure as { paymentDays: string[] }).paymentDays).toEqual(['2025-03-04', '2025-03-05']);
    const outgoing = items(await api(pair.kommune.url, 'GET', '/api/messages/outgoing?type=DIALOG_FORESPORSEL', pair.kommune.tokens.readOnly));
    expect(outgoing.map((m) => m['msgId']).sort()).toEqual([ids['svar1'], ids['svar2']].sort());
    for (const m of outgoing) expect(m).toMatchObject({ transport: { state: 'acknowledged' }, receipt: { state: 'ok' } });
  });

  test('a message the municipality refuses at the transport is dead-lettered with an alarm; operators complete alarms and resend', async () => {
    const { url, tokens } = pair.sthf;
    const refused = await submit(pair.sthf, { type: 'LOG_INNLAGT', receiverHerId: NOT_OURS, patient, content: logistikk('LOG_INNLAGT', pair.clock().toISOString()) });
    await until('the dead letter', async () => ((await api(url, 'GET', `/api/messages/outgoing/${refused}`, tokens.readOnly)).json['summary'] as { transport: { state: string } }).transport.state === 'dead-letter');
    const alarm = await until('the alarm', async () => items(await api(url, 'GET', '/api/tasks?open=true', tokens.readOnly)).find((t) => t['kind'] === 'alarm' && t['msgId'] === refused));
    const complete = `/api/tasks/${encodeURIComponent(String(alarm['id']))}/complete`;
    expect((await api(url, 'POST', complete, tokens.readOnly)).status).toBe(403);
    expect((await api(url, 'POST', complete, tokens.epj)).status).toBe(403);
    expect((await api(url, 'POST', complete, tokens.operator)).status).toBe(200);
    expect(items(await api(url, 'GET', '/api/tasks', tokens.readOnly)).find((t) => t['id'] === alarm['id'])?.['done']).toBe(true);
    expect(items(await api(url, 'GET', '/api/tasks?open=true', tokens.readOnly)).some((t) => t['id'] === alarm['id'])).toBe(false);
    expect((await api(url, 'POST', '/api/tasks/no-such-task/complete', tokens.operator)).status).toBe(404);

    expect((await api(url, 'POST', `/api/messages/outgoing/${refused}/resend`, tokens.epj)).status).toBe(403);
    expect((await api(url, 'POST', `/api/messages/outgoing/${refused}/resend`, tokens.operator)).status).toBe(202);
    // Still refused by the peer: dead-lettered again.
    await until('the second dead letter', async () => pair.sthf.logs.filter((l) => l.includes('"dead-letter"') && l.includes(refused)).length >= 2);
    // An acknowledged message cannot be resent.
    expect((await api(url, 'POST', `/api/messages/outgoing/${ids['innlagt'] ?? ''}/resend`, tokens.operator)).status).toBe(409);
    expect((await api(url, 'POST', '/api/messages/outgoing/nope/resend', tokens.operator)).status).toBe(404);
  });

  test('messages the municipality cannot decrypt are quarantined; operators mark them handled', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push(await submit(pair.sthf, { type: 'LOG_INNLAGT', receiverHerId: LEGEVAKT, patient, content: logistikk('LOG_INNLAGT', pair.clock().toISOString()) }));
    }
    const { url, tokens } = pair.kommune;
    const open = await until('three quarantine entries', async () => {
      const q = items(await api(url, 'GET', '/api/quarantine', tokens.readOnly)).filter((x) => x['state'] === 'open');
      return q.length >= 3 ? q : undefined;
    });
    for (const q of open) expect(q).toMatchObject({ code: expect.stringMatching(/^ERR_/), actions: [] });
    const [q1, q2, q3] = open as [Json, Json, Json];
    const path = (q: Json, action: string): string => `/api/quarantine/${encodeURIComponent(String(q['id']))}/${action}`;
    expect((await api(url, 'POST', path(q1, 'forward'), tokens.epj, { toHerId: 8143102 })).status).toBe(403);
    expect((await api(url, 'POST', path(q1, 'forward'), tokens.operator, { toHerId: 'x' })).status).toBe(400);
    // Nothing readable to forward or to answer: the engine refuses (409), the operator handles it manually.
    const forward = await api(url, 'POST', path(q1, 'forward'), tokens.operator, { toHerId: 8143102 });
    expect([forward.status, forward.json['code']]).toEqual([409, 'ERR_MSG_INVALID_STATE']);
    expect((await api(url, 'POST', path(q2, 'feedback'), tokens.operator, { reason: '5', text: '' })).status).toBe(400);
    expect((await api(url, 'POST', path(q2, 'feedback'), tokens.readOnly, { reason: '1', text: 'x' })).status).toBe(403);
    expect((await api(url, 'POST', path(q3, 'handled'), tokens.epj, { note: 'x' })).status).toBe(403);
    expect((await api(url, 'POST', path(q3, 'handled'), tokens.operator, { note: '' })).status).toBe(400);
    expect((await api(url, 'POST', path(q3, 'handled'), tokens.operator, { note: 'Ringt sykehuset: feil sertifikat i deres adresseregister.' })).status).toBe(200);
    const after = new Map(items(await api(url, 'GET', '/api/quarantine', tokens.readOnly)).map((q) => [q['id'], q]));
    expect([after.get(q1['id'])?.['state'], after.get(q3['id'])?.['state']]).toEqual(['open', 'handled']);
    expect((after.get(q3['id'])?.['actions'] as Json[]).map((a) => [a['action'], a['actor']])).toEqual([[expect.any(String), 'operator:kommune-operator']]);
    expect((await api(url, 'POST', path(q3, 'handled'), tokens.operator, { note: 'igjen' })).status).toBe(409);
    expect((await api(url, 'POST', '/api/quarantine/nope/handled', tokens.operator, { note: 'x' })).status).toBe(404);
    // The hospital's AppRecs never come: they stay awaited (overdue after the deadline).
    for (const id of sent) expect(((await api(pair.sthf.url, 'GET', `/api/messages/outgoing/${id}`, pair.sthf.tokens.readOnly)).json['summary'] as { receipt: { state: string } }).receipt.state).toBe('awaiting');
  });

  test('downtime: manual mode holds messages; a message delivered by hand is logged and never sent; the other held message goes out afterwards', async () => {
    const { url, tokens } = pair.sthf;
    const dt = await api(url, 'GET', '/api/downtime', tokens.readOnly);
    expect(dt.status).toBe(200);
    expect(dt.json['manualLog']).toEqual([]);
    expect((await api(url, 'POST', '/api/downtime/8143100/manual-mode', tokens.epj, { on: true })).status).toBe(403);
    expect((await api(url, 'POST', '/api/downtime/abc/manual-mode', tokens.operator, { on: true })).status).toBe(400);
    expect((await api(url, 'POST', '/api/downtime/8143100/manual-mode', tokens.operator, { on: 'yes' })).status).toBe(400);
    expect((await api(url, 'POST', '/api/downtime/8143100/manual-mode', tokens.operator, { on: true })).status).toBe(200);

    const held = await submit(pair.sthf, { type: 'LOG_UTSKREVET', receiverHerId: 8143101, patient, content: { ...logistikk('LOG_UTSKREVET', pair.clock().toISOString()), utskrevetTil: { utTil: { v: '11', s: OID(8408) } } } });
    await until('the held message', async () => {
      const r = await api(url, 'GET', `/api/messages/outgoing/${held}`, tokens.readOnly);
      return (r.json['summary'] as { transport: { state: string } }).transport.state === 'held';
    });
    const view = await until('the partner in the downtime view', async () => {
      const v = await api(url, 'GET', '/api/downtime', tokens.readOnly);
      return (v.json['partners'] as Json[]).find((p) => p['herId'] === 8143100 && p['heldMessages'] === 1);
    });
    expect(view['name']).toBe('Skien kommune');

    // Every partner of the address register, grouped by transport endpoint; manual mode per endpoint only.
    const register = (await api(url, 'GET', '/api/downtime', tokens.readOnly)).json['register'] as Json[];
    expect(register.map((p) => [p['herId'], p['endpointHerId'], p['manualModeSwitchable']])).toEqual(
      expect.arrayContaining([
        [8143100, 8143100, true],
        [8143101, 8143100, false],
        [8143102, 8143100, false],
        [NOT_OURS, 8143100, false],
        [LEGEVAKT, 8143100, false],
      ]),
    );
    expect(register.some((p) => p['herId'] === 8142519 || p['herId'] === 8142520)).toBe(false);
    const service = await api(url, 'POST', '/api/downtime/8143101/manual-mode', tokens.operator, { on: true });
    expect([service.status, service.json['error']]).toEqual([409, 'conflict']);

    // The downtime list for manual handling as a PDF: the held message with its content.
    const res = await fetch(`${url}/api/downtime/pdf`, { headers: { authorization: `Bearer ${tokens.operator}` } });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const pdf = await readPdf(new Uint8Array(await res.arrayBuffer()));
    const text = pdf.pages.join('');
    for (const s of ['Nedetid: liste for manuell håndtering', 'Skien kommune (HER 8143100)', 'Sykepleietjeneste (HER 8143101)', 'Melding om utskrevet pasient – Kari Nordmann', held, 'Holdt tilbake']) expect(text).toContain(s);
    const one = await fetch(`${url}/api/messages/outgoing/${held}/pdf`, { headers: { authorization: `Bearer ${tokens.readOnly}` } });
    expect(one.status).toBe(200);
    expect((await readPdf(new Uint8Array(await one.arrayBuffer()))).pages.join('')).toContain('Fødselsnummer');
    expect((await api(url, 'GET', `/api/messages/outgoing/${held}/pdf`, undefined)).status).toBe(401);

    expect((await api(url, 'POST', '/api/downtime/manual-deliveries', tokens.operator, { partnerHerId: 8143100, channel: '', note: '' })).status).toBe(400);
    expect((await api(url, 'POST', '/api/downtime/manual-deliveries', tokens.readOnly, { partnerHerId: 8143100, channel: 'telefon', note: 'x' })).status).toBe(403);
    // A second message is held too; the first one is delivered by hand (read out on the phone).
    const second = await submit(pair.sthf, { type: 'LOG_UTSKREVET', receiverHerId: 8143101, patient, content: { ...logistikk('LOG_UTSKREVET', pair.clock().toISOString()), utskrevetTil: { utTil: { v: '11', s: OID(8408) } } } });
    const stateOf = async (msgId: string): Promise<{ transport: { state: string }; receipt: { state: string } }> =>
      (await api(url, 'GET', `/api/messages/outgoing/${msgId}`, tokens.readOnly)).json['summary'] as { transport: { state: string }; receipt: { state: string } };
    await until('the second held message', async () => (await stateOf(second)).transport.state === 'held');
    expect((await api(url, 'POST', '/api/downtime/manual-deliveries', tokens.operator, { partnerHerId: 8143100, msgId: held, channel: 'telefon', note: 'Lest opp for sykepleietjenesten.' })).status).toBe(201);
    const log = (await api(url, 'GET', '/api/downtime', tokens.readOnly)).json['manualLog'] as Json[];
    expect(log).toEqual([expect.objectContaining({ partnerHerId: 8143100, direction: 'sent', msgId: held, channel: 'telefon', note: 'Lest opp for sykepleietjenesten.', actor: 'operator:sthf-operator' })]);
    expect(await stateOf(held)).toMatchObject({ transport: { state: 'manual' }, receipt: { state: 'manual' } });
    expect((await api(url, 'POST', `/api/messages/outgoing/${held}/resend`, tokens.operator)).status).toBe(409);
    expect((await api(url, 'POST', '/api/downtime/manual-deliveries', tokens.operator, { partnerHerId: 8143100, msgId: 'no-such-message', channel: 'telefon', note: 'x' })).status).toBe(404);

    // Manual mode ends: the message not delivered by hand goes out; the one delivered by hand never does.
    expect((await api(url, 'POST', '/api/downtime/8143100/manual-mode', tokens.operator, { on: false })).status).toBe(200);
    expect(await receipted(pair.sthf, second)).toMatchObject({ receipt: { state: 'ok' } });
    await until('the transport acknowledgement', async () => (await stateOf(second)).transport.state === 'acknowledged');
    expect(await stateOf(held)).toMatchObject({ transport: { state: 'manual' }, receipt: { state: 'manual' } });
  });

  test('every endpoint refuses a missing or unknown token (401) and a role without the permission (403)', async () => {
    const { url, tokens } = pair.kommune;
    const endpoints: readonly [string, string, 'read' | 'submit' | 'inbox' | 'operate' | 'monitor', unknown?][] = [
      ['POST', '/api/messages', 'submit', { type: 'LOG_DOD', receiverHerId: 8142520, patient, content: {} }],
      ['GET', '/api/messages/outgoing', 'read'],
      ['GET', '/api/messages/incoming', 'read'],
      ['GET', '/api/messages/incoming/1', 'read'],
      ['GET', '/api/messages/incoming/1/printable', 'read'],
      ['GET', '/api/messages/incoming/1/pdf', 'read'],
      ['GET', '/api/downtime/pdf', 'read'],
      ['POST', '/api/messages/outgoing/x/resend', 'operate'],
      ['GET', '/api/inbox', 'inbox'],
      ['POST', '/api/inbox/1/ack', 'inbox'],
      ['GET', '/api/stays', 'read'],
      ['GET', '/api/stays/x', 'read'],
      ['GET', '/api/tasks', 'read'],
      ['POST', '/api/tasks/x/complete', 'operate'],
      ['GET', '/api/quarantine', 'read'],
      ['POST', '/api/quarantine/x/forward', 'operate', { toHerId: 8143102 }],
      ['POST', '/api/quarantine/x/feedback', 'operate', { reason: '1', text: 'x' }],
      ['POST', '/api/quarantine/x/handled', 'operate', { note: 'x' }],
      ['GET', '/api/downtime', 'read'],
      ['POST', '/api/downtime/8142519/manual-mode', 'operate', { on: true }],
      ['POST', '/api/downtime/manual-deliveries', 'operate', { partnerHerId: 8142519, channel: 'telefon', note: 'x' }],
      ['GET', '/metrics', 'monitor'],
      ['GET', '/health/live', 'monitor'],
      ['GET', '/health/ready', 'monitor'],
      ['GET', '/openapi.json', 'monitor'],
    ];
    const grants: Record<string, readonly string[]> = { epj: ['read', 'submit', 'inbox', 'monitor'], operator: ['read', 'submit', 'operate', 'monitor'], readOnly: ['read', 'monitor'], monitor: ['monitor'] };
    for (const [method, path, permission, body] of endpoints) {
      expect([method, path, (await api(url, method, path, undefined, body)).status]).toEqual([method, path, 401]);
      expect([method, path, (await api(url, method, path, 'shapp_unknown', body)).status]).toEqual([method, path, 401]);
      for (const role of ['epj', 'operator', 'readOnly', 'monitor'] as const) {
        if (grants[role]?.includes(permission) === true) continue;
        const r = await api(url, method, path, tokens[role], body);
        expect([method, path, role, r.status]).toEqual([method, path, role, 403]);
      }
    }
  });

  test('every read of patient data is in the audit log with the client; the application log has no patient data', async () => {
    const arrived = await incoming(pair.kommune, ids['innlagt'] ?? '');
    expect((await api(pair.kommune.url, 'GET', `/api/messages/incoming/${String(arrived['id'])}`, pair.kommune.tokens.readOnly)).status).toBe(200);
    const store = pair.kommune.store();
    const reads = await store.listAudit({ actor: 'read-only:kommune-revisor', action: 'read', subjectId: String(arrived['id']), limit: 1000 });
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]?.patientRef).toEqual(expect.any(String));
    const epjReads = await store.listAudit({ actor: 'epj-system:kommune-epj', limit: 1000 });
    expect(new Set(epjReads.map((a) => a.action))).toEqual(expect.objectContaining({}));
    expect(epjReads.map((a) => a.action)).toEqual(expect.arrayContaining(['read', 'acknowledge']));
    const stayReads = await pair.sthf.store().listAudit({ subjectType: 'procedure', action: 'read', limit: 1000 });
    expect(stayReads.map((a) => a.actor)).toEqual(expect.arrayContaining(['read-only:sthf-revisor', 'epj-system:sthf-epj']));

    for (const app of [pair.sthf, pair.kommune]) {
      const text = app.logs.join('\n');
      expect(text).toContain('"msgId"');
      expect(text).not.toContain('31129956715');
      expect(text).not.toContain('Nordmann');
    }
    const metrics = await api(pair.sthf.url, 'GET', '/metrics', pair.sthf.tokens.readOnly);
    expect(metrics.text).toMatch(/\nsamhandling_messages_sent_total \d+/);
  });
});
