/**
 * Certificate path validation: chain building from the leaf to a configured trust anchor through
 * intermediates given in any order, signatures, CA constraints, validity at every given time,
 * key usage per purpose and revocation. Does not use pkijs' chain engine.
 */
import { certificateInternals } from './certificate';
import { CertError, type CertErrorCode } from './errors';
import type { RevocationChecker } from './revocation';
import { verifySignature } from './signature';
import type { Certificate, KeyUsage } from './types';

/** Longest chain accepted (leaf, intermediates and anchor). */
export const MAX_CHAIN_LENGTH = 8;

/** What the certificate is to be used for. */
export type CertificatePurpose = 'sign' | 'encrypt';

/** Revocation policy. */
export interface RevocationPolicy {
  /** Accept when revocation status is unavailable (recorded in the result). Default false. */
  readonly revocationSoftFail?: boolean;
  /**
   * Demand a revocation check: without a checker the certificate is rejected with
   * ERR_CERT_REVOCATION_UNAVAILABLE. Default true when a checker is given, false otherwise.
   */
  readonly requireRevocationCheck?: boolean;
  /** Accept SHA-1 certificate signatures (legacy). Default false. */
  readonly allowSha1?: boolean;
}

/** Options for {@link validateCertificate}. */
export interface ValidateCertificateOptions {
  readonly purpose: CertificatePurpose;
  /** Certificates trusted as chain ends. */
  readonly trustAnchors: readonly Certificate[];
  /** Candidate intermediates, any order; unrelated ones are ignored. */
  readonly intermediates?: readonly Certificate[];
  /** Times at which every certificate in the chain must be valid (e.g. message time and now). Default `[clock()]`. */
  readonly at?: readonly Date[];
  /** The current time. Default: the system clock. */
  readonly clock?: () => Date;
  /** Revocation checker (e.g. a `CrlCache`). */
  readonly revocation?: RevocationChecker;
  readonly policy?: RevocationPolicy;
}

/** A successfully validated chain. */
export interface ValidatedChain {
  /** Leaf first, trust anchor last. */
  readonly chain: readonly Certificate[];
  /** Whether the revocation status of every non-anchor certificate was established. */
  readonly revocationChecked: boolean;
  /** Revocation failures accepted because of `revocationSoftFail` (empty otherwise). */
  readonly softFailures: readonly CertError[];
}

/** Key usages that satisfy each purpose (any one of them suffices). */
export const PURPOSE_KEY_USAGE: Readonly<Record<CertificatePurpose, readonly KeyUsage[]>> = {
  sign: ['nonRepudiation', 'digitalSignature'],
  encrypt: ['keyEncipherment'],
};

const systemClock = (): Date => new Date();

const SPECIFICITY: Partial<Record<CertErrorCode, number>> = {
  ERR_CERT_UNTRUSTED: 0,
  ERR_CERT_CHAIN_INVALID: 1,
  ERR_CERT_ALGORITHM_UNSUPPORTED: 2,
};

function sameCert(a: Certificate, b: Certificate): boolean {
  return a === b || a.fingerprintSha256 === b.fingerprintSha256;
}

/** Builds every acceptable path; returns the first or throws the most specific failure. */
function buildChain(leaf: Certificate, anchors: readonly Certificate[], intermediates: readonly Certificate[], allowSha1: boolean): Certificate[] {
  if (anchors.some((a) => sameCert(a, leaf))) return [leaf];
  let best: CertError = new CertError('ERR_CERT_UNTRUSTED', undefined, { subject: leaf.subject });
  const fail = (e: CertError): void => {
    if ((SPECIFICITY[e.code] ?? 0) > (SPECIFICITY[best.code] ?? 0)) best = e;
  };

  const candidatesFor = (cert: Certificate): { cert: Certificate; anchor: boolean }[] => {
    const ci = certificateInternals(cert);
    const list: { cert: Certificate; anchor: boolean }[] = [];
    for (const a of anchors) if (certificateInternals(a).subjectKey === ci.issuerKey) list.push({ cert: a, anchor: true });
    for (const m of intermediates) {
      if (anchors.some((a) => sameCert(a, m))) continue;
      if (certificateInternals(m).subjectKey === ci.issuerKey) list.push({ cert: m, anchor: false });
    }
    // Prefer the issuer whose subjectKeyIdentifier matches the authorityKeyIdentifier.
    const aki = ci.authorityKeyIdentifier;
    if (aki !== null) list.sort((x, y) => Number(certificateInternals(y.cert).subjectKeyIdentifier === aki) - Number(certificateInternals(x.cert).subjectKeyIdentifier === aki));
    return list;
  };

  const signedBy = (cert: Certificate, issuer: Certificate): boolean => {
    const ci = certificateInternals(cert);
    try {
      if (verifySignature(ci.pkijs.signatureAlgorithm, ci.tbs, ci.signature, issuer.publicKey, { allowSha1 })) return true;
      fail(new CertError('ERR_CERT_CHAIN_INVALID', 'Certificate signature does not verify with the issuer key', { subject: cert.subject }));
    } catch (e) {
      if (e instanceof CertError) fail(new CertError(e.code, e.message, { subject: cert.subject, cause: e }));
      else throw e;
    }
    return false;
  };

  /** Checks a CA certificate placed above `below` non-self-issued intermediates. */
  const caAcceptable = (ca: Certificate, intermediatesBelow: number, anchor: boolean): boolean => {
    const i = certificateInternals(ca);
    if (!anchor) {
      if (!ca.isCA) {
        fail(new CertError('ERR_CERT_CHAIN_INVALID', 'Intermediate is not a CA', { subject: ca.subject }));
        return false;
      }
      if (ca.keyUsage !== null && !ca.keyUsage.includes('keyCertSign')) {
        fail(new CertError('ERR_CERT_CHAIN_INVALID', 'Intermediate lacks keyCertSign', { subject: ca.subject }));
        return false;
      }
      if (i.unknownCriticalExtensions.length > 0) {
        fail(new CertError('ERR_CERT_CHAIN_INVALID', 'Intermediate has an unknown critical extension', { subject: ca.subject }));
        return false;
      }
    }
    if (i.pathLenConstraint !== null && intermediatesBelow > i.pathLenConstraint) {
      fail(new CertError('ERR_CERT_CHAIN_INVALID', 'Path length constraint exceeded', { subject: ca.subject }));
      return false;
    }
    return true;
  };

  const search = (path: Certificate[], nonSelfIssuedIntermediates: number): Certificate[] | null => {
    const current = path[path.length - 1] as Certificate;
    if (path.length >= MAX_CHAIN_LENGTH) {
      fail(new CertError('ERR_CERT_CHAIN_INVALID', 'Chain too long', { subject: leaf.subject }));
      return null;
    }
    for (const cand of candidatesFor(current)) {
      if (path.some((p) => sameCert(p, cand.cert))) continue; // loop
      if (!caAcceptable(cand.cert, nonSelfIssuedIntermediates, cand.anchor)) continue;
      if (!signedBy(current, cand.cert)) continue;
      const next = [...path, cand.cert];
      if (cand.anchor) return next;
      const ci = certificateInternals(cand.cert);
      const selfIssued = ci.subjectKey === ci.issuerKey;
      const found = search(next, nonSelfIssuedIntermediates + (selfIssued ? 0 : 1));
      if (found !== null) return found;
    }
    return null;
  };

  const found = search([leaf], 0);
  if (found === null) throw best;
  return found;
}

/**
 * Validates `cert` for `purpose`. Resolves with the chain (leaf → anchor) or throws `CertError`:
 * ERR_CERT_UNTRUSTED (no path to an anchor), ERR_CERT_CHAIN_INVALID, ERR_CERT_ALGORITHM_UNSUPPORTED,
 * ERR_CERT_EXPIRED / ERR_CERT_NOT_YET_VALID (any certificate of the chain at any given time),
 * ERR_CERT_KEY_USAGE (leaf; a leaf without keyUsage is refused), ERR_CERT_REVOKED,
 * ERR_CERT_REVOCATION_UNAVAILABLE (retryable). Checks run in that order.
 */
export async function validateCertificate(cert: Certificate, opts: ValidateCertificateOptions): Promise<ValidatedChain> {
  if (opts.purpose !== 'sign' && opts.purpose !== 'encrypt') throw new TypeError("purpose must be 'sign' or 'encrypt'");
  if (!Array.isArray(opts.trustAnchors)) throw new TypeError('trustAnchors must be an array');
  const clock = opts.clock ?? systemClock;
  const times = opts.at ?? [clock()];
  if (times.length === 0 || times.some((t) => !(t instanceof Date) || Number.isNaN(t.getTime()))) throw new TypeError('at must hold valid Dates');
  const policy = opts.policy ?? {};
  const allowSha1 = policy.allowSha1 === true;
  // Validate the inputs are ours (throws TypeError otherwise).
  for (const c of [cert, ...opts.trustAnchors, ...(opts.intermediates ?? [])]) certificateInternals(c);

  const leafInternals = certificateInternals(cert);
  if (leafInternals.unknownCriticalExtensions.length > 0) {
    throw new CertError('ERR_CERT_CHAIN_INVALID', 'Certificate has an unknown critical extension', { subject: cert.subject });
  }
  const chain = buildChain(cert, opts.trustAnchors, opts.intermediates ?? [], allowSha1);

  for (const c of chain) {
    for (const t of times) {
      if (t.getTime() < c.notBefore.getTime()) throw new CertError('ERR_CERT_NOT_YET_VALID', undefined, { subject: c.subject });
      if (t.getTime() > c.notAfter.getTime()) throw new CertError('ERR_CERT_EXPIRED', undefined, { subject: c.subject });
    }
  }

  const wanted = PURPOSE_KEY_USAGE[opts.purpose];
  if (cert.keyUsage === null || !cert.keyUsage.some((u) => wanted.includes(u))) {
    throw new CertError('ERR_CERT_KEY_USAGE', `Key usage does not allow ${opts.purpose === 'sign' ? 'signing' : 'encryption'}`, { subject: cert.subject });
  }

  const mustCheck = policy.requireRevocationCheck ?? opts.revocation !== undefined;
  const softFailures: CertError[] = [];
  let revocationChecked = false;
  if (opts.revocation === undefined) {
    if (mustCheck && chain.length > 1) {
      const e = new CertError('ERR_CERT_REVOCATION_UNAVAILABLE', 'Revocation check required but no checker configured', { subject: cert.subject });
      if (policy.revocationSoftFail === true) softFailures.push(e);
      else throw e;
    }
  } else {
    revocationChecked = true;
    for (let i = 0; i < chain.length - 1; i++) {
      const c = chain[i] as Certificate;
      const issuer = chain[i + 1] as Certificate;
      try {
        await opts.revocation.check(c, issuer);
      } catch (e) {
        if (e instanceof CertError && e.code === 'ERR_CERT_REVOCATION_UNAVAILABLE' && policy.revocationSoftFail === true) {
          softFailures.push(e);
          revocationChecked = false;
          continue;
        }
        if (e instanceof CertError) throw e;
        throw new CertError('ERR_CERT_REVOCATION_UNAVAILABLE', undefined, { cause: e, subject: c.subject });
      }
    }
  }
  return Object.freeze({ chain: Object.freeze(chain), revocationChecked, softFailures: Object.freeze(softFailures) });
}

/** Who the signer of a message is expected to be. */
export interface ExpectedSigner {
  /** The exact certificate (e.g. from the address register). */
  readonly certificate?: Certificate;
  /** The organisation number the signer's enterprise certificate must carry. */
  readonly organisationNumber?: string;
}

/**
 * True when `cert` matches every given expectation: the same certificate (by DER) and/or the
 * same organisation number. An expectation with neither field throws TypeError.
 */
export function matchesExpectedSigner(cert: Certificate, expected: ExpectedSigner): boolean {
  if (expected.certificate === undefined && expected.organisationNumber === undefined) {
    throw new TypeError('expectedSigner needs a certificate or an organisationNumber');
  }
  if (expected.certificate !== undefined && expected.certificate.fingerprintSha256 !== cert.fingerprintSha256) return false;
  if (expected.organisationNumber !== undefined && (cert.organisationNumber === null || cert.organisationNumber !== expected.organisationNumber.trim())) return false;
  return true;
}
