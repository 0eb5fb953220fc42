/**
 * XML-DSig over the SOAP envelope of an ebXML message, as ebMS 2.0 §4.1.3 lays it out: one
 * ds:Signature in the SOAP Header with a Reference URI="" (enveloped-signature transform, then
 * canonicalization) and one Reference per payload part (URI="cid:…", digest over the decoded
 * part bytes). Canonicalization comes from xml-crypto; SignedInfo assembly and the checks on
 * receipt are written here so that cid: references can be signed and verified, and so that only
 * the narrow profile below is accepted.
 *
 * Sent: exc-c14n for SignedInfo and the envelope, RSA-SHA256, SHA-256 digests, the signing
 * certificate in KeyInfo/X509Data (informative only: the receiver verifies with the certificate
 * from its address register).
 * Accepted: exc-c14n or inclusive c14n 1.0; RSA-SHA256 (RSA-SHA1 and SHA-1 digests only with
 * `allowSha1`); on the envelope reference an optional ebMS XPath transform (applied as the fixed
 * ebMS filter that drops elements addressed to the next MSH, whatever the expression says).
 */
import { createHash, sign as cryptoSign, timingSafeEqual, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { Document, Element, Node } from '@xmldom/xmldom';
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto';
import type { Certificate } from '@samhandling/cms';
import { TransportError } from '../errors';
import { DS_NS, SOAP_NS, parseXml } from './soap';

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const XPATH = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
const NEXT_MSH_ACTORS = new Set(['urn:oasis:names:tc:ebxml-msg:actor:nextMSH', 'http://schemas.xmlsoap.org/soap/actor/next']);

/** A payload part covered by the signature. */
export interface SignedAttachment {
  /** Content-ID without angle brackets. */
  readonly contentId: string;
  /** The decoded part content. */
  readonly body: Uint8Array;
}

interface NsDecl {
  prefix: string;
  namespaceURI: string;
}

/** In-scope namespace declarations of the ancestors of `el` (nearest wins), for c14n of a subtree. */
function ancestorNamespaces(el: Element): NsDecl[] {
  const seen = new Map<string, string>();
  for (let n = el.parentNode; n !== null && n.nodeType === 1; n = n.parentNode) {
    const attrs = (n as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i);
      if (a === null) continue;
      if (a.name === 'xmlns' && !seen.has('')) seen.set('', a.value);
      else if (a.prefix === 'xmlns' && !seen.has(a.localName ?? '')) seen.set(a.localName ?? '', a.value);
    }
  }
  return [...seen].filter(([, uri]) => uri !== '').map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

function canonicalize(algorithm: string, node: Element): string {
  const c14n = algorithm === EXC_C14N ? new ExclusiveCanonicalization() : new C14nCanonicalization();
  // xml-crypto types its nodes with its own xmldom; the DOM shape is the same.
  return c14n.process(node as unknown as Parameters<ExclusiveCanonicalization['process']>[0], { ancestorNamespaces: ancestorNamespaces(node) }) as string;
}

function digest(algorithm: string, data: string | Uint8Array): Buffer {
  return createHash(algorithm === SHA1 ? 'sha1' : 'sha256').update(data).digest();
}

function sigInvalid(message: string, cause?: unknown): TransportError {
  return new TransportError('ERR_TRANSPORT_SIGNATURE_INVALID', message, { cause });
}

/** An attribute value as written in our XML and, identically, in its canonical form (c14n escapes these). */
function attrText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

/**
 * The SignedInfo we send, as XML inside `<ds:Signature xmlns:ds=…>` and as its exclusive
 * canonical form, written directly (no parse): exc-c14n of this fixed shape only adds the `ds`
 * declaration on the SignedInfo element and writes empty elements as start + end tag. Attribute
 * values go through {@link attrText}, which is also c14n's escaping; digest values are base64.
 * `envelope.test.ts` compares it with xml-crypto's canonicalization.
 */
export function signedInfoOf(envelopeDigest: string, attachments: readonly { readonly contentId: string; readonly digest: string }[]): { readonly xml: string; readonly canonical: string } {
  const parts: [name: string, attrs: string, content: string | undefined][] = [];
  const open = (name: string, attrs = ''): void => {
    parts.push([name, attrs, undefined]);
  };
  const empty = (name: string, attrs: string): void => {
    parts.push([name, attrs, '']);
  };
  const close = (name: string): void => {
    parts.push([`/${name}`, '', undefined]);
  };
  const leaf = (name: string, text: string): void => {
    parts.push([name, '', text]);
  };
  open('ds:SignedInfo');
  empty('ds:CanonicalizationMethod', ` Algorithm="${EXC_C14N}"`);
  empty('ds:SignatureMethod', ` Algorithm="${RSA_SHA256}"`);
  open('ds:Reference', ' URI=""');
  open('ds:Transforms');
  empty('ds:Transform', ` Algorithm="${ENVELOPED}"`);
  empty('ds:Transform', ` Algorithm="${EXC_C14N}"`);
  close('ds:Transforms');
  empty('ds:DigestMethod', ` Algorithm="${SHA256}"`);
  leaf('ds:DigestValue', envelopeDigest);
  close('ds:Reference');
  for (const a of attachments) {
    open('ds:Reference', ` URI="${attrText(`cid:${encodeURI(a.contentId).replace(/"/g, '%22')}`)}"`);
    empty('ds:DigestMethod', ` Algorithm="${SHA256}"`);
    leaf('ds:DigestValue', a.digest);
    close('ds:Reference');
  }
  close('ds:SignedInfo');
  let xml = '';
  let canonical = '';
  for (const [name, attrs, content] of parts) {
    if (name.startsWith('/')) {
      xml += `<${name}>`;
      canonical += `<${name}>`;
    } else if (content === undefined) {
      xml += `<${name}${attrs}>`;
      canonical += name === 'ds:SignedInfo' ? `<${name} xmlns:ds="${DS_NS}"${attrs}>` : `<${name}${attrs}>`;
    } else if (content === '') {
      xml += `<${name}${attrs}/>`;
      canonical += `<${name}${attrs}></${name}>`;
    } else {
      xml += `<${name}${attrs}>${content}</${name}>`;
      canonical += `<${name}${attrs}>${content}</${name}>`;
    }
  }
  return { xml, canonical };
}

/** The envelope's SignedInfo (its digests computed) and where the ds:Signature goes. */
function prepareSignature(envelopeXml: string, attachments: readonly SignedAttachment[]): { at: number; signedInfo: { xml: string; canonical: string } } {
  const marker = '</SOAP:Header>';
  const at = envelopeXml.indexOf(marker);
  if (at === -1 || envelopeXml.indexOf(marker, at + 1) !== -1) throw new TypeError('envelope must contain exactly one </SOAP:Header>');
  const doc = parseXml(envelopeXml);
  const envelopeDigest = digest(SHA256, canonicalize(EXC_C14N, doc.documentElement as Element)).toString('base64');
  const signedInfo = signedInfoOf(
    envelopeDigest,
    attachments.map((a) => ({ contentId: a.contentId, digest: digest(SHA256, a.body).toString('base64') })),
  );
  return { at, signedInfo };
}

function withSignature(envelopeXml: string, at: number, signedInfoXml: string, value: Buffer, certificate: Certificate): string {
  const signature =
    `<ds:Signature xmlns:ds="${DS_NS}">${signedInfoXml}<ds:SignatureValue>${value.toString('base64')}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${Buffer.from(certificate.der).toString('base64')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`;
  return envelopeXml.slice(0, at) + signature + envelopeXml.slice(at);
}

/**
 * Signs an envelope built by `buildEnvelope` and returns it with the ds:Signature appended to the
 * SOAP Header. `envelopeXml` must contain `</SOAP:Header>` exactly once.
 */
export function signEnvelope(envelopeXml: string, signer: { readonly key: KeyObject; readonly certificate: Certificate }, attachments: readonly SignedAttachment[]): string {
  const { at, signedInfo } = prepareSignature(envelopeXml, attachments);
  const value = cryptoSign('sha256', Buffer.from(signedInfo.canonical, 'utf8'), signer.key);
  return withSignature(envelopeXml, at, signedInfo.xml, value, signer.certificate);
}

/**
 * {@link signEnvelope} with the RSA signature computed on libuv's thread pool (Node's
 * `crypto.sign` with a callback), so the event loop goes on with other work meanwhile.
 */
export async function signEnvelopeAsync(
  envelopeXml: string,
  signer: { readonly key: KeyObject; readonly certificate: Certificate },
  attachments: readonly SignedAttachment[],
): Promise<string> {
  const { at, signedInfo } = prepareSignature(envelopeXml, attachments);
  const value = await new Promise<Buffer>((resolve, reject) => {
    cryptoSign('sha256', Buffer.from(signedInfo.canonical, 'utf8'), signer.key, (err, signature) => (err === null ? resolve(signature) : reject(err)));
  });
  return withSignature(envelopeXml, at, signedInfo.xml, value, signer.certificate);
}

function dsChildren(el: Element, local: string): Element[] {
  const out: Element[] = [];
  for (let n: Node | null = el.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === DS_NS && (n as Element).localName === local) out.push(n as Element);
  }
  return out;
}

function dsOne(el: Element, local: string): Element {
  const found = dsChildren(el, local);
  if (found.length !== 1) throw sigInvalid(`signature: expected exactly one ${local}`);
  return found[0] as Element;
}

function algorithmOf(el: Element): string {
  return el.getAttribute('Algorithm') ?? '';
}

function decodeDigest(el: Element): Buffer {
  const text = (el.textContent ?? '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw sigInvalid('signature: DigestValue is not base64');
  return Buffer.from(text, 'base64');
}

function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** Removes the subtrees an ebMS XPath transform excludes: elements whose SOAP actor is the next MSH. */
function removeNextMshElements(el: Element): void {
  const actor = el.getAttributeNS(SOAP_NS, 'actor');
  if (actor !== null && NEXT_MSH_ACTORS.has(actor)) {
    el.parentNode?.removeChild(el);
    return;
  }
  const kids: Element[] = [];
  for (let n: Node | null = el.firstChild; n !== null; n = n.nextSibling) if (n.nodeType === 1) kids.push(n as Element);
  for (const k of kids) removeNextMshElements(k);
}

/** Options of {@link verifyEnvelopeSignature}. */
export interface VerifyEnvelopeOptions {
  /** Accept RSA-SHA1 signatures and SHA-1 digests (older counterparties). Default false. */
  readonly allowSha1?: boolean;
}

/**
 * Verifies the ds:Signature of a received envelope against `signer` (the sender's signing
 * certificate from the address register). Every Manifest part must be signed. Throws
 * ERR_TRANSPORT_SIGNATURE_INVALID; the detail is in the message only as far as it helps an operator.
 */
export function verifyEnvelopeSignature(
  envelopeXml: string,
  signer: Certificate,
  attachments: ReadonlyMap<string, Uint8Array>,
  manifest: readonly string[],
  options: VerifyEnvelopeOptions = {},
): void {
  verifyEnvelopeDocument(parseXml(envelopeXml), signer, attachments, manifest, options);
}

/**
 * {@link verifyEnvelopeSignature} over the envelope parsed once with `parseXml`. The document is
 * changed: its ds:Signature is taken out to digest the rest (read the envelope before).
 */
export function verifyEnvelopeDocument(
  doc: Document,
  signer: Certificate,
  attachments: ReadonlyMap<string, Uint8Array>,
  manifest: readonly string[],
  options: VerifyEnvelopeOptions = {},
): void {
  const digestAlgs = new Set(options.allowSha1 === true ? [SHA256, SHA1] : [SHA256]);
  const env = doc.documentElement as Element;
  let header: Element | undefined;
  for (let n: Node | null = env.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === SOAP_NS && (n as Element).localName === 'Header') header = n as Element;
  }
  if (header === undefined) throw sigInvalid('signature: no SOAP Header');
  const sigs = dsChildren(header, 'Signature');
  if (sigs.length !== 1) throw sigInvalid(sigs.length === 0 ? 'message is not signed' : 'more than one signature');
  const sig = sigs[0] as Element;
  const signedInfo = dsOne(sig, 'SignedInfo');
  const c14nAlg = algorithmOf(dsOne(signedInfo, 'CanonicalizationMethod'));
  if (c14nAlg !== EXC_C14N && c14nAlg !== C14N) throw sigInvalid('signature: canonicalization method not accepted');
  const sigAlg = algorithmOf(dsOne(signedInfo, 'SignatureMethod'));
  if (sigAlg !== RSA_SHA256 && !(sigAlg === RSA_SHA1 && options.allowSha1 === true)) throw sigInvalid('signature: signature method not accepted');
  // Read from the Signature what the checks below need before it is taken out of the document.
  const signedInfoCanonical = canonicalize(c14nAlg, signedInfo);
  const value = Buffer.from((dsOne(sig, 'SignatureValue').textContent ?? '').replace(/\s+/g, ''), 'base64');

  const signedCids = new Set<string>();
  let envelopeReferences = 0;
  // The envelope reference is digested after the loop, with the Signature taken out of `doc`.
  const envelopeChecks: { c14n: string; xpathFilter: boolean; digestAlg: string; expected: Buffer }[] = [];
  for (const ref of dsChildren(signedInfo, 'Reference')) {
    const uri = ref.getAttribute('URI');
    const digestAlg = algorithmOf(dsOne(ref, 'DigestMethod'));
    if (!digestAlgs.has(digestAlg)) throw sigInvalid('signature: digest method not accepted');
    const expected = decodeDigest(dsOne(ref, 'DigestValue'));
    const transformsEl = dsChildren(ref, 'Transforms');
    const transforms = transformsEl.length === 0 ? [] : dsChildren(transformsEl[0] as Element, 'Transform').map(algorithmOf);
    if (uri === '') {
      envelopeReferences++;
      // enveloped-signature, optional ebMS XPath filter, then a canonicalization (inclusive c14n when none is named).
      if (transforms[0] !== ENVELOPED) throw sigInvalid('signature: envelope reference lacks the enveloped-signature transform');
      let rest = transforms.slice(1);
      const xpathFilter = rest[0] === XPATH;
      if (xpathFilter) rest = rest.slice(1);
      if (rest.length > 1 || (rest.length === 1 && rest[0] !== EXC_C14N && rest[0] !== C14N)) throw sigInvalid('signature: envelope transforms not accepted');
      const refC14n = rest[0] ?? C14N;
      envelopeChecks.push({ c14n: refC14n, xpathFilter, digestAlg, expected });
    } else if (uri !== null && /^cid:/i.test(uri)) {
      if (transforms.length > 0) throw sigInvalid('signature: transforms on a payload reference are not accepted');
      let cid: string;
      try {
        cid = decodeURIComponent(uri.slice(4));
      } catch (err) {
        throw sigInvalid('signature: payload reference is not a valid cid: URL', err);
      }
      const body = attachments.get(cid);
      if (body === undefined) throw sigInvalid('signature: a signed payload part is missing');
      if (!sameDigest(digest(digestAlg, body), expected)) throw sigInvalid('signature: payload digest does not match');
      signedCids.add(cid);
    } else {
      throw sigInvalid('signature: reference URI not accepted');
    }
  }
  if (envelopeReferences !== 1) throw sigInvalid('signature: exactly one reference must cover the envelope');
  for (const cid of manifest) if (!signedCids.has(cid)) throw sigInvalid('signature: a payload part is not signed');
  const check = envelopeChecks[0] as (typeof envelopeChecks)[number];
  header.removeChild(sig);
  if (check.xpathFilter) removeNextMshElements(env);
  if (!sameDigest(digest(check.digestAlg, canonicalize(check.c14n, env)), check.expected)) throw sigInvalid('signature: envelope digest does not match');

  let ok = false;
  try {
    ok = cryptoVerify(sigAlg === RSA_SHA1 ? 'sha1' : 'sha256', Buffer.from(signedInfoCanonical, 'utf8'), signer.publicKey, value);
  } catch (err) {
    throw sigInvalid('signature value could not be checked', err);
  }
  if (!ok) throw sigInvalid('signature value does not verify with the sender signing certificate');
}
