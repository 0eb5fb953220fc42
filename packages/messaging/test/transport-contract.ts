/**
 * The one contract every Transport adapter must pass. Run it with
 * `describeTransportContract(name, factory)`; the factory builds two started endpoints a and b
 * (plus the means to misbehave) for each test.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { TransportError } from '../src/transport/errors';
import type { IncomingDecision, IncomingMessage, OutgoingEnvelope, Transport, TransportAcknowledgment, TransportDeliveryFailure, TransportIncident, TransportMessageError } from '../src/transport/types';

/** What a contract run needs from an adapter. Resend policy expected: first resend after a few hundred ms, at most 2 resends. */
export interface TransportContractFixture {
  readonly a: Transport;
  readonly b: Transport;
  readonly aHer: string;
  readonly bHer: string;
  /** Sends to b a message from aHer whose envelope signature no longer matches. May reject. */
  sendTampered(envelope: OutgoingEnvelope): Promise<unknown>;
  /** Sends to b a message from a party b's address register does not know. May reject. */
  sendFromUnknown(envelope: OutgoingEnvelope): Promise<unknown>;
  /** A payload size that b refuses but a is willing to send. */
  readonly oversizedPayloadBytes: number;
  stopB(): Promise<void>;
  startB(): Promise<void>;
  close(): Promise<void>;
}

/** Collects events and lets a test wait for one matching a predicate. */
class Recorder<T> {
  readonly items: T[] = [];
  private waiters: { match: (t: T) => boolean; resolve: (t: T) => void }[] = [];

  push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(item)) return true;
      w.resolve(item);
      return false;
    });
  };

  next(match: (t: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
      });
    });
  }

  count(match: (t: T) => boolean): number {
    return this.items.filter(match).length;
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Runs the transport contract against an adapter. */
export function describeTransportContract(name: string, factory: () => Promise<TransportContractFixture>): void {
  describe(`Transport contract: ${name}`, () => {
    let f: TransportContractFixture;
    let received: Recorder<IncomingMessage>;
    let acks: Recorder<TransportAcknowledgment>;
    let messageErrors: Recorder<TransportMessageError>;
    let failures: Recorder<TransportDeliveryFailure>;
    let incidentsB: Recorder<TransportIncident>;
    /** Per message id: what b's handler does. Default accept. */
    let behaviour: Map<string, () => Promise<IncomingDecision>>;

    const envelope = (overrides: Partial<OutgoingEnvelope> = {}): OutgoingEnvelope => ({
      from: f.aHer,
      to: f.bHer,
      conversationId: randomUUID(),
      msgType: 'LOG_INNLAGT',
      messageId: randomUUID(),
      payload: new Uint8Array(randomBytes(2048)),
      ...overrides,
    });

    /** A message that must arrive: proves b processed whatever was sent before it. */
    const barrier = async (): Promise<void> => {
      const e = envelope();
      await f.a.send(e);
      await acks.next((x) => x.messageId === e.messageId, 'the barrier acknowledgment');
    };

    beforeEach(async () => {
      f = await factory();
      received = new Recorder();
      acks = new Recorder();
      messageErrors = new Recorder();
      failures = new Recorder();
      incidentsB = new Recorder();
      behaviour = new Map();
      f.b.onMessage(async (m) => {
        received.push(m);
        const b = behaviour.get(m.messageId);
        return b === undefined ? 'accept' : b();
      });
      f.b.onError(incidentsB.push);
      f.a.onAcknowledgment(acks.push);
      f.a.onMessageError(messageErrors.push);
      f.a.onDeliveryFailure(failures.push);
    });

    afterEach(async () => {
      await f.close();
    });

    it('delivers a message with its envelope fields and acknowledges it', async () => {
      const e = envelope({ refToMessageId: randomUUID() });
      const { transportId } = await f.a.send(e);
      expect(typeof transportId).toBe('string');
      const m = await received.next((x) => x.messageId === e.messageId, 'the message at b');
      expect(m.from).toBe(f.aHer);
      expect(m.to).toBe(f.bHer);
      expect(m.conversationId).toBe(e.conversationId);
      expect(m.msgType).toBe('LOG_INNLAGT');
      expect(m.refToMessageId).toBe(e.refToMessageId);
      expect(Buffer.from(m.payload).equals(Buffer.from(e.payload))).toBe(true);
      expect(m.raw.byteLength).toBeGreaterThan(0);
      const ack = await acks.next((x) => x.messageId === e.messageId, 'the acknowledgment');
      expect(ack.from).toBe(f.bHer);
      expect(f.a.capabilities.payload).toBe('cms');
    });

    it('acknowledges only after the handler resolved', async () => {
      const gate = deferred<IncomingDecision>();
      const e = envelope();
      behaviour.set(e.messageId, () => gate.promise);
      await f.a.send(e);
      await received.next((x) => x.messageId === e.messageId, 'the gated message');
      await barrier();
      expect(acks.count((x) => x.messageId === e.messageId)).toBe(0);
      gate.resolve('accept');
      await acks.next((x) => x.messageId === e.messageId, 'the acknowledgment after the handler resolved');
    });

    it('does not acknowledge when the handler throws; the sender resends and the second attempt is acknowledged', async () => {
      const e = envelope();
      let calls = 0;
      behaviour.set(e.messageId, () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('store down')) : Promise.resolve('accept');
      });
      await f.a.send(e);
      await acks.next((x) => x.messageId === e.messageId, 'the acknowledgment of the resent message');
      expect(calls).toBe(2);
    });

    it('eliminates a duplicate message id: the handler runs once and the acknowledgment is sent again', async () => {
      const e = envelope();
      await f.a.send(e);
      await acks.next((x) => x.messageId === e.messageId, 'the first acknowledgment');
      await f.a.send(e);
      await acks.next(() => acks.count((y) => y.messageId === e.messageId) >= 2, 'the re-sent acknowledgment');
      expect(received.count((x) => x.messageId === e.messageId)).toBe(1);
    });

    it('reports a rejection by the receiving application as a message error', async () => {
      const e = envelope();
      behaviour.set(e.messageId, () => Promise.resolve('reject'));
      await f.a.send(e);
      const err = await messageErrors.next((x) => x.messageId === e.messageId, 'the message error');
      expect(err.from).toBe(f.bHer);
      expect(err.errors.length).toBeGreaterThan(0);
      expect(acks.count((x) => x.messageId === e.messageId)).toBe(0);
    });

    it('refuses a message whose envelope signature does not verify', async () => {
      const e = envelope();
      await f.sendTampered(e).catch(() => undefined);
      const incident = await incidentsB.next((x) => x.error.code === 'ERR_TRANSPORT_SIGNATURE_INVALID', 'the signature incident');
      expect(incident.stage).toBe('receive');
      await barrier();
      expect(received.count((x) => x.messageId === e.messageId)).toBe(0);
    });

    it('refuses a message from a sender the address register does not know', async () => {
      const e = envelope();
      await f.sendFromUnknown(e).catch(() => undefined);
      await incidentsB.next((x) => x.error.code === 'ERR_TRANSPORT_UNKNOWN_PARTY', 'the unknown-party incident');
      await barrier();
      expect(received.count((x) => x.messageId === e.messageId)).toBe(0);
    });

    it('refuses an oversized message', async () => {
      const e = envelope({ payload: new Uint8Array(randomBytes(f.oversizedPayloadBytes)) });
      const err = await f.a.send(e).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).code).toBe('ERR_TRANSPORT_TOO_LARGE');
      expect((err as TransportError).retryable).toBe(false);
      await barrier();
      expect(received.count((x) => x.messageId === e.messageId)).toBe(0);
    });

    it('fails retryably while the peer is down and delivers once it is back', async () => {
      await f.stopB();
      const e = envelope();
      const err = await f.a.send(e).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).retryable).toBe(true);
      await f.startB();
      await f.a.send(e);
      await received.next((x) => x.messageId === e.messageId, 'the message after the peer came back');
      await acks.next((x) => x.messageId === e.messageId, 'its acknowledgment');
    });

    it('reports a delivery failure when no acknowledgment comes after every resend', async () => {
      const e = envelope();
      behaviour.set(e.messageId, () => Promise.reject(new Error('never stored')));
      await f.a.send(e);
      const failure = await failures.next((x) => x.messageId === e.messageId, 'the delivery failure');
      expect(failure.error.code).toBe('ERR_TRANSPORT_NOT_ACKNOWLEDGED');
      expect(failure.to).toBe(f.bHer);
      expect(received.count((x) => x.messageId === e.messageId)).toBeGreaterThanOrEqual(2);
    });
  });
}
