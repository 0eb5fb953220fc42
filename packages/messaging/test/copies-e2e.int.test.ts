/**
 * Copy receivers end to end: the hospital and the municipality (loopback-pair.ts) plus the
 * patient's GP as a third engine with its own SQLite database and embedded SMTP server, all on
 * loopback with ebXML over SMTP and the test PKI. LOG_UTSKRIVNINGSKLAR with the GP as copy
 * receiver: the municipality gets the original, the GP its own copy (own MsgId, the GP as
 * Receiver, the original receiver listed), and each answers with its own AppRec.
 */
import { join } from 'node:path';
import type { TestPartyCredentials } from '@samhandling/cms';
import { deepestHerId, parseMessage } from '@samhandling/plo';
import { patient } from '../../../tools/demo/stay-chain.mjs';
import type { Actor } from '../src/engine/api';
import { copyMsgId } from '../src/engine/copies';
import { createMessagingNode } from '../src/engine/node';
import { GP, HOST, createPair, freePort, pairPki, until } from './loopback-pair';

const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const OPERATOR: Actor = { kind: 'operator', id: 'ops' };

test('the GP gets its own copy of LOG_UTSKRIVNINGSKLAR over ebXML/SMTP and answers it with its own AppRec', async () => {
  const now = new Date('2024-03-08T10:00:00Z');
  const clock = (): Date => new Date(now.getTime());
  const pki = await pairPki(undefined, [{ name: 'Skien legesenter', herId: GP, orgNumber: '987654325' }]);
  const gpCreds = pki.parties[2] as TestPartyCredentials;
  const gpPort = await freePort();
  const gpEntry = {
    herId: GP,
    name: 'Skien legesenter',
    kind: 'organisation',
    organisationNumber: '987654325',
    transport: { kind: 'smtp', host: HOST, port: gpPort, mailbox: 'edi@legesenter.test' },
    signingCertificate: gpCreds.signing.certificatePem,
    encryptionCertificate: gpCreds.encryption.certificatePem,
    appRecVersion: '1.1',
    meldingsansvarlig: { email: 'meldingsansvarlig@legesenter.test' },
  };
  const pair = await createPair({ clock, pki, extraParties: [gpEntry] });
  const gp = createMessagingNode(
    {
      role: 'municipality',
      herIds: { main: GP, all: [GP] },
      instanceId: 'legesenter',
      credentials: { signing: gpCreds.signing, encryption: gpCreds.encryption, trustAnchors: [pki.root.certificate], intermediates: [pki.intermediate.certificate] },
      patientRefKey: 'legesenter-patient-reference-key',
      store: { sqlitePath: join(pair.dir, 'legesenter.db') },
      addressRegisterFile: pair.arFile,
      smtp: { listen: { host: HOST, port: gpPort }, mailbox: 'edi@legesenter.test', clientTimeoutMs: 5000 },
      workers: { pollIntervalMs: 50 },
    },
    { clock, notifier: { send: async () => undefined } },
  );
  const { hospital, kommune } = pair;
  await hospital.engine.start();
  await kommune.engine.start();
  await gp.start();
  try {
    const sent = await hospital.engine.submit(
      {
        type: 'LOG_UTSKRIVNINGSKLAR',
        receiverHerId: 8143101,
        copyTo: [Number(GP)],
        patient: patient as unknown as Record<string, unknown>,
        content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-08T10:00:00+01:00', merknad: 'Utskrivningsklar fra i dag' } },
      },
      EPJ,
    );
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    const copyId = copyMsgId('8142520', sent.msgId, GP);
    await until('both AppRecs', async () => {
      const out = await hospital.engine.listOutgoing({ type: 'LOG_UTSKRIVNINGSKLAR' }, OPERATOR);
      return out.length === 2 && out.every((o) => o.receipt.state === 'ok' && o.transport.state === 'acknowledged');
    });
    const [original] = await kommune.engine.listInbox({}, EPJ);
    expect(parseMessage(original!.xml).msgHead.msgInfo.msgId).toBe(sent.msgId);
    const gpInbox = await gp.listInbox({}, EPJ);
    expect(gpInbox.map((i) => i.msgId)).toEqual([copyId]);
    const info = parseMessage(gpInbox[0]!.xml).msgHead.msgInfo;
    expect(deepestHerId(info.receiver.organisation)).toBe(GP);
    expect(info.otherReceivers.map((o) => [o.roleReceiver.v, o.organisation === undefined ? undefined : deepestHerId(o.organisation)])).toEqual([['PRIM', '8143101']]);
    // Each receiver answered its own message once.
    expect((await kommune.engine.listOutgoing({ type: 'APPREC' }, OPERATOR)).length).toBe(1);
    expect((await gp.listOutgoing({ type: 'APPREC' }, OPERATOR)).length).toBe(1);
    expect((await hospital.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.id.startsWith('copy-failed:'))).toEqual([]);
  } finally {
    await gp.stop();
    await pair.dispose();
  }
}, 120_000);
