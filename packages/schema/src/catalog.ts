import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import libxmljs from 'libxmljs2';
import type { Element as LibxmlElement } from 'libxmljs2';
import { SchemaError } from './errors';

const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

/** One schema document in the catalog: the file that defines a namespace. */
export interface SchemaEntry {
  /** targetNamespace of the schema. */
  readonly namespace: string;
  /** Absolute path of the .xsd file. */
  readonly file: string;
  /** Namespaces this schema imports (xs:import), in document order. */
  readonly imports: readonly string[];
  /** Where the entry came from: the bundled schemas or a directory given at run time. */
  readonly origin: 'bundled' | 'directory';
}

/** Namespace → schema entry. */
export type SchemaCatalog = ReadonlyMap<string, SchemaEntry>;

/**
 * The folder of schemas bundled with the package (`schemas/` beside `src/` and `dist/`).
 * Resolved from `__dirname`, which the ESM build shims.
 */
export function bundledSchemaDirectory(): string {
  return path.resolve(__dirname, '..', 'schemas');
}

function listXsdFiles(dir: string): string[] {
  const found: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.xsd')) found.push(full);
    }
  }
  return found.sort();
}

interface ScannedSchema {
  readonly file: string;
  readonly namespace: string | undefined;
  readonly imports: readonly string[];
  readonly includes: readonly string[];
}

function scanSchema(file: string): ScannedSchema {
  // Schema files are configuration, not untrusted input, and official ones may carry a DOCTYPE
  // (W3C xmldsig): read them with libxml without loading any external subset or entity.
  let root: LibxmlElement | null;
  try {
    // libxmljs2 accepts a Buffer (its typings say string): the file's own encoding declaration applies.
    root = libxmljs.parseXml(readFileSync(file) as unknown as string, { nonet: true }).root();
  } catch (cause) {
    throw new SchemaError('ERR_SCHEMA_FILE', `Schema file ${file} cannot be read`, { file, cause });
  }
  if (root === null || root.namespace()?.href() !== XSD_NS || root.name() !== 'schema') {
    throw new SchemaError('ERR_SCHEMA_FILE', `Schema file ${file} is not an XML Schema document`, { file });
  }
  const imports: string[] = [];
  const includes: string[] = [];
  for (const child of root.childNodes()) {
    if (child.type() !== 'element') continue;
    const element = child as LibxmlElement;
    if (element.namespace()?.href() !== XSD_NS) continue;
    const namespace = element.attr('namespace')?.value();
    const location = element.attr('schemaLocation')?.value();
    if (element.name() === 'import' && namespace !== undefined) imports.push(namespace);
    if ((element.name() === 'include' || element.name() === 'redefine') && location !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(location)) {
      includes.push(path.resolve(path.dirname(file), location));
    }
  }
  return { file, namespace: root.attr('targetNamespace')?.value(), imports, includes };
}

/**
 * Reads every `.xsd` file under `dir` (recursively) and indexes it by its targetNamespace.
 * Files pulled in by another file's xs:include are parts of that schema, not entries.
 *
 * @throws SchemaError ERR_SCHEMA_DIRECTORY, ERR_SCHEMA_FILE, ERR_SCHEMA_DUPLICATE_NAMESPACE
 */
export function loadSchemaDirectory(dir: string, origin: SchemaEntry['origin'] = 'directory'): Map<string, SchemaEntry> {
  const absolute = path.resolve(dir);
  let files: string[];
  try {
    if (!statSync(absolute).isDirectory()) throw new Error('not a directory');
    files = listXsdFiles(absolute);
  } catch (cause) {
    throw new SchemaError('ERR_SCHEMA_DIRECTORY', `Schema directory ${absolute} cannot be read`, { file: absolute, cause });
  }
  const scanned = files.map(scanSchema);
  const included = new Set(scanned.flatMap((s) => s.includes));
  const entries = new Map<string, SchemaEntry>();
  for (const schema of scanned) {
    if (included.has(schema.file)) continue;
    if (schema.namespace === undefined || schema.namespace === '') {
      throw new SchemaError('ERR_SCHEMA_FILE', `Schema file ${schema.file} has no targetNamespace`, { file: schema.file });
    }
    const existing = entries.get(schema.namespace);
    if (existing !== undefined) {
      throw new SchemaError(
        'ERR_SCHEMA_DUPLICATE_NAMESPACE',
        `Namespace ${schema.namespace} is declared by both ${existing.file} and ${schema.file}`,
        { file: schema.file },
      );
    }
    entries.set(schema.namespace, { namespace: schema.namespace, file: schema.file, imports: schema.imports, origin });
  }
  return entries;
}

/**
 * The catalog: bundled schemas, with the schemas of `overrideDirectory` (when given) replacing
 * bundled ones namespace by namespace and adding new namespaces.
 */
export function buildCatalog(overrideDirectory?: string): SchemaCatalog {
  const catalog = loadSchemaDirectory(bundledSchemaDirectory(), 'bundled');
  if (overrideDirectory !== undefined) {
    for (const [namespace, entry] of loadSchemaDirectory(overrideDirectory, 'directory')) catalog.set(namespace, entry);
  }
  return catalog;
}

/**
 * The namespaces needed to validate `roots`, dependencies first (so that when a driver imports them
 * in this order, the catalog's file for each namespace is the one libxml loads).
 */
export function importOrder(catalog: SchemaCatalog, roots: Iterable<string>): string[] {
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (start: string): void => {
    // Iterative depth-first post-order (no recursion on untrusted-size input).
    const stack: { ns: string; next: number }[] = [{ ns: start, next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { ns: string; next: number };
      if (frame.next === 0) {
        if (state.has(frame.ns) || !catalog.has(frame.ns)) {
          stack.pop();
          continue;
        }
        state.set(frame.ns, 'visiting');
      }
      const imports = catalog.get(frame.ns)?.imports ?? [];
      const dep = imports[frame.next];
      if (dep !== undefined) {
        frame.next++;
        if (!state.has(dep)) stack.push({ ns: dep, next: 0 });
        continue;
      }
      state.set(frame.ns, 'done');
      ordered.push(frame.ns);
      stack.pop();
    }
  };
  for (const root of roots) visit(root);
  return ordered;
}
