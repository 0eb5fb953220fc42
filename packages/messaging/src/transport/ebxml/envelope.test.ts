import { createHash, sign as cryptoSign } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto';
import { createTestPki, type TestPartyCredentials } from '@samhandling/cms';
import { TransportError } from '../errors';
import { buildEnvelope, parseEnvelope, type EnvelopeInput } from './soap';
import { signEnvelope, signEnvelopeAsync, signedInfoOf, verifyEnvelopeSignature } from './xmldsig';

let a: TestPartyCredentials;
let b: TestPartyCredentials;
beforeAll(async () => {
  const pki = await createTestPki({
    parties: [
      { name: 'A', herId: '1001', orgNumber: '938583986' },
      { name: 'B', herId: '2002', orgNumber: '983975267' },
    ],
  });
  [a, b] = pki.parties as [TestPartyCredentials, TestPartyCredentials];
}, 120_000);

const payload = { contentId: 'payload-1@test', body: new Uint8Array([48, 130, 1, 2, 3]) };
const input: EnvelopeInput = {
  header: {
    from: '1001',
    to: '2002',
    cpaId: 'cpa-1',
    conversationId: 'conv <&"> 1',
    service: 'LOG_INNLAGT',
    action: 'MeldingOmInnlagtPasient',
    messageId: 'b9a3b0a2-6a43-4d5e-8f43-0d0d3f7f1b11',
    timestamp: new Date('2026-03-01T10:00:00.000Z'),
    refToMessageId: 'ref-1',
  },
  ackRequested: true,
  duplicateElimination: true,
  manifest: [payload.contentId],
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof TransportError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('SOAP envelope', () => {
  it('round-trips the MessageHeader, AckRequested and Manifest', () => {
    const env = parseEnvelope(buildEnvelope(input));
    expect(env.header).toEqual(input.header);
    expect(env.ackRequested).toBe(true);
    expect(env.manifest).toEqual([payload.contentId]);
    expect(env.acknowledgment).toBeUndefined();
    expect(env.errors).toBeUndefined();
  });

  it('round-trips an Acknowledgment and an ErrorList', () => {
    const header = { ...input.header, service: 'urn:oasis:names:tc:ebxml-msg:service', action: 'Acknowledgment' };
    const ack = parseEnvelope(buildEnvelope({ header, acknowledgment: { refToMessageId: 'm-1', timestamp: new Date('2026-03-01T10:00:01.000Z') } }));
    expect(ack.acknowledgment).toEqual({ refToMessageId: 'm-1', timestamp: new Date('2026-03-01T10:00:01.000Z'), from: '1001' });
    const err = parseEnvelope(buildEnvelope({ header: { ...header, action: 'MessageError' }, errors: [{ code: 'SecurityFailure', severity: 'Error', description: 'bad', location: 'cid:x' }] }));
    expect(err.errors).toEqual([{ code: 'SecurityFailure', severity: 'Error', description: 'bad', location: 'cid:x' }]);
  });

  it.each([
    ['a DTD', (x: string) => x.replace('<SOAP:Envelope', '<!DOCTYPE x [<!ENTITY e "x">]><SOAP:Envelope'), 'ERR_TRANSPORT_MALFORMED'],
    ['not XML', () => '<<<', 'ERR_TRANSPORT_MALFORMED'],
    ['no MessageHeader', (x: string) => x.replace(/<eb:MessageHeader[\s\S]*<\/eb:MessageHeader>/, ''), 'ERR_TRANSPORT_MALFORMED'],
    ['two MessageHeaders', (x: string) => x.replace(/(<eb:MessageHeader[\s\S]*<\/eb:MessageHeader>)/, '$1$1'), 'ERR_TRANSPORT_MALFORMED'],
    ['another ebMS version', (x: string) => x.replace('eb:version="2.0">', 'eb:version="1.0">'), 'ERR_TRANSPORT_UNSUPPORTED'],
    ['a From without a HER PartyId', (x: string) => x.replace('<eb:PartyId eb:type="HER">1001', '<eb:PartyId eb:type="ENH">1001'), 'ERR_TRANSPORT_MALFORMED'],
    ['a HER-id that is not digits', (x: string) => x.replace('>1001<', '>10x1<'), 'ERR_TRANSPORT_MALFORMED'],
    ['a bad Timestamp', (x: string) => x.replace('2026-03-01T10:00:00.000Z', 'yesterday'), 'ERR_TRANSPORT_MALFORMED'],
    ['a Manifest pointing elsewhere', (x: string) => x.replace('cid:payload-1@test', 'http://evil.test/x'), 'ERR_TRANSPORT_MALFORMED'],
    ['not a SOAP envelope', () => '<Envelope/>', 'ERR_TRANSPORT_MALFORMED'],
  ])('refuses %s', (_name, breakIt, code) => {
    expect(codeOf(() => parseEnvelope(breakIt(buildEnvelope(input))))).toBe(code);
  });

  it('refuses unusable values when building (caller mistake)', () => {
    expect(() => buildEnvelope({ ...input, header: { ...input.header, messageId: '' } })).toThrow(TypeError);
    expect(() => buildEnvelope({ ...input, header: { ...input.header, action: 'a\nb' } })).toThrow(TypeError);
  });
});

describe('XML-DSig of the envelope', () => {
  const signer = (): { key: typeof a.signing.key.keyObject; certificate: typeof a.signing.certificate } => ({ key: a.signing.key.keyObject, certificate: a.signing.certificate });
  const attachments = (body = payload.body): Map<string, Uint8Array> => new Map([[payload.contentId, body]]);

  it('signs the envelope and the payload part, and verifies with the sender certificate', () => {
    const xml = signEnvelope(buildEnvelope(input), signer(), [payload]);
    expect(xml).toContain('<ds:Reference URI="">');
    expect(xml).toContain('<ds:Reference URI="cid:payload-1@test">');
    const env = parseEnvelope(xml);
    expect(env.signature).toBeDefined();
    expect(() => verifyEnvelopeSignature(xml, a.signing.certificate, attachments(), env.manifest)).not.toThrow();
  });

  it('signs on the thread pool exactly as it signs on the event loop (RSA PKCS#1 v1.5 is deterministic)', async () => {
    const xml = await signEnvelopeAsync(buildEnvelope(input), signer(), [payload]);
    expect(xml).toBe(signEnvelope(buildEnvelope(input), signer(), [payload]));
    expect(() => verifyEnvelopeSignature(xml, a.signing.certificate, attachments(), [payload.contentId])).not.toThrow();
    await expect(signEnvelopeAsync('<SOAP:Envelope/>', signer(), [])).rejects.toThrow(TypeError);
  });

  it('writes the SignedInfo and its exclusive canonical form without a parser, as xml-crypto canonicalizes it', () => {
    const ids = ['payload-1@test', 'a&b<c>"d" e@x', 'æøå\t\n\r@x', "it's=%41@x"];
    const cases = [[], [ids[0]], ids].map((list) => list.map((contentId, i) => ({ contentId: contentId as string, digest: `ZGln${i}ZXN0+/=` })));
    for (const attachments of cases) {
      const { xml, canonical } = signedInfoOf('ZW52ZWxvcGU=', attachments);
      const doc = new DOMParser().parseFromString(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${xml}</ds:Signature>`, 'text/xml');
      const signedInfo = (doc.documentElement as Element).firstChild as Element;
      const c14n = new ExclusiveCanonicalization().process(signedInfo as unknown as Parameters<ExclusiveCanonicalization['process']>[0], {
        ancestorNamespaces: [{ prefix: 'ds', namespaceURI: 'http://www.w3.org/2000/09/xmldsig#' }],
      });
      expect(canonical).toBe(c14n);
    }
  });

  it('verifies payload parts whose Content-ID needs escaping in the signature', () => {
    const odd = { contentId: 'part&1 "x"@test', body: new Uint8Array([1, 2, 3]) };
    const xml = signEnvelope(buildEnvelope({ ...input, manifest: [odd.contentId] }), signer(), [odd]);
    expect(() => verifyEnvelopeSignature(xml, a.signing.certificate, new Map([[odd.contentId, odd.body]]), [odd.contentId])).not.toThrow();
    expect(codeOf(() => verifyEnvelopeSignature(xml, a.signing.certificate, new Map([[odd.contentId, new Uint8Array([1, 2, 4])]]), [odd.contentId]))).toBe(
      'ERR_TRANSPORT_SIGNATURE_INVALID',
    );
  });

  const tampered: [string, (xml: string) => string][] = [
    ['a changed header value', (x) => x.replace('<eb:Action>MeldingOmInnlagtPasient', '<eb:Action>Other')],
    ['an element added to the Body', (x) => x.replace('</eb:Manifest>', '</eb:Manifest><eb:Extra/>')],
    ['a removed AckRequested', (x) => x.replace(/<eb:AckRequested[^>]*\/>/, '')],
    ['a changed SignatureValue', (x) => x.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`)],
    ['a changed digest algorithm', (x) => x.replace('http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512')],
    ['no signature', (x) => x.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')],
    ['a second signature', (x) => x.replace(/(<ds:Signature[\s\S]*<\/ds:Signature>)/, '$1$1')],
  ];
  it.each(tampered)('refuses %s', (_name, tamper) => {
    const xml = tamper(signEnvelope(buildEnvelope(input), signer(), [payload]));
    expect(codeOf(() => verifyEnvelopeSignature(xml, a.signing.certificate, attachments(), [payload.contentId]))).toBe('ERR_TRANSPORT_SIGNATURE_INVALID');
  });

  it('refuses a changed payload, a signature by another party and an unsigned Manifest part', () => {
    const xml = signEnvelope(buildEnvelope(input), signer(), [payload]);
    expect(codeOf(() => verifyEnvelopeSignature(xml, a.signing.certificate, attachments(new Uint8Array([9])), [payload.contentId]))).toBe('ERR_TRANSPORT_SIGNATURE_INVALID');
    expect(codeOf(() => verifyEnvelopeSignature(xml, b.signing.certificate, attachments(), [payload.contentId]))).toBe('ERR_TRANSPORT_SIGNATURE_INVALID');
    const unsignedPart = signEnvelope(buildEnvelope(input), signer(), []);
    expect(codeOf(() => verifyEnvelopeSignature(unsignedPart, a.signing.certificate, attachments(), [payload.contentId]))).toBe('ERR_TRANSPORT_SIGNATURE_INVALID');
    expect(codeOf(() => verifyEnvelopeSignature(xml, a.signing.certificate, new Map(), [payload.contentId]))).toBe('ERR_TRANSPORT_SIGNATURE_INVALID');
  });

  /**
   * The form other Norwegian MSHs send (ebMS 2.0 §4.1.3 as written): inclusive c14n, an XPath
   * transform that leaves out elements for the next MSH, and an element for the next MSH present.
   * Built here by hand, independently of signEnvelope.
   */
  function signLikeOtherMsh(extraNextMsh: string): string {
    const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
    const base = buildEnvelope(input);
    const c14n = (el: Element): string => new C14nCanonicalization().process(el as never, {}) as string;
    const doc = new DOMParser().parseFromString(base, 'text/xml');
    const envelopeDigest = createHash('sha256').update(c14n(doc.documentElement as Element)).digest('base64');
    const payloadDigest = createHash('sha256').update(payload.body).digest('base64');
    const signedInfo =
      `<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:CanonicalizationMethod Algorithm="${C14N}"></ds:CanonicalizationMethod>` +
      '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod>' +
      '<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></ds:Transform>' +
      '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::node()[@SOAP:actor="urn:oasis:names:tc:ebxml-msg:actor:nextMSH"])</ds:XPath></ds:Transform>' +
      `<ds:Transform Algorithm="${C14N}"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod>` +
      `<ds:DigestValue>${envelopeDigest}</ds:DigestValue></ds:Reference>` +
      `<ds:Reference URI="cid:${payload.contentId}"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod><ds:DigestValue>${payloadDigest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
    // Inclusive c14n of SignedInfo in place renders the namespaces in scope there: SOAP, eb, xlink and ds.
    const placed = base.replace('</SOAP:Header>', `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${signedInfo.replace(' xmlns:ds="http://www.w3.org/2000/09/xmldsig#"', '')}</ds:Signature></SOAP:Header>`);
    const placedDoc = new DOMParser().parseFromString(placed, 'text/xml');
    const si = placedDoc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'SignedInfo')[0] as Element;
    const inScope = [
      { prefix: 'SOAP', namespaceURI: 'http://schemas.xmlsoap.org/soap/envelope/' },
      { prefix: 'eb', namespaceURI: 'http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd' },
      { prefix: 'xlink', namespaceURI: 'http://www.w3.org/1999/xlink' },
      { prefix: 'ds', namespaceURI: 'http://www.w3.org/2000/09/xmldsig#' },
    ];
    const canonSignedInfo = new C14nCanonicalization().process(si as never, { ancestorNamespaces: inScope }) as string;
    const value = cryptoSign('sha256', Buffer.from(canonSignedInfo), a.signing.key.keyObject).toString('base64');
    const signed = placed.replace('</ds:SignedInfo>', `</ds:SignedInfo><ds:SignatureValue>${value}</ds:SignatureValue>`);
    // An element addressed to the next MSH is added after signing: the XPath transform leaves it out.
    return signed.replace('</SOAP:Header>', `${extraNextMsh}</SOAP:Header>`);
  }

  it('accepts inclusive c14n with the ebMS XPath transform, ignoring elements for the next MSH', () => {
    const nextMsh = '<eb:SyncReply SOAP:actor="urn:oasis:names:tc:ebxml-msg:actor:nextMSH" SOAP:mustUnderstand="1" eb:version="2.0"/>';
    const xml = signLikeOtherMsh(nextMsh);
    expect(() => verifyEnvelopeSignature(xml, a.signing.certificate, attachments(), [payload.contentId])).not.toThrow();
    // …but not another element added after signing
    const other = signLikeOtherMsh('<eb:SyncReply SOAP:mustUnderstand="1" eb:version="2.0"/>');
    expect(codeOf(() => verifyEnvelopeSignature(other, a.signing.certificate, attachments(), [payload.contentId]))).toBe('ERR_TRANSPORT_SIGNATURE_INVALID');
  });
});
