/**
 * The Transport port: what the messaging engine needs from any way of moving a protected message
 * between two communication parties. Adapters: ebXML over SMTP (`createEbxmlSmtpTransport`), the
 * in-memory pair for unit tests (`createInMemoryTransportPair`), and later NHN's EDI 2.0 REST
 * service. See docs/protocols/ebxml-smtp.md.
 */
import type { TransportError } from './errors';

/** What the payload bytes of an envelope are. */
export type PayloadKind =
  /** CMS SignedData inside EnvelopedData, DER (the engine protected it; ebXML over SMTP). */
  | 'cms'
  /** The plain business document (MsgHead XML); the transport protects it (EDI 2.0: NHN signs and encrypts). */
  | 'business-document';

/** What an adapter does and needs, so the engine can adapt without knowing the adapter. */
export interface TransportCapabilities {
  /** What `send` expects as payload and `onMessage` delivers. ebXML/SMTP: 'cms'; EDI 2.0: 'business-document'. */
  readonly payload: PayloadKind;
  /** True when the adapter itself resends until a transport acknowledgment arrives. */
  readonly resendsUntilAcknowledged: boolean;
  /** Largest payload in bytes the adapter accepts for sending. */
  readonly maxPayloadBytes: number;
}

/** One outgoing message as the engine hands it to a transport. */
export interface OutgoingEnvelope {
  /** Sender HER-id (one of ours); ebXML From/PartyId type HER. */
  readonly from: string;
  /** Receiver HER-id; the transport address comes from the address register. ebXML To/PartyId type HER. */
  readonly to: string;
  /** Collaboration agreement id (ebXML CPAId). Default: adapter configuration. */
  readonly cpaId?: string;
  /** Conversation id (ebXML ConversationId); usually the MsgHead ConversationRef/RefToConversation or the first MsgId. */
  readonly conversationId: string;
  /** Message type from kodeverk 8279 (MsgHead MsgInfo/Type V), e.g. `LOG_INNLAGT`, `APPREC`. Decides Service/Action. */
  readonly msgType: string;
  /** Transport message id, unique per message and stable across resends (ebXML MessageId). Usually the MsgHead MsgId. */
  readonly messageId: string;
  /** The message this one answers at transport level, if any (ebXML RefToMessageId). */
  readonly refToMessageId?: string;
  /** The protected payload, see {@link TransportCapabilities.payload}. */
  readonly payload: Uint8Array;
  /** Ask the receiving side for a transport acknowledgment. Default true. */
  readonly ackRequested?: boolean;
}

/** Result of a successful hand-over to the transport. */
export interface SendResult {
  /** The adapter's id for this transmission (ebXML: the MessageId; EDI 2.0: the service's message id). */
  readonly transportId: string;
}

/** One incoming message, authenticated at transport level, offered to the engine. */
export interface IncomingMessage {
  /** The adapter's id for this transmission. */
  readonly transportId: string;
  /** Transport message id (ebXML MessageId). */
  readonly messageId: string;
  /** Sender HER-id; the transport envelope signature was verified against this party's signing certificate. */
  readonly from: string;
  /** Receiver HER-id (one of ours). */
  readonly to: string;
  /** ebXML CPAId, when the transport carries one. */
  readonly cpaId: string | undefined;
  /** Conversation id. */
  readonly conversationId: string;
  /** Message type (8279) derived from Service/Action, or undefined when the pair is not in the table. */
  readonly msgType: string | undefined;
  /** ebXML Service as received. */
  readonly service: string;
  /** ebXML Action as received. */
  readonly action: string;
  /** The sender's timestamp of the message. */
  readonly timestamp: Date;
  /** ebXML RefToMessageId, if present. */
  readonly refToMessageId: string | undefined;
  /** The payload, see {@link TransportCapabilities.payload}. */
  readonly payload: Uint8Array;
  /** What the payload is. */
  readonly payloadKind: PayloadKind;
  /** The whole transport message exactly as received (for durable storage before acknowledging). */
  readonly raw: Uint8Array;
}

/**
 * The engine's answer to an incoming message. 'accept': stored durably, acknowledge it.
 * 'reject': refused at transport level (the sender receives an ebXML MessageError; the duplicate
 * copy of the message gets the same answer). Throwing means "not stored, do not acknowledge":
 * the sender will send it again.
 */
export type IncomingDecision = 'accept' | 'reject';

/** Handler of incoming messages; the transport acknowledges only after it resolved. */
export type IncomingHandler = (message: IncomingMessage) => Promise<IncomingDecision>;

/** A transport acknowledgment for one of our messages (ebXML eb:Acknowledgment; EDI 2.0 status Acknowledged). */
export interface TransportAcknowledgment {
  /** The messageId of our message that is acknowledged (ebXML RefToMessageId). */
  readonly messageId: string;
  /** HER-id of the acknowledging party. */
  readonly from: string;
  /** When the receiving side acknowledged. */
  readonly timestamp: Date;
}

/** One entry of a peer's error report (ebXML eb:Error). */
export interface TransportErrorEntry {
  /** ebMS error code, e.g. `SecurityFailure`, `DeliveryFailure`, `Inconsistent`. */
  readonly code: string;
  /** `Error` or `Warning`. */
  readonly severity: 'Error' | 'Warning';
  /** Free text. */
  readonly description: string | undefined;
  /** Where the problem is (e.g. a cid: or an element), if given. */
  readonly location: string | undefined;
}

/** The peer refused one of our messages (ebXML eb:ErrorList / MessageError; EDI 2.0 status Rejected). */
export interface TransportMessageError {
  /** The messageId of our message that was refused. */
  readonly messageId: string;
  /** HER-id of the reporting party. */
  readonly from: string;
  /** When the peer reported it. */
  readonly timestamp: Date;
  /** The reported errors. */
  readonly errors: readonly TransportErrorEntry[];
}

/** No acknowledgment came for one of our messages after every resend (EDI 2.0 status Abandoned). */
export interface TransportDeliveryFailure {
  /** The messageId of our message. */
  readonly messageId: string;
  /** Receiver HER-id. */
  readonly to: string;
  /** Why: ERR_TRANSPORT_NOT_ACKNOWLEDGED, or the last send error. */
  readonly error: TransportError;
}

/**
 * Something went wrong that no caller awaits: an incoming message refused before it reached the
 * handler (bad signature, unknown sender, malformed, too large), or a failure while answering.
 */
export interface TransportIncident {
  readonly error: TransportError;
  /** What the adapter was doing. */
  readonly stage: 'receive' | 'acknowledge' | 'resend';
}

/**
 * The Transport port. One handler per event kind (registering again replaces it). Events may be
 * delivered more than once (e.g. a re-sent acknowledgment); handlers must be idempotent.
 */
export interface Transport {
  /** Adapter name, e.g. `ebxml-smtp`, `in-memory`. */
  readonly name: string;
  /** What the adapter does and needs. */
  readonly capabilities: TransportCapabilities;
  /**
   * Hand one message to the transport. Resolves once the next hop accepted custody (SMTP 250,
   * HTTP 201); the transport acknowledgment arrives later through {@link onAcknowledgment}.
   * Rejects with a TransportError (retryable for a peer that is down or slow). Sending the same
   * messageId again is a resend; the receiving side eliminates the duplicate.
   */
  send(envelope: OutgoingEnvelope): Promise<SendResult>;
  /** The incoming handler. Messages that arrive before a handler is set are not acknowledged. */
  onMessage(handler: IncomingHandler): void;
  /** Called for each transport acknowledgment of one of our messages. */
  onAcknowledgment(handler: (ack: TransportAcknowledgment) => void | Promise<void>): void;
  /** Called when the peer refused one of our messages. */
  onMessageError(handler: (error: TransportMessageError) => void | Promise<void>): void;
  /** Called when a message stayed unacknowledged after every resend. */
  onDeliveryFailure(handler: (failure: TransportDeliveryFailure) => void | Promise<void>): void;
  /** Called for failures no caller awaits (refused incoming messages, failed answers). */
  onError(handler: (incident: TransportIncident) => void): void;
  /** Start receiving (bind servers, begin polling). */
  start(): Promise<void>;
  /** Stop receiving and cancel pending resends; in-flight handlers are awaited. */
  stop(): Promise<void>;
}

/** A record of an incoming message already answered, for duplicate elimination. */
export interface SeenMessage {
  /** Sender HER-id. */
  readonly from: string;
  /** Transport message id. */
  readonly messageId: string;
  /** When it was first answered. */
  readonly answeredAt: Date;
  /** What was answered. */
  readonly decision: IncomingDecision;
  /** The exact answer sent (e.g. the signed ebXML Acknowledgment MIME message), re-sent for a duplicate. */
  readonly response: Uint8Array;
}

/**
 * Persistence of answered incoming messages (ebMS duplicate elimination). The engine's store
 * backs it in production; {@link createInMemorySeenMessages} serves tests.
 */
export interface SeenMessageStore {
  /** The record for (from, messageId), or undefined. */
  get(from: string, messageId: string): Promise<SeenMessage | undefined>;
  /** Record an answer. A second put for the same key keeps the first record. */
  put(record: SeenMessage): Promise<void>;
}
