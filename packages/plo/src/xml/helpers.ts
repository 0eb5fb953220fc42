/**
 * Small helpers for building and reading {@link XmlElement} trees. Used by every message model
 * (MsgHead, PLO content, dialogue messages); not part of the public API except `CodedValue`.
 *
 * Paths: readers take the XPath-like path of the parent (e.g. `/MsgHead/MsgInfo`) and report a
 * missing child as `${parentPath}/${name}` and an attribute as `${elementPath}/@${name}`.
 */
import { PloError } from '../errors';
import type { XmlElement, XmlNode, XmlText } from './tree';
import { isElement } from './tree';

/** A child accepted by {@link el}: nodes, strings (text), nested arrays; nullish/false are skipped. */
export type ChildInput = XmlNode | string | undefined | null | false | readonly ChildInput[];

/**
 * A coded value as KITH schemas carry it in attributes (types CS, CV):
 * `V` value, `DN` display name, `S` code system OID, `OT` original text.
 */
export interface CodedValue {
  /** Code (`V`). */
  readonly v: string;
  /** Display name (`DN`). */
  readonly dn?: string;
  /** Code system OID (`S`), e.g. `2.16.578.1.12.4.1.1.9051`. */
  readonly s?: string;
  /** Original text (`OT`). */
  readonly ot?: string;
}

/** OID of a Volven code list: `2.16.578.1.12.4.1.1.<system>`. */
export function volvenOid(system: string | number): string {
  return `2.16.578.1.12.4.1.1.${system}`;
}

function flatten(children: readonly ChildInput[], out: XmlNode[]): void {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (typeof c === 'string') out.push({ text: c });
    else if (Array.isArray(c)) flatten(c as readonly ChildInput[], out);
    else out.push(c as XmlNode);
  }
}

/**
 * Build an element. Attributes whose value is `undefined` are left out; children may be nodes,
 * strings (become text) or nested arrays, and `undefined`/`null`/`false` are skipped, so optional
 * parts can be written inline.
 */
export function el(
  ns: string,
  name: string,
  attrs: Readonly<Record<string, string | undefined>> = {},
  children: readonly ChildInput[] = [],
  nsDecls?: Readonly<Record<string, string>>,
): XmlElement {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) a[k] = v;
  const kids: XmlNode[] = [];
  flatten(children, kids);
  return nsDecls === undefined ? { ns, name, attrs: a, children: kids } : { ns, name, attrs: a, children: kids, nsDecls };
}

/** A text node. */
export function text(value: string): XmlText {
  return { text: value };
}

/** An element holding only text, or `undefined` when `value` is `undefined` (for optional elements). */
export function textEl(ns: string, name: string, value: string | undefined): XmlElement | undefined {
  return value === undefined ? undefined : el(ns, name, {}, [value]);
}

/** An element with coded-value attributes (V, DN, S, OT), or `undefined` for an absent value. */
export function codeEl(ns: string, name: string, code: CodedValue | undefined): XmlElement | undefined {
  if (code === undefined) return undefined;
  return el(ns, name, { V: code.v, S: code.s, DN: code.dn, OT: code.ot });
}

/** Child elements of `parent`, optionally only those with namespace `ns` and local name `name`. */
export function childElements(parent: XmlElement, ns?: string, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of parent.children) {
    if (isElement(c) && (ns === undefined || c.ns === ns) && (name === undefined || c.name === name)) out.push(c);
  }
  return out;
}

/** First child element with namespace `ns` and local name `name`. */
export function findChild(parent: XmlElement, ns: string, name: string): XmlElement | undefined {
  for (const c of parent.children) if (isElement(c) && c.ns === ns && c.name === name) return c;
  return undefined;
}

/** Concatenated text of the element's direct text children. */
export function textContent(element: XmlElement): string {
  let s = '';
  for (const c of element.children) if (!isElement(c)) s += c.text;
  return s;
}

function missing(path: string, line: number | undefined): PloError {
  return new PloError('ERR_PLO_MISSING_ELEMENT', `Required element ${path} is missing`, line === undefined ? { path } : { path, line });
}

/** The child `ns:name`, or `PloError` `ERR_PLO_MISSING_ELEMENT` with path `${parentPath}/${name}`. */
export function requireChild(parent: XmlElement, ns: string, name: string, parentPath: string): XmlElement {
  const c = findChild(parent, ns, name);
  if (c === undefined) throw missing(`${parentPath}/${name}`, parent.line);
  return c;
}

/**
 * Trimmed text of the required child `ns:name`; a missing or empty child throws
 * `ERR_PLO_MISSING_ELEMENT` with its path.
 */
export function requiredChildText(parent: XmlElement, ns: string, name: string, parentPath: string): string {
  const c = requireChild(parent, ns, name, parentPath);
  const t = textContent(c).trim();
  if (t === '') throw missing(`${parentPath}/${name}`, c.line ?? parent.line);
  return t;
}

/** Trimmed text of the optional child `ns:name`; `undefined` when absent or empty. */
export function optionalChildText(parent: XmlElement, ns: string, name: string): string | undefined {
  const c = findChild(parent, ns, name);
  if (c === undefined) return undefined;
  const t = textContent(c).trim();
  return t === '' ? undefined : t;
}

/**
 * Untrimmed text of the optional child (for free text where whitespace matters);
 * `undefined` when absent.
 */
export function optionalChildRawText(parent: XmlElement, ns: string, name: string): string | undefined {
  const c = findChild(parent, ns, name);
  return c === undefined ? undefined : textContent(c);
}

/** Attribute value, or `ERR_PLO_MISSING_ELEMENT` with path `${elementPath}/@${name}` when absent or empty. */
export function requiredAttr(element: XmlElement, name: string, elementPath: string): string {
  const v = element.attrs[name]?.trim();
  if (v === undefined || v === '') throw missing(`${elementPath}/@${name}`, element.line);
  return v;
}

/** Attribute value (trimmed), `undefined` when absent or empty. */
export function optionalAttr(element: XmlElement, name: string): string | undefined {
  const v = element.attrs[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** Read V/DN/S/OT from a coded element; `V` is required. */
export function readCode(element: XmlElement, elementPath: string): CodedValue {
  const v = requiredAttr(element, 'V', elementPath);
  const dn = optionalAttr(element, 'DN');
  const s = optionalAttr(element, 'S');
  const ot = optionalAttr(element, 'OT');
  return {
    v,
    ...(dn === undefined ? {} : { dn }),
    ...(s === undefined ? {} : { s }),
    ...(ot === undefined ? {} : { ot }),
  };
}

/** Coded value of the required child `ns:name`. */
export function requiredChildCode(parent: XmlElement, ns: string, name: string, parentPath: string): CodedValue {
  return readCode(requireChild(parent, ns, name, parentPath), `${parentPath}/${name}`);
}

/** Coded value of the optional child `ns:name`, `undefined` when absent. */
export function optionalChildCode(parent: XmlElement, ns: string, name: string, parentPath: string): CodedValue | undefined {
  const c = findChild(parent, ns, name);
  return c === undefined ? undefined : readCode(c, `${parentPath}/${name}`);
}

/** A `PloError` `ERR_PLO_INVALID_VALUE` for an element or attribute at `path`. */
export function invalidValue(path: string, message: string, line?: number): PloError {
  return new PloError('ERR_PLO_INVALID_VALUE', `${message} at ${path}`, line === undefined ? { path } : { path, line });
}

// xs:dateTime and xs:date lexical forms (years 1000-9999, optional fraction and time zone).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (days[m - 1] ?? 0);
}

function validZone(z: string | undefined): boolean {
  if (z === undefined || z === 'Z') return true;
  const h = Number(z.slice(1, 3));
  const m = Number(z.slice(4, 6));
  return m < 60 && (h < 14 || (h === 14 && m === 0));
}

/** True for an xs:dateTime value such as `2024-05-02T10:15:00+02:00` (year ≥ 1000). */
export function isXsdDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (m === null) return false;
  const [, y, mo, d, h, mi, s, , z] = m;
  if (!validYmd(Number(y), Number(mo), Number(d)) || !validZone(z)) return false;
  // 24:00:00 is lexically allowed by XSD 1.0 but refused here: write 00:00:00 of the next day.
  return Number(h) < 24 && Number(mi) < 60 && Number(s) < 60 && Number(y) >= 1000;
}

/** True for an xs:date value such as `2024-05-02` (year ≥ 1000). */
export function isXsdDate(value: string): boolean {
  const m = DATE.exec(value);
  if (m === null) return false;
  const [, y, mo, d, z] = m;
  return Number(y) >= 1000 && validYmd(Number(y), Number(mo), Number(d)) && validZone(z);
}

/** Format a `Date` as xs:dateTime in UTC with seconds precision, e.g. `2024-05-02T08:15:00Z`. */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid Date');
  return `${date.toISOString().slice(0, 19)}Z`;
}
