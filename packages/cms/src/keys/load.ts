/** Loading certificates and private keys from PEM and DER. */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { certificateFromDer } from '../cert/certificate';
import { asText, decodeWhole, looksLikePem, pemBlocks } from '../cert/der';
import { CertError } from '../cert/errors';
import type { Certificate, PrivateKey } from '../cert/types';

/** Largest PEM bundle or key file accepted, in bytes. */
export const MAX_PEM_BYTES = 4 * 1024 * 1024;

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/**
 * Parses one X.509 certificate from PEM (the first CERTIFICATE block) or DER.
 * Throws `CertError` ERR_CERT_MALFORMED for anything else.
 */
export function parseCertificate(pemOrDer: string | Uint8Array): Certificate {
  if (typeof pemOrDer !== 'string' && !(pemOrDer instanceof Uint8Array)) {
    throw new TypeError('parseCertificate expects a string or Uint8Array');
  }
  if (looksLikePem(pemOrDer)) {
    const first = parseCertificates(pemOrDer)[0];
    if (first === undefined) throw new CertError('ERR_CERT_MALFORMED', 'No CERTIFICATE block in PEM');
    return first;
  }
  if (typeof pemOrDer === 'string') throw new CertError('ERR_CERT_MALFORMED', 'Text input without a PEM block');
  return certificateFromDer(pemOrDer);
}

/**
 * Parses every CERTIFICATE block of a PEM bundle (order kept); DER input yields one certificate.
 * An input without any certificate throws ERR_CERT_MALFORMED.
 */
export function parseCertificates(pemBundle: string | Uint8Array): Certificate[] {
  if (typeof pemBundle !== 'string' && !(pemBundle instanceof Uint8Array)) {
    throw new TypeError('parseCertificates expects a string or Uint8Array');
  }
  if (pemBundle.length > MAX_PEM_BYTES) throw new CertError('ERR_CERT_MALFORMED', 'Certificate input too large');
  if (!looksLikePem(pemBundle)) {
    if (typeof pemBundle === 'string') throw new CertError('ERR_CERT_MALFORMED', 'Text input without a PEM block');
    return [certificateFromDer(pemBundle)];
  }
  const certs = pemBlocks(asText(pemBundle))
    .filter((b) => CERT_LABELS.has(b.label))
    .map((b) => certificateFromDer(b.der));
  if (certs.length === 0) throw new CertError('ERR_CERT_MALFORMED', 'No CERTIFICATE block in PEM');
  return certs;
}

/** Options for {@link loadPrivateKey}. */
export interface LoadPrivateKeyOptions {
  /** Passphrase of an encrypted key (encrypted PKCS#8, or legacy encrypted PKCS#1 PEM). */
  readonly passphrase?: string;
}

/** Wraps a node KeyObject as a {@link PrivateKey}. */
export function privateKeyFromKeyObject(keyObject: KeyObject): PrivateKey {
  if (keyObject.type !== 'private') throw new TypeError('Not a private key');
  const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
  return Object.freeze({ keyObject, modulusBits: keyObject.asymmetricKeyType === 'rsa' || keyObject.asymmetricKeyType === 'rsa-pss' ? bits : 0 });
}

function isPasswordFailure(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  const text = `${String(e.code)} ${String(e.message)}`.toLowerCase();
  return text.includes('passphrase') || text.includes('bad decrypt') || text.includes('decrypt');
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY']);

/** True for DER shaped like EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING }. */
function looksEncryptedPkcs8(der: Uint8Array): boolean {
  const asn = decodeWhole(der) as { valueBlock?: { value?: { idBlock: { tagNumber: number } }[] } } | null;
  const items = asn?.valueBlock?.value;
  return Array.isArray(items) && items.length === 2 && items[0]?.idBlock.tagNumber === 16 && items[1]?.idBlock.tagNumber === 4;
}

/**
 * Loads a private key from PEM (PKCS#8, encrypted PKCS#8, PKCS#1 `RSA PRIVATE KEY`, SEC1) or DER
 * (PKCS#8, encrypted PKCS#8 with `passphrase`, PKCS#1). Throws ERR_KEY_MALFORMED, or
 * ERR_KEY_PASSWORD when an encrypted key has no or a wrong passphrase.
 */
export function loadPrivateKey(pemOrDer: string | Uint8Array, opts: LoadPrivateKeyOptions = {}): PrivateKey {
  if (typeof pemOrDer !== 'string' && !(pemOrDer instanceof Uint8Array)) {
    throw new TypeError('loadPrivateKey expects a string or Uint8Array');
  }
  if (pemOrDer.length > MAX_PEM_BYTES) throw new CertError('ERR_KEY_MALFORMED', 'Key input too large');
  const passphrase = opts.passphrase;
  if (looksLikePem(pemOrDer)) {
    const text = asText(pemOrDer);
    const block = pemBlocks(text).find((b) => KEY_LABELS.has(b.label));
    if (block === undefined) throw new CertError('ERR_KEY_MALFORMED', 'No private key block in PEM');
    const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || block.headers.some((h) => /ENCRYPTED/i.test(h));
    if (encrypted && passphrase === undefined) throw new CertError('ERR_KEY_PASSWORD', 'The private key is encrypted and no passphrase was given');
    try {
      const pem = text.slice(text.indexOf(`-----BEGIN ${block.label}-----`));
      const end = `-----END ${block.label}-----`;
      const one = pem.slice(0, pem.indexOf(end) + end.length);
      return privateKeyFromKeyObject(createPrivateKey(passphrase === undefined ? one : { key: one, format: 'pem', passphrase }));
    } catch (cause) {
      if (encrypted && isPasswordFailure(cause)) throw new CertError('ERR_KEY_PASSWORD', undefined, { cause });
      throw new CertError('ERR_KEY_MALFORMED', undefined, { cause });
    }
  }
  if (typeof pemOrDer === 'string') throw new CertError('ERR_KEY_MALFORMED', 'Text input without a PEM block');
  const der = Buffer.from(pemOrDer);
  if (looksEncryptedPkcs8(der)) {
    if (passphrase === undefined) throw new CertError('ERR_KEY_PASSWORD', 'The private key is encrypted and no passphrase was given');
    try {
      return privateKeyFromKeyObject(createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase }));
    } catch (cause) {
      throw new CertError('ERR_KEY_PASSWORD', undefined, { cause });
    }
  }
  let last: unknown;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return privateKeyFromKeyObject(createPrivateKey({ key: der, format: 'der', type }));
    } catch (cause) {
      last = cause;
    }
  }
  throw new CertError('ERR_KEY_MALFORMED', undefined, { cause: last });
}
