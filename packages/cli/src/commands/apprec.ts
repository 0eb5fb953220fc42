import {
  APPREC_NS_V1_0,
  APPREC_NS_V1_1,
  correlateAppRec,
  isApprecError,
  parseAppRecTree,
  receiptFor,
} from '@samhandling/apprec';
import type { AppRec, AppRecVersion, ReceiptError, ReceiptStatusName } from '@samhandling/apprec';
import { MSGHEAD_NS, codeDisplayName, isKnownCode, isPloError, parseMsgHeadTree, readXml } from '@samhandling/plo';
import type { AppRecErrorCode, MsgHead, XmlElement } from '@samhandling/plo';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../command';
import type { CliIO, Command } from '../command';
import { InputError, UsageError, expectPositionals, json, parseCommandArgs, readInput, withUsage } from '../util';

const usage = `usage: samhandling apprec RECEIVED.xml [--status ok|rejected|partial] [--error CODE[:text]]... [--version 1.0|1.1]
       samhandling apprec --check APPREC.xml --original SENT.xml [--json]

The first form prints the AppRec (application receipt) that answers the received MsgHead
message: sender and receiver swapped (deepest HER-ids), OriginalMsgId = its type, GenDate and
MsgId, a new Id and GenDate (now). The status defaults to 'rejected' when errors are given,
else 'ok'. Errors are Volven 8221 codes (E10 ... X99), each with optional free text.

The second form checks that a received AppRec answers a message we sent: it comes from that
message's receiver, is addressed to its sender, and OriginalMsgId names its MsgId, type and
GenDate. It prints the receipt's status and errors. FILE '-' reads standard input.

options:
  --status STATUS     ok (1), rejected (2, needs an error) or partial (3, needs an error)
  --error CODE[:TEXT] an 8221 error code and free text; repeat for several
  --version V         AppRec version 1.0 or 1.1 (default 1.1)
  --check APPREC.xml  check a received AppRec instead of building one
  --original SENT.xml the message the AppRec should answer (with --check)
  --json              with --check: print the result as JSON
  -h, --help          show this help

exit codes: 0 receipt printed / the receipt correlates,
            1 no receipt may be built for this input (an AppRec, no MsgId or sender, not a
              MsgHead) / the receipt does not correlate or is not an AppRec,
            2 usage error, unreadable, not well-formed or refused by the XML hardening
`;

const STATUSES: ReadonlySet<string> = new Set(['ok', 'rejected', 'partial']);
const APPREC_NAMESPACES: ReadonlySet<string> = new Set([APPREC_NS_V1_0, APPREC_NS_V1_1]);

/** The JSON printed by `samhandling apprec --check ... --json`. */
export interface ApprecCheckResult {
  readonly correlates: boolean;
  readonly problems: readonly { readonly field: string; readonly message: string }[];
  readonly appRecId: string;
  readonly version: AppRecVersion;
  readonly status: { readonly code: string; readonly name: string | null };
  readonly errors: readonly { readonly code: string; readonly name: string | null; readonly text: string | null }[];
  readonly originalMsgId: { readonly msgType: string; readonly issueDate: string; readonly id: string };
}

function parseError(spec: string): ReceiptError {
  const colon = spec.indexOf(':');
  const code = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const text = colon < 0 ? undefined : spec.slice(colon + 1).trim();
  if (!isKnownCode(8221, code)) throw new UsageError(`--error ${JSON.stringify(code)} is not an AppRec error code (8221, e.g. E21, T02, X99)`);
  return text === undefined || text === '' ? { code: code as AppRecErrorCode } : { code: code as AppRecErrorCode, text };
}

/** Reads a file as an XML tree; unreadable or refused input is reported and gives exit code 2. */
async function readTree(io: CliIO, file: string): Promise<XmlElement | number> {
  try {
    return readXml(await readInput(io, file)).root;
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`samhandling apprec: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (isPloError(err)) {
      io.stderr(`samhandling apprec: ${file}: ${err.code}: ${err.message}${err.line ? ` (line ${err.line})` : ''}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

/** A PloError from reading the MsgHead, as the receipt code it stands for when that is clearer. */
function headerProblem(err: { code: string; message: string; path?: string }): string {
  if (err.path?.startsWith('/MsgHead/MsgInfo/MsgId')) return 'ERR_APPREC_MISSING_MSGID: the received message has no usable MsgId';
  if (err.path?.startsWith('/MsgHead/MsgInfo/Sender')) return `ERR_APPREC_MISSING_SENDER: the received message has no readable sender (${err.message})`;
  return `${err.code}: ${err.message}`;
}

function readMsgHead(io: CliIO, file: string, root: XmlElement): MsgHead | number {
  if (APPREC_NAMESPACES.has(root.ns) && root.name === 'AppRec') {
    io.stderr(`samhandling apprec: ${file}: ERR_APPREC_FOR_APPREC: an AppRec is never answered with an AppRec\n`);
    return EXIT_FAILURE;
  }
  if (root.ns !== MSGHEAD_NS || root.name !== 'MsgHead') {
    io.stderr(`samhandling apprec: ${file}: not a MsgHead message (root {${root.ns}}${root.name})\n`);
    return EXIT_FAILURE;
  }
  try {
    return parseMsgHeadTree(root);
  } catch (err) {
    if (isPloError(err)) {
      io.stderr(`samhandling apprec: ${file}: no receipt can be built: ${headerProblem(err)}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
}

async function build(io: CliIO, file: string, values: { status?: string; error?: string[]; version?: string }): Promise<number> {
  const errors = (values.error ?? []).map(parseError);
  const status = values.status ?? (errors.length > 0 ? 'rejected' : 'ok');
  if (!STATUSES.has(status)) throw new UsageError(`--status must be ok, rejected or partial, not ${JSON.stringify(status)}`);
  const version = values.version ?? '1.1';
  if (version !== '1.0' && version !== '1.1') throw new UsageError(`--version must be 1.0 or 1.1, not ${JSON.stringify(version)}`);
  const root = await readTree(io, file);
  if (typeof root === 'number') return root;
  const msgHead = readMsgHead(io, file, root);
  if (typeof msgHead === 'number') return msgHead;
  try {
    const { xml } = receiptFor({ msgHead }, { status: status as ReceiptStatusName, errors, version, clock: () => new Date(), pretty: true });
    io.stdout(xml.endsWith('\n') ? xml : `${xml}\n`);
    return EXIT_OK;
  } catch (err) {
    if (isApprecError(err)) {
      const detail = err.issues.length > 0 ? err.issues.map((i) => `\n  ${i.path}: ${i.message}`).join('') : '';
      io.stderr(`samhandling apprec: ${file}: no receipt can be built: ${err.code}: ${err.message}${detail}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
}

function checkResult(appRec: AppRec, correlation: ReturnType<typeof correlateAppRec>): ApprecCheckResult {
  return {
    correlates: correlation.correlates,
    problems: correlation.problems.map((p) => ({ field: p.field, message: p.message })),
    appRecId: appRec.id,
    version: appRec.version,
    status: { code: appRec.status.v, name: appRec.status.dn ?? codeDisplayName(8258, appRec.status.v) ?? null },
    errors: appRec.errors.map((e) => ({ code: e.v, name: e.dn ?? codeDisplayName(8221, e.v) ?? null, text: e.ot?.trim() || null })),
    originalMsgId: { msgType: appRec.originalMsgId.msgType.v, issueDate: appRec.originalMsgId.issueDate, id: appRec.originalMsgId.id },
  };
}

function formatCheck(r: ApprecCheckResult): string {
  const lines = [r.correlates ? 'correlates: yes' : 'correlates: no'];
  for (const p of r.problems) lines.push(`  - ${p.message}`);
  lines.push(`status:     ${r.status.code}${r.status.name ? ` ${r.status.name}` : ''}`);
  for (const e of r.errors) lines.push(`error:      ${e.code}${e.name ? ` ${e.name}` : ''}${e.text ? `: ${e.text}` : ''}`);
  lines.push(`apprec id:  ${r.appRecId} (AppRec ${r.version})`);
  lines.push(`original:   ${r.originalMsgId.msgType} ${r.originalMsgId.id} (${r.originalMsgId.issueDate})`);
  return `${lines.join('\n')}\n`;
}

async function check(io: CliIO, appRecFile: string, originalFile: string, asJson: boolean): Promise<number> {
  const appRecRoot = await readTree(io, appRecFile);
  if (typeof appRecRoot === 'number') return appRecRoot;
  const originalRoot = await readTree(io, originalFile);
  if (typeof originalRoot === 'number') return originalRoot;
  let appRec: AppRec;
  try {
    appRec = parseAppRecTree(appRecRoot);
  } catch (err) {
    if (isApprecError(err)) {
      io.stderr(`samhandling apprec: ${appRecFile}: ${err.code}: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
  if (originalRoot.ns !== MSGHEAD_NS || originalRoot.name !== 'MsgHead') {
    io.stderr(`samhandling apprec: ${originalFile}: not a MsgHead message (root {${originalRoot.ns}}${originalRoot.name})\n`);
    return EXIT_FAILURE;
  }
  let msgHead: MsgHead;
  try {
    msgHead = parseMsgHeadTree(originalRoot);
  } catch (err) {
    if (isPloError(err)) {
      io.stderr(`samhandling apprec: ${originalFile}: ${err.code}: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
  const result = checkResult(appRec, correlateAppRec(appRec, { msgHead }));
  io.stdout(asJson ? json(result) : formatCheck(result));
  return result.correlates ? EXIT_OK : EXIT_FAILURE;
}

/** `samhandling apprec`: build the AppRec for a received message, or check a received AppRec. */
export const apprecCommand: Command = {
  name: 'apprec',
  summary: 'build the AppRec for a received message, or check that an AppRec answers a sent one',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        status: { type: 'string' },
        error: { type: 'string', multiple: true },
        version: { type: 'string' },
        check: { type: 'string' },
        original: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      if (values.check !== undefined) {
        expectPositionals(positionals, []);
        if (values.original === undefined) throw new UsageError('--check needs --original SENT.xml');
        for (const opt of ['status', 'error', 'version'] as const) if (values[opt] !== undefined) throw new UsageError(`--${opt} cannot be used with --check`);
        return check(io, values.check, values.original, values.json === true);
      }
      if (values.original !== undefined) throw new UsageError('--original is used with --check');
      if (values.json !== undefined) throw new UsageError('--json is used with --check');
      const [file = ''] = expectPositionals(positionals, ['RECEIVED.xml']);
      return build(io, file, values);
    });
  },
};
