import path from 'node:path';

/** One error reported by libxml (parser, namespace or schema validity), as the addon returns it. */
export interface NativeXmlError {
  readonly message: string;
  /** 1-based line (the start tag's line for errors about an element); 0 when unknown. */
  readonly line: number;
  readonly column: number;
  readonly level: 'warning' | 'error' | 'fatal' | 'none';
  /** libxml error domain (1 parser, 3 namespace, 17 schema validity, ...). */
  readonly domain: number;
  /** libxml error code. */
  readonly code: number;
  /** Namespace-free path of the element concerned (`/MsgHead/MsgInfo/Ident[2]`), when known. */
  readonly path?: string;
}

/** A limit or DOCTYPE that stopped the parser. */
export interface NativeFatal {
  readonly kind: 'TOO_DEEP' | 'TOO_LARGE' | 'FORBIDDEN_CONSTRUCT' | 'DTD_FORBIDDEN';
  readonly message: string;
  readonly line?: number;
}

/** Result of one native parse + validation. */
export interface NativeResult {
  readonly wellFormed: boolean;
  readonly valid: boolean;
  readonly errors: readonly NativeXmlError[];
  /** Errors beyond the addon's cap (1000) that were counted, not reported. */
  readonly droppedErrors?: number;
  readonly fatal?: NativeFatal;
  /**
   * The element tree as compact JSON, when requested and well-formed: each element is
   * `[ns, name, line, attrs | 0, ...children]`, `ns` an index into `namespaces` (or, past 64
   * distinct URIs, the URI itself), each text child `[start, end]`, a slice of `texts`.
   */
  readonly tree?: string;
  /** All text content of `tree`, one string. */
  readonly texts?: string;
  /** Namespace URIs that `tree` refers to by index. */
  readonly namespaces?: readonly string[];
  /**
   * With a text scope that applied (see {@link NativeBinding.validate}): JSON array of
   * `[V, S, line, path]`, in document order, for every element of the document with both
   * attributes — or, when the handle has code lists ({@link NativeBinding.setCodeLists}), only for
   * those whose code may not be in its list (lists not given are not judged). The tree is then
   * scoped.
   */
  readonly codes?: string;
}

/** Opaque compiled schema set (a libxml `xmlSchemaPtr` with its validation context). */
export interface NativeSchemaHandle {
  readonly __brand: 'NativeSchemaHandle';
}

/** The functions of `build/Release/samhandling_xml.node`. */
export interface NativeBinding {
  /**
   * Compiles a driver schema. Its imports resolve against `baseUrl`; files are read only from
   * below `allowedDirs`, only during this call, never from the network.
   * @throws Error (with `errors`) when the schema set does not compile
   */
  compileSchema(driverXsd: string, baseUrl: string, allowedDirs: readonly string[]): NativeSchemaHandle;
  /**
   * Gives a handle the code lists coded values are checked against while parsing: `codes[i]` are
   * the codes of the system `oids[i]` (2.16.578.1.12.4.1.1.<n>). Replaces earlier lists.
   */
  setCodeLists(handle: NativeSchemaHandle, oids: readonly string[], codes: readonly (readonly string[])[]): void;
  /**
   * Parses (nothing external is ever loaded) and validates one UTF-8 document. With
   * `textNamespace` and `textChild`, the tree of a document whose root is in `textNamespace` is
   * scoped: the root, its children named `textChild` whole (with text; of attributes only `V` and
   * `S`, which the business rules read), and of its other children
   * only the chain PatientReport/Document/RefDoc/Content down to the content roots (no text, no
   * children), always with all same-named siblings (so positional paths are those of the whole
   * document); coded elements come in `codes`. With `factNames`, only elements of those names
   * are kept below `textChild` (the names the business rules read). The content's free text never
   * crosses into JavaScript.
   */
  validate(
    handle: NativeSchemaHandle,
    utf8: Uint8Array,
    withTree: boolean,
    maxDepth: number,
    maxElements: number,
    maxAttributes: number,
    textNamespace?: string,
    textChild?: string,
    factNames?: readonly string[],
  ): NativeResult;
}

let binding: NativeBinding | undefined;

/**
 * Path of the addon built by node-gyp (`npm install` runs `node-gyp rebuild` in this package).
 * Resolved from `__dirname`, which is `src/` in tests and `dist/` when built.
 */
export function nativeAddonPath(): string {
  return path.resolve(__dirname, '..', 'build', 'Release', 'samhandling_xml.node');
}

/** Loads the native addon once. */
export function loadNative(): NativeBinding {
  if (binding !== undefined) return binding;
  const file = nativeAddonPath();
  const mod: { exports: unknown } = { exports: {} };
  try {
    process.dlopen(mod, file);
  } catch (cause) {
    throw new Error(
      `@samhandling/schema: the native XSD engine ${file} cannot be loaded; rebuild it with \`npm rebuild @samhandling/schema\` (needs a C compiler and Python for node-gyp)`,
      { cause },
    );
  }
  binding = mod.exports as NativeBinding;
  return binding;
}
