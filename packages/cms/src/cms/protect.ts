/**
 * Sign-then-encrypt as the Norwegian health network does it (DOMAIN §6): `protect` builds
 * ContentInfo(EnvelopedData) whose content is ContentInfo(SignedData); `unprotect` decrypts,
 * verifies the signature, validates the signer's certificate and checks the expected sender.
 */
import { CertError, certErrorAppRecCode } from '../cert/errors';
import type { RevocationChecker } from '../cert/revocation';
import type { Certificate } from '../cert/types';
import type { ExpectedSigner, RevocationPolicy } from '../cert/validate';
import { matchesExpectedSigner, validateCertificate } from '../cert/validate';
import { OID } from './algorithms';
import { decrypt, encryptChunks } from './envelope';
import type { CmsAppRecCode } from './errors';
import { CmsError, cmsErrorAppRecCode } from './errors';
import type { SignOptions, SignedDataContents } from './signed';
import { signChunks, signChunksAsync, verifySignedData } from './signed';
import type { CmsAlgorithmPolicy, CmsAlgorithms, CmsPrivateKey, CmsProfile, KeyPair } from './types';

/** Named send profiles. `default` is what every national counterparty accepts. */
export const CMS_PROFILES = {
  /** RSAES-PKCS1-v1_5 key transport, AES-256-CBC, SHA-256, RSASSA-PKCS1-v1_5: accepted by every counterparty (.NET, BouncyCastle, OpenSSL). */
  default: { keyTransport: 'rsa-pkcs1', contentEncryption: 'aes-256-cbc', digest: 'sha256', signature: 'rsa-pkcs1' },
  /** RSA-OAEP (SHA-256, MGF1-SHA-256) key transport, otherwise as `default`: for counterparties known to accept OAEP. */
  oaep: { keyTransport: 'rsa-oaep-sha256', contentEncryption: 'aes-256-cbc', digest: 'sha256', signature: 'rsa-pkcs1' },
  /** OAEP key transport and RSASSA-PSS signatures: the modern choice where both ends support it. */
  modern: { keyTransport: 'rsa-oaep-sha256', contentEncryption: 'aes-256-cbc', digest: 'sha256', signature: 'rsa-pss' },
} as const satisfies Record<string, CmsProfile>;

/** Name of a profile in {@link CMS_PROFILES}. */
export type CmsProfileName = keyof typeof CMS_PROFILES;

/** The S/MIME content type of a protected message. */
export const SMIME_SIGNED_AND_ENVELOPED_CONTENT_TYPE = 'application/pkcs7-mime; smime-type=signed-and-enveloped-data; name="smime.p7m"';

/** Options of {@link protect}. */
export interface ProtectOptions {
  /** The sender's signing certificate and key; `chain` adds intermediates to the SignedData. */
  readonly signer: { readonly certificate: Certificate; readonly key: CmsPrivateKey; readonly chain?: readonly Certificate[] };
  /** The receiver's encryption certificate (from the address register). */
  readonly recipient: Certificate;
  /** Send profile: a name from {@link CMS_PROFILES} or algorithms overriding `default`. */
  readonly profile?: CmsProfileName | Partial<CmsProfile>;
  /** Clock for signingTime; default the system clock. */
  readonly clock?: () => Date;
}

/** Trust configuration for the signer's certificate. */
export interface CmsTrust {
  /** Trust anchors (root CAs). */
  readonly anchors: readonly Certificate[];
  /** Extra intermediates (certificates inside the SignedData are used too). */
  readonly intermediates?: readonly Certificate[];
  /** Revocation checker (e.g. a CRL cache). */
  readonly revocation?: RevocationChecker;
  /** Revocation and certificate-signature policy. */
  readonly policy?: RevocationPolicy;
}

/** Options of {@link verify}. */
export interface VerifyOptions {
  readonly trust: CmsTrust;
  /** Who must have signed: a certificate and/or an organisation number. */
  readonly expectedSigner?: ExpectedSigner;
  /** Algorithm policy (SHA-1 off by default). */
  readonly policy?: CmsAlgorithmPolicy;
  /** The current time; default the system clock. */
  readonly clock?: () => Date;
  /** How far signingTime may lie after now (clock skew), ms; default {@link CMS_SIGNING_TIME_SKEW_MS}. */
  readonly maxSigningTimeSkewMs?: number;
  /** Input size limit in bytes. */
  readonly maxBytes?: number;
}

/** Options of {@link unprotect}. */
export interface UnprotectOptions extends VerifyOptions {
  /** Decryption keys (several during rollover); chosen by the RecipientInfo identifier. */
  readonly decryptionKeys: readonly KeyPair[];
}

/** Result of {@link verify}. */
export interface VerifyResult {
  readonly content: Uint8Array;
  /** eContentType OID. */
  readonly contentType: string;
  /** The verified signer certificate. */
  readonly signer: Certificate;
  /** The validated chain, signer first, trust anchor last. */
  readonly chain: readonly Certificate[];
  /** The signingTime attribute, or null when absent. */
  readonly signingTime: Date | null;
  readonly algorithms: Pick<CmsAlgorithms, 'digest' | 'signature'>;
}

/** Result of {@link unprotect}. */
export interface UnprotectResult extends Omit<VerifyResult, 'algorithms'> {
  /** The certificate of the decryption key that was used. */
  readonly recipient: Certificate;
  readonly algorithms: CmsAlgorithms;
}

/** Default tolerance for a signingTime after the receiver's clock: 10 minutes. */
export const CMS_SIGNING_TIME_SKEW_MS = 10 * 60 * 1000;

const systemClock = (): Date => new Date();

function resolveProfile(profile: ProtectOptions['profile']): CmsProfile {
  if (profile === undefined) return CMS_PROFILES.default;
  if (typeof profile === 'string') {
    const named = (CMS_PROFILES as Record<string, CmsProfile | undefined>)[profile];
    if (!named) throw new RangeError(`unknown CMS profile: ${profile}`);
    return named;
  }
  return { ...CMS_PROFILES.default, ...profile };
}

/**
 * Signs `content` with the sender's signing key, then encrypts the SignedData for the
 * recipient. Returns DER of ContentInfo(EnvelopedData) (content type id-data holding
 * ContentInfo(SignedData), as .NET, BouncyCastle and `openssl cms` nest them). Send it with
 * {@link SMIME_SIGNED_AND_ENVELOPED_CONTENT_TYPE}. The recipient certificate must be validated
 * by the caller (purpose 'encrypt'); a keyUsage without keyEncipherment is refused here.
 */
export function protect(content: Uint8Array, options: ProtectOptions): Uint8Array {
  const { profile, recipient, sign } = prepareProtect(content, options);
  return encryptChunks(signChunks(content, sign), { recipients: [recipient], keyTransport: profile.keyTransport, contentEncryption: profile.contentEncryption });
}

/**
 * {@link protect} with the RSA signature computed on libuv's thread pool (Node's `crypto.sign`
 * with a callback), so the event loop goes on with other work meanwhile. Same result, same errors
 * (as a rejected promise).
 */
export async function protectAsync(content: Uint8Array, options: ProtectOptions): Promise<Uint8Array> {
  const { profile, recipient, sign } = prepareProtect(content, options);
  const signed = await signChunksAsync(content, sign);
  return encryptChunks(signed, { recipients: [recipient], keyTransport: profile.keyTransport, contentEncryption: profile.contentEncryption });
}

function prepareProtect(content: Uint8Array, options: ProtectOptions): { profile: CmsProfile; recipient: Certificate; sign: SignOptions } {
  if (!(content instanceof Uint8Array)) throw new TypeError('content must be a Uint8Array');
  if (!options?.signer?.certificate || !options.signer.key || !options.recipient) throw new TypeError('signer { certificate, key } and recipient are required');
  const profile = resolveProfile(options.profile);
  const recipient = options.recipient;
  if (recipient.keyUsage !== null && !recipient.keyUsage.includes('keyEncipherment')) {
    throw new CertError('ERR_CERT_KEY_USAGE', 'Recipient certificate does not allow key encipherment', { subject: recipient.subject });
  }
  return {
    profile,
    recipient,
    sign: {
      certificate: options.signer.certificate,
      key: options.signer.key,
      ...(options.signer.chain ? { chain: options.signer.chain } : {}),
      digest: profile.digest,
      signature: profile.signature,
      clock: options.clock ?? systemClock,
    },
  };
}

/** Certificates a signer may be found among when the SignedData does not include its certificate. */
function knownSigners(options: VerifyOptions): Certificate[] {
  return options.expectedSigner?.certificate ? [options.expectedSigner.certificate] : [];
}

async function checkSigner(found: SignedDataContents, options: VerifyOptions): Promise<readonly Certificate[]> {
  const trust = options.trust;
  if (!trust || !Array.isArray(trust.anchors)) throw new TypeError('trust.anchors is required');
  const now = (options.clock ?? systemClock)();
  const at: Date[] = [now];
  if (found.signingTime) {
    const skew = options.maxSigningTimeSkewMs ?? CMS_SIGNING_TIME_SKEW_MS;
    if (found.signingTime.getTime() > now.getTime() + skew) {
      throw new CmsError('ERR_CMS_SIGNING_TIME_INVALID', 'signingTime lies in the future');
    }
    at.unshift(found.signingTime);
  }
  const { chain } = await validateCertificate(found.signer, {
    purpose: 'sign',
    trustAnchors: trust.anchors,
    intermediates: [...found.certificates.filter((c) => c !== found.signer), ...(trust.intermediates ?? [])],
    at,
    clock: () => now,
    ...(trust.revocation ? { revocation: trust.revocation } : {}),
    ...(trust.policy ? { policy: trust.policy } : {}),
  });
  if (options.expectedSigner && !matchesExpectedSigner(found.signer, options.expectedSigner)) {
    throw new CmsError('ERR_CMS_SIGNER_MISMATCH', 'the message is not signed by the expected sender');
  }
  return chain;
}

/**
 * Verifies a DER/BER ContentInfo(SignedData): exactly one SignerInfo, the signer certificate
 * found by its sid (IssuerAndSerialNumber or SubjectKeyIdentifier) among the included
 * certificates, messageDigest/contentType attributes, the signature, then the signer's chain
 * (purpose 'sign', at signingTime and now, with revocation) and `expectedSigner`.
 * Throws {@link CmsError} or, for certificate failures, `CertError`.
 */
export async function verify(der: Uint8Array, options: VerifyOptions): Promise<VerifyResult> {
  const found = verifySignedData(der, options.policy, options.maxBytes, false, knownSigners(options));
  const chain = await checkSigner(found, options);
  return {
    content: found.content,
    contentType: found.contentType,
    signer: found.signer,
    chain,
    signingTime: found.signingTime,
    algorithms: { digest: found.digest, signature: found.signature },
  };
}

/**
 * Decrypts and verifies a protected message (the inverse of {@link protect}, and what .NET,
 * BouncyCastle and `openssl cms -sign | openssl cms -encrypt` produce). No content is returned
 * unless decryption, signature, certificate validation and `expectedSigner` all pass.
 * Throws {@link CmsError} or, for certificate failures, `CertError`.
 */
export async function unprotect(der: Uint8Array, options: UnprotectOptions): Promise<UnprotectResult> {
  const decrypted = decrypt(der, {
    decryptionKeys: options.decryptionKeys,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
  });
  if (decrypted.contentType !== OID.data && decrypted.contentType !== OID.signedData) {
    throw new CmsError('ERR_CMS_UNEXPECTED_CONTENT_TYPE', 'the encrypted content is not signed data');
  }
  const found = verifySignedData(decrypted.content, options.policy, options.maxBytes, decrypted.contentType === OID.signedData, knownSigners(options));
  const chain = await checkSigner(found, options);
  return {
    content: found.content,
    contentType: found.contentType,
    signer: found.signer,
    chain,
    signingTime: found.signingTime,
    recipient: decrypted.recipient,
    algorithms: { ...decrypted.algorithms, digest: found.digest, signature: found.signature },
  };
}

/**
 * AppRec error code (8221) for any value thrown by the CMS operations: {@link CmsError} through
 * {@link cmsErrorAppRecCode}, `CertError` through `certErrorAppRecCode`; null for anything else
 * (a bug or a caller mistake, not the sender's fault).
 */
export function appRecCodeForError(error: unknown): CmsAppRecCode | null {
  if (error instanceof CmsError) return cmsErrorAppRecCode(error.code);
  if (error instanceof CertError) return certErrorAppRecCode(error.code);
  return null;
}

/** Base64 body (76-character lines) of an `application/pkcs7-mime` MIME part. */
export function encodeSmimeBody(der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return (b64.match(/.{1,76}/g) ?? []).join('\r\n') + '\r\n';
}

/** Decodes the base64 body of an `application/pkcs7-mime` part (whitespace ignored); throws ERR_CMS_MALFORMED on other characters. */
export function decodeSmimeBody(body: string): Uint8Array {
  const compact = body.replace(/[\r\n\t ]+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new CmsError('ERR_CMS_MALFORMED', 'S/MIME body is not base64');
  }
  return Buffer.from(compact, 'base64');
}
