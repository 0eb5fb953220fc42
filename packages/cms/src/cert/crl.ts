/** CRL parsing (RFC 5280 §5) and verification against the issuing CA. */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certificateInternals } from './certificate';
import { asText, decodeWhole, integerHex, looksLikePem, pemBlocks } from './der';
import { CertError } from './errors';
import { nameKey, nameToString } from './names';
import { verifySignature, type SignaturePolicy } from './signature';
import type { Certificate } from './types';

/** Largest CRL accepted, in bytes. */
export const MAX_CRL_BYTES = 20 * 1024 * 1024;

/** A parsed certificate revocation list. */
export interface Crl {
  /** DER bytes as read. */
  readonly der: Uint8Array;
  /** Issuer name, RFC 4514 style. */
  readonly issuer: string;
  readonly thisUpdate: Date;
  /** Absent nextUpdate is allowed by the syntax; such a CRL is treated as stale at once. */
  readonly nextUpdate: Date | null;
  /** Serial numbers (lowercase hex, see `Certificate.serialNumberHex`) listed as revoked. */
  readonly revokedSerials: ReadonlySet<string>;
}

interface CrlInternals {
  readonly pkijs: pkijs.CertificateRevocationList;
  readonly issuerKey: string;
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
  readonly isDelta: boolean;
}

const crlInternals = new WeakMap<Crl, CrlInternals>();

function malformed(detail: string, cause?: unknown): CertError {
  return new CertError('ERR_CERT_CRL_MALFORMED', `CRL is malformed: ${detail}`, { cause });
}

/** Parses a CRL from DER or PEM (`X509 CRL`). Throws ERR_CERT_CRL_MALFORMED. */
export function parseCrl(pemOrDer: string | Uint8Array): Crl {
  if (typeof pemOrDer !== 'string' && !(pemOrDer instanceof Uint8Array)) throw new TypeError('parseCrl expects a string or Uint8Array');
  if (pemOrDer.length > MAX_CRL_BYTES) throw malformed('too large');
  let der: Uint8Array;
  if (looksLikePem(pemOrDer)) {
    const block = pemBlocks(asText(pemOrDer)).find((b) => b.label === 'X509 CRL');
    if (block === undefined) throw malformed('no X509 CRL block in PEM');
    der = block.der;
  } else if (typeof pemOrDer === 'string') {
    throw malformed('text input without a PEM block');
  } else {
    der = new Uint8Array(pemOrDer);
  }
  const asn = decodeWhole(der);
  if (asn === null || !(asn instanceof asn1js.Sequence)) throw malformed('not a DER SEQUENCE');
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = new pkijs.CertificateRevocationList({ schema: asn });
  } catch (cause) {
    throw malformed('not a CRL', cause);
  }
  try {
    const serials = new Set<string>();
    for (const rc of crl.revokedCertificates ?? []) {
      // removeFromCRL (reason code 8) entries only appear in delta CRLs, which are refused below.
      serials.add(integerHex(rc.userCertificate.valueBlock.valueHexView));
    }
    const isDelta = (crl.crlExtensions?.extensions ?? []).some((e) => e.extnID === '2.5.29.27');
    const result: Crl = Object.freeze({
      der,
      issuer: nameToString(crl.issuer),
      thisUpdate: crl.thisUpdate.value,
      nextUpdate: crl.nextUpdate?.value ?? null,
      revokedSerials: serials,
    });
    crlInternals.set(result, {
      pkijs: crl,
      issuerKey: nameKey(crl.issuer),
      tbs: new Uint8Array(crl.tbsView),
      signature: new Uint8Array(crl.signatureValue.valueBlock.valueHexView),
      isDelta,
    });
    return result;
  } catch (cause) {
    throw malformed('unreadable field', cause);
  }
}

/** Parses every `X509 CRL` block of a PEM text (or one DER CRL). */
export function parseCrls(pemOrDer: string | Uint8Array): Crl[] {
  if (!looksLikePem(pemOrDer)) return [parseCrl(pemOrDer)];
  const blocks = pemBlocks(asText(pemOrDer)).filter((b) => b.label === 'X509 CRL');
  if (blocks.length === 0) throw malformed('no X509 CRL block in PEM');
  return blocks.map((b) => parseCrl(b.der));
}

/** True when the CRL's issuer name equals the certificate's subject name. */
export function crlIssuedBy(crl: Crl, issuer: Certificate): boolean {
  const i = crlInternals.get(crl);
  return i !== undefined && i.issuerKey === certificateInternals(issuer).subjectKey;
}

/**
 * Checks that `crl` is a complete CRL issued and signed by `issuer` (name match, cRLSign when
 * keyUsage is present, signature). Throws ERR_CERT_REVOCATION_UNAVAILABLE with the reason in the
 * message (a CRL that cannot be trusted gives no revocation status).
 */
export function verifyCrl(crl: Crl, issuer: Certificate, policy: SignaturePolicy = {}): void {
  const i = crlInternals.get(crl);
  if (i === undefined) throw new TypeError('Not a CRL created by parseCrl');
  const unavailable = (why: string, cause?: unknown): CertError =>
    new CertError('ERR_CERT_REVOCATION_UNAVAILABLE', `Revocation status unavailable: ${why}`, { cause, subject: issuer.subject });
  if (i.isDelta) throw unavailable('delta CRLs are not supported');
  if (!crlIssuedBy(crl, issuer)) throw unavailable('CRL issuer does not match the certificate issuer');
  if (issuer.keyUsage !== null && !issuer.keyUsage.includes('cRLSign')) throw unavailable('CRL issuer lacks cRLSign');
  if (i.pkijs.signature.algorithmId !== i.pkijs.signatureAlgorithm.algorithmId) throw unavailable('CRL signature algorithm mismatch');
  let ok: boolean;
  try {
    ok = verifySignature(i.pkijs.signatureAlgorithm, i.tbs, i.signature, issuer.publicKey, policy);
  } catch (cause) {
    throw unavailable('CRL signature algorithm not accepted', cause);
  }
  if (!ok) throw unavailable('CRL signature does not verify');
}
