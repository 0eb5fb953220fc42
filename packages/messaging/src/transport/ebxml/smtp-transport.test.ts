import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { createTestPki, type TestPartyCredentials, type TestPki } from '@samhandling/cms';
import { describeTransportContract } from '../../../test/transport-contract';
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
