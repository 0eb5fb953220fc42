/**
 * PKCS#12 (RFC 7292) loading: password-integrity PFX with PBES2 (PBKDF2 + AES/3DES, what
 * `openssl pkcs12 -export` writes by default) and the legacy PKCS#12 PBE schemes
 * (pbeWithSHAAnd3-KeyTripleDES-CBC, 2-key 3DES, RC2 where the platform still has it).
 * Structures are read with pkijs; all cryptography is node:crypto.
 */
import { createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certificateFromDer } from '../cert/certificate';
import { decodeWhole, toArrayBuffer } from '../cert/der';
import { CertError } from '../cert/errors';
import type { Certificate, PrivateKey } from '../cert/types';
import { privateKeyFromKeyObject } from './load';

/** Largest PKCS#12 file accepted, in bytes. */
export const MAX_PKCS12_BYTES = 4 * 1024 * 1024;
/** Highest iteration count accepted for a KDF (guards against CPU exhaustion). */
export const MAX_PKCS12_ITERATIONS = 10_000_000;

/** Where the PKCS#12 password comes from. A file's single trailing newline is dropped. */
export type Pkcs12Password = { readonly env: string } | { readonly file: string } | { readonly value: string };

/** What a PKCS#12 file holds: the key, the certificate that matches it, and the other certificates. */
export interface Pkcs12Contents {
  readonly key: PrivateKey;
  readonly certificate: Certificate;
  /** Every other certificate in the file (typically the issuing chain), in file order. */
  readonly chain: readonly Certificate[];
}

const HASHES: Readonly<Record<string, { name: string; block: number }>> = {
  '1.3.14.3.2.26': { name: 'sha1', block: 64 },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', block: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', block: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', block: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', block: 128 },
};

const PRFS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const PBES2_CIPHERS: Readonly<Record<string, { name: string; keyLen: number }>> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLen: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLen: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLen: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLen: 24 },
};

const PKCS12_PBE: Readonly<Record<string, { name: string; keyLen: number; ivLen: number }>> = {
  '1.2.840.113549.1.12.1.3': { name: 'des-ede3-cbc', keyLen: 24, ivLen: 8 },
  '1.2.840.113549.1.12.1.4': { name: 'des-ede-cbc', keyLen: 16, ivLen: 8 },
  '1.2.840.113549.1.12.1.5': { name: 'rc2-cbc', keyLen: 16, ivLen: 8 },
  '1.2.840.113549.1.12.1.6': { name: 'rc2-40-cbc', keyLen: 5, ivLen: 8 },
};

const PBES2_OID = '1.2.840.113549.1.5.13';
const PBKDF2_OID = '1.2.840.113549.1.5.12';
const BAG_KEY = '1.2.840.113549.1.12.10.1.1';
const BAG_SHROUDED_KEY = '1.2.840.113549.1.12.10.1.2';
const BAG_CERT = '1.2.840.113549.1.12.10.1.3';

function malformed(detail: string, cause?: unknown): CertError {
  return new CertError('ERR_KEY_MALFORMED', `PKCS#12 is malformed: ${detail}`, { cause });
}
function unsupported(detail: string, cause?: unknown): CertError {
  return new CertError('ERR_KEY_UNSUPPORTED', `PKCS#12 uses an unsupported algorithm: ${detail}`, { cause });
}

/** Resolves a password source. */
export function resolvePassword(password: Pkcs12Password): string {
  if ('value' in password) return password.value;
  if ('env' in password) {
    const v = process.env[password.env];
    if (v === undefined) throw new CertError('ERR_KEY_PASSWORD', `Environment variable ${password.env} is not set`);
    return v;
  }
  if ('file' in password) {
    try {
      return readFileSync(password.file, 'utf8').replace(/\r?\n$/, '');
    } catch (cause) {
      throw new CertError('ERR_KEY_PASSWORD', 'Password file cannot be read', { cause });
    }
  }
  throw new TypeError('password must be { env }, { file } or { value }');
}

/** Bytes of an OCTET STRING, primitive or constructed (BER). */
function octets(value: unknown): Uint8Array {
  if (!(value instanceof asn1js.OctetString)) throw malformed('expected an OCTET STRING');
  if (!value.valueBlock.isConstructed) return value.valueBlock.valueHexView;
  const parts = (value.valueBlock.value as unknown[]).map((v) => octets(v));
  return new Uint8Array(Buffer.concat(parts));
}

/** BMPString of the password with the two-byte terminator (RFC 7292 B.1). */
function bmpPassword(password: string): Buffer {
  const le = Buffer.from(`${password}\u0000`, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) {
    const a = le[i] as number;
    le[i] = le[i + 1] as number;
    le[i + 1] = a;
  }
  return le;
}

/** PKCS#12 key derivation (RFC 7292 Appendix B.2). */
export function pkcs12Kdf(hash: string, blockSize: number, password: Buffer, salt: Uint8Array, id: number, iterations: number, n: number): Buffer {
  const v = blockSize;
  const fill = (src: Uint8Array): Buffer => {
    if (src.length === 0) return Buffer.alloc(0);
    const len = v * Math.ceil(src.length / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length] as number;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  let have = 0;
  while (have < n) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    out.push(A);
    have += A.length;
    if (have >= n) break;
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = A[i % A.length] as number;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (I[j + k] as number) + (B[k] as number) + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, n);
}

function checkIterations(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PKCS12_ITERATIONS) throw malformed('iteration count out of range');
  return n;
}

function decipher(name: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  let d;
  try {
    d = createDecipheriv(name, key, iv);
  } catch (cause) {
    throw unsupported(name, cause);
  }
  try {
    return Buffer.concat([d.update(data), d.final()]);
  } catch (cause) {
    throw new CertError('ERR_KEY_PASSWORD', undefined, { cause });
  }
}

/** Decrypts data protected by a password-based encryption algorithm identifier. */
function pbeDecrypt(alg: pkijs.AlgorithmIdentifier, data: Uint8Array, password: string): Buffer {
  const oid = alg.algorithmId;
  const legacy = PKCS12_PBE[oid];
  if (legacy !== undefined) {
    const seq = alg.algorithmParams as asn1js.Sequence | undefined;
    const items = seq?.valueBlock.value;
    const salt = items?.[0];
    const iter = items?.[1];
    if (!(salt instanceof asn1js.OctetString) || !(iter instanceof asn1js.Integer)) throw malformed('PBE parameters');
    const iterations = checkIterations(iter.valueBlock.valueDec);
    const pw = bmpPassword(password);
    const key = pkcs12Kdf('sha1', 64, pw, salt.valueBlock.valueHexView, 1, iterations, legacy.keyLen);
    const iv = pkcs12Kdf('sha1', 64, pw, salt.valueBlock.valueHexView, 2, iterations, legacy.ivLen);
    return decipher(legacy.name, key, iv, data);
  }
  if (oid !== PBES2_OID) throw unsupported(oid);
  let params: pkijs.PBES2Params;
  try {
    params = new pkijs.PBES2Params({ schema: alg.algorithmParams });
  } catch (cause) {
    throw malformed('PBES2 parameters', cause);
  }
  if (params.keyDerivationFunc.algorithmId !== PBKDF2_OID) throw unsupported(params.keyDerivationFunc.algorithmId);
  let kdf: pkijs.PBKDF2Params;
  try {
    kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
  } catch (cause) {
    throw malformed('PBKDF2 parameters', cause);
  }
  const cipher = PBES2_CIPHERS[params.encryptionScheme.algorithmId];
  if (cipher === undefined) throw unsupported(params.encryptionScheme.algorithmId);
  const prf = kdf.prf === undefined ? 'sha1' : PRFS[kdf.prf.algorithmId];
  if (prf === undefined) throw unsupported(kdf.prf?.algorithmId ?? 'prf');
  const iv = params.encryptionScheme.algorithmParams;
  if (!(iv instanceof asn1js.OctetString)) throw malformed('cipher IV');
  const salt: unknown = kdf.salt;
  if (!(salt instanceof asn1js.OctetString)) throw unsupported('PBKDF2 salt choice');
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt.valueBlock.valueHexView, checkIterations(kdf.iterationCount), kdf.keyLength ?? cipher.keyLen, prf);
  return decipher(cipher.name, key, iv.valueBlock.valueHexView, data);
}

function verifyMac(pfx: pkijs.PFX, authSafe: Uint8Array, password: string): void {
  const mac = pfx.macData;
  if (mac === undefined) return;
  const h = HASHES[mac.mac.digestAlgorithm.algorithmId];
  if (h === undefined) throw unsupported(`MAC ${mac.mac.digestAlgorithm.algorithmId}`);
  const iterations = checkIterations(mac.iterations ?? 1);
  const expected = mac.mac.digest.valueBlock.valueHexView;
  const outLen = createHash(h.name).digest().length;
  const key = pkcs12Kdf(h.name, h.block, bmpPassword(password), mac.macSalt.valueBlock.valueHexView, 3, iterations, outLen);
  const actual = createHmac(h.name, key).update(authSafe).digest();
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new CertError('ERR_KEY_PASSWORD', 'PKCS#12 integrity check failed (wrong password or damaged file)');
  }
}

function parseSafeContents(bytes: Uint8Array): pkijs.SafeContents {
  const asn = decodeWhole(bytes);
  if (asn === null) throw malformed('SafeContents');
  try {
    return new pkijs.SafeContents({ schema: asn });
  } catch (cause) {
    throw malformed('SafeContents', cause);
  }
}

/**
 * Loads a PKCS#12 (.p12/.pfx) file: verifies its MAC with the password, decrypts the key and
 * certificate bags, and pairs the key with its certificate by public key. Throws
 * ERR_KEY_PASSWORD (wrong/missing password), ERR_KEY_MALFORMED, ERR_KEY_UNSUPPORTED.
 */
export function loadPkcs12(der: Uint8Array, password: Pkcs12Password): Pkcs12Contents {
  if (!(der instanceof Uint8Array)) throw new TypeError('loadPkcs12 expects a Uint8Array');
  if (der.length > MAX_PKCS12_BYTES) throw malformed('too large');
  const pw = resolvePassword(password);
  const asn = decodeWhole(der);
  if (asn === null) throw malformed('not BER');
  let pfx: pkijs.PFX;
  try {
    pfx = new pkijs.PFX({ schema: asn });
  } catch (cause) {
    throw malformed('not a PFX', cause);
  }
  if (pfx.authSafe.contentType !== pkijs.ContentInfo.DATA) throw unsupported('public-key integrity mode');
  const authSafeBytes = octets(pfx.authSafe.content);
  verifyMac(pfx, authSafeBytes, pw);
  const authAsn = decodeWhole(authSafeBytes);
  if (authAsn === null) throw malformed('AuthenticatedSafe');
  let auth: pkijs.AuthenticatedSafe;
  try {
    auth = new pkijs.AuthenticatedSafe({ schema: authAsn });
  } catch (cause) {
    throw malformed('AuthenticatedSafe', cause);
  }
  const keys: PrivateKey[] = [];
  const certs: Certificate[] = [];
  for (const ci of auth.safeContents) {
    let safe: pkijs.SafeContents;
    if (ci.contentType === pkijs.ContentInfo.DATA) {
      safe = parseSafeContents(octets(ci.content));
    } else if (ci.contentType === pkijs.ContentInfo.ENCRYPTED_DATA) {
      let ed: pkijs.EncryptedData;
      try {
        ed = new pkijs.EncryptedData({ schema: ci.content });
      } catch (cause) {
        throw malformed('EncryptedData', cause);
      }
      const eci = ed.encryptedContentInfo;
      if (eci.encryptedContent === undefined) throw malformed('EncryptedData without content');
      let content: Uint8Array;
      try {
        content = new Uint8Array(eci.getEncryptedContent());
      } catch (cause) {
        throw malformed('EncryptedData content', cause);
      }
      safe = parseSafeContents(pbeDecrypt(eci.contentEncryptionAlgorithm, content, pw));
    } else {
      throw unsupported(`content type ${ci.contentType}`);
    }
    for (const bag of safe.safeBags) {
      if (bag.bagId === BAG_CERT) {
        const cb = bag.bagValue as pkijs.CertBag;
        if (cb.certId !== '1.2.840.113549.1.9.22.1') continue;
        certs.push(certificateFromDer(octets(cb.certValue)));
      } else if (bag.bagId === BAG_SHROUDED_KEY) {
        const kb = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        const plain = pbeDecrypt(kb.encryptionAlgorithm, octets(kb.encryptedData), pw);
        try {
          keys.push(privateKeyFromKeyObject(createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' })));
        } catch (cause) {
          throw new CertError('ERR_KEY_PASSWORD', undefined, { cause });
        }
      } else if (bag.bagId === BAG_KEY) {
        const pki = bag.bagValue as pkijs.PrivateKeyInfo;
        const plain = new Uint8Array(pki.toSchema().toBER(false));
        try {
          keys.push(privateKeyFromKeyObject(createPrivateKey({ key: Buffer.from(toArrayBuffer(plain)), format: 'der', type: 'pkcs8' })));
        } catch (cause) {
          throw malformed('key bag', cause);
        }
      }
    }
  }
  const key = keys[0];
  if (key === undefined) throw malformed('no private key');
  const spki = createPublicKey(key.keyObject).export({ type: 'spki', format: 'der' });
  const idx = certs.findIndex((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(spki));
  const certificate = certs[idx];
  if (certificate === undefined) throw malformed('no certificate matches the private key');
  return Object.freeze({ key, certificate, chain: Object.freeze(certs.filter((_, i) => i !== idx)) });
}
