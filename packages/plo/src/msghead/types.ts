/**
 * MsgHead (Hodemelding) v1.2 model: namespace `http://www.kith.no/xmlstds/msghead/2006-05-24`,
 * MIGversion `v1.2 2006-05-24`. Element order and cardinalities follow the MsgHead 1.2 schema.
 * `PatientReport` documents and `ds:Signature` are not modelled (a signature is ignored on parse).
 */
import type { XmlElement } from '../xml/tree';
import type { CodedValue } from '../xml/helpers';
import type { HealthcareProfessional, Organisation, Person, SimpleCode } from '../parties/types';

/** MsgHead namespace. */
export const MSGHEAD_NS = 'http://www.kith.no/xmlstds/msghead/2006-05-24';
/** MsgInfo/MIGversion of MsgHead 1.2. */
export const MSGHEAD_MIG_VERSION = 'v1.2 2006-05-24';
/** KITH base64 container namespace, for attachments in `RefDoc/Content`. */
export const BASE64_CONTAINER_NS = 'http://www.kith.no/xmlstds/base64container';

/** `ConversationRef`: the message answered or changed, and the first message of the conversation. */
export interface ConversationRef {
  /** `RefToParent`: MsgId of the message this one answers or changes. */
  readonly refToParent: string;
  /** `RefToConversation`: MsgId of the first message in the conversation. */
  readonly refToConversation: string;
}

/** `Sender` / `Receiver`. */
export interface MsgHeadParty {
  /** `ComMethod` (CS). */
  readonly comMethod?: SimpleCode;
  /** `Organisation`; the deepest HER-id addresses the party. */
  readonly organisation: Organisation;
}

/**
 * `OtherReceiver`: a copy receiver, e.g. the patient's GP. Exactly one of `organisation`,
 * `patient`, `person`, `healthcareProfessional`.
 */
export interface OtherReceiver {
  readonly comMethod?: SimpleCode;
  /** `RoleReceiver` (CS, kodeverk 9034-like roles, e.g. `{ v: '6', dn: 'Fastlege' }`). */
  readonly roleReceiver: SimpleCode;
  readonly organisation?: Organisation;
  readonly patient?: Person;
  readonly person?: Person;
  readonly healthcareProfessional?: HealthcareProfessional;
}

/** `MsgInfo`. */
export interface MsgInfo {
  /** `Type` (CS, 8279), e.g. `{ v: 'LOG_INNLAGT', dn: 'Melding om innlagt pasient' }`. */
  readonly type: SimpleCode;
  /** `MIGversion`, `v1.2 2006-05-24`. */
  readonly migVersion: string;
  /** `GenDate` (xs:dateTime). */
  readonly genDate: string;
  /** `MsgId`: unique per message (a UUID when we build). */
  readonly msgId: string;
  /** `ProcessingStatus` (CS, 8113): P production, D debugging, T training. */
  readonly processingStatus?: SimpleCode;
  /** `RequestedPriority` (CS). */
  readonly requestedPriority?: SimpleCode;
  /** `Ack` (CS): whether an application receipt is requested (`J`/`N`, unverified code list). */
  readonly ack?: SimpleCode;
  readonly conversationRef?: ConversationRef;
  readonly sender: MsgHeadParty;
  readonly receiver: MsgHeadParty;
  readonly otherReceivers: readonly OtherReceiver[];
  readonly patient?: Person;
}

/** `RefDoc`: the referenced document, inline (`content`) or by `fileReference`. */
export interface RefDoc {
  /** `IssueDate/@V` (TS). */
  readonly issueDate?: string;
  /** `MsgType` (CS, 8114): `XML` business content, `A` attachment, `REF` reference. */
  readonly msgType: SimpleCode;
  /** `Id`. */
  readonly id?: string;
  /** `MimeType`, e.g. `text/xml`, `application/pdf`. */
  readonly mimeType?: string;
  /** `Description`. */
  readonly description?: string;
  /** `Compression` (CS). */
  readonly compression?: SimpleCode;
  /** `FileReference` (anyURI), instead of content. */
  readonly fileReference?: string;
  /** Child elements of `Content`. */
  readonly content?: readonly XmlElement[];
}

/** `Document`. */
export interface MsgHeadDocument {
  /** `DocumentConnection` (CS, 8257): H main document, V attachment. */
  readonly documentConnection?: SimpleCode;
  /** `ContentType` (CV). */
  readonly contentType?: CodedValue;
  /** `ContentDescription`. */
  readonly contentDescription?: string;
  readonly refDoc: RefDoc;
}

/** `MsgHead`: MsgInfo plus one or more Documents. */
export interface MsgHead {
  readonly msgInfo: MsgInfo;
  readonly documents: readonly MsgHeadDocument[];
}

/** An attachment to send: becomes a `Document` with `MsgType V="A"` and base64 content. */
export interface AttachmentInput {
  /** MIME type, e.g. `application/pdf`. */
  readonly mimeType: string;
  readonly data: Uint8Array;
  readonly description?: string;
  /** xs:dateTime or xs:date. */
  readonly issueDate?: string;
}

/** An attachment read from a message (base64 content decoded, or a file reference). */
export interface Attachment {
  readonly mimeType?: string;
  readonly description?: string;
  readonly issueDate?: string;
  /** Decoded bytes of a `Base64Container`. */
  readonly data?: Uint8Array;
  /** `FileReference`, when the attachment is not inline. */
  readonly fileReference?: string;
}
