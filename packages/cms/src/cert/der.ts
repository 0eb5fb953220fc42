/** Internal helpers: PEM armour, hex, bounded ASN.1 decoding. Not exported from the package. */
import * as asn1js from 'asn1js';

/** One PEM block: its label (e.g. `CERTIFICATE`) and decoded bytes. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
  /** Header lines such as `Proc-Type: 4,ENCRYPTED` (legacy encrypted PEM). */
  readonly headers: readonly string[];
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Finds every PEM block in a text. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const label = m[1] ?? '';
    const body = m[2] ?? '';
    const headers: string[] = [];
    const b64: string[] = [];
    for (const raw of body.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '') continue;
      if (line.includes(':')) headers.push(line);
      else b64.push(line);
    }
    out.push({ label, der: new Uint8Array(Buffer.from(b64.join(''), 'base64')), headers });
  }
  return out;
}

/** True when the text (or bytes) look like PEM. */
export function looksLikePem(input: string | Uint8Array): boolean {
  const text = typeof input === 'string' ? input : Buffer.from(input.subarray(0, 4096)).toString('latin1');
  return text.includes('-----BEGIN ');
}

/** Converts bytes or text to a string (latin1 keeps bytes intact for base64). */
export function asText(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
}

/** Encodes DER bytes as PEM with the given label. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Serial/integer bytes as hex without superfluous leading zero bytes (at least one byte). */
export function integerHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return toHex(bytes.subarray(i));
}

/** Copies a view into its own ArrayBuffer (asn1js wants ArrayBuffer-backed input). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(ab).set(bytes);
  return ab;
}

/** Decodes exactly one BER element that spans the whole input; returns null when it does not. */
export function decodeWhole(bytes: Uint8Array): asn1js.AsnType | null {
  if (bytes.length === 0) return null;
  const res = asn1js.fromBER(toArrayBuffer(bytes));
  if (res.offset === -1 || res.offset !== bytes.length) return null;
  return res.result;
}
