import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { MAX_BER_CHILDREN, MAX_BER_STRING_CHUNKS, children, int, oid, oidValue, readRoot, seq, smallInt, stringValue, time, timeValue, tlv, toBytes } from './der';
import { CmsError } from './errors';

describe('DER writer and BER reader', () => {
  test('OBJECT IDENTIFIER round trip, byte-identical with asn1js', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.integer({ min: 0, max: 2 ** 31 }), { maxLength: 8 }), (first, second, rest) => {
        const dotted = [first, second, ...rest].join('.');
        const bytes = toBytes(oid(dotted));
        expect(oidValue(readRoot(bytes))).toBe(dotted);
        expect(Buffer.from(bytes)).toEqual(Buffer.from(new asn1js.ObjectIdentifier({ value: dotted }).toBER()));
      }),
    );
  });

  test('INTEGER and nested SEQUENCE lengths (short and long form) round trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.uint8Array({ maxLength: 70_000 }), (n, payload) => {
        const der = toBytes(seq(int(n), tlv(0x04, payload)));
        const [i, o] = children(readRoot(der));
        expect(smallInt(i)).toBe(n);
        expect(Buffer.from(stringValue(o!))).toEqual(Buffer.from(payload));
        const asn = asn1js.fromBER(new Uint8Array(der));
        expect(asn.offset).toBe(der.length);
      }),
      { numRuns: 40 },
    );
  });

  test('UTCTime until 2049, GeneralizedTime from 2050 (RFC 5652 signingTime rule)', () => {
    for (const iso of ['1999-12-31T23:59:59Z', '2026-11-25T12:00:00Z', '2049-12-31T23:59:59Z', '2050-01-01T00:00:00Z']) {
      const node = readRoot(toBytes(time(new Date(iso))));
      expect(node.tag).toBe(iso < '2050' ? 0x17 : 0x18);
      expect(timeValue(node).toISOString()).toBe(new Date(iso).toISOString());
    }
  });

  test('constructed (chunked) OCTET STRING with indefinite length is joined', () => {
    const ber = Uint8Array.from([0x24, 0x80, 0x04, 0x02, 0x61, 0x62, 0x24, 0x80, 0x04, 0x01, 0x63, 0x00, 0x00, 0x00, 0x00]);
    expect(Buffer.from(stringValue(readRoot(ber))).toString()).toBe('abc');
  });

  test('element counts are bounded (no huge arrays from tiny elements)', () => {
    const many = (n: number): Uint8Array => toBytes(seq(...Array.from({ length: n }, () => Uint8Array.of(0x05, 0x00))));
    expect(children(readRoot(many(MAX_BER_CHILDREN)))).toHaveLength(MAX_BER_CHILDREN);
    expect(() => children(readRoot(many(MAX_BER_CHILDREN + 1)))).toThrow(CmsError);
    const chunks = (n: number): Uint8Array => toBytes(tlv(0x24, ...Array.from({ length: n }, () => Uint8Array.of(0x04, 0x01, 0x61))));
    expect(stringValue(readRoot(chunks(MAX_BER_STRING_CHUNKS)))).toHaveLength(MAX_BER_STRING_CHUNKS);
    expect(() => stringValue(readRoot(chunks(MAX_BER_STRING_CHUNKS + 1)))).toThrow(CmsError);
  });

  test('malformed input throws ERR_CMS_MALFORMED, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const root = readRoot(bytes);
          if (root.constructed) children(root);
        } catch (err) {
          expect(err).toBeInstanceOf(CmsError);
          expect((err as CmsError).code).toBe('ERR_CMS_MALFORMED');
        }
      }),
      { numRuns: 500 },
    );
  });
});
