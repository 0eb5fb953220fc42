/**
 * The receiving EPJ's patient lookup over HTTP: the engine asks, for every incoming message, whether
 * the EPJ knows the patient (AppRec E35 "ukjent pasient" and friends otherwise). The app POSTs
 * `{"personId":"<fødselsnummer>"}` to the configured URL, signed like the webhooks
 * (`X-Samhandling-Signature: t=<unix seconds>,v1=<HMAC-SHA256 hex of "<t>.<body>">`), and expects
 * `200` with `{"found":true}` or `{"found":false,"reason":"not-found"|"ambiguous"|"not-in-folkeregisteret"}`.
 * Anything else (timeout, other status, another body, an answer over 16 KiB) throws, and the engine tries the message again
 * later: an EPJ that is down never turns into a wrong "unknown patient" receipt.
 */
import { AppError } from './errors';
import { signWebhook } from './webhooks';

/** Settings of {@link createHttpPatientLookup}. */
export interface HttpPatientLookupOptions {
  /** The EPJ's lookup endpoint (http or https). */
  readonly url: string;
  /** HMAC-SHA256 key of the signature header. */
  readonly secret: string;
  /** Abort the request after this long. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** For the signature's timestamp. Default: system clock. */
  readonly clock?: () => Date;
}

/** What the EPJ answered (the engine's `PatientLookup`). */
export type PatientLookupResult = { readonly found: true } | { readonly found: false; readonly reason: 'not-found' | 'ambiguous' | 'not-in-folkeregisteret' };

const REASONS = new Set(['not-found', 'ambiguous', 'not-in-folkeregisteret']);

/** The largest answer read from the EPJ (the agreed answer is a few dozen bytes). */
const MAX_ANSWER_BYTES = 16 * 1024;

/** Reads at most `max` bytes of the body; undefined when it is longer. */
async function boundedText(res: Response, max: number): Promise<string | undefined> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The engine's EPJ port (`deps.epj`) backed by an HTTP endpoint of the EPJ.
 *
 * @throws AppError `ERR_APP_EPJ_LOOKUP_FAILED` from `findPatient` when the EPJ does not answer as
 *   agreed (the engine retries the message later).
 */
export function createHttpPatientLookup(options: HttpPatientLookupOptions): { findPatient(personId: string): Promise<PatientLookupResult> } {
  if (!/^https?:\/\/[^\s]+$/.test(options.url)) throw new TypeError('url must be an http(s) URL');
  if (typeof options.secret !== 'string' || options.secret === '') throw new TypeError('secret is required');
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError('timeoutMs must be a positive integer');
  const clock = options.clock ?? (() => new Date());
  const fail = (message: string, cause?: unknown): AppError => new AppError('ERR_APP_EPJ_LOOKUP_FAILED', `patient lookup at ${options.url}: ${message}`, cause === undefined ? {} : { cause });
  return {
    async findPatient(personId: string): Promise<PatientLookupResult> {
      const body = JSON.stringify({ personId });
      const t = Math.floor(clock().getTime() / 1000);
      let res: Response;
      try {
        res = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-samhandling-signature': signWebhook(options.secret, t, body) },
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw fail((err as Error).name === 'TimeoutError' ? `no answer within ${String(timeoutMs)} ms` : 'not reachable', err);
      }
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        throw fail(`HTTP ${String(res.status)}`);
      }
      let text: string | undefined;
      try {
        text = await boundedText(res, MAX_ANSWER_BYTES);
      } catch (err) {
        throw fail('the answer broke off', err);
      }
      if (text === undefined) throw fail(`the answer is longer than ${String(MAX_ANSWER_BYTES)} bytes`);
      let answer: unknown;
      try {
        answer = JSON.parse(text);
      } catch (err) {
        throw fail('the answer is not JSON', err);
      }
      const a = answer as { found?: unknown; reason?: unknown } | null;
      if (a !== null && typeof a === 'object' && a.found === true) return { found: true };
      if (a !== null && typeof a === 'object' && a.found === false && typeof a.reason === 'string' && REASONS.has(a.reason)) {
        return { found: false, reason: a.reason as 'not-found' | 'ambiguous' | 'not-in-folkeregisteret' };
      }
      throw fail('the answer is neither {"found":true} nor {"found":false,"reason":…}');
    },
  };
}
