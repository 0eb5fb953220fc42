/**
 * The MIME container of an ebXML message (ebMS 2.0 §2.1, SOAP Messages with Attachments):
 * `multipart/related; type="text/xml"; start="<soap part>"`, the SOAP envelope first, then the
 * payload parts. Written and read here with hard limits; nothing in this module throws anything
 * but TransportError for bad input.
 */
import { randomUUID } from 'node:crypto';
import { TransportError } from '../errors';

/** Limits on a received MIME message. */
export interface MimeLimits {
  /** Whole message in bytes. */
  readonly maxBytes: number;
  /** Number of body parts. */
  readonly maxParts: number;
  /** Bytes of one header block (top level or part). */
  readonly maxHeaderBytes: number;
}

/** Default limits: 40 MB (NHN's 35 MB payload limit plus base64 growth is handled by callers), 8 parts, 32 KB of headers. */
export const DEFAULT_MIME_LIMITS: MimeLimits = { maxBytes: 40 * 1024 * 1024, maxParts: 8, maxHeaderBytes: 32 * 1024 };

/** One body part to write. */
export interface MimePartInput {
  /** Content-ID without angle brackets. */
  readonly contentId: string;
  /** Full Content-Type header value. */
  readonly contentType: string;
  /** The part's content (written base64). */
  readonly body: Uint8Array;
}

/** Top-level headers and parts of a message to write. */
export interface MimeMessageInput {
  /** Extra top-level headers, in order (From, To, Subject, Date, Message-ID, …). */
  readonly headers: readonly (readonly [string, string])[];
  /** Parts; the first is the root (the SOAP envelope). */
  readonly parts: readonly MimePartInput[];
}

/** A parsed body part. */
export interface MimePart {
  /** Header name (lowercase) → value (unfolded); the last occurrence wins. */
  readonly headers: ReadonlyMap<string, string>;
  /** Content-ID without angle brackets, or undefined. */
  readonly contentId: string | undefined;
  /** Media type in lowercase, without parameters, e.g. `text/xml`. */
  readonly mediaType: string;
  /** Content-Type parameters (names lowercase). */
  readonly params: ReadonlyMap<string, string>;
  /** Decoded content. */
  readonly body: Buffer;
}

/** A parsed multipart/related message. */
export interface MimeMessage {
  /** Top-level headers (lowercase names). */
  readonly headers: ReadonlyMap<string, string>;
  /** Every body part in order. */
  readonly parts: readonly MimePart[];
  /** The root part (named by `start`, else the first). */
  readonly root: MimePart;
}

const CRLF = '\r\n';

function wrapBase64(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join(CRLF);
}

function assertHeaderValue(name: string, value: string): void {
  if (/[\r\n]/.test(value) || /[^\x20-\x7e\t]/.test(value)) throw new TypeError(`MIME header ${name} must be printable ASCII on one line`);
}

/** Writes a multipart/related message (CRLF line ends, 7-bit clean: every part base64). */
export function buildMimeMessage(input: MimeMessageInput): Buffer {
  const root = input.parts[0];
  if (root === undefined) throw new TypeError('a MIME message needs at least one part');
  const boundary = `----=_samhandling_${randomUUID()}`;
  const out: string[] = [];
  for (const [name, value] of input.headers) {
    assertHeaderValue(name, value);
    out.push(`${name}: ${value}`);
  }
  out.push('MIME-Version: 1.0');
  out.push(`Content-Type: multipart/related; type="text/xml"; boundary="${boundary}"; start="<${root.contentId}>"`);
  out.push('', 'This is an ebXML message in MIME format.');
  for (const part of input.parts) {
    assertHeaderValue('Content-ID', part.contentId);
    assertHeaderValue('Content-Type', part.contentType);
    out.push(`--${boundary}`, `Content-ID: <${part.contentId}>`, `Content-Type: ${part.contentType}`, 'Content-Transfer-Encoding: base64', '', wrapBase64(part.body));
  }
  out.push(`--${boundary}--`, '');
  return Buffer.from(out.join(CRLF), 'latin1');
}

function malformed(message: string): TransportError {
  return new TransportError('ERR_TRANSPORT_MALFORMED', message);
}

/** Splits a buffer at the first empty line into header text and body. */
function splitHead(buf: Buffer, maxHeaderBytes: number): { head: string; body: Buffer } {
  let at = -1;
  let sep = 0;
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) {
    at = crlf;
    sep = 4;
  } else if (lf !== -1) {
    at = lf;
    sep = 2;
  }
  if (at === -1) {
    if (buf.length > maxHeaderBytes) throw new TransportError('ERR_TRANSPORT_TOO_LARGE', 'MIME header block too large');
    return { head: buf.toString('latin1'), body: Buffer.alloc(0) };
  }
  if (at > maxHeaderBytes) throw new TransportError('ERR_TRANSPORT_TOO_LARGE', 'MIME header block too large');
  return { head: buf.subarray(0, at).toString('latin1'), body: buf.subarray(at + sep) };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  const lines = head.split(/\r?\n/);
  let current: [string, string] | undefined;
  const flush = (): void => {
    if (current !== undefined) headers.set(current[0], current[1].trim());
  };
  for (const line of lines) {
    if (line === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === undefined) throw malformed('MIME header continuation without a header');
      current[1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed('MIME header line without a name');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[!-9;-~]+$/.test(name)) throw malformed('MIME header name is not valid');
    flush();
    current = [name, line.slice(colon + 1)];
  }
  flush();
  return headers;
}

/** Parses `type/subtype; a=b; c="d"` into the lowercase media type and parameters. */
export function parseContentType(value: string): { mediaType: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  const semi = value.indexOf(';');
  const mediaType = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType)) throw malformed('Content-Type is not a media type');
  let rest = semi === -1 ? '' : value.slice(semi + 1);
  const param = /^\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))\s*(?:;|$)/;
  while (rest.trim() !== '') {
    const m = param.exec(rest);
    if (m === null) throw malformed('Content-Type parameters are not valid');
    const name = (m[1] ?? '').toLowerCase();
    const raw = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    params.set(name, raw);
    rest = rest.slice(m[0].length);
  }
  return { mediaType, params };
}

/** `<id>` or `id` → `id`. */
function stripAngles(value: string): string {
  const v = value.trim();
  return v.startsWith('<') && v.endsWith('>') ? v.slice(1, -1).trim() : v;
}

function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  const cte = (encoding ?? '7bit').trim().toLowerCase();
  switch (cte) {
    case '7bit':
    case '8bit':
    case 'binary':
      return body;
    case 'base64': {
      const text = body.toString('latin1');
      if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw malformed('base64 part contains characters outside the alphabet');
      const compact = text.replace(/\s+/g, '');
      if (compact.length % 4 !== 0 || /=[^=]/.test(compact)) throw malformed('base64 part is not valid');
      return Buffer.from(compact, 'base64');
    }
    case 'quoted-printable': {
      const text = body.toString('latin1').replace(/=\r?\n/g, '');
      if (/=(?![0-9A-Fa-f]{2})/.test(text)) throw malformed('quoted-printable part is not valid');
      return Buffer.from(
        text.replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      );
    }
    default:
      throw malformed('unknown Content-Transfer-Encoding');
  }
}

/**
 * Parses a multipart/related message with limits. Throws TransportError ERR_TRANSPORT_TOO_LARGE
 * or ERR_TRANSPORT_MALFORMED.
 */
export function parseMimeMessage(raw: Uint8Array, limits: MimeLimits = DEFAULT_MIME_LIMITS): MimeMessage {
  if (raw.byteLength > limits.maxBytes) throw new TransportError('ERR_TRANSPORT_TOO_LARGE', 'MIME message too large');
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const { head, body } = splitHead(buf, limits.maxHeaderBytes);
  const headers = parseHeaders(head);
  const ct = headers.get('content-type');
  if (ct === undefined) throw malformed('message has no Content-Type');
  const { mediaType, params } = parseContentType(ct);
  if (mediaType !== 'multipart/related') throw malformed('message is not multipart/related');
  const boundary = params.get('boundary');
  if (boundary === undefined || boundary === '' || boundary.length > 200) throw malformed('multipart boundary missing or invalid');

  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  // Delimiters start a line: at offset 0 or after a line break.
  const starts: number[] = [];
  let from = 0;
  for (;;) {
    const at = body.indexOf(delimiter, from);
    if (at === -1) break;
    const atLineStart = at === 0 || body[at - 1] === 0x0a;
    if (atLineStart) {
      starts.push(at);
      if (starts.length > limits.maxParts + 1) throw new TransportError('ERR_TRANSPORT_TOO_LARGE', 'too many MIME parts');
    }
    from = at + delimiter.length;
  }
  const parts: MimePart[] = [];
  let closed = false;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    const after = start + delimiter.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) {
      closed = true;
      break;
    }
    const next = starts[i + 1];
    if (next === undefined) break;
    // Part content: after the delimiter line, up to the line break before the next delimiter.
    const lineEnd = body.indexOf('\n', after);
    if (lineEnd === -1 || lineEnd >= next) throw malformed('MIME delimiter line is not terminated');
    let end = next - 1; // the \n before the delimiter
    if (end > lineEnd && body[end - 1] === 0x0d) end -= 1;
    const content = body.subarray(lineEnd + 1, Math.max(lineEnd + 1, end));
    const split = splitHead(content, limits.maxHeaderBytes);
    const partHeaders = parseHeaders(split.head);
    const partCt = parseContentType(partHeaders.get('content-type') ?? 'text/plain');
    const cid = partHeaders.get('content-id');
    parts.push({
      headers: partHeaders,
      contentId: cid === undefined ? undefined : stripAngles(cid),
      mediaType: partCt.mediaType,
      params: partCt.params,
      body: decodeBody(split.body, partHeaders.get('content-transfer-encoding')),
    });
  }
  if (!closed) throw malformed('multipart body is not closed');
  if (parts.length === 0) throw malformed('multipart body has no parts');
  if (parts.length > limits.maxParts) throw new TransportError('ERR_TRANSPORT_TOO_LARGE', 'too many MIME parts');
  const start = params.get('start');
  let root = parts[0] as MimePart;
  if (start !== undefined) {
    const wanted = stripAngles(start);
    const named = parts.find((p) => p.contentId === wanted);
    if (named === undefined) throw malformed('the start part named by Content-Type is missing');
    root = named;
  }
  const ids = new Set<string>();
  for (const p of parts) {
    if (p.contentId === undefined) continue;
    if (ids.has(p.contentId)) throw malformed('two MIME parts share a Content-ID');
    ids.add(p.contentId);
  }
  return { headers, parts, root };
}

/** Resolves `cid:` URL (RFC 2392, percent-encoded) to a Content-ID. */
export function contentIdFromCidUrl(href: string): string | undefined {
  if (!/^cid:/i.test(href)) return undefined;
  try {
    return decodeURIComponent(href.slice(4));
  } catch {
    return undefined;
  }
}
