import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { createTestPki, type TestPartyCredentials, type TestPki } from '@samhandling/cms';
import { describeTransportContract } from '../../../test/transport-contract';
import type { IncomingMessage, TransportIncident } from '../types';
import { createLocalAddressRegister } from '../../address-register/local';
import { buildMimeMessage } from './mime';
import { buildEnvelope } from './soap';
import { createEbxmlSmtpTransport, type EbxmlSmtpTransport } from './smtp-transport';
import { signEnvelope } from './xmldsig';

const A = '1001';
const B = '2002';
const STRANGER = '3003';
const HOST = '127.0.0.1';
const resend = { ackTimeoutMs: 300, maxResends: 2, backoffFactor: 1.5 };

let pki: TestPki;
let partyA: TestPartyCredentials;
let partyB: TestPartyCredentials;
let partyS: TestPartyCredentials;

beforeAll(async () => {
  pki = await createTestPki({
    parties: [
      { name: 'Kommune A', herId: A, orgNumber: '938583986' },
      { name: 'Sykehus B', herId: B, orgNumber: '983975267' },
      { name: 'Fremmed', herId: STRANGER, orgNumber: '999999999' },
    ],
  });
  [partyA, partyB, partyS] = pki.parties as [TestPartyCredentials, TestPartyCredentials, TestPartyCredentials];
}, 120_000);

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

function entry(p: TestPartyCredentials, port: number, mailbox: string): Record<string, unknown> {
  return {
    herId: String(p.herId),
    name: p.name,
    kind: 'organisation',
    transport: { kind: 'smtp', host: HOST, port, mailbox },
    signingCertificate: p.signing.certificatePem,
    encryptionCertificate: p.encryption.certificatePem,
  };
}

describeTransportContract('ebXML over SMTP (loopback)', async () => {
  const [portA, portB, portS] = await Promise.all([freePort(), freePort(), freePort()]);
  const eA = entry(partyA, portA, 'msh@a.test');
  const eB = entry(partyB, portB, 'msh@b.test');
  const eS = entry(partyS, portS, 'msh@stranger.test');
  const make = (p: TestPartyCredentials, port: number, mailbox: string, parties: unknown[], maxBytes?: number): EbxmlSmtpTransport =>
    createEbxmlSmtpTransport({
      localHerIds: [String(p.herId)],
      mailbox,
      signer: { certificate: p.signing.certificate, key: p.signing.key },
      addressRegister: createLocalAddressRegister({ parties: { version: 1, parties } }),
      server: { host: HOST, port },
      client: { timeoutMs: 5000 },
      resend,
      ...(maxBytes === undefined ? {} : { limits: { maxBytes } }),
    });
  const a = make(partyA, portA, 'msh@a.test', [eA, eB]);
  const b = make(partyB, portB, 'msh@b.test', [eA, eB], 256 * 1024);
  const stranger = make(partyS, portS, 'msh@stranger.test', [eS, eB]);
  await Promise.all([a.start(), b.start(), stranger.start()]);
  const client = nodemailer.createTransport({ host: HOST, port: portB, secure: false, ignoreTLS: true });

  return {
    a,
    b,
    aHer: A,
    bHer: B,
    async sendTampered(e) {
      const contentId = 'payload-tampered@test';
      const signed = signEnvelope(
        buildEnvelope({
          header: { from: A, to: B, cpaId: 'test', conversationId: e.conversationId, service: 'LOG_INNLAGT', action: 'MeldingOmInnlagtPasient', messageId: e.messageId, timestamp: new Date() },
          ackRequested: true,
          manifest: [contentId],
        }),
        { key: partyA.signing.key.keyObject, certificate: partyA.signing.certificate },
        [{ contentId, body: e.payload }],
      );
      const tampered = signed.replace(`<eb:ConversationId>${e.conversationId}</eb:ConversationId>`, '<eb:ConversationId>changed</eb:ConversationId>');
      expect(tampered).not.toBe(signed);
      const raw = buildMimeMessage({
        headers: [['SOAPAction', '"ebXML"']],
        parts: [
          { contentId: 'soap@test', contentType: 'text/xml; charset=UTF-8', body: Buffer.from(tampered) },
          { contentId, contentType: 'application/pkcs7-mime; smime-type=signed-and-enveloped-data', body: e.payload },
        ],
      });
      return client.sendMail({ envelope: { from: 'msh@a.test', to: ['msh@b.test'] }, raw });
    },
    sendFromUnknown: (e) => stranger.send({ ...e, from: STRANGER }),
    oversizedPayloadBytes: 300 * 1024,
    stopB: () => b.stop(),
    startB: () => b.start(),
    close: async () => {
      client.close();
      await Promise.all([a.stop(), b.stop(), stranger.stop()]);
    },
  };
});

describe('ebXML over SMTP: adapter specifics', () => {
  let a: EbxmlSmtpTransport;
  let b: EbxmlSmtpTransport;
  let portB: number;
  let client: nodemailer.Transporter;
  const incidents: TransportIncident[] = [];
  const received: IncomingMessage[] = [];

  beforeEach(async () => {
    incidents.length = 0;
    received.length = 0;
    const [portA, pB] = await Promise.all([freePort(), freePort()]);
    portB = pB;
    const parties = [entry(partyA, portA, 'msh@a.test'), { ...entry(partyB, portB, 'msh@b.test') }, { herId: '2003', name: 'Tjeneste B', kind: 'service', parentHerId: B }];
    const make = (p: TestPartyCredentials, port: number, mailbox: string, local: string[]): EbxmlSmtpTransport =>
      createEbxmlSmtpTransport({
        localHerIds: local,
        mailbox,
        signer: { certificate: p.signing.certificate, key: p.signing.key },
        addressRegister: createLocalAddressRegister({ parties: { version: 1, parties } }),
        server: { host: HOST, port },
        resend,
        serviceActions: { LOG_INNLAGT: { service: 'PLO', action: 'Innlagt' } },
      });
    a = make(partyA, portA, 'msh@a.test', [A]);
    b = make(partyB, portB, 'msh@b.test', [B, '2003']);
    b.onError((i) => incidents.push(i));
    b.onMessage((m) => {
      received.push(m);
      return Promise.resolve('accept');
    });
    await Promise.all([a.start(), b.start()]);
    client = nodemailer.createTransport({ host: HOST, port: portB, secure: false, ignoreTLS: true });
  });

  afterEach(async () => {
    client.close();
    await Promise.all([a.stop(), b.stop()]);
  });

  const send = (raw: Buffer | string, to = 'msh@b.test'): Promise<unknown> => client.sendMail({ envelope: { from: 'x@x.test', to: [to] }, raw });

  it('refuses garbage MIME with SMTP 554 and keeps serving', async () => {
    await expect(send('Subject: hi\r\n\r\nnot ebXML at all')).rejects.toMatchObject({ responseCode: 554 });
    await expect(send(Buffer.concat([Buffer.from('Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\n'), randomBytes(4000)]))).rejects.toMatchObject({ responseCode: 554 });
    expect(incidents.map((i) => i.error.code)).toEqual(['ERR_TRANSPORT_MALFORMED', 'ERR_TRANSPORT_MALFORMED']);
    const acked = new Promise<string>((resolve) => a.onAcknowledgment((x) => resolve(x.messageId)));
    const messageId = randomUUID();
    await a.send({ from: A, to: B, conversationId: 'c', msgType: 'LOG_INNLAGT', messageId, payload: new Uint8Array([1]) });
    expect(await acked).toBe(messageId);
  });

  it('refuses a recipient mailbox it does not serve with SMTP 550', async () => {
    await expect(send('Subject: x\r\n\r\nx', 'someone@b.test')).rejects.toMatchObject({ responseCode: 550 });
  });

  it('addresses a service through its parent endpoint and maps Service/Action through the table', async () => {
    const acked = new Promise<string>((resolve) => a.onAcknowledgment((x) => resolve(x.messageId)));
    const messageId = randomUUID();
    await a.send({ from: A, to: '2003', conversationId: 'c', msgType: 'LOG_INNLAGT', messageId, payload: new Uint8Array([1]) });
    expect(await acked).toBe(messageId);
    expect(received[0]?.to).toBe('2003');
    expect(received[0]?.service).toBe('PLO');
    expect(received[0]?.action).toBe('Innlagt');
    expect(received[0]?.msgType).toBe('LOG_INNLAGT');
    expect(Buffer.from(received[0]!.raw).toString('latin1')).toContain('SOAPAction: "ebXML"');
  });

  it('refuses to send to an unknown HER-id, from a HER-id it does not serve, or when stopped', async () => {
    const e = { from: A, to: '4242', conversationId: 'c', msgType: 'APPREC', messageId: randomUUID(), payload: new Uint8Array([1]) };
    await expect(a.send(e)).rejects.toMatchObject({ code: 'ERR_TRANSPORT_UNKNOWN_PARTY', retryable: false });
    await expect(a.send({ ...e, from: '9999' })).rejects.toThrow(TypeError);
    await a.stop();
    await expect(a.send({ ...e, to: B })).rejects.toMatchObject({ code: 'ERR_TRANSPORT_STOPPED' });
  });

  it('refuses a correctly signed message addressed to a HER-id it does not serve', async () => {
    const contentId = 'p@test';
    const signed = signEnvelope(
      buildEnvelope({ header: { from: A, to: '5555', cpaId: 'x', conversationId: 'c', service: 'S', action: 'A', messageId: randomUUID(), timestamp: new Date() }, manifest: [contentId] }),
      { key: partyA.signing.key.keyObject, certificate: partyA.signing.certificate },
      [{ contentId, body: new Uint8Array([1]) }],
    );
    const raw = buildMimeMessage({
      headers: [],
      parts: [
        { contentId: 'soap@test', contentType: 'text/xml; charset=UTF-8', body: Buffer.from(signed) },
        { contentId, contentType: 'application/pkcs7-mime', body: new Uint8Array([1]) },
      ],
    });
    await expect(send(raw)).rejects.toMatchObject({ responseCode: 554 });
    expect(incidents.map((i) => i.error.code)).toEqual(['ERR_TRANSPORT_NOT_FOR_US']);
    expect(received).toHaveLength(0);
  });
});
