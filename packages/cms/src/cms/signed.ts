/**
 * SignedData (RFC 5652 §5) with RSA signatures: creation and cryptographic verification.
 *
 * ```
 * SignedData ::= SEQUENCE { version, digestAlgorithms SET OF AlgorithmIdentifier,
 *   encapContentInfo SEQUENCE { eContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL },
 *   certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET OF SignerInfo }
 * SignerInfo ::= SEQUENCE { version, sid SignerIdentifier, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
 *   signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
 * ```
 */
import { constants, createHash, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import type { KeyObject, SignKeyObjectInput } from 'node:crypto';
import type { Certificate } from '../cert/types';
import type { DigestName, SignatureName } from './algorithms';
import { DIGEST_BY_OID, DIGEST_LENGTH, DIGEST_OID, OID, RSA_SIG_DIGEST, RSA_SIG_OID } from './algorithms';
import { certInfo, sameBytes } from './cert-info';
import { parseCertificateCached } from './cert-cache';
import type { BerNode, Der } from './der';
import { children, content, derRaw, expectTag, int, nullDer, octets, oid, oidValue, raw, seq, set, setOf, smallInt, stringValue, TAG, time, timeValue, tlv, toBytes } from './der';
import { readContentInfo } from './envelope';
import { CmsError } from './errors';
import { CMS_MAX_CERTIFICATES } from './limits';
import type { CmsAlgorithmPolicy, CmsPrivateKey, SendDigest, SendSignature } from './types';
import { keyObjectOf } from './types';

/** Options of {@link sign}. */
export interface SignOptions {
  /** The signer's signing certificate (included in the SignedData). */
  readonly certificate: Certificate;
  /** The signer's private key. */
  readonly key: CmsPrivateKey;
  /** Further certificates to include (intermediates), optional. */
  readonly chain?: readonly Certificate[];
  /** Digest, default sha256. */
  readonly digest?: SendDigest;
  /** Signature scheme, default `rsa-pkcs1` (RSASSA-PKCS1-v1_5); `rsa-pss` uses MGF1 with the same hash and salt = hash length. */
  readonly signature?: SendSignature;
  /** Clock for the signingTime attribute; default the system clock. */
  readonly clock?: () => Date;
  /** eContentType OID, default id-data. */
  readonly contentType?: string;
}

/** What the cryptographic check of a SignedData found. @internal */
export interface SignedDataContents {
  readonly content: Uint8Array;
  readonly contentType: string;
  readonly signer: Certificate;
  readonly certificates: readonly Certificate[];
  readonly signingTime: Date | null;
  readonly digest: DigestName;
  readonly signature: SignatureName;
}

function digestAlgId(d: DigestName): Der {
  return seq(oid(DIGEST_OID[d]));
}

function pssAlgId(d: DigestName): Der {
  const hashAlg = seq(oid(DIGEST_OID[d]), nullDer);
  return seq(oid(OID.rsaPss), seq(tlv(0xa0, hashAlg), tlv(0xa1, seq(oid(OID.mgf1), hashAlg)), tlv(0xa2, int(DIGEST_LENGTH[d]))));
}

/** Everything of a SignedData but the RSA signature over `attrBytes`, and how to finish it. */
interface PreparedSignature {
  readonly attrBytes: Uint8Array;
  readonly digest: DigestName;
  readonly key: KeyObject;
  readonly pss: boolean;
  finish(signature: Uint8Array): Der;
}

function prepareSignature(contentBytes: Uint8Array, options: SignOptions): PreparedSignature {
  if (!(contentBytes instanceof Uint8Array)) throw new TypeError('content must be a Uint8Array');
  if (options?.clock !== undefined && typeof options.clock !== 'function') throw new TypeError('clock must be a function returning a Date');
  const clock = options.clock ?? systemClock;
  const digest = options.digest ?? 'sha256';
  const scheme = options.signature ?? 'rsa-pkcs1';
  if (!(digest in DIGEST_OID) || digest === ('sha1' as string)) throw new RangeError(`unsupported digest: ${digest}`);
  if (scheme !== 'rsa-pkcs1' && scheme !== 'rsa-pss') throw new RangeError(`unsupported signature: ${String(scheme)}`);
  const eContentType = options.contentType ?? OID.data;
  const info = certInfo(options.certificate);
  const md = createHash(digest).update(contentBytes).digest();
  const attrs = setOf([
    seq(oid(OID.contentType), set(oid(eContentType))),
    seq(oid(OID.signingTime), set(time(clock()))),
    seq(oid(OID.messageDigest), set(octets(md))),
  ]);
  const attrBytes = toBytes(attrs);
  const key = keyObjectOf(options.key);
  if (key?.type !== 'private' || key.asymmetricKeyType !== 'rsa') throw new TypeError('the signing key must be an RSA private key');
  return {
    attrBytes,
    digest,
    key,
    pss: scheme === 'rsa-pss',
    finish(signature: Uint8Array): Der {
      const signedAttrs = derRaw(Uint8Array.from(attrBytes));
      (signedAttrs.chunks[0] as Uint8Array)[0] = 0xa0;
      const signerInfo = seq(
        int(1),
        seq(derRaw(info.issuer), derRaw(info.serial)),
        digestAlgId(digest),
        signedAttrs,
        scheme === 'rsa-pss' ? pssAlgId(digest) : seq(oid(RSA_SIG_OID[digest]), nullDer),
        octets(signature),
      );
      const certs = [options.certificate, ...(options.chain ?? [])].map((c) => derRaw(c.der));
      const signedData = seq(int(1), set(digestAlgId(digest)), seq(oid(eContentType), tlv(0xa0, octets(contentBytes))), tlv(0xa0, ...certs), set(signerInfo));
      return seq(oid(OID.signedData), tlv(0xa0, signedData));
    },
  };
}

function signKey(p: PreparedSignature): KeyObject | SignKeyObjectInput {
  return p.pss ? { key: p.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_LENGTH[p.digest] } : p.key;
}

/** Builds ContentInfo(SignedData) as DER chunks (the content is referenced, not copied). @internal */
export function signChunks(contentBytes: Uint8Array, options: SignOptions): Der {
  const p = prepareSignature(contentBytes, options);
  return p.finish(nodeSign(p.digest, p.attrBytes, signKey(p)));
}

/** {@link signChunks} with the RSA signature computed on libuv's thread pool. @internal */
export async function signChunksAsync(contentBytes: Uint8Array, options: SignOptions): Promise<Der> {
  const p = prepareSignature(contentBytes, options);
  const signature = await new Promise<Buffer>((resolve, reject) => {
    nodeSign(p.digest, p.attrBytes, signKey(p), (err, sig) => (err === null ? resolve(sig) : reject(err)));
  });
  return p.finish(signature);
}

/**
 * Signs `content`: a DER ContentInfo(SignedData) with the content encapsulated, SHA-256 and
 * RSASSA-PKCS1-v1_5 by default, signed attributes contentType, signingTime and messageDigest,
 * the signer certificate (and `chain`) included, SignerInfo sid = IssuerAndSerialNumber.
 */
export function sign(content: Uint8Array, options: SignOptions): Uint8Array {
  return toBytes(signChunks(content, options));
}

const systemClock = (): Date => new Date();

function invalid(message: string, cause?: unknown): never {
  throw new CmsError('ERR_CMS_SIGNATURE_INVALID', message, cause === undefined ? undefined : { cause });
}

function malformed(message: string): never {
  throw new CmsError('ERR_CMS_MALFORMED', message);
}

function checkDigest(d: DigestName | undefined, policy: CmsAlgorithmPolicy | undefined): DigestName {
  if (!d) throw new CmsError('ERR_CMS_UNSUPPORTED_ALGORITHM', 'unsupported digest algorithm');
  if (d === 'sha1' && policy?.allowSha1 !== true) throw new CmsError('ERR_CMS_LEGACY_ALGORITHM_REFUSED', 'SHA-1 refused by policy');
  return d;
}

function algDigest(node: BerNode | undefined): DigestName | undefined {
  return DIGEST_BY_OID[oidValue(children(expectTag(node, TAG.SEQUENCE, 'AlgorithmIdentifier'))[0])];
}

interface SignatureScheme {
  readonly name: SignatureName;
  readonly padding: number;
  readonly saltLength?: number;
}

function readSignatureAlgorithm(node: BerNode | undefined, digest: DigestName): SignatureScheme {
  const [algOid, params] = children(expectTag(node, TAG.SEQUENCE, 'signatureAlgorithm'));
  const id = oidValue(algOid);
  if (id === OID.rsaEncryption) return { name: 'rsa-pkcs1', padding: constants.RSA_PKCS1_PADDING };
  const sigDigest = RSA_SIG_DIGEST[id];
  if (sigDigest) {
    if (sigDigest !== digest) throw new CmsError('ERR_CMS_UNSUPPORTED_ALGORITHM', 'signature hash differs from the digest algorithm');
    return { name: 'rsa-pkcs1', padding: constants.RSA_PKCS1_PADDING };
  }
  if (id !== OID.rsaPss) throw new CmsError('ERR_CMS_UNSUPPORTED_ALGORITHM', `unsupported signature algorithm ${id}`);
  let hash: DigestName | undefined = 'sha1';
  let mgf: DigestName | undefined = 'sha1';
  let salt = 20;
  for (const field of params ? children(expectTag(params, TAG.SEQUENCE, 'RSASSA-PSS-params')) : []) {
    const inner = children(field)[0];
    if (field.tag === 0xa0) hash = algDigest(inner);
    else if (field.tag === 0xa1) {
      const [mgfOid, mgfParams] = children(expectTag(inner, TAG.SEQUENCE, 'maskGenAlgorithm'));
      if (oidValue(mgfOid) !== OID.mgf1) throw new CmsError('ERR_CMS_UNSUPPORTED_ALGORITHM', 'unsupported PSS mask generation');
      mgf = algDigest(mgfParams);
    } else if (field.tag === 0xa2) salt = smallInt(inner);
    else if (field.tag === 0xa3) {
      if (smallInt(inner) !== 1) malformed('bad PSS trailer field');
    } else malformed('bad RSASSA-PSS-params');
  }
  if (hash !== digest || mgf !== digest) throw new CmsError('ERR_CMS_UNSUPPORTED_ALGORITHM', 'PSS hash, MGF1 hash and digest algorithm must agree');
  return { name: 'rsa-pss', padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt };
}

/** Finds the certificate the SignerInfo sid names, among the raw certificate DERs. */
function findSigner(sid: BerNode, version: number, certs: readonly Uint8Array[]): Uint8Array {
  for (const der of certs) {
    const info = certInfo({ der });
    if (sid.tag === TAG.SEQUENCE && version === 1) {
      const [issuer, serial] = children(sid);
      if (issuer && serial && sameBytes(raw(issuer), info.issuer) && sameBytes(raw(serial), info.serial)) return der;
    } else if (sid.tag === 0x80 && version === 3) {
      if (info.ski && sameBytes(content(sid), info.ski)) return der;
    }
  }
  throw new CmsError('ERR_CMS_SIGNER_NOT_FOUND', 'the signer certificate is not in the SignedData');
}

/**
 * Reads ContentInfo(SignedData) and checks the one signature cryptographically (digest,
 * attributes, signature with the signer's public key). Trust is NOT checked here. @internal
 */
export function verifySignedData(
  der: Uint8Array,
  policy: CmsAlgorithmPolicy | undefined,
  maxBytes?: number,
  allowBare = false,
  knownCertificates: readonly Certificate[] = [],
): SignedDataContents {
  const sd = readContentInfo(der, OID.signedData, maxBytes, allowBare);
  const fields = children(sd);
  smallInt(fields[0]);
  expectTag(fields[1], TAG.SET, 'digestAlgorithms');
  const [eTypeNode, eContentNode] = children(expectTag(fields[2], TAG.SEQUENCE, 'EncapsulatedContentInfo'));
  const eContentType = oidValue(eTypeNode);
  if (!eContentNode) throw new CmsError('ERR_CMS_CONTENT_MISSING', 'the SignedData carries no content (detached signature)');
  const octet = children(expectTag(eContentNode, 0xa0, '[0] eContent'))[0];
  if (octet?.tag !== TAG.OCTET_STRING && octet?.tag !== 0x24) malformed('eContent is not an OCTET STRING');
  const eContent = stringValue(octet);
  let i = 3;
  const certDers: Uint8Array[] = [];
  if (fields[i]?.tag === 0xa0) {
    for (const c of children(fields[i] as BerNode)) {
      if (c.tag !== TAG.SEQUENCE) continue; // attribute certificates and others
      if (certDers.length >= CMS_MAX_CERTIFICATES) malformed('too many certificates');
      certDers.push(raw(c));
    }
    i++;
  }
  if (fields[i]?.tag === 0xa1) i++; // crls: revocation comes from the configured source
  const signerInfos = children(expectTag(fields[i], TAG.SET, 'signerInfos'));
  if (signerInfos.length !== 1) throw new CmsError('ERR_CMS_SIGNER_COUNT', `expected one SignerInfo, found ${signerInfos.length}`);
  const si = children(expectTag(signerInfos[0], TAG.SEQUENCE, 'SignerInfo'));
  const version = smallInt(si[0]);
  const sid = si[1];
  if (!sid) malformed('SignerInfo without sid');
  const digest = checkDigest(algDigest(si[2]), policy);
  let j = 3;
  let signedAttrs: BerNode | undefined;
  if (si[j]?.tag === 0xa0) signedAttrs = si[j++];
  const scheme = readSignatureAlgorithm(si[j++], digest);
  const signature = stringValue(expectTag(si[j], TAG.OCTET_STRING, 'signature'));

  // The signer is looked up among the certificates in the message, then among certificates the
  // caller already knows (e.g. the expected signer from the address register, for -nocerts senders).
  const signerDer = findSigner(sid, version, [...certDers, ...knownCertificates.map((c) => c.der)]);
  const signer = knownCertificates.find((c) => c.der === signerDer) ?? parseCertificateCached(signerDer);
  let signingTime: Date | null = null;
  let signedBytes: Uint8Array = eContent;
  if (signedAttrs) {
    if (signedAttrs.indefinite) malformed('signed attributes are not DER');
    let contentTypeSeen = false;
    let digestSeen = false;
    for (const attr of children(signedAttrs)) {
      const [typeNode, values] = children(expectTag(attr, TAG.SEQUENCE, 'Attribute'));
      const type = oidValue(typeNode);
      const vals = children(expectTag(values, TAG.SET, 'AttributeValues'));
      if (type === OID.contentType) {
        if (contentTypeSeen || vals.length !== 1 || oidValue(vals[0]) !== eContentType) invalid('contentType attribute does not match');
        contentTypeSeen = true;
      } else if (type === OID.messageDigest) {
        if (digestSeen || vals.length !== 1) invalid('bad messageDigest attribute');
        digestSeen = true;
        const expected = createHash(digest).update(eContent).digest();
        if (!sameBytes(stringValue(expectTag(vals[0], TAG.OCTET_STRING, 'messageDigest')), expected)) invalid('messageDigest does not match the content');
      } else if (type === OID.signingTime) {
        if (signingTime !== null || vals.length !== 1) throw new CmsError('ERR_CMS_SIGNING_TIME_INVALID', 'bad signingTime attribute');
        try {
          signingTime = timeValue(vals[0] as BerNode);
        } catch (cause) {
          throw new CmsError('ERR_CMS_SIGNING_TIME_INVALID', 'bad signingTime attribute', { cause });
        }
      }
    }
    if (!contentTypeSeen || !digestSeen) invalid('signed attributes lack contentType or messageDigest');
    const bytes = Buffer.from(raw(signedAttrs));
    bytes[0] = TAG.SET;
    signedBytes = bytes;
  }
  let ok = false;
  try {
    ok = nodeVerify(digest, signedBytes, { key: signer.publicKey, padding: scheme.padding, ...(scheme.saltLength === undefined ? {} : { saltLength: scheme.saltLength }) }, signature);
  } catch (cause) {
    invalid('signature does not verify', cause);
  }
  if (!ok) invalid('signature does not verify');
  const certificates: Certificate[] = [];
  for (const d of certDers) {
    if (d === signerDer) certificates.push(signer);
    else {
      try {
        certificates.push(parseCertificateCached(d));
      } catch {
        // an unreadable extra certificate cannot help chain building; ignore it
      }
    }
  }
  return { content: eContent, contentType: eContentType, signer, certificates, signingTime, digest, signature: scheme.name };
}
