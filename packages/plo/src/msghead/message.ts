/**
 * Whole messages: `buildMessage` (typed input → checked MsgHead XML) and `parseMessage`
 * (bytes or text → MsgHead model, typed content and attachments).
 */
import { randomUUID } from 'node:crypto';
import { PloError } from '../errors';
import type { XmlLimits } from '../xml/guard';
import { readXml } from '../xml/reader';
import { serializeXml } from '../xml/serialize';
import type { XmlElement } from '../xml/tree';
import { el, formatDateTime, isXsdDate, isXsdDateTime, textContent } from '../xml/helpers';
import type { MessageTypeDefinition } from '../registry/types';
import type { MessageTypeRegistry } from '../registry/registry';
import { defaultRegistry } from '../registry/default';
import type { PersonCheckOptions } from '../parties/check';
import { checkCode, checkHealthcareProfessional, checkOrganisation, checkPatient } from '../parties/check';
import type { HealthcareProfessional, Organisation, Person, SimpleCode } from '../parties/types';
import { FORSENDELSESSTATUS_REFERRING } from '../content/common/types';
import type { Forsendelsesstatus } from '../content/common/types';
import { Issues, checkToken, hasText } from '../content/common/issues';
import type { Attachment, AttachmentInput, ConversationRef, MsgHead, MsgHeadDocument, OtherReceiver } from './types';
import { BASE64_CONTAINER_NS, MSGHEAD_MIG_VERSION } from './types';
import { buildMsgHeadTree, parseMsgHeadTree } from './tree';

/** MsgInfo/ProcessingStatus (8113). */
export type ProcessingStatusCode = 'P' | 'D' | 'T';

const PROCESSING_STATUS_NAMES: Readonly<Record<ProcessingStatusCode, string>> = { P: 'Produksjon', D: 'Debugging', T: 'Opplæring' };

/** A copy receiver for {@link BuildMessageInput}. */
export interface OtherReceiverInput {
  readonly roleReceiver: SimpleCode;
  readonly organisation?: Organisation;
  readonly person?: Person;
  readonly healthcareProfessional?: HealthcareProfessional;
}

/** Input of {@link buildMessage}. `TContent` is the content model of the message type. */
export interface BuildMessageInput<TContent = unknown> {
  /** MsgInfo/Type V (8279), e.g. `LOG_UTSKRIVNINGSKLAR`. Must be registered. */
  readonly type: string;
  /** MsgId; default a new UUID from the id generator. */
  readonly msgId?: string;
  /** GenDate (xs:dateTime); default the clock's time in UTC. */
  readonly genDate?: string;
  /** ProcessingStatus (8113); default `P`. */
  readonly processingStatus?: ProcessingStatusCode;
  /** Ack (CS), e.g. `{ v: 'J' }`; left out when not given. */
  readonly ack?: SimpleCode;
  /** Required when the content changes or cancels an earlier message (Forsendelsesstatus M, A, C, O). */
  readonly conversationRef?: ConversationRef;
  readonly sender: Organisation;
  readonly receiver: Organisation;
  readonly otherReceivers?: readonly OtherReceiverInput[];
  /** The patient: name and identifiers (the fødselsnummer finds the record at the receiver). */
  readonly patient: Person;
  /** Content model, built by the registered definition's `buildContent`. */
  readonly content: TContent;
  /** Content namespace (version); default the definition's first namespace. */
  readonly namespace?: string;
  /** Attachments: further Documents with MsgType `A` and base64 content. */
  readonly attachments?: readonly AttachmentInput[];
}

/** Options of {@link buildMessage}. */
export interface BuildMessageOptions {
  /** Message types; default {@link defaultRegistry}. */
  readonly registry?: MessageTypeRegistry;
  /** Clock for the default GenDate. */
  readonly clock?: () => Date;
  /** MsgId generator; default `crypto.randomUUID`. */
  readonly idGenerator?: () => string;
  /** Accept synthetic test fødselsnumre (only in environments marked as test). */
  readonly allowSyntheticPersonIds?: boolean;
  /** Indent the output. Default false. */
  readonly pretty?: boolean;
}

const systemClock = (): Date => new Date();

function forsendelsesstatusOf(content: unknown): Forsendelsesstatus | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const info = (content as { informasjonOmForsendelsen?: { forsendelsesstatus?: unknown } }).informasjonOmForsendelsen;
  const s = info?.forsendelsesstatus;
  return typeof s === 'string' ? (s as Forsendelsesstatus) : undefined;
}

function checkOtherReceiver(issues: Issues, path: string, o: OtherReceiverInput, opts: PersonCheckOptions): void {
  checkCode(issues, `${path}.roleReceiver`, o.roleReceiver, true);
  const count = [o.organisation, o.person, o.healthcareProfessional].filter((x) => x !== undefined).length;
  if (count !== 1) issues.add(path, 'needs exactly one of organisation, person, healthcareProfessional');
  if (o.organisation !== undefined) checkOrganisation(issues, `${path}.organisation`, o.organisation, { requireHerId: true, allowHealthcareProfessional: true });
  if (o.person !== undefined) checkPatient(issues, `${path}.person`, o.person, opts);
  if (o.healthcareProfessional !== undefined) checkHealthcareProfessional(issues, `${path}.healthcareProfessional`, o.healthcareProfessional, opts);
}

function checkAttachment(issues: Issues, path: string, a: AttachmentInput): void {
  if (typeof a.mimeType !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(a.mimeType)) issues.add(`${path}.mimeType`, `'${String(a.mimeType)}' is not a MIME type`);
  if (!(a.data instanceof Uint8Array)) issues.add(`${path}.data`, 'must be a Uint8Array');
  if (a.description !== undefined && !hasText(a.description)) issues.add(`${path}.description`, 'must not be empty when given');
  if (a.issueDate !== undefined && !isXsdDateTime(a.issueDate) && !isXsdDate(a.issueDate)) issues.add(`${path}.issueDate`, `'${a.issueDate}' is not a date or date-time`);
}

function resolveDefinition(registry: MessageTypeRegistry, type: string, namespace: string | undefined): MessageTypeDefinition {
  if (!registry.has(type)) throw new PloError('ERR_PLO_UNKNOWN_MESSAGE_TYPE', `Message type '${type}' is not registered`, { path: 'type' });
  const def = registry.get(type, namespace);
  if (def === undefined) {
    throw new PloError('ERR_PLO_UNSUPPORTED_VERSION', `Message type '${type}' has no definition for namespace ${String(namespace)}`, { path: 'namespace' });
  }
  return def;
}

/**
 * Build a MsgHead 1.2 message (UTF-8 XML text) for a registered message type.
 *
 * Throws `ERR_PLO_UNKNOWN_MESSAGE_TYPE` for an unregistered type, `ERR_PLO_UNSUPPORTED_VERSION` for
 * a namespace the type does not have, and `ERR_PLO_INVALID_MODEL` with `issues` listing every
 * problem in the header and the content (content paths start with `content.`): invalid
 * fødselsnummer or HER-id, a party without HER-id, a change or cancel without `conversationRef`, ...
 */
export function buildMessage<TContent>(input: BuildMessageInput<TContent>, opts: BuildMessageOptions = {}): string {
  if (typeof input !== 'object' || input === null) throw new TypeError('buildMessage needs an input object');
  const registry = opts.registry ?? defaultRegistry;
  const def = resolveDefinition(registry, input.type, input.namespace);
  const namespace = input.namespace ?? def.namespaces[0];
  if (namespace === undefined) throw new TypeError(`definition for ${input.type} has no namespace`);
  const personOpts: PersonCheckOptions = { allowSynthetic: opts.allowSyntheticPersonIds === true };

  const issues = new Issues();
  const msgId = input.msgId ?? (opts.idGenerator ?? randomUUID)();
  checkToken(issues, input.msgId === undefined ? 'idGenerator()' : 'msgId', msgId, true);
  const genDate = input.genDate ?? formatDateTime((opts.clock ?? systemClock)());
  if (!isXsdDateTime(genDate)) issues.add('genDate', `'${genDate}' is not an xs:dateTime`);
  const processingStatus = input.processingStatus ?? 'P';
  if (!Object.prototype.hasOwnProperty.call(PROCESSING_STATUS_NAMES, processingStatus)) issues.add('processingStatus', `'${processingStatus}' is not P, D or T (8113)`);
  checkCode(issues, 'ack', input.ack, false);
  if (input.conversationRef !== undefined) {
    checkToken(issues, 'conversationRef.refToParent', input.conversationRef.refToParent, true);
    checkToken(issues, 'conversationRef.refToConversation', input.conversationRef.refToConversation, true);
  }
  checkOrganisation(issues, 'sender', input.sender, { requireHerId: true, allowHealthcareProfessional: true });
  checkOrganisation(issues, 'receiver', input.receiver, { requireHerId: true, allowHealthcareProfessional: true });
  (input.otherReceivers ?? []).forEach((o, i) => checkOtherReceiver(issues, `otherReceivers[${i}]`, o, personOpts));
  checkPatient(issues, 'patient', input.patient, personOpts);
  (input.attachments ?? []).forEach((a, i) => checkAttachment(issues, `attachments[${i}]`, a));
  const status = forsendelsesstatusOf(input.content);
  if (status !== undefined && FORSENDELSESSTATUS_REFERRING.has(status) && input.conversationRef === undefined) {
    issues.add('conversationRef', `Forsendelsesstatus ${status} changes or cancels an earlier message: conversationRef.refToParent must name its MsgId`);
  }

  let contentTree: XmlElement | undefined;
  try {
    contentTree = def.buildContent(input.content, { namespace });
  } catch (e) {
    if (!(e instanceof PloError) || e.code !== 'ERR_PLO_INVALID_MODEL') throw e;
    if (e.issues === undefined || e.issues.length === 0) issues.add(e.path === undefined ? 'content' : `content.${e.path}`, e.message);
    else for (const i of e.issues) issues.add(i.path === '' ? 'content' : `content.${i.path}`, i.message);
  }
  issues.throwIfAny(`${input.type} message`);
  if (contentTree === undefined) throw new TypeError('buildContent returned nothing');

  const documents: MsgHeadDocument[] = [
    { refDoc: { msgType: { v: 'XML', dn: 'XML-instans' }, mimeType: 'text/xml', content: [contentTree] } },
    ...(input.attachments ?? []).map(
      (a): MsgHeadDocument => ({
        refDoc: {
          ...(a.issueDate === undefined ? {} : { issueDate: a.issueDate }),
          msgType: { v: 'A', dn: 'Vedlegg' },
          mimeType: a.mimeType,
          ...(a.description === undefined ? {} : { description: a.description }),
          content: [el(BASE64_CONTAINER_NS, 'Base64Container', {}, [Buffer.from(a.data).toString('base64')], { '': BASE64_CONTAINER_NS })],
        },
      }),
    ),
  ];
  const msgHead: MsgHead = {
    msgInfo: {
      type: { v: def.type, dn: def.displayName },
      migVersion: MSGHEAD_MIG_VERSION,
      genDate,
      msgId,
      processingStatus: { v: processingStatus, dn: PROCESSING_STATUS_NAMES[processingStatus] },
      ...(input.ack === undefined ? {} : { ack: input.ack }),
      ...(input.conversationRef === undefined ? {} : { conversationRef: input.conversationRef }),
      sender: { organisation: input.sender },
      receiver: { organisation: input.receiver },
      otherReceivers: (input.otherReceivers ?? []).map((o): OtherReceiver => ({ ...o })),
      patient: input.patient,
    },
    documents,
  };
  return serializeXml(buildMsgHeadTree(msgHead), { pretty: opts.pretty === true });
}

/** Options of {@link parseMessage}. */
export interface ParseMessageOptions {
  /** Message types; default {@link defaultRegistry}. */
  readonly registry?: MessageTypeRegistry;
  /** Limits for the hardened reader. */
  readonly limits?: Partial<XmlLimits>;
  /** Throw `ERR_PLO_UNKNOWN_MESSAGE_TYPE` for an unregistered type instead of returning no content. */
  readonly strict?: boolean;
}

/** Result of {@link parseMessage}. */
export interface ParsedMessage<TContent = unknown> {
  readonly msgHead: MsgHead;
  /** MsgInfo/Type V, kept also for unknown types (answer those with AppRec T10). */
  readonly type: string;
  /** The registered definition that read the content; undefined for an unknown type. */
  readonly definition?: MessageTypeDefinition;
  /** The content namespace of the business document. */
  readonly contentNamespace?: string;
  /** Typed content; undefined for an unknown type. */
  readonly content?: TContent;
  readonly attachments: readonly Attachment[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function readAttachment(d: MsgHeadDocument, path: string): Attachment {
  const r = d.refDoc;
  const out: { -readonly [K in keyof Attachment]: Attachment[K] } = {};
  if (r.mimeType !== undefined) out.mimeType = r.mimeType;
  if (r.description !== undefined) out.description = r.description;
  if (r.issueDate !== undefined) out.issueDate = r.issueDate;
  if (r.fileReference !== undefined) out.fileReference = r.fileReference;
  const container = r.content?.find((c) => c.ns === BASE64_CONTAINER_NS && c.name === 'Base64Container');
  if (container !== undefined) {
    const text = textContent(container).replace(/\s+/g, '');
    if (!BASE64.test(text) || text.length % 4 !== 0) throw new PloError('ERR_PLO_INVALID_VALUE', `Attachment content is not base64 at ${path}`, { path: `${path}/RefDoc/Content/Base64Container` });
    out.data = new Uint8Array(Buffer.from(text, 'base64'));
  }
  return out;
}

/**
 * Parse a MsgHead message with the hardened reader (`readXml`): size, depth and DTD limits apply.
 *
 * The business document is the first `Document` whose `RefDoc/MsgType` is `XML`; its first content
 * element is read by the registered definition for MsgInfo/Type and that element's namespace.
 * Documents with MsgType `A` become `attachments`. An unregistered type yields `content: undefined`
 * (or `ERR_PLO_UNKNOWN_MESSAGE_TYPE` with `strict`); a registered type in a namespace it does not
 * have throws `ERR_PLO_UNSUPPORTED_VERSION`.
 */
export function parseMessage<TContent = unknown>(input: string | Uint8Array, opts: ParseMessageOptions = {}): ParsedMessage<TContent> {
  const registry = opts.registry ?? defaultRegistry;
  const doc = readXml(input, opts.limits);
  const msgHead = parseMsgHeadTree(doc.root);
  const type = msgHead.msgInfo.type.v;
  const attachments: Attachment[] = [];
  let business: { element: XmlElement; path: string } | undefined;
  msgHead.documents.forEach((d, i) => {
    const path = `/MsgHead/Document[${i + 1}]`;
    if (d.refDoc.msgType.v === 'A') attachments.push(readAttachment(d, path));
    else if (business === undefined && d.refDoc.msgType.v === 'XML') {
      const first = d.refDoc.content?.[0];
      if (first !== undefined) business = { element: first, path: `${path}/RefDoc/Content/${first.name}` };
    }
  });
  const base = { msgHead, type, attachments };
  if (!registry.has(type)) {
    if (opts.strict === true) throw new PloError('ERR_PLO_UNKNOWN_MESSAGE_TYPE', `Message type '${type}' is not registered`, { path: '/MsgHead/MsgInfo/Type/@V' });
    return Object.freeze(business === undefined ? base : { ...base, contentNamespace: business.element.ns });
  }
  if (business === undefined) {
    throw new PloError('ERR_PLO_MISSING_ELEMENT', 'No XML business document in RefDoc/Content', { path: '/MsgHead/Document/RefDoc/Content' });
  }
  const { element, path } = business;
  const def = registry.get(type, element.ns);
  if (def === undefined) {
    throw new PloError('ERR_PLO_UNSUPPORTED_VERSION', `Message type '${type}' is not supported in namespace ${element.ns}`, element.line === undefined ? { path } : { path, line: element.line });
  }
  if (element.name !== def.rootElement) {
    throw new PloError('ERR_PLO_INVALID_VALUE', `Content root is ${element.name}, expected ${def.rootElement} for ${type}`, element.line === undefined ? { path } : { path, line: element.line });
  }
  let content: TContent;
  try {
    content = def.parseContent(element, { namespace: element.ns }) as TContent;
  } catch (e) {
    // Definitions report paths from their content root; make them absolute in the message.
    if (!(e instanceof PloError) || e.path === undefined || !e.path.startsWith('/')) throw e;
    const prefix = path.slice(0, path.length - element.name.length - 1);
    throw new PloError(e.code, e.message, {
      path: `${prefix}${e.path}`,
      ...(e.line === undefined ? {} : { line: e.line }),
      ...(e.issues === undefined ? {} : { issues: e.issues }),
      cause: e,
    });
  }
  return Object.freeze({ ...base, definition: def, contentNamespace: element.ns, content });
}
