/**
 * A neutral, namespace-aware XML element tree.
 *
 * Builders produce it (and `serializeXml` turns it into text); the hardened reader
 * (`readXml`) produces it from untrusted bytes, and parsers turn it into models. Keeping one
 * small tree type decouples message models from any particular XML library.
 */
export interface XmlElement {
  /** Namespace URI, or '' when the element is in no namespace. */
  readonly ns: string;
  /** Local name (without prefix). */
  readonly name: string;
  /** Attributes by local name. Namespaced attributes (e.g. xsi:type) use `{uri}local` as key. */
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements and text, in document order. */
  readonly children: readonly XmlNode[];
  /** 1-based line of the start tag, when the tree came from a document. */
  readonly line?: number;
  /** Namespace declarations to emit on this element when building (prefix → URI; '' = default). */
  readonly nsDecls?: Readonly<Record<string, string>>;
}

export interface XmlText {
  readonly text: string;
}

export type XmlNode = XmlElement | XmlText;

export function isElement(node: XmlNode): node is XmlElement {
  return (node as XmlElement).name !== undefined;
}
