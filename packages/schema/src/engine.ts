import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_XML_LIMITS } from '@samhandling/plo';
import type { XmlElement, XmlLimits, XmlNode } from '@samhandling/plo';
import type { SchemaCatalog } from './catalog';
import { bundledSchemaDirectory, importOrder } from './catalog';
import { SchemaError } from './errors';
import { loadNative } from './native';
import type { NativeBinding, NativeResult, NativeSchemaHandle } from './native';

const DRIVER_NAMESPACE = 'urn:samhandling:schema:driver';
/** libxml2 error domain of schema validity errors (XML_FROM_SCHEMASV). */
export const DOMAIN_SCHEMAS_VALIDITY = 17;

/** One XSD validity error reported by libxml. */
export interface XsdError {
  readonly message: string;
  readonly line?: number;
  /** Namespace-free path of the element concerned, when libxml named the node. */
  readonly path?: string;
}

const ENCODING_IN_DECLARATION = /^(<\?xml[^>]*?\bencoding[\x20\t\r\n]*=[\x20\t\r\n]*)(["'])[^"'>]*\2/;

/** Rewrites the XML declaration's encoding to UTF-8 (same line count: line numbers stay). */
export function neutraliseEncodingDeclaration(text: string): string {
  return text.replace(ENCODING_IN_DECLARATION, '$1$2UTF-8$2');
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * An element as the addon writes it: `[ns, name, line, attrs | 0, ...children]`, `ns` an index into
 * the result's `namespaces` (or, past 64 distinct URIs, the URI itself), a text child `[start, end]`
 * (a slice of the result's `texts`).
 */
type TextItem = [start: number, end: number];
type ElementItem = [ns: number | string, name: string, line: number, attrs: Record<string, string> | 0, ...children: (ElementItem | TextItem)[]];

/**
 * The element tree of a native result (undefined when none was returned): one `JSON.parse` of the
 * compact array form, then plain objects with namespace URIs (one shared string per namespace)
 * and text slices of the result's one text string. Iterative (no recursion on document depth).
 */
export function treeOf(result: NativeResult): XmlElement | undefined {
  if (result.tree === undefined) return undefined;
  const table = result.namespaces ?? [];
  const texts = result.texts ?? '';
  const make = (item: ElementItem): { element: XmlElement; children: XmlNode[] } => {
    const children: XmlNode[] = [];
    const ns = item[0];
    const attrs = item[3];
    const element: XmlElement = { ns: typeof ns === 'number' ? (table[ns] ?? '') : ns, name: item[1], line: item[2], attrs: attrs === 0 ? {} : attrs, children };
    return { element, children };
  };
  const rootItem = JSON.parse(result.tree) as ElementItem;
  const root = make(rootItem);
  const stack: [ElementItem, XmlNode[]][] = [[rootItem, root.children]];
  while (stack.length > 0) {
    const [item, children] = stack.pop() as [ElementItem, XmlNode[]];
    for (let i = 4; i < item.length; i++) {
      const child = item[i] as ElementItem | TextItem;
      if (child.length === 2) {
        const [start, end] = child as TextItem;
        children.push({ text: texts.slice(start, end) });
      } else {
        const made = make(child as ElementItem);
        children.push(made.element);
        stack.push([child as ElementItem, made.children]);
      }
    }
  }
  return root.element;
}

/** A coded element (`V` + `S` attributes): value, code system OID, line, path. */
export type CodedElement = readonly [value: string, system: string, line: number, xpath: string];

/** The coded elements of a scoped native result, undefined for a full tree. */
export function codesOf(result: NativeResult): readonly CodedElement[] | undefined {
  return result.codes === undefined ? undefined : (JSON.parse(result.codes) as CodedElement[]);
}

/** The XSD validity errors of a native result (parser errors are reported separately). */
export function xsdErrorsOf(result: NativeResult): XsdError[] {
  const errors: XsdError[] = [];
  for (const e of result.errors) {
    if (e.domain !== DOMAIN_SCHEMAS_VALIDITY) continue;
    const error: { message: string; line?: number; path?: string } = { message: e.message.trim() };
    if (e.line > 0) error.line = e.line;
    if (e.path !== undefined) error.path = e.path;
    errors.push(error);
  }
  if (errors.length === 0 && result.wellFormed && !result.valid) errors.push({ message: 'Document does not validate against the XML schema' });
  return errors;
}

/**
 * XSD validation with the package's native addon (libxml2 2.9 from libxmljs2's vendored sources,
 * see ADR 0007) over a namespace catalog. A driver schema that xs:imports the needed namespaces
 * (dependencies first, from the catalog's files) is generated and **compiled once** per namespace
 * set; every document is then parsed, validated and turned into a tree in one native call.
 *
 * Schema files are read only while a schema set compiles, and only from below the catalog's
 * directories. While a document is parsed nothing external is ever loaded. Not thread-safe: use
 * an engine from the thread that created it (Node.js runs JavaScript on one thread).
 */
export class XsdEngine {
  private readonly handles = new Map<string, NativeSchemaHandle>();
  private readonly native: NativeBinding;
  private readonly roots: readonly string[];

  /**
   * @param roots Directories schema files may be read from (default: the bundled schemas and
   *   the folder of every catalog entry).
   */
  /**
   * @param codeLists Code lists (OID, codes) that coded values are checked against while parsing,
   *   so that only values that may be outside their list reach the code-list rule.
   */
  constructor(
    private readonly catalog: SchemaCatalog,
    roots?: readonly string[],
    private readonly codeLists?: readonly (readonly [oid: string, codes: readonly string[]])[],
  ) {
    this.native = loadNative();
    this.roots = roots ?? [bundledSchemaDirectory(), ...new Set([...catalog.values()].map((e) => path.dirname(e.file)))];
  }

  /** Namespaces the catalog can validate. */
  has(namespace: string): boolean {
    return this.catalog.has(namespace);
  }

  private keyOf(namespaces: readonly string[]): string {
    return [...new Set(namespaces)].sort().join(' ');
  }

  private compile(namespaces: readonly string[]): NativeSchemaHandle {
    const imports = importOrder(this.catalog, namespaces)
      .map((ns) => {
        const entry = this.catalog.get(ns);
        return entry === undefined ? '' : `  <xs:import namespace="${escapeAttr(ns)}" schemaLocation="${escapeAttr(pathToFileURL(entry.file).href)}"/>\n`;
      })
      .join('');
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${DRIVER_NAMESPACE}">\n${imports}</xs:schema>\n`;
    const baseUrl = pathToFileURL(path.join(bundledSchemaDirectory(), 'driver.xsd')).href;
    return this.native.compileSchema(text, baseUrl, this.roots);
  }

  private handleFor(namespaces: readonly string[]): NativeSchemaHandle {
    const key = this.keyOf(namespaces);
    let handle = this.handles.get(key);
    if (handle === undefined) {
      handle = this.compile(namespaces);
      if (this.codeLists !== undefined) {
        this.native.setCodeLists(
          handle,
          this.codeLists.map(([oid]) => oid),
          this.codeLists.map(([, codes]) => codes),
        );
      }
      this.handles.set(key, handle);
    }
    return handle;
  }

  private compiles(namespaces: readonly string[]): boolean {
    try {
      this.handleFor(namespaces);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Compiles the schema set for `namespaces` (kept for every later document), so a broken schema
   * directory fails at construction rather than on the first message.
   *
   * @throws SchemaError ERR_SCHEMA_COMPILE
   */
  check(namespaces: readonly string[]): void {
    let cause: unknown;
    try {
      this.handleFor(namespaces);
      return;
    } catch (err) {
      cause = err;
    }
    // Find the culprits: compile each namespace (with its imports) on its own.
    const failing = namespaces.filter((ns) => !this.compiles([ns]));
    const files = failing.map((ns) => this.catalog.get(ns)?.file ?? ns);
    throw new SchemaError(
      'ERR_SCHEMA_COMPILE',
      `Schema set does not compile${files.length > 0 ? `; failing: ${files.join(', ')}` : ''}`,
      files[0] === undefined ? { cause } : { file: files[0], cause },
    );
  }

  /**
   * Parses `utf8` (UTF-8 bytes; any encoding declaration is ignored), enforces `limits` while
   * parsing, validates against the schema set of `namespaces` (compiled on first use) and, with
   * `withTree`, returns the element tree as JSON. Throws only on engine failures.
   */
  run(utf8: Uint8Array, namespaces: readonly string[], withTree: boolean, limits: Required<XmlLimits> = DEFAULT_XML_LIMITS): NativeResult {
    return this.native.validate(this.handleFor(namespaces), utf8, withTree, limits.maxDepth, limits.maxElements, limits.maxAttributes);
  }

  /**
   * {@link run} bound to the schema set of `namespaces` (compiled now): no lookup per document.
   * With `textScope`, the tree of a document whose root is in `textScope.namespace` is scoped to
   * the root's children named `textScope.child` (see {@link NativeBinding.validate}).
   */
  runner(
    namespaces: readonly string[],
    textScope?: { readonly namespace: string; readonly child: string; readonly names?: readonly string[] },
  ): (utf8: Uint8Array, withTree: boolean, limits: Required<XmlLimits>) => NativeResult {
    const handle = this.handleFor(namespaces);
    const native = this.native;
    if (textScope === undefined) {
      return (utf8, withTree, limits) => native.validate(handle, utf8, withTree, limits.maxDepth, limits.maxElements, limits.maxAttributes);
    }
    const { namespace, child, names } = textScope;
    return (utf8, withTree, limits) =>
      native.validate(handle, utf8, withTree, limits.maxDepth, limits.maxElements, limits.maxAttributes, namespace, child, names);
  }

  /**
   * Validates decoded document text against the schemas of `namespaces` (and their imports).
   * Returns every validity error; an empty array means valid. A document that cannot be read
   * (not well-formed, DOCTYPE, limits) gives one error saying why. Throws only on engine failures.
   */
  validate(text: string, namespaces: readonly string[]): XsdError[] {
    const result = this.run(Buffer.from(neutraliseEncodingDeclaration(text), 'utf8'), namespaces, false);
    if (result.fatal !== undefined) return [{ message: result.fatal.message }];
    if (!result.wellFormed) return [{ message: result.errors[0]?.message.trim() ?? 'XML document is not well-formed' }];
    return xsdErrorsOf(result);
  }
}
