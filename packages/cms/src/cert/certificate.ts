/**
 * Internal: X.509 parsing into the public {@link Certificate} plain object, with the parsed pkijs
 * structure and the details chain validation needs kept in a WeakMap behind it.
 */
import { createHash, createPublicKey } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeWhole, integerHex, toHex } from './der';
import { CertError } from './errors';
import { nameAttribute, nameKey, nameToString } from './names';
import { KEY_USAGE_BITS, type Certificate, type KeyUsage } from './types';

/** Largest certificate accepted, in bytes. */
export const MAX_CERTIFICATE_BYTES = 256 * 1024;

/** What the library keeps privately for each parsed certificate. */
export interface CertificateInternals {
  readonly pkijs: pkijs.Certificate;
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
  readonly subjectKey: string;
  readonly issuerKey: string;
  /** basicConstraints pathLenConstraint, or null. */
  readonly pathLenConstraint: number | null;
  /** URIs from the CRL distribution points extension. */
  readonly crlDistributionPoints: readonly string[];
  readonly subjectKeyIdentifier: string | null;
  readonly authorityKeyIdentifier: string | null;
  /** OIDs of critical extensions this library does not understand. */
  readonly unknownCriticalExtensions: readonly string[];
}

const internals = new WeakMap<Certificate, CertificateInternals>();

/** Returns the private details of a certificate created by this library. */
export function certificateInternals(cert: Certificate): CertificateInternals {
  const i = internals.get(cert);
  if (i === undefined) throw new TypeError('Not a certificate created by parseCertificate');
  return i;
}

/** Returns the pkijs structure behind a certificate (for CMS code inside this package). */
export function toPkijsCertificate(cert: Certificate): pkijs.Certificate {
  return certificateInternals(cert).pkijs;
}

const KNOWN_EXTENSIONS = new Set([
  '2.5.29.15', // keyUsage
  '2.5.29.19', // basicConstraints
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.37', // extKeyUsage
  '2.5.29.32', // certificatePolicies
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
  '1.3.6.1.5.5.7.1.3', // qcStatements
]);

const ORGNR_RE = /^\d{9}$/;
const NTRNO_RE = /^NTRNO-(\d{9})$/;

function bitIsSet(bytes: Uint8Array, bit: number): boolean {
  const byte = bytes[bit >> 3];
  return byte !== undefined && ((byte >> (7 - (bit & 7))) & 1) === 1;
}

function malformed(detail: string, cause?: unknown): CertError {
  return new CertError('ERR_CERT_MALFORMED', `Certificate is malformed: ${detail}`, { cause });
}

/** Parses one DER certificate. Throws ERR_CERT_MALFORMED. */
export function certificateFromDer(input: Uint8Array): Certificate {
  if (input.length > MAX_CERTIFICATE_BYTES) throw malformed('too large');
  const der = new Uint8Array(input); // own copy
  const asn = decodeWhole(der);
  if (asn === null || !(asn instanceof asn1js.Sequence)) throw malformed('not a DER SEQUENCE');
  let cert: pkijs.Certificate;
  try {
    cert = new pkijs.Certificate({ schema: asn });
  } catch (cause) {
    throw malformed('not an X.509 certificate', cause);
  }
  try {
    return build(der, cert);
  } catch (cause) {
    if (cause instanceof CertError) throw cause;
    throw malformed('unreadable field', cause);
  }
}

function build(der: Uint8Array, cert: pkijs.Certificate): Certificate {
  if (cert.signature.algorithmId !== cert.signatureAlgorithm.algorithmId) {
    throw malformed('signature algorithm differs from the TBS signature field');
  }
  let keyUsage: KeyUsage[] | null = null;
  let isCA = false;
  let pathLen: number | null = null;
  const crlDps: string[] = [];
  let ski: string | null = null;
  let aki: string | null = null;
  const unknownCritical: string[] = [];
  const seen = new Set<string>();
  for (const ext of cert.extensions ?? []) {
    if (seen.has(ext.extnID)) throw malformed(`duplicate extension ${ext.extnID}`);
    seen.add(ext.extnID);
    if (ext.critical && !KNOWN_EXTENSIONS.has(ext.extnID)) unknownCritical.push(ext.extnID);
    const parsed: unknown = ext.parsedValue;
    switch (ext.extnID) {
      case '2.5.29.15': {
        if (!(parsed instanceof asn1js.BitString)) throw malformed('keyUsage');
        const bits = parsed.valueBlock.valueHexView;
        keyUsage = KEY_USAGE_BITS.filter((_, i) => bitIsSet(bits, i));
        break;
      }
      case '2.5.29.19': {
        if (!(parsed instanceof pkijs.BasicConstraints)) throw malformed('basicConstraints');
        isCA = parsed.cA === true;
        const pl: unknown = parsed.pathLenConstraint;
        if (typeof pl === 'number') pathLen = pl;
        else if (pl instanceof asn1js.Integer) pathLen = pl.valueBlock.valueDec;
        break;
      }
      case '2.5.29.14':
        if (parsed instanceof asn1js.OctetString) ski = toHex(parsed.valueBlock.valueHexView);
        break;
      case '2.5.29.35':
        if (parsed instanceof pkijs.AuthorityKeyIdentifier && parsed.keyIdentifier !== undefined) {
          aki = toHex(parsed.keyIdentifier.valueBlock.valueHexView);
        }
        break;
      case '2.5.29.31':
        if (parsed instanceof pkijs.CRLDistributionPoints) {
          for (const dp of parsed.distributionPoints) {
            const names = dp.distributionPoint;
            if (!Array.isArray(names)) continue;
            for (const gn of names) {
              if (gn.type === 6 && typeof gn.value === 'string') crlDps.push(gn.value);
            }
          }
        }
        break;
      default:
        break;
    }
  }
  const subject = nameToString(cert.subject);
  const orgFromSerial = nameAttribute(cert.subject, '2.5.4.5');
  const orgIdentifier = nameAttribute(cert.subject, '2.5.4.97');
  let organisationNumber: string | null = null;
  if (orgFromSerial !== null && ORGNR_RE.test(orgFromSerial.trim())) organisationNumber = orgFromSerial.trim();
  else if (orgIdentifier !== null) organisationNumber = NTRNO_RE.exec(orgIdentifier.trim())?.[1] ?? null;

  const spki = new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false));
  let publicKey;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (cause) {
    throw malformed('unreadable public key', cause);
  }
  const result: Certificate = Object.freeze({
    der,
    subject,
    issuer: nameToString(cert.issuer),
    serialNumberHex: integerHex(cert.serialNumber.valueBlock.valueHexView),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    keyUsage: keyUsage === null ? null : Object.freeze(keyUsage),
    isCA,
    organisationNumber,
    publicKey,
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
  });
  internals.set(result, {
    pkijs: cert,
    tbs: new Uint8Array(cert.tbsView),
    signature: new Uint8Array(cert.signatureValue.valueBlock.valueHexView),
    subjectKey: nameKey(cert.subject),
    issuerKey: nameKey(cert.issuer),
    pathLenConstraint: pathLen,
    crlDistributionPoints: Object.freeze(crlDps),
    subjectKeyIdentifier: ski,
    authorityKeyIdentifier: aki,
    unknownCriticalExtensions: Object.freeze(unknownCritical),
  });
  return result;
}
