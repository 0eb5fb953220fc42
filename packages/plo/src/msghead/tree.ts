/**
 * MsgHead 1.2 ⇄ element tree, without business checks: `buildMsgHeadTree` writes what it is
 * given in schema order; `parseMsgHeadTree` reads a `MsgHead` element into the model.
 */
import { PloError } from '../errors';
import type { XmlElement } from '../xml/tree';
import {
  childElements,
  codeEl,
  el,
  findChild,
  isXsdDateTime,
  invalidValue,
  optionalAttr,
  optionalChildCode,
  optionalChildText,
  requireChild,
  requiredChildText,
  textEl,
} from '../xml/helpers';
import {
  csEl,
  healthcareProfessionalChildren,
  organisationChildren,
  parseHealthcareProfessional,
  parseOrganisation,
  parsePerson,
  personChildren,
  readSimpleCode,
} from '../parties/xml';
import type { SimpleCode } from '../parties/types';
import type { MsgHead, MsgHeadDocument, MsgHeadParty, MsgInfo, OtherReceiver, RefDoc } from './types';
import { MSGHEAD_NS } from './types';

const NS = MSGHEAD_NS;

function partyEl(name: string, p: MsgHeadParty): XmlElement {
  return el(NS, name, {}, [csEl(NS, 'ComMethod', p.comMethod), el(NS, 'Organisation', {}, organisationChildren(NS, p.organisation, 'msghead'))]);
}

function otherReceiverEl(o: OtherReceiver): XmlElement {
  return el(NS, 'OtherReceiver', {}, [
    csEl(NS, 'ComMethod', o.comMethod),
    csEl(NS, 'RoleReceiver', o.roleReceiver),
    o.organisation === undefined ? undefined : el(NS, 'Organisation', {}, organisationChildren(NS, o.organisation, 'msghead')),
    o.patient === undefined ? undefined : el(NS, 'Patient', {}, personChildren(NS, o.patient)),
    o.person === undefined ? undefined : el(NS, 'Person', {}, personChildren(NS, o.person)),
    o.healthcareProfessional === undefined ? undefined : el(NS, 'HealthcareProfessional', {}, healthcareProfessionalChildren(NS, o.healthcareProfessional)),
  ]);
}

function msgInfoEl(m: MsgInfo): XmlElement {
  return el(NS, 'MsgInfo', {}, [
    csEl(NS, 'Type', m.type),
    textEl(NS, 'MIGversion', m.migVersion),
    textEl(NS, 'GenDate', m.genDate),
    textEl(NS, 'MsgId', m.msgId),
    csEl(NS, 'ProcessingStatus', m.processingStatus),
    csEl(NS, 'RequestedPriority', m.requestedPriority),
    csEl(NS, 'Ack', m.ack),
    m.conversationRef === undefined
      ? undefined
      : el(NS, 'ConversationRef', {}, [textEl(NS, 'RefToParent', m.conversationRef.refToParent), textEl(NS, 'RefToConversation', m.conversationRef.refToConversation)]),
    partyEl('Sender', m.sender),
    partyEl('Receiver', m.receiver),
    ...m.otherReceivers.map(otherReceiverEl),
    m.patient === undefined ? undefined : el(NS, 'Patient', {}, personChildren(NS, m.patient)),
  ]);
}

function refDocEl(r: RefDoc): XmlElement {
  return el(NS, 'RefDoc', {}, [
    r.issueDate === undefined ? undefined : el(NS, 'IssueDate', { V: r.issueDate }),
    csEl(NS, 'MsgType', r.msgType),
    textEl(NS, 'Id', r.id),
    textEl(NS, 'MimeType', r.mimeType),
    textEl(NS, 'Description', r.description),
    csEl(NS, 'Compression', r.compression),
    textEl(NS, 'FileReference', r.fileReference),
    r.content === undefined ? undefined : el(NS, 'Content', {}, [...r.content]),
  ]);
}

function documentEl(d: MsgHeadDocument): XmlElement {
  return el(NS, 'Document', {}, [
    csEl(NS, 'DocumentConnection', d.documentConnection),
    codeEl(NS, 'ContentType', d.contentType),
    textEl(NS, 'ContentDescription', d.contentDescription),
    refDocEl(d.refDoc),
  ]);
}

/**
 * MsgHead model → `MsgHead` element (default namespace MsgHead; content elements keep their own
 * namespace declarations). No checks beyond what the serializer enforces: use `buildMessage` for
 * validated output.
 */
export function buildMsgHeadTree(m: MsgHead): XmlElement {
  return el(NS, 'MsgHead', {}, [msgInfoEl(m.msgInfo), ...m.documents.map(documentEl)], { '': NS });
}

// --- parse ---

function optionalCs(parent: XmlElement, name: string, path: string): SimpleCode | undefined {
  const c = findChild(parent, NS, name);
  return c === undefined ? undefined : readSimpleCode(c, `${path}/${name}`);
}

function requiredCs(parent: XmlElement, name: string, path: string): SimpleCode {
  return readSimpleCode(requireChild(parent, NS, name, path), `${path}/${name}`);
}

function parseParty(parent: XmlElement, name: string, path: string): MsgHeadParty {
  const p = `${path}/${name}`;
  const e = requireChild(parent, NS, name, path);
  const comMethod = optionalCs(e, 'ComMethod', p);
  const organisation = parseOrganisation(requireChild(e, NS, 'Organisation', p), NS, `${p}/Organisation`);
  return comMethod === undefined ? { organisation } : { comMethod, organisation };
}

function parseOtherReceiver(e: XmlElement, path: string): OtherReceiver {
  const comMethod = optionalCs(e, 'ComMethod', path);
  const out: { -readonly [K in keyof OtherReceiver]: OtherReceiver[K] } = {
    ...(comMethod === undefined ? {} : { comMethod }),
    roleReceiver: requiredCs(e, 'RoleReceiver', path),
  };
  const org = findChild(e, NS, 'Organisation');
  if (org !== undefined) out.organisation = parseOrganisation(org, NS, `${path}/Organisation`);
  const pat = findChild(e, NS, 'Patient');
  if (pat !== undefined) out.patient = parsePerson(pat, NS, `${path}/Patient`);
  const per = findChild(e, NS, 'Person');
  if (per !== undefined) out.person = parsePerson(per, NS, `${path}/Person`);
  const hcp = findChild(e, NS, 'HealthcareProfessional');
  if (hcp !== undefined) out.healthcareProfessional = parseHealthcareProfessional(hcp, NS, `${path}/HealthcareProfessional`);
  return out;
}

function parseMsgInfo(root: XmlElement): MsgInfo {
  const path = '/MsgHead/MsgInfo';
  const mi = requireChild(root, NS, 'MsgInfo', '/MsgHead');
  const genDate = requiredChildText(mi, NS, 'GenDate', path);
  if (!isXsdDateTime(genDate)) throw invalidValue(`${path}/GenDate`, `'${genDate}' is not an xs:dateTime`, findChild(mi, NS, 'GenDate')?.line);
  const out: { -readonly [K in keyof MsgInfo]: MsgInfo[K] } = {
    type: requiredCs(mi, 'Type', path),
    migVersion: requiredChildText(mi, NS, 'MIGversion', path),
    genDate,
    msgId: requiredChildText(mi, NS, 'MsgId', path),
    sender: parseParty(mi, 'Sender', path),
    receiver: parseParty(mi, 'Receiver', path),
    otherReceivers: childElements(mi, NS, 'OtherReceiver').map((o, i) => parseOtherReceiver(o, `${path}/OtherReceiver[${i + 1}]`)),
  };
  const ps = optionalCs(mi, 'ProcessingStatus', path);
  if (ps !== undefined) out.processingStatus = ps;
  const rp = optionalCs(mi, 'RequestedPriority', path);
  if (rp !== undefined) out.requestedPriority = rp;
  const ack = optionalCs(mi, 'Ack', path);
  if (ack !== undefined) out.ack = ack;
  const cr = findChild(mi, NS, 'ConversationRef');
  if (cr !== undefined) {
    const p = `${path}/ConversationRef`;
    out.conversationRef = { refToParent: requiredChildText(cr, NS, 'RefToParent', p), refToConversation: requiredChildText(cr, NS, 'RefToConversation', p) };
  }
  const pat = findChild(mi, NS, 'Patient');
  if (pat !== undefined) out.patient = parsePerson(pat, NS, `${path}/Patient`);
  // Keep the schema's key order for readability.
  const { type, migVersion, genDate: g, msgId, processingStatus, requestedPriority, ack: a, conversationRef, sender, receiver, otherReceivers, patient } = out;
  return {
    type,
    migVersion,
    genDate: g,
    msgId,
    ...(processingStatus === undefined ? {} : { processingStatus }),
    ...(requestedPriority === undefined ? {} : { requestedPriority }),
    ...(a === undefined ? {} : { ack: a }),
    ...(conversationRef === undefined ? {} : { conversationRef }),
    sender,
    receiver,
    otherReceivers,
    ...(patient === undefined ? {} : { patient }),
  };
}

function parseRefDoc(e: XmlElement, path: string): RefDoc {
  const out: { -readonly [K in keyof RefDoc]: RefDoc[K] } = { msgType: requiredCs(e, 'MsgType', path) };
  const issue = findChild(e, NS, 'IssueDate');
  if (issue !== undefined) {
    const v = optionalAttr(issue, 'V');
    if (v !== undefined) out.issueDate = v;
  }
  const id = optionalChildText(e, NS, 'Id');
  if (id !== undefined) out.id = id;
  const mime = optionalChildText(e, NS, 'MimeType');
  if (mime !== undefined) out.mimeType = mime;
  const desc = optionalChildText(e, NS, 'Description');
  if (desc !== undefined) out.description = desc;
  const comp = optionalCs(e, 'Compression', path);
  if (comp !== undefined) out.compression = comp;
  const file = optionalChildText(e, NS, 'FileReference');
  if (file !== undefined) out.fileReference = file;
  const content = findChild(e, NS, 'Content');
  if (content !== undefined) out.content = childElements(content);
  const { issueDate, msgType, ...rest } = out;
  return { ...(issueDate === undefined ? {} : { issueDate }), msgType, ...rest };
}

function parseDocument(e: XmlElement, path: string): MsgHeadDocument {
  const dc = optionalCs(e, 'DocumentConnection', path);
  const ct = optionalChildCode(e, NS, 'ContentType', path);
  const cd = optionalChildText(e, NS, 'ContentDescription');
  return {
    ...(dc === undefined ? {} : { documentConnection: dc }),
    ...(ct === undefined ? {} : { contentType: ct }),
    ...(cd === undefined ? {} : { contentDescription: cd }),
    refDoc: parseRefDoc(requireChild(e, NS, 'RefDoc', path), `${path}/RefDoc`),
  };
}

/**
 * `MsgHead` element → model. Throws `ERR_PLO_NOT_MSGHEAD` for another root,
 * `ERR_PLO_MISSING_ELEMENT` / `ERR_PLO_INVALID_VALUE` with the path for missing or unreadable parts.
 */
export function parseMsgHeadTree(root: XmlElement): MsgHead {
  if (root.ns !== NS || root.name !== 'MsgHead') {
    const found = root.ns === '' ? root.name : `{${root.ns}}${root.name}`;
    throw new PloError('ERR_PLO_NOT_MSGHEAD', `Root element is ${found}, expected MsgHead in ${NS}`, root.line === undefined ? { path: `/${root.name}` } : { path: `/${root.name}`, line: root.line });
  }
  const msgInfo = parseMsgInfo(root);
  const docs = childElements(root, NS, 'Document');
  if (docs.length === 0) requireChild(root, NS, 'Document', '/MsgHead');
  return { msgInfo, documents: docs.map((d, i) => parseDocument(d, `/MsgHead/Document[${i + 1}]`)) };
}
