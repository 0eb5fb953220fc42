/** Small internal helpers for building and reading AppRec element trees (not exported). */
import { isElement } from '@samhandling/plo';
import type { CodedValue, SimpleCode, XmlElement, XmlNode } from '@samhandling/plo';
import { ApprecError } from './errors';

type Child = XmlNode | undefined | readonly (XmlNode | undefined)[];

/** An element in `ns`; `undefined` attributes and children are left out. */
export function el(ns: string, name: string, attrs: Readonly<Record<string, string | undefined>> = {}, children: readonly Child[] = []): XmlElement {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) a[k] = v;
  const kids: XmlNode[] = [];
  for (const c of children) {
    if (c === undefined) continue;
    if (Array.isArray(c)) {
      for (const x of c as readonly (XmlNode | undefined)[]) if (x !== undefined) kids.push(x);
    } else kids.push(c as XmlNode);
  }
  return { ns, name, attrs: a, children: kids };
}

/** An element holding text, or `undefined` for an absent value. */
export function textEl(ns: string, name: string, value: string | undefined): XmlElement | undefined {
  return value === undefined ? undefined : el(ns, name, {}, [{ text: value }]);
}

/** A CS element (V, DN), or `undefined`. */
export function csEl(ns: string, name: string, code: SimpleCode | undefined): XmlElement | undefined {
  return code === undefined ? undefined : el(ns, name, { V: code.v, DN: code.dn });
}

/** A CV element (V, S, DN, OT), or `undefined`. */
export function cvEl(ns: string, name: string, code: CodedValue | undefined): XmlElement | undefined {
  return code === undefined ? undefined : el(ns, name, { V: code.v, S: code.s, DN: code.dn, OT: code.ot });
}

/** Child elements named `name` in `ns`. */
export function children(parent: XmlElement, ns: string, name: string): XmlElement[] {
  return parent.children.filter((c): c is XmlElement => isElement(c) && c.ns === ns && c.name === name);
}

/** First child element named `name` in `ns`. */
export function child(parent: XmlElement, ns: string, name: string): XmlElement | undefined {
  return children(parent, ns, name)[0];
}

/** Concatenated direct text of an element. */
export function textOf(element: XmlElement): string {
  let s = '';
  for (const c of element.children) if (!isElement(c)) s += c.text;
  return s;
}

function missing(path: string, line: number | undefined): ApprecError {
  return new ApprecError('ERR_APPREC_MISSING_ELEMENT', `Required element ${path} is missing`, line === undefined ? { path } : { path, line });
}

/** The child, or `ERR_APPREC_MISSING_ELEMENT` at `${path}/${name}`. */
export function requireChild(parent: XmlElement, ns: string, name: string, path: string): XmlElement {
  const c = child(parent, ns, name);
  if (c === undefined) throw missing(`${path}/${name}`, parent.line);
  return c;
}

/** Trimmed text of an optional child; `undefined` when absent or blank. */
export function optionalText(parent: XmlElement, ns: string, name: string): string | undefined {
  const c = child(parent, ns, name);
  if (c === undefined) return undefined;
  const t = textOf(c).trim();
  return t === '' ? undefined : t;
}

/** Trimmed text of a required child; absent or blank is `ERR_APPREC_MISSING_ELEMENT`. */
export function requiredText(parent: XmlElement, ns: string, name: string, path: string): string {
  const c = requireChild(parent, ns, name, path);
  const t = textOf(c).trim();
  if (t === '') throw missing(`${path}/${name}`, c.line ?? parent.line);
  return t;
}

function attr(element: XmlElement, name: string): string | undefined {
  const v = element.attrs[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** V and DN of a CS element; a missing V is `ERR_APPREC_MISSING_ELEMENT` at `${path}/@V`. */
export function readCs(element: XmlElement, path: string): SimpleCode {
  const v = attr(element, 'V');
  if (v === undefined) throw missing(`${path}/@V`, element.line);
  const dn = attr(element, 'DN');
  return dn === undefined ? { v } : { v, dn };
}

/** V, DN, S and OT of a CV element; V is required. OT keeps its whitespace (free text). */
export function readCv(element: XmlElement, path: string): CodedValue {
  const { v, dn } = readCs(element, path);
  const s = attr(element, 'S');
  const ot = element.attrs['OT'];
  return { v, ...(dn === undefined ? {} : { dn }), ...(s === undefined ? {} : { s }), ...(ot === undefined || ot.trim() === '' ? {} : { ot }) };
}

/** CS of an optional child. */
export function optionalCs(parent: XmlElement, ns: string, name: string, path: string): SimpleCode | undefined {
  const c = child(parent, ns, name);
  return c === undefined ? undefined : readCs(c, `${path}/${name}`);
}

/** An `ERR_APPREC_INVALID_VALUE` at `path`. */
export function invalidValue(path: string, message: string, line?: number): ApprecError {
  return new ApprecError('ERR_APPREC_INVALID_VALUE', `${message} at ${path}`, line === undefined ? { path } : { path, line });
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/;

/** True for an xs:dateTime value with a plausible calendar date and time. */
export function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (m === null) return false;
  const [, y, mo, d, h, mi, s, , , zh, zm] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return false;
  return zh === undefined || (Number(zm) < 60 && (Number(zh) < 14 || (Number(zh) === 14 && Number(zm) === 0)));
}

/** xs:dateTime in UTC with seconds precision, e.g. `2024-05-02T08:15:00Z`. */
export function formatDateTime(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('the clock returned an invalid Date');
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Milliseconds since the epoch of an xs:dateTime; a value without zone is read as UTC. */
export function instantOf(value: string): number {
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
}
