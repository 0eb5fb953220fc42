import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPdf } from '../test/pdf-text';
import { startHarness, type Harness } from '../test/helpers';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

async function call(method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }> {
  const res = await fetch(h.url + path, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

const submission = {
  type: 'LOG_UTSKRIVNINGSKLAR',
  receiverHerId: 8142520,
  patient: { familyName: 'Nordmann', givenName: 'Kari', idents: [{ id: '31129956715', typeId: { v: 'FNR' } }] },
  content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-08T10:00:00+01:00' } },
};

/** Every endpoint with the role that may call it and a body. */
const ENDPOINTS: readonly [string, string, 'submit' | 'read' | 'inbox' | 'operate' | 'monitor', unknown][] = [
  ['POST', '/api/messages', 'submit', submission],
  ['GET', '/api/messages/outgoing', 'read', undefined],
  ['GET', '/api/messages/incoming', 'read', undefined],
  ['GET', '/api/messages/outgoing/x', 'read', undefined],
  ['GET', '/api/messages/incoming/x/printable', 'read', undefined],
  ['GET', '/api/messages/outgoing/x/pdf', 'read', undefined],
  ['GET', '/api/downtime/pdf', 'read', undefined],
  ['POST', '/api/messages/outgoing/x/resend', 'operate', undefined],
  ['GET', '/api/inbox', 'inbox', undefined],
  ['POST', '/api/inbox/x/ack', 'inbox', undefined],
  ['GET', '/api/stays', 'read', undefined],
  ['GET', '/api/stays/x', 'read', undefined],
  ['GET', '/api/tasks', 'read', undefined],
  ['POST', '/api/tasks/x/complete', 'operate', undefined],
  ['POST', '/api/answers/m-1/classification', 'operate', { answer: 'can-receive' }],
  ['GET', '/api/quarantine', 'read', undefined],
  ['POST', '/api/quarantine/11/forward', 'operate', { toHerId: 8143102 }],
  ['POST', '/api/quarantine/11/feedback', 'operate', { reason: '1', text: 'Feil mottaker' }],
  ['POST', '/api/quarantine/11/handled', 'operate', { note: 'Ringt avsender' }],
  ['GET', '/api/downtime', 'read', undefined],
  ['POST', '/api/downtime/8142520/manual-mode', 'operate', { on: true }],
  ['POST', '/api/downtime/manual-deliveries', 'operate', { partnerHerId: 8142520, channel: 'telefon', note: 'Lest opp' }],
  ['GET', '/metrics', 'monitor', undefined],
  ['GET', '/health/live', 'monitor', undefined],
  ['GET', '/health/ready', 'monitor', undefined],
  ['GET', '/openapi.json', 'monitor', undefined],
];

const ALLOWED: Record<string, readonly string[]> = {
  submit: ['epj', 'operator'],
  read: ['epj', 'operator', 'readOnly'],
  inbox: ['epj'],
  operate: ['operator'],
  monitor: ['epj', 'operator', 'readOnly', 'monitor'],
};

describe('authentication and authorisation', () => {
  test.each(ENDPOINTS)('%s %s without a token is 401', async (method, path, _perm, body) => {
    const r = await call(method, path, undefined, body);
    expect(r.status).toBe(401);
    expect(r.json['error']).toBe('unauthorized');
  });

  test.each(ENDPOINTS)('%s %s with an unknown token is 401', async (method, path, _perm, body) => {
    expect((await call(method, path, 'shapp_not-a-real-token', body)).status).toBe(401);
  });

  test.each(ENDPOINTS)('%s %s is refused (403) for roles without the permission', async (method, path, perm, body) => {
    for (const who of ['epj', 'operator', 'readOnly', 'monitor'] as const) {
      const r = await call(method, path, h.tokens[who], body);
      if (ALLOWED[perm]?.includes(who)) expect(r.status).not.toBe(403);
      else expect({ who, status: r.status }).toEqual({ who, status: 403 });
    }
  });

  test('a read passes the client as the audit actor to the engine', async () => {
    await call('GET', '/api/messages/incoming', h.tokens.readOnly);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'listIncoming', actor: { kind: 'read-only', id: 'revisor' } });
  });

  test('health endpoints need a token (the monitor role suffices) and carry no data', async () => {
    expect((await call('GET', '/health/live', undefined)).status).toBe(401);
    expect((await call('GET', '/health/ready', undefined)).status).toBe(401);
    const live = await call('GET', '/health/live', h.tokens.monitor);
    expect(live).toMatchObject({ status: 200, json: { live: true } });
    expect((await call('GET', '/health/ready', h.tokens.monitor)).status).toBe(200);
    h.node.ready = false;
    const ready = await call('GET', '/health/ready', h.tokens.monitor);
    expect(ready).toMatchObject({ status: 503, json: { ready: false, checks: { store: false } } });
    expect(ready.text).not.toContain('detail');
  });

  test('the monitor role reads metrics but no patient data and cannot log in to the UI', async () => {
    const m = await call('GET', '/metrics', h.tokens.monitor);
    expect(m.status).toBe(200);
    expect(m.text).toContain('samhandling_outbox_depth');
    for (const path of ['/api/messages/incoming', '/api/stays', '/api/downtime']) expect((await call('GET', path, h.tokens.monitor)).status).toBe(403);
    const login = await fetch(`${h.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: h.tokens.monitor }).toString(), redirect: 'manual' });
    expect(login.status).toBe(401);
  });
});

describe('POST /api/messages', () => {
  test('submits and answers 202 with the MsgId and a Location', async () => {
    const r = await call('POST', '/api/messages', h.tokens.epj, submission);
    expect(r.status).toBe(202);
    expect(r.json['msgId']).toMatch(/^0{8}-/);
    expect(r.headers.get('location')).toBe(`/api/messages/outgoing/${String(r.json['msgId'])}`);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'submit', args: [submission], actor: { kind: 'epj-system', id: 'epj' } });
  });

  test('refused by the engine: 422 with every validation issue, nothing sent', async () => {
    h.node.refuse = { accepted: false, issues: [{ code: 'ERR_SCHEMA_INVALID', message: 'Hendelse missing', path: '/MsgHead/Document', appRecCode: 'T02' }] };
    const r = await call('POST', '/api/messages', h.tokens.epj, submission);
    expect(r.status).toBe(422);
    expect(r.json['issues']).toEqual([{ code: 'ERR_SCHEMA_INVALID', message: 'Hendelse missing', path: '/MsgHead/Document', appRecCode: 'T02' }]);
  });

  test.each([
    ['type', { ...submission, type: 'log utskrivningsklar' }],
    ['receiverHerId', { ...submission, receiverHerId: '8142520' }],
    ['patient', { ...submission, patient: 'Kari' }],
    ['content', { ...submission, content: [] }],
    ['copyTo[0]', { ...submission, copyTo: [0] }],
    ['extra', { ...submission, extra: 1 }],
  ])('invalid %s: 400 naming the field', async (path, body) => {
    const r = await call('POST', '/api/messages', h.tokens.epj, body);
    expect(r.status).toBe(400);
    expect((r.json['issues'] as { path: string }[]).map((i) => i.path)).toContain(path);
    expect(h.node.calls.some((c) => c.method === 'submit')).toBe(false);
  });

  test('not JSON: 400; wrong content type: 415; too big: 413; too deep: 400', async () => {
    expect((await call('POST', '/api/messages', h.tokens.epj, '{nope')).json['error']).toBe('invalid_json');
    expect((await call('POST', '/api/messages', h.tokens.epj, 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    const big = { ...submission, content: { merknad: 'x'.repeat(5000) } };
    expect((await call('POST', '/api/messages', h.tokens.epj, big)).status).toBe(413);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const r = await call('POST', '/api/messages', h.tokens.epj, { ...submission, content: deep });
    expect(r).toMatchObject({ status: 400, json: { error: 'json_too_deep' } });
  });
});

describe('messages, inbox, stays, tasks', () => {
  test('lists pass the query filter; bad query values are 400', async () => {
    await call('GET', '/api/messages/outgoing?limit=5&type=LOG_INNLAGT&stayKey=s1', h.tokens.readOnly);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'listOutgoing', args: [{ limit: 5, type: 'LOG_INNLAGT', stayKey: 's1' }] });
    expect((await call('GET', '/api/messages/outgoing?limit=0', h.tokens.readOnly)).status).toBe(400);
    expect((await call('GET', '/api/messages/incoming?limit=abc', h.tokens.readOnly)).status).toBe(400);
    expect((await call('GET', '/api/tasks?open=maybe', h.tokens.readOnly)).status).toBe(400);
  });

  test('a message is fetched with its detail; unknown ids and directions are 404', async () => {
    const s = await call('POST', '/api/messages', h.tokens.operator, submission);
    const id = String(s.json['msgId']);
    const r = await call('GET', `/api/messages/outgoing/${id}`, h.tokens.readOnly);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ direction: 'outgoing', summary: { msgId: id, receipt: { state: 'awaiting' } }, xml: '<MsgHead/>' });
    expect((await call('GET', '/api/messages/outgoing/nope', h.tokens.readOnly)).status).toBe(404);
    expect((await call('GET', '/api/messages/sideways/x', h.tokens.readOnly)).status).toBe(404);
    const p = await call('GET', `/api/messages/outgoing/${id}/printable`, h.tokens.readOnly);
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toContain('text/html');
  });

  test('inbox: polling lists unacknowledged entries; ack removes it; ack of unknown is 404', async () => {
    h.node.inbox = [{ id: '1', msgId: 'm-1', type: 'LOG_UTSKRIVNINGSKLAR', senderHerId: 8142520, receivedAt: '2024-03-08T10:00:00Z', acknowledged: false, xml: '<MsgHead/>' }];
    const first = await call('GET', '/api/inbox', h.tokens.epj);
    expect((first.json['items'] as unknown[]).length).toBe(1);
    expect((await call('POST', '/api/inbox/1/ack', h.tokens.epj)).status).toBe(200);
    expect(((await call('GET', '/api/inbox', h.tokens.epj)).json['items'] as unknown[]).length).toBe(0);
    expect(((await call('GET', '/api/inbox?all=true', h.tokens.epj)).json['items'] as unknown[]).length).toBe(1);
    expect((await call('POST', '/api/inbox/404/ack', h.tokens.epj)).status).toBe(404);
  });

  test('stays and tasks are passed through; unknown stay is 404', async () => {
    h.node.stays = [{ key: 's1', procedure: { state: 'waiting', paymentDays: ['2024-03-08'] }, messages: [] }];
    expect((await call('GET', '/api/stays', h.tokens.readOnly)).json['items']).toHaveLength(1);
    expect((await call('GET', '/api/stays/s1', h.tokens.readOnly)).json).toMatchObject({ procedure: { paymentDays: ['2024-03-08'] } });
    expect((await call('GET', '/api/stays/nope', h.tokens.readOnly)).status).toBe(404);
    await call('GET', '/api/tasks?open=true', h.tokens.readOnly);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'listTasks', args: [{ open: true }] });
    expect((await call('POST', '/api/tasks/t1/complete', h.tokens.operator)).status).toBe(200);
  });
});

describe('classifying an answer the rule could not read', () => {
  const unclassified = (): void => h.node.withUnclassifiedAnswer();

  test('the operator classifies: the engine gets the classification with the operator as actor; the stay comes back', async () => {
    unclassified();
    const r = await call('POST', '/api/answers/svar-1/classification', h.tokens.operator, { answer: 'cannot-receive', date: '2024-03-11' });
    expect(r.status).toBe(200);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'classifyAnswer', args: ['svar-1', { answer: 'cannot-receive', date: '2024-03-11' }], actor: { kind: 'operator', id: 'ola' } });
    expect(r.json).toMatchObject({ key: 'stay:1', procedure: { answers: [{ msgId: 'svar-1', answer: 'cannot-receive', date: '2024-03-11', classifiedBy: 'manual', by: 'operator:ola' }] } });
    expect(h.logs.join('\n')).toContain('answer classified');
  });

  test('an invalid classification is 422 (the engine refuses it), a malformed body 400', async () => {
    unclassified();
    for (const body of [{ answer: 'maybe' }, { answer: 'offer-ready', date: '2024-03-11' }, { answer: 'cannot-receive', date: '11.03.2024' }]) {
      const r = await call('POST', '/api/answers/svar-1/classification', h.tokens.operator, body);
      expect({ body, status: r.status, error: r.json['error'] }).toEqual({ body, status: 422, error: 'invalid_classification' });
    }
    for (const [body, field] of [
      [{}, 'answer'],
      [{ answer: 1 }, 'answer'],
      [{ answer: 'cannot-receive', date: 20240311 }, 'date'],
      [{ answer: 'can-receive', note: 'x' }, 'note'],
    ] as const) {
      const r = await call('POST', '/api/answers/svar-1/classification', h.tokens.operator, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json['issues'])).toContain(field);
    }
    expect((await call('POST', '/api/answers/svar-1/classification', h.tokens.operator, '"can-receive"')).status).toBe(400);
    expect(h.node.tasks[0]?.done).toBe(false);
  });

  test('an unknown message is 404; a message that is not an unclassified answer is 409', async () => {
    unclassified();
    const missing = await call('POST', '/api/answers/nope/classification', h.tokens.operator, { answer: 'can-receive' });
    expect([missing.status, missing.json['code']]).toEqual([404, 'ERR_MSG_NOT_FOUND']);
    const notAnAnswer = await call('POST', '/api/answers/klar-1/classification', h.tokens.operator, { answer: 'can-receive' });
    expect([notAnAnswer.status, notAnAnswer.json['code']]).toEqual([409, 'ERR_MSG_INVALID_STATE']);
  });

  test('the OpenAPI document describes the classification with its answers', async () => {
    const doc = (await call('GET', '/openapi.json', h.tokens.readOnly)).json as { paths: Record<string, { post?: { requestBody?: unknown; responses?: Record<string, unknown> } }> };
    const op = doc.paths['/api/answers/{msgId}/classification']?.post;
    expect(JSON.stringify(op?.requestBody)).toContain('"enum":["can-receive","cannot-receive","offer-ready"]');
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '404', '409', '422']));
  });
});

describe('quarantine and downtime', () => {
  test('the downtime view says which partners are in manual mode', async () => {
    h.node.downtimeView = { partners: [{ herId: 8142520, name: 'Sykehuset Telemark HF', state: 'down', since: '2024-03-08T10:00:00.000Z', heldMessages: 2, manualMode: true }], manualLog: [] };
    const r = await call('GET', '/api/downtime', h.tokens.readOnly);
    expect(r.json['partners']).toEqual([expect.objectContaining({ herId: 8142520, manualMode: true, heldMessages: 2 })]);
    const doc = (await call('GET', '/openapi.json', h.tokens.readOnly)).json as { components: { schemas: { Downtime: { properties: { partners: { items: { properties: Record<string, unknown> } } } } } } };
    expect(doc.components.schemas.Downtime.properties.partners.items.properties).toHaveProperty('manualMode');
  });

  test('operator actions reach the engine with the operator as actor', async () => {
    await call('POST', '/api/quarantine/11/forward', h.tokens.operator, { toHerId: 8143102 });
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'forwardQuarantined', args: ['11', 8143102], actor: { kind: 'operator', id: 'ola' } });
    await call('POST', '/api/quarantine/11/feedback', h.tokens.operator, { reason: '2', text: 'Mangler diagnose' });
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'sendErrorFeedback', args: ['11', '2', 'Mangler diagnose'] });
    await call('POST', '/api/quarantine/11/handled', h.tokens.operator, { note: 'ok' });
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'markQuarantineHandled', args: ['11', 'ok'] });
    await call('POST', '/api/downtime/8142520/manual-mode', h.tokens.operator, { on: false });
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'setManualMode', args: [8142520, false] });
    expect((await call('POST', '/api/downtime/manual-deliveries', h.tokens.operator, { partnerHerId: 8142520, channel: 'post', note: 'sendt', msgId: 'm1' })).status).toBe(201);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'recordManualDelivery', args: [{ partnerHerId: 8142520, channel: 'post', note: 'sendt', msgId: 'm1' }] });
    expect((await call('POST', '/api/downtime/manual-deliveries', h.tokens.operator, { partnerHerId: 8142520, direction: 'received', channel: 'telefon', note: 'avmelding', msgId: 'ref 17' })).status).toBe(201);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'recordManualDelivery', args: [{ partnerHerId: 8142520, direction: 'received', channel: 'telefon', note: 'avmelding', msgId: 'ref 17' }] });
    const notice = await call('POST', '/api/downtime/notices', h.tokens.operator, { partners: [8142520], planned: true, from: '2024-03-09T18:00:00+01:00', expectedUntil: '2024-03-09T22:00:00+01:00', reason: 'Oppgradering' });
    expect([notice.status, notice.json['notices']]).toEqual([201, [{ partnerHerId: 8142520, to: ['meldingsansvarlig@test.example'] }]]);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'announceDowntime', args: [{ partners: [8142520], planned: true, from: '2024-03-09T18:00:00+01:00', expectedUntil: '2024-03-09T22:00:00+01:00', reason: 'Oppgradering' }], actor: { kind: 'operator', id: 'ola' } });
    expect((await call('POST', '/api/downtime/notices', h.tokens.readOnly, { partners: [8142520], planned: true, from: '2024-03-09T18:00:00Z', reason: 'x' })).status).toBe(403);
  });

  test.each([
    ['/api/quarantine/11/forward', { toHerId: 'abc' }, 'toHerId'],
    ['/api/quarantine/11/feedback', { reason: '5', text: '' }, 'reason'],
    ['/api/quarantine/11/feedback', { reason: '1' }, 'text'],
    ['/api/quarantine/11/handled', {}, 'note'],
    ['/api/downtime/8142520/manual-mode', { on: 'yes' }, 'on'],
    ['/api/downtime/manual-deliveries', { partnerHerId: 1, channel: 'post' }, 'note'],
    ['/api/downtime/manual-deliveries', { partnerHerId: 1, channel: 'post', note: 'x', direction: 'both' }, 'direction'],
    ['/api/downtime/notices', { partners: [], planned: true, from: '2024-03-09T18:00:00Z', reason: 'x' }, 'partners'],
    ['/api/downtime/notices', { partners: [8142520], planned: 'ja', from: '2024-03-09T18:00:00Z', reason: 'x' }, 'planned'],
    ['/api/downtime/notices', { partners: [8142520], planned: true, reason: 'x' }, 'from'],
    ['/api/downtime/notices', { partners: [8142520], planned: true, from: '2024-03-09T18:00:00Z', reason: '' }, 'reason'],
    ['/api/downtime/notices', { partners: [8142520], planned: true, from: '2024-03-09T18:00:00Z', reason: 'x', extra: 1 }, 'extra'],
  ])('POST %s with invalid input is 400 naming %s', async (path, body, field) => {
    const r = await call('POST', path, h.tokens.operator, body);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain(field);
  });

  test('PDF print views: application/pdf that parses, with the patient in Norwegian letters', async () => {
    const sent = await call('POST', '/api/messages', h.tokens.epj, { ...submission, patient: { ...submission.patient, familyName: 'Ødegård', givenName: 'Åse' } });
    const msgId = String(sent.json['msgId']);
    const res = await fetch(`${h.url}/api/messages/outgoing/${msgId}/pdf`, { headers: { authorization: `Bearer ${h.tokens.readOnly}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="melding-${msgId}.pdf"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pdf = await readPdf(bytes);
    expect(pdf.pageCount).toBe(1);
    expect(pdf.pages.join('')).toContain('Åse Ødegård');
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'getMessage', args: ['outgoing', msgId], actor: { kind: 'read-only', id: 'revisor' } });
    expect((await call('GET', '/api/messages/outgoing/nope/pdf', h.tokens.readOnly)).status).toBe(404);

    const dt = await fetch(`${h.url}/api/downtime/pdf`, { headers: { authorization: `Bearer ${h.tokens.operator}` } });
    expect([dt.status, dt.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect((await readPdf(new Uint8Array(await dt.arrayBuffer()))).pages.join('')).toContain('Nedetid: liste for manuell håndtering');
    expect(h.node.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['downtime', 'listOutgoing']));
  });

  test('manual-mode with a non-numeric HER-id in the path is 400', async () => {
    expect((await call('POST', '/api/downtime/abc/manual-mode', h.tokens.operator, { on: true })).status).toBe(400);
  });
});

describe('downtime with the address register', () => {
  let dir: string;
  let hr: Harness;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'node-app-register-'));
    const file = join(dir, 'ar.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        parties: [
          { herId: '8143100', name: 'Skien kommune', kind: 'organisation', transport: { kind: 'smtp' } },
          { herId: '8143101', name: 'Sykepleietjeneste', kind: 'service', parentHerId: '8143100' },
          { herId: '8142519', name: 'Sykehuset Telemark HF', kind: 'organisation', transport: { kind: 'smtp' } },
          { herId: '8142520', name: 'Somatikk', kind: 'service', parentHerId: '8142519' },
          { herId: '8142530', name: 'Legevakt med egen transport', kind: 'service', parentHerId: '8142519', transport: { kind: 'smtp' } },
        ],
      }),
    );
    hr = await startHarness({ patch: { addressRegister: { file } } });
  });
  afterAll(async () => {
    await hr.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GET /api/downtime lists every partner of the register (not ours) with its transport endpoint', async () => {
    const r = await fetch(`${hr.url}/api/downtime`, { headers: { authorization: `Bearer ${hr.tokens.readOnly}` } });
    const body = (await r.json()) as { register: { herId: number; endpointHerId: number; manualModeSwitchable: boolean }[] };
    expect(body.register.map((p) => [p.herId, p.endpointHerId, p.manualModeSwitchable])).toEqual([
      [8142530, 8142530, true],
      [8142519, 8142519, true],
      [8142520, 8142519, false],
    ]);
  });

  test('manual mode: for an organisation or a service with its own transport; a service that follows its organisation is 409', async () => {
    const post = (her: number) => fetch(`${hr.url}/api/downtime/${String(her)}/manual-mode`, { method: 'POST', headers: { authorization: `Bearer ${hr.tokens.operator}`, 'content-type': 'application/json' }, body: JSON.stringify({ on: true }) });
    expect((await post(8142519)).status).toBe(200);
    expect((await post(8142530)).status).toBe(200);
    const refused = await post(8142520);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toContain('8142519');
    expect(hr.node.calls.filter((c) => c.method === 'setManualMode').map((c) => c.args[0])).toEqual([8142519, 8142530]);
  });
});

describe('operations', () => {
  test('metrics in Prometheus text format', async () => {
    await call('GET', '/api/stays', h.tokens.readOnly);
    const r = await call('GET', '/metrics', h.tokens.readOnly);
    expect(r.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(r.text).toContain('samhandling_outbox_depth 2');
    expect(r.text).toContain('samhandling_receipts_overdue 1');
    expect(r.text).toContain('samhandling_send_failures_total 3');
    expect(r.text).toContain('samhandling_receipt_latency_seconds_bucket{le="1"} 1');
    expect(r.text).toContain('samhandling_receipt_latency_seconds_count 3');
    expect(r.text).toMatch(/samhandling_http_requests_total\{method="GET",route="\/api\/stays",status="200"\} 1/);
  });

  test('the OpenAPI document is 3.1 and describes every API route', async () => {
    const r = await call('GET', '/openapi.json', h.tokens.readOnly);
    expect(r.json['openapi']).toBe('3.1.0');
    const paths = Object.keys(r.json['paths'] as object);
    for (const [, path] of ENDPOINTS) {
      const template = path.replace('/outgoing/x/resend', '/outgoing/{id}/resend').replace(/\/x(\/|$)/, '/{id}$1').replace('/incoming/{id}', '/{direction}/{id}').replace('/outgoing/{id}', '/{direction}/{id}').replace('/stays/{id}', '/stays/{key}').replace('/11/', '/{id}/').replace('/8142520/', '/{herId}/').replace('/answers/m-1/', '/answers/{msgId}/').replace('/outgoing/{id}/pdf', '/{direction}/{id}/pdf');
      const alt = template.replace('/{direction}/{id}/resend', '/outgoing/{id}/resend');
      expect(paths.includes(template) || paths.includes(alt)).toBe(true);
    }
  });

  test('request logs carry route templates and never a fødselsnummer', async () => {
    await call('POST', '/api/messages', h.tokens.epj, submission);
    await call('GET', '/api/stays/31129956715', h.tokens.readOnly);
    const all = h.logs.join('\n');
    expect(all).not.toContain('31129956715');
    expect(all).toContain('"route":"/api/stays/{key}"');
    expect(all).toContain('"msgId":"00000000-0000-4000-8000-000000000001"');
  });

  test('unknown path 404, wrong method 405', async () => {
    expect((await call('GET', '/api/nothing', h.tokens.readOnly)).status).toBe(404);
    const r = await call('DELETE', '/api/stays', h.tokens.readOnly);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});
