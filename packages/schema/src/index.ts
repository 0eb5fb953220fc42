/**
 * @samhandling/schema: hardened XML parsing, XSD validation with bundled schemas and a namespace
 * catalog, and business rules for KITH/PLO messages. Every issue carries a location and the AppRec
 * (Volven 8221) code to report it with.
 */

export const PACKAGE_NAME = '@samhandling/schema';

export { APPREC_NAMESPACES, MSGHEAD_NAMESPACE, createValidator } from './validator';
export type { ValidationReport, Validator, ValidatorOptions } from './validator';
export { APPREC_CODE_BY_ISSUE, SCHEMA_ISSUE_CODES } from './issues';
export type { Issue, IssueSeverity, SchemaIssueCode } from './issues';
export { SCHEMA_ERROR_CODES, SchemaError, isSchemaError } from './errors';
export type { SchemaErrorCode } from './errors';
export { buildCatalog, bundledSchemaDirectory, loadSchemaDirectory } from './catalog';
export type { SchemaCatalog, SchemaEntry } from './catalog';
export { RULE_NAMES } from './rules/context';
export type { RuleName } from './rules/context';
