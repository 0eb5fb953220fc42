/**
 * Internal: verifying X.509/CRL signatures with node:crypto over the original TBS bytes.
 * RSA PKCS#1 v1.5, RSA-PSS and ECDSA with SHA-256/384/512; SHA-1 only with `allowSha1`.
 */
import { verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { CertError } from './errors';

const HASH_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const RSA_PKCS1: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const ECDSA: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** OID of RSASSA-PSS. */
export const RSASSA_PSS_OID = '1.2.840.113549.1.1.10';

/** A signature algorithm resolved to node:crypto terms. */
interface ResolvedAlgorithm {
  readonly hash: string;
  readonly kind: 'rsa' | 'rsa-pss' | 'ecdsa';
  readonly saltLength?: number;
}

function resolve(alg: pkijs.AlgorithmIdentifier): ResolvedAlgorithm {
  const oid = alg.algorithmId;
  const rsa = RSA_PKCS1[oid];
  if (rsa !== undefined) return { hash: rsa, kind: 'rsa' };
  const ec = ECDSA[oid];
  if (ec !== undefined) return { hash: ec, kind: 'ecdsa' };
  if (oid === RSASSA_PSS_OID) {
    if (alg.algorithmParams === undefined) {
      return { hash: 'sha1', kind: 'rsa-pss', saltLength: 20 };
    }
    let params: pkijs.RSASSAPSSParams;
    try {
      params = new pkijs.RSASSAPSSParams({ schema: alg.algorithmParams });
    } catch (cause) {
      throw new CertError('ERR_CERT_ALGORITHM_UNSUPPORTED', 'Unreadable RSA-PSS parameters', { cause });
    }
    const hash = HASH_OIDS[params.hashAlgorithm.algorithmId];
    if (hash === undefined) throw new CertError('ERR_CERT_ALGORITHM_UNSUPPORTED', 'Unsupported RSA-PSS hash');
    if (params.maskGenAlgorithm.algorithmId !== '1.2.840.113549.1.1.8') {
      throw new CertError('ERR_CERT_ALGORITHM_UNSUPPORTED', 'Unsupported RSA-PSS mask generation function');
    }
    let mgfHash = 'sha1';
    try {
      const mgfAlg = new pkijs.AlgorithmIdentifier({ schema: params.maskGenAlgorithm.algorithmParams });
      mgfHash = HASH_OIDS[mgfAlg.algorithmId] ?? 'unknown';
    } catch {
      mgfHash = params.maskGenAlgorithm.algorithmParams === undefined ? 'sha1' : 'unknown';
    }
    // node:crypto uses the signature hash for MGF1; a different MGF1 hash cannot be verified here.
    if (mgfHash !== hash) throw new CertError('ERR_CERT_ALGORITHM_UNSUPPORTED', 'RSA-PSS MGF1 hash differs from the hash');
    if (params.trailerField !== 1) throw new CertError('ERR_CERT_ALGORITHM_UNSUPPORTED', 'Unsupported RSA-PSS trailer field');
    return { hash, kind: 'rsa-pss', saltLength: params.saltLength };
  }
  throw new CertError('ERR_CERT_ALGORITHM_UNSUPPORTED', `Unsupported signature algorithm ${oid}`);
}

/** Options for {@link verifySignature}. */
export interface SignaturePolicy {
  /** Accept SHA-1 based signatures (legacy). Default false. */
  readonly allowSha1?: boolean;
}

/**
 * Verifies `signature` over `tbs` with `publicKey` under the algorithm identifier. Returns false
 * for a signature that does not verify; throws ERR_CERT_ALGORITHM_UNSUPPORTED for an algorithm
 * that is not accepted.
 */
export function verifySignature(
  alg: pkijs.AlgorithmIdentifier,
  tbs: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
  policy: SignaturePolicy = {},
): boolean {
  const r = resolve(alg);
  if (r.hash === 'sha1' && policy.allowSha1 !== true) {
    throw new CertError('ERR_CERT_ALGORITHM_UNSUPPORTED', 'SHA-1 signatures are accepted only under the legacy policy');
  }
  const keyType = publicKey.asymmetricKeyType;
  try {
    switch (r.kind) {
      case 'rsa':
        if (keyType !== 'rsa') return false;
        return cryptoVerify(r.hash, tbs, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'rsa-pss':
        if (keyType !== 'rsa' && keyType !== 'rsa-pss') return false;
        return cryptoVerify(
          r.hash,
          tbs,
          { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: r.saltLength ?? 20 },
          signature,
        );
      case 'ecdsa':
        if (keyType !== 'ec') return false;
        return cryptoVerify(r.hash, tbs, { key: publicKey, dsaEncoding: 'der' }, signature);
    }
  } catch {
    return false;
  }
}
