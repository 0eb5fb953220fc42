/**
 * Test PKI generator: a root CA, an intermediate CA, per party a signing and an encryption
 * certificate with Norwegian enterprise-certificate subjects, CRLs, and the flawed certificates
 * that negative tests need. FOR TESTS AND DEMOS ONLY: keys are unprotected.
 */
import { createHash, createPublicKey, generateKeyPair, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCrl, type Crl } from '../cert/crl';
import { toArrayBuffer, toPem } from '../cert/der';
import { NAME_OIDS } from '../cert/names';
import type { Certificate, KeyUsage, PrivateKey } from '../cert/types';
import { KEY_USAGE_BITS } from '../cert/types';
import { parseCertificate, privateKeyFromKeyObject } from '../keys/load';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A party (communication party) to issue certificates for. */
export interface TestPartySpec {
  /** Organisation name, used as O and CN. */
  readonly name: string;
  /** The party's HER-id, placed in OU as `HER-id <herId>`. */
  readonly herId: string | number;
  /** Organisation number (9 digits), placed in the subject serialNumber. */
  readonly orgNumber: string;
}

/** Options for {@link createTestPki}. */
export interface CreateTestPkiOptions {
  readonly parties: readonly TestPartySpec[];
  /** "Now" for validity periods and CRL times. Default: the system clock. */
  readonly clock?: () => Date;
  /** RSA key size. Default 2048. */
  readonly keyBits?: number;
  /** Base URL for CRL distribution points. Default `http://crl.samhandling.test/`. */
  readonly crlBaseUrl?: string;
}

/** A certificate with its key, in object and PEM form. */
export interface TestCredential {
  readonly certificate: Certificate;
  readonly key: PrivateKey;
  readonly certificatePem: string;
  /** Unencrypted PKCS#8 PEM. */
  readonly keyPem: string;
}

/** A party's two enterprise certificates. */
export interface TestPartyCredentials extends TestPartySpec {
  /** keyUsage nonRepudiation + digitalSignature. */
  readonly signing: TestCredential;
  /** keyUsage keyEncipherment + dataEncipherment. */
  readonly encryption: TestCredential;
}

/** A CRL in object and PEM form. */
export interface TestCrl {
  readonly crl: Crl;
  readonly pem: string;
}

/** Certificates that must be rejected, all for the first party's identity. */
export interface TestPkiBadCertificates {
  /** Signing certificate whose notAfter is in the past. */
  readonly expired: TestCredential;
  /** Signing certificate whose notBefore is in the future. */
  readonly notYetValid: TestCredential;
  /** Signing certificate listed in the intermediate's CRL. */
  readonly revoked: TestCredential;
  /** Certificate whose keyUsage is dataEncipherment only: refused for both 'sign' and 'encrypt'. */
  readonly wrongKeyUsage: TestCredential;
  /** Signing certificate issued by {@link untrustedRoot}. */
  readonly untrusted: TestCredential;
  /** A self-signed root that is not a configured anchor. */
  readonly untrustedRoot: TestCredential;
  /** A CA certificate under the root whose keyUsage lacks keyCertSign. */
  readonly intermediateWithoutKeyCertSign: TestCredential;
  /** Signing certificate issued by {@link intermediateWithoutKeyCertSign}. */
  readonly underIntermediateWithoutKeyCertSign: TestCredential;
}

/** A generated test PKI. */
export interface TestPki {
  readonly root: TestCredential;
  readonly intermediate: TestCredential;
  readonly parties: readonly TestPartyCredentials[];
  /** CRL of the intermediate CA (lists `bad.revoked`). */
  readonly crl: TestCrl;
  /** CRL of the root CA (empty). */
  readonly rootCrl: TestCrl;
  readonly bad: TestPkiBadCertificates;
  /** When the PKI was generated ("now" of its clock). */
  readonly createdAt: Date;
}

const DAY = 24 * 60 * 60 * 1000;
const SHA256_RSA = '1.2.840.113549.1.1.11';

function time(date: Date): pkijs.Time {
  const y = date.getUTCFullYear();
  return new pkijs.Time({ type: y >= 1950 && y < 2050 ? 0 : 1, value: date });
}

interface NameSpec {
  readonly C?: string;
  readonly O?: string;
  readonly OU?: string;
  readonly serialNumber?: string;
  readonly CN: string;
}

function buildName(spec: NameSpec): pkijs.RelativeDistinguishedNames {
  const rdn = new pkijs.RelativeDistinguishedNames();
  const add = (short: string, value: string | undefined, printable: boolean): void => {
    if (value === undefined) return;
    const oid = NAME_OIDS[short];
    if (oid === undefined) throw new Error(`unknown attribute ${short}`);
    rdn.typesAndValues.push(
      new pkijs.AttributeTypeAndValue({ type: oid, value: printable ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }) }),
    );
  };
  add('C', spec.C, true);
  add('O', spec.O, false);
  add('OU', spec.OU, false);
  add('serialNumber', spec.serialNumber, true);
  add('CN', spec.CN, false);
  return rdn;
}

function ext(extnID: string, critical: boolean, value: asn1js.AsnType | pkijs.PkiObject): pkijs.Extension {
  const schema = value instanceof pkijs.PkiObject ? value.toSchema() : value;
  return new pkijs.Extension({ extnID, critical, extnValue: schema.toBER(false) });
}

function keyUsageExt(usages: readonly KeyUsage[]): pkijs.Extension {
  const bits = usages.map((u) => KEY_USAGE_BITS.indexOf(u));
  const max = Math.max(...bits);
  const bytes = new Uint8Array(max >= 8 ? 2 : 1);
  for (const b of bits) bytes[b >> 3] = (bytes[b >> 3] as number) | (0x80 >> (b & 7));
  const unused = bytes.length * 8 - 1 - max;
  return ext('2.5.29.15', true, new asn1js.BitString({ valueHex: toArrayBuffer(bytes), unusedBits: unused }));
}

/** Key identifier: SHA-1 over the whole SubjectPublicKeyInfo (unique, like RFC 5280 §4.2.1.2's methods). */
function keyId(spki: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(spki).digest());
}

function serial(): Uint8Array {
  const b = new Uint8Array(randomBytes(16));
  b[0] = ((b[0] as number) & 0x7f) | 0x01;
  return b;
}

interface IssueSpec {
  readonly subject: NameSpec;
  readonly publicKey: KeyObject;
  readonly issuer: { readonly name: pkijs.RelativeDistinguishedNames; readonly key: KeyObject; readonly spki: Uint8Array } | 'self';
  readonly selfKey?: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca: boolean;
  readonly pathLen?: number;
  readonly keyUsage: readonly KeyUsage[];
  readonly crlUrl?: string;
  readonly serial?: Uint8Array;
}

function issue(spec: IssueSpec): Uint8Array {
  const spki = spkiOf(spec.publicKey);
  const subject = buildName(spec.subject);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(spec.serial ?? serial()) });
  cert.subject = subject;
  cert.issuer = spec.issuer === 'self' ? buildName(spec.subject) : spec.issuer.name;
  cert.notBefore = time(spec.notBefore);
  cert.notAfter = time(spec.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spki);
  const extensions: pkijs.Extension[] = [
    ext('2.5.29.19', spec.ca, new pkijs.BasicConstraints(spec.ca ? { cA: true, ...(spec.pathLen === undefined ? {} : { pathLenConstraint: spec.pathLen }) } : {})),
    keyUsageExt(spec.keyUsage),
    ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: toArrayBuffer(keyId(spki)) })),
  ];
  const issuerSpki = spec.issuer === 'self' ? spki : spec.issuer.spki;
  extensions.push(
    ext('2.5.29.35', false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(keyId(issuerSpki)) }) })),
  );
  if (spec.crlUrl !== undefined) {
    extensions.push(
      ext(
        '2.5.29.31',
        false,
        new pkijs.CRLDistributionPoints({
          distributionPoints: [new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: spec.crlUrl })] })],
        }),
      ),
    );
  }
  cert.extensions = extensions;
  const alg = new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_RSA, algorithmParams: new asn1js.Null() });
  cert.signature = alg;
  cert.signatureAlgorithm = alg;
  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  const signingKey = spec.issuer === 'self' ? (spec.selfKey as KeyObject) : spec.issuer.key;
  const signature = cryptoSign('sha256', tbs, signingKey);
  cert.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(signature) });
  cert.tbsView = tbs;
  return new Uint8Array(cert.toSchema(false).toBER(false));
}

function makeCrl(issuerName: pkijs.RelativeDistinguishedNames, issuerSpki: Uint8Array, issuerKey: KeyObject, thisUpdate: Date, nextUpdate: Date, revoked: readonly { serial: Uint8Array; at: Date }[], crlNumber: number): Uint8Array {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  const alg = new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_RSA, algorithmParams: new asn1js.Null() });
  crl.signature = alg;
  crl.signatureAlgorithm = alg;
  crl.issuer = issuerName;
  crl.thisUpdate = time(thisUpdate);
  crl.nextUpdate = time(nextUpdate);
  if (revoked.length > 0) {
    crl.revokedCertificates = revoked.map(
      (r) => new pkijs.RevokedCertificate({ userCertificate: new asn1js.Integer({ valueHex: toArrayBuffer(r.serial) }), revocationDate: time(r.at) }),
    );
  }
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      ext('2.5.29.35', false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(keyId(issuerSpki)) }) })),
      ext('2.5.29.20', false, new asn1js.Integer({ value: crlNumber })),
    ],
  });
  const outer = crl.toSchema(true);
  const tbsSchema = outer.valueBlock.value[0] as asn1js.Sequence;
  const tbs = new Uint8Array(tbsSchema.toBER(false));
  const signature = cryptoSign('sha256', tbs, issuerKey);
  const full = new asn1js.Sequence({ value: [tbsSchema, alg.toSchema(), new asn1js.BitString({ valueHex: toArrayBuffer(signature) })] });
  return new Uint8Array(full.toBER(false));
}

function credential(der: Uint8Array, key: KeyObject): TestCredential {
  const certificate = parseCertificate(der);
  return Object.freeze({
    certificate,
    key: privateKeyFromKeyObject(key),
    certificatePem: toPem('CERTIFICATE', der),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
}

interface KeyPairObjects {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

async function rsaKey(bits: number): Promise<KeyPairObjects> {
  return generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
}

function spkiOf(k: KeyObject): Uint8Array {
  const pub = k.type === 'public' ? k : createPublicKey(k);
  return new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
}

const ORGNR_RE = /^\d{9}$/;

/**
 * Generates a complete test PKI. Slow-ish (one RSA key per CA and per party certificate, plus
 * a few for the flawed certificates): generate once per test file.
 */
export async function createTestPki(opts: CreateTestPkiOptions): Promise<TestPki> {
  if (!Array.isArray(opts.parties) || opts.parties.length === 0) throw new TypeError('createTestPki needs at least one party');
  for (const p of opts.parties) {
    if (typeof p.name !== 'string' || p.name.trim() === '') throw new TypeError('party name must be a non-empty string');
    if (!ORGNR_RE.test(p.orgNumber)) throw new RangeError(`orgNumber must be 9 digits: ${p.orgNumber}`);
    if (!/^\d+$/.test(String(p.herId))) throw new RangeError(`herId must be digits: ${String(p.herId)}`);
  }
  const keyBits = opts.keyBits ?? 2048;
  if (!Number.isInteger(keyBits) || keyBits < 1024 || keyBits > 8192) throw new RangeError('keyBits must be 1024..8192');
  const now = (opts.clock ?? ((): Date => new Date()))();
  const base = opts.crlBaseUrl ?? 'http://crl.samhandling.test/';
  const at = (days: number): Date => new Date(now.getTime() + days * DAY);

  const partyKeyCount = opts.parties.length * 2;
  // root, intermediate, untrusted root, intermediate without keyCertSign, one shared key for flawed leaves.
  const keys = await Promise.all(Array.from({ length: 5 + partyKeyCount }, () => rsaKey(keyBits)));
  const takeKey = (): KeyPairObjects => {
    const k = keys.shift();
    if (k === undefined) throw new Error('internal: out of keys');
    return k;
  };

  const rootKey = takeKey();
  const rootDer = issue({
    subject: { C: 'NO', O: 'Samhandling Test PKI', CN: 'Samhandling Test Root CA' },
    publicKey: rootKey.publicKey,
    issuer: 'self',
    selfKey: rootKey.privateKey,
    notBefore: at(-1),
    notAfter: at(3650),
    ca: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const root = credential(rootDer, rootKey.privateKey);
  const rootIssuer = { name: buildName({ C: 'NO', O: 'Samhandling Test PKI', CN: 'Samhandling Test Root CA' }), key: rootKey.privateKey, spki: spkiOf(rootKey.publicKey) };

  const interKey = takeKey();
  const interName: NameSpec = { C: 'NO', O: 'Samhandling Test PKI', CN: 'Samhandling Test Enterprise CA' };
  const intermediate = credential(
    issue({
      subject: interName,
      publicKey: interKey.publicKey,
      issuer: rootIssuer,
      notBefore: at(-1),
      notAfter: at(1825),
      ca: true,
      pathLen: 0,
      keyUsage: ['keyCertSign', 'cRLSign'],
      crlUrl: `${base}root.crl`,
    }),
    interKey.privateKey,
  );
  const interIssuer = { name: buildName(interName), key: interKey.privateKey, spki: spkiOf(interKey.publicKey) };
  const leafCrlUrl = `${base}enterprise-ca.crl`;

  const leaf = (p: TestPartySpec, k: KeyPairObjects, usage: readonly KeyUsage[], extra: Partial<IssueSpec> & { ou?: string } = {}): TestCredential =>
    credential(
      issue({
        subject: { C: 'NO', O: p.name, OU: extra.ou ?? `HER-id ${String(p.herId)}`, serialNumber: p.orgNumber, CN: p.name },
        publicKey: k.publicKey,
        issuer: extra.issuer ?? interIssuer,
        notBefore: extra.notBefore ?? at(-1),
        notAfter: extra.notAfter ?? at(730),
        ca: false,
        keyUsage: usage,
        crlUrl: extra.crlUrl ?? leafCrlUrl,
        ...(extra.serial === undefined ? {} : { serial: extra.serial }),
      }),
      k.privateKey,
    );

  const parties: TestPartyCredentials[] = opts.parties.map((p) =>
    Object.freeze({
      name: p.name,
      herId: p.herId,
      orgNumber: p.orgNumber,
      signing: leaf(p, takeKey(), ['digitalSignature', 'nonRepudiation']),
      encryption: leaf(p, takeKey(), ['keyEncipherment', 'dataEncipherment']),
    }),
  );

  const untrustedRootKey = takeKey();
  const untrustedName: NameSpec = { C: 'NO', O: 'Untrusted Test PKI', CN: 'Untrusted Test Root CA' };
  const untrustedRoot = credential(
    issue({ subject: untrustedName, publicKey: untrustedRootKey.publicKey, issuer: 'self', selfKey: untrustedRootKey.privateKey, notBefore: at(-1), notAfter: at(3650), ca: true, keyUsage: ['keyCertSign', 'cRLSign'] }),
    untrustedRootKey.privateKey,
  );
  const noSignKey = takeKey();
  const noSignName: NameSpec = { C: 'NO', O: 'Samhandling Test PKI', CN: 'Samhandling Test CA without keyCertSign' };
  const intermediateWithoutKeyCertSign = credential(
    issue({ subject: noSignName, publicKey: noSignKey.publicKey, issuer: rootIssuer, notBefore: at(-1), notAfter: at(1825), ca: true, pathLen: 0, keyUsage: ['cRLSign', 'digitalSignature'], crlUrl: `${base}root.crl` }),
    noSignKey.privateKey,
  );

  const first = opts.parties[0] as TestPartySpec;
  const badKey = takeKey();
  const revokedSerial = serial();
  const bad: TestPkiBadCertificates = Object.freeze({
    expired: leaf(first, badKey, ['digitalSignature', 'nonRepudiation'], { ou: 'Expired', notBefore: at(-730), notAfter: at(-1) }),
    notYetValid: leaf(first, badKey, ['digitalSignature', 'nonRepudiation'], { ou: 'Not yet valid', notBefore: at(1), notAfter: at(730) }),
    revoked: leaf(first, badKey, ['digitalSignature', 'nonRepudiation'], { ou: 'Revoked', serial: revokedSerial }),
    wrongKeyUsage: leaf(first, badKey, ['dataEncipherment'], { ou: 'Wrong key usage' }),
    untrusted: leaf(first, badKey, ['digitalSignature', 'nonRepudiation', 'keyEncipherment'], {
      ou: 'Untrusted',
      issuer: { name: buildName(untrustedName), key: untrustedRootKey.privateKey, spki: spkiOf(untrustedRootKey.publicKey) },
    }),
    untrustedRoot,
    intermediateWithoutKeyCertSign,
    underIntermediateWithoutKeyCertSign: leaf(first, badKey, ['digitalSignature', 'nonRepudiation'], {
      ou: 'Issuer lacks keyCertSign',
      issuer: { name: buildName(noSignName), key: noSignKey.privateKey, spki: spkiOf(noSignKey.publicKey) },
    }),
  });

  const crlDer = makeCrl(interIssuer.name, interIssuer.spki, interKey.privateKey, at(-1 / 24), at(7), [{ serial: revokedSerial, at: at(-1 / 48) }], 1);
  const rootCrlDer = makeCrl(rootIssuer.name, rootIssuer.spki, rootKey.privateKey, at(-1 / 24), at(30), [], 1);
  return Object.freeze({
    root,
    intermediate,
    parties: Object.freeze(parties),
    crl: Object.freeze({ crl: parseCrl(crlDer), pem: toPem('X509 CRL', crlDer) }),
    rootCrl: Object.freeze({ crl: parseCrl(rootCrlDer), pem: toPem('X509 CRL', rootCrlDer) }),
    bad,
    createdAt: now,
  });
}
