/**
 * Pieces shared by the transport adapters: handler registry, resend-until-acknowledged
 * scheduling, and the incoming path (duplicate elimination, handler, answer).
 */
import { TransportError } from './errors';
import type {
  IncomingDecision,
  IncomingHandler,
  IncomingMessage,
  SeenMessageStore,
  TransportAcknowledgment,
  TransportDeliveryFailure,
  TransportIncident,
  TransportMessageError,
} from './types';

/** Resend policy: wait `ackTimeoutMs`, then resend up to `maxResends` times, each wait `backoffFactor` times longer (at most `maxDelayMs`). */
export interface ResendPolicy {
  /** Wait for the acknowledgment this long before the first resend. Default 5 minutes. */
  readonly ackTimeoutMs: number;
  /** Resends after the first transmission. Default 5. */
  readonly maxResends: number;
  /** Growth of the wait per resend. Default 2. */
  readonly backoffFactor: number;
  /** Longest wait. Default 1 hour. */
  readonly maxDelayMs: number;
}

/** Default {@link ResendPolicy}: 5 min, ×2, 5 resends, capped at 1 h (UNVERIFIED against CPA values; set from the CPA's retries/retryInterval). */
export const DEFAULT_RESEND_POLICY: ResendPolicy = { ackTimeoutMs: 5 * 60_000, maxResends: 5, backoffFactor: 2, maxDelayMs: 60 * 60_000 };

/** Checks and completes a partial resend policy. */
export function resendPolicy(partial: Partial<ResendPolicy> = {}): ResendPolicy {
  const p = { ...DEFAULT_RESEND_POLICY, ...partial };
  if (!(p.ackTimeoutMs > 0) || !Number.isInteger(p.maxResends) || p.maxResends < 0 || !(p.backoffFactor >= 1) || !(p.maxDelayMs >= p.ackTimeoutMs)) {
    throw new RangeError('invalid resend policy');
  }
  return p;
}

/** Event handlers of a transport; emitting never throws into the transport. */
export class TransportEvents {
  message: IncomingHandler | undefined;
  private ack: ((a: TransportAcknowledgment) => void | Promise<void>) | undefined;
  private messageError: ((e: TransportMessageError) => void | Promise<void>) | undefined;
  private deliveryFailure: ((f: TransportDeliveryFailure) => void | Promise<void>) | undefined;
  private incident: ((i: TransportIncident) => void) | undefined;

  setAck(h: (a: TransportAcknowledgment) => void | Promise<void>): void {
    this.ack = h;
  }
  setMessageError(h: (e: TransportMessageError) => void | Promise<void>): void {
    this.messageError = h;
  }
  setDeliveryFailure(h: (f: TransportDeliveryFailure) => void | Promise<void>): void {
    this.deliveryFailure = h;
  }
  setIncident(h: (i: TransportIncident) => void): void {
    this.incident = h;
  }

  emitIncident(incident: TransportIncident): void {
    try {
      this.incident?.(incident);
    } catch {
      // an incident handler that throws must not break the transport
    }
  }

  private async guard(fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.emitIncident({ stage: 'receive', error: new TransportError('ERR_TRANSPORT_UNSUPPORTED', 'an event handler threw', { cause: err }) });
    }
  }

  emitAck(a: TransportAcknowledgment): Promise<void> {
    return this.guard(() => this.ack?.(a));
  }
  emitMessageError(e: TransportMessageError): Promise<void> {
    return this.guard(() => this.messageError?.(e));
  }
  emitDeliveryFailure(f: TransportDeliveryFailure): Promise<void> {
    return this.guard(() => this.deliveryFailure?.(f));
  }
}

/** One message waiting for its acknowledgment. */
interface Pending {
  readonly to: string;
  readonly retransmit: () => Promise<void>;
  resends: number;
  delay: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Resends unacknowledged messages on a {@link ResendPolicy}; reports a delivery failure at the end. In-memory: the engine's outbox re-drives sends after a restart. */
export class ResendScheduler {
  private readonly pending = new Map<string, Pending>();
  private running = true;

  /**
   * @param acknowledgedElsewhere asked before each resend and before reporting a delivery failure:
   *   true when the message no longer waits for this transmission's acknowledgment (another
   *   instance sharing the engine's store received it); the wait then ends silently. A failing
   *   check counts as "not acknowledged".
   */
  constructor(
    private readonly policy: ResendPolicy,
    private readonly events: TransportEvents,
    private readonly acknowledgedElsewhere?: (messageId: string) => Promise<boolean>,
  ) {}

  /** Starts waiting for the acknowledgment of `messageId` (replacing an earlier wait for it). */
  track(messageId: string, to: string, retransmit: () => Promise<void>): void {
    this.settle(messageId);
    if (!this.running) return;
    const p: Pending = { to, retransmit, resends: 0, delay: this.policy.ackTimeoutMs, timer: undefined };
    this.pending.set(messageId, p);
    this.arm(messageId, p);
  }

  private arm(messageId: string, p: Pending): void {
    p.timer = setTimeout(() => void this.fire(messageId, p), p.delay);
    p.timer.unref?.();
  }

  private async fire(messageId: string, p: Pending): Promise<void> {
    if (this.pending.get(messageId) !== p || !this.running) return;
    if (this.acknowledgedElsewhere !== undefined) {
      const done = await this.acknowledgedElsewhere(messageId).catch(() => false);
      if (this.pending.get(messageId) !== p || !this.running) return;
      if (done) {
        this.pending.delete(messageId);
        return;
      }
    }
    if (p.resends >= this.policy.maxResends) {
      this.pending.delete(messageId);
      await this.events.emitDeliveryFailure({
        messageId,
        to: p.to,
        error: new TransportError('ERR_TRANSPORT_NOT_ACKNOWLEDGED', `no acknowledgment for ${messageId} after ${p.resends} resend(s)`, { messageId }),
      });
      return;
    }
    p.resends++;
    p.delay = Math.min(this.policy.maxDelayMs, Math.round(p.delay * this.policy.backoffFactor));
    try {
      await p.retransmit();
    } catch (err) {
      this.events.emitIncident({
        stage: 'resend',
        error: err instanceof TransportError ? err : new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'resend failed', { messageId, cause: err }),
      });
    }
    if (this.pending.get(messageId) === p && this.running) this.arm(messageId, p);
  }

  /** Stops waiting for `messageId` (acknowledged or refused). Returns true when it was pending. */
  settle(messageId: string): boolean {
    const p = this.pending.get(messageId);
    if (p === undefined) return false;
    if (p.timer !== undefined) clearTimeout(p.timer);
    this.pending.delete(messageId);
    return true;
  }

  /** Message ids still waiting for an acknowledgment. */
  waiting(): string[] {
    return [...this.pending.keys()];
  }

  start(): void {
    this.running = true;
  }

  /** Cancels every wait (the engine's outbox resends after a restart). */
  stop(): void {
    this.running = false;
    for (const id of [...this.pending.keys()]) this.settle(id);
  }
}

/** How an adapter answers one incoming message: builds the answer (ack or error) and delivers it. */
export interface IncomingAnswerer {
  /** Builds the exact bytes to send back for `decision` (an empty array when no answer is due). */
  build(message: IncomingMessage, decision: IncomingDecision): Promise<Uint8Array>;
  /** Delivers previously built answer bytes to the sender of `message`. */
  deliver(message: IncomingMessage, response: Uint8Array): Promise<void>;
}

/**
 * The incoming path after authentication: duplicate elimination on (from, messageId) through the
 * seen-message store (a duplicate gets the stored answer again and never reaches the handler),
 * one handler call at a time per message, an answer only after the handler resolved.
 */
export class IncomingProcessor {
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly tasks = new Set<Promise<void>>();

  constructor(
    private readonly events: TransportEvents,
    private readonly seen: SeenMessageStore,
    private readonly answerer: IncomingAnswerer,
    private readonly clock: () => Date,
  ) {}

  /** Processes in the background; `drain()` waits for every started task. */
  submit(message: IncomingMessage): void {
    const task = this.process(message).catch((err: unknown) => {
      this.events.emitIncident({
        stage: 'acknowledge',
        error: err instanceof TransportError ? err : new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'answering an incoming message failed', { messageId: message.messageId, from: message.from, cause: err }),
      });
    });
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private async process(message: IncomingMessage): Promise<void> {
    const key = `${message.from}\u0000${message.messageId}`;
    // Copies of one message are handled one after the other (registered before any await): a copy
    // that arrives while the first is being handled waits for it, then counts as a duplicate.
    const previousCopy = this.inflight.get(key);
    const mine = (async () => {
      if (previousCopy !== undefined) await previousCopy.catch(() => undefined);
      await this.handleOnce(message);
    })();
    this.inflight.set(key, mine);
    try {
      await mine;
    } finally {
      if (this.inflight.get(key) === mine) this.inflight.delete(key);
    }
  }

  private async handleOnce(message: IncomingMessage): Promise<void> {
    const previous = await this.seen.get(message.from, message.messageId);
    if (previous !== undefined) {
      if (previous.response.byteLength > 0) await this.answerer.deliver(message, previous.response);
      return;
    }
    const handler = this.events.message;
    if (handler === undefined) return; // not acknowledged: the sender resends
    let decision: IncomingDecision;
    try {
      decision = await handler(message);
    } catch (err) {
      this.events.emitIncident({
        stage: 'receive',
        error: new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'the incoming handler failed; the message is not acknowledged', { messageId: message.messageId, from: message.from, cause: err }),
      });
      return;
    }
    if (decision !== 'accept' && decision !== 'reject') throw new TypeError("the incoming handler must resolve to 'accept' or 'reject'");
    const response = await this.answerer.build(message, decision);
    await this.seen.put({ from: message.from, messageId: message.messageId, answeredAt: this.clock(), decision, response });
    if (response.byteLength > 0) await this.answerer.deliver(message, response);
  }

  /** Waits until every submitted message is processed. */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}
