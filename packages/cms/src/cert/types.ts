import type { KeyObject } from 'node:crypto';

/** The keyUsage bits of RFC 5280 §4.2.1.3, by their ASN.1 names. */
export type KeyUsage =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/** keyUsage names in bit order (bit 0 first). */
export const KEY_USAGE_BITS: readonly KeyUsage[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/**
 * A parsed X.509 certificate (RFC 5280). A readonly plain object; create it with
 * `parseCertificate`. The library keeps the parsed ASN.1 structure privately behind it.
 */
export interface Certificate {
  /** The certificate's DER encoding, exactly as read. */
  readonly der: Uint8Array;
  /** Subject distinguished name in RFC 4514 style (most specific RDN first), e.g. `CN=X,O=X,C=NO`. */
  readonly subject: string;
  /** Issuer distinguished name in RFC 4514 style. */
  readonly issuer: string;
  /** Serial number as lowercase hex without leading zero bytes (at least two digits). */
  readonly serialNumberHex: string;
  /** Start of the validity period. */
  readonly notBefore: Date;
  /** End of the validity period. */
  readonly notAfter: Date;
  /** The keyUsage extension's bits, or null when the extension is absent. */
  readonly keyUsage: readonly KeyUsage[] | null;
  /** True when basicConstraints says cA. */
  readonly isCA: boolean;
  /**
   * Norwegian organisation number (9 digits) of an enterprise certificate: from the subject
   * serialNumber (OID 2.5.4.5) or an organizationIdentifier (OID 2.5.4.97) `NTRNO-<orgnr>`;
   * null when neither is present.
   */
  readonly organisationNumber: string | null;
  /** The subject public key. */
  readonly publicKey: KeyObject;
  /** SHA-256 over the DER, lowercase hex without separators. */
  readonly fingerprintSha256: string;
}

/** A loaded private key. */
export interface PrivateKey {
  /** The node:crypto key. */
  readonly keyObject: KeyObject;
  /** RSA modulus size in bits (0 for non-RSA keys). */
  readonly modulusBits: number;
}
