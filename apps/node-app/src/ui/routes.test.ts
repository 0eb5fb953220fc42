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
