import { isUtf8 } from 'node:buffer';
import { PloError } from '../errors';

/**
 * Explicit limits for untrusted XML. Checked before (bytes, encoding, DTD) and while (depth,
 * element and attribute counts) the document is parsed.
 */
export interface XmlLimits {
  /** Maximum document size in bytes (for string input: its UTF-8 byte length). */
  readonly maxBytes: number;
  /** Maximum element nesting depth (the root element has depth 1). */
  readonly maxDepth: number;
  /** Maximum number of elements in the document. */
  readonly maxElements?: number;
  /** Maximum number of attributes on one element (namespace declarations included). */
  readonly maxAttributes?: number;
}

/** Defaults: 50 MiB, depth 128, 2 000 000 elements, 256 attributes per element. */
export const DEFAULT_XML_LIMITS: Readonly<Required<XmlLimits>> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxDepth: 128,
  maxElements: 2_000_000,
  maxAttributes: 256,
});

/** Character encodings accepted for incoming XML. */
export type XmlEncoding = 'UTF-8' | 'ISO-8859-1';

/** Result of {@link guardXml}: the decoded text and the encoding it was decoded from. */
export interface GuardedXml {
  /** The document as a string (byte order mark removed). */
  readonly text: string;
  /** Encoding detected from the BOM or declared in the XML declaration (default UTF-8). */
  readonly encoding: XmlEncoding;
}

/** Merges partial limits over the defaults and checks them (caller mistakes throw RangeError). */
export function resolveXmlLimits(limits?: Partial<XmlLimits>): Required<XmlLimits> {
  const merged: Required<XmlLimits> = {
    maxBytes: limits?.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes,
    maxDepth: limits?.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth,
    maxElements: limits?.maxElements ?? DEFAULT_XML_LIMITS.maxElements,
    maxAttributes: limits?.maxAttributes ?? DEFAULT_XML_LIMITS.maxAttributes,
  };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`XML limit ${key} must be a positive integer, got ${String(value)}`);
    }
  }
  return merged;
}

const ENCODING_NAMES: Readonly<Record<string, XmlEncoding>> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  'us-ascii': 'UTF-8',
  ascii: 'UTF-8',
  'iso-8859-1': 'ISO-8859-1',
  'iso8859-1': 'ISO-8859-1',
  'iso_8859-1': 'ISO-8859-1',
  'iso-latin-1': 'ISO-8859-1',
  latin1: 'ISO-8859-1',
  'latin-1': 'ISO-8859-1',
  l1: 'ISO-8859-1',
};

/** Matches the encoding pseudo-attribute of an XML declaration at the very start of the text. */
const DECLARATION = /^<\?xml[\x20\t\r\n][^>]*?\bencoding[\x20\t\r\n]*=[\x20\t\r\n]*(["'])([^"'>]*)\1/;

/** C0 controls not allowed in XML 1.0 (tab, LF, CR are allowed), plus U+FFFE/U+FFFF. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
/** UTF-8 of U+FFFE / U+FFFF is EF BF BE / EF BF BF. */
const UTF8_EF_BF = Buffer.from([0xef, 0xbf]);
const LT_BANG = Buffer.from('<!', 'latin1');
/** `doctype` and `entity` as lower-case ASCII codes. */
const DTD_KEYWORDS: readonly (readonly number[])[] = ['doctype', 'entity'].map((w) => [...w].map((c) => c.charCodeAt(0)));
/**
 * `<!DOCTYPE` or `<!ENTITY` at a position (sticky). Looked for anywhere, also inside comments or
 * CDATA: refused conservatively.
 */
const DTD_AT = /<!(?:DOCTYPE|ENTITY)/iy;

function normaliseEncoding(name: string): XmlEncoding {
  const found = ENCODING_NAMES[name.trim().toLowerCase()];
  if (found === undefined) {
    throw new PloError('ERR_PLO_XML_ENCODING', `Unsupported XML encoding "${name.slice(0, 40)}"; use UTF-8 or ISO-8859-1`);
  }
  return found;
}

function declaredEncoding(prefix: string): string | undefined {
  return DECLARATION.exec(prefix)?.[2];
}

function lineOfIndex(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function decodeBytes(bytes: Uint8Array, checkCharacters: boolean): GuardedXml {
  const b0 = bytes[0];
  const b1 = bytes[1];
  // UTF-16 / UTF-32 (with or without BOM): recognised only to be refused.
  const utf16Bom =
    (b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || (b0 === 0 && b1 === 0 && bytes[2] === 0xfe && bytes[3] === 0xff);
  const utf16Declaration = (b0 === 0x00 && b1 === 0x3c) || (b0 === 0x3c && b1 === 0x00);
  if (utf16Bom || utf16Declaration) {
    throw new PloError('ERR_PLO_XML_ENCODING', 'UTF-16 and UTF-32 XML is not supported; use UTF-8 or ISO-8859-1');
  }
  const nul = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(0);
  if (nul !== -1) {
    throw new PloError('ERR_PLO_XML_NOT_WELL_FORMED', `NUL byte at offset ${nul}: binary data is not XML`);
  }
  const hasUtf8Bom = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf;
  const start = hasUtf8Bom ? 3 : 0;
  // The declaration is ASCII in both accepted encodings: read a short prefix as latin1.
  const prefix = Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(256, bytes.length - start)).toString('latin1');
  const declared = declaredEncoding(prefix);
  const encoding = declared === undefined ? 'UTF-8' : normaliseEncoding(declared);
  if (hasUtf8Bom && encoding !== 'UTF-8') {
    throw new PloError('ERR_PLO_XML_ENCODING', `UTF-8 byte order mark contradicts declared encoding "${declared ?? ''}"`);
  }
  if (encoding === 'ISO-8859-1') {
    // Node's 'latin1' is true ISO-8859-1 (bytes 0x80-0x9F map to U+0080-U+009F);
    // TextDecoder('latin1') would be windows-1252.
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding };
  }
  if (!isUtf8(bytes)) throw new PloError('ERR_PLO_XML_ENCODING', 'XML document is not valid UTF-8');
  return checkUtf8Bytes(bytes, start, checkCharacters);
}

/** First `<!DOCTYPE` / `<!ENTITY` (any case) in `text`, or -1. Scans with indexOf: `<!` is rare. */
function indexOfDtdMarkup(text: string): number {
  for (let i = text.indexOf('<!'); i !== -1; i = text.indexOf('<!', i + 2)) {
    DTD_AT.lastIndex = i;
    if (DTD_AT.test(text)) return i;
  }
  return -1;
}

function isForbiddenControl(b: number): boolean {
  return b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d;
}

/**
 * First byte that is a C0 control other than tab, LF and CR, or -1. Reads 32-bit words where the
 * bytes are aligned: a word holds a byte below 0x20 exactly when
 * `(w - 0x20202020) & ~w & 0x80808080` is non-zero, and only such words are looked at byte by byte.
 */
function indexOfForbiddenControl(buffer: Buffer): number {
  const n = buffer.length;
  let i = 0;
  const head = Math.min(n, (4 - (buffer.byteOffset & 3)) & 3);
  for (; i < head; i++) if (isForbiddenControl(buffer[i] as number)) return i;
  if (i === n) return -1;
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset + i, (n - i) >>> 2);
  for (let w = 0; w < words.length; w++) {
    const x = words[w] as number;
    if (((x - 0x20202020) & ~x & 0x80808080) !== 0) {
      for (let k = i + w * 4; k < i + w * 4 + 4; k++) if (isForbiddenControl(buffer[k] as number)) return k;
    }
  }
  for (i += words.length * 4; i < n; i++) if (isForbiddenControl(buffer[i] as number)) return i;
  return -1;
}

/** 1-based line of a byte offset. */
function lineOfByte(buffer: Buffer, index: number): number {
  let line = 1;
  for (let i = buffer.indexOf(0x0a); i !== -1 && i < index; i = buffer.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** {@link indexOfDtdMarkup} on bytes: `<!` found with indexOf, the keyword compared ASCII case-insensitively. */
function indexOfDtdMarkupInBytes(buffer: Buffer): number {
  for (let i = buffer.indexOf(LT_BANG); i !== -1; i = buffer.indexOf(LT_BANG, i + 2)) {
    for (const keyword of DTD_KEYWORDS) {
      let k = 0;
      // OR 0x20 folds ASCII upper case to lower case (keywords are letters only).
      while (k < keyword.length && ((buffer[i + 2 + k] as number) | 0x20) === keyword[k]) k++;
      if (k === keyword.length) return i;
    }
  }
  return -1;
}

/**
 * The text checks of {@link guardXml} done on valid UTF-8 bytes, without decoding or copying them
 * (the characters checked are ASCII, and line breaks are the same bytes). The decoded text is made
 * only when someone reads `text` (the schema validator hands the bytes to libxml and never does).
 */
function checkUtf8Bytes(bytes: Uint8Array, start: number, checkCharacters: boolean): GuardedXml {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start);
  let decoded: string | undefined;
  const guarded: GuardedXml = {
    encoding: 'UTF-8',
    get text(): string {
      decoded ??= buffer.toString('utf8');
      return decoded;
    },
  };
  // Empty: only whitespace. A first non-ASCII-whitespace byte that is not ASCII may still be
  // whitespace (e.g. U+00A0): decide on the decoded text then, exactly as for strings.
  let first = 0;
  while (first < buffer.length && (buffer[first] === 0x20 || ((buffer[first] as number) >= 0x09 && (buffer[first] as number) <= 0x0d))) first++;
  if (first === buffer.length || ((buffer[first] as number) >= 0x80 && guarded.text.trim() === '')) {
    throw new PloError('ERR_PLO_XML_NOT_WELL_FORMED', 'XML document is empty', { line: 1 });
  }
  // Scanned as bytes (no copy): the C0 controls are single bytes in UTF-8.
  let bad = checkCharacters ? indexOfForbiddenControl(buffer) : -1;
  let code = bad === -1 ? 0 : (buffer[bad] as number);
  // EF BF followed by BE/BF (later EF BF pairs are looked for only when the first is not one).
  for (let i = checkCharacters ? buffer.indexOf(UTF8_EF_BF) : -1; i !== -1 && (bad === -1 || i < bad); i = buffer.indexOf(UTF8_EF_BF, i + 1)) {
    const third = buffer[i + 2];
    if (third === 0xbe || third === 0xbf) {
      bad = i;
      code = third === 0xbe ? 0xfffe : 0xffff;
      break;
    }
  }
  if (bad !== -1) {
    throw new PloError('ERR_PLO_XML_NOT_WELL_FORMED', `Character U+${code.toString(16).padStart(4, '0').toUpperCase()} is not allowed in XML (binary data?)`, {
      line: lineOfByte(buffer, bad),
    });
  }
  const dtd = indexOfDtdMarkupInBytes(buffer);
  if (dtd !== -1) throw new PloError('ERR_PLO_XML_DTD_FORBIDDEN', undefined, { line: lineOfByte(buffer, dtd) });
  return guarded;
}

function exceedsUtf8Length(text: string, max: number): boolean {
  // Every UTF-16 code unit takes at least 1 and at most 3 UTF-8 bytes.
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return Buffer.byteLength(text, 'utf8') > max;
}

/** Options of {@link guardXml}. */
export interface GuardOptions {
  /**
   * Look for characters XML does not allow (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF).
   * Default true. Turn off only when the parser that reads the document next rejects them itself
   * as not well-formed (libxml2 does; @samhandling/schema's validator relies on it). A NUL byte is
   * always refused (binary data).
   */
  readonly checkCharacters?: boolean;
}

/**
 * Checks untrusted XML before any parser sees it: size limit, encoding (UTF-8, or ISO-8859-1
 * when declared; UTF-16 and others are refused), invalid bytes, empty or binary input, and any
 * `<!DOCTYPE` / `<!ENTITY` markup. Returns the decoded text without a byte order mark.
 *
 * @throws PloError ERR_PLO_XML_TOO_LARGE, ERR_PLO_XML_ENCODING, ERR_PLO_XML_NOT_WELL_FORMED,
 *   ERR_PLO_XML_DTD_FORBIDDEN
 */
export function guardXml(input: string | Uint8Array, limits?: Partial<XmlLimits>, options: GuardOptions = {}): GuardedXml {
  const { maxBytes } = resolveXmlLimits(limits);
  const checkCharacters = options.checkCharacters ?? true;
  let guarded: GuardedXml;
  if (typeof input === 'string') {
    if (exceedsUtf8Length(input, maxBytes)) {
      throw new PloError('ERR_PLO_XML_TOO_LARGE', `XML document exceeds the size limit of ${maxBytes} bytes`);
    }
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    const declared = declaredEncoding(text.slice(0, 256));
    guarded = { text, encoding: declared === undefined ? 'UTF-8' : normaliseEncoding(declared) };
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > maxBytes) {
      throw new PloError('ERR_PLO_XML_TOO_LARGE', `XML document of ${input.byteLength} bytes exceeds the size limit of ${maxBytes} bytes`);
    }
    if (input.byteLength === 0) throw new PloError('ERR_PLO_XML_NOT_WELL_FORMED', 'XML document is empty');
    guarded = decodeBytes(input, checkCharacters);
    // UTF-8 bytes were checked without decoding (checkUtf8Bytes).
    if (guarded.encoding === 'UTF-8') return guarded;
  } else {
    throw new TypeError('XML input must be a string or a Uint8Array');
  }
  const { text } = guarded;
  if (text.trim() === '') throw new PloError('ERR_PLO_XML_NOT_WELL_FORMED', 'XML document is empty', { line: 1 });
  const bad = checkCharacters ? FORBIDDEN_CHAR.exec(text) : null;
  if (bad !== null) {
    throw new PloError(
      'ERR_PLO_XML_NOT_WELL_FORMED',
      `Character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} is not allowed in XML (binary data?)`,
      { line: lineOfIndex(text, bad.index) },
    );
  }
  const dtd = indexOfDtdMarkup(text);
  if (dtd !== -1) throw new PloError('ERR_PLO_XML_DTD_FORBIDDEN', undefined, { line: lineOfIndex(text, dtd) });
  return guarded;
}
