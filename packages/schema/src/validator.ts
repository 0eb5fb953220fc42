import { codeLists, defaultRegistry, guardXml, isElement, isPloError, resolveXmlLimits } from '@samhandling/plo';
import type { GuardedXml, PloErrorCode, XmlElement, XmlLimits } from '@samhandling/plo';
import { buildCatalog, bundledSchemaDirectory } from './catalog';
import type { SchemaCatalog } from './catalog';
import { XsdEngine, codesOf, neutraliseEncodingDeclaration, treeOf, xsdErrorsOf } from './engine';
import type { XsdError } from './engine';
import type { NativeFatal, NativeResult } from './native';
import { makeIssue } from './issues';
import type { Issue, IssueSeverity, SchemaIssueCode } from './issues';
import { ElementLocator, childNamed, childrenNamed } from './locate';
import { codesRule } from './rules/codes';
import { MSGINFO_FACT_NAMES, RULE_NAMES } from './rules/context';
import type { DocumentKind, Rule, RuleContext, RuleName } from './rules/context';
import { genDateRule } from './rules/gen-date';
import { messageTypeRule } from './rules/message-type';
import { messageTypeOf } from './rules/msghead-paths';
import { msgIdRule } from './rules/msg-id';
import { partiesRule } from './rules/parties';
import { patientIdRule } from './rules/patient-id';

/** MsgHead v1.2 namespace. */
export const MSGHEAD_NAMESPACE = 'http://www.kith.no/xmlstds/msghead/2006-05-24';
/** AppRec v1.0 and v1.1 namespaces. */
export const APPREC_NAMESPACES: readonly string[] = ['http://www.kith.no/xmlstds/apprec/2004-11-21', 'http://www.kith.no/xmlstds/apprec/2012-02-15'];

const RULES: Readonly<Record<RuleName, Rule>> = {
  messageType: messageTypeRule,
  msgId: msgIdRule,
  genDate: genDateRule,
  parties: partiesRule,
  patientId: patientIdRule,
  codes: codesRule,
};

const XML_ISSUE_BY_PLO_CODE: Partial<Record<PloErrorCode, SchemaIssueCode>> = {
  ERR_PLO_XML_NOT_WELL_FORMED: 'ERR_SCHEMA_XML_NOT_WELL_FORMED',
  ERR_PLO_XML_DTD_FORBIDDEN: 'ERR_SCHEMA_XML_DTD_FORBIDDEN',
  ERR_PLO_XML_TOO_LARGE: 'ERR_SCHEMA_XML_TOO_LARGE',
  ERR_PLO_XML_TOO_DEEP: 'ERR_SCHEMA_XML_TOO_DEEP',
  ERR_PLO_XML_ENCODING: 'ERR_SCHEMA_XML_ENCODING',
  ERR_PLO_XML_FORBIDDEN_CONSTRUCT: 'ERR_SCHEMA_XML_FORBIDDEN_CONSTRUCT',
};

const XML_ISSUE_BY_FATAL: Readonly<Record<NativeFatal['kind'], SchemaIssueCode>> = {
  TOO_DEEP: 'ERR_SCHEMA_XML_TOO_DEEP',
  TOO_LARGE: 'ERR_SCHEMA_XML_TOO_LARGE',
  FORBIDDEN_CONSTRUCT: 'ERR_SCHEMA_XML_FORBIDDEN_CONSTRUCT',
  DTD_FORBIDDEN: 'ERR_SCHEMA_XML_DTD_FORBIDDEN',
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The bytes handed to libxml: always UTF-8 (libxml is told to ignore the declared encoding).
 * UTF-8 input the guard has checked goes as it is; anything else is the guard's decoded text,
 * re-encoded with the declaration's encoding neutralised (line numbers stay the same).
 */
function libxmlBytes(input: string | Uint8Array, guarded: GuardedXml): Uint8Array {
  if (typeof input !== 'string' && guarded.encoding === 'UTF-8') return input;
  return Buffer.from(neutraliseEncodingDeclaration(guarded.text), 'utf8');
}

/** Options of {@link createValidator}. */
export interface ValidatorOptions {
  /**
   * A directory of .xsd files (e.g. the official schemas). Each file replaces the bundled schema
   * of the same targetNamespace, or adds a namespace. Read once, when the validator is created.
   */
  readonly schemaDirectory?: string;
  /** Limits for untrusted XML (defaults: 50 MiB, depth 128; see `DEFAULT_XML_LIMITS` in plo). */
  readonly limits?: Partial<XmlLimits>;
  /** `test` accepts synthetic fødselsnummer (Test Norge / Tenor). Default `production`. */
  readonly environment?: 'production' | 'test';
  /** Source of "now" for GenDate checks. Required for the GenDate rule; without it the rule is skipped. */
  readonly clock?: () => Date;
  /** Allowed GenDate in the future, milliseconds. Default 10 minutes. */
  readonly clockSkewMs?: number;
  /** GenDate older than this (milliseconds) gives a warning. Default 366 days. */
  readonly maxMessageAgeMs?: number;
  /**
   * Per rule: `false` turns it off; `'error'` / `'warning'` sets the severity of all its issues.
   * Rules: messageType, msgId, genDate, parties, patientId, codes.
   */
  readonly rules?: Partial<Record<RuleName, boolean | IssueSeverity>>;
  /**
   * Supported message types (MsgInfo/Type V). Default: the types registered in the
   * `defaultRegistry` of @samhandling/plo (the types this toolkit can build and parse).
   */
  readonly isKnownMessageType?: (type: string) => boolean;
  /** Message types that must identify the patient. Default: every type except APPREC. */
  readonly requiresPatient?: (type: string) => boolean;
}

/** Result of one validation. */
export interface ValidationReport {
  /** True when there is no issue of severity `error`. */
  readonly valid: boolean;
  /** Every issue found (XSD and business rules), in the order found. */
  readonly issues: readonly Issue[];
  /** Namespace of the root element, when the document could be read. */
  readonly namespace?: string;
  /** MsgInfo/Type V (MsgHead) or MsgType V (AppRec), when present. */
  readonly messageType?: string;
  /** Namespaces of the elements in MsgHead Document/RefDoc/Content, in document order. */
  readonly contentNamespaces?: readonly string[];
}

/** A reusable validator: create once, call `validate` for every message. */
export interface Validator {
  /** Validates one document. Never throws for bad input: every problem is an issue. */
  validate(input: string | Uint8Array): ValidationReport;
  /** Namespaces the validator has schemas for. */
  readonly namespaces: readonly string[];
}

function contentRoots(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const documents = [...childrenNamed(root, 'Document', MSGHEAD_NAMESPACE)];
  for (const report of childrenNamed(root, 'PatientReport', MSGHEAD_NAMESPACE)) documents.push(...childrenNamed(report, 'Document', MSGHEAD_NAMESPACE));
  for (const doc of documents) {
    const content = childNamed(childNamed(doc, 'RefDoc', MSGHEAD_NAMESPACE), 'Content', MSGHEAD_NAMESPACE);
    if (content !== undefined) out.push(...content.children.filter(isElement));
  }
  return out;
}

const ELEMENT_IN_MESSAGE = /^Element '(?:\{([^}]*)\})?([^']+)'/;

/** `locator` gives the fallback path of an error libxml reported without a node (needs a full tree). */
function xsdIssues(errors: readonly XsdError[], locator: () => ElementLocator, unsupported: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  for (const error of errors) {
    const match = ELEMENT_IN_MESSAGE.exec(error.message);
    const ns = match?.[1];
    // An element of an unsupported content namespace is already reported as T10.
    if (ns !== undefined && unsupported.has(ns) && error.message.includes('wildcard')) continue;
    const localName = match?.[2]?.replace(/^.*:/, '');
    issues.push(makeIssue('ERR_SCHEMA_XSD_INVALID', error.message, { line: error.line, xpath: error.path ?? locator().find(error.line, localName) }));
  }
  return issues;
}

function applySeverity(issues: Issue[], setting: boolean | IssueSeverity | undefined): Issue[] {
  if (setting === undefined || setting === true) return issues;
  if (setting === false) return [];
  return issues.map((issue) => ({ ...issue, severity: setting }));
}

/**
 * Creates a validator: the plo guard (size, encoding, no DTD), then one native pass (ADR 0007)
 * that parses with limits, validates against the bundled schemas (optionally replaced by a
 * directory of official schemas; compiled once, here) and returns the element tree, then the
 * business rules on that tree.
 *
 * @throws SchemaError ERR_SCHEMA_DIRECTORY, ERR_SCHEMA_FILE, ERR_SCHEMA_DUPLICATE_NAMESPACE,
 *   ERR_SCHEMA_COMPILE when the schema set cannot be used.
 */
export function createValidator(options: ValidatorOptions = {}): Validator {
  const catalog: SchemaCatalog = buildCatalog(options.schemaDirectory);
  const roots = [bundledSchemaDirectory()];
  if (options.schemaDirectory !== undefined) roots.push(options.schemaDirectory);
  // The native pass leaves out coded values that are certainly in their bundled list.
  const lists = [...codeLists.values()].map((list) => [list.oid, list.codes.map((c) => c.code)] as const);
  const engine = new XsdEngine(catalog, roots, lists);
  const namespaces = [...catalog.keys()];
  engine.check(namespaces);
  // The rules read text only in MsgHead's MsgInfo (an AppRec is read whole): the content's free
  // text stays in libxml (it is validated there) and never crosses into JavaScript.
  const run = engine.runner(namespaces, { namespace: MSGHEAD_NAMESPACE, child: 'MsgInfo', names: MSGINFO_FACT_NAMES });
  const runFull = engine.runner(namespaces);
  const environment = options.environment ?? 'production';
  if (environment !== 'production' && environment !== 'test') throw new RangeError(`Unknown environment ${String(environment)}`);
  const clockSkewMs = options.clockSkewMs ?? 10 * 60 * 1000;
  const maxMessageAgeMs = options.maxMessageAgeMs ?? 366 * DAY_MS;
  const isKnownMessageType = options.isKnownMessageType ?? ((type: string) => defaultRegistry.has(type));
  const requiresPatient = options.requiresPatient ?? ((type: string) => type !== 'APPREC');
  const ruleSettings = options.rules ?? {};
  const limits = resolveXmlLimits(options.limits);

  function xmlIssue(err: unknown): Issue {
    if (isPloError(err)) {
      const code = XML_ISSUE_BY_PLO_CODE[err.code] ?? 'ERR_SCHEMA_XML_NOT_WELL_FORMED';
      return makeIssue(code, err.message, { line: err.line });
    }
    if (err instanceof TypeError) throw err;
    return makeIssue('ERR_SCHEMA_VALIDATOR_FAILURE', 'The document could not be read');
  }

  /** Guard, then parse + validate + tree in one native call; an issue when the document cannot be read. */
  function read(input: string | Uint8Array): { root: XmlElement; result: NativeResult; bytes: Uint8Array } | Issue {
    let guarded: GuardedXml;
    try {
      // libxml refuses characters XML does not allow (same issue code, with its line): not scanned twice.
      guarded = guardXml(input, limits, { checkCharacters: false });
    } catch (err) {
      return xmlIssue(err);
    }
    let result: NativeResult;
    const bytes = libxmlBytes(input, guarded);
    try {
      result = run(bytes, true, limits);
    } catch {
      return makeIssue('ERR_SCHEMA_VALIDATOR_FAILURE', 'The document could not be read');
    }
    if (result.fatal !== undefined) {
      return makeIssue(XML_ISSUE_BY_FATAL[result.fatal.kind], result.fatal.message, { line: result.fatal.line });
    }
    const root = result.wellFormed ? treeOf(result) : undefined;
    if (root === undefined) {
      const first = result.errors.find((e) => e.level !== 'warning') ?? result.errors[0];
      const detail = first === undefined ? '' : `: ${first.message.trim()}`;
      return makeIssue('ERR_SCHEMA_XML_NOT_WELL_FORMED', `XML document is not well-formed${detail}`, {
        line: first !== undefined && first.line > 0 ? first.line : undefined,
      });
    }
    return { root, result, bytes };
  }

  /**
   * Locator for the fallback path of XSD errors without a node: over the full tree, which a
   * scoped result does not have (then the document is read again, whole; rare).
   */
  function fullLocator(root: XmlElement, result: NativeResult, bytes: Uint8Array): ElementLocator {
    if (result.codes === undefined) return new ElementLocator(root);
    let full: XmlElement | undefined;
    try {
      full = treeOf(runFull(bytes, true, limits));
    } catch {
      full = undefined;
    }
    return new ElementLocator(full ?? root);
  }

  function validate(input: string | Uint8Array): ValidationReport {
    const document = read(input);
    if (!('root' in document)) return { valid: false, issues: [document] };
    const { root, result, bytes } = document;
    const locator = new ElementLocator(root);
    let errorLocator: ElementLocator | undefined;
    const lazyErrorLocator = (): ElementLocator => (errorLocator ??= fullLocator(root, result, bytes));
    const issues: Issue[] = [];
    const kind: DocumentKind | undefined = root.ns === MSGHEAD_NAMESPACE ? 'msghead' : APPREC_NAMESPACES.includes(root.ns) ? 'apprec' : undefined;
    const contents = kind === 'msghead' ? contentRoots(root) : [];
    const contentNamespaces = contents.map((c) => c.ns);
    const messageType = kind === undefined ? undefined : messageTypeOf(root, kind);
    const report = (): ValidationReport => {
      const out: { -readonly [K in keyof ValidationReport]: ValidationReport[K] } = {
        valid: !issues.some((i) => i.severity === 'error'),
        issues,
        namespace: root.ns,
      };
      if (messageType !== undefined) out.messageType = messageType;
      if (kind === 'msghead') out.contentNamespaces = contentNamespaces;
      return out;
    };

    if (!engine.has(root.ns)) {
      issues.push(
        makeIssue('ERR_SCHEMA_UNSUPPORTED_NAMESPACE', `Root element ${root.name} in namespace "${root.ns}" is not supported`, {
          line: root.line,
          xpath: `/${root.name}`,
        }),
      );
      return report();
    }
    const unsupported = new Set<string>();
    for (const content of contents) {
      if (engine.has(content.ns)) continue;
      unsupported.add(content.ns);
      issues.push(
        makeIssue('ERR_SCHEMA_UNSUPPORTED_NAMESPACE', `Content ${content.name} in namespace "${content.ns}" is not supported`, {
          line: content.line,
          xpath: locator.pathOf(content),
        }),
      );
    }
    issues.push(...xsdIssues(xsdErrorsOf(result), lazyErrorLocator, unsupported));
    if (kind !== undefined) {
      const codes = codesOf(result);
      const ctx: RuleContext = {
        root,
        ...(codes === undefined ? {} : { codes }),
        kind,
        locator,
        environment,
        now: options.clock?.() ?? new Date(Number.NaN),
        clockSkewMs,
        maxMessageAgeMs,
        isKnownMessageType,
        requiresPatient,
      };
      for (const name of RULE_NAMES) {
        if (name === 'genDate' && options.clock === undefined) continue;
        issues.push(...applySeverity(RULES[name](ctx), ruleSettings[name]));
      }
    }
    return report();
  }

  return { validate, namespaces };
}
