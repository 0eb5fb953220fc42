/**
 * The AddressRegister port: HER-id → communication party (Adresseregisteret). Adapters: the local
 * file/list (`createLocalAddressRegister`); NHN's register later. Documented in docs/address-register.md.
 */
import type { Certificate, CmsProfileName } from '@samhandling/cms';

/** What a communication party is. */
export type PartyKind = 'organisation' | 'service' | 'person';

/** ebXML over SMTP: where the party's MSH receives mail. */
export interface SmtpTransportAddress {
  readonly kind: 'smtp';
  /** SMTP host name or IP address. */
  readonly host: string;
  /** SMTP port. */
  readonly port: number;
  /** The mailbox (RCPT TO) of the party's message handler. */
  readonly mailbox: string;
}

/** NHN's EDI 2.0 message service: the party is addressed by HER-id through NHN (no endpoint of its own). */
export interface Edi2TransportAddress {
  readonly kind: 'edi2';
}

/** How messages reach a party. */
export type TransportAddress = SmtpTransportAddress | Edi2TransportAddress;

/** A message type (kodeverk 8279) the party receives, with the versions it supports. */
export interface SupportedMessageType {
  /** 8279 code, e.g. `LOG_INNLAGT`. */
  readonly type: string;
  /** Versions, e.g. `['1.6', '1.5']`. */
  readonly versions: readonly string[];
}

/** The meldingsansvarlig (person responsible for messaging) or a person-independent contact. */
export interface MessagingContact {
  readonly name: string | undefined;
  readonly email: string;
  readonly phone: string | undefined;
}

/** One communication party as registered (no inheritance applied). */
export interface Party {
  /** HER-id (digits). */
  readonly herId: string;
  /** Name, e.g. `Skien kommune` or `Sykepleietjeneste`. */
  readonly name: string;
  /** What it is. */
  readonly kind: PartyKind;
  /** HER-id of the parent party (services and persons belong to an organisation). */
  readonly parentHerId: string | undefined;
  /** Organisation number (9 digits), if registered. */
  readonly organisationNumber: string | undefined;
  /** Transport address, if the party has its own. */
  readonly transport: TransportAddress | undefined;
  /** Enterprise signing certificate, if the party has its own. */
  readonly signingCertificate: Certificate | undefined;
  /** Enterprise encryption certificate, if the party has its own. */
  readonly encryptionCertificate: Certificate | undefined;
  /** Message types it receives (empty: as its parent). */
  readonly messageTypes: readonly SupportedMessageType[];
  /** AppRec version it expects, if set. */
  readonly appRecVersion: '1.0' | '1.1' | undefined;
  /** CMS profile (@samhandling/cms) to send to it: `default` (RSAES-PKCS1-v1_5), `oaep` (RSA-OAEP-SHA-256) or `modern`; if set. */
  readonly cmsProfile: CmsProfileName | undefined;
  /** Meldingsansvarlig contact, if set. */
  readonly meldingsansvarlig: MessagingContact | undefined;
}

/**
 * A party with everything inherited from its parents filled in: what the engine needs to send to
 * it. Defaults when no ancestor sets them: AppRec 1.0, CMS profile `default`.
 */
export interface ResolvedParty {
  /** The addressed party itself. */
  readonly party: Party;
  /** The nearest party (itself or an ancestor) with a transport address. */
  readonly endpoint: Party;
  readonly transport: TransportAddress;
  readonly signingCertificate: Certificate | undefined;
  readonly encryptionCertificate: Certificate | undefined;
  readonly messageTypes: readonly SupportedMessageType[];
  readonly appRecVersion: '1.0' | '1.1';
  readonly cmsProfile: CmsProfileName;
  readonly meldingsansvarlig: MessagingContact | undefined;
}

/** The AddressRegister port. Lookups are asynchronous so that a remote register fits. */
export interface AddressRegister {
  /** The party with this HER-id as registered, or undefined. */
  lookup(herId: string): Promise<Party | undefined>;
  /** The party with inheritance applied; throws ERR_AR_UNKNOWN_PARTY or ERR_AR_NO_TRANSPORT. */
  resolveReceiver(herId: string): Promise<ResolvedParty>;
  /** The signing certificate of the party or its nearest ancestor that has one; throws ERR_AR_UNKNOWN_PARTY or ERR_AR_NO_CERTIFICATE. */
  signingCertificateFor(herId: string): Promise<Certificate>;
  /** The encryption certificate, found as for {@link signingCertificateFor}. */
  encryptionCertificateFor(herId: string): Promise<Certificate>;
}
