import { isElement } from '@samhandling/plo';
import type { XmlElement } from '@samhandling/plo';

interface Located {
  readonly element: XmlElement;
  readonly xpath: string;
  readonly line: number | undefined;
}

/**
 * Namespace-free path of every element, in document order: `/MsgHead/MsgInfo/Sender`, with a
 * 1-based position when an element has same-named siblings (`Ident[2]`). Iterative (no recursion).
 */
export function indexElements(root: XmlElement): Located[] {
  const out: Located[] = [];
  const stack: { element: XmlElement; xpath: string }[] = [{ element: root, xpath: `/${root.name}` }];
  while (stack.length > 0) {
    const { element, xpath } = stack.pop() as { element: XmlElement; xpath: string };
    out.push({ element, xpath, line: element.line });
    const children = element.children.filter(isElement);
    const counts = new Map<string, number>();
    for (const child of children) counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
    const seen = new Map<string, number>();
    const paths = children.map((child) => {
      const n = (seen.get(child.name) ?? 0) + 1;
      seen.set(child.name, n);
      return { element: child, xpath: (counts.get(child.name) ?? 0) > 1 ? `${xpath}/${child.name}[${n}]` : `${xpath}/${child.name}` };
    });
    for (let i = paths.length - 1; i >= 0; i--) stack.push(paths[i] as { element: XmlElement; xpath: string });
  }
  return out;
}

/** Maps elements to their paths, built once per document on demand. */
export class ElementLocator {
  private index: Located[] | undefined;
  private byElement: Map<XmlElement, string> | undefined;

  constructor(private readonly root: XmlElement) {}

  private all(): Located[] {
    this.index ??= indexElements(this.root);
    return this.index;
  }

  /** Path of an element of this document. */
  pathOf(element: XmlElement): string | undefined {
    if (this.byElement === undefined) {
      this.byElement = new Map(this.all().map((l) => [l.element, l.xpath]));
    }
    return this.byElement.get(element);
  }

  /**
   * Best match for a libxml error: the last element named `localName` (when given) that starts at
   * or before `line`; libxml reports the line where the start tag ends, ours is where it begins.
   */
  find(line: number | undefined, localName: string | undefined): string | undefined {
    if (line === undefined) return undefined;
    let best: Located | undefined;
    for (const located of this.all()) {
      if (located.line === undefined || located.line > line) continue;
      if (localName !== undefined && located.element.name !== localName) continue;
      if (best === undefined || (located.line ?? 0) >= (best.line ?? 0)) best = located;
    }
    return best?.xpath;
  }
}

/** Child elements with a local name (any namespace unless given). */
export function childrenNamed(element: XmlElement, name: string, ns?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => isElement(c) && c.name === name && (ns === undefined || c.ns === ns));
}

/** First child element with a local name. */
export function childNamed(element: XmlElement | undefined, name: string, ns?: string): XmlElement | undefined {
  if (element === undefined) return undefined;
  return element.children.find((c): c is XmlElement => isElement(c) && c.name === name && (ns === undefined || c.ns === ns));
}

/** Concatenated text of an element's direct text children, trimmed. */
export function textOf(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined;
  let text = '';
  for (const child of element.children) if (!isElement(child)) text += child.text;
  return text.trim();
}
