/**
 * An answer to LOG_UTSKRIVNINGSKLAR that the answer rule cannot read, over the REAL engine pair
 * (ebXML over SMTP on loopback, CMS, SQLite): the municipality answers in words the rule does not
 * know (topic 7322 = 7), the hospital gets the alarm `unclassified-answer:<msgId>`, its operator
 * classifies the answer through the REST API as "cannot receive" with the expected date, and the
 * hospital's stay records the answer as manually classified; the payment days then follow the
 * procedure (ADR 0014): from the day the patient was utskrivningsklar until the offer is ready.
 */
import { UTSKRIVNINGSKLAR_FEEDBACK_TOPIC } from '@samhandling/plo';
import { api, startRealPair, TEST_TIMEOUT_MS, until, WAIT_MS, type RealPair, type RunningApp } from './real-pair';

jest.setTimeout(TEST_TIMEOUT_MS);

const FNR = { v: 'FNR', dn: 'Fødselsnummer', s: '2.16.578.1.12.4.1.1.8116' };
const patient = { familyName: 'Hansen', givenName: 'Ola', idents: [{ id: '31129956715', typeId: FNR }] };
const KOMMUNE = 8143101;
const STHF = 8142520;

type Json = Record<string, unknown>;
interface Procedure {
  readonly phase: string;
  readonly paymentDays: readonly string[];
  readonly deadlines: readonly Json[];
  readonly answers: readonly Json[];
}

let pair: RealPair;
beforeAll(async () => {
  pair = await startRealPair();
}, 2 * WAIT_MS);
afterAll(async () => {
  await pair?.stop();
});

const items = (r: { json: { items?: Json[] } }): Json[] => r.json.items ?? [];
const logistikk = (tidspunkt: string): Json => ({ informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt } });

async function submit(app: RunningApp, body: Json): Promise<string> {
  const r = await api(app.url, 'POST', '/api/messages', app.tokens.epj, body);
  expect(r.status).toBe(202);
  return r.json['msgId'] as string;
}

async function receiptOk(app: RunningApp, msgId: string): Promise<void> {
  const state = await until(`AppRec for ${msgId}`, async () => {
    const s = (await api(app.url, 'GET', `/api/messages/outgoing/${msgId}`, app.tokens.readOnly)).json['summary'] as { receipt: { state: string } } | undefined;
    return s !== undefined && s.receipt.state !== 'awaiting' ? s.receipt.state : undefined;
  });
  expect(state).toBe('ok');
}

async function onlyStay(app: RunningApp): Promise<Json & { key: string; procedure: Procedure }> {
  const stays = items(await api(app.url, 'GET', '/api/stays', app.tokens.readOnly));
  expect(stays).toHaveLength(1);
  return stays[0] as never;
}

async function incomingId(app: RunningApp, msgId: string): Promise<string> {
  return until(`incoming ${msgId}`, async () => items(await api(app.url, 'GET', '/api/messages/incoming?limit=500', app.tokens.readOnly)).find((m) => m['msgId'] === msgId)?.['id'] as string | undefined);
}

/** An operator's UI session on `app`. */
async function uiSession(app: RunningApp): Promise<string> {
  const r = await fetch(`${app.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url }, body: new URLSearchParams({ token: app.tokens.operator, neste: '/' }) });
  expect(r.status).toBe(303);
  return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function uiPage(app: RunningApp, cookie: string, path: string): Promise<string> {
  const r = await fetch(app.url + path, { headers: { accept: 'text/html', cookie } });
  expect(r.status).toBe(200);
  return r.text();
}

test('the hospital operator classifies an answer the rule cannot read: manual in the stay, payment days as the procedure says', async () => {
  const { sthf, kommune } = pair;
  const now = pair.clock().toISOString();
  const innlagt = await submit(sthf, { type: 'LOG_INNLAGT', receiverHerId: KOMMUNE, patient, content: logistikk(now) });
  await receiptOk(sthf, innlagt);
  // The notice of the expected need for services (§ 8), as the payment rule requires.
  const varsel = await submit(sthf, {
    type: 'HELSEOPPL_SOKNAD',
    receiverHerId: 8143102,
    patient,
    content: {
      informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
      typeInnhold: '1',
      opplysninger: [{ typeOpplysning: { v: 'VU', s: '2.16.578.1.12.4.1.1.9142' }, tekst: 'Forventet å trenge hjemmesykepleie etter utskrivning.' }],
    },
  });
  await receiptOk(sthf, varsel);
  const klar = await submit(sthf, { type: 'LOG_UTSKRIVNINGSKLAR', receiverHerId: KOMMUNE, patient, content: logistikk(now) });
  await receiptOk(sthf, klar);
  await incomingId(kommune, klar);

  // The municipality answers in words the default rule does not read.
  const svar = await submit(kommune, {
    type: 'DIALOG_FORESPORSEL',
    receiverHerId: STHF,
    patient,
    inReplyTo: klar,
    content: { questions: [{ topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: 'Vi kommer tilbake til dette.', documentId: 'SVAR-UKLAR-1' }] },
  });
  await receiptOk(kommune, svar);

  // The hospital: an alarm for the answer; the procedure has not moved.
  const alarm = await until('the unclassified-answer alarm', async () => items(await api(sthf.url, 'GET', '/api/tasks?open=true', sthf.tokens.readOnly)).find((t) => t['id'] === `unclassified-answer:${svar}`));
  expect(alarm).toMatchObject({ kind: 'alarm', msgId: svar, done: false });
  const before = await onlyStay(sthf);
  expect(alarm['stayKey']).toBe(before.key);
  expect(before.procedure.phase).toBe('utskrivningsklar');
  expect(before.procedure.answers).toEqual([]);

  // The alarm's form on the hospital's tasks page, and the answer's text on the stay page.
  const cookie = await uiSession(sthf);
  expect(await uiPage(sthf, cookie, '/ui/oppgaver')).toContain(`action="/ui/svar/${svar}/klassifiser"`);
  const stayPage = await uiPage(sthf, cookie, `/ui/opphold/${encodeURIComponent(before.key)}`);
  expect(stayPage).toContain('«Vi kommer tilbake til dette.»');
  expect(stayPage).toContain('Ikke tolket: regelen kunne ikke lese svaret.');

  // Only an operator may classify; an invalid classification is refused; then the operator classifies.
  expect((await api(sthf.url, 'POST', `/api/answers/${svar}/classification`, sthf.tokens.epj, { answer: 'cannot-receive', date: '2025-03-06' })).status).toBe(403);
  expect((await api(sthf.url, 'POST', `/api/answers/${svar}/classification`, sthf.tokens.operator, { answer: 'offer-ready', date: '2025-03-06' })).status).toBe(422);
  expect((await api(sthf.url, 'POST', `/api/answers/${klar}/classification`, sthf.tokens.operator, { answer: 'can-receive' })).status).toBe(409);
  const classified = await api(sthf.url, 'POST', `/api/answers/${svar}/classification`, sthf.tokens.operator, { answer: 'cannot-receive', date: '2025-03-06' });
  expect(classified.status).toBe(200);
  expect((classified.json['procedure'] as Procedure).answers).toEqual([
    { msgId: svar, answer: 'cannot-receive', date: '2025-03-06', classifiedBy: 'manual', by: 'operator:sthf-operator', at: expect.any(String) },
  ]);

  const waiting = await onlyStay(sthf);
  const diag = { phase: waiting.procedure.phase, answered: (classified.json['procedure'] as Procedure).phase, tasks: items(await api(sthf.url, 'GET', '/api/tasks', sthf.tokens.readOnly)).map((t) => [t['id'], t['detail'], t['done']]), periods: (waiting.procedure as unknown as { periods: unknown }).periods, issues: (waiting.procedure as unknown as { issues: unknown }).issues };
  expect(diag).toMatchObject({ phase: 'waiting' });
  expect({ payable: (waiting.procedure as unknown as { periods: Json[] }).periods[0]?.['payable'], days: waiting.procedure.paymentDays }).toEqual({ payable: true, days: ['2025-03-04'] });
  expect(waiting.procedure.deadlines.find((d) => d['rule'] === 'section-11-answer')?.['status']).toBe('met');
  expect(items(await api(sthf.url, 'GET', '/api/tasks?open=true', sthf.tokens.readOnly)).some((t) => t['id'] === `unclassified-answer:${svar}`)).toBe(false);
  expect(await sthf.store().listAudit({ action: 'classify-answer', limit: 10 })).toEqual([expect.objectContaining({ actor: 'operator:sthf-operator', subjectType: 'procedure' })]);
  expect(await uiPage(sthf, cookie, `/ui/opphold/${encodeURIComponent(waiting.key)}`)).toContain('Tolket manuelt som «kan ikke ta imot pasienten ennå (forventet 2025-03-06)» av operator:sthf-operator');

  // Two days later the municipality reports the offer ready (the rule reads it): two payment days.
  pair.clock.advance(2 * 86_400_000);
  const ready = await submit(kommune, {
    type: 'DIALOG_FORESPORSEL',
    receiverHerId: STHF,
    patient,
    inReplyTo: klar,
    content: { questions: [{ topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: 'Tilbudet er klart: korttidsplass fra i dag.', documentId: 'SVAR-KLART-1' }] },
  });
  await receiptOk(kommune, ready);
  const receivable = await until('the receivable phase', async () => {
    const s = await onlyStay(sthf);
    return s.procedure.phase === 'receivable' ? s : undefined;
  });
  expect(receivable.procedure.paymentDays).toEqual(['2025-03-04', '2025-03-05']);
  expect(receivable.procedure.answers.map((a) => [a['msgId'], a['answer'], a['classifiedBy']])).toEqual([
    [svar, 'cannot-receive', 'manual'],
    [ready, 'offer-ready', 'rule'],
  ]);
});
