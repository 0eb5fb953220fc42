/**
 * EnvelopedData (RFC 5652 §6) with RSA key transport: `encrypt` and `decrypt`.
 *
 * ```
 * EnvelopedData ::= SEQUENCE { version, originatorInfo [0] IMPLICIT OPTIONAL, recipientInfos SET OF RecipientInfo,
 *   encryptedContentInfo SEQUENCE { contentType, contentEncryptionAlgorithm, encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL },
 *   unprotectedAttrs [1] IMPLICIT OPTIONAL }
 * KeyTransRecipientInfo ::= SEQUENCE { version, rid RecipientIdentifier, keyEncryptionAlgorithm, encryptedKey OCTET STRING }
 * ```
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Certificate } from '../cert/types';
import type { CipherSpec, ContentEncryptionName, DigestName, KeyTransportName } from './algorithms';
import { CIPHER_BY_NAME, CIPHER_BY_OID, DIGEST_BY_OID, DIGEST_OID, OID } from './algorithms';
import { certInfo, sameBytes } from './cert-info';
import type { BerNode, Der } from './der';
import { children, content, derRaw, expectTag, header, int, nullDer, octets, oid, oidValue, raw, readRoot, seq, set, smallInt, stringValue, TAG, tlv } from './der';
import { CmsError } from './errors';
import type { KeyTransportParams } from './key-transport';
import { unwrapKey, wrapKey } from './key-transport';
import { CMS_MAX_INPUT_BYTES, CMS_MAX_RECIPIENTS } from './limits';
import type { CmsAlgorithmPolicy, KeyPair, SendContentEncryption, SendKeyTransport } from './types';
import { keyObjectOf } from './types';

/** Options of {@link encrypt}. */
export interface EncryptOptions {
  /** Recipient encryption certificate(s); each gets a KeyTransRecipientInfo with IssuerAndSerialNumber. */
  readonly recipients: readonly Certificate[];
  /** Key transport, default `rsa-pkcs1` (what every national counterparty accepts). */
  readonly keyTransport?: SendKeyTransport;
  /** Content encryption, default `aes-256-cbc`. */
  readonly contentEncryption?: SendContentEncryption;
  /** Content type OID of the encrypted content, default id-data. */
  readonly contentType?: string;
}

/** Options of {@link decrypt}. */
export interface DecryptOptions {
  /** Decryption keys (several during certificate rollover); the one named by a RecipientInfo is used. */
  readonly decryptionKeys: readonly KeyPair[];
  /** Algorithm policy (legacy ciphers off by default). */
  readonly policy?: CmsAlgorithmPolicy;
  /** Input size limit in bytes, at most {@link CMS_MAX_INPUT_BYTES}. */
  readonly maxBytes?: number;
}

/** Result of {@link decrypt}. */
export interface DecryptResult {
  /** The decrypted content (a view into a buffer owned by the caller now). */
  readonly content: Uint8Array;
  /** Content type OID of the decrypted content. */
  readonly contentType: string;
  /** The certificate of the decryption key that was used. */
  readonly recipient: Certificate;
  readonly algorithms: { readonly keyTransport: KeyTransportName; readonly contentEncryption: ContentEncryptionName };
}

const SLICE = 64 * 1024;

function algId(oidText: string, params?: Der): Der {
  return params ? seq(oid(oidText), params) : seq(oid(oidText));
}

function keyTransportParams(name: SendKeyTransport): { params: KeyTransportParams; algorithm: Der } {
  if (name === 'rsa-pkcs1') return { params: { kind: 'pkcs1' }, algorithm: algId(OID.rsaEncryption, nullDer) };
  const hash = name.slice('rsa-oaep-'.length) as DigestName;
  const params: KeyTransportParams = { kind: 'oaep', hash, mgf1Hash: hash, label: new Uint8Array(0) };
  // RSAES-OAEP-params: defaults (SHA-1) are omitted as DER requires.
  if (hash === 'sha1') return { params, algorithm: algId(OID.rsaOaep, seq()) };
  const hashAlg = algId(DIGEST_OID[hash], nullDer);
  return { params, algorithm: algId(OID.rsaOaep, seq(tlv(0xa0, hashAlg), tlv(0xa1, algId(OID.mgf1, hashAlg)))) };
}

/** Builds the KeyTransRecipientInfo list and the content-encryption algorithm for `plainLength` octets. */
function envelopeParts(options: EncryptOptions): { cipher: CipherSpec; key: Buffer; iv: Buffer; recipientInfos: Der; cipherAlg: Der } {
  const cipher = CIPHER_BY_NAME.get(options.contentEncryption ?? 'aes-256-cbc');
  if (!cipher || cipher.legacy) throw new RangeError(`unsupported content encryption: ${String(options.contentEncryption)}`);
  if (options.recipients.length === 0) throw new TypeError('at least one recipient certificate is required');
  const { params, algorithm } = keyTransportParams(options.keyTransport ?? 'rsa-pkcs1');
  const key = randomBytes(cipher.keyLength);
  const iv = randomBytes(cipher.ivLength);
  const infos = options.recipients.map((cert) => {
    if (cert.publicKey.asymmetricKeyType !== 'rsa') {
      throw new CmsError('ERR_CMS_UNSUPPORTED_ALGORITHM', 'the recipient certificate does not hold an RSA key');
    }
    const info = certInfo(cert);
    return seq(int(0), seq(derRaw(info.issuer), derRaw(info.serial)), algorithm, octets(wrapKey(key, cert.publicKey, params)));
  });
  return { cipher, key, iv, recipientInfos: set(...infos), cipherAlg: algId(cipher.oid, octets(iv)) };
}

/**
 * Encrypts `plaintext` (given as DER chunks so a SignedData need not be copied first) into a
 * ContentInfo(EnvelopedData), writing the ciphertext straight into the output buffer.
 * @internal
 */
export function encryptChunks(plaintext: Der, options: EncryptOptions): Uint8Array {
  const { cipher, key, iv, recipientInfos, cipherAlg } = envelopeParts(options);
  const ctLength = (Math.floor(plaintext.length / 16) + 1) * 16;
  const placeholder: Der = { length: ctLength, chunks: [] };
  const eci = seq(oid(options.contentType ?? OID.data), cipherAlg, header(0x80, ctLength), placeholder);
  const whole = seq(oid(OID.envelopedData), tlv(0xa0, seq(int(0), recipientInfos, eci)));
  const out = Buffer.allocUnsafe(whole.length);
  let p = 0;
  for (const c of whole.chunks) {
    out.set(c, p);
    p += c.length;
  }
  const enc = createCipheriv(cipher.name, key, iv);
  for (const chunk of plaintext.chunks) {
    for (let i = 0; i < chunk.length; i += SLICE) p += enc.update(chunk.subarray(i, i + SLICE)).copy(out, p);
  }
  p += enc.final().copy(out, p);
  key.fill(0);
  if (p !== out.length) throw new Error('internal: ciphertext length mismatch');
  return out;
}

/**
 * Encrypts `content` for the recipients: a DER ContentInfo with EnvelopedData (default
 * AES-256-CBC, RSAES-PKCS1-v1_5 key transport, recipients by IssuerAndSerialNumber).
 */
export function encrypt(content: Uint8Array, options: EncryptOptions): Uint8Array {
  if (!(content instanceof Uint8Array)) throw new TypeError('content must be a Uint8Array');
  return encryptChunks(derRaw(content), options);
}

function fail(code: 'ERR_CMS_MALFORMED' | 'ERR_CMS_UNSUPPORTED_ALGORITHM' | 'ERR_CMS_UNEXPECTED_CONTENT_TYPE', message: string): never {
  throw new CmsError(code, message);
}

/**
 * Checks size and reads ContentInfo, returning the content of the expected type. With
 * `allowBare`, a bare content structure (a SEQUENCE starting with its version INTEGER, as some
 * senders encrypt under content type id-signedData) is accepted too. @internal
 */
export function readContentInfo(der: Uint8Array, expected: string, maxBytes = CMS_MAX_INPUT_BYTES, allowBare = false): BerNode {
  if (!(der instanceof Uint8Array)) throw new TypeError('CMS input must be a Uint8Array');
  if (maxBytes > CMS_MAX_INPUT_BYTES || maxBytes <= 0) throw new RangeError(`maxBytes must be between 1 and ${CMS_MAX_INPUT_BYTES}`);
  if (der.length > maxBytes) throw new CmsError('ERR_CMS_TOO_LARGE', `CMS input larger than ${maxBytes} bytes`);
  const root = expectTag(readRoot(der), TAG.SEQUENCE, 'ContentInfo');
  const [type, body] = children(root);
  if (allowBare && type?.tag === TAG.INTEGER) return root;
  const typeOid = oidValue(type);
  if (typeOid !== expected) fail('ERR_CMS_UNEXPECTED_CONTENT_TYPE', `unexpected CMS content type ${typeOid}`);
  const inner = children(expectTag(body, 0xa0, '[0] content'))[0];
  return expectTag(inner, TAG.SEQUENCE, 'content');
}

function readKeyTransport(alg: BerNode | undefined): { params: KeyTransportParams; name: KeyTransportName } {
  const [algOid, paramsNode] = children(expectTag(alg, TAG.SEQUENCE, 'keyEncryptionAlgorithm'));
  const id = oidValue(algOid);
  if (id === OID.rsaEncryption) return { params: { kind: 'pkcs1' }, name: 'rsa-pkcs1' };
  if (id !== OID.rsaOaep) fail('ERR_CMS_UNSUPPORTED_ALGORITHM', `unsupported key transport ${id}`);
  let hash: DigestName = 'sha1';
  let mgf1Hash: DigestName = 'sha1';
  let label: Uint8Array = new Uint8Array(0);
  const digestOf = (n: BerNode | undefined): DigestName => {
    const d = DIGEST_BY_OID[oidValue(children(expectTag(n, TAG.SEQUENCE, 'hash algorithm'))[0])];
    if (!d) fail('ERR_CMS_UNSUPPORTED_ALGORITHM', 'unsupported OAEP hash');
    return d;
  };
  if (paramsNode && paramsNode.tag !== TAG.NULL) {
    for (const field of children(expectTag(paramsNode, TAG.SEQUENCE, 'RSAES-OAEP-params'))) {
      const inner = children(field)[0];
      if (field.tag === 0xa0) hash = digestOf(inner);
      else if (field.tag === 0xa1) {
        const [mgfOid, mgfParams] = children(expectTag(inner, TAG.SEQUENCE, 'maskGenAlgorithm'));
        if (oidValue(mgfOid) !== OID.mgf1) fail('ERR_CMS_UNSUPPORTED_ALGORITHM', 'unsupported mask generation function');
        mgf1Hash = digestOf(mgfParams);
      } else if (field.tag === 0xa2) {
        const [srcOid, srcValue] = children(expectTag(inner, TAG.SEQUENCE, 'pSourceAlgorithm'));
        if (oidValue(srcOid) !== OID.pSpecified) fail('ERR_CMS_UNSUPPORTED_ALGORITHM', 'unsupported OAEP label source');
        label = stringValue(expectTag(srcValue, TAG.OCTET_STRING, 'OAEP label'));
      } else fail('ERR_CMS_MALFORMED', 'bad RSAES-OAEP-params');
    }
  }
  return { params: { kind: 'oaep', hash, mgf1Hash, label }, name: `rsa-oaep-${hash}-mgf1-${mgf1Hash}` };
}

/** Does RecipientIdentifier `rid` name `cert`? */
function ridMatches(rid: BerNode, version: number, cert: Certificate): boolean {
  const info = certInfo(cert);
  if (rid.tag === TAG.SEQUENCE && version === 0) {
    const [issuer, serial] = children(rid);
    return !!issuer && !!serial && sameBytes(raw(issuer), info.issuer) && sameBytes(raw(serial), info.serial);
  }
  if (rid.tag === 0x80 && info.ski) return sameBytes(content(rid), info.ski);
  return false;
}

/**
 * Decrypts a DER/BER ContentInfo(EnvelopedData). The key is chosen by the RecipientInfo
 * identifiers; PKCS#1 v1.5 and OAEP (any SHA-1/256/384/512 and MGF1 combination) key transport;
 * AES-CBC content encryption (DES/3DES only with `policy.allowLegacyCiphers`).
 * Throws {@link CmsError}; every decryption failure is the same generic ERR_CMS_DECRYPT_FAILED.
 */
export function decrypt(der: Uint8Array, options: DecryptOptions): DecryptResult {
  if (!options || !Array.isArray(options.decryptionKeys) || options.decryptionKeys.length === 0) {
    throw new TypeError('decryptionKeys must list at least one { certificate, key }');
  }
  const env = readContentInfo(der, OID.envelopedData, options.maxBytes);
  const fields = children(env);
  smallInt(fields[0]);
  let i = 1;
  if (fields[i]?.tag === 0xa0) i++; // originatorInfo
  const recipientInfos = children(expectTag(fields[i++], TAG.SET, 'recipientInfos'));
  const [ctNode, algNode, encNode] = children(expectTag(fields[i], TAG.SEQUENCE, 'EncryptedContentInfo'));
  const contentType = oidValue(ctNode);
  const [cipherOid, ivNode] = children(expectTag(algNode, TAG.SEQUENCE, 'contentEncryptionAlgorithm'));
  const cipherId = oidValue(cipherOid);
  const cipher = CIPHER_BY_OID.get(cipherId);
  if (!cipher) fail('ERR_CMS_UNSUPPORTED_ALGORITHM', `unsupported content encryption ${cipherId}`);
  if (cipher.legacy && options.policy?.allowLegacyCiphers !== true) {
    throw new CmsError('ERR_CMS_LEGACY_ALGORITHM_REFUSED', `legacy content encryption ${cipher.name} refused by policy`);
  }
  const iv = stringValue(expectTag(ivNode, TAG.OCTET_STRING, 'IV'));
  if (iv.length !== cipher.ivLength) fail('ERR_CMS_MALFORMED', 'bad IV length');
  if (encNode === undefined || (encNode.tag & 0xdf) !== 0x80) fail('ERR_CMS_MALFORMED', 'encryptedContent missing');
  let dec: ReturnType<typeof createDecipheriv>;
  try {
    // Probe with a zero key: single DES needs OpenSSL's legacy provider, which may be absent.
    dec = createDecipheriv(cipher.name, Buffer.alloc(cipher.keyLength), iv);
  } catch (cause) {
    throw new CmsError('ERR_CMS_UNSUPPORTED_ALGORITHM', `content encryption ${cipher.name} is not available in this runtime`, { cause });
  }
  if (recipientInfos.length > CMS_MAX_RECIPIENTS) fail('ERR_CMS_MALFORMED', 'too many recipients');

  let chosen: { pair: KeyPair; info: BerNode[] } | undefined;
  for (const ri of recipientInfos) {
    if (ri.tag !== TAG.SEQUENCE) continue; // kari, kekri, pwri, ori: not ours
    const info = children(ri);
    const version = smallInt(info[0]);
    const rid = info[1];
    if (!rid) fail('ERR_CMS_MALFORMED', 'bad KeyTransRecipientInfo');
    const pair = options.decryptionKeys.find((k) => ridMatches(rid, version, k.certificate));
    if (pair) {
      chosen = { pair, info };
      break;
    }
  }
  if (!chosen) throw new CmsError('ERR_CMS_NO_MATCHING_KEY', 'no decryption key matches a recipient of the message');
  const { params, name: keyTransport } = readKeyTransport(chosen.info[2]);
  const encryptedKey = stringValue(expectTag(chosen.info[3], TAG.OCTET_STRING, 'encryptedKey'));
  const ciphertext = stringValue(encNode);
  if (ciphertext.length === 0 || ciphertext.length % cipher.ivLength !== 0) {
    throw new CmsError('ERR_CMS_DECRYPT_FAILED', 'decryption failed', { cause: new Error('ciphertext length is not a multiple of the block size') });
  }
  const key = unwrapKey(encryptedKey, keyObjectOf(chosen.pair.key), params, cipher.keyLength);
  const plain = Buffer.allocUnsafe(ciphertext.length);
  let p = 0;
  try {
    dec = createDecipheriv(cipher.name, key, iv);
    for (let j = 0; j < ciphertext.length; j += SLICE) p += dec.update(ciphertext.subarray(j, j + SLICE)).copy(plain, p);
    p += dec.final().copy(plain, p);
  } catch (cause) {
    plain.fill(0);
    throw new CmsError('ERR_CMS_DECRYPT_FAILED', 'decryption failed', { cause });
  } finally {
    key.fill(0);
  }
  return {
    content: plain.subarray(0, p),
    contentType,
    recipient: chosen.pair.certificate,
    algorithms: { keyTransport, contentEncryption: cipher.name },
  };
}
