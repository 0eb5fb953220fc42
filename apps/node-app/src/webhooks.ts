/**
 * Webhook delivery of the EPJ inbox. Each unacknowledged inbox entry is POSTed as JSON to every
 * configured webhook, signed with HMAC-SHA256; when every webhook answered 2xx the entry is
 * acknowledged in the engine, so it is never offered again (neither to webhooks nor to polling).
 * A failed delivery is retried with exponential backoff up to `maxAttempts`, then left for the
 * next rescan. The inbox state lives in the engine's store, so a restart resumes where it stopped;
 * a crash between a 2xx and the acknowledgement can repeat one delivery, which the EPJ recognises
 * by the `X-Samhandling-Delivery` header (the inbox id, stable across retries).
 *
 * Signature header: `X-Samhandling-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 */
import { createHmac } from 'node:crypto';
import type { Actor, InboxEntry, MessagingNode } from '@samhandling/messaging';
import type { Logger } from './logger';
import type { AppCounters } from './metrics';

/** A webhook with its secret read. */
export interface ResolvedWebhook {
  readonly url: string;
  readonly secret: string;
  readonly maxAttempts: number;
}

/** The signature header value for `body` at `unixSeconds`. */
export function signWebhook(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${String(unixSeconds)}.${body}`, 'utf8').digest('hex');
  return `t=${String(unixSeconds)},v1=${mac}`;
}

/** Options of {@link WebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  readonly node: MessagingNode;
  readonly webhooks: readonly ResolvedWebhook[];
  readonly logger: Logger;
  readonly counters: AppCounters;
  readonly clock: () => Date;
  /** Wait between attempts (default: real timers). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** First retry delay in ms (doubles per attempt, capped at 5 minutes). Default 1000. */
  readonly baseDelayMs?: number;
  /** Timeout of one POST in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

const ACTOR: Actor = { kind: 'engine', id: 'webhook-dispatcher' };

/** Delivers the inbox to webhooks. */
export class WebhookDispatcher {
  readonly #o: WebhookDispatcherOptions;
  readonly #sleep: (ms: number) => Promise<void>;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: WebhookDispatcherOptions) {
    this.#o = options;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms).unref()));
  }

  /** Stops further attempts (an attempt in flight completes). */
  stop(): void {
    this.#stopped = true;
  }

  /** Delivers every pending entry; concurrent calls coalesce into one more pass. */
  deliverPending(): Promise<void> {
    if (this.#o.webhooks.length === 0 || this.#stopped) return Promise.resolve();
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          const entries = await this.#o.node.listInbox({ unacknowledgedOnly: true, limit: 100 }, ACTOR);
          for (const e of entries) {
            if (this.#stopped) return;
            await this.#deliver(e);
          }
        } while (this.#again && !this.#stopped);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async #deliver(entry: InboxEntry): Promise<void> {
    const log = this.#o.logger.child({ msgId: entry.msgId, inboxId: entry.id });
    const body = JSON.stringify({ event: 'incoming-message', delivery: entry.id, entry });
    for (const hook of this.#o.webhooks) {
      let delivered = false;
      for (let attempt = 1; attempt <= hook.maxAttempts && !this.#stopped; attempt++) {
        const status = await this.#post(hook, entry, body);
        if (status >= 200 && status < 300) {
          delivered = true;
          break;
        }
        this.#o.counters.webhookFailures += 1;
        log.warn('webhook delivery failed', { status, attempt, webhook: new URL(hook.url).host });
        if (attempt < hook.maxAttempts) await this.#sleep(Math.min((this.#o.baseDelayMs ?? 1000) * 2 ** (attempt - 1), 300_000));
      }
      if (!delivered) return;
    }
    await this.#o.node.acknowledgeInbox(entry.id, ACTOR);
    this.#o.counters.webhookDeliveries += 1;
    log.info('inbox entry delivered to webhook(s) and acknowledged');
  }

  /** One POST; the HTTP status, or 0 on a network error or timeout. */
  async #post(hook: ResolvedWebhook, entry: InboxEntry, body: string): Promise<number> {
    const t = Math.floor(this.#o.clock().getTime() / 1000);
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-samhandling-delivery': entry.id,
          'x-samhandling-msgid': entry.msgId,
          'x-samhandling-signature': signWebhook(hook.secret, t, body),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return 0;
    }
  }
}
