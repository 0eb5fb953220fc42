/**
 * Hostile traffic end to end over ebXML/SMTP on loopback (issue 6). Two engines (the hospital and
 * the municipality) and a third party in the address register with a valid certificate from the
 * same PKI ("Falsk Avsender AS", its own ebXML transport). At the municipality:
 *
 * - a spoofed sender: a message naming the hospital as sender, CMS-signed and sent by the third
 *   party → quarantined `ERR_MSG_SPOOFED_SENDER`, no AppRec;
 * - an envelope that claims to come from the hospital but is signed by the third party → refused
 *   at SMTP (554, envelope signature invalid), nothing stored;
 * - a replay: the same ebXML message again (same MessageId: the transport answers with the
 *   original acknowledgment) and a new transport message carrying the same MsgHead (the stored
 *   AppRec is sent again, never delivered twice), and a reused MsgId with other content (E10);
 * - a payload encrypted for another party's certificate → quarantined (nobody to answer);
 * - garbage MIME → refused at SMTP (554); an oversized message → refused at SMTP (552);
 *
 * and afterwards both engines still exchange messages and report ready. The in-memory variants of
 * these cases are in src/engine/engine.test.ts.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { protect } from '@samhandling/cms';
import type { TestPartyCredentials } from '@samhandling/cms';
import { buildMessage, deepestHerId, herIdent, orgNumberIdent } from '@samhandling/plo';
import type { Organisation } from '@samhandling/plo';
import { createLocalAddressRegister } from '../src/address-register/local';
import type { Actor } from '../src/engine/api';
import { createEbxmlSmtpTransport } from '../src/transport/ebxml/smtp-transport';
import type { EbxmlSmtpTransport } from '../src/transport/ebxml/smtp-transport';
import { buildMimeMessage } from '../src/transport/ebxml/mime';
import { buildEnvelope } from '../src/transport/ebxml/soap';
import { serviceActionTable } from '../src/transport/ebxml/service-action';
import { signEnvelope } from '../src/transport/ebxml/xmldsig';
import { patient as chainPatient, stayChain } from '../../../tools/demo/stay-chain.mjs';
import { HOST, createPair, freePort, pairPki, until } from './loopback-pair';
import type { Pair } from './loopback-pair';

const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const OPERATOR: Actor = { kind: 'operator', id: 'ops' };
const ATTACKER = '8150001';
interface ChainInput {
  readonly type: string;
  readonly sender: Organisation;
  readonly receiver: Organisation;
  readonly content: Record<string, unknown>;
}
const chain = stayChain as unknown as readonly (readonly [string, string, ChainInput])[];
const [, , logInnlagt] = chain[0] as readonly [string, string, ChainInput];
const [, , innleggelsesrapport] = chain[1] as readonly [string, string, ChainInput];
const attackerOrg: Organisation = { name: 'Falsk Avsender AS', idents: [herIdent(Number(ATTACKER)), orgNumberIdent('974760673')] } as Organisation;

const now = new Date('2024-03-04T08:00:00Z');
const clock = (): Date => new Date(now.getTime());

/** Sends raw bytes to an SMTP endpoint; resolves the SMTP reply code (250 when accepted). */
async function rawSmtp(port: number, raw: Buffer): Promise<number> {
  const t = nodemailer.createTransport({ host: HOST, port, secure: false, ignoreTLS: true, connectionTimeout: 5000, socketTimeout: 30_000 });
  try {
    await t.sendMail({ envelope: { from: 'edi@falsk.test', to: ['edi@kommune.test'] }, raw });
    return 250;
  } catch (err) {
    return (err as { responseCode?: number }).responseCode ?? -1;
  } finally {
    t.close();
  }
}

/** An ebXML message as the transport would build it, but signed by whoever `signer` is. */
function ebxml(from: string, to: string, payload: Uint8Array, signer: TestPartyCredentials): Buffer {
  const contentId = `payload-${randomUUID()}@test`;
  const { service, action } = serviceActionTable().forType('LOG_INNLAGT');
  const envelope = buildEnvelope({
    header: { from, to, cpaId: 'samhandling:default', conversationId: randomUUID(), service, action, messageId: randomUUID(), timestamp: clock() },
    ackRequested: true,
    duplicateElimination: true,
    manifest: [contentId],
  });
  const soap = signEnvelope(envelope, { key: signer.signing.key.keyObject, certificate: signer.signing.certificate }, [{ contentId, body: payload }]);
  return buildMimeMessage({
    headers: [
      ['From', 'edi@falsk.test'],
      ['To', 'edi@kommune.test'],
      ['Subject', 'ebXML'],
      ['SOAPAction', '"ebXML"'],
    ],
    parts: [
      { contentId: `soap-${randomUUID()}@test`, contentType: 'text/xml; charset=UTF-8', body: Buffer.from(soap, 'utf8') },
      { contentId, contentType: 'application/pkcs7-mime; smime-type=signed-and-enveloped-data', body: payload },
    ],
  });
}

test('hostile traffic: spoofed senders, replays, wrong recipient certificate, garbage and oversized MIME get the right answer; both engines keep working', async () => {
  const pki = await pairPki(new Date('2024-03-01T00:00:00Z'), [{ name: 'Falsk Avsender AS', herId: ATTACKER, orgNumber: '974760673' }]);
  const [hc, kc, ac] = pki.parties as [TestPartyCredentials, TestPartyCredentials, TestPartyCredentials];
  const attackerPort = await freePort();
  let pair: Pair | undefined;
  let attacker: EbxmlSmtpTransport | undefined;
  try {
    pair = await createPair({
      clock,
      pki,
      extraParties: [
        {
          herId: ATTACKER,
          name: 'Falsk Avsender AS',
          kind: 'organisation',
          organisationNumber: '974760673',
          transport: { kind: 'smtp', host: HOST, port: attackerPort, mailbox: 'edi@falsk.test' },
          signingCertificate: ac.signing.certificatePem,
          encryptionCertificate: ac.encryption.certificatePem,
          appRecVersion: '1.1',
          meldingsansvarlig: { email: 'post@falsk.test' },
        },
      ],
    });
    const { hospital, kommune } = pair;
    await hospital.engine.start();
    await kommune.engine.start();
    attacker = createEbxmlSmtpTransport({
      localHerIds: [ATTACKER],
      mailbox: 'edi@falsk.test',
      signer: { certificate: ac.signing.certificate, key: ac.signing.key },
      addressRegister: createLocalAddressRegister({ file: pair.arFile }),
      server: { host: HOST, port: attackerPort },
      resend: { ackTimeoutMs: 3_600_000, maxResends: 0 },
      clock,
    });
    const acks: string[] = [];
    attacker.onAcknowledgment((a) => void acks.push(a.messageId));
    const answers: string[] = [];
    attacker.onMessage(async (m) => {
      answers.push(m.messageId);
      return 'accept';
    });
    await attacker.start();
    const sendAsAttacker = (msgHead: string, recipient = kc.encryption.certificate): Promise<unknown> =>
      (attacker as EbxmlSmtpTransport).send({
        from: ATTACKER,
        to: '8143101',
        conversationId: randomUUID(),
        msgType: 'LOG_INNLAGT',
        messageId: randomUUID(),
        payload: protect(new TextEncoder().encode(msgHead), { signer: { certificate: ac.signing.certificate, key: ac.signing.key }, recipient, clock }),
      });
    const incoming = async (): Promise<readonly { state: string; msgId?: string; appRec?: { errors: readonly string[] } }[]> => kommune.engine.listIncoming({ limit: 1000 }, OPERATOR);
    const quarantine = async (): Promise<readonly { code: string }[]> => kommune.engine.listQuarantine(OPERATOR);

    // A normal message first: delivered, answered.
    const first = await hospital.engine.submit(
      { type: logInnlagt.type, senderHerId: 8142520, receiverHerId: 8143101, patient: chainPatient as unknown as Record<string, unknown>, content: logInnlagt.content },
      EPJ,
    );
    if (!first.accepted) throw new Error(JSON.stringify(first.issues));
    const m1 = first.msgId;
    await until('the first AppRec', async () => (await hospital.engine.listOutgoing({}, OPERATOR)).find((o) => o.msgId === m1)?.receipt.state === 'ok');
    await until('the first acknowledgment', async () => (await hospital.engine.listOutgoing({}, OPERATOR)).every((o) => o.transport.state === 'acknowledged'));

    // 1. Spoofed sender: the third party names the hospital as sender.
    const spoofId = randomUUID();
    const spoofed = buildMessage({ ...logInnlagt, msgId: spoofId, patient: chainPatient, sender: logInnlagt.sender, receiver: logInnlagt.receiver } as never, { clock });
    await sendAsAttacker(spoofed);
    await until('the spoofed message quarantined', async () => (await quarantine()).some((q) => q.code === 'ERR_MSG_SPOOFED_SENDER'));
    expect((await incoming()).find((i) => i.msgId === spoofId)?.state).toBe('quarantined');

    // 2. An envelope claiming the hospital, signed by the third party: refused at SMTP, nothing stored.
    const before = (await incoming()).length;
    const payload = protect(new TextEncoder().encode(spoofed), { signer: { certificate: hc.signing.certificate, key: hc.signing.key }, recipient: kc.encryption.certificate, clock });
    expect(await rawSmtp(kommune.port, ebxml('8142519', '8143101', payload, ac))).toBe(554);
    // 3. Garbage MIME and an oversized message: refused at SMTP, nothing stored.
    expect(await rawSmtp(kommune.port, Buffer.from('Subject: hello\r\nContent-Type: multipart/related; boundary="x"\r\n\r\n--x\r\n\u0000\u0001garbage\r\n'))).toBe(554);
    expect(await rawSmtp(kommune.port, Buffer.alloc(41 * 1024 * 1024, 0x41))).toBe(552);
    expect((await incoming()).length).toBe(before);

    // 4. Replays of the first message.
    const rec = await hospital.engine.store?.getOutgoing(m1);
    if (rec === undefined) throw new Error('no outgoing row');
    const envelope = { from: '8142520', to: '8143101', conversationId: rec.conversationRef ?? m1, msgType: rec.msgType, payload: rec.payload };
    //  a. the same ebXML message again (same MessageId): the transport's duplicate elimination answers, the engine sees nothing
    await hospital.engine.transport?.send({ ...envelope, messageId: rec.transportMessageId ?? m1 });
    //  b. a new transport message with the same MsgHead: a duplicate, answered with the stored AppRec again
    await hospital.engine.transport?.send({ ...envelope, messageId: `${m1}.replay` });
    await until('the replay recorded as a duplicate', async () => (await incoming()).some((i) => i.msgId === m1 && i.state === 'duplicate'));
    //  c. the same MsgId with other content: rejected with E10
    const conflicting = buildMessage({ ...innleggelsesrapport, sender: logInnlagt.sender, receiver: logInnlagt.receiver, type: 'LOG_INNLAGT', content: { ...logInnlagt.content, hendelse: { tidspunkt: '2024-03-04T08:45:00+01:00', merknad: 'Endret innhold' } }, msgId: m1, patient: chainPatient } as never, { clock });
    const conflictPayload = protect(new TextEncoder().encode(conflicting), { signer: { certificate: hc.signing.certificate, key: hc.signing.key }, recipient: kc.encryption.certificate, clock });
    await hospital.engine.transport?.send({ ...envelope, messageId: `${m1}.conflict`, payload: conflictPayload });
    await until('the reused MsgId rejected', async () => (await incoming()).some((i) => i.msgId === m1 && i.state === 'rejected'));
    const rows = (await incoming()).filter((i) => i.msgId === m1);
    expect(rows.map((r) => r.state).sort()).toEqual(['delivered', 'duplicate', 'rejected']);
    expect(rows.find((r) => r.state === 'rejected')?.appRec?.errors).toContain('E10');
    expect((await kommune.engine.listInbox({}, EPJ)).filter((i) => i.msgId === m1)).toHaveLength(1);
    // the stored AppRec came back to the hospital once more: a duplicate receipt, the message stays settled ok
    await until('the repeated AppRec at the hospital', async () => (await hospital.engine.listIncoming({ limit: 1000 }, OPERATOR)).some((i) => i.state === 'duplicate'));
    expect((await hospital.engine.listOutgoing({}, OPERATOR)).find((o) => o.msgId === m1)?.receipt.state).toBe('ok');

    // 5. A payload encrypted for another party's certificate (the hospital's): quarantined, nobody to answer.
    const wrongId = randomUUID();
    const own = buildMessage({ ...logInnlagt, msgId: wrongId, patient: chainPatient, sender: attackerOrg } as never, { clock });
    await sendAsAttacker(own, hc.encryption.certificate);
    await until('the undecryptable message quarantined', async () => (await quarantine()).length >= 2);
    const codes = (await quarantine()).map((q) => q.code);
    expect(codes).toContain('ERR_MSG_SPOOFED_SENDER');
    expect(codes.some((c) => c.startsWith('ERR_CMS_'))).toBe(true);
    // the third party got transport acknowledgments (the messages were stored) but never an AppRec
    await until('transport acknowledgments to the third party', async () => acks.length >= 2);
    expect(answers).toEqual([]);

    // Both engines keep working: a message each way, delivered and answered.
    const out = await hospital.engine.submit(
      { type: chain[2]![2].type, senderHerId: 8142520, receiverHerId: 8143102, patient: chainPatient as unknown as Record<string, unknown>, content: chain[2]![2].content },
      EPJ,
    );
    const back = await kommune.engine.submit(
      { type: innleggelsesrapport.type, senderHerId: 8143101, receiverHerId: Number(deepestHerId(innleggelsesrapport.receiver)), patient: chainPatient as unknown as Record<string, unknown>, content: innleggelsesrapport.content },
      EPJ,
    );
    if (!out.accepted || !back.accepted) throw new Error('a submission after the hostile traffic was refused');
    await until('AppRecs after the hostile traffic', async () => {
      const h = (await hospital.engine.listOutgoing({}, OPERATOR)).find((o) => o.msgId === out.msgId)?.receipt.state;
      const k = (await kommune.engine.listOutgoing({}, OPERATOR)).find((o) => o.msgId === back.msgId)?.receipt.state;
      return h === 'ok' && k === 'ok';
    });
    expect((await hospital.engine.health()).ready).toBe(true);
    expect((await kommune.engine.health()).ready).toBe(true);
  } finally {
    await attacker?.stop();
    await pair?.dispose();
  }
}, 120_000);
