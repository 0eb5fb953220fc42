/**
 * Minimal BER reader and DER writer for the fixed CMS structures on the hot path.
 * The reader works on views (no copies), accepts indefinite lengths and constructed strings
 * (OpenSSL `-stream`), and enforces hard limits: lengths within the input, a maximum nesting depth.
 * Internal: not exported from the package.
 */
import { CmsError } from './errors';

/** Maximum nesting depth accepted while reading BER. */
export const MAX_BER_DEPTH = 32;

/** One BER element: header at `start`, content `[contentStart, contentEnd)`, whole element ends at `end`. */
export interface BerNode {
  readonly buf: Uint8Array;
  /** First identifier octet (class, constructed bit and low tag number). */
  readonly tag: number;
  /** Tag number (may exceed 30 for multi-octet tags). */
  readonly tagNumber: number;
  readonly constructed: boolean;
  readonly start: number;
  readonly contentStart: number;
  /** End of the content octets (before the end-of-contents octets when indefinite). */
  readonly contentEnd: number;
  /** End of the element including end-of-contents octets. */
  readonly end: number;
  readonly indefinite: boolean;
  readonly depth: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
} as const;

function malformed(what: string): never {
  throw new CmsError('ERR_CMS_MALFORMED', 'malformed CMS structure', { cause: new Error(what) });
}

/** Reads one element at `offset`, which must end at or before `limit`. */
export function readNode(buf: Uint8Array, offset: number, limit: number, depth = 0): BerNode {
  if (depth > MAX_BER_DEPTH) malformed('nesting too deep');
  let p = offset;
  if (p >= limit) malformed('unexpected end of input');
  const tag = (buf[p++] as number);
  const constructed = (tag & 0x20) !== 0;
  let tagNumber = tag & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (p >= limit || i > 3) malformed('bad tag');
      const b = (buf[p++] as number);
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= limit) malformed('missing length');
  const first = (buf[p++] as number);
  if (first === 0x80) {
    if (!constructed) malformed('indefinite length on primitive element');
    const contentStart = p;
    let q = p;
    for (let count = 0; ; count++) {
      if (count > MAX_BER_STRING_CHUNKS) malformed('too many elements');
      if (q + 2 > limit) malformed('missing end-of-contents');
      if (buf[q] === 0 && buf[q + 1] === 0) break;
      q = readNode(buf, q, limit, depth + 1).end;
    }
    return { buf, tag, tagNumber, constructed, start: offset, contentStart, contentEnd: q, end: q + 2, indefinite: true, depth };
  }
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const n = first & 0x7f;
    if (n > 4 || n === 0x7f) malformed('length too long');
    length = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) malformed('truncated length');
      length = length * 256 + (buf[p++] as number);
    }
  }
  if (length > limit - p) malformed('length beyond input');
  return { buf, tag, tagNumber, constructed, start: offset, contentStart: p, contentEnd: p + length, end: p + length, indefinite: false, depth };
}

/** Parses the single top-level element spanning the whole of `buf` (trailing bytes are refused). */
export function readRoot(buf: Uint8Array): BerNode {
  const node = readNode(buf, 0, buf.length);
  if (node.end !== buf.length) malformed('trailing data after the top-level element');
  return node;
}

/** Most elements accepted in one constructed element (SET OF recipients, attributes, certificates …). */
export const MAX_BER_CHILDREN = 4096;

/** Most chunks accepted in one constructed string (OpenSSL `-stream` writes 4 KB chunks; 64 Ki chunks ≥ 50 MB at 1 KB). */
export const MAX_BER_STRING_CHUNKS = 65536;

/** Children of a constructed element, in order; more than `max` is malformed. */
export function children(node: BerNode, max = MAX_BER_CHILDREN): BerNode[] {
  if (!node.constructed) malformed('expected a constructed element');
  const out: BerNode[] = [];
  let p = node.contentStart;
  while (p < node.contentEnd) {
    if (out.length >= max) malformed('too many elements');
    const child = readNode(node.buf, p, node.contentEnd, node.depth + 1);
    out.push(child);
    p = child.end;
  }
  return out;
}

/** Content octets of a primitive element (a view, no copy). */
export function content(node: BerNode): Uint8Array {
  return node.buf.subarray(node.contentStart, node.contentEnd);
}

/** Whole encoding of the element, header included (a view). */
export function raw(node: BerNode): Uint8Array {
  return node.buf.subarray(node.start, node.end);
}

/** Asserts the identifier octet of `node`. */
export function expectTag(node: BerNode | undefined, tag: number, what: string): BerNode {
  if (node?.tag !== tag) malformed(`expected ${what}`);
  return node;
}

/**
 * Value of a string type that may be constructed in BER (chunked OCTET STRING): a view when
 * primitive, otherwise the chunks concatenated.
 */
export function stringValue(node: BerNode): Uint8Array {
  if (!node.constructed) return content(node);
  const parts: Uint8Array[] = [];
  const collect = (n: BerNode): void => {
    for (const c of children(n, MAX_BER_STRING_CHUNKS - parts.length)) {
      if (c.constructed) collect(c);
      else parts.push(content(c));
    }
  };
  collect(node);
  if (parts.length === 1) return parts[0] as Uint8Array;
  return Buffer.concat(parts);
}

/** Dotted OID of an OBJECT IDENTIFIER element. */
export function oidValue(node: BerNode | undefined): string {
  const n = expectTag(node, TAG.OID, 'OBJECT IDENTIFIER');
  const bytes = content(n);
  if (bytes.length === 0 || bytes.length > 64) malformed('bad OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = (bytes[i] as number);
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 256) malformed('OBJECT IDENTIFIER arc too large');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    } else if (i === bytes.length - 1) {
      malformed('truncated OBJECT IDENTIFIER');
    }
  }
  return arcs.join('.');
}

/** Small non-negative INTEGER value (versions, salt lengths). */
export function smallInt(node: BerNode | undefined): number {
  const bytes = content(expectTag(node, TAG.INTEGER, 'INTEGER'));
  if (bytes.length === 0 || bytes.length > 4 || ((bytes[0] as number) & 0x80) !== 0) malformed('bad small INTEGER');
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

/** Parses UTCTime or GeneralizedTime (Zulu forms as RFC 5280 requires). */
export function timeValue(node: BerNode): Date {
  const text = Buffer.from(content(node)).toString('latin1');
  let m: RegExpExecArray | null;
  if (node.tag === TAG.UTC_TIME && (m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text))) {
    const yy = Number(m[1]);
    return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  }
  if (node.tag === TAG.GENERALIZED_TIME && (m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3})\d*)?Z$/.exec(text))) {
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? '0').padEnd(3, '0'))));
  }
  malformed('bad time');
}

// ---------------------------------------------------------------------------------------------
// DER writer: values are trees of chunks, copied once when the whole structure is serialised.

/** An encoded DER value as a list of chunks (views are kept, not copied). */
export interface Der {
  readonly length: number;
  readonly chunks: readonly Uint8Array[];
}

function lengthOctets(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** Wraps already-encoded bytes as a {@link Der}. */
export function derRaw(bytes: Uint8Array): Der {
  return { length: bytes.length, chunks: [bytes] };
}

/** TLV with the given identifier octet around the concatenation of `parts`. */
export function tlv(tag: number, ...parts: (Der | Uint8Array)[]): Der {
  const chunks: Uint8Array[] = [];
  let len = 0;
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      chunks.push(part);
      len += part.length;
    } else {
      chunks.push(...part.chunks);
      len += part.length;
    }
  }
  const header = new Uint8Array([tag, ...lengthOctets(len)]);
  return { length: header.length + len, chunks: [header, ...chunks] };
}

export const seq = (...parts: (Der | Uint8Array)[]): Der => tlv(TAG.SEQUENCE, ...parts);
export const set = (...parts: (Der | Uint8Array)[]): Der => tlv(TAG.SET, ...parts);
export const octets = (bytes: Uint8Array): Der => tlv(TAG.OCTET_STRING, bytes);
export const nullDer: Der = derRaw(Uint8Array.of(0x05, 0x00));

/** SET OF with its elements sorted by encoding, as DER requires. */
export function setOf(items: Der[]): Der {
  const encoded = items.map(toBytes).sort((a, b) => Buffer.compare(a, b));
  return tlv(TAG.SET, ...encoded);
}

/** Non-negative INTEGER. */
export function int(n: number): Der {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (((bytes[0] as number) & 0x80) !== 0) bytes.unshift(0);
  return tlv(TAG.INTEGER, Uint8Array.from(bytes));
}

const oidCache = new Map<string, Der>();

/** OBJECT IDENTIFIER from dotted form (cached). */
export function oid(dotted: string): Der {
  const hit = oidCache.get(dotted);
  if (hit) return hit;
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (value: number): void => {
    const stack = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) stack.unshift(0x80 | (v & 0x7f));
    out.push(...stack);
  };
  push((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const arc of arcs.slice(2)) push(arc);
  const der = tlv(TAG.OID, Uint8Array.from(out));
  oidCache.set(dotted, der);
  return der;
}

/** UTCTime for years 1950–2049, GeneralizedTime otherwise (RFC 5652 signingTime rule). */
export function time(date: Date): Der {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const y = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, Buffer.from(`${pad(y % 100)}${rest}`, 'latin1'));
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${pad(y, 4)}${rest}`, 'latin1'));
}

/** Serialises a {@link Der} into one contiguous buffer. */
export function toBytes(der: Der): Uint8Array {
  if (der.chunks.length === 1) return der.chunks[0] as Uint8Array;
  const out = Buffer.allocUnsafe(der.length);
  let p = 0;
  for (const c of der.chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** Header octets (identifier + length) for a value of `length` content octets. */
export function header(tag: number, length: number): Uint8Array {
  return new Uint8Array([tag, ...lengthOctets(length)]);
}
