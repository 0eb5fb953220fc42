/**
 * What the pipelines share: resolved configuration, ports, books and the event/audit hooks.
 * @internal
 */
import type { ReceiptPolicy } from '@samhandling/apprec';
import type { CmsTrust, KeyPair } from '@samhandling/cms';
import type { Validator } from '@samhandling/schema';
import type { AddressRegister } from '../address-register/types';
import type { JsonValue, MessagingStore } from '../store/types';
import type { Transport } from '../transport/types';
import type { EngineEvent } from './api';
import type {
  AnswerClassifier,
  DowntimePolicy,
  EngineCredentials,
  EngineLogger,
  EngineRole,
  EpjPort,
  MessagingNodeConfig,
  Notifier,
  RetryPolicy,
  WorkerSettings,
} from './config';
import type { DowntimeMonitor } from './downtime';
import type { OverdueReceipts, TaskBook } from './records';
import type { ProcedureInput, Stays } from './stays';

/** Counters since start (MetricsView). */
export interface EngineCounters {
  sendFailuresTotal: number;
  messagesSentTotal: number;
  messagesReceivedTotal: number;
  receiptLatenciesMs: number[];
}

/** Engine data in an outgoing message's `transportMeta`. */
export interface OutgoingMeta {
  readonly engine: 1;
  readonly conversationId: string;
  readonly refToMessageId?: string;
  /** The plain MsgHead/AppRec XML, CMS-encrypted for our own encryption certificate (base64): our readable copy. */
  readonly archive?: string;
  /** The transport endpoint (partner) the message goes to: the unit of downtime. */
  readonly partnerHerId: string;
  readonly expectsReceipt: boolean;
  readonly stayKey?: string;
  readonly procedure?: ProcedureInput;
  /** Quarantine entry this message forwards, when it is a forward. */
  readonly forwardOf?: string;
  /** HER-ids of the copy receivers (MsgHead OtherReceiver): each gets its own copy message (copies.ts). */
  readonly copies?: readonly string[];
}

/** What the transport handler stores with the raw bytes. */
export interface IncomingMeta {
  readonly from: string;
  readonly to: string;
  readonly messageId: string;
  readonly conversationId: string;
  readonly msgType?: string;
  readonly refToMessageId?: string;
  readonly payloadKind: 'cms' | 'business-document';
  readonly timestamp: string;
}

/** The shared context of the pipelines. */
export interface EngineContext {
  readonly config: MessagingNodeConfig;
  readonly role: EngineRole;
  readonly retry: RetryPolicy;
  readonly downtimePolicy: DowntimePolicy;
  readonly workers: WorkerSettings;
  readonly receiptPolicy: ReceiptPolicy;
  readonly store: MessagingStore;
  readonly transport: Transport;
  readonly ar: AddressRegister;
  readonly clock: () => Date;
  readonly epj: EpjPort;
  readonly notifier: Notifier;
  readonly validator: Validator;
  readonly random: () => number;
  readonly newId: () => string;
  readonly classifier: AnswerClassifier;
  readonly logger: EngineLogger;
  readonly credentials: EngineCredentials;
  readonly decryptionKeys: readonly KeyPair[];
  readonly trust: CmsTrust;
  readonly mainHerId: string;
  /** Every HER-id we receive for. */
  readonly ourHerIds: ReadonlySet<string>;
  /** `engine:<instanceId>`. */
  readonly engineActor: string;
  readonly allowSynthetic: boolean;
  readonly tasks: TaskBook;
  readonly overdue: OverdueReceipts;
  readonly stays: Stays;
  readonly downtime: DowntimeMonitor;
  readonly counters: EngineCounters;
  /** Outgoing messages the peer refused at transport level (dead-lettered at their next claim). */
  readonly refused: Map<string, string>;
  patientRef(personId: string): string;
  emit(event: EngineEvent): void;
  audit(actor: string, action: string, subjectType: string, subjectId: string, patientRef?: string, details?: JsonValue): Promise<void>;
  /** Runs the workers soon (work arrived). */
  wake(): void;
}
