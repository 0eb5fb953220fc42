/**
 * Internal: the few certificate fields the CMS hot path needs (issuer Name DER, serial number,
 * subjectKeyIdentifier), read once per certificate with the BER reader and cached.
 */
import type { Certificate } from '../cert/types';
import { OID } from './algorithms';
import { children, content, expectTag, oidValue, raw, readRoot, stringValue, TAG } from './der';

export interface CertInfo {
  /** DER of the issuer Name. */
  readonly issuer: Uint8Array;
  /** DER of the serialNumber INTEGER (tag and length included). */
  readonly serial: Uint8Array;
  /** subjectKeyIdentifier value, or null. */
  readonly ski: Uint8Array | null;
}

const cache = new WeakMap<Uint8Array, CertInfo>();

/** Reads issuer, serial and SKI from a certificate's DER (cached by the DER buffer). */
export function certInfo(cert: Pick<Certificate, 'der'>): CertInfo {
  const hit = cache.get(cert.der);
  if (hit) return hit;
  const root = readRoot(cert.der);
  const tbs = children(root)[0];
  const fields = children(expectTag(tbs, TAG.SEQUENCE, 'TBSCertificate'));
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = raw(expectTag(fields[i++], TAG.INTEGER, 'serialNumber'));
  i++; // signature algorithm
  const issuer = raw(expectTag(fields[i++], TAG.SEQUENCE, 'issuer'));
  let ski: Uint8Array | null = null;
  for (const f of fields.slice(i)) {
    if (f.tag !== 0xa3) continue;
    const exts = children(f)[0];
    for (const ext of exts ? children(exts) : []) {
      const parts = children(ext);
      if (oidValue(parts[0]) !== OID.subjectKeyIdentifier) continue;
      const value = parts[parts.length - 1];
      if (value?.tag !== TAG.OCTET_STRING) continue;
      const inner = readRoot(content(value));
      ski = stringValue(expectTag(inner, TAG.OCTET_STRING, 'SubjectKeyIdentifier'));
    }
  }
  const info: CertInfo = { issuer, serial, ski };
  cache.set(cert.der, info);
  return info;
}

/** Byte equality (not secret data). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
