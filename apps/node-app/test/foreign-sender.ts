/**
 * A sending system that is not our engine, for tests that need what our engine never sends: it
 * holds the hospital's real credentials (from the demo PKI) and sends a hand-made MsgHead over
 * ebXML/SMTP with the transport's own envelope, so the ebXML header and the MsgHead can name
 * different receivers (as a foreign EPJ that addresses a department the receiving node does not
 * serve). The receiving app is the real one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPrivateKey, parseCertificate, protect } from '@samhandling/cms';
import { createEbxmlSmtpTransport, createLocalAddressRegister } from '@samhandling/messaging';
import type { RealPair } from './real-pair';

/** What to send: the MsgHead XML, its type and MsgId, the ebXML sender and receiver HER-ids. */
export interface ForeignMessage {
  readonly xml: string;
  readonly msgType: string;
  readonly msgId: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Signs with the hospital's signing key, encrypts for the municipality's encryption certificate
 * (from the address register) and sends it once over the hospital's registered sender identity,
 * without asking for a transport acknowledgment.
 */
export async function sendAsHospital(pair: RealPair, m: ForeignMessage): Promise<void> {
  const pki = join(pair.setup.dir, 'pki');
  const certificate = parseCertificate(readFileSync(join(pki, 'sykehuset-telemark-hf-signing.pem'), 'utf8'));
  const key = loadPrivateKey(readFileSync(join(pki, 'sykehuset-telemark-hf-signing.key.pem'), 'utf8'));
  const register = createLocalAddressRegister({ file: join(pair.setup.dir, 'address-register.json'), clock: pair.clock });
  const recipient = await register.encryptionCertificateFor(m.to);
  const payload = protect(new TextEncoder().encode(m.xml), { signer: { certificate, key }, recipient, clock: pair.clock });
  const transport = createEbxmlSmtpTransport({
    localHerIds: [m.from],
    mailbox: 'foreign-epj@sthf.samhandling.test',
    signer: { certificate, key },
    addressRegister: register,
    server: { host: '127.0.0.1', port: 0 },
    clock: pair.clock,
  });
  await transport.start();
  try {
    await transport.send({ from: m.from, to: m.to, conversationId: m.msgId, msgType: m.msgType, messageId: m.msgId, payload, ackRequested: false });
  } finally {
    await transport.stop();
  }
}
