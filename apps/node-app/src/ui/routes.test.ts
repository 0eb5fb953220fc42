import { startHarness, type Harness } from '../../test/helpers';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

async function login(token: string): Promise<{ status: number; cookie?: string }> {
  const r = await fetch(`${h.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url }, body: new URLSearchParams({ token, neste: '/ui/send' }) });
  const cookie = r.headers.get('set-cookie') ?? undefined;
  return { status: r.status, ...(cookie === undefined ? {} : { cookie: cookie.split(';')[0] }) };
}

async function page(path: string, cookie?: string): Promise<{ status: number; text: string; location: string | null }> {
  const r = await fetch(h.url + path, { redirect: 'manual', headers: { accept: 'text/html', ...(cookie === undefined ? {} : { cookie }) } });
  return { status: r.status, text: await r.text(), location: r.headers.get('location') };
}

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

test('pages need a session: redirect to the login page', async () => {
  const r = await page('/ui/innboks');
  expect(r.status).toBe(303);
  expect(r.location).toBe('/login?neste=%2Fui%2Finnboks');
});

test('login with an operator token opens an HttpOnly SameSite=Strict session; EPJ tokens and unknown tokens are refused', async () => {
  expect((await login('nope')).status).toBe(401);
  expect((await login(h.tokens.epj)).status).toBe(401);
  const r = await fetch(`${h.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url }, body: `token=${h.tokens.operator}` });
  expect(r.status).toBe(303);
  expect(r.headers.get('set-cookie')).toMatch(/^sh_session_kommune=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
  const cross = await fetch(`${h.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }, body: `token=${h.tokens.operator}` });
  expect(cross.status).toBe(403);
});

test('the pages render in Norwegian with a skip link, labels and the CSP header', async () => {
  const { cookie } = await login(h.tokens.operator);
  h.node.downtimeView = { partners: [{ herId: 8142520, name: 'Sykehuset Telemark HF', state: 'down', since: '2024-03-08T08:00:00Z', heldMessages: 2 }], manualLog: [] };
  for (const path of ['/', '/ui/innboks', '/ui/utboks', '/ui/opphold', '/ui/send', '/ui/oppgaver', '/ui/karantene', '/ui/nedetid']) {
    const r = await page(path, cookie);
    expect({ path, status: r.status }).toEqual({ path, status: 200 });
    expect(r.text).toContain('<html lang="nb">');
    expect(r.text).toContain('<a class="skip" href="#main">Hopp til hovedinnhold</a>');
    expect(r.text).toContain('Nedetid:');
  }
  const res = await fetch(`${h.url}/ui/innboks`, { headers: { cookie: cookie ?? '' } });
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
});

test('forms need the CSRF token; with it, the municipality answers a LOG_UTSKRIVNINGSKLAR', async () => {
  const { cookie } = await login(h.tokens.operator);
  h.node.incoming = [{ id: '7', msgId: 'orig-1', type: 'LOG_UTSKRIVNINGSKLAR', senderHerId: 8142520, receiverHerId: 8143101, receivedAt: '2024-03-08T10:00:00Z', state: 'delivered', appRec: { status: '1', errors: [] } }];
  h.node.details.set('incoming/7', {
    direction: 'incoming',
    summary: h.node.incoming[0]!,
    parsed: { type: 'LOG_UTSKRIVNINGSKLAR', msgHead: { msgInfo: { msgId: 'orig-1', patient: { familyName: 'Nordmann', givenName: 'Kari', idents: [{ id: '31129956715', typeId: { v: 'FNR' } }] } } } },
    xml: '<MsgHead>…</MsgHead>',
  });
  const view = await page('/ui/meldinger/incoming/7', cookie);
  expect(view.text).toContain('Svar på utskrivningsklar pasient');
  expect(view.text).toContain('AppRec: OK');
  expect(view.text).toContain('&lt;MsgHead&gt;');
  const form = { id: '7', answer: 'cannot-receive', date: '2024-03-11', text: '' };
  const post = (extra: Record<string, string>) =>
    fetch(`${h.url}/ui/send/svar`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url, cookie: cookie ?? '' }, body: new URLSearchParams({ ...form, ...extra }) });
  expect((await post({})).status).toBe(403);
  expect((await post({ _csrf: 'wrong' })).status).toBe(403);
  const ok = await post({ _csrf: csrfOf(view.text) });
  expect(ok.status).toBe(303);
  const submit = h.node.calls.find((c) => c.method === 'submit');
  expect(submit).toMatchObject({
    actor: { kind: 'operator', id: 'ola' },
    args: [{ type: 'DIALOG_FORESPORSEL', receiverHerId: 8142520, inReplyTo: 'orig-1', content: { questions: [{ topic: { v: '7' }, question: 'Kommunen kan ikke ta imot pasienten ennå. Forventet klar: 2024-03-11.' }] } }],
  });
});

test('a read-only user sees pages but cannot act', async () => {
  const { cookie } = await login(h.tokens.readOnly);
  const r = await page('/ui/oppgaver', cookie);
  expect(r.status).toBe(200);
  const res = await fetch(`${h.url}/ui/nedetid/8142520/manuell-modus`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url, cookie: cookie ?? '' }, body: new URLSearchParams({ _csrf: csrfOf(r.text), on: 'true' }) });
  expect(res.status).toBe(403);
  expect(h.node.calls.some((c) => c.method === 'setManualMode')).toBe(false);
});

test('the print views link a server-side PDF; the PDFs need a session', async () => {
  const sent = await fetch(`${h.url}/api/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.tokens.epj}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'LOG_INNLAGT', receiverHerId: 8142520, patient: { familyName: 'Ås', givenName: 'Bjørn', idents: [{ id: '31129956715', typeId: { v: 'FNR' } }] }, content: {} }),
  });
  const msgId = String(((await sent.json()) as { msgId: string }).msgId);
  expect((await page(`/ui/meldinger/outgoing/${msgId}/utskrift.pdf`)).status).toBe(303);
  expect((await page('/ui/nedetid/utskrift.pdf')).status).toBe(303);
  const { cookie } = await login(h.tokens.readOnly);
  const print = await page(`/ui/meldinger/outgoing/${msgId}/utskrift`, cookie);
  expect(print.text).toContain(`href="/ui/meldinger/outgoing/${msgId}/utskrift.pdf"`);
  expect((await page('/ui/nedetid', cookie)).text).toContain('href="/ui/nedetid/utskrift.pdf"');
  for (const path of [`/ui/meldinger/outgoing/${msgId}/utskrift.pdf`, '/ui/nedetid/utskrift.pdf']) {
    const r = await fetch(h.url + path, { headers: cookie === undefined ? {} : { cookie } });
    expect([path, r.status, r.headers.get('content-type')]).toEqual([path, 200, 'application/pdf']);
    expect(Buffer.from(await r.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }
});

describe('an answer the rule could not read', () => {
  const setUp = (): void => {
    h.node.withUnclassifiedAnswer('The answer rule could not read the answer: classify it as can-receive, cannot-receive (with date) or offer-ready.');
    h.node.incoming = [{ id: '9', msgId: 'svar-1', type: 'DIALOG_FORESPORSEL', senderHerId: 8142520, receiverHerId: 8143101, receivedAt: '2024-03-08T12:00:00Z', state: 'delivered', stayKey: 'stay:1' }];
    h.node.details.set('incoming/9', { direction: 'incoming', summary: h.node.incoming[0]!, parsed: { type: 'DIALOG_FORESPORSEL', content: { questions: [{ topic: { v: '7' }, question: 'Vi kommer tilbake til dette.' }] } } });
  };
  const post = (cookie: string | undefined, msgId: string, body: Record<string, string>) =>
    fetch(`${h.url}/ui/svar/${encodeURIComponent(msgId)}/klassifiser`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url, cookie: cookie ?? '' }, body: new URLSearchParams(body) });

  test('the alarm on the tasks page has a Norwegian form; with the CSRF token it classifies the answer as the operator', async () => {
    setUp();
    const { cookie } = await login(h.tokens.operator);
    const tasks = await page('/ui/oppgaver', cookie);
    expect(tasks.text).toContain('Kommunens svar på utskrivningsklar pasient kunne ikke tolkes automatisk');
    expect(tasks.text).toContain('action="/ui/svar/svar-1/klassifiser"');
    for (const label of ['Kommunen kan ta imot pasienten', 'Kommunen kan ikke ta imot pasienten ennå', 'Tilbudet er klart', 'Forventet dato']) expect(tasks.text).toContain(label);
    const csrf = csrfOf(tasks.text);
    const body = { answer: 'cannot-receive', date: '2024-03-11', tilbake: 'oppgaver' };
    expect((await post(cookie, 'svar-1', body)).status).toBe(403);
    expect((await post(cookie, 'svar-1', { ...body, _csrf: 'wrong' })).status).toBe(403);
    expect(h.node.calls.some((c) => c.method === 'classifyAnswer')).toBe(false);
    const ok = await post(cookie, 'svar-1', { ...body, _csrf: csrf });
    expect([ok.status, ok.headers.get('location')]).toEqual([303, '/ui/oppgaver?ok=utfort']);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'classifyAnswer', args: ['svar-1', { answer: 'cannot-receive', date: '2024-03-11' }], actor: { kind: 'operator', id: 'ola' } });
    // Done: the form is gone; the stay shows the manual reading.
    expect((await page('/ui/oppgaver', cookie)).text).not.toContain('/ui/svar/svar-1/klassifiser');
    const stay = await page('/ui/opphold/stay%3A1', cookie);
    expect(stay.text).toContain('Tolket manuelt som «kan ikke ta imot pasienten ennå (forventet 2024-03-11)» av operator:ola');
  });

  test('from the stay page: back to the stay; a date with another answer is dropped; refusals are 4xx', async () => {
    setUp();
    const { cookie } = await login(h.tokens.operator);
    const stay = await page('/ui/opphold/stay%3A1', cookie);
    expect(stay.text).toContain('«Vi kommer tilbake til dette.»');
    expect(stay.text).toContain('Ikke tolket: regelen kunne ikke lese svaret.');
    expect(stay.text).toContain('data-testid="classify-answer"');
    const csrf = csrfOf(stay.text);
    expect((await post(cookie, 'svar-1', { _csrf: csrf, answer: 'cannot-receive', date: '11.03.2024' })).status).toBe(422);
    expect((await post(cookie, 'svar-1', { _csrf: csrf, answer: 'kanskje' })).status).toBe(400);
    expect((await post(cookie, 'nope', { _csrf: csrf, answer: 'can-receive' })).status).toBe(404);
    expect((await post(cookie, 'klar-1', { _csrf: csrf, answer: 'can-receive' })).status).toBe(409);
    const ok = await post(cookie, 'svar-1', { _csrf: csrf, answer: 'offer-ready', date: '2024-03-11', tilbake: 'opphold' });
    expect([ok.status, ok.headers.get('location')]).toEqual([303, '/ui/opphold/stay%3A1?ok=utfort#utskrivningsklar']);
    expect(h.node.calls.at(-1)).toMatchObject({ method: 'classifyAnswer', args: ['svar-1', { answer: 'offer-ready' }] });
  });

  test('a read-only user sees the alarm but no form and cannot classify', async () => {
    setUp();
    const { cookie } = await login(h.tokens.readOnly);
    const tasks = await page('/ui/oppgaver', cookie);
    expect(tasks.text).toContain('kunne ikke tolkes automatisk');
    expect(tasks.text).not.toContain('/klassifiser');
    expect((await page('/ui/opphold/stay%3A1', cookie)).text).not.toContain('/klassifiser');
    expect((await post(cookie, 'svar-1', { _csrf: csrfOf(tasks.text), answer: 'can-receive' })).status).toBe(403);
  });
});

test('the downtime page and banner say which partners are in manual mode', async () => {
  const { cookie } = await login(h.tokens.operator);
  h.node.downtimeView = { partners: [{ herId: 8142520, name: 'Sykehuset Telemark HF', state: 'up', heldMessages: 1, manualMode: true }], manualLog: [] };
  const on = await page('/ui/nedetid', cookie);
  expect(on.text).toContain('data-testid="manual-mode-on"');
  expect(on.text).toContain('manuell modus er på, 1 melding(er) holdt tilbake');
  h.node.downtimeView = { partners: [{ herId: 8142520, name: 'Sykehuset Telemark HF', state: 'up', heldMessages: 0, manualMode: false }], manualLog: [] };
  const off = await page('/ui/nedetid', cookie);
  expect(off.text).toContain('data-testid="manual-mode-off"');
  expect(off.text).not.toContain('manuell modus er på');
});

test('an operator sends a downtime notice and records a message received by hand from the downtime page', async () => {
  const { cookie } = await login(h.tokens.operator);
  h.node.downtimeView = { partners: [{ herId: 8142520, name: 'Sykehuset Telemark HF', state: 'down', since: '2024-03-08T08:00:00Z', heldMessages: 0, manualMode: false }], manualLog: [] };
  const view = await page('/ui/nedetid', cookie);
  expect(view.text).toContain('data-testid="downtime-notice-form"');
  const post = (path: string, body: Record<string, string> | URLSearchParams): Promise<Response> =>
    fetch(`${h.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url, cookie: cookie ?? '' }, body: new URLSearchParams(body) });
  const csrf = csrfOf(view.text);
  const form = new URLSearchParams([['_csrf', csrf], ['partner', '8142520'], ['planned', 'true'], ['from', '2024-07-01T18:00'], ['until', '2024-07-01T22:30'], ['reason', 'Oppgradering']]);
  const sent = await post('/ui/nedetid/varsel', form);
  expect([sent.status, sent.headers.get('location')]).toEqual([303, '/ui/nedetid?ok=varslet']);
  // Norwegian summer time: UTC+2
  expect(h.node.calls.at(-1)).toMatchObject({ method: 'announceDowntime', args: [{ partners: [8142520], planned: true, from: '2024-07-01T16:00:00.000Z', expectedUntil: '2024-07-01T20:30:00.000Z', reason: 'Oppgradering' }], actor: { kind: 'operator' } });
  expect((await post('/ui/nedetid/varsel', { _csrf: csrf, planned: 'true', reason: 'x' })).status).toBe(400);
  const received = await post('/ui/nedetid/manuell', { _csrf: csrf, partnerHerId: '8142520', direction: 'received', channel: 'telefon', note: 'avmelding lest opp' });
  expect(received.status).toBe(303);
  expect(h.node.calls.at(-1)).toMatchObject({ method: 'recordManualDelivery', args: [{ partnerHerId: 8142520, direction: 'received', channel: 'telefon', note: 'avmelding lest opp' }] });
  expect((await post('/ui/nedetid/manuell', { _csrf: csrf, partnerHerId: '8142520', direction: 'sideways', channel: 'telefon', note: 'x' })).status).toBe(400);
});
