import { pathToFileURL } from 'node:url';
import libxmljs from 'libxmljs2';
import type { Document as LibxmlDocument } from 'libxmljs2';
import type { SchemaCatalog } from './catalog';
import { importOrder } from './catalog';
import { SchemaError } from './errors';

const DRIVER_NAMESPACE = 'urn:samhandling:schema:driver';
/** libxml2 error domain of schema validity errors (XML_FROM_SCHEMASV). */
const DOMAIN_SCHEMAS_VALIDITY = 17;

/**
 * Parser options for every document libxml sees. Never noent, dtdload, dtdvalid, xinclude or
 * huge; never the network. `ignore_enc`: the text handed over is already decoded (and the
 * declaration's encoding is neutralised), so an ISO-8859-1 declaration must not re-decode it.
 */
const DOCUMENT_OPTIONS = { nonet: true, ignore_enc: true } as const;

/** One XSD validity error reported by libxml. */
export interface XsdError {
  readonly message: string;
  readonly line?: number;
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
 * XSD validation with libxmljs2 over a namespace catalog. A driver schema that xs:imports the
 * needed namespaces (dependencies first, from the catalog's files) is generated and parsed once per
 * namespace set and reused.
 *
 * Note: libxmljs2 0.35 compiles the schema (xmlSchemaParse) inside every `Document.validate` call;
 * it has no API to keep a compiled schema. The driver documents are cached so that at least the
 * XSD text is never re-generated or re-parsed here.
 */
export class XsdEngine {
  private readonly drivers = new Map<string, LibxmlDocument>();

  constructor(private readonly catalog: SchemaCatalog) {}

  /** Namespaces the catalog can validate. */
  has(namespace: string): boolean {
    return this.catalog.has(namespace);
  }

  private driverFor(namespaces: readonly string[]): LibxmlDocument {
    const key = [...new Set(namespaces)].sort().join(' ');
    let driver = this.drivers.get(key);
    if (driver === undefined) {
      const imports = importOrder(this.catalog, namespaces)
        .map((ns) => {
          const entry = this.catalog.get(ns);
          return entry === undefined ? '' : `  <xs:import namespace="${escapeAttr(ns)}" schemaLocation="${escapeAttr(pathToFileURL(entry.file).href)}"/>\n`;
        })
        .join('');
      const text = `<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${DRIVER_NAMESPACE}">\n${imports}</xs:schema>\n`;
      driver = libxmljs.parseXml(text, { nonet: true });
      this.drivers.set(key, driver);
    }
    return driver;
  }

  /**
   * Compiles the schema set for `namespaces` once against a trivial document, so a broken schema
   * directory fails at construction rather than on the first message.
   *
   * @throws SchemaError ERR_SCHEMA_COMPILE
   */
  check(namespaces: readonly string[]): void {
    if (this.compiles(namespaces)) return;
    // Find the culprits: compile each namespace (with its imports) on its own.
    const failing = namespaces.filter((ns) => !this.compiles([ns]));
    const files = failing.map((ns) => this.catalog.get(ns)?.file ?? ns);
    throw new SchemaError(
      'ERR_SCHEMA_COMPILE',
      `Schema set does not compile${files.length > 0 ? `; failing: ${files.join(', ')}` : ''}`,
      files[0] === undefined ? {} : { file: files[0] },
    );
  }

  private compiles(namespaces: readonly string[]): boolean {
    const driver = this.driverFor(namespaces);
    const probe = libxmljs.parseXml('<probe xmlns="urn:samhandling:schema:probe"/>', DOCUMENT_OPTIONS);
    try {
      probe.validate(driver);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Validates decoded document text against the schemas of `namespaces` (and their imports).
   * Returns every validity error; an empty array means valid. Throws only on engine failures.
   */
  validate(text: string, namespaces: readonly string[]): XsdError[] {
    const driver = this.driverFor(namespaces);
    const doc = libxmljs.parseXml(neutraliseEncodingDeclaration(text), DOCUMENT_OPTIONS);
    if (doc.validate(driver)) return [];
    const errors: XsdError[] = [];
    for (const e of doc.validationErrors) {
      if (e.domain !== DOMAIN_SCHEMAS_VALIDITY) continue;
      const error: { message: string; line?: number } = { message: e.message.trim() };
      if (typeof e.line === 'number' && e.line > 0) error.line = e.line;
      errors.push(error);
    }
    if (errors.length === 0) errors.push({ message: 'Document does not validate against the XML schema' });
    return errors;
  }
}
