import path from 'node:path';
import { buildMessage, isPloError } from '@samhandling/plo';
import type { BuildMessageInput } from '@samhandling/plo';
import { createValidator, isSchemaError } from '@samhandling/schema';
import type { Issue } from '@samhandling/schema';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../command';
import type { Command } from '../command';
import { InputError, UsageError, expectPositionals, parseCommandArgs, readInput, withUsage } from '../util';

const usage = `usage: samhandling build TYPE --input FILE.json [--namespace NS] [--pretty]
                        [--allow-synthetic] [--schemas DIR]

Builds a MsgHead message of message type TYPE (see 'samhandling types') from a JSON description
and prints the XML. The JSON object holds the message fields: sender, receiver, patient, content
and optionally msgId, genDate, processingStatus, conversationRef, otherReceivers, attachments
(data as base64 text). The result is validated (XSD and business rules) before it is printed: a
message that fails is never printed. FILE '-' reads standard input.

options:
  --input FILE        the JSON description (required)
  --namespace NS      content namespace (version) to build; default the type's current version
  --pretty            indent the XML
  --allow-synthetic   test environment: accept synthetic fødselsnummer
  --schemas DIR       validate with the .xsd files in DIR in place of the bundled schemas
  -h, --help          show this help

exit codes: 0 built and valid (XML on stdout), 1 input or result invalid (issues on stderr),
            2 usage error, unknown type or version, unreadable or malformed JSON
`;

/** Turns attachment data given as base64 text into bytes; everything else is passed on as is. */
function decodeAttachments(input: Record<string, unknown>): Record<string, unknown> {
  const attachments = input['attachments'];
  if (!Array.isArray(attachments)) return input;
  return {
    ...input,
    attachments: attachments.map((a: unknown) => {
      if (typeof a !== 'object' || a === null) return a;
      const data = (a as { data?: unknown }).data;
      return typeof data === 'string' ? { ...a, data: new Uint8Array(Buffer.from(data, 'base64')) } : a;
    }),
  };
}

function formatIssue(issue: Issue): string {
  const where = [issue.line === undefined ? '' : `line ${issue.line}`, issue.xpath ?? ''].filter(Boolean).join(' ');
  return `  ${issue.severity} ${issue.appRecCode} ${issue.code}${where ? ` at ${where}` : ''}: ${issue.message}\n`;
}

/** `samhandling build TYPE --input FILE.json`: build and validate a message. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'build a message from JSON, validate it and print the XML',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        input: { type: 'string' },
        namespace: { type: 'string' },
        pretty: { type: 'boolean' },
        'allow-synthetic': { type: 'boolean' },
        schemas: { type: 'string' },
      });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      const [type = ''] = expectPositionals(positionals, ['TYPE']);
      if (values.input === undefined) throw new UsageError('missing --input FILE.json');
      const allowSynthetic = values['allow-synthetic'] === true;

      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readInput(io, values.input)));
      } catch (err) {
        if (err instanceof UsageError) throw err;
        const why = err instanceof InputError ? err.message : `${values.input} is not valid JSON (${err instanceof Error ? err.message : String(err)})`;
        io.stderr(`samhandling build: ${why}\n`);
        return EXIT_USAGE;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        io.stderr(`samhandling build: ${values.input} must hold a JSON object\n`);
        return EXIT_USAGE;
      }
      const fields = parsed as Record<string, unknown>;
      if (fields['type'] !== undefined && fields['type'] !== type) {
        throw new UsageError(`TYPE ${type} differs from "type" ${JSON.stringify(fields['type'])} in ${values.input}`);
      }
      const input = {
        ...decodeAttachments(fields),
        type,
        ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
      } as unknown as BuildMessageInput;

      let xml: string;
      try {
        // The command line is an edge of the system: "now" is the wall clock here.
        xml = buildMessage(input, { clock: () => new Date(), allowSyntheticPersonIds: allowSynthetic, pretty: values.pretty === true });
      } catch (err) {
        if (isPloError(err)) {
          if (err.code === 'ERR_PLO_UNKNOWN_MESSAGE_TYPE' || err.code === 'ERR_PLO_UNSUPPORTED_VERSION') {
            io.stderr(`samhandling build: ${err.code}: ${err.message} (see 'samhandling types')\n`);
            return EXIT_USAGE;
          }
          const issues = err.issues ?? [{ path: err.path ?? '', message: err.message }];
          io.stderr(`samhandling build: ${err.code}: ${issues.length} issue${issues.length === 1 ? '' : 's'} in ${values.input}\n`);
          for (const i of issues) io.stderr(`  ${i.path || '(input)'}: ${i.message}\n`);
          return EXIT_FAILURE;
        }
        if (err instanceof TypeError) {
          io.stderr(`samhandling build: invalid input in ${values.input}: ${err.message}\n`);
          return EXIT_FAILURE;
        }
        throw err;
      }

      let validator: ReturnType<typeof createValidator>;
      try {
        validator = createValidator({
          ...(values.schemas === undefined ? {} : { schemaDirectory: path.resolve(io.cwd, values.schemas) }),
          environment: allowSynthetic ? 'test' : 'production',
          clock: () => new Date(),
        });
      } catch (err) {
        if (!isSchemaError(err)) throw err;
        const which = values.schemas === undefined ? 'bundled schemas' : `--schemas ${values.schemas}`;
        io.stderr(`samhandling build: ${which}: ${err.code}: ${err.message}\n`);
        return EXIT_USAGE;
      }
      const report = validator.validate(xml);
      if (!report.valid) {
        io.stderr(`samhandling build: the built ${type} message does not validate; not printed\n`);
        for (const issue of report.issues) io.stderr(formatIssue(issue));
        return EXIT_FAILURE;
      }
      for (const issue of report.issues) io.stderr(formatIssue(issue));
      io.stdout(xml.endsWith('\n') ? xml : `${xml}\n`);
      return EXIT_OK;
    });
  },
};
