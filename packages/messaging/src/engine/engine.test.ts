/**
 * Unit tests of the engine's pipelines: two engines (hospital, municipality) over the in-memory
 * transport, each with its own SQLite database in a temporary folder, a test PKI (one per file)
 * and an in-memory address register. Time is an injected clock; the scheduler's timers are
 * replaced so the tests drive the workers with `runOnce()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { receiptFor } from '@samhandling/apprec';
import { createTestPki, protect } from '@samhandling/cms';
import type { TestPartyCredentials, TestPki } from '@samhandling/cms';
import { buildMessage, herIdent, orgNumberIdent, parseMessage, personIdent } from '@samhandling/plo';
import type { Organisation } from '@samhandling/plo';
import { createLocalAddressRegister } from '../address-register/local';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import type { MessagingStore } from '../store/types';
import { createInMemoryNetwork } from '../transport/in-memory';
import type { InMemoryNetwork, InMemoryTransport } from '../transport/in-memory';
import type { PayloadKind } from '../transport/types';
import type { Actor, SubmitMessageInput } from './api';
import type { EpjPort, MessagingNodeConfig, Notice } from './config';
import { createMessagingNode } from './node';
import type { MessagingEngine } from './node';

const HOSPITAL = '8142519';
const HOSPITAL_SERVICE = '8142520';
const KOMMUNE = '8143100';
const SYKEPLEIE = '8143101';
const STRANGER = '8150000';
const OLD_VERSIONS = '8143700';
const CURRENT_VERSIONS = '8143800';
const FNR = '31129956715';
const UNKNOWN_PATIENT = '13116900216';
const OPERATOR: Actor = { kind: 'operator', id: 'kari' };
const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const REF_KEY = 'unit-test-patient-reference-key';

let pki: TestPki;
let hospitalCreds: TestPartyCredentials;
let kommuneCreds: TestPartyCredentials;
let strangerCreds: TestPartyCredentials;
let dir: string;
let now: Date;
const clock = (): Date => new Date(now.getTime());
const noTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

beforeAll(async () => {
  now = new Date('2024-03-04T08:00:00Z');
  pki = await createTestPki({
    clock: () => new Date('2024-03-01T00:00:00Z'),
    parties: [
      { name: 'Sykehuset Telemark HF', herId: HOSPITAL, orgNumber: '983975267' },
      { name: 'Skien kommune', herId: KOMMUNE, orgNumber: '938583986' },
      { name: 'Fremmed aktør', herId: STRANGER, orgNumber: '999999999' },
    ],
  });
  [hospitalCreds, kommuneCreds, strangerCreds] = pki.parties as [TestPartyCredentials, TestPartyCredentials, TestPartyCredentials];
  dir = mkdtempSync(join(tmpdir(), 'samhandling-engine-'));
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function registerParties(): unknown {
  const org = (c: TestPartyCredentials, herId: string, orgNumber: string | undefined, mail: string): Record<string, unknown> => ({
    herId,
    name: c.name,
    kind: 'organisation',
    ...(orgNumber === undefined ? {} : { organisationNumber: orgNumber }),
    transport: { kind: 'smtp', host: '127.0.0.1', port: 25, mailbox: `edi@${mail}.test` },
    signingCertificate: c.signing.certificatePem,
    encryptionCertificate: c.encryption.certificatePem,
    appRecVersion: '1.1',
    meldingsansvarlig: { email: `meldingsansvarlig@${mail}.test` },
  });
  return {
    version: 1,
    parties: [
      org(hospitalCreds, HOSPITAL, '983975267', 'sykehus'),
      { herId: HOSPITAL_SERVICE, name: 'Somatikk plo meldingsmottak', kind: 'service', parentHerId: HOSPITAL },
      org(kommuneCreds, KOMMUNE, '938583986', 'kommune'),
      { herId: SYKEPLEIE, name: 'Sykepleietjeneste', kind: 'service', parentHerId: KOMMUNE },
      org(strangerCreds, STRANGER, undefined, 'fremmed'),
      { ...org(strangerCreds, OLD_VERSIONS, undefined, 'gammel'), messageTypes: [{ type: 'LOG_INNLAGT', versions: ['1.5'] }] },
      { ...org(strangerCreds, CURRENT_VERSIONS, undefined, 'ny'), messageTypes: [{ type: 'LOG_INNLAGT', versions: ['1.6', '1.5'] }] },
    ],
  };
}

interface Side {
  readonly engine: MessagingEngine;
  readonly store: MessagingStore;
  readonly transport: InMemoryTransport;
  readonly notices: Notice[];
}

interface World {
  readonly net: InMemoryNetwork;
  readonly hospital: Side;
  readonly kommune: Side;
  close(): Promise<void>;
}

async function side(
  net: InMemoryNetwork,
  name: string,
  role: 'hospital' | 'municipality',
  creds: TestPartyCredentials,
  main: string,
  herIds: string[],
  extra: Partial<MessagingNodeConfig> = {},
  epj?: EpjPort,
  payload: PayloadKind = 'cms',
): Promise<Side> {
  const store = await openSqliteStore({ path: join(dir, `${name}-${randomUUID()}.db`), clock });
  const transport = net.endpoint({ herIds, clock, seenMessages: store.seenMessages, resend: { ackTimeoutMs: 3_600_000, maxDelayMs: 3_600_000 }, payload });
  const notices: Notice[] = [];
  const engine = createMessagingNode(
    {
      role,
      herIds: { main, all: herIds },
      instanceId: name,
      credentials: { signing: creds.signing, encryption: creds.encryption, trustAnchors: [pki.root.certificate], intermediates: [pki.intermediate.certificate] },
      patientRefKey: REF_KEY,
      retry: { jitter: 0, initialDelayMs: 1000, factor: 2, ttlMs: 60 * 60_000 },
      ...extra,
    },
    {
      store,
      transport,
      addressRegister: createLocalAddressRegister({ parties: registerParties(), clock }),
      clock,
      timers: noTimers,
      notifier: { send: async (n) => void notices.push(n) },
      ...(epj === undefined ? {} : { epj }),
    },
  );
  await engine.start();
  return { engine, store, transport, notices };
}

async function world(extra: { hospital?: Partial<MessagingNodeConfig>; kommune?: Partial<MessagingNodeConfig>; kommuneEpj?: EpjPort; payload?: PayloadKind } = {}): Promise<World> {
  const net = createInMemoryNetwork();
  const hospital = await side(net, 'hospital', 'hospital', hospitalCreds, HOSPITAL_SERVICE, [HOSPITAL, HOSPITAL_SERVICE], extra.hospital, undefined, extra.payload);
  const kommune = await side(net, 'kommune', 'municipality', kommuneCreds, SYKEPLEIE, [KOMMUNE, SYKEPLEIE], extra.kommune, extra.kommuneEpj, extra.payload);
  return {
    net,
    hospital,
    kommune,
    close: async () => {
      await hospital.engine.stop();
      await kommune.engine.stop();
      await hospital.store.close();
      await kommune.store.close();
    },
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Runs both engines until nothing moves (acknowledgments and receipts included). */
async function settle(...sides: Side[]): Promise<void> {
  for (let i = 0; i < 8; i++) {
    for (const s of sides) await s.engine.runOnce();
    await tick();
  }
}

const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent(FNR, 'FNR')] };

function logInnlagt(overrides: Partial<SubmitMessageInput> = {}): SubmitMessageInput {
  return {
    type: 'LOG_INNLAGT',
    receiverHerId: Number(SYKEPLEIE),
    patient,
    content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-04T08:30:00+01:00', merknad: 'Innlagt etter fall' } },
    ...overrides,
  };
}

const hospitalOrg: Organisation = {
  name: 'Sykehuset Telemark HF',
  idents: [herIdent(HOSPITAL), orgNumberIdent('983975267')],
  organisation: { name: 'Somatikk plo meldingsmottak', idents: [herIdent(HOSPITAL_SERVICE)] },
};
const kommuneOrg: Organisation = {
  name: 'Skien kommune',
  idents: [herIdent(KOMMUNE), orgNumberIdent('938583986')],
  organisation: { name: 'Sykepleietjeneste', idents: [herIdent(SYKEPLEIE)] },
};
const strangerOrg: Organisation = { name: 'Fremmed aktør', idents: [herIdent(STRANGER)] };

function xmlFrom(sender: Organisation, receiver: Organisation, personId = FNR): string {
  return buildMessage(
    {
      type: 'LOG_INNLAGT',
      sender,
      receiver,
      patient: { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent(personId, 'FNR')] },
      content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-04T08:30:00+01:00' } },
    },
    { clock },
  );
}

/** Stores bytes as if the transport had received them from `from`. */
async function inject(s: Side, payload: Uint8Array, from: string, to = SYKEPLEIE): Promise<string> {
  const messageId = randomUUID();
  const stored = await s.store.storeIncomingRaw({
    transportMessageId: `${from}/${messageId}`,
    payload,
    receivedAt: clock(),
    transportMeta: { from, to, messageId, conversationId: messageId, payloadKind: 'cms', timestamp: clock().toISOString() },
  });
  return stored.incomingId;
}

function sealed(xml: string, signer: TestPartyCredentials, recipient: TestPartyCredentials): Uint8Array {
  return protect(new TextEncoder().encode(xml), { signer: signer.signing, recipient: recipient.encryption.certificate, clock });
}

describe('outgoing pipeline', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.close();
  });

  test('an invalid submission is refused with its issues and never enters the outbox', async () => {
    const bad = logInnlagt({ patient: { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('31129956716', 'FNR')] } });
    const result = await w.hospital.engine.submit(bad, EPJ);
    expect(result.accepted).toBe(false);
    if (result.accepted) return;
    expect(result.issues.length).toBeGreaterThan(0);
    expect(result.issues.some((i) => i.path?.startsWith('patient') === true)).toBe(true);
    expect(await w.hospital.store.listOutgoing()).toEqual([]);

    const unknown = await w.hospital.engine.submit(logInnlagt({ receiverHerId: 999999 }), EPJ);
    expect(unknown).toMatchObject({ accepted: false, issues: [{ code: 'ERR_MSG_RECEIVER_UNKNOWN', path: 'receiverHerId', appRecCode: 'E21' }] });
  });

  test('a receiver that does not list the type, or not the version we build, is refused with T10 before anything is queued', async () => {
    w = await world();
    const h = w.hospital;
    const old = await h.engine.submit(logInnlagt({ receiverHerId: Number(OLD_VERSIONS) }), EPJ);
    expect(old).toMatchObject({ accepted: false, issues: [expect.objectContaining({ code: 'ERR_MSG_UNSUPPORTED_MESSAGE_TYPE', appRecCode: 'T10', path: 'type', message: expect.stringContaining('version 1.5, not PLO 1.6') })] });
    const other = await h.engine.submit({ ...logInnlagt({ receiverHerId: Number(CURRENT_VERSIONS) }), type: 'LOG_UTSKREVET' }, EPJ);
    expect(other.accepted).toBe(false);
    if (!other.accepted) expect(other.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'ERR_MSG_UNSUPPORTED_MESSAGE_TYPE', message: expect.stringContaining('does not receive LOG_UTSKREVET') })]));
    expect(await h.store.listOutgoing({})).toEqual([]);
    expect(await h.engine.submit(logInnlagt({ receiverHerId: Number(CURRENT_VERSIONS) }), EPJ)).toMatchObject({ accepted: true });
  });

  test('the outbox row and the receipt expectation are written together or not at all', async () => {
    const ok = await w.hospital.engine.submit(logInnlagt(), EPJ);
    if (!ok.accepted) throw new Error(JSON.stringify(ok.issues));
    expect(await w.hospital.store.getOutgoing(ok.msgId)).toMatchObject({ state: 'queued', msgType: 'LOG_INNLAGT', receiverHerId: SYKEPLEIE });
    expect(await w.hospital.store.receipts.get(ok.msgId)).toMatchObject({ state: 'awaiting', type: 'LOG_INNLAGT' });
    expect(ok.message.receipt.state).toBe('awaiting');

    // An expectation already stored under the MsgId makes the enqueue transaction fail: no outbox row either.
    const { msgIdForKey } = await import('./outgoing');
    const msgId = msgIdForKey(HOSPITAL_SERVICE, 'key-1');
    const tracked = await w.hospital.store.receipts.get(ok.msgId);
    await w.hospital.store.receipts.insert({ ...tracked!, msgId });
    await expect(w.hospital.engine.submit(logInnlagt({ idempotencyKey: 'key-1' }), EPJ)).rejects.toMatchObject({ code: 'ERR_STORE_CONFLICT' });
    expect(await w.hospital.store.getOutgoing(msgId)).toBeUndefined();
  });

  test('an idempotency key returns the first submission', async () => {
    const a = await w.hospital.engine.submit(logInnlagt({ idempotencyKey: 'epj-42' }), EPJ);
    const b = await w.hospital.engine.submit(logInnlagt({ idempotencyKey: 'epj-42' }), EPJ);
    expect(a.accepted && b.accepted && a.msgId === b.msgId).toBe(true);
    expect(await w.hospital.store.listOutgoing()).toHaveLength(1);
  });
});

describe('incoming pipeline', () => {
  let w: World;
  afterEach(async () => {
    await w.close();
  });

  test('happy path: delivered to the inbox once, AppRec OK back, the same stay on both sides', async () => {
    w = await world();
    const sent = await w.hospital.engine.submit(logInnlagt(), EPJ);
    if (!sent.accepted) throw new Error('refused');
    await settle(w.hospital, w.kommune);
    const inbox = await w.kommune.engine.listInbox({ unacknowledgedOnly: true }, EPJ);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ msgId: sent.msgId, type: 'LOG_INNLAGT', senderHerId: Number(HOSPITAL_SERVICE), acknowledged: false });
    expect(parseMessage(inbox[0]!.xml).msgHead.msgInfo.msgId).toBe(sent.msgId);
    const [out] = await w.hospital.engine.listOutgoing({}, OPERATOR);
    expect(out).toMatchObject({ msgId: sent.msgId, transport: { state: 'acknowledged' }, receipt: { state: 'ok', status: '1' } });
    const incoming = await w.kommune.engine.listIncoming({}, OPERATOR);
    expect(incoming).toEqual([expect.objectContaining({ msgId: sent.msgId, state: 'delivered', appRec: { status: '1', errors: [] } })]);
    const apprecs = await w.kommune.store.listOutgoing({});
    expect(apprecs).toEqual([expect.objectContaining({ msgType: 'APPREC', state: 'acknowledged', receiverHerId: HOSPITAL_SERVICE })]);
    // Never an AppRec for an AppRec: the hospital sent nothing back.
    expect(await w.hospital.store.listOutgoing({ state: 'queued' })).toEqual([]);
    expect((await w.hospital.store.listIncoming({})).map((r) => r.state)).toEqual(['receipt']);
    // The procedure state is the same on both sides.
    const [hs] = await w.hospital.engine.listStays(OPERATOR);
    const [ks] = await w.kommune.engine.listStays(OPERATOR);
    expect(hs?.messages.map((m) => m.msgId)).toEqual([sent.msgId]);
    expect((hs?.procedure as { state: string }).state).toBe('admitted');
    expect(hs?.procedure).toEqual(ks?.procedure);
    // Acknowledging the inbox item is audited; reading was too.
    await w.kommune.engine.acknowledgeInbox(inbox[0]!.id, EPJ);
    expect(await w.kommune.engine.listInbox({ unacknowledgedOnly: true }, EPJ)).toEqual([]);
    const audit = await w.kommune.store.listAudit({ actor: 'epj-system:epj' });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['read', 'acknowledge']));
    expect((await w.kommune.store.listAudit({ action: 'deliver' }))[0]).toMatchObject({ actor: 'engine:kommune', subjectType: 'inbox' });
    expect((await w.hospital.engine.metrics()).receiptLatenciesMs).toHaveLength(1);
  });

  test('a duplicate gets the same AppRec again and is delivered only once', async () => {
    w = await world();
    const sent = await w.hospital.engine.submit(logInnlagt(), EPJ);
    if (!sent.accepted) throw new Error('refused');
    await settle(w.hospital, w.kommune);
    const first = await w.kommune.store.findReceived(HOSPITAL_SERVICE, sent.msgId);
    const payload = (await w.hospital.store.getOutgoing(sent.msgId))!.payload;
    const dupId = await inject(w.kommune, payload, HOSPITAL_SERVICE);
    await settle(w.hospital, w.kommune);
    expect(await w.kommune.store.getIncoming(dupId)).toMatchObject({ state: 'duplicate', duplicateOf: first!.incomingId });
    expect(await w.kommune.store.listInbox({ pendingOnly: false })).toHaveLength(1);
    const apprecs = await w.kommune.store.listOutgoing({});
    expect(apprecs).toHaveLength(1);
    expect(apprecs[0]).toMatchObject({ msgId: first!.appRecMsgId, state: 'acknowledged' });
    expect(apprecs[0]!.transportMessageId).toMatch(new RegExp(`^${first!.appRecMsgId!}\\.r\\d+$`));
    // The hospital got the same AppRec twice and counted it once.
    const hospitalIncoming = await w.hospital.store.listIncoming({});
    expect(hospitalIncoming.map((r) => r.state).sort()).toEqual(['duplicate', 'receipt']);
    expect(await w.hospital.store.receipts.get(sent.msgId)).toMatchObject({ state: 'ok', appRecIds: [first!.appRecMsgId] });
  });

  test('a message signed by another party than the named sender is quarantined, never answered', async () => {
    w = await world();
    const forged = sealed(xmlFrom(hospitalOrg, kommuneOrg), strangerCreds, kommuneCreds);
    const id = await inject(w.kommune, forged, HOSPITAL_SERVICE);
    // Signed by the hospital, but the transport sender is somebody else.
    const relayed = sealed(xmlFrom(hospitalOrg, kommuneOrg), hospitalCreds, kommuneCreds);
    const id2 = await inject(w.kommune, relayed, STRANGER);
    await w.kommune.engine.runOnce();
    expect(await w.kommune.store.getIncoming(id)).toMatchObject({ state: 'quarantined', reason: 'ERR_MSG_SPOOFED_SENDER' });
    expect(await w.kommune.store.getIncoming(id2)).toMatchObject({ state: 'quarantined', reason: 'ERR_MSG_SPOOFED_SENDER' });
    expect(await w.kommune.store.listOutgoing({})).toEqual([]);
    expect(await w.kommune.store.listInbox({ pendingOnly: false })).toEqual([]);
    const q = await w.kommune.engine.listQuarantine(OPERATOR);
    expect(q.map((e) => e.code)).toEqual(['ERR_MSG_SPOOFED_SENDER', 'ERR_MSG_SPOOFED_SENDER']);
    expect((await w.kommune.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.title.includes('quarantined'))).toHaveLength(2);
  });

  test('wrong recipient certificate and garbage payloads get a typed outcome (quarantine: nobody to answer)', async () => {
    w = await world();
    const wrongKey = await inject(w.kommune, sealed(xmlFrom(hospitalOrg, kommuneOrg), hospitalCreds, strangerCreds), HOSPITAL_SERVICE);
    const garbage = await inject(w.kommune, new TextEncoder().encode('this is not CMS at all'), HOSPITAL_SERVICE);
    const notXml = await inject(w.kommune, sealed('not < xml', hospitalCreds, kommuneCreds), HOSPITAL_SERVICE);
    await w.kommune.engine.runOnce();
    expect(await w.kommune.store.getIncoming(wrongKey)).toMatchObject({ state: 'quarantined', reason: 'ERR_CMS_NO_MATCHING_KEY' });
    expect(await w.kommune.store.getIncoming(garbage)).toMatchObject({ state: 'quarantined', reason: 'ERR_CMS_MALFORMED' });
    expect(await w.kommune.store.getIncoming(notXml)).toMatchObject({ state: 'quarantined', reason: 'ERR_PLO_XML_NOT_WELL_FORMED' });
    expect(await w.kommune.store.listOutgoing({})).toEqual([]);
  });

  test('an AppRec for a MsgId we never sent is kept as an orphan', async () => {
    w = await world();
    const original = parseMessage(xmlFrom(hospitalOrg, kommuneOrg));
    const receipt = receiptFor(original, { status: 'ok', clock });
    const id = await inject(w.hospital, sealed(receipt.xml, kommuneCreds, hospitalCreds), SYKEPLEIE, HOSPITAL_SERVICE);
    await w.hospital.engine.runOnce();
    expect(await w.hospital.store.getIncoming(id)).toMatchObject({ state: 'quarantined', reason: 'ERR_APPREC_ORPHAN' });
    expect(await w.hospital.store.receipts.listUnmatched()).toEqual([expect.objectContaining({ reason: 'orphan' })]);
    expect(await w.hospital.store.listOutgoing({})).toEqual([]);
  });

  test('a message for a receiver that is not ours gets E21, is kept for follow-up, and can get a Tilbakemelding om feil', async () => {
    w = await world();
    const misdirected = xmlFrom(hospitalOrg, strangerOrg);
    const msgId = parseMessage(misdirected).msgHead.msgInfo.msgId;
    const id = await inject(w.kommune, sealed(misdirected, hospitalCreds, kommuneCreds), HOSPITAL_SERVICE);
    await w.kommune.engine.runOnce();
    expect(await w.kommune.store.getIncoming(id)).toMatchObject({ state: 'rejected', msgId });
    const [view] = await w.kommune.engine.listIncoming({}, OPERATOR);
    expect(view).toMatchObject({ state: 'rejected', appRec: { status: '2', errors: ['E21'] } });
    const [q] = await w.kommune.engine.listQuarantine(OPERATOR);
    expect(q).toMatchObject({ incomingId: id, code: 'ERR_MSG_RECEIVER_UNKNOWN', state: 'open' });
    await w.kommune.engine.sendErrorFeedback(q!.id, '1', 'Meldingen var ikke til oss.', OPERATOR);
    await w.kommune.engine.markQuarantineHandled(q!.id, 'Avsender varslet.', OPERATOR);
    const [after] = await w.kommune.engine.listQuarantine(OPERATOR);
    expect(after).toMatchObject({ state: 'handled' });
    expect(after!.actions.map((a) => a.action)).toEqual(['feedback-sent', 'handled']);
    const out = await w.kommune.store.listOutgoing({});
    expect(out.map((o) => o.msgType).sort()).toEqual(['APPREC', 'DIALOG_AVVIK']);
    // One audit entry per action (the store writes it with the action).
    expect(await w.kommune.store.listAudit({ action: 'quarantine-feedback-sent' })).toHaveLength(1);
    expect(await w.kommune.store.listAudit({ action: 'quarantine-handled' })).toHaveLength(1);
    await settle(w.kommune, w.hospital);
    // The hospital receives both: the AppRec is an orphan there (it never sent that message), the feedback is delivered.
    const inbox = await w.hospital.store.listInbox({ pendingOnly: false });
    expect(inbox.map((i) => i.msgType)).toEqual(['DIALOG_AVVIK']);
    expect((await w.hospital.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.title.startsWith('Tilbakemelding om feil'))).toBe(true);
  });

  test('the E21 AppRec for an unknown department of ours speaks for our part of the receiver, so the sender does not take it for spoofing', async () => {
    w = await world();
    const unknownDepartment: Organisation = { ...kommuneOrg, organisation: { name: 'Ukjent tjeneste', idents: [herIdent('8143109')] } };
    const sent = await w.hospital.engine.submit(logInnlagt(), EPJ);
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    // The same kind of message, addressed (inside) to a department the municipality does not have.
    const misdirected = xmlFrom(hospitalOrg, unknownDepartment);
    const id = await inject(w.kommune, sealed(misdirected, hospitalCreds, kommuneCreds), HOSPITAL_SERVICE);
    await w.kommune.engine.runOnce();
    expect(await w.kommune.store.getIncoming(id)).toMatchObject({ state: 'rejected' });
    const appRecs = (await w.kommune.store.listOutgoing({})).filter((o) => o.msgType === 'APPREC');
    const forMisdirected = appRecs.find((o) => o.receiverHerId === HOSPITAL_SERVICE && o.senderHerId !== SYKEPLEIE);
    expect(forMisdirected).toMatchObject({ senderHerId: KOMMUNE });
    await settle(w.kommune, w.hospital);
    // At the hospital the AppRec is an orphan (the test injected the original), not a spoofed sender.
    const quarantined = await w.hospital.engine.listQuarantine(OPERATOR);
    expect(quarantined.map((q) => q.code)).not.toContain('ERR_MSG_SPOOFED_SENDER');
    expect(quarantined.map((q) => q.code)).toContain('ERR_APPREC_ORPHAN');
  });

  test('a quarantined message is forwarded inside our organisation to our own inbox, re-addressed, once; never outside it (ADR 0016)', async () => {
    w = await world();
    const unknownDepartment: Organisation = { ...kommuneOrg, organisation: { name: 'Ukjent tjeneste', idents: [herIdent('8143109')] } };
    const misdirected = xmlFrom(hospitalOrg, unknownDepartment);
    const msgId = parseMessage(misdirected).msgHead.msgInfo.msgId;
    const id = await inject(w.kommune, sealed(misdirected, hospitalCreds, kommuneCreds), HOSPITAL_SERVICE);
    await w.kommune.engine.runOnce();
    expect(await w.kommune.store.getIncoming(id)).toMatchObject({ state: 'rejected' });
    const [q] = await w.kommune.engine.listQuarantine(OPERATOR);
    await expect(w.kommune.engine.forwardQuarantined(q!.id, Number(STRANGER), OPERATOR)).rejects.toMatchObject({ code: 'ERR_MSG_INVALID_STATE' });
    await w.kommune.engine.forwardQuarantined(q!.id, Number(SYKEPLEIE), OPERATOR);
    await w.kommune.engine.forwardQuarantined(q!.id, Number(SYKEPLEIE), OPERATOR);
    const inbox = await w.kommune.store.listInbox({ pendingOnly: false });
    expect(inbox.map((i) => i.msgId)).toEqual([msgId]);
    const delivered = parseMessage(new TextDecoder().decode(inbox[0]!.payload));
    expect(delivered.msgHead.msgInfo.receiver.organisation).toMatchObject({ organisation: { idents: [expect.objectContaining({ id: SYKEPLEIE })] } });
    expect(delivered.msgHead.msgInfo.sender).toEqual(parseMessage(misdirected).msgHead.msgInfo.sender);
    const [after] = await w.kommune.engine.listQuarantine(OPERATOR);
    expect(after).toMatchObject({ state: 'forwarded' });
    expect(await w.kommune.store.listAudit({ action: 'quarantine-forward' })).toHaveLength(2);
    // Nothing was sent for the forward (only the E21 AppRec).
    expect((await w.kommune.store.listOutgoing({})).map((o) => o.msgType)).toEqual(['APPREC']);
  });

  test('a patient the EPJ does not know is rejected with E35', async () => {
    w = await world({ kommuneEpj: { findPatient: async (id) => (id === UNKNOWN_PATIENT ? { found: false, reason: 'not-found' } : { found: true }) } });
    const sent = await w.hospital.engine.submit(logInnlagt({ patient: { familyName: 'Testperson', givenName: 'Nhn', idents: [personIdent(UNKNOWN_PATIENT, 'FNR')] } }), EPJ);
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    await settle(w.hospital, w.kommune);
    expect(await w.kommune.store.listInbox({ pendingOnly: false })).toEqual([]);
    const [out] = await w.hospital.engine.listOutgoing({}, OPERATOR);
    expect(out!.receipt).toMatchObject({ state: 'rejected', status: '2', errors: [expect.objectContaining({ code: 'E35' })] });
    expect((await w.hospital.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.kind === 'alarm' && t.msgId === sent.msgId)).toBe(true);
  });
});

describe('a transport that protects the payload itself (the shape of NHN EDI 2.0)', () => {
  test('the same engine sends the business document as is, the receiver delivers it once and the AppRec comes back', async () => {
    const w = await world({ payload: 'business-document' });
    try {
      const sent = await w.hospital.engine.submit(logInnlagt(), EPJ);
      if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
      // the outbox holds the MsgHead document itself: no CMS from the engine on this transport
      const out = await w.hospital.store.getOutgoing(sent.msgId);
      expect(Buffer.from(out!.payload).toString('utf8')).toMatch(/^<\?xml[^>]*>\s*<MsgHead /);
      await settle(w.hospital, w.kommune);
      expect((await w.kommune.store.listInbox({ pendingOnly: false })).map((i) => i.msgId)).toEqual([sent.msgId]);
      const [view] = await w.hospital.engine.listOutgoing({}, OPERATOR);
      expect(view).toMatchObject({ msgId: sent.msgId, transport: { state: 'acknowledged' }, receipt: { state: 'ok' } });
      // the AppRec went back the same way, unprotected by the engine
      const [appRec] = (await w.kommune.store.listOutgoing({})).filter((o) => o.msgType === 'APPREC');
      expect(Buffer.from((await w.kommune.store.getOutgoing(appRec!.msgId))!.payload).toString('utf8')).toContain('AppRec');
    } finally {
      await w.close();
    }
  });
});

describe('every incoming failure maps through the receipt table to its AppRec', () => {
  let w: World;
  afterEach(async () => {
    await w.close();
  });
  const AMBIGUOUS = '01010710029';
  const NOT_IN_FREG = '01010710118';

  test.each<{ name: string; xml: () => string; code: string }>([
    { name: 'a fødselsnummer with a wrong check digit', xml: () => xmlFrom(hospitalOrg, kommuneOrg).replace(new RegExp(FNR, 'g'), '31129956716'), code: 'E31' },
    { name: 'a document that does not validate against the schema', xml: () => xmlFrom(hospitalOrg, kommuneOrg).replace('</MsgInfo>', '<Ukjent>x</Ukjent></MsgInfo>'), code: 'T02' },
    { name: 'a message type we do not support', xml: () => xmlFrom(hospitalOrg, kommuneOrg).replace(/V="LOG_INNLAGT"/g, 'V="LOG_UKJENT"'), code: 'T10' },
    { name: 'a patient the EPJ finds more than once', xml: () => xmlFrom(hospitalOrg, kommuneOrg, AMBIGUOUS), code: 'E36' },
    { name: 'a patient not in Folkeregisteret', xml: () => xmlFrom(hospitalOrg, kommuneOrg, NOT_IN_FREG), code: 'E53' },
  ])('$name: rejected with $code, never delivered, the AppRec goes back once', async ({ xml, code }) => {
    w = await world({
      kommuneEpj: {
        findPatient: async (id) => (id === AMBIGUOUS ? { found: false, reason: 'ambiguous' } : id === NOT_IN_FREG ? { found: false, reason: 'not-in-folkeregisteret' } : { found: true }),
      },
    });
    const doc = xml();
    const id = await inject(w.kommune, sealed(doc, hospitalCreds, kommuneCreds), HOSPITAL_SERVICE);
    await w.kommune.engine.runOnce();
    const view = (await w.kommune.engine.listIncoming({}, OPERATOR)).find((v) => v.id === id);
    expect(view).toMatchObject({ state: 'rejected', appRec: { status: '2', errors: expect.arrayContaining([code]) } });
    expect(await w.kommune.store.listInbox({ pendingOnly: false })).toEqual([]);
    const appRecs = (await w.kommune.store.listOutgoing({})).filter((o) => o.msgType === 'APPREC');
    expect(appRecs).toHaveLength(1);
    // processing it again (a crash before the transport acknowledged) changes nothing
    await w.kommune.engine.runOnce();
    expect((await w.kommune.store.listOutgoing({})).filter((o) => o.msgType === 'APPREC')).toHaveLength(1);
  });
});

describe('retries, dead letters, deadlines and downtime', () => {
  let w: World;
  afterEach(async () => {
    await w.close();
  });

  test('backoff on a schedule, dead-letter after the time-to-live, operator resend, downtime notice and all-clear', async () => {
    w = await world({ hospital: { retry: { jitter: 0, initialDelayMs: 1000, factor: 2, ttlMs: 10_000 }, downtime: { failureThreshold: 2, downAfterMs: 2000 } } });
    const h = w.hospital;
    const sent = await h.engine.submit(logInnlagt({ receiverHerId: Number(STRANGER) }), EPJ);
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    const t0 = now.getTime();
    await h.engine.runOnce();
    let rec = await h.store.getOutgoing(sent.msgId);
    expect(rec).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: new Date(t0 + 1000) });
    now = new Date(t0 + 1000);
    await h.engine.runOnce();
    rec = await h.store.getOutgoing(sent.msgId);
    expect(rec).toMatchObject({ state: 'failed', attempts: 2, nextAttemptAt: new Date(t0 + 1000 + 2000) });
    now = new Date(t0 + 3000);
    await h.engine.runOnce();
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ attempts: 3, nextAttemptAt: new Date(t0 + 3000 + 4000) });
    // Failures lasted past the threshold: the partner is down, both meldingsansvarlig contacts are told.
    const view = await h.engine.downtime(OPERATOR);
    expect(view.partners).toEqual([expect.objectContaining({ herId: Number(STRANGER), state: 'down' })]);
    expect(h.notices).toHaveLength(1);
    expect([...h.notices[0]!.to].sort()).toEqual(['meldingsansvarlig@fremmed.test', 'meldingsansvarlig@sykehus.test']);
    expect((await h.store.listDowntime({ partnerHerId: STRANGER })).map((e) => e.kind)).toEqual(['down-detected', 'notice-sent']);
    // Past the time-to-live: dead-letter with an alarm.
    now = new Date(t0 + 11_000);
    await h.engine.runOnce();
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'dead-letter', deadLetterReason: 'time-to-live passed' });
    expect((await h.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.kind === 'alarm' && t.id.startsWith('dead-letter:'))).toBe(true);
    // The partner comes back; the operator resends; traffic flows; all-clear.
    const peer = w.net.endpoint({ herIds: [STRANGER], clock });
    peer.onMessage(async () => 'accept');
    await peer.start();
    await h.engine.resend(sent.msgId, OPERATOR);
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'queued', attempts: 0 });
    await settle(h);
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'acknowledged' });
    expect((await h.engine.downtime(OPERATOR)).partners[0]).toMatchObject({ state: 'up' });
    expect(h.notices.map((n) => n.subject)).toEqual(['Driftsavbrudd i elektronisk meldingsutveksling', 'Elektronisk meldingsutveksling er gjenopprettet']);
    expect((await h.store.listDowntime({ partnerHerId: STRANGER })).map((e) => e.kind)).toEqual(['down-detected', 'notice-sent', 'restored', 'all-clear-sent']);
    await peer.stop();
  });

  test('a message the peer refuses at transport level (ebXML MessageError) is dead-lettered at once, in the store, with an alarm', async () => {
    w = await world();
    const h = w.hospital;
    const peer = w.net.endpoint({ herIds: [STRANGER], clock });
    peer.onMessage(async () => 'reject');
    await peer.start();
    const sent = await h.engine.submit(logInnlagt({ receiverHerId: Number(STRANGER) }), EPJ);
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    await settle(h);
    // no acknowledgment timeout or later claim needed: the store row itself is dead-lettered
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'dead-letter', deadLetterReason: expect.stringMatching(/^refused by the peer: /) });
    expect((await h.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.kind === 'alarm' && t.msgId === sent.msgId).map((t) => t.id)).toEqual([`dead-letter:${sent.msgId}:1`]);
    await peer.stop();
  });

  test('holdWhenDown: a partner declared down is switched to manual mode at once; its messages are held, not dead-lettered', async () => {
    w = await world({ hospital: { retry: { jitter: 0, initialDelayMs: 1000, factor: 2, ttlMs: 60_000 }, downtime: { failureThreshold: 2, downAfterMs: 2000, holdWhenDown: true } } });
    const h = w.hospital;
    const sent = await h.engine.submit(logInnlagt({ receiverHerId: Number(STRANGER) }), EPJ);
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    const t0 = now.getTime();
    await h.engine.runOnce();
    now = new Date(t0 + 1000);
    await h.engine.runOnce();
    now = new Date(t0 + 3000);
    await h.engine.runOnce(); // down: notices out, manual mode on
    expect((await h.engine.downtime(OPERATOR)).partners).toEqual([expect.objectContaining({ herId: Number(STRANGER), state: 'down', manualMode: true })]);
    expect((await h.store.listDowntime({ partnerHerId: STRANGER })).map((e) => [e.kind, e.actor])).toEqual([
      ['down-detected', 'engine:hospital'],
      ['held', 'engine:hospital'],
      ['notice-sent', 'engine:hospital'],
    ]);
    expect(h.notices[0]!.text).toContain('Forventet varighet er ikke kjent');
    now = new Date(t0 + 7000);
    await h.engine.runOnce();
    expect(await h.engine.listOutgoing({ state: 'held' }, OPERATOR)).toEqual([expect.objectContaining({ msgId: sent.msgId })]);
    // Past the time-to-live it is still held for manual handling, not dead-lettered.
    now = new Date(t0 + 120_000);
    await h.engine.runOnce();
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'failed', lastError: 'held: manual mode' });
    // The partner is back; the operator ends manual mode: the message goes out with a new time-to-live, all-clear.
    const peer = w.net.endpoint({ herIds: [STRANGER], clock });
    peer.onMessage(async () => 'accept');
    await peer.start();
    await h.engine.setManualMode(Number(STRANGER), false, OPERATOR);
    await settle(h);
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'acknowledged' });
    expect((await h.engine.downtime(OPERATOR)).partners[0]).toMatchObject({ state: 'up', manualMode: false });
    expect(h.notices.map((n) => n.subject)).toEqual(['Driftsavbrudd i elektronisk meldingsutveksling', 'Elektronisk meldingsutveksling er gjenopprettet']);
    await peer.stop();
  });

  test('an operator announces a downtime with its expected duration to the partners and our meldingsansvarlig', async () => {
    w = await world();
    const h = w.hospital;
    const sent = await h.engine.announceDowntime({ partners: [Number(KOMMUNE), Number(STRANGER), Number(KOMMUNE)], planned: true, from: '2024-03-09T18:00:00+01:00', expectedUntil: '2024-03-09T22:00:00+01:00', reason: 'Oppgradering av EPJ' }, OPERATOR);
    expect(sent).toEqual([
      { partnerHerId: Number(KOMMUNE), to: expect.arrayContaining(['meldingsansvarlig@sykehus.test', 'meldingsansvarlig@kommune.test']) },
      { partnerHerId: Number(STRANGER), to: expect.arrayContaining(['meldingsansvarlig@sykehus.test', 'meldingsansvarlig@fremmed.test']) },
    ]);
    expect(h.notices).toHaveLength(2);
    expect(h.notices[0]).toMatchObject({ subject: 'Planlagt driftsavbrudd i elektronisk meldingsutveksling' });
    expect(h.notices[0]!.text).toContain('Fra: 09.03.2024, 18:00 (norsk tid). Forventet gjenopprettet: 09.03.2024, 22:00.');
    expect(h.notices[0]!.text).toContain('Årsak: Oppgradering av EPJ');
    const [logged] = await h.store.listDowntime({ partnerHerId: KOMMUNE, kind: 'notice-sent' });
    expect(logged).toMatchObject({ actor: 'operator:kari', details: { planned: true, from: '2024-03-09T17:00:00.000Z', expectedUntil: '2024-03-09T21:00:00.000Z', reason: 'Oppgradering av EPJ' } });
    expect((await h.store.listAudit({ action: 'downtime-notice' })).map((a) => a.subjectId)).toEqual([KOMMUNE, STRANGER]);
    // unplanned, duration not known yet
    await h.engine.announceDowntime({ partners: [Number(KOMMUNE)], planned: false, from: '2024-03-09T08:00:00Z', reason: 'Nettverksfeil' }, OPERATOR);
    expect(h.notices[2]).toMatchObject({ subject: 'Driftsavbrudd i elektronisk meldingsutveksling: forventet varighet' });
    expect(h.notices[2]!.text).toContain('Forventet gjenopprettet: ikke kjent ennå');
    // invalid notices: TypeError, nothing sent
    for (const bad of [
      { partners: [], planned: true, from: '2024-03-09T18:00:00Z', reason: 'x' },
      { partners: [0], planned: true, from: '2024-03-09T18:00:00Z', reason: 'x' },
      { partners: [Number(KOMMUNE)], planned: 'yes', from: '2024-03-09T18:00:00Z', reason: 'x' },
      { partners: [Number(KOMMUNE)], planned: true, from: '2024-03-09 18:00', reason: 'x' },
      { partners: [Number(KOMMUNE)], planned: true, from: '2024-03-09T18:00:00Z', expectedUntil: '2024-03-09T17:00:00Z', reason: 'x' },
      { partners: [Number(KOMMUNE)], planned: true, from: '2024-03-09T18:00:00Z', reason: ' ' },
    ]) {
      await expect(h.engine.announceDowntime(bad as never, OPERATOR)).rejects.toThrow(TypeError);
    }
    expect(h.notices).toHaveLength(3);
  });

  test('manual mode holds outgoing messages, prints them, records manual deliveries', async () => {
    w = await world();
    const h = w.hospital;
    await h.engine.setManualMode(Number(KOMMUNE), true, OPERATOR);
    const sent = await h.engine.submit(logInnlagt(), EPJ);
    if (!sent.accepted) throw new Error('refused');
    await h.engine.runOnce();
    const [held] = await h.engine.listOutgoing({ state: 'held' }, OPERATOR);
    expect(held).toMatchObject({ msgId: sent.msgId, transport: { state: 'held' } });
    expect((await h.engine.downtime(OPERATOR)).partners[0]).toMatchObject({ herId: Number(KOMMUNE), heldMessages: 1, manualMode: true });
    const html = await h.engine.renderPrintable('outgoing', sent.msgId, OPERATOR);
    expect(html).toContain('Melding om innlagt pasient');
    expect(html).toContain(FNR);
    expect(html).not.toContain('<script');
    // A second message stays held without being delivered by hand.
    const second = await h.engine.submit(logInnlagt(), EPJ);
    if (!second.accepted) throw new Error('refused');
    await h.engine.runOnce();
    await h.engine.recordManualDelivery({ partnerHerId: Number(KOMMUNE), msgId: sent.msgId, channel: 'telefaks', note: 'sendt 08:15' }, OPERATOR);
    await h.engine.recordManualDelivery({ partnerHerId: Number(KOMMUNE), direction: 'received', msgId: 'kommunens ref 17', channel: 'telefon', note: 'avmelding mottatt muntlig' }, OPERATOR);
    const view = await h.engine.downtime(OPERATOR);
    expect(view.manualLog).toEqual([
      expect.objectContaining({ partnerHerId: Number(KOMMUNE), direction: 'sent', msgId: sent.msgId, channel: 'telefaks', actor: 'operator:kari' }),
      expect.objectContaining({ partnerHerId: Number(KOMMUNE), direction: 'received', msgId: 'kommunens ref 17', channel: 'telefon' }),
    ]);
    expect(view.partners[0]).toMatchObject({ heldMessages: 1 });
    expect(await h.store.listAudit({ action: 'print' })).toHaveLength(1);
    expect(await h.store.listAudit({ action: 'manual-delivery' })).toEqual([expect.objectContaining({ subjectType: 'outgoing', subjectId: sent.msgId, patientRef: expect.any(String) })]);
    expect(await h.store.listAudit({ action: 'manual-receipt' })).toHaveLength(1);
    // Delivered by hand: out of the electronic channel, no AppRec awaited, never resent.
    const [byHand] = await h.engine.listOutgoing({ state: 'manual' }, OPERATOR);
    expect(byHand).toMatchObject({ msgId: sent.msgId, transport: { state: 'manual' }, receipt: { state: 'manual' } });
    expect((await h.engine.listOutgoing({ state: 'dead-letter' }, OPERATOR)).map((m) => m.msgId)).toEqual([]);
    await expect(h.engine.resend(sent.msgId, OPERATOR)).rejects.toMatchObject({ code: 'ERR_MSG_INVALID_STATE' });
    // Recording it again documents the second channel; the message stays where it is.
    await h.engine.recordManualDelivery({ partnerHerId: Number(KOMMUNE), msgId: sent.msgId, channel: 'post', note: 'original sendt i posten' }, OPERATOR);
    expect((await h.engine.downtime(OPERATOR)).manualLog).toHaveLength(3);
    // Bad entries: typed errors, nothing logged.
    await expect(h.engine.recordManualDelivery({ partnerHerId: Number(KOMMUNE), msgId: 'no-such-message', channel: 'post', note: '' }, OPERATOR)).rejects.toMatchObject({ code: 'ERR_MSG_NOT_FOUND' });
    await expect(h.engine.recordManualDelivery({ partnerHerId: Number(KOMMUNE), direction: 'sideways' as never, channel: 'post', note: '' }, OPERATOR)).rejects.toThrow(TypeError);
    await expect(h.engine.recordManualDelivery({ partnerHerId: Number(HOSPITAL), msgId: second.msgId, channel: 'post', note: '' }, OPERATOR)).rejects.toThrow(TypeError);
    expect((await h.engine.downtime(OPERATOR)).manualLog).toHaveLength(3);
    // Manual mode off: only the message not delivered by hand goes out; the municipality gets it once.
    await h.engine.setManualMode(Number(KOMMUNE), false, OPERATOR);
    expect((await h.engine.downtime(OPERATOR)).partners[0]).toMatchObject({ herId: Number(KOMMUNE), manualMode: false });
    await settle(h, w.kommune);
    expect(await h.store.getOutgoing(second.msgId)).toMatchObject({ state: 'acknowledged' });
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'dead-letter', deadLetterReason: 'manual-delivery: telefaks' });
    expect((await w.kommune.store.listInbox({ pendingOnly: false })).map((i) => i.msgId)).toEqual([second.msgId]);
  });

  test('an acknowledged message whose AppRec is overdue, delivered by hand: alarms closed, a late AppRec still settles it', async () => {
    w = await world({ hospital: { receipts: { defaultDeadlineMs: 60 * 60_000 } } });
    const h = w.hospital;
    const sent = await h.engine.submit(logInnlagt(), EPJ);
    if (!sent.accepted) throw new Error('refused');
    await settle(h); // acknowledged by the municipality's transport; its engine does not run
    now = new Date(now.getTime() + 60 * 60_000);
    await h.engine.runOnce();
    expect((await h.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.kind === 'alarm').map((t) => t.id).sort()).toEqual([`receipt-escalated:${sent.msgId}`, `receipt-overdue:${sent.msgId}`]);
    await h.engine.recordManualDelivery({ partnerHerId: Number(KOMMUNE), msgId: sent.msgId, channel: 'telefon', note: 'avtalt med vakthavende' }, OPERATOR);
    const [out] = await h.engine.listOutgoing({}, OPERATOR);
    expect(out).toMatchObject({ transport: { state: 'acknowledged' }, receipt: { state: 'manual' } });
    expect(out!.receipt.history.map((e) => e.state)).toEqual(['awaiting', 'overdue', 'escalated', 'manual']);
    const messageAlarms = async (): Promise<unknown[]> => (await h.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.kind === 'alarm' && t.msgId === sent.msgId);
    expect(await messageAlarms()).toEqual([]);
    expect((await h.engine.metrics()).overdueReceipts).toBe(0);
    // nothing more fires for it
    now = new Date(now.getTime() + 60_000);
    await h.engine.runOnce();
    expect(await messageAlarms()).toEqual([]);
    // the municipality's engine runs after all: its AppRec settles the message
    await settle(w.kommune, h);
    const [late] = await h.engine.listOutgoing({}, OPERATOR);
    expect(late!.receipt.state).toBe('ok');
  });

  test('an overdue receipt raises an alarm and escalates to both meldingsansvarlig contacts', async () => {
    w = await world({ hospital: { receipts: { defaultDeadlineMs: 60 * 60_000 } } });
    const h = w.hospital;
    const sent = await h.engine.submit(logInnlagt(), EPJ);
    if (!sent.accepted) throw new Error('refused');
    await settle(h); // sent and acknowledged by the municipality's transport, but the municipality's engine does not run
    expect(await h.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'acknowledged' });
    now = new Date(now.getTime() + 60 * 60_000);
    await h.engine.runOnce();
    const [out] = await h.engine.listOutgoing({}, OPERATOR);
    expect(out!.receipt.state).toBe('escalated');
    expect(out!.receipt.history.map((e) => e.state)).toEqual(['awaiting', 'overdue', 'escalated']);
    expect((await h.engine.metrics()).overdueReceipts).toBe(1);
    expect(h.notices).toEqual([expect.objectContaining({ to: expect.arrayContaining(['meldingsansvarlig@sykehus.test', 'meldingsansvarlig@kommune.test']) })]);
    const alarms = (await h.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.kind === 'alarm');
    expect(alarms.map((a) => a.id).sort()).toEqual([`receipt-escalated:${sent.msgId}`, `receipt-overdue:${sent.msgId}`]);
    // The receipt arrives late: settled, alarms closed.
    await settle(w.kommune, h);
    const [late] = await h.engine.listOutgoing({}, OPERATOR);
    expect(late!.receipt.state).toBe('ok');
    expect((await h.engine.metrics()).overdueReceipts).toBe(0);
    expect((await h.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.kind === 'alarm')).toEqual([]);
  });
});

describe('configuration', () => {
  test("the reference apps' configuration shape (PEM texts, role sthf) starts an engine with SQLite, the address register file and SMTP", async () => {
    const { writeFileSync } = await import('node:fs');
    const arFile = join(dir, `ar-${randomUUID()}.json`);
    writeFileSync(arFile, JSON.stringify(registerParties()));
    const pem = (c: TestPartyCredentials['signing']) => ({ certificatePem: c.certificatePem, privateKeyPem: c.keyPem });
    const engine = createMessagingNode(
      {
        role: 'sthf',
        herIds: { main: Number(HOSPITAL_SERVICE), organisation: Number(HOSPITAL), all: [Number(HOSPITAL), Number(HOSPITAL_SERVICE)] },
        addressRegisterFile: arFile,
        store: { kind: 'sqlite', path: join(dir, `app-${randomUUID()}.db`) },
        smtp: { listen: { host: '127.0.0.1', port: 0 }, mailbox: 'edi@sykehus.test' },
        credentials: { signing: pem(hospitalCreds.signing), encryption: pem(hospitalCreds.encryption), previousEncryption: [], trustAnchorsPem: [pki.root.certificatePem] },
        policies: { receiptDeadlineMinutes: 30, downtimeThresholdHours: 4, processingStatus: 'P', testEnvironment: false, procedure: {} },
        engine: { patientRefKey: REF_KEY, workers: { pollIntervalMs: 60_000 } },
        clock,
      },
      { timers: noTimers },
    );
    await engine.start();
    try {
      expect((await engine.health()).ready).toBe(true);
      expect(engine.transport?.name).toBe('ebxml-smtp');
      const sent = await engine.submit(logInnlagt(), EPJ);
      expect(sent).toMatchObject({ accepted: true, message: { receipt: { state: 'awaiting' } } });
      if (sent.accepted) expect(Date.parse(sent.message.receipt.deadline!) - now.getTime()).toBe(30 * 60_000);
    } finally {
      await engine.stop();
    }
  });
});
