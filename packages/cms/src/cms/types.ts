/** Public option and result types shared by the CMS operations. */
import type { KeyObject } from 'node:crypto';
import type { Certificate, PrivateKey } from '../cert/types';
import type { ContentEncryptionName, DigestName, KeyTransportName, SignatureName } from './algorithms';

/** A private key as loaded by `loadPrivateKey`, or a node:crypto private KeyObject. */
export type CmsPrivateKey = PrivateKey | KeyObject;

/** A certificate with the private key that belongs to it. */
export interface KeyPair {
  readonly certificate: Certificate;
  readonly key: CmsPrivateKey;
}

/** Key-transport algorithms this package can send. */
export type SendKeyTransport = 'rsa-pkcs1' | 'rsa-oaep-sha256' | 'rsa-oaep-sha512' | 'rsa-oaep-sha1';

/** Content-encryption algorithms this package can send. */
export type SendContentEncryption = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc';

/** Signature algorithms this package can send. */
export type SendSignature = 'rsa-pkcs1' | 'rsa-pss';

/** Digests this package can send. */
export type SendDigest = 'sha256' | 'sha384' | 'sha512';

/** The algorithms used to send to one counterparty. */
export interface CmsProfile {
  readonly keyTransport: SendKeyTransport;
  readonly contentEncryption: SendContentEncryption;
  readonly digest: SendDigest;
  readonly signature: SendSignature;
}

/** Receive-side algorithm policy. Both legacy switches are off by default. */
export interface CmsAlgorithmPolicy {
  /** Accept DES and 3DES content encryption when receiving. */
  readonly allowLegacyCiphers?: boolean;
  /** Accept SHA-1 digests in signatures when receiving. */
  readonly allowSha1?: boolean;
}

/** Algorithms found in a received message. */
export interface CmsAlgorithms {
  readonly keyTransport: KeyTransportName;
  readonly contentEncryption: ContentEncryptionName;
  readonly digest: DigestName;
  readonly signature: SignatureName;
}

/** Returns the KeyObject of a {@link CmsPrivateKey}. */
export function keyObjectOf(key: CmsPrivateKey): KeyObject {
  if (key !== null && typeof key === 'object' && 'keyObject' in key) return key.keyObject;
  return key;
}
