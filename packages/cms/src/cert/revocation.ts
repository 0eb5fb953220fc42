/**
 * Revocation checking by CRL: a pluggable {@link RevocationSource} (static files/bytes or HTTP),
 * and {@link CrlCache}, a {@link RevocationChecker} that verifies each CRL against its issuer
 * and honours thisUpdate/nextUpdate with an injected clock. A CRL that cannot be had, verified
 * or is stale is ERR_CERT_REVOCATION_UNAVAILABLE (retryable), never a silent pass.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { certificateInternals } from './certificate';
import { crlIssuedBy, parseCrl, parseCrls, verifyCrl, type Crl } from './crl';
import { CertError } from './errors';
import type { Certificate } from './types';

/** Where CRLs come from. Throwing (or rejecting) means the CRL is unavailable. */
export interface RevocationSource {
  /** Returns the current CRL (DER or PEM bytes) of `issuer`, given the certificate's CRL distribution point URIs. */
  fetchCrl(issuer: Certificate, distributionPoints: readonly string[]): Promise<Uint8Array>;
}

/** Checks a certificate's revocation status. */
export interface RevocationChecker {
  /**
   * Resolves when `cert` (issued by `issuer`) is not revoked; throws CertError ERR_CERT_REVOKED,
   * or ERR_CERT_REVOCATION_UNAVAILABLE (retryable) when the status cannot be established.
   */
  check(cert: Certificate, issuer: Certificate): Promise<void>;
}

/** Options for {@link CrlCache}. */
export interface CrlCacheOptions {
  readonly source: RevocationSource;
  /** The current time. */
  readonly clock: () => Date;
  /** Accept SHA-1 signed CRLs (legacy). Default false. */
  readonly allowSha1?: boolean;
}

interface Entry {
  readonly crl: Crl;
}

/**
 * A {@link RevocationChecker} over a {@link RevocationSource} with a per-issuer cache. A cached
 * CRL is reused until its nextUpdate; then it is fetched again, and if the source cannot give a
 * current one the status is unavailable. A CRL whose thisUpdate is in the future is refused.
 */
export class CrlCache implements RevocationChecker {
  readonly #source: RevocationSource;
  readonly #clock: () => Date;
  readonly #allowSha1: boolean;
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Entry>>();

  constructor(opts: CrlCacheOptions) {
    if (typeof opts.source?.fetchCrl !== 'function') throw new TypeError('CrlCache needs a source with fetchCrl');
    if (typeof opts.clock !== 'function') throw new TypeError('CrlCache needs a clock');
    this.#source = opts.source;
    this.#clock = opts.clock;
    this.#allowSha1 = opts.allowSha1 === true;
  }

  /** Drops every cached CRL. */
  clear(): void {
    this.#entries.clear();
  }

  #current(entry: Entry, now: Date): boolean {
    const next = entry.crl.nextUpdate;
    return entry.crl.thisUpdate.getTime() <= now.getTime() && next !== null && now.getTime() <= next.getTime();
  }

  async #load(issuer: Certificate, dps: readonly string[]): Promise<Entry> {
    const unavailable = (why: string, cause?: unknown): CertError =>
      new CertError('ERR_CERT_REVOCATION_UNAVAILABLE', `Revocation status unavailable: ${why}`, { cause, subject: issuer.subject });
    let bytes: Uint8Array;
    try {
      bytes = await this.#source.fetchCrl(issuer, dps);
    } catch (cause) {
      throw unavailable('CRL source failed', cause);
    }
    let crl: Crl;
    try {
      crl = parseCrl(bytes);
    } catch (cause) {
      throw unavailable('CRL unreadable', cause);
    }
    verifyCrl(crl, issuer, { allowSha1: this.#allowSha1 });
    return { crl };
  }

  async #crlFor(issuer: Certificate, dps: readonly string[]): Promise<Crl> {
    const key = issuer.fingerprintSha256;
    const now = this.#clock();
    const cached = this.#entries.get(key);
    if (cached !== undefined && this.#current(cached, now)) return cached.crl;
    let pending = this.#inflight.get(key);
    if (pending === undefined) {
      pending = this.#load(issuer, dps).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    const entry = await pending;
    const after = this.#clock();
    if (!this.#current(entry, after)) {
      const why = entry.crl.thisUpdate.getTime() > after.getTime() ? 'CRL is not yet valid (thisUpdate in the future)' : 'CRL is past its nextUpdate';
      throw new CertError('ERR_CERT_REVOCATION_UNAVAILABLE', `Revocation status unavailable: ${why}`, { subject: issuer.subject });
    }
    this.#entries.set(key, entry);
    return entry.crl;
  }

  async check(cert: Certificate, issuer: Certificate): Promise<void> {
    const crl = await this.#crlFor(issuer, certificateInternals(cert).crlDistributionPoints);
    if (crl.revokedSerials.has(cert.serialNumberHex)) {
      throw new CertError('ERR_CERT_REVOKED', undefined, { subject: cert.subject });
    }
  }
}

/**
 * A source that serves CRLs given up front (e.g. read from files): for an issuer, the CRL whose
 * issuer name matches with the latest thisUpdate. No matching CRL throws (→ unavailable).
 */
export function staticCrlSource(crls: readonly (string | Uint8Array)[]): RevocationSource {
  const parsed = crls.flatMap((c) => parseCrls(c));
  return {
    fetchCrl(issuer: Certificate): Promise<Uint8Array> {
      const matching = parsed.filter((c) => crlIssuedBy(c, issuer)).sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
      const best = matching[0];
      if (best === undefined) return Promise.reject(new Error(`No CRL for ${issuer.subject}`));
      return Promise.resolve(best.der);
    },
  };
}

/** Options for {@link httpCrlSource}. */
export interface HttpCrlSourceOptions {
  /** Timeout per request in milliseconds. Default 10 000. */
  readonly timeoutMs?: number;
  /** Largest CRL body accepted, in bytes. Default 10 MiB. */
  readonly maxBytes?: number;
}

function httpGet(url: URL, timeoutMs: number, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`HTTP ${String(res.statusCode)} from ${url.href}`));
        return;
      }
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        res.destroy();
        reject(new Error(`CRL at ${url.href} exceeds ${String(maxBytes)} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy();
          reject(new Error(`CRL at ${url.href} exceeds ${String(maxBytes)} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`Timeout fetching ${url.href}`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * A source that GETs the CRL from the certificate's http(s) CRL distribution points, in order,
 * with a timeout and a size limit; redirects are not followed. Every point failing throws.
 */
export function httpCrlSource(opts: HttpCrlSourceOptions = {}): RevocationSource {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  if (!(timeoutMs > 0) || !(maxBytes > 0)) throw new RangeError('timeoutMs and maxBytes must be positive');
  return {
    async fetchCrl(issuer: Certificate, distributionPoints: readonly string[]): Promise<Uint8Array> {
      const errors: unknown[] = [];
      for (const dp of distributionPoints) {
        let url: URL;
        try {
          url = new URL(dp);
        } catch (e) {
          errors.push(e);
          continue;
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
        try {
          return await httpGet(url, timeoutMs, maxBytes);
        } catch (e) {
          errors.push(e);
        }
      }
      throw new AggregateError(errors, `No CRL could be fetched for ${issuer.subject}`);
    },
  };
}
