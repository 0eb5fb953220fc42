import path from 'node:path';
import { createValidator, isSchemaError } from '@samhandling/schema';
import type { Issue, ValidationReport } from '@samhandling/schema';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../command';
import type { Command } from '../command';
import { InputError, expectPositionals, json, parseCommandArgs, readInput, withUsage } from '../util';

const usage = `usage: samhandling validate FILE [--schemas DIR] [--json] [--allow-synthetic]

Validates a MsgHead message or an AppRec: hardened XML reading (no DTD, size and depth limits),
XSD validation against the bundled schemas, and business rules (message type, MsgId, GenDate,
HER-ids, patient fødselsnummer, codes). Every issue is printed with its severity, AppRec code,
issue code, line and path. FILE '-' reads standard input.

options:
  --schemas DIR       use the .xsd files in DIR (e.g. the official schemas) in place of the
                      bundled schemas of the same namespaces
  --json              print { file, valid, messageType, namespace, issues } as JSON
  --allow-synthetic   test environment: accept synthetic fødselsnummer (Test Norge / Tenor)
  -h, --help          show this help

exit codes: 0 valid (warnings allowed), 1 invalid,
            2 usage error, unreadable, not well-formed or refused by the XML hardening
`;

/** Issue codes that mean the document could not be read as XML at all. */
const UNREADABLE: ReadonlySet<string> = new Set([
  'ERR_SCHEMA_XML_NOT_WELL_FORMED',
  'ERR_SCHEMA_XML_DTD_FORBIDDEN',
  'ERR_SCHEMA_XML_TOO_LARGE',
  'ERR_SCHEMA_XML_TOO_DEEP',
  'ERR_SCHEMA_XML_ENCODING',
  'ERR_SCHEMA_XML_FORBIDDEN_CONSTRUCT',
]);

function formatIssue(issue: Issue): string {
  const where = [issue.line === undefined ? '' : `line ${issue.line}`, issue.xpath ?? ''].filter(Boolean).join(' ');
  return `${issue.severity} ${issue.appRecCode} ${issue.code}${where ? ` at ${where}` : ''}: ${issue.message}\n`;
}

function exitCodeOf(report: ValidationReport): number {
  if (report.issues.some((i) => i.severity === 'error' && UNREADABLE.has(i.code))) return EXIT_USAGE;
  return report.valid ? EXIT_OK : EXIT_FAILURE;
}

/** `samhandling validate FILE`: XSD and business-rule validation with every issue reported. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'validate a MsgHead message or an AppRec (XSD and business rules)',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        schemas: { type: 'string' },
        json: { type: 'boolean' },
        'allow-synthetic': { type: 'boolean' },
      });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      const [file = ''] = expectPositionals(positionals, ['FILE']);

      let bytes: Uint8Array;
      try {
        bytes = await readInput(io, file);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        io.stderr(`samhandling validate: ${err.message}\n`);
        return EXIT_USAGE;
      }

      let validator: ReturnType<typeof createValidator>;
      try {
        validator = createValidator({
          ...(values.schemas === undefined ? {} : { schemaDirectory: path.resolve(io.cwd, values.schemas) }),
          environment: values['allow-synthetic'] ? 'test' : 'production',
          // The command line is an edge of the system: "now" is the wall clock here.
          clock: () => new Date(),
        });
      } catch (err) {
        if (!isSchemaError(err)) throw err;
        const which = values.schemas === undefined ? 'bundled schemas' : `--schemas ${values.schemas}`;
        io.stderr(`samhandling validate: ${which}: ${err.code}: ${err.message}\n`);
        return EXIT_USAGE;
      }

      const report = validator.validate(bytes);
      const code = exitCodeOf(report);
      if (values.json) {
        io.stdout(
          json({
            file,
            valid: report.valid,
            messageType: report.messageType ?? null,
            namespace: report.namespace ?? null,
            issues: report.issues,
          }),
        );
      } else {
        const errors = report.issues.filter((i) => i.severity === 'error').length;
        const warnings = report.issues.length - errors;
        const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
        const type = report.messageType ? ` ${report.messageType}` : '';
        const verdict = code === EXIT_OK ? 'valid' : code === EXIT_USAGE ? 'unreadable' : 'invalid';
        const out = `${file}:${type} ${verdict} (${counts})\n${report.issues.map(formatIssue).join('')}`;
        io.stdout(out);
      }
      return code;
    });
  },
};
