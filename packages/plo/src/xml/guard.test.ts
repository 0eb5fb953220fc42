import { PloError } from '../errors';
import { DEFAULT_XML_LIMITS, guardXml, resolveXmlLimits } from './guard';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof PloError) return err.code;
    throw err;
  }
  return undefined;
}

const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

describe('guardXml', () => {
  it('decodes UTF-8 bytes without a declaration', () => {
    expect(guardXml(utf8('<a>æøå</a>'))).toEqual({ text: '<a>æøå</a>', encoding: 'UTF-8' });
  });

  it('strips a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('<?xml version="1.0" encoding="utf-8"?><a>ø</a>')]);
    expect(guardXml(bytes)).toEqual({ text: '<?xml version="1.0" encoding="utf-8"?><a>ø</a>', encoding: 'UTF-8' });
  });

  it('decodes declared ISO-8859-1 as true latin1 (not windows-1252)', () => {
    const bytes = latin1(`<?xml version='1.0' encoding='ISO-8859-1'?><a>Ærlig Østby Åse \u0080</a>`);
    const result = guardXml(bytes);
    expect(result.encoding).toBe('ISO-8859-1');
    expect(result.text).toContain('Ærlig Østby Åse \u0080');
  });

  it('accepts encoding names case-insensitively', () => {
    expect(guardXml(latin1('<?xml version="1.0" encoding="iso-8859-1"?><a>é</a>')).encoding).toBe('ISO-8859-1');
    expect(guardXml(utf8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a/>')).encoding).toBe('UTF-8');
  });

  it('refuses invalid UTF-8', () => {
    expect(codeOf(() => guardXml(latin1('<a>Ø</a>')))).toBe('ERR_PLO_XML_ENCODING');
    expect(codeOf(() => guardXml(new Uint8Array([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e])))).toBe('ERR_PLO_XML_ENCODING');
  });

  it('refuses UTF-16 and unknown encodings', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('<a/>', 'utf16le')]);
    expect(codeOf(() => guardXml(utf16))).toBe('ERR_PLO_XML_ENCODING');
    expect(codeOf(() => guardXml(new Uint8Array(Buffer.from('<a/>', 'utf16le'))))).toBe('ERR_PLO_XML_ENCODING');
    expect(codeOf(() => guardXml(utf8('<?xml version="1.0" encoding="EBCDIC-US"?><a/>')))).toBe('ERR_PLO_XML_ENCODING');
    expect(codeOf(() => guardXml('<?xml version="1.0" encoding="UTF-16"?><a/>'))).toBe('ERR_PLO_XML_ENCODING');
  });

  it('refuses a UTF-8 BOM that contradicts the declaration', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('<?xml version="1.0" encoding="ISO-8859-1"?><a/>')]);
    expect(codeOf(() => guardXml(bytes))).toBe('ERR_PLO_XML_ENCODING');
  });

  it('refuses DOCTYPE and ENTITY declarations anywhere', () => {
    expect(codeOf(() => guardXml('<!DOCTYPE a><a/>'))).toBe('ERR_PLO_XML_DTD_FORBIDDEN');
    expect(codeOf(() => guardXml('<?xml version="1.0"?>\n<!doctype a [<!ENTITY x "y">]><a>&x;</a>'))).toBe('ERR_PLO_XML_DTD_FORBIDDEN');
    const err = (() => {
      try {
        guardXml('<a>\n\n<![CDATA[<!ENTITY x SYSTEM "file:///etc/passwd">]]></a>');
      } catch (e) {
        return e as PloError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('ERR_PLO_XML_DTD_FORBIDDEN');
    expect(err?.line).toBe(3);
  });

  it('refuses empty, whitespace-only and binary input', () => {
    expect(codeOf(() => guardXml(new Uint8Array()))).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(codeOf(() => guardXml(''))).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(codeOf(() => guardXml(' \n\t'))).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(codeOf(() => guardXml(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])))).toBe(
      'ERR_PLO_XML_NOT_WELL_FORMED',
    );
    expect(codeOf(() => guardXml('<a>\u0001</a>'))).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
  });

  it('checks UTF-8 bytes exactly as it checks the same text (code and line)', () => {
    const outcome = (input: string | Uint8Array): string => {
      try {
        const guarded = guardXml(input);
        return `ok ${guarded.text}`;
      } catch (err) {
        if (err instanceof PloError) return `${err.code} line ${String(err.line)}`;
        throw err;
      }
    };
    const cases = [
      '<a>æøå</a>',
      '<a>\n\n\u0001</a>',
      '<a>\n\uFFFE</a>',
      '<a>\n\n\n\uFFFF</a>',
      '<a>\uFFFD\uFFEF</a>',
      '<a>\n\uFFFF\n\u0002</a>',
      '<a>\n<!-- <!-- -->\n<![CDATA[x]]>\n<!EnTiTy</a>',
      '<!-- x -->\n<!DOCTYPE a><a/>',
      '\u00A0\u3000 ',
      '\u00A0<a/>',
      '\t\r\n \uFEFF',
      '  <a/>',
    ];
    for (const text of cases) expect(outcome(utf8(text))).toBe(outcome(text));
    // A control character at every position and byte alignment (the scan reads 32-bit words).
    for (let offset = 0; offset < 4; offset++) {
      for (let at = 0; at < 12; at++) {
        const text = `<a>\n${'x'.repeat(at)}\u001f${'y'.repeat(12 - at)}\n</a>`;
        const padded = new Uint8Array(Buffer.concat([Buffer.alloc(offset), Buffer.from(text, 'utf8')]));
        const view = padded.subarray(offset);
        expect(outcome(view)).toBe(outcome(text));
        expect(outcome(view)).toBe('ERR_PLO_XML_NOT_WELL_FORMED line 2');
      }
    }
  });

  it('leaves characters XML does not allow to the parser only when asked (checkCharacters: false); NUL is always refused', () => {
    const bad = '<a>\n\u0001 \uFFFE</a>';
    expect(codeOf(() => guardXml(utf8(bad)))).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(guardXml(utf8(bad), undefined, { checkCharacters: false }).text).toBe(bad);
    expect(guardXml(bad, undefined, { checkCharacters: false }).text).toBe(bad);
    expect(codeOf(() => guardXml(utf8('<a>\u0000</a>'), undefined, { checkCharacters: false }))).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(codeOf(() => guardXml(utf8('<!DOCTYPE a><a/>'), undefined, { checkCharacters: false }))).toBe('ERR_PLO_XML_DTD_FORBIDDEN');
  });

  it('enforces the size limit for bytes and strings', () => {
    expect(codeOf(() => guardXml(utf8('<a>0123456789</a>'), { maxBytes: 10 }))).toBe('ERR_PLO_XML_TOO_LARGE');
    expect(codeOf(() => guardXml('<a>0123456789</a>', { maxBytes: 10 }))).toBe('ERR_PLO_XML_TOO_LARGE');
    // 4 characters but 9 UTF-8 bytes
    expect(codeOf(() => guardXml('<a>ææææ</a>', { maxBytes: 12 }))).toBe('ERR_PLO_XML_TOO_LARGE');
    expect(guardXml('<a>ææææ</a>', { maxBytes: 15 }).text).toBe('<a>ææææ</a>');
  });

  it('rejects nonsensical limits and non-XML input types as caller mistakes', () => {
    expect(() => resolveXmlLimits({ maxDepth: 0 })).toThrow(RangeError);
    expect(() => resolveXmlLimits({ maxBytes: Number.NaN })).toThrow(RangeError);
    expect(() => guardXml(42 as unknown as string)).toThrow(TypeError);
    expect(resolveXmlLimits()).toEqual(DEFAULT_XML_LIMITS);
    expect(DEFAULT_XML_LIMITS.maxBytes).toBe(50 * 1024 * 1024);
  });
});
