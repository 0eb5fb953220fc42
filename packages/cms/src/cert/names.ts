/** Internal: distinguished names as RFC 4514-style strings and comparison keys. */
import type * as pkijs from 'pkijs';
import { toHex } from './der';

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** OIDs by the short names above (for building names). */
export const NAME_OIDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SHORT_NAMES).map(([oid, name]) => [name, oid]),
);

interface AttrValue {
  readonly type: string;
  readonly text: string | null;
  readonly raw: Uint8Array;
}

function attrValues(name: pkijs.RelativeDistinguishedNames): AttrValue[] {
  return name.typesAndValues.map((tv) => {
    const v = tv.value as unknown as { valueBlock?: { value?: unknown }; toBER(): ArrayBuffer };
    const value = v.valueBlock?.value;
    const text = typeof value === 'string' ? value : null;
    return { type: tv.type, text, raw: new Uint8Array(v.toBER()) };
  });
}

function escapeValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 0) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** RFC 4514-style string: most specific attribute first. */
export function nameToString(name: pkijs.RelativeDistinguishedNames): string {
  return attrValues(name)
    .reverse()
    .map((a) => `${SHORT_NAMES[a.type] ?? a.type}=${a.text === null ? `#${toHex(a.raw)}` : escapeValue(a.text)}`)
    .join(',');
}

/**
 * Comparison key for name matching (RFC 5280 §7.1 simplified): attribute order kept, string
 * values compared case-insensitively with whitespace folded.
 */
export function nameKey(name: pkijs.RelativeDistinguishedNames): string {
  return attrValues(name)
    .map((a) => `${a.type}=${a.text === null ? `#${toHex(a.raw)}` : a.text.trim().replace(/\s+/g, ' ').toLowerCase()}`)
    .join('\u0000');
}

/** First string value of an attribute type, or null. */
export function nameAttribute(name: pkijs.RelativeDistinguishedNames, oid: string): string | null {
  for (const a of attrValues(name)) if (a.type === oid && a.text !== null) return a.text;
  return null;
}
