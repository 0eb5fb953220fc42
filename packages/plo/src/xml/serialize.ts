import { create } from 'xmlbuilder2';
import { PloError } from '../errors';
import type { XmlElement } from './tree';
import { isElement } from './tree';

/** Options for {@link serializeXml}. */
export interface SerializeOptions {
  /** Emit `<?xml version="1.0" encoding="UTF-8"?>`. Default true. */
  readonly declaration?: boolean;
  /** Indent child elements with two spaces. Default false (no whitespace is added). */
  readonly pretty?: boolean;
}

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** True when every code point is in the XML 1.0 Char production. */
function isXmlChars(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    const ok =
      c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) return false;
  }
  return true;
}
const NC_NAME = /^[\p{L}_][\p{L}\p{N}\p{M}_.\-\u00B7]*$/u;

type XMLBuilder = ReturnType<typeof create>;

/** Prefix → URI bindings in scope ('' = default namespace). */
type Scope = ReadonlyMap<string, string>;

function prefixFor(scope: Scope, uri: string): string | undefined {
  let found: string | undefined;
  for (const [prefix, bound] of scope) {
    if (prefix !== '' && bound === uri) found = prefix;
  }
  return found;
}

function checkText(value: string, path: string): void {
  if (!isXmlChars(value)) {
    throw new PloError('ERR_PLO_INVALID_MODEL', `Text at ${path} contains a character not allowed in XML 1.0`, { path });
  }
}

function checkName(name: string, path: string): void {
  if (!NC_NAME.test(name)) throw new TypeError(`Not a valid XML name: '${name}' at ${path}`);
}

function splitAttrKey(key: string): { uri: string; local: string } {
  if (key.startsWith('{')) {
    const end = key.indexOf('}');
    if (end > 1) return { uri: key.slice(1, end), local: key.slice(end + 1) };
    throw new TypeError(`Malformed namespaced attribute key '${key}'`);
  }
  return { uri: '', local: key };
}

function writeElement(parent: XMLBuilder, node: XmlElement, outer: Scope, path: string): void {
  const here = `${path}/${node.name}`;
  checkName(node.name, here);
  const scope = new Map(outer);
  const decls: [string, string][] = [];
  const declare = (prefix: string, uri: string): void => {
    scope.set(prefix, uri);
    decls.push([prefix, uri]);
  };

  for (const [prefix, uri] of Object.entries(node.nsDecls ?? {})) {
    if (prefix !== '') checkName(prefix, here);
    if (prefix !== '' && uri === '') throw new TypeError(`Prefix '${prefix}' cannot be bound to no namespace at ${here}`);
    if (prefix === 'xml' || prefix === 'xmlns') throw new TypeError(`Prefix '${prefix}' is reserved at ${here}`);
    declare(prefix, uri);
  }

  // Element name: the default namespace if it matches, else a declared prefix, else declare
  // the element's namespace as default on this element.
  let qname = node.name;
  const defaultNs = scope.get('') ?? '';
  if (node.ns !== defaultNs) {
    const prefix = node.ns === '' ? undefined : prefixFor(scope, node.ns);
    if (prefix === undefined) declare('', node.ns);
    else qname = `${prefix}:${node.name}`;
  }

  // Attributes: namespaced ones need a non-default prefix; make one up when none is in scope.
  const attrs: [string, string, string][] = [];
  let generated = 0;
  for (const [key, value] of Object.entries(node.attrs)) {
    const { uri, local } = splitAttrKey(key);
    checkName(local, `${here}/@${local}`);
    checkText(value, `${here}/@${local}`);
    if (uri === '') {
      attrs.push(['', local, value]);
      continue;
    }
    let prefix = uri === XML_NS ? 'xml' : prefixFor(scope, uri);
    if (prefix === undefined) {
      prefix = uri === XSI_NS && !scope.has('xsi') ? 'xsi' : '';
      while (prefix === '' || scope.has(prefix)) prefix = `ns${generated++}`;
      declare(prefix, uri);
    }
    attrs.push([uri, `${prefix}:${local}`, value]);
  }

  const child = parent.ele(node.ns === '' ? null : node.ns, qname);
  for (const [prefix, uri] of decls) {
    child.att(XMLNS_NS, prefix === '' ? 'xmlns' : `xmlns:${prefix}`, uri);
  }
  for (const [uri, name, value] of attrs) {
    if (uri === '') child.att(name, value);
    else child.att(uri, name, value);
  }
  for (const c of node.children) {
    if (isElement(c)) {
      writeElement(child, c, scope, here);
    } else {
      checkText(c.text, here);
      if (c.text !== '') child.txt(c.text);
    }
  }
}

/**
 * Serialize an element tree to UTF-8 XML text with xmlbuilder2.
 *
 * Namespace declarations come from each element's `nsDecls` (prefix → URI, '' for the default
 * namespace). An element whose namespace has no binding in scope gets a default-namespace
 * declaration; a namespaced attribute without a prefix in scope gets a generated one (`xsi` for
 * XML Schema instance). Text and attribute values are escaped; characters not allowed in XML 1.0
 * throw `PloError` `ERR_PLO_INVALID_MODEL` with the element path; invalid names throw `TypeError`.
 *
 * Note: carriage returns in text and tab/line breaks in attribute values are written literally,
 * so an XML parser normalizes them (end-of-line and attribute-value normalization).
 */
export function serializeXml(root: XmlElement, opts: SerializeOptions = {}): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  writeElement(doc, root, new Map([['xml', XML_NS]]), '');
  const out = doc.end({ headless: opts.declaration === false, prettyPrint: opts.pretty === true, wellFormed: false });
  return out;
}
