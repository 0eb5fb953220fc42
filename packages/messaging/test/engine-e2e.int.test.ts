/**
 * End to end: two engines (the hospital and the municipality), each with its own SQLite database,
 * its own local address register file and its own embedded SMTP server on loopback (ebXML over
 * SMTP, real SMTP client and server), a test PKI. One complete hospital stay (DOMAIN §4, the
 * chain of tools/demo/stay-chain.mjs): every message arrives exactly once, gets its AppRec, and
 * the procedure state is the same on both sides.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki } from '@samhandling/cms';
import type { TestPartyCredentials, TestPki } from '@samhandling/cms';
import { deepestHerId } from '@samhandling/plo';
import type { Organisation } from '@samhandling/plo';
import { createMessagingNode } from '../src/engine/node';
import type { MessagingEngine } from '../src/engine/node';
import type { Actor, EngineEvent } from '../src/engine/api';
import type { Notice } from '../src/engine/config';
import { patient as chainPatient, stayChain } from '../../../tools/demo/stay-chain.mjs';

const HOST = '127.0.0.1';
const HOSPITAL = '8142519';
const KOMMUNE = '8143100';
const GP = '8143200';
const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const OPERATOR: Actor = { kind: 'operator', id: 'ops' };

type ChainEntry = readonly [string, string, { readonly type: string; readonly sender: Organisation; readonly receiver: Organisation; readonly otherReceivers?: readonly { readonly organisation?: Organisation }[]; readonly content: Record<string, unknown> }];

let pki: TestPki;
let dir: string;
let now = new Date('2024-03-04T07:00:00Z');
const clock = (): Date => new Date(now.getTime());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  pki = await createTestPki({
    clock: () => new Date('2024-03-01T00:00:00Z'),
    parties: [
      { name: 'Sykehuset Telemark HF', herId: HOSPITAL, orgNumber: '983975267' },
      { name: 'Skien kommune', herId: KOMMUNE, orgNumber: '938583986' },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'samhandling-e2e-'));
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function register(hospitalPort: number, kommunePort: number): unknown {
  const [h, k] = pki.parties as [TestPartyCredentials, TestPartyCredentials];
  const org = (c: TestPartyCredentials, herId: string, orgNumber: string, port: number, mailbox: string, contact: string): Record<string, unknown> => ({
    herId,
    name: c.name,
    kind: 'organisation',
    organisationNumber: orgNumber,
    transport: { kind: 'smtp', host: HOST, port, mailbox },
    signingCertificate: c.signing.certificatePem,
    encryptionCertificate: c.encryption.certificatePem,
    appRecVersion: '1.1',
    meldingsansvarlig: { email: contact },
  });
  return {
    version: 1,
    parties: [
      org(h, HOSPITAL, '983975267', hospitalPort, 'edi@sykehus.test', 'meldingsansvarlig@sykehus.test'),
      { herId: '8142520', name: 'Somatikk plo meldingsmottak', kind: 'service', parentHerId: HOSPITAL },
      org(k, KOMMUNE, '938583986', kommunePort, 'edi@kommune.test', 'meldingsansvarlig@kommune.test'),
      { herId: '8143101', name: 'Sykepleietjeneste', kind: 'service', parentHerId: KOMMUNE },
      { herId: '8143102', name: 'Saksbehandler pleie og omsorg', kind: 'service', parentHerId: KOMMUNE },
      { herId: GP, name: 'Skien legesenter', kind: 'organisation' },
    ],
  };
}

interface Node {
  readonly engine: MessagingEngine;
  readonly events: EngineEvent[];
  readonly notices: Notice[];
}

function node(name: string, role: 'hospital' | 'municipality', creds: TestPartyCredentials, main: string, all: string[], port: number, mailbox: string, arFile: string): Node {
  const events: EngineEvent[] = [];
  const notices: Notice[] = [];
  const engine = createMessagingNode(
    {
      role,
      herIds: { main, all },
      instanceId: name,
      credentials: { signing: creds.signing, encryption: creds.encryption, trustAnchors: [pki.root.certificate], intermediates: [pki.intermediate.certificate] },
      patientRefKey: `${name}-patient-reference-key`,
      store: { sqlitePath: join(dir, `${name}.db`) },
      addressRegisterFile: arFile,
      smtp: { listen: { host: HOST, port }, mailbox, clientTimeoutMs: 5000 },
      workers: { pollIntervalMs: 50 },
    },
    { clock, notifier: { send: async (n) => void notices.push(n) } },
  );
  engine.onEvent((e) => events.push(e));
  return { engine, events, notices };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a complete hospital stay over ebXML/SMTP: every message once, every AppRec, the same procedure state on both sides', async () => {
  const [hospitalPort, kommunePort] = await Promise.all([freePort(), freePort()]);
  const arFile = join(dir, 'address-register.json');
  writeFileSync(arFile, JSON.stringify(register(hospitalPort, kommunePort), null, 2));
  const [hc, kc] = pki.parties as [TestPartyCredentials, TestPartyCredentials];
  const hospital = node('sthf', 'hospital', hc, '8142520', [HOSPITAL, '8142520'], hospitalPort, 'edi@sykehus.test', arFile);
  const kommune = node('skien', 'municipality', kc, '8143101', [KOMMUNE, '8143101', '8143102'], kommunePort, 'edi@kommune.test', arFile);
  await hospital.engine.start();
  await kommune.engine.start();
  try {
    const sentIds: string[] = [];
    for (const [at, route, input] of stayChain as unknown as readonly ChainEntry[]) {
      now = new Date(at);
      const fromHospital = deepestHerId(input.sender)?.startsWith('81425') === true;
      const [from, to] = fromHospital ? [hospital, kommune] : [kommune, hospital];
      const content = Object.fromEntries(Object.entries(input.content).map(([k, v]) => [k, typeof v === 'function' ? (v as (ids: string[]) => unknown)(sentIds) : v]));
      const copyTo = (input.otherReceivers ?? []).map((o) => Number(o.organisation === undefined ? 0 : deepestHerId(o.organisation)));
      const result = await from.engine.submit(
        {
          type: input.type,
          senderHerId: Number(deepestHerId(input.sender)),
          receiverHerId: Number(deepestHerId(input.receiver)),
          ...(copyTo.length === 0 ? {} : { copyTo }),
          patient: chainPatient as unknown as Record<string, unknown>,
          content,
        },
        EPJ,
      );
      if (!result.accepted) throw new Error(`${route} ${input.type} refused: ${JSON.stringify(result.issues)}`);
      const msgId = result.msgId;
      sentIds.push(msgId);
      await until(`${input.type} delivered`, async () => (await to.engine.listInbox({}, EPJ)).some((i) => i.msgId === msgId));
      await until(`${input.type} AppRec`, async () => (await from.engine.listOutgoing({ type: input.type }, OPERATOR)).find((o) => o.msgId === msgId)?.receipt.state === 'ok');
    }
    for (const side of [hospital, kommune]) {
      await until('transport acknowledgments', async () => (await side.engine.listOutgoing({}, OPERATOR)).every((o) => o.transport.state === 'acknowledged'));
    }
    // Every business message arrived exactly once and was acknowledged with exactly one AppRec.
    const hospitalInbox = await hospital.engine.listInbox({}, EPJ);
    const kommuneInbox = await kommune.engine.listInbox({}, EPJ);
    expect(hospitalInbox.length + kommuneInbox.length).toBe(stayChain.length);
    expect(new Set([...hospitalInbox, ...kommuneInbox].map((i) => i.msgId))).toEqual(new Set(sentIds));
    for (const side of [hospital, kommune]) {
      const outgoing = await side.engine.listOutgoing({}, OPERATOR);
      const business = outgoing.filter((o) => o.type !== 'APPREC');
      const apprecs = outgoing.filter((o) => o.type === 'APPREC');
      expect(business.every((o) => o.receipt.state === 'ok' && o.transport.state === 'acknowledged')).toBe(true);
      expect(apprecs.every((o) => o.receipt.state === 'not-expected')).toBe(true);
      const incoming = await side.engine.listIncoming({}, OPERATOR);
      expect(incoming.filter((i) => i.state === 'delivered')).toHaveLength(side === hospital ? hospitalInbox.length : kommuneInbox.length);
      expect(incoming.filter((i) => i.state === 'receipt')).toHaveLength(business.length);
      expect(incoming.filter((i) => i.state === 'quarantined' || i.state === 'rejected' || i.state === 'duplicate')).toEqual([]);
      expect(apprecs).toHaveLength(incoming.filter((i) => i.state === 'delivered').length);
    }
    // The procedure state is identical on both sides.
    const [hs] = await hospital.engine.listStays(OPERATOR);
    const [ks] = await kommune.engine.listStays(OPERATOR);
    expect(hs).toBeDefined();
    expect(ks).toBeDefined();
    expect(hs!.procedure).toEqual(ks!.procedure);
    const summary = hs!.procedure as { state: string; paymentDays: string[]; messages: number };
    expect(summary.state).toBe('discharged');
    expect(summary.messages).toBe(stayChain.length - 1); // every chain message but the DIALOG_AVVIK
    expect(new Set(hs!.messages.map((m) => m.msgId))).toEqual(new Set(sentIds));
    expect(new Set(ks!.messages.map((m) => m.msgId))).toEqual(new Set(sentIds));
    expect(summary.paymentDays.length).toBeGreaterThan(0);
    // The DIALOG_AVVIK became a follow-up task at the hospital.
    expect((await hospital.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.title.startsWith('Tilbakemelding om feil'))).toBe(true);
    expect(hospital.events.some((e) => e.type === 'stay-changed')).toBe(true);
    expect(kommune.events.filter((e) => e.type === 'incoming-delivered')).toHaveLength(kommuneInbox.length);
    expect((await hospital.engine.health()).ready).toBe(true);
  } finally {
    await hospital.engine.stop();
    await kommune.engine.stop();
  }
}, 120_000);
