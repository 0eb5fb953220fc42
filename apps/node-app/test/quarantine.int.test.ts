/**
 * Quarantine handling over the REAL engine (both apps, loopback SMTP, CMS, SQLite): a message for a
 * department the municipality's node does not serve lands in its quarantine (answered with a
 * negative AppRec E21, document readable), and an operator forwards it to the right department of
 * the organisation (one entry; delivered to this node's EPJ inbox, ADR 0016) and sends Tilbakemelding
 * om feil (DIALOG_AVVIK) to the sender (another entry). The
 * assertions are what the engines report: the outgoing messages with transport and receipt state,
 * the quarantine entries' state and actions, the other side's incoming messages, and the audit log.
 *
 * Our engine never sends such a message itself: it addresses the ebXML header and the MsgHead to the
 * same HER-id, and the receiving transport refuses a HER-id it does not serve (api.int.test.ts:
 * dead letter at the sender). So the misaddressed message comes from a foreign sending system
 * (./foreign-sender.ts) with the hospital's real credentials: ebXML to 8143101 (served), MsgHead
 * receiver 8143109 (a department under the municipality that this node does not serve).
 */
import { randomUUID } from 'node:crypto';
import { sendAsHospital } from './foreign-sender';
import { api, startRealPair, TEST_TIMEOUT_MS, until, WAIT_MS, type RealPair } from './real-pair';

jest.setTimeout(TEST_TIMEOUT_MS);

const FNR = { v: 'FNR', dn: 'Fødselsnummer', s: '2.16.578.1.12.4.1.1.8116' };
const patient = { familyName: 'Nordmann', givenName: 'Ola', idents: [{ id: '31129956715', typeId: FNR }] };
/** A department under the municipality that no node serves (in the address register). */
const NOT_SERVED = 8143109;
/** The municipality's other department (served by the same app): the right receiver. */
const SAKSBEHANDLER = 8143102;

type Json = Record<string, unknown>;
let pair: RealPair;

beforeAll(async () => {
  pair = await startRealPair({
    register: (r) => ({ parties: [...r.parties, { herId: String(NOT_SERVED), name: 'Hjemmetjenesten sone nord', kind: 'service', parentHerId: '8143100' }] }),
  });
}, 2 * WAIT_MS);

afterAll(async () => {
  await pair?.stop();
});

const items = (r: { json: { items?: Json[] } }): Json[] => r.json.items ?? [];

let template: string | undefined;

/**
 * Sends LOG_INNLAGT from the hospital (8142520) with the ebXML header addressed to 8143101 but the
 * MsgHead to NOT_SERVED. The document is one the hospital app built (fetched once through its API),
 * with a new MsgId and the receiver department replaced.
 */
async function sendMisaddressed(): Promise<string> {
  if (template === undefined) {
    const r = await api(pair.sthf.url, 'POST', '/api/messages', pair.sthf.tokens.epj, {
      type: 'LOG_INNLAGT',
      receiverHerId: 8143101,
      patient,
      content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: pair.clock().toISOString(), merknad: 'Innlagt' } },
    });
    expect(r.status).toBe(202);
    const msgId = r.json['msgId'] as string;
    const detail = await api(pair.sthf.url, 'GET', `/api/messages/outgoing/${msgId}`, pair.sthf.tokens.readOnly);
    template = (detail.json['xml'] as string).split(msgId).join('{{MSGID}}');
  }
  const msgId = randomUUID();
  const xml = template.split('{{MSGID}}').join(msgId).replace(/(<(?:\w+:)?Receiver>[\s\S]*?<\/(?:\w+:)?Receiver>)/, (receiver) => receiver.split('8143101').join(String(NOT_SERVED)));
  expect(xml).toContain(String(NOT_SERVED));
  await sendAsHospital(pair, { xml, msgType: 'LOG_INNLAGT', msgId, from: '8142520', to: '8143101' });
  return msgId;
}

async function quarantineOf(msgId: string): Promise<Json> {
  const { url, tokens } = pair.kommune;
  return until(`the quarantine entry of ${msgId}`, async () => {
    for (const q of items(await api(url, 'GET', '/api/quarantine', tokens.readOnly))) {
      const m = await api(url, 'GET', `/api/messages/incoming/${String(q['incomingId'])}`, tokens.readOnly);
      if ((m.json['summary'] as Json | undefined)?.['msgId'] === msgId) return q;
    }
    return undefined;
  });
}

async function outgoing(app: RealPair['kommune'], filter: (m: Json) => boolean, what: string): Promise<Json> {
  return until(what, async () => items(await api(app.url, 'GET', '/api/messages/outgoing?limit=500', app.tokens.readOnly)).find(filter));
}

describe('quarantine over the real engine', () => {
  const ids: Record<string, string> = {};
  const entries: Record<string, Json> = {};

  test('a message for a department this node does not serve: negative AppRec (E21), quarantined, readable', async () => {
    ids['forward'] = await sendMisaddressed();
    ids['feedback'] = await sendMisaddressed();
    for (const k of ['forward', 'feedback']) {
      const q = await quarantineOf(ids[k] ?? '');
      expect(q).toMatchObject({ state: 'open', code: 'ERR_MSG_RECEIVER_UNKNOWN', reason: `HER-id ${String(NOT_SERVED)} is not served here`, actions: [] });
      entries[k] = q;
      const m = await api(pair.kommune.url, 'GET', `/api/messages/incoming/${String(q['incomingId'])}`, pair.kommune.tokens.readOnly);
      expect(m.json['summary']).toMatchObject({ msgId: ids[k], type: 'LOG_INNLAGT', senderHerId: 8142520, receiverHerId: NOT_SERVED, state: 'rejected', appRec: { status: '2', errors: ['E21'] } });
      expect(JSON.stringify(m.json['parsed'])).toContain('Nordmann');
    }
    // Nothing was delivered to the municipality's EPJ.
    const inbox = items(await api(pair.kommune.url, 'GET', '/api/inbox?all=true', pair.kommune.tokens.epj)).map((e) => e['msgId']);
    expect(inbox).not.toContain(ids['forward']);
    expect(inbox).not.toContain(ids['feedback']);
  });

  test('an operator forwards one entry to the right HER-id of the organisation: delivered to its inbox, re-addressed, and recorded', async () => {
    const q = entries['forward'] as Json;
    const path = `/api/quarantine/${String(q['id'])}/forward`;
    expect((await api(pair.kommune.url, 'POST', path, pair.kommune.tokens.readOnly, { toHerId: SAKSBEHANDLER })).status).toBe(403);
    expect((await api(pair.kommune.url, 'POST', path, pair.kommune.tokens.operator, { toHerId: 'x' })).status).toBe(400);
    expect((await api(pair.kommune.url, 'POST', path, pair.kommune.tokens.operator, { toHerId: SAKSBEHANDLER })).status).toBe(200);

    // Inside our organisation (ADR 0016): re-addressed to the department it was meant for and
    // delivered to this node's EPJ inbox, once; nothing is sent.
    const delivered = await until('the forwarded document in the inbox', async () =>
      items(await api(pair.kommune.url, 'GET', '/api/inbox?all=true', pair.kommune.tokens.epj)).find((e) => e['msgId'] === ids['forward']),
    );
    expect(delivered).toMatchObject({ msgId: ids['forward'] });
    const outgoingForward = items(await api(pair.kommune.url, 'GET', '/api/messages/outgoing?limit=500', pair.kommune.tokens.readOnly)).filter(
      (m) => m['type'] === 'LOG_INNLAGT' && m['receiverHerId'] === SAKSBEHANDLER,
    );
    expect(outgoingForward).toEqual([]);

    const after = items(await api(pair.kommune.url, 'GET', '/api/quarantine', pair.kommune.tokens.readOnly)).find((x) => x['id'] === q['id']);
    expect(after).toMatchObject({ state: 'forwarded' });
    const actions = (after?.['actions'] as Json[]).map((a) => [a['action'], a['actor'], a['detail']]);
    expect(actions).toEqual([['forward', 'operator:kommune-operator', expect.stringContaining(`to ${String(SAKSBEHANDLER)}`)]]);
    const audit = await pair.kommune.store().listAudit({ action: 'quarantine-forward', limit: 100 });
    // One entry per action: the store writes it in the transaction of the action.
    expect(audit).toEqual([expect.objectContaining({ actor: 'operator:kommune-operator', subjectType: 'quarantine', subjectId: String(q['id']), patientRef: expect.any(String) })]);

    // Outside the organisation a forward is refused (the sender's signature cannot go on): 409.
    expect((await api(pair.kommune.url, 'POST', path, pair.kommune.tokens.operator, { toHerId: 8142520 })).status).toBe(409);
  });

  test('an operator sends Tilbakemelding om feil for the other entry: DIALOG_AVVIK reaches the hospital and is receipted', async () => {
    const q = entries['feedback'] as Json;
    const path = `/api/quarantine/${String(q['id'])}/feedback`;
    expect((await api(pair.kommune.url, 'POST', path, pair.kommune.tokens.epj, { reason: '1', text: 'x' })).status).toBe(403);
    expect((await api(pair.kommune.url, 'POST', path, pair.kommune.tokens.operator, { reason: '7', text: 'x' })).status).toBe(400);
    const text = 'Feil adressat: avdelingen 8143109 tar ikke imot meldinger. Send til 8143102.';
    expect((await api(pair.kommune.url, 'POST', path, pair.kommune.tokens.operator, { reason: '1', text })).status).toBe(200);

    const avvik = await outgoing(pair.kommune, (m) => m['type'] === 'DIALOG_AVVIK', 'the DIALOG_AVVIK');
    expect(avvik).toMatchObject({ senderHerId: 8143101, receiverHerId: 8142520 });
    const receipted = await until('the AppRec of the DIALOG_AVVIK', async () => {
      const s = (await api(pair.kommune.url, 'GET', `/api/messages/outgoing/${String(avvik['msgId'])}`, pair.kommune.tokens.readOnly)).json['summary'] as Json & {
        receipt: { state: string };
        transport: { state: string };
      };
      // The AppRec may come back before the transport acknowledgment is recorded: wait for both.
      return s.receipt.state !== 'awaiting' && s.transport.state === 'acknowledged' ? s : undefined;
    });
    expect(receipted).toMatchObject({ transport: { state: 'acknowledged' }, receipt: { state: 'ok', status: '1' } });

    // The hospital received and delivered it; it names the misaddressed message and carries the text.
    const arrived = await until('the DIALOG_AVVIK at the hospital', async () => items(await api(pair.sthf.url, 'GET', '/api/messages/incoming?type=DIALOG_AVVIK', pair.sthf.tokens.readOnly)).find((m) => m['msgId'] === avvik['msgId']));
    expect(arrived).toMatchObject({ senderHerId: 8143101, receiverHerId: 8142520, state: 'delivered', appRec: { status: '1' } });
    const detail = await api(pair.sthf.url, 'GET', `/api/messages/incoming/${String(arrived['id'])}`, pair.sthf.tokens.readOnly);
    expect(detail.json['xml']).toEqual(expect.stringContaining(ids['feedback'] ?? '(none)'));
    expect(detail.json['xml']).toEqual(expect.stringContaining('Send til 8143102.'));

    const after = items(await api(pair.kommune.url, 'GET', '/api/quarantine', pair.kommune.tokens.readOnly)).find((x) => x['id'] === q['id']);
    expect(after).toMatchObject({ state: 'feedback-sent' });
    expect((after?.['actions'] as Json[]).map((a) => [a['action'], a['actor']])).toEqual([['feedback-sent', 'operator:kommune-operator']]);
    const audit = await pair.kommune.store().listAudit({ action: 'quarantine-feedback-sent', limit: 100 });
    expect(audit).toEqual([expect.objectContaining({ actor: 'operator:kommune-operator', subjectType: 'quarantine', subjectId: String(q['id']) })]);

    // Handled afterwards with a note; the entry then refuses further actions.
    expect((await api(pair.kommune.url, 'POST', `/api/quarantine/${String(q['id'])}/handled`, pair.kommune.tokens.operator, { note: 'Sykehuset har rettet adressen.' })).status).toBe(200);
    expect((await api(pair.kommune.url, 'POST', path, pair.kommune.tokens.operator, { reason: '1', text })).status).toBe(409);
  });
});
