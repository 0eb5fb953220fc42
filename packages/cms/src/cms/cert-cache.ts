/**
 * Internal: certificates found inside SignedData are parsed once and reused (senders repeat the
 * same certificates in every message), keyed by the SHA-256 of their DER, bounded LRU.
 */
import { createHash } from 'node:crypto';
import { certificateFromDer } from '../cert/certificate';
import type { Certificate } from '../cert/types';

const MAX_ENTRIES = 256;
const cache = new Map<string, Certificate>();

/** Parses a DER certificate, reusing an earlier parse of the same bytes. Throws CertError. */
export function parseCertificateCached(der: Uint8Array): Certificate {
  const key = createHash('sha256').update(der).digest('base64');
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const cert = certificateFromDer(der);
  cache.set(key, cert);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return cert;
}
