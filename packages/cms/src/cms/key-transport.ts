/**
 * RSA key transport for EnvelopedData (RFC 5652 KeyTransRecipientInfo).
 *
 * Receiving: Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809, the Marvin attack),
 * and its OAEP support ties the MGF1 hash to the OAEP hash. Both paddings are therefore removed
 * here on top of raw RSA (`privateDecrypt` with `RSA_NO_PADDING`, which OpenSSL computes with
 * blinding and constant-time modular exponentiation):
 *
 * - The expected key length is known before decryption (from the content-encryption algorithm),
 *   so the key is always the last `L` octets of the encoded message and every padding check looks
 *   at fixed positions. The checks are combined with branch-free integer arithmetic into one
 *   0/1 flag.
 * - Implicit rejection: a synthetic key of length `L` is always derived, as in the IRTF CFRG
 *   implicit-rejection draft: KDK = HMAC-SHA256(SHA-256(d), ciphertext), key = HMAC-SHA256-based
 *   expansion of KDK. The flag selects, without a branch, between the decoded key and the
 *   synthetic one. A bad padding therefore behaves exactly like a wrong key: the failure only
 *   surfaces when the content decryption fails, with the same generic error.
 *
 * Sending uses Node's `publicEncrypt` (PKCS#1 v1.5 or OAEP with MGF1 = OAEP hash).
 */
import { constants, createHash, createHmac, privateDecrypt, publicEncrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { DigestName } from './algorithms';
import { DIGEST_LENGTH } from './algorithms';

/** How the content-encryption key is wrapped. */
export type KeyTransportParams =
  | { readonly kind: 'pkcs1' }
  | { readonly kind: 'oaep'; readonly hash: DigestName; readonly mgf1Hash: DigestName; readonly label: Uint8Array };

const kdkSecrets = new WeakMap<KeyObject, Uint8Array>();

function modulusLength(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined || key.asymmetricKeyType !== 'rsa') throw new TypeError('an RSA key is required');
  return Math.ceil(bits / 8);
}

/** SHA-256 of the private exponent, the secret from which synthetic keys are derived (cached per key). */
function kdkSecret(key: KeyObject, k: number): Uint8Array {
  let secret = kdkSecrets.get(key);
  if (!secret) {
    const jwk = key.export({ format: 'jwk' });
    if (typeof jwk.d !== 'string') throw new TypeError('an RSA private key is required');
    const d = Buffer.from(jwk.d, 'base64url');
    const padded = Buffer.alloc(Math.max(k, d.length));
    padded.set(d, padded.length - d.length);
    secret = createHash('sha256').update(padded).digest();
    padded.fill(0);
    d.fill(0);
    kdkSecrets.set(key, secret);
  }
  return secret;
}

function syntheticKey(key: KeyObject, ciphertext: Uint8Array, length: number): Buffer {
  const kdk = createHmac('sha256', kdkSecret(key, ciphertext.length)).update(ciphertext).digest();
  const out = Buffer.alloc(length);
  for (let counter = 0, p = 0; p < length; counter++) {
    const block = createHmac('sha256', kdk)
      .update(Uint8Array.of(counter >>> 8, counter & 0xff))
      .update('samhandling implicit rejection key')
      .update(Uint8Array.of(length >>> 8, length & 0xff))
      .digest();
    block.copy(out, p);
    p += block.length;
  }
  return out;
}

/** 1 when `x` (0..255) is zero, else 0, without branching. */
const isZero = (x: number): number => ((x - 1) >>> 31) & 1;

function mgf1(hash: DigestName, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let i = 0, p = 0; p < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(counter).digest();
    p += block.copy(out, p);
  }
  return out;
}

/** Returns 1 when the PKCS#1 v1.5 type 2 encoding `em` carries a message of exactly `length` octets. */
function pkcs1Valid(em: Uint8Array, length: number): number {
  const k = em.length;
  const sep = k - length - 1;
  if (sep < 10) return 0; // public: modulus too small for this key length
  let good = isZero((em[0] as number)) & isZero((em[1] as number) ^ 0x02) & isZero((em[sep] as number));
  for (let i = 2; i < sep; i++) good &= 1 ^ isZero((em[i] as number));
  return good;
}

/** Decodes OAEP in place; returns 1 and leaves the message in the last `length` octets of the result when valid. */
function oaepDecode(em: Uint8Array, length: number, p: Extract<KeyTransportParams, { kind: 'oaep' }>): { valid: number; message: Uint8Array } {
  const k = em.length;
  const hLen = DIGEST_LENGTH[p.hash];
  const dbLen = k - hLen - 1;
  const one = dbLen - length - 1;
  if (one < hLen || k < 2 * hLen + 2) return { valid: 0, message: Buffer.alloc(length) };
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seedMask = mgf1(p.mgf1Hash, maskedDb, hLen);
  for (let i = 0; i < hLen; i++) seedMask[i] = (seedMask[i] as number) ^ (maskedSeed[i] as number);
  const db = mgf1(p.mgf1Hash, seedMask, dbLen);
  for (let i = 0; i < dbLen; i++) db[i] = (db[i] as number) ^ (maskedDb[i] as number);
  const lHash = createHash(p.hash).update(p.label).digest();
  let good = isZero((em[0] as number)) & isZero((db[one] as number) ^ 0x01);
  let diff = 0;
  for (let i = 0; i < hLen; i++) diff |= (db[i] as number) ^ (lHash[i] as number);
  good &= isZero(diff);
  for (let i = hLen; i < one; i++) good &= isZero((db[i] as number));
  return { valid: good, message: db.subarray(dbLen - length) };
}

/**
 * Unwraps a content-encryption key of exactly `keyLength` octets. Never throws for a bad padding:
 * returns a synthetic key instead (implicit rejection). Throws TypeError only for caller mistakes.
 */
export function unwrapKey(encryptedKey: Uint8Array, privateKey: KeyObject, params: KeyTransportParams, keyLength: number): Buffer {
  const k = modulusLength(privateKey);
  const c = Buffer.alloc(k);
  if (encryptedKey.length <= k) c.set(encryptedKey, k - encryptedKey.length);
  const synthetic = syntheticKey(privateKey, c, keyLength);
  let em: Uint8Array;
  let valid = encryptedKey.length <= k ? 1 : 0;
  try {
    em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, c);
  } catch {
    // c >= n: public information, handled like a bad padding.
    em = Buffer.alloc(k);
    valid = 0;
  }
  let message: Uint8Array;
  if (params.kind === 'pkcs1') {
    valid &= pkcs1Valid(em, keyLength);
    message = em.subarray(k - keyLength);
  } else {
    const decoded = oaepDecode(em, keyLength, params);
    valid &= decoded.valid;
    message = decoded.message;
  }
  const mask = -valid & 0xff;
  const out = Buffer.alloc(keyLength);
  for (let i = 0; i < keyLength; i++) out[i] = ((message[i] as number) & mask) | ((synthetic[i] as number) & ~mask & 0xff);
  em.fill(0);
  return out;
}

/** Wraps a content-encryption key for a recipient's RSA public key. */
export function wrapKey(key: Uint8Array, publicKey: KeyObject, params: KeyTransportParams): Buffer {
  if (params.kind === 'pkcs1') return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, key);
  if (params.hash !== params.mgf1Hash) throw new RangeError('sending OAEP requires the MGF1 hash to equal the OAEP hash');
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: params.hash, ...(params.label.length > 0 ? { oaepLabel: params.label } : {}) }, key);
}
