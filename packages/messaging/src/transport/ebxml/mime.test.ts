import fc from 'fast-check';
import { TransportError } from '../errors';
import { buildMimeMessage, contentIdFromCidUrl, parseContentType, parseMimeMessage } from './mime';

const soap = Buffer.from('<SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/"/>');

function sample(payload: Uint8Array = new Uint8Array([1, 2, 3, 250])): Buffer {
  return buildMimeMessage({
    headers: [
      ['From', 'a@a.test'],
      ['SOAPAction', '"ebXML"'],
    ],
    parts: [
      { contentId: 'soap@x', contentType: 'text/xml; charset=UTF-8', body: soap },
      { contentId: 'payload@x', contentType: 'application/pkcs7-mime; smime-type=signed-and-enveloped-data', body: payload },
    ],
  });
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof TransportError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('MIME multipart/related', () => {
  it('round-trips parts, root and headers', () => {
    const m = parseMimeMessage(sample());
    expect(m.headers.get('soapaction')).toBe('"ebXML"');
    expect(m.parts).toHaveLength(2);
    expect(m.root.contentId).toBe('soap@x');
    expect(m.root.body.equals(soap)).toBe(true);
    expect(m.parts[1]?.mediaType).toBe('application/pkcs7-mime');
    expect(m.parts[1]?.params.get('smime-type')).toBe('signed-and-enveloped-data');
    expect([...(m.parts[1]?.body ?? [])]).toEqual([1, 2, 3, 250]);
  });

  it('round-trips any payload bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const m = parseMimeMessage(sample(bytes));
        expect(Buffer.compare(m.parts[1]!.body, Buffer.from(bytes))).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('reads LF line ends, quoted-printable and folded headers', () => {
    const text = [
      'Content-Type: multipart/related;',
      ' boundary="b1"; type="text/xml"',
      '',
      '--b1',
      'Content-ID: <r>',
      'Content-Type: text/xml',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<a x=3D"1"/>=',
      '',
      '--b1--',
      '',
    ].join('\n');
    const m = parseMimeMessage(Buffer.from(text));
    expect(m.root.body.toString()).toBe('<a x="1"/>');
  });

  it.each([
    ['not MIME at all', Buffer.from('hello')],
    ['not multipart/related', Buffer.from('Content-Type: text/plain\r\n\r\nhi')],
    ['no boundary', Buffer.from('Content-Type: multipart/related\r\n\r\n--x\r\n\r\n--x--')],
    ['never closed', Buffer.from('Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n')],
    ['bad base64', Buffer.from('Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%%\r\n--x--\r\n')],
    ['unknown transfer encoding', Buffer.from('Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-Transfer-Encoding: x-uue\r\n\r\nabc\r\n--x--\r\n')],
    ['missing start part', Buffer.from('Content-Type: multipart/related; boundary=x; start="<nope>"\r\n\r\n--x\r\nContent-ID: <a>\r\n\r\nabc\r\n--x--\r\n')],
    ['duplicate Content-ID', Buffer.from('Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-ID: <a>\r\n\r\n1\r\n--x\r\nContent-ID: <a>\r\n\r\n2\r\n--x--\r\n')],
    ['header line without name', Buffer.from(': x\r\nContent-Type: multipart/related; boundary=x\r\n\r\n')],
  ])('refuses %s with ERR_TRANSPORT_MALFORMED', (_name, raw) => {
    expect(codeOf(() => parseMimeMessage(raw))).toBe('ERR_TRANSPORT_MALFORMED');
  });

  it('refuses too many parts, too many bytes and huge headers with ERR_TRANSPORT_TOO_LARGE', () => {
    const many = ['Content-Type: multipart/related; boundary=x', ''];
    for (let i = 0; i < 20; i++) many.push('--x', `Content-ID: <p${i}>`, '', 'x');
    many.push('--x--', '');
    expect(codeOf(() => parseMimeMessage(Buffer.from(many.join('\r\n'))))).toBe('ERR_TRANSPORT_TOO_LARGE');
    expect(codeOf(() => parseMimeMessage(sample(new Uint8Array(5000)), { maxBytes: 1000, maxParts: 8, maxHeaderBytes: 1000 }))).toBe('ERR_TRANSPORT_TOO_LARGE');
    expect(codeOf(() => parseMimeMessage(Buffer.from(`X-Big: ${'a'.repeat(5000)}\r\n\r\n`), { maxBytes: 100_000, maxParts: 8, maxHeaderBytes: 1000 }))).toBe('ERR_TRANSPORT_TOO_LARGE');
  });

  it('throws nothing but TransportError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const head = Buffer.from('Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\n');
        for (const input of [Buffer.from(bytes), Buffer.concat([head, Buffer.from(bytes)])]) {
          try {
            parseMimeMessage(input);
          } catch (err) {
            expect(err).toBeInstanceOf(TransportError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('parses Content-Type parameters and cid: URLs', () => {
    const ct = parseContentType('Multipart/Related; type="text/xml"; boundary="a \\"b\\""; start=<x@y>');
    expect(ct.mediaType).toBe('multipart/related');
    expect(ct.params.get('boundary')).toBe('a "b"');
    expect(ct.params.get('start')).toBe('<x@y>');
    expect(contentIdFromCidUrl('cid:a%40b')).toBe('a@b');
    expect(contentIdFromCidUrl('http://x')).toBeUndefined();
  });

  it('refuses header injection when writing (caller mistake)', () => {
    expect(() => buildMimeMessage({ headers: [['Subject', 'a\r\nBcc: x']], parts: [{ contentId: 'a', contentType: 'text/xml', body: soap }] })).toThrow(TypeError);
  });
});
