import type { AppRecErrorCode } from '@samhandling/plo';

/** Severity of an issue: errors make a document invalid, warnings do not. */
export type IssueSeverity = 'error' | 'warning';

interface IssueCodeInfo {
  /** Code from Volven 8221 (AppRec error) that a receiver reports for this issue. */
  readonly appRecCode: AppRecErrorCode;
  /** Default severity (rules may be configured to another severity). */
  readonly severity: IssueSeverity;
  /** Short description. */
  readonly description: string;
}

/**
 * Every issue code a validation report can contain, with its AppRec 8221 code and default
 * severity. Codes are added, never reused.
 */
export const SCHEMA_ISSUE_CODES = {
  ERR_SCHEMA_XML_NOT_WELL_FORMED: { appRecCode: 'T01', severity: 'error', description: 'Not XML or not well-formed (empty, binary, truncated)' },
  ERR_SCHEMA_XML_DTD_FORBIDDEN: { appRecCode: 'T01', severity: 'error', description: 'DOCTYPE or entity declarations are refused' },
  ERR_SCHEMA_XML_TOO_LARGE: { appRecCode: 'T01', severity: 'error', description: 'Document exceeds the size or element-count limit' },
  ERR_SCHEMA_XML_TOO_DEEP: { appRecCode: 'T01', severity: 'error', description: 'Document exceeds the nesting depth limit' },
  ERR_SCHEMA_XML_ENCODING: { appRecCode: 'T01', severity: 'error', description: 'Invalid bytes or unsupported encoding (UTF-8 and ISO-8859-1 accepted)' },
  ERR_SCHEMA_XML_FORBIDDEN_CONSTRUCT: { appRecCode: 'T01', severity: 'error', description: 'Forbidden construct (XInclude)' },
  ERR_SCHEMA_XSD_INVALID: { appRecCode: 'T02', severity: 'error', description: 'Document does not validate against the XML schema' },
  ERR_SCHEMA_UNSUPPORTED_NAMESPACE: { appRecCode: 'T10', severity: 'error', description: 'Root or content namespace is not supported' },
  ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE: { appRecCode: 'T10', severity: 'error', description: 'Message type (MsgInfo/Type) is not supported' },
  ERR_SCHEMA_PATIENT_ID_MISSING: { appRecCode: 'E30', severity: 'error', description: 'Patient fødselsnummer (or D-/H-number) missing' },
  ERR_SCHEMA_PATIENT_ID_INVALID: { appRecCode: 'E31', severity: 'error', description: 'Patient fødselsnummer is wrong (format, date or check digit)' },
  ERR_SCHEMA_PATIENT_ID_SYNTHETIC: { appRecCode: 'E31', severity: 'error', description: 'Synthetic test fødselsnummer outside a test environment' },
  ERR_SCHEMA_PATIENT_ID_TYPE_MISMATCH: { appRecCode: 'E31', severity: 'warning', description: 'TypeId does not match the kind of the patient identifier' },
  ERR_SCHEMA_RECEIVER_MISSING: { appRecCode: 'E21', severity: 'error', description: 'Receiver has no valid HER-id' },
  ERR_SCHEMA_SENDER_MISSING: { appRecCode: 'T99', severity: 'error', description: 'Sender has no valid HER-id' },
  ERR_SCHEMA_HER_ID_NOT_DEEPEST: { appRecCode: 'T99', severity: 'warning', description: 'The deepest organisation level has no HER-id' },
  ERR_SCHEMA_UNKNOWN_CODE: { appRecCode: 'T99', severity: 'error', description: 'Code not in its (bundled) code list' },
  ERR_SCHEMA_MSGID_INVALID: { appRecCode: 'E10', severity: 'error', description: 'Message id empty or trivial' },
  ERR_SCHEMA_MSGID_NOT_GUID: { appRecCode: 'E10', severity: 'warning', description: 'Message id is not a GUID' },
  ERR_SCHEMA_GENDATE_FUTURE: { appRecCode: 'T99', severity: 'error', description: 'GenDate lies in the future beyond the allowed clock skew' },
  ERR_SCHEMA_GENDATE_TOO_OLD: { appRecCode: 'T99', severity: 'warning', description: 'GenDate is implausibly old' },
  ERR_SCHEMA_VALIDATOR_FAILURE: { appRecCode: 'X99', severity: 'error', description: 'Validation could not be completed' },
} as const satisfies Record<string, IssueCodeInfo>;

/** Code of an {@link Issue}. */
export type SchemaIssueCode = keyof typeof SCHEMA_ISSUE_CODES;

/** One problem found in a document. */
export interface Issue {
  readonly severity: IssueSeverity;
  readonly code: SchemaIssueCode;
  /** Human-readable explanation (English); never contains secrets, may quote element names. */
  readonly message: string;
  /** 1-based line in the document, when known. */
  readonly line?: number;
  /** Location as a namespace-free path (`/MsgHead/MsgInfo/Patient/Ident[2]/Id`), when known. */
  readonly xpath?: string;
  /** Volven 8221 code to put in a negative AppRec for this issue. */
  readonly appRecCode: AppRecErrorCode;
}

/** Issue code → AppRec 8221 error code (data for the apprec package's mapping table). */
export const APPREC_CODE_BY_ISSUE: Readonly<Record<SchemaIssueCode, AppRecErrorCode>> = Object.freeze(
  Object.fromEntries(Object.entries(SCHEMA_ISSUE_CODES).map(([code, info]) => [code, info.appRecCode])) as Record<
    SchemaIssueCode,
    AppRecErrorCode
  >,
);

/** Builds an issue with the code's AppRec code and default severity. */
export function makeIssue(
  code: SchemaIssueCode,
  message: string,
  location: { line?: number | undefined; xpath?: string | undefined } = {},
  severity: IssueSeverity = SCHEMA_ISSUE_CODES[code].severity,
): Issue {
  const issue: { -readonly [K in keyof Issue]: Issue[K] } = { severity, code, message, appRecCode: SCHEMA_ISSUE_CODES[code].appRecCode };
  if (location.line !== undefined) issue.line = location.line;
  if (location.xpath !== undefined) issue.xpath = location.xpath;
  return issue;
}
