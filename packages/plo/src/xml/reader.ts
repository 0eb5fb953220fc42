import { SaxesParser } from 'saxes';
import type { SaxesAttributeNS, SaxesTagNS } from 'saxes';
import { PloError, isPloError } from '../errors';
import { guardXml, resolveXmlLimits } from './guard';
import type { XmlEncoding, XmlLimits } from './guard';
import type { XmlElement, XmlNode } from './tree';

/** XInclude namespaces (W3C recommendation and the 2003 draft): elements in them are refused. */
const XINCLUDE_NAMESPACES: ReadonlySet<string> = new Set(['http://www.w3.org/2001/XInclude', 'http://www.w3.org/2003/XInclude']);
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/** A document read by {@link readXml}. */
export interface XmlDocument {
  /** The root element. */
  readonly root: XmlElement;
  /** Encoding the input was decoded from. */
  readonly encoding: XmlEncoding;
  /** The decoded document text (no byte order mark). */
  readonly text: string;
}

interface MutableElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  line: number;
}

function attributeKey(attr: SaxesAttributeNS): string {
  return attr.uri === '' || attr.uri === undefined ? attr.local : `{${attr.uri}}${attr.local}`;
}

/**
 * Reads untrusted XML into an {@link XmlElement} tree. The input is first checked by
 * {@link guardXml} (size, encoding, no DTD), then parsed by a namespace-aware, non-validating
 * streaming parser that never resolves anything external: no entities beyond the five predefined
 * ones, no XInclude (refused), `xsi:schemaLocation` kept as a plain attribute.
 *
 * Depth, element and attribute limits are enforced while parsing, so hostile documents fail early.
 * Attributes are keyed by local name (`{uri}local` when namespaced); namespace declarations,
 * comments and processing instructions are dropped; adjacent text and CDATA are merged.
 *
 * @throws PloError ERR_PLO_XML_* (see {@link guardXml}), ERR_PLO_XML_TOO_DEEP,
 *   ERR_PLO_XML_FORBIDDEN_CONSTRUCT, ERR_PLO_XML_NOT_WELL_FORMED (with `line`)
 */
export function readXml(input: string | Uint8Array, limits?: Partial<XmlLimits>): XmlDocument {
  const resolved = resolveXmlLimits(limits);
  const { text, encoding } = guardXml(input, resolved);

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;
  let elementCount = 0;
  let pendingText: string[] = [];

  const flushText = (): void => {
    if (pendingText.length === 0) return;
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push({ text: pendingText.length === 1 ? (pendingText[0] as string) : pendingText.join('') });
    pendingText = [];
  };
  const appendText = (value: string): void => {
    // Text outside the root element is whitespace only (saxes rejects anything else).
    if (stack.length > 0 && value !== '') pendingText.push(value);
  };
  /**
   * Line of the `<` that opened the tag just read: saxes is past the tag's `>` at `opentag`, so
   * count the line breaks (LF, CR LF, lone CR, as saxes counts them) back to the `<` (attribute
   * values cannot contain `<`).
   */
  const tagStartLine = (): number => {
    let line = parser.line;
    for (let i = parser.position - 1; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c === 0x3c) return line;
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line--;
    }
    return line;
  };

  // Performance: saxes stores each handler with a computed-key assignment, and V8 turns a parser
  // object that gets more than about six of them into a slow dictionary-mode object (every
  // parser field access becomes a hash lookup: readXml ran 5-6x slower). So: no `error` handler
  // (saxes then throws, handled below) and no `opentagstart` (limits and the start line are
  // checked at `opentag`): five handlers.
  parser.on('doctype', () => {
    throw new PloError('ERR_PLO_XML_DTD_FORBIDDEN', undefined, { line: parser.line });
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const startLine = tagStartLine();
    elementCount++;
    if (stack.length + 1 > resolved.maxDepth) {
      throw new PloError('ERR_PLO_XML_TOO_DEEP', `XML document exceeds the depth limit of ${resolved.maxDepth}`, { line: startLine });
    }
    if (elementCount > resolved.maxElements) {
      throw new PloError('ERR_PLO_XML_TOO_LARGE', `XML document exceeds the limit of ${resolved.maxElements} elements`, { line: startLine });
    }
    flushText();
    const ns = tag.uri ?? '';
    if (XINCLUDE_NAMESPACES.has(ns)) {
      throw new PloError('ERR_PLO_XML_FORBIDDEN_CONSTRUCT', `XInclude element ${tag.name} is not allowed`, { line: startLine });
    }
    const attrs: Record<string, string> = {};
    let attributeCount = 0;
    for (const key in tag.attributes) {
      const attr = tag.attributes[key] as SaxesAttributeNS;
      if (++attributeCount > resolved.maxAttributes) {
        throw new PloError('ERR_PLO_XML_TOO_LARGE', `Element ${tag.name} exceeds the limit of ${resolved.maxAttributes} attributes`, {
          line: startLine,
        });
      }
      if (attr.uri === XMLNS_NAMESPACE) continue;
      attrs[attributeKey(attr)] = attr.value;
    }
    const element: MutableElement = { ns, name: tag.local ?? tag.name, attrs, children: [], line: startLine };
    const parent = stack[stack.length - 1];
    if (parent === undefined) root = element;
    else parent.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    flushText();
    stack.pop();
  });
  parser.on('text', appendText);
  parser.on('cdata', appendText);

  try {
    parser.write(text).close();
  } catch (err) {
    if (isPloError(err)) throw err;
    const detail = err instanceof Error ? `: ${err.message}` : '';
    throw new PloError('ERR_PLO_XML_NOT_WELL_FORMED', `XML document is not well-formed${detail}`, { line: parser.line, cause: err });
  }
  if (root === undefined) {
    throw new PloError('ERR_PLO_XML_NOT_WELL_FORMED', 'XML document has no root element', { line: parser.line });
  }
  return { root, encoding, text };
}
