/**
 * ebXML messaging (ebMS 2.0, Norwegian profile HIS 1037) over SMTP: the real transport adapter.
 * Receives on an embedded SMTP server (smtp-server), sends with an SMTP client (nodemailer) to the
 * receiving party's SMTP host and mailbox from the address register. Protocol details and what is
 * unverified: docs/protocols/ebxml-smtp.md.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { SMIME_SIGNED_AND_ENVELOPED_CONTENT_TYPE, type Certificate, type PrivateKey } from '@samhandling/cms';
import { isAddressRegisterError } from '../../address-register/errors';
import type { AddressRegister, SmtpTransportAddress } from '../../address-register/types';
import { IncomingProcessor, ResendScheduler, TransportEvents, resendPolicy, type ResendPolicy } from '../core';
import { TransportError, isTransportError } from '../errors';
import { createInMemorySeenMessages } from '../seen-messages';
import type { IncomingDecision, IncomingMessage, OutgoingEnvelope, SeenMessageStore, SendResult, Transport } from '../types';
import { DEFAULT_MIME_LIMITS, buildMimeMessage, parseMimeMessage, type MimeLimits, type MimeMessage } from './mime';
import { EBMS_SERVICE, serviceActionTable, type ServiceAction } from './service-action';
import { buildEnvelope, parseXml, readEnvelope, type EnvelopeInput, type MessageHeaderFields } from './soap';
import { signEnvelopeAsync, verifyEnvelopeDocument } from './xmldsig';

/** Options of {@link createEbxmlSmtpTransport}. */
export interface EbxmlSmtpTransportOptions {
  /** HER-ids this endpoint serves: messages are sent from and accepted for these. */
  readonly localHerIds: readonly string[];
  /** Our mailbox: SMTP MAIL FROM and the From header. */
  readonly mailbox: string;
  /** The enterprise signing certificate and key that sign every envelope. */
  readonly signer: { readonly certificate: Certificate; readonly key: PrivateKey | KeyObject };
  /** Where receivers' SMTP addresses and senders' signing certificates come from. */
  readonly addressRegister: AddressRegister;
  /** The embedded SMTP server that receives. */
  readonly server: {
    /** Interface to bind, e.g. `127.0.0.1`. */
    readonly host: string;
    /** Port; 0 picks a free one (see `address()`). */
    readonly port: number;
    /** Recipient mailboxes accepted (RCPT TO); others get 550. Default: [`mailbox`]. */
    readonly mailboxes?: readonly string[];
    /** STARTTLS key and certificate (PEM). Without them STARTTLS is not offered. */
    readonly tls?: { readonly key: string; readonly cert: string };
  };
  /** SMTP client settings. */
  readonly client?: {
    /** Connection, greeting and socket timeouts (ms). Default 30 s. */
    readonly timeoutMs?: number;
    /** Refuse to send without STARTTLS. Default false. */
    readonly requireTls?: boolean;
    /** TLS options for STARTTLS (e.g. `ca`, `rejectUnauthorized`). */
    readonly tls?: { readonly ca?: string | readonly string[]; readonly rejectUnauthorized?: boolean; readonly servername?: string };
  };
  /** CPAId when an envelope names none. Default `samhandling:default` (UNVERIFIED: use the CPA id from NHN's CPA service). */
  readonly defaultCpaId?: string;
  /** Overrides of the Service/Action table. */
  readonly serviceActions?: Readonly<Record<string, ServiceAction>>;
  /** Resend until acknowledged. */
  readonly resend?: Partial<ResendPolicy>;
  /**
   * Asked before each resend: true when the message no longer waits for this transmission's
   * acknowledgment (e.g. another engine instance sharing the store received it, because the
   * acknowledgment went to the address in the register). The engine passes a store lookup.
   */
  readonly acknowledgedElsewhere?: (messageId: string) => Promise<boolean>;
  /** Duplicate elimination store; the engine's store in production. Default: in memory. */
  readonly seenMessages?: SeenMessageStore;
  /** Limits on received messages (bytes also bound the SMTP SIZE). */
  readonly limits?: Partial<MimeLimits>;
  /** Largest payload to send, bytes. Default 35 MB. */
  readonly maxPayloadBytes?: number;
  /** Accept RSA-SHA1 / SHA-1 digests in received envelope signatures. Default false. */
  readonly allowSha1?: boolean;
  /** Clock for Timestamps. Default: system clock. */
  readonly clock?: () => Date;
  /** Id generator for acknowledgment/error messages and Content-IDs. Default randomUUID. */
  readonly newId?: () => string;
}

/** The ebXML/SMTP adapter: the Transport port plus the bound server address. */
export interface EbxmlSmtpTransport extends Transport {
  /** The bound SMTP server address (after `start`). */
  address(): { host: string; port: number };
  /** Message ids still waiting for a transport acknowledgment. */
  waitingForAcknowledgment(): string[];
}

const HER = /^[1-9]\d{0,11}$/;

/** A TransportError carrying the SMTP reply code to refuse with. */
function smtpRefusal(err: TransportError): Error & { responseCode: number } {
  const code = err.code === 'ERR_TRANSPORT_TOO_LARGE' ? 552 : err.retryable ? 451 : 554;
  return Object.assign(new Error(`${code === 451 ? '4.3.0' : '5.7.0'} ${err.code}`), { responseCode: code });
}

function mapSendError(err: unknown, messageId: string): TransportError {
  if (isTransportError(err)) return err;
  const e = err as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') {
    if (e.responseCode === 552) return new TransportError('ERR_TRANSPORT_TOO_LARGE', 'the peer refused the message size', { messageId, cause: err });
    if (e.responseCode >= 500) return new TransportError('ERR_TRANSPORT_REJECTED', `the peer refused the message (SMTP ${e.responseCode})`, { messageId, cause: err });
    return new TransportError('ERR_TRANSPORT_UNAVAILABLE', `the peer deferred the message (SMTP ${e.responseCode})`, { messageId, cause: err });
  }
  if (e.code === 'ETIMEDOUT') return new TransportError('ERR_TRANSPORT_TIMEOUT', 'SMTP timed out', { messageId, cause: err });
  return new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'SMTP peer unavailable', { messageId, cause: err });
}

function readAll(stream: Readable, limit: number): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    stream.on('end', () => resolve({ bytes: Buffer.concat(chunks), tooLarge }));
    stream.on('error', reject);
  });
}

function soapText(mime: MimeMessage): string {
  const root = mime.root;
  if (root.mediaType !== 'text/xml' && root.mediaType !== 'application/xml' && root.mediaType !== 'application/soap+xml') {
    throw new TransportError('ERR_TRANSPORT_MALFORMED', 'the root MIME part is not XML');
  }
  const charset = (root.params.get('charset') ?? 'utf-8').toLowerCase();
  if (charset === 'iso-8859-1' || charset === 'latin1') return root.body.toString('latin1');
  if (charset !== 'utf-8' && charset !== 'us-ascii') throw new TransportError('ERR_TRANSPORT_UNSUPPORTED', 'SOAP part charset not supported');
  return root.body.toString('utf8');
}

/**
 * Creates the ebXML-over-SMTP transport (not started). Outgoing envelopes are signed with
 * `signer`; incoming ones are verified against the sender's signing certificate from the address
 * register and refused otherwise (SMTP 554, an `onError` incident, never the handler).
 */
export function createEbxmlSmtpTransport(options: EbxmlSmtpTransportOptions): EbxmlSmtpTransport {
  if (options.localHerIds.length === 0 || !options.localHerIds.every((h) => HER.test(h))) throw new TypeError('localHerIds must be HER-ids');
  const clock = options.clock ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const limits: MimeLimits = { ...DEFAULT_MIME_LIMITS, ...options.limits };
  const maxPayloadBytes = options.maxPayloadBytes ?? 35 * 1024 * 1024;
  const signingKey: KeyObject = 'keyObject' in options.signer.key ? options.signer.key.keyObject : options.signer.key;
  const signer = { key: signingKey, certificate: options.signer.certificate };
  const table = serviceActionTable(options.serviceActions);
  const mailboxes = new Set((options.server.mailboxes ?? [options.mailbox]).map((m) => m.toLowerCase()));
  const defaultCpaId = options.defaultCpaId ?? 'samhandling:default';
  const events = new TransportEvents();
  const scheduler = new ResendScheduler(resendPolicy(options.resend), events, options.acknowledgedElsewhere);
  const ackRequestedOf = new WeakMap<IncomingMessage, boolean>();
  const clients = new Map<string, nodemailer.Transporter>();
  let server: SMTPServer | undefined;
  let bound: { host: string; port: number } | undefined;
  let running = false;

  const clientFor = (addr: SmtpTransportAddress): nodemailer.Transporter => {
    const key = `${addr.host}:${addr.port}`;
    let client = clients.get(key);
    if (client === undefined) {
      const timeout = options.client?.timeoutMs ?? 30_000;
      const tls = options.client?.tls;
      client = nodemailer.createTransport({
        host: addr.host,
        port: addr.port,
        secure: false,
        requireTLS: options.client?.requireTls ?? false,
        ignoreTLS: !(options.client?.requireTls ?? false) && tls === undefined,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        ...(tls === undefined ? {} : { tls: { ...tls, ca: tls.ca === undefined ? undefined : typeof tls.ca === 'string' ? tls.ca : [...tls.ca] } }),
      });
      clients.set(key, client);
    }
    return client;
  };

  /** Resolves a party's SMTP endpoint; every register problem is ERR_TRANSPORT_UNKNOWN_PARTY (or UNAVAILABLE when retryable). */
  const smtpAddressOf = async (herId: string, messageId?: string): Promise<SmtpTransportAddress> => {
    let resolved;
    try {
      resolved = await options.addressRegister.resolveReceiver(herId);
    } catch (err) {
      if (isAddressRegisterError(err) && err.retryable) throw new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'address register unavailable', { messageId, cause: err });
      throw new TransportError('ERR_TRANSPORT_UNKNOWN_PARTY', `no usable address for HER-id ${herId}`, { messageId, cause: err });
    }
    if (resolved.transport.kind !== 'smtp') throw new TransportError('ERR_TRANSPORT_UNSUPPORTED', `HER-id ${herId} is not reachable over SMTP`, { messageId });
    return resolved.transport;
  };

  const deliverRaw = async (addr: SmtpTransportAddress, raw: Buffer, messageId: string): Promise<void> => {
    try {
      await clientFor(addr).sendMail({ envelope: { from: options.mailbox, to: [addr.mailbox] }, raw });
    } catch (err) {
      throw mapSendError(err, messageId);
    }
  };

  const buildMessage = async (input: EnvelopeInput, to: SmtpTransportAddress, payload?: { contentId: string; body: Uint8Array }): Promise<Buffer> => {
    const soap = await signEnvelopeAsync(buildEnvelope(input), signer, payload === undefined ? [] : [payload]);
    const now = clock();
    return buildMimeMessage({
      headers: [
        ['From', options.mailbox],
        ['To', to.mailbox],
        ['Date', now.toUTCString()],
        ['Subject', `ebXML ${input.header.action} ${input.header.messageId}`.slice(0, 200)],
        ['Message-ID', `<${newId()}@samhandling>`],
        ['SOAPAction', '"ebXML"'],
      ],
      parts: [
        { contentId: `soap-${newId()}@samhandling`, contentType: 'text/xml; charset=UTF-8', body: Buffer.from(soap, 'utf8') },
        ...(payload === undefined ? [] : [{ contentId: payload.contentId, contentType: SMIME_SIGNED_AND_ENVELOPED_CONTENT_TYPE, body: payload.body }]),
      ],
    });
  };

  const signalHeader = (m: IncomingMessage, action: 'Acknowledgment' | 'MessageError'): MessageHeaderFields => ({
    from: m.to,
    to: m.from,
    cpaId: m.cpaId ?? defaultCpaId,
    conversationId: m.conversationId,
    service: EBMS_SERVICE,
    action,
    messageId: newId(),
    timestamp: clock(),
    refToMessageId: m.messageId,
  });

  const processor = new IncomingProcessor(
    events,
    options.seenMessages ?? createInMemorySeenMessages(),
    {
      async build(m: IncomingMessage, decision: IncomingDecision) {
        if (decision === 'accept' && ackRequestedOf.get(m) === false) return new Uint8Array();
        const to = await smtpAddressOf(m.from, m.messageId);
        const header = signalHeader(m, decision === 'accept' ? 'Acknowledgment' : 'MessageError');
        const input: EnvelopeInput =
          decision === 'accept'
            ? { header, acknowledgment: { refToMessageId: m.messageId, timestamp: header.timestamp } }
            : { header, errors: [{ code: 'DeliveryFailure', severity: 'Error', description: 'The receiving application refused the message.' }] };
        return new Uint8Array(await buildMessage(input, to));
      },
      async deliver(m: IncomingMessage, response: Uint8Array) {
        const to = await smtpAddressOf(m.from, m.messageId);
        await deliverRaw(to, Buffer.from(response.buffer, response.byteOffset, response.byteLength), m.messageId);
      },
    },
    clock,
  );

  /** Parses and authenticates one received message, then routes it. Throws TransportError to refuse it. */
  const receive = async (raw: Buffer): Promise<void> => {
    const mime = parseMimeMessage(raw, limits);
    const xml = soapText(mime);
    // Parsed once: read first, then verified (which takes the Signature out of the document).
    const document = parseXml(xml);
    const env = readEnvelope(document);
    const h = env.header;
    const ids = { messageId: h.messageId, from: h.from };
    let signerCert: Certificate;
    try {
      signerCert = await options.addressRegister.signingCertificateFor(h.from);
    } catch (err) {
      if (isAddressRegisterError(err) && err.retryable) throw new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'address register unavailable', { ...ids, cause: err });
      throw new TransportError('ERR_TRANSPORT_UNKNOWN_PARTY', `unknown sender HER-id ${h.from}`, { ...ids, cause: err });
    }
    const attachments = new Map<string, Uint8Array>();
    for (const part of mime.parts) if (part !== mime.root && part.contentId !== undefined) attachments.set(part.contentId, part.body);
    try {
      verifyEnvelopeDocument(document, signerCert, attachments, env.manifest, { allowSha1: options.allowSha1 ?? false });
    } catch (err) {
      throw isTransportError(err) ? new TransportError(err.code, err.message, { ...ids, cause: err.cause }) : new TransportError('ERR_TRANSPORT_SIGNATURE_INVALID', undefined, { ...ids, cause: err });
    }
    if (!options.localHerIds.includes(h.to)) throw new TransportError('ERR_TRANSPORT_NOT_FOR_US', `HER-id ${h.to} is not served here`, ids);

    if (env.acknowledgment !== undefined) {
      scheduler.settle(env.acknowledgment.refToMessageId);
      void events.emitAck({ messageId: env.acknowledgment.refToMessageId, from: h.from, timestamp: env.acknowledgment.timestamp });
      return;
    }
    if (env.errors !== undefined) {
      const ref = h.refToMessageId;
      if (ref === undefined) throw new TransportError('ERR_TRANSPORT_MALFORMED', 'MessageError without RefToMessageId', ids);
      scheduler.settle(ref);
      void events.emitMessageError({ messageId: ref, from: h.from, timestamp: h.timestamp, errors: env.errors });
      return;
    }
    if (env.manifest.length !== 1) throw new TransportError('ERR_TRANSPORT_MALFORMED', 'a business message must carry exactly one payload', ids);
    const cid = env.manifest[0] as string;
    const part = mime.parts.find((p) => p.contentId === cid);
    if (part === undefined) throw new TransportError('ERR_TRANSPORT_MALFORMED', 'the payload named by the Manifest is missing', ids);
    if (part.mediaType !== 'application/pkcs7-mime') throw new TransportError('ERR_TRANSPORT_UNSUPPORTED', 'the payload is not application/pkcs7-mime', ids);
    if (part.body.byteLength > maxPayloadBytes) throw new TransportError('ERR_TRANSPORT_TOO_LARGE', undefined, ids);
    const incoming: IncomingMessage = {
      transportId: h.messageId,
      messageId: h.messageId,
      from: h.from,
      to: h.to,
      cpaId: h.cpaId,
      conversationId: h.conversationId,
      msgType: table.typeOf(h.service, h.action),
      service: h.service,
      action: h.action,
      timestamp: h.timestamp,
      refToMessageId: h.refToMessageId,
      payload: new Uint8Array(part.body),
      payloadKind: 'cms',
      raw: new Uint8Array(raw),
    };
    ackRequestedOf.set(incoming, env.ackRequested);
    processor.submit(incoming);
  };

  const onData = (stream: SMTPServerDataStream, _session: SMTPServerSession, callback: (err?: Error | null) => void): void => {
    void (async () => {
      let error: TransportError | undefined;
      try {
        const { bytes, tooLarge } = await readAll(stream, limits.maxBytes);
        if (tooLarge || stream.sizeExceeded) error = new TransportError('ERR_TRANSPORT_TOO_LARGE', 'message exceeds the size limit');
        else await receive(bytes);
      } catch (err) {
        error = isTransportError(err) ? err : new TransportError('ERR_TRANSPORT_MALFORMED', 'message could not be read', { cause: err });
      }
      if (error === undefined) {
        callback(null);
        return;
      }
      events.emitIncident({ stage: 'receive', error });
      callback(smtpRefusal(error));
    })();
  };

  const onRcptTo = (address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void): void => {
    if (mailboxes.has(address.address.toLowerCase())) callback();
    else callback(Object.assign(new Error('5.1.1 mailbox not served here'), { responseCode: 550 }));
  };

  const transport: EbxmlSmtpTransport = {
    name: 'ebxml-smtp',
    capabilities: { payload: 'cms', resendsUntilAcknowledged: true, maxPayloadBytes },

    async send(envelope: OutgoingEnvelope): Promise<SendResult> {
      if (!options.localHerIds.includes(envelope.from)) throw new TypeError(`from ${envelope.from} is not one of localHerIds`);
      if (!HER.test(envelope.to)) throw new TypeError('to must be a HER-id');
      if (!(envelope.payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
      if (!running) throw new TransportError('ERR_TRANSPORT_STOPPED', undefined, { messageId: envelope.messageId });
      if (envelope.payload.byteLength > maxPayloadBytes) throw new TransportError('ERR_TRANSPORT_TOO_LARGE', 'payload exceeds maxPayloadBytes', { messageId: envelope.messageId });
      const to = await smtpAddressOf(envelope.to, envelope.messageId);
      const { service, action } = table.forType(envelope.msgType);
      const ackRequested = envelope.ackRequested ?? true;
      const contentId = `payload-${newId()}@samhandling`;
      const message = await buildMessage(
        {
          header: {
            from: envelope.from,
            to: envelope.to,
            cpaId: envelope.cpaId ?? defaultCpaId,
            conversationId: envelope.conversationId,
            service,
            action,
            messageId: envelope.messageId,
            timestamp: clock(),
            refToMessageId: envelope.refToMessageId,
          },
          ackRequested,
          duplicateElimination: true,
          manifest: [contentId],
        },
        to,
        { contentId, body: envelope.payload },
      );
      await deliverRaw(to, message, envelope.messageId);
      if (ackRequested) scheduler.track(envelope.messageId, envelope.to, () => deliverRaw(to, message, envelope.messageId));
      return { transportId: envelope.messageId };
    },

    onMessage(handler) {
      events.message = handler;
    },
    onAcknowledgment(handler) {
      events.setAck(handler);
    },
    onMessageError(handler) {
      events.setMessageError(handler);
    },
    onDeliveryFailure(handler) {
      events.setDeliveryFailure(handler);
    },
    onError(handler) {
      events.setIncident(handler);
    },

    async start() {
      if (running) return;
      const s = new SMTPServer({
        secure: false,
        authOptional: true,
        disabledCommands: options.server.tls === undefined ? ['AUTH', 'STARTTLS'] : ['AUTH'],
        ...(options.server.tls === undefined ? {} : { key: options.server.tls.key, cert: options.server.tls.cert }),
        size: limits.maxBytes,
        logger: false,
        banner: 'Samhandling ebXML MSH',
        disableReverseLookup: true,
        onRcptTo,
        onData,
      });
      s.on('error', (err: unknown) => events.emitIncident({ stage: 'receive', error: new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'SMTP server error', { cause: err }) }));
      await new Promise<void>((resolve, reject) => {
        const onError = (err: unknown): void => reject(new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'cannot bind the SMTP server', { cause: err }));
        s.server.once('error', onError);
        s.listen(options.server.port, options.server.host, () => {
          s.server.off('error', onError);
          resolve();
        });
      });
      const addr = s.server.address() as AddressInfo;
      bound = { host: addr.address, port: addr.port };
      server = s;
      running = true;
      scheduler.start();
    },

    async stop() {
      if (!running) return;
      running = false;
      scheduler.stop();
      const s = server;
      server = undefined;
      if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
      await processor.drain();
      for (const c of clients.values()) c.close();
      clients.clear();
    },

    address() {
      if (bound === undefined) throw new TransportError('ERR_TRANSPORT_STOPPED', 'the SMTP server was never started');
      return { ...bound };
    },

    waitingForAcknowledgment() {
      return scheduler.waiting();
    },
  };
  return transport;
}
