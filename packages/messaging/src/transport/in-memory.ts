/**
 * An in-memory transport network for UNIT TESTS ONLY: endpoints in one process exchange
 * messages, acknowledgments and errors with the same semantics as the real adapters (duplicate
 * elimination, acknowledgment only after the handler resolved, resend until acknowledged,
 * sender authentication simulated by a per-endpoint seal). Not a transport for production.
 */
import { randomUUID } from 'node:crypto';
import { TransportError } from './errors';
import { IncomingProcessor, ResendScheduler, TransportEvents, resendPolicy, type ResendPolicy } from './core';
import { createInMemorySeenMessages } from './seen-messages';
import type { IncomingMessage, OutgoingEnvelope, PayloadKind, SeenMessageStore, SendResult, Transport } from './types';

/** Options of one in-memory endpoint. */
export interface InMemoryEndpointOptions {
  /** HER-ids this endpoint serves. */
  readonly herIds: readonly string[];
  /** Sender HER-ids it accepts (its "address register"). Default: every HER-id registered in the network. */
  readonly knownParties?: readonly string[];
  /** Largest payload it accepts, bytes. Default 35 MB. */
  readonly maxPayloadBytes?: number;
  /** Resend policy. Default: 1 s, ×2, 5 resends. */
  readonly resend?: Partial<ResendPolicy>;
  /** Duplicate-elimination store. Default: in memory. */
  readonly seenMessages?: SeenMessageStore;
  /** Clock. Default: system clock. */
  readonly clock?: () => Date;
  /**
   * What the payload is (`TransportCapabilities.payload`). Default `cms` (the engine protects
   * it, as over ebXML/SMTP); `business-document` models a transport that protects the payload
   * itself, as NHN's EDI 2.0 message service does.
   */
  readonly payload?: PayloadKind;
}

/** The wire format between in-memory endpoints. */
interface Wire {
  readonly kind: 'message' | 'ack' | 'error';
  readonly from: string;
  readonly to: string;
  readonly cpaId?: string;
  readonly conversationId: string;
  readonly msgType: string;
  readonly messageId: string;
  readonly refToMessageId?: string;
  readonly timestamp: string;
  readonly payload: string;
  readonly seal: string;
  readonly ackRequested: boolean;
}

/** An in-memory endpoint: the Transport port plus `herIds`. */
export interface InMemoryTransport extends Transport {
  readonly herIds: readonly string[];
}

/** A set of in-memory endpoints that can reach each other. */
export interface InMemoryNetwork {
  /** Creates an endpoint (not started). */
  endpoint(options: InMemoryEndpointOptions): InMemoryTransport;
  /** Delivers a message whose seal is broken (a tampered signature), as a test of refusal. Rejects like a peer would. */
  injectTampered(envelope: OutgoingEnvelope): Promise<void>;
}

interface Registered {
  readonly herIds: readonly string[];
  readonly seal: string;
  receive: ((bytes: Uint8Array) => Promise<void>) | undefined;
}

const encoder = new TextEncoder();

function encodeWire(w: Wire): Uint8Array {
  return encoder.encode(JSON.stringify(w));
}

/** Creates an in-memory network (unit tests only). */
export function createInMemoryNetwork(): InMemoryNetwork {
  const endpoints: Registered[] = [];
  const byHer = (her: string): Registered | undefined => endpoints.find((e) => e.herIds.includes(her));

  const deliver = async (to: string, bytes: Uint8Array): Promise<void> => {
    const target = byHer(to);
    if (target?.receive === undefined) throw new TransportError('ERR_TRANSPORT_UNAVAILABLE', `no running endpoint for HER-id ${to}`);
    await target.receive(bytes);
  };

  const wireFor = (e: OutgoingEnvelope, seal: string, now: Date): Wire => ({
    kind: 'message',
    from: e.from,
    to: e.to,
    ...(e.cpaId === undefined ? {} : { cpaId: e.cpaId }),
    conversationId: e.conversationId,
    msgType: e.msgType,
    messageId: e.messageId,
    ...(e.refToMessageId === undefined ? {} : { refToMessageId: e.refToMessageId }),
    timestamp: now.toISOString(),
    payload: Buffer.from(e.payload).toString('base64'),
    seal,
    ackRequested: e.ackRequested ?? true,
  });

  const network: InMemoryNetwork = {
    endpoint(options) {
      const clock = options.clock ?? (() => new Date());
      const maxPayloadBytes = options.maxPayloadBytes ?? 35 * 1024 * 1024;
      const payloadKind: PayloadKind = options.payload ?? 'cms';
      if (payloadKind !== 'cms' && payloadKind !== 'business-document') throw new TypeError("payload must be 'cms' or 'business-document'");
      const me: Registered = { herIds: [...options.herIds], seal: randomUUID(), receive: undefined };
      endpoints.push(me);
      const events = new TransportEvents();
      const scheduler = new ResendScheduler(resendPolicy({ ackTimeoutMs: 1000, ...options.resend }), events);
      const known = (her: string): boolean => (options.knownParties ?? endpoints.flatMap((e) => e.herIds)).includes(her);
      let running = false;

      const answer = (kind: 'ack' | 'error', m: IncomingMessage): Wire => ({
        kind,
        from: m.to,
        to: m.from,
        conversationId: m.conversationId,
        msgType: kind === 'ack' ? 'Acknowledgment' : 'MessageError',
        messageId: randomUUID(),
        refToMessageId: m.messageId,
        timestamp: clock().toISOString(),
        payload: '',
        seal: me.seal,
        ackRequested: false,
      });

      const processor = new IncomingProcessor(
        events,
        options.seenMessages ?? createInMemorySeenMessages(),
        {
          build: (m, decision) => {
            const wire = JSON.parse(Buffer.from(m.raw).toString('utf8')) as Wire;
            if (!wire.ackRequested && decision === 'accept') return Promise.resolve(new Uint8Array());
            return Promise.resolve(encodeWire(answer(decision === 'accept' ? 'ack' : 'error', m)));
          },
          deliver: (m, response) => deliver(m.from, response),
        },
        clock,
      );

      const receive = async (bytes: Uint8Array): Promise<void> => {
        if (!running) throw new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'endpoint not running');
        let w: Wire;
        try {
          w = JSON.parse(Buffer.from(bytes).toString('utf8')) as Wire;
        } catch (err) {
          throw new TransportError('ERR_TRANSPORT_MALFORMED', 'not an in-memory wire message', { cause: err });
        }
        const refuse = (error: TransportError): never => {
          events.emitIncident({ stage: 'receive', error });
          throw error;
        };
        if (!known(w.from)) refuse(new TransportError('ERR_TRANSPORT_UNKNOWN_PARTY', `unknown sender ${w.from}`, { messageId: w.messageId, from: w.from }));
        if (byHer(w.from)?.seal !== w.seal) refuse(new TransportError('ERR_TRANSPORT_SIGNATURE_INVALID', undefined, { messageId: w.messageId, from: w.from }));
        if (!me.herIds.includes(w.to)) refuse(new TransportError('ERR_TRANSPORT_NOT_FOR_US', undefined, { messageId: w.messageId, from: w.from }));
        const payload = Buffer.from(w.payload, 'base64');
        if (payload.byteLength > maxPayloadBytes) refuse(new TransportError('ERR_TRANSPORT_TOO_LARGE', undefined, { messageId: w.messageId, from: w.from }));
        if (w.kind === 'ack' || w.kind === 'error') {
          const ref = w.refToMessageId ?? '';
          scheduler.settle(ref);
          const timestamp = new Date(w.timestamp);
          if (w.kind === 'ack') void events.emitAck({ messageId: ref, from: w.from, timestamp });
          else void events.emitMessageError({ messageId: ref, from: w.from, timestamp, errors: [{ code: 'DeliveryFailure', severity: 'Error', description: 'rejected by the receiving application', location: undefined }] });
          return;
        }
        processor.submit({
          transportId: w.messageId,
          messageId: w.messageId,
          from: w.from,
          to: w.to,
          cpaId: w.cpaId,
          conversationId: w.conversationId,
          msgType: w.msgType,
          service: w.msgType,
          action: w.msgType,
          timestamp: new Date(w.timestamp),
          refToMessageId: w.refToMessageId,
          payload: new Uint8Array(payload),
          payloadKind,
          raw: new Uint8Array(bytes),
        });
      };

      const transport: InMemoryTransport = {
        name: 'in-memory',
        herIds: me.herIds,
        capabilities: { payload: payloadKind, resendsUntilAcknowledged: true, maxPayloadBytes },
        async send(envelope: OutgoingEnvelope): Promise<SendResult> {
          if (!running) throw new TransportError('ERR_TRANSPORT_STOPPED', undefined, { messageId: envelope.messageId });
          if (!me.herIds.includes(envelope.from)) throw new TypeError(`from ${envelope.from} is not served by this endpoint`);
          const bytes = encodeWire(wireFor(envelope, me.seal, clock()));
          await deliver(envelope.to, bytes);
          if (envelope.ackRequested ?? true) scheduler.track(envelope.messageId, envelope.to, () => deliver(envelope.to, bytes));
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
        start() {
          running = true;
          me.receive = receive;
          scheduler.start();
          return Promise.resolve();
        },
        async stop() {
          running = false;
          me.receive = undefined;
          scheduler.stop();
          await processor.drain();
        },
      };
      return transport;
    },

    async injectTampered(envelope) {
      await deliver(envelope.to, encodeWire(wireFor(envelope, `tampered-${randomUUID()}`, new Date())));
    },
  };
  return network;
}

/** Options of {@link createInMemoryTransportPair}. */
export interface InMemoryTransportPairOptions {
  readonly aHerIds: readonly string[];
  readonly bHerIds: readonly string[];
  /** Applied to both endpoints. */
  readonly common?: Omit<InMemoryEndpointOptions, 'herIds'>;
}

/** Two connected in-memory endpoints (UNIT TESTS ONLY), not started. */
export function createInMemoryTransportPair(options: InMemoryTransportPairOptions): { a: InMemoryTransport; b: InMemoryTransport; network: InMemoryNetwork } {
  const network = createInMemoryNetwork();
  const a = network.endpoint({ ...options.common, herIds: options.aHerIds });
  const b = network.endpoint({ ...options.common, herIds: options.bHerIds });
  return { a, b, network };
}
