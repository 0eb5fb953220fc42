/**
 * `ReceiptTracker`: registers sent messages, correlates incoming AppRecs and fires deadlines,
 * over a {@link ReceiptStore} port and an injected clock. Deadlines are absolute times in the
 * stored state; a scheduler calls {@link ReceiptTracker.tick} (no in-memory timers).
 */
import { ApprecError } from '../errors';
import type { SentMessageRef } from '../correlate';
import type { AppRec } from '../model';
import { advance, applyAppRec, checkPolicy, startTracking } from './logic';
import type { ReceiptEffect, ReceiptPolicy, ReceiptStore, TrackedMessage } from './types';

/** Options of the {@link ReceiptTracker} constructor. */
export interface ReceiptTrackerOptions {
  readonly store: ReceiptStore;
  /** Source of "now". */
  readonly clock: () => Date;
  readonly policy?: ReceiptPolicy;
  /** How many due messages one `tick` handles at most. Default 500. */
  readonly batchSize?: number;
}

/** A sent message to register: its reference and, optionally, when it was sent (default: now). */
export interface SentMessage extends SentMessageRef {
  /** When it was sent; default the tracker's clock. */
  readonly sentAt?: Date;
}

/** Result of {@link ReceiptTracker.receive}. */
export type ReceiveResult =
  | {
      /** The AppRec settled the message (possibly late). */
      readonly kind: 'settled';
      readonly message: TrackedMessage;
      readonly late: boolean;
      readonly effects: readonly ReceiptEffect[];
    }
  | { /** Already applied; nothing changed. */ readonly kind: 'duplicate'; readonly message: TrackedMessage }
  | {
      /** A different outcome for a settled message: kept aside, nothing changed. */
      readonly kind: 'conflict';
      readonly code: 'ERR_APPREC_CONFLICT';
      readonly message: TrackedMessage;
    }
  | {
      /** From a party that was not the receiver: refused as spoofing, kept aside. */
      readonly kind: 'refused';
      readonly code: 'ERR_APPREC_SPOOFED';
      readonly message: TrackedMessage;
    }
  | { /** For a MsgId we do not track: kept aside as an orphan. */ readonly kind: 'orphan'; readonly code: 'ERR_APPREC_ORPHAN' };

const MAX_ATTEMPTS = 10;

function sameRegistration(a: TrackedMessage, b: TrackedMessage): boolean {
  return (
    a.type === b.type &&
    JSON.stringify(a.receiverHerIds) === JSON.stringify(b.receiverHerIds) &&
    JSON.stringify(a.senderHerIds ?? null) === JSON.stringify(b.senderHerIds ?? null) &&
    (a.genDate ?? null) === (b.genDate ?? null)
  );
}

/**
 * Tracks the AppRec of every business message we send (DOMAIN §5: the sender must always make sure
 * the AppRec arrives).
 *
 * ```ts
 * const tracker = new ReceiptTracker({ store, clock });
 * await tracker.register(sentMessageRef(parsed.msgHead));
 * const result = await tracker.receive(parseAppRec(bytes)); // settled | duplicate | conflict | refused | orphan
 * const effects = await tracker.tick();                      // receipt-overdue, escalate
 * ```
 */
export class ReceiptTracker {
  readonly #store: ReceiptStore;
  readonly #clock: () => Date;
  readonly #policy: ReceiptPolicy;
  readonly #batchSize: number;

  constructor(options: ReceiptTrackerOptions) {
    if (typeof options?.store !== 'object' || options.store === null) throw new TypeError('ReceiptTracker needs a store');
    if (typeof options.clock !== 'function') throw new TypeError('ReceiptTracker needs a clock');
    this.#store = options.store;
    this.#clock = options.clock;
    this.#policy = options.policy ?? {};
    checkPolicy(this.#policy);
    this.#batchSize = options.batchSize ?? 500;
    if (!Number.isInteger(this.#batchSize) || this.#batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  }

  #now(): number {
    const t = this.#clock();
    if (!(t instanceof Date) || Number.isNaN(t.getTime())) throw new RangeError('the clock returned an invalid Date');
    return t.getTime();
  }

  /**
   * Registers a sent message as `awaiting` its AppRec, with its deadline from the policy.
   * Registering the same message again is a no-op returning the stored state.
   *
   * @throws ApprecError `ERR_APPREC_ALREADY_TRACKED` when the MsgId is tracked with other data.
   */
  async register(sent: SentMessage): Promise<TrackedMessage> {
    const sentAt = sent.sentAt === undefined ? this.#now() : sent.sentAt.getTime();
    const message = startTracking(sent, sentAt, this.#policy);
    if (await this.#store.insert(message)) return message;
    const existing = await this.#store.get(message.msgId);
    if (existing !== undefined && sameRegistration(existing, message)) return existing;
    throw new ApprecError('ERR_APPREC_ALREADY_TRACKED', `MsgId ${message.msgId} is already tracked with different data`);
  }

  /** The tracked message with our MsgId `msgId`. */
  async get(msgId: string): Promise<TrackedMessage | undefined> {
    return this.#store.get(msgId);
  }

  /**
   * Correlates a received AppRec on (its sender = our original receiver, OriginalMsgId/Id) and
   * applies it. Orphans, spoofing attempts and conflicts are kept in the store's unmatched list.
   */
  async receive(appRec: AppRec): Promise<ReceiveResult> {
    const now = this.#now();
    const at = new Date(now).toISOString();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const message = await this.#store.get(appRec.originalMsgId.id);
      if (message === undefined) {
        await this.#store.keepUnmatched({ reason: 'orphan', code: 'ERR_APPREC_ORPHAN', at, appRec });
        return { kind: 'orphan', code: 'ERR_APPREC_ORPHAN' };
      }
      const applied = applyAppRec(message, appRec, now, { acceptInstitutionLevel: this.#policy.acceptInstitutionLevel !== false });
      switch (applied.kind) {
        case 'refused':
          await this.#store.keepUnmatched({ reason: 'spoofed', code: 'ERR_APPREC_SPOOFED', at, appRec });
          return { kind: 'refused', code: 'ERR_APPREC_SPOOFED', message };
        case 'conflict':
          await this.#store.keepUnmatched({ reason: 'conflict', code: 'ERR_APPREC_CONFLICT', at, appRec });
          return { kind: 'conflict', code: 'ERR_APPREC_CONFLICT', message };
        case 'duplicate':
          return { kind: 'duplicate', message };
        case 'settled':
          if (await this.#store.update(applied.message, message.revision)) return applied;
      }
    }
    throw new Error(`receipt state of ${appRec.originalMsgId.id} kept changing concurrently`);
  }

  /**
   * Fires due deadlines at `now` (default the clock): awaiting messages past their deadline become
   * overdue, overdue ones past escalation time are escalated. Returns the effects to carry out.
   * Call it from a scheduler; calling it again at the same time yields nothing new.
   */
  async tick(now?: Date): Promise<ReceiptEffect[]> {
    const t = now === undefined ? this.#now() : now.getTime();
    if (!Number.isFinite(t)) throw new RangeError('tick needs a valid time');
    const effects: ReceiptEffect[] = [];
    for (const due of await this.#store.due(new Date(t).toISOString(), this.#batchSize)) {
      let message: TrackedMessage | undefined = due;
      for (let attempt = 0; attempt < MAX_ATTEMPTS && message !== undefined; attempt++) {
        const step = advance(message, t);
        if (step.message === message) break;
        if (await this.#store.update(step.message, message.revision)) {
          effects.push(...step.effects);
          break;
        }
        message = await this.#store.get(message.msgId);
      }
    }
    return effects;
  }

  /** Every AppRec kept aside (orphans, spoofing attempts, conflicts), oldest first. */
  async unmatched(): ReturnType<ReceiptStore['listUnmatched']> {
    return this.#store.listUnmatched();
  }
}
