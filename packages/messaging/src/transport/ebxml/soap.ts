/**
 * The SOAP 1.1 envelope of an ebXML message (ebMS 2.0, OASIS 2002; Norwegian profile HIS 1037):
 * eb:MessageHeader, eb:AckRequested, eb:Acknowledgment, eb:ErrorList in the SOAP Header,
 * eb:Manifest in the SOAP Body. Built as text with every value escaped; read with @xmldom/xmldom
 * after refusing DTDs.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { TransportError } from '../errors';
import type { TransportErrorEntry } from '../types';

/** SOAP 1.1 envelope namespace. */
export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** ebMS 2.0 header namespace. */
export const EB_NS = 'http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd';
/** XLink namespace (Manifest references). */
export const XLINK_NS = 'http://www.w3.org/1999/xlink';
/** XML-DSig namespace. */
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
/** The SOAP actor of AckRequested/Acknowledgment addressed to the To party's MSH. */
export const TO_PARTY_MSH = 'urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH';
/** The PartyId type used for HER-ids in the Norwegian profile. */
export const HER_PARTY_TYPE = 'HER';

/** Fields of an eb:MessageHeader. */
export interface MessageHeaderFields {
  readonly from: string;
  readonly to: string;
  readonly cpaId: string;
  readonly conversationId: string;
  readonly service: string;
  readonly action: string;
  readonly messageId: string;
  readonly timestamp: Date;
  readonly refToMessageId?: string | undefined;
}

/** What to put in one SOAP envelope. */
export interface EnvelopeInput {
  readonly header: MessageHeaderFields;
  /** Add eb:AckRequested (signed="true"). */
  readonly ackRequested?: boolean;
  /** Add eb:DuplicateElimination to the MessageHeader. */
  readonly duplicateElimination?: boolean;
  /** An eb:Acknowledgment for this message id (from = header.from). */
  readonly acknowledgment?: { readonly refToMessageId: string; readonly timestamp: Date };
  /** An eb:ErrorList. */
  readonly errors?: readonly { readonly code: string; readonly severity: 'Error' | 'Warning'; readonly description?: string; readonly location?: string }[];
  /** Content-IDs of payload parts for eb:Manifest. */
  readonly manifest?: readonly string[];
}

/** A parsed envelope. */
export interface ParsedEnvelope {
  readonly document: Document;
  readonly header: MessageHeaderFields;
  readonly ackRequested: boolean;
  readonly acknowledgment: { readonly refToMessageId: string; readonly timestamp: Date; readonly from: string | undefined } | undefined;
  readonly errors: readonly TransportErrorEntry[] | undefined;
  /** Content-IDs named by eb:Manifest (cid: resolved). */
  readonly manifest: readonly string[];
  /** The ds:Signature element in the SOAP Header, if any. */
  readonly signature: Element | undefined;
}

/** Limits for identifier-like values in headers. */
const MAX_VALUE_LENGTH = 256;

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function checkValue(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE_LENGTH || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new TypeError(`${name} must be a non-empty string of at most ${MAX_VALUE_LENGTH} printable characters`);
  }
  return escapeXml(value);
}

function party(tag: 'From' | 'To', herId: string): string {
  return `<eb:${tag}><eb:PartyId eb:type="${HER_PARTY_TYPE}">${checkValue(tag, herId)}</eb:PartyId></eb:${tag}>`;
}

/** Writes the SOAP envelope text (no XML declaration; UTF-8). Values are checked and escaped. */
export function buildEnvelope(input: EnvelopeInput): string {
  const h = input.header;
  const parts: string[] = [];
  parts.push(`<SOAP:Envelope xmlns:SOAP="${SOAP_NS}" xmlns:eb="${EB_NS}" xmlns:xlink="${XLINK_NS}">`);
  parts.push('<SOAP:Header>');
  parts.push('<eb:MessageHeader SOAP:mustUnderstand="1" eb:version="2.0">');
  parts.push(party('From', h.from), party('To', h.to));
  parts.push(`<eb:CPAId>${checkValue('cpaId', h.cpaId)}</eb:CPAId>`);
  parts.push(`<eb:ConversationId>${checkValue('conversationId', h.conversationId)}</eb:ConversationId>`);
  parts.push(`<eb:Service eb:type="string">${checkValue('service', h.service)}</eb:Service>`);
  parts.push(`<eb:Action>${checkValue('action', h.action)}</eb:Action>`);
  parts.push('<eb:MessageData>');
  parts.push(`<eb:MessageId>${checkValue('messageId', h.messageId)}</eb:MessageId>`);
  parts.push(`<eb:Timestamp>${h.timestamp.toISOString()}</eb:Timestamp>`);
  if (h.refToMessageId !== undefined) parts.push(`<eb:RefToMessageId>${checkValue('refToMessageId', h.refToMessageId)}</eb:RefToMessageId>`);
  parts.push('</eb:MessageData>');
  if (input.duplicateElimination === true) parts.push('<eb:DuplicateElimination/>');
  parts.push('</eb:MessageHeader>');
  if (input.ackRequested === true) {
    parts.push(`<eb:AckRequested SOAP:mustUnderstand="1" eb:version="2.0" SOAP:actor="${TO_PARTY_MSH}" eb:signed="true"/>`);
  }
  if (input.acknowledgment !== undefined) {
    const a = input.acknowledgment;
    parts.push(`<eb:Acknowledgment SOAP:mustUnderstand="1" eb:version="2.0" SOAP:actor="${TO_PARTY_MSH}">`);
    parts.push(`<eb:Timestamp>${a.timestamp.toISOString()}</eb:Timestamp>`);
    parts.push(`<eb:RefToMessageId>${checkValue('refToMessageId', a.refToMessageId)}</eb:RefToMessageId>`);
    parts.push(party('From', h.from));
    parts.push('</eb:Acknowledgment>');
  }
  if (input.errors !== undefined && input.errors.length > 0) {
    const highest = input.errors.some((e) => e.severity === 'Error') ? 'Error' : 'Warning';
    parts.push(`<eb:ErrorList SOAP:mustUnderstand="1" eb:version="2.0" eb:highestSeverity="${highest}">`);
    for (const e of input.errors) {
      const location = e.location === undefined ? '' : ` eb:location="${checkValue('location', e.location)}"`;
      parts.push(
        `<eb:Error eb:errorCode="${checkValue('errorCode', e.code)}" eb:severity="${e.severity}" eb:codeContext="urn:oasis:names:tc:ebxml-msg:service:errors"${location}>`,
      );
      if (e.description !== undefined) parts.push(`<eb:Description xml:lang="en">${escapeXml(e.description.slice(0, 1000))}</eb:Description>`);
      parts.push('</eb:Error>');
    }
    parts.push('</eb:ErrorList>');
  }
  parts.push('</SOAP:Header>');
  if (input.manifest !== undefined && input.manifest.length > 0) {
    parts.push('<SOAP:Body><eb:Manifest eb:version="2.0">');
    for (const cid of input.manifest) {
      parts.push(`<eb:Reference xlink:type="simple" xlink:href="cid:${escapeXml(encodeURI(cid))}"/>`);
    }
    parts.push('</eb:Manifest></SOAP:Body>');
  } else {
    parts.push('<SOAP:Body/>');
  }
  parts.push('</SOAP:Envelope>');
  return parts.join('');
}

function malformed(message: string, cause?: unknown): TransportError {
  return new TransportError('ERR_TRANSPORT_MALFORMED', message, { cause });
}

/** Parses XML text with xmldom, refusing DTDs and turning every parse problem into ERR_TRANSPORT_MALFORMED. */
export function parseXml(text: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw malformed('XML with a DTD is refused');
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    throw malformed('SOAP envelope is not well-formed XML', err);
  }
  if (doc.documentElement === null) throw malformed('SOAP envelope is empty');
  return doc;
}

function children(el: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const e = n as Element;
      if (e.namespaceURI === ns && e.localName === local) out.push(e);
    }
  }
  return out;
}

function one(el: Element, ns: string, local: string, path: string): Element {
  const found = children(el, ns, local);
  if (found.length !== 1) throw malformed(`${path}: expected exactly one ${local}, found ${found.length}`);
  return found[0] as Element;
}

function optional(el: Element, ns: string, local: string, path: string): Element | undefined {
  const found = children(el, ns, local);
  if (found.length > 1) throw malformed(`${path}: more than one ${local}`);
  return found[0];
}

function text(el: Element, path: string): string {
  const value = (el.textContent ?? '').trim();
  if (value.length === 0 || value.length > MAX_VALUE_LENGTH) throw malformed(`${path} is empty or too long`);
  return value;
}

function ebAttr(el: Element, name: string): string | null {
  return el.getAttributeNS(EB_NS, name) ?? el.getAttribute(name);
}

function herParty(el: Element, path: string): string {
  const ids = children(el, EB_NS, 'PartyId').filter((p) => ebAttr(p, 'type') === HER_PARTY_TYPE);
  if (ids.length !== 1) throw malformed(`${path}: expected exactly one PartyId of type HER`);
  const id = text(ids[0] as Element, `${path}/PartyId`);
  if (!/^\d{1,12}$/.test(id)) throw malformed(`${path}/PartyId is not a HER-id`);
  return id;
}

function timestamp(el: Element, path: string): Date {
  const value = text(el, path);
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) throw malformed(`${path} is not a dateTime`);
  return new Date(ms);
}

/** Reads an ebXML SOAP envelope. Throws ERR_TRANSPORT_MALFORMED (or ERR_TRANSPORT_UNSUPPORTED for another ebMS version). */
export function parseEnvelope(xml: string): ParsedEnvelope {
  return readEnvelope(parseXml(xml));
}

/** {@link parseEnvelope} over a document already parsed with {@link parseXml} (not changed). */
export function readEnvelope(document: Document): ParsedEnvelope {
  const env = document.documentElement as Element;
  if (env.namespaceURI !== SOAP_NS || env.localName !== 'Envelope') throw malformed('root is not a SOAP 1.1 Envelope');
  const header = one(env, SOAP_NS, 'Header', 'Envelope');
  const body = optional(env, SOAP_NS, 'Body', 'Envelope');
  const mh = one(header, EB_NS, 'MessageHeader', 'Header');
  if (ebAttr(mh, 'version') !== '2.0') throw new TransportError('ERR_TRANSPORT_UNSUPPORTED', 'only ebMS version 2.0 is supported');
  const md = one(mh, EB_NS, 'MessageData', 'MessageHeader');
  const ref = optional(md, EB_NS, 'RefToMessageId', 'MessageData');
  const parsedHeader: MessageHeaderFields = {
    from: herParty(one(mh, EB_NS, 'From', 'MessageHeader'), 'MessageHeader/From'),
    to: herParty(one(mh, EB_NS, 'To', 'MessageHeader'), 'MessageHeader/To'),
    cpaId: text(one(mh, EB_NS, 'CPAId', 'MessageHeader'), 'MessageHeader/CPAId'),
    conversationId: text(one(mh, EB_NS, 'ConversationId', 'MessageHeader'), 'MessageHeader/ConversationId'),
    service: text(one(mh, EB_NS, 'Service', 'MessageHeader'), 'MessageHeader/Service'),
    action: text(one(mh, EB_NS, 'Action', 'MessageHeader'), 'MessageHeader/Action'),
    messageId: text(one(md, EB_NS, 'MessageId', 'MessageData'), 'MessageData/MessageId'),
    timestamp: timestamp(one(md, EB_NS, 'Timestamp', 'MessageData'), 'MessageData/Timestamp'),
    refToMessageId: ref === undefined ? undefined : text(ref, 'MessageData/RefToMessageId'),
  };
  const ackEl = optional(header, EB_NS, 'Acknowledgment', 'Header');
  let acknowledgment: ParsedEnvelope['acknowledgment'];
  if (ackEl !== undefined) {
    const fromEl = optional(ackEl, EB_NS, 'From', 'Acknowledgment');
    acknowledgment = {
      refToMessageId: text(one(ackEl, EB_NS, 'RefToMessageId', 'Acknowledgment'), 'Acknowledgment/RefToMessageId'),
      timestamp: timestamp(one(ackEl, EB_NS, 'Timestamp', 'Acknowledgment'), 'Acknowledgment/Timestamp'),
      from: fromEl === undefined ? undefined : herParty(fromEl, 'Acknowledgment/From'),
    };
  }
  const errorList = optional(header, EB_NS, 'ErrorList', 'Header');
  let errors: TransportErrorEntry[] | undefined;
  if (errorList !== undefined) {
    errors = children(errorList, EB_NS, 'Error')
      .slice(0, 100)
      .map((e) => {
        const desc = optional(e, EB_NS, 'Description', 'Error');
        const severity = ebAttr(e, 'severity');
        return {
          code: ebAttr(e, 'errorCode') ?? 'Unknown',
          severity: severity === 'Warning' ? 'Warning' : 'Error',
          description: desc === undefined ? undefined : (desc.textContent ?? '').trim().slice(0, 1000),
          location: ebAttr(e, 'location') ?? undefined,
        } satisfies TransportErrorEntry;
      });
    if (errors.length === 0) throw malformed('ErrorList without Error');
  }
  const manifest: string[] = [];
  if (body !== undefined) {
    const man = optional(body, EB_NS, 'Manifest', 'Body');
    if (man !== undefined) {
      for (const r of children(man, EB_NS, 'Reference')) {
        const href = r.getAttributeNS(XLINK_NS, 'href');
        if (href === null || !/^cid:/i.test(href)) throw malformed('Manifest/Reference must point to a cid: part');
        let cid: string;
        try {
          cid = decodeURIComponent(href.slice(4));
        } catch (err) {
          throw malformed('Manifest/Reference href is not a valid cid: URL', err);
        }
        manifest.push(cid);
      }
    }
  }
  const signatures = children(header, DS_NS, 'Signature');
  if (signatures.length > 1) throw malformed('more than one ds:Signature in the SOAP Header');
  return {
    document,
    header: parsedHeader,
    ackRequested: optional(header, EB_NS, 'AckRequested', 'Header') !== undefined,
    acknowledgment,
    errors,
    manifest,
    signature: signatures[0],
  };
}
