import { checkPersonId, codeDisplayName, isElement, isPloError, readXml } from '@samhandling/plo';
import type { XmlElement } from '@samhandling/plo';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../command';
import type { Command } from '../command';
import { InputError, expectPositionals, json, parseCommandArgs, readInput, withUsage } from '../util';

const MSGHEAD_NS = 'http://www.kith.no/xmlstds/msghead/2006-05-24';
const APPREC_NAMESPACES: ReadonlySet<string> = new Set([
  'http://www.kith.no/xmlstds/apprec/2004-11-21',
  'http://www.kith.no/xmlstds/apprec/2012-02-15',
]);
const PERSON_ID_TYPES: ReadonlySet<string> = new Set(['FNR', 'DNR', 'HNR', 'FHN']);

const usage = `usage: samhandling inspect FILE [--json] [--allow-synthetic]

Summarises a MsgHead message or an AppRec without validating it: type, MIG version, MsgId,
GenDate, sender and receiver (HER-id and name of the deepest organisation), the patient's
identifier type and whether the number is valid (the number itself is never printed), the
conversation reference and the documents. FILE '-' reads standard input.

options:
  --json              print the summary as JSON
  --allow-synthetic   count synthetic test numbers as valid patient identifiers
  -h, --help          show this help

exit codes: 0 summarised, 1 not a MsgHead or AppRec document,
            2 usage error, unreadable, not well-formed or refused by the XML hardening
`;

/** A party as `inspect` reports it. */
export interface InspectParty {
  readonly herId: string | null;
  readonly name: string | null;
}

/** One `Document` of a MsgHead. */
export interface InspectDocument {
  /** RefDoc/MsgType V: XML, A (attachment) or REF. */
  readonly msgType: string | null;
  readonly mimeType: string | null;
  readonly description: string | null;
  /** Namespace and local name of the XML content root, when the content is XML. */
  readonly contentNamespace: string | null;
  readonly contentElement: string | null;
}

/** The JSON printed by `samhandling inspect --json`. */
export interface InspectSummary {
  readonly type: string | null;
  readonly migVersion: string | null;
  readonly msgId: string | null;
  readonly genDate: string | null;
  readonly sender: InspectParty;
  readonly receiver: InspectParty;
  /** `valid` is null when the id type is not of the fødselsnummer family. */
  readonly patient: { readonly idType: string | null; readonly valid: boolean | null } | null;
  readonly conversationRef: { readonly refToParent: string | null; readonly refToConversation: string | null } | null;
  readonly documents: readonly InspectDocument[];
  /** AppRec only: status, errors and the message it answers. */
  readonly appRec?: {
    readonly status: { readonly code: string | null; readonly name: string | null };
    /** Error V, DN (or the 8221 display name) and OT (free text). */
    readonly errors: readonly { readonly code: string | null; readonly name: string | null; readonly details: string | null }[];
    readonly originalMsgId: { readonly msgType: string | null; readonly issueDate: string | null; readonly id: string | null } | null;
  };
}

function children(el: XmlElement | undefined, name: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((n): n is XmlElement => isElement(n) && n.name === name && n.ns === el.ns);
}

function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(el, name)[0];
}

function text(el: XmlElement | undefined): string | null {
  if (!el) return null;
  const value = el.children
    .map((n) => ('text' in n ? n.text : ''))
    .join('')
    .trim();
  return value === '' ? null : value;
}

function attr(el: XmlElement | undefined, name: string): string | null {
  return el?.attrs[name] ?? null;
}

/** HER-id of a MsgHead Organisation (an `Ident` whose `TypeId V` is HER). */
function herIdOf(org: XmlElement): string | null {
  for (const ident of children(org, 'Ident')) {
    if (attr(child(ident, 'TypeId'), 'V') === 'HER') return text(child(ident, 'Id'));
  }
  return null;
}

/** The deepest nested Organisation that has a HER-id (its name with it); else the deepest name. */
function msgHeadParty(container: XmlElement | undefined): InspectParty {
  let org = child(container, 'Organisation');
  let party: InspectParty = { herId: null, name: null };
  while (org) {
    const herId = herIdOf(org);
    const name = text(child(org, 'OrganisationName'));
    if (herId !== null) party = { herId, name };
    else if (party.herId === null) party = { herId: null, name };
    org = child(org, 'Organisation');
  }
  return party;
}

function patientOf(msgInfo: XmlElement | undefined, allowSynthetic: boolean): InspectSummary['patient'] {
  const patient = child(msgInfo, 'Patient');
  if (!patient) return null;
  const idents = children(patient, 'Ident');
  const ident = idents.find((i) => PERSON_ID_TYPES.has(attr(child(i, 'TypeId'), 'V') ?? '')) ?? idents[0];
  if (!ident) return { idType: null, valid: null };
  const idType = attr(child(ident, 'TypeId'), 'V');
  if (idType === null || !PERSON_ID_TYPES.has(idType)) return { idType, valid: null };
  const result = checkPersonId(text(child(ident, 'Id')) ?? '', { allowSynthetic });
  return { idType, valid: result.valid && result.kind === idType };
}

function summariseMsgHead(root: XmlElement, allowSynthetic: boolean): InspectSummary {
  const msgInfo = child(root, 'MsgInfo');
  const conv = child(msgInfo, 'ConversationRef');
  const documents = children(root, 'Document').map((doc): InspectDocument => {
    const refDoc = child(doc, 'RefDoc');
    const content = child(refDoc, 'Content');
    const first = content?.children.find(isElement);
    return {
      msgType: attr(child(refDoc, 'MsgType'), 'V'),
      mimeType: text(child(refDoc, 'MimeType')),
      description: text(child(doc, 'ContentDescription')),
      contentNamespace: first ? first.ns : null,
      contentElement: first ? first.name : null,
    };
  });
  return {
    type: attr(child(msgInfo, 'Type'), 'V'),
    migVersion: text(child(msgInfo, 'MIGversion')),
    msgId: text(child(msgInfo, 'MsgId')),
    genDate: text(child(msgInfo, 'GenDate')),
    sender: msgHeadParty(child(msgInfo, 'Sender')),
    receiver: msgHeadParty(child(msgInfo, 'Receiver')),
    patient: patientOf(msgInfo, allowSynthetic),
    conversationRef: conv ? { refToParent: text(child(conv, 'RefToParent')), refToConversation: text(child(conv, 'RefToConversation')) } : null,
    documents,
  };
}

/** HER-id of an AppRec Inst or Dept: its own Id when TypeId is HER, else an AdditionalId of type HER. */
function appRecHerId(unit: XmlElement): string | null {
  if (attr(child(unit, 'TypeId'), 'V') === 'HER') return text(child(unit, 'Id'));
  for (const extra of children(unit, 'AdditionalId')) {
    if (attr(child(extra, 'Type'), 'V') === 'HER') return text(child(extra, 'Id'));
  }
  return null;
}

/** The most specific unit of an AppRec party (a Dept with a HER-id, else the Inst). */
function appRecParty(container: XmlElement | undefined): InspectParty {
  const inst = child(child(container, 'HCP'), 'Inst');
  if (!inst) return { herId: null, name: null };
  for (const dept of children(inst, 'Dept')) {
    const herId = appRecHerId(dept);
    if (herId !== null) return { herId, name: text(child(dept, 'Name')) };
  }
  return { herId: appRecHerId(inst), name: text(child(inst, 'Name')) };
}

function summariseAppRec(root: XmlElement): InspectSummary {
  const original = child(root, 'OriginalMsgId');
  const status = child(root, 'Status');
  const statusCode = attr(status, 'V');
  return {
    type: attr(child(root, 'MsgType'), 'V'),
    migVersion: text(child(root, 'MIGversion')),
    msgId: text(child(root, 'Id')),
    genDate: text(child(root, 'GenDate')),
    sender: appRecParty(child(root, 'Sender')),
    receiver: appRecParty(child(root, 'Receiver')),
    patient: null,
    conversationRef: null,
    documents: [],
    appRec: {
      status: { code: statusCode, name: attr(status, 'DN') ?? (statusCode ? (codeDisplayName('8258', statusCode) ?? null) : null) },
      errors: children(root, 'Error').map((e) => {
        const code = attr(e, 'V');
        return { code, name: attr(e, 'DN') ?? (code ? (codeDisplayName('8221', code) ?? null) : null), details: attr(e, 'OT') };
      }),
      originalMsgId: original
        ? { msgType: attr(child(original, 'MsgType'), 'V'), issueDate: text(child(original, 'IssueDate')), id: text(child(original, 'Id')) }
        : null,
    },
  };
}

/** Summarises a MsgHead or AppRec element tree; `undefined` for any other root. */
export function summarise(root: XmlElement, opts: { allowSynthetic?: boolean } = {}): InspectSummary | undefined {
  if (root.ns === MSGHEAD_NS && root.name === 'MsgHead') return summariseMsgHead(root, opts.allowSynthetic === true);
  if (APPREC_NAMESPACES.has(root.ns) && root.name === 'AppRec') return summariseAppRec(root);
  return undefined;
}

function party(p: InspectParty): string {
  if (p.herId === null && p.name === null) return '-';
  return [p.herId === null ? 'no HER-id' : `HER ${p.herId}`, p.name === null ? '' : `(${p.name})`].filter(Boolean).join(' ');
}

function formatText(s: InspectSummary): string {
  const rows: [string, string][] = [
    ['type', s.type ?? '-'],
    ['MIG version', s.migVersion ?? '-'],
    ['msgId', s.msgId ?? '-'],
    ['genDate', s.genDate ?? '-'],
    ['sender', party(s.sender)],
    ['receiver', party(s.receiver)],
  ];
  if (s.appRec) {
    rows.push(['status', `${s.appRec.status.code ?? '-'}${s.appRec.status.name ? ` ${s.appRec.status.name}` : ''}`]);
    for (const e of s.appRec.errors) rows.push(['error', `${e.code ?? '-'}${e.name ? ` ${e.name}` : ''}${e.details ? `: ${e.details}` : ''}`]);
    const o = s.appRec.originalMsgId;
    if (o) rows.push(['original', `${o.msgType ?? '-'} ${o.id ?? '-'} (${o.issueDate ?? '-'})`]);
  } else {
    const p = s.patient;
    rows.push(['patient', p === null ? '-' : `${p.idType ?? 'no identifier'}${p.valid === null ? '' : p.valid ? ' (valid)' : ' (INVALID)'}`]);
    const c = s.conversationRef;
    rows.push(['conversationRef', c === null ? '-' : `parent ${c.refToParent ?? '-'}, conversation ${c.refToConversation ?? '-'}`]);
    s.documents.forEach((d, i) => {
      const content = d.contentElement ? ` {${d.contentNamespace ?? ''}}${d.contentElement}` : '';
      rows.push([i === 0 ? 'documents' : '', `${i + 1}. ${d.msgType ?? '-'}${d.mimeType ? ` ${d.mimeType}` : ''}${content}${d.description ? ` "${d.description}"` : ''}`]);
    });
    if (s.documents.length === 0) rows.push(['documents', '-']);
  }
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${(k ? `${k}:` : '').padEnd(width)} ${v}\n`).join('');
}

/** `samhandling inspect FILE`: summarise a MsgHead or AppRec document. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'summarise a MsgHead message or an AppRec',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        json: { type: 'boolean' },
        'allow-synthetic': { type: 'boolean' },
      });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      const [file = ''] = expectPositionals(positionals, ['FILE']);
      let root: XmlElement;
      try {
        root = readXml(await readInput(io, file)).root;
      } catch (err) {
        if (err instanceof InputError) {
          io.stderr(`samhandling inspect: ${err.message}\n`);
          return EXIT_USAGE;
        }
        if (isPloError(err)) {
          io.stderr(`samhandling inspect: ${file}: ${err.code}: ${err.message}${err.line ? ` (line ${err.line})` : ''}\n`);
          return EXIT_USAGE;
        }
        throw err;
      }
      const summary = summarise(root, { allowSynthetic: values['allow-synthetic'] === true });
      if (!summary) {
        io.stderr(`samhandling inspect: ${file}: not a MsgHead or AppRec document (root {${root.ns}}${root.name})\n`);
        return EXIT_FAILURE;
      }
      io.stdout(values.json ? json(summary) : formatText(summary));
      return EXIT_OK;
    });
  },
};
