/**
 * @samhandling/plo: message models for Norwegian PLO messaging.
 * Explicit named exports only; each block is owned by one area of the package.
 */

// --- errors ---
export { PLO_ERROR_CODES, PloError, isPloError } from './errors';
export type { PloErrorCode, PloErrorDetails } from './errors';

// --- xml tree, reader and serializer ---
export type { XmlElement, XmlNode, XmlText } from './xml/tree';
export { isElement } from './xml/tree';
export { DEFAULT_XML_LIMITS, guardXml, resolveXmlLimits } from './xml/guard';
export type { GuardOptions } from './xml/guard';
export type { GuardedXml, XmlEncoding, XmlLimits } from './xml/guard';
export { readXml } from './xml/reader';
export type { XmlDocument } from './xml/reader';
export { serializeXml } from './xml/serialize';
export type { SerializeOptions } from './xml/serialize';
export type { CodedValue } from './xml/helpers';

// --- identifiers ---
export { assertPersonId, checkPersonId, personIdCheckDigits } from './identifiers/person-id';
export type {
  CheckPersonIdOptions,
  PersonIdInvalidReason,
  PersonIdKind,
  PersonIdResult,
  ValidPersonId,
} from './identifiers/person-id';
export { MAX_HER_ID, assertHerId, isValidHerId } from './identifiers/her-id';
export { assertOrgNumber, isValidOrgNumber, orgNumberCheckDigit } from './identifiers/org-number';

// --- code lists ---
export {
  VOLVEN_OID_PREFIX,
  assertKnownCode,
  codeDisplayName,
  codeLists,
  codeSystemOid,
  getCodeList,
  isKnownCode,
  systemFromOid,
} from './codelists/codelists';
export type {
  AppRecErrorCode,
  AppRecStatus,
  DialogAnswerStatus,
  DialogTopic,
  DocumentReferenceType,
  ErrorFeedbackType,
  Forsendelsesstatus,
  HelseopplysningerType,
  MessageType,
  OrganisationIdType,
  PatientlogistikkEvent,
  PersonIdType,
  ProcessingStatus,
  RoleToPatient,
} from './codelists/codelists';
export type { CodeEntry, CodeList, CodeListEntry } from './codelists/types';

// --- registry ---
export type { BuildContext, MessageTypeDefinition, ParseContext } from './registry/types';
export { MessageTypeRegistry } from './registry/registry';
export type { RegisteredMessageType } from './registry/registry';
export { defaultRegistry } from './registry/default';

// --- msghead ---
export {
  ORGANISATION_ID_TYPES_OID,
  PERSON_ID_TYPES_OID,
  deepestHerId,
  herIdent,
  orgNumberIdent,
  personIdent,
} from './parties/types';
export type { Address, HealthcareProfessional, Ident, Organisation, Person, SimpleCode, TeleCom } from './parties/types';
export { FELLESKOMPONENT1_NS } from './parties/xml';
export { BASE64_CONTAINER_NS, MSGHEAD_MIG_VERSION, MSGHEAD_NS } from './msghead/types';
export type {
  Attachment,
  AttachmentInput,
  ConversationRef,
  MsgHead,
  MsgHeadDocument,
  MsgHeadParty,
  MsgInfo,
  OtherReceiver,
  RefDoc,
} from './msghead/types';
export { buildMsgHeadTree, parseMsgHeadTree } from './msghead/tree';
export { buildMessage, parseMessage } from './msghead/message';
export type {
  BuildMessageInput,
  BuildMessageOptions,
  OtherReceiverInput,
  ParseMessageOptions,
  ParsedMessage,
  ProcessingStatusCode,
} from './msghead/message';
export { healthcareProfessionalChildren, organisationChildren, parseHealthcareProfessional, parseOrganisation, parsePerson, personChildren } from './parties/xml';
export type { PartyFlavour } from './parties/xml';

// --- content: pasientlogistikk and forsendelsesstatus ---
export {
  FORSENDELSESSTATUS_NAMES,
  FORSENDELSESSTATUS_REFERRING,
  PO_KOMPONENT_NS_V15,
  PO_KOMPONENT_NS_V16,
} from './content/common/types';
export type {
  InformasjonOmForsendelsen,
  KontaktpersonHelsepersonell,
  TidsfestetHendelse,
  TilknyttetEnhet,
  UtskrevetTil,
} from './content/common/types';
export { PASIENTLOGISTIKK_EVENTS, PASIENTLOGISTIKK_NS_V15, PASIENTLOGISTIKK_NS_V16 } from './content/pasientlogistikk/model';
export type { Pasientlogistikk, PasientlogistikkHendelse, PasientlogistikkType } from './content/pasientlogistikk/model';
export {
  logAvmeldingDefinition,
  logDodDefinition,
  logInnlagtDefinition,
  logUtskrevetDefinition,
  logUtskrivningsklarDefinition,
  pasientlogistikkDefinitions,
} from './content/pasientlogistikk/definitions';

// --- content: helseopplysninger, rapporter, dialog ---
export {
  HELSEOPPLYSNINGER_NS_V15,
  HELSEOPPLYSNINGER_NS_V16,
  buildHelseopplysningerContent,
  helseopplysningerDefinition,
  parseHelseopplysningerContent,
} from './content/helseopplysninger/helseopplysninger';
export type { Helseopplysninger } from './content/helseopplysninger/helseopplysninger';
export {
  INNLEGGELSESRAPPORT_NS_V15,
  INNLEGGELSESRAPPORT_NS_V16,
  TVERRFAGLIG_EPIKRISE_NS_V15,
  TVERRFAGLIG_EPIKRISE_NS_V16,
  buildInnleggelsesrapportContent,
  buildUtskrivningsrapportContent,
  innleggelsesrapportDefinition,
  parseInnleggelsesrapportContent,
  parseUtskrivningsrapportContent,
  utskrivningsrapportDefinition,
} from './content/rapporter/rapporter';
export type { Innleggelsesrapport, Utskrivningsrapport } from './content/rapporter/rapporter';
export type { EksisterendeTjeneste, MedisinskDiagnose, Opplysning, PloReportBase, Tjenestebehov } from './content/rapporter/components';
export { DIALOG_NS_V1_0, DIALOG_NS_V1_1, UTSKRIVNINGSKLAR_FEEDBACK_TOPIC } from './content/dialog/model';
export type {
  AvvikReason,
  DialogAvvik,
  DialogForesporsel,
  DialogHealthcareProfessional,
  DialogIdent,
  DialogPerson,
  DialogQuestion,
  DialogRole,
  DialogSvar,
  DialogTeleCom,
} from './content/dialog/model';
export { buildDialogAvvikContent, buildDialogForesporselContent, buildDialogSvarContent } from './content/dialog/build';
export { parseDialogAvvikContent, parseDialogForesporselContent, parseDialogSvarContent } from './content/dialog/parse';
export { dialogAvvikDefinition, dialogForesporselDefinition, dialogSvarDefinition } from './content/dialog/definitions';
