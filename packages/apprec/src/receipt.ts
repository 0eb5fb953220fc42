/**
 * `receiptFor`: the AppRec that answers a received MsgHead message.
 */
import { randomUUID } from 'node:crypto';
import { codeDisplayName, deepestHerId } from '@samhandling/plo';
import type { AppRecErrorCode, MsgHead } from '@samhandling/plo';
import { buildAppRec } from './build';
import { ApprecError } from './errors';
import type { AppRec, AppRecErrorEntry, AppRecInput, AppRecStatusCode, AppRecVersion } from './model';
import { APPREC_VERSIONS, DEFAULT_APPREC_VERSION } from './model';
import { appRecPartyFromOrganisation } from './parties';
import type { InstitutionIdentification } from './parties';
import { formatDateTime } from './xml';

/** Receipt status by name: `ok` (1 OK), `rejected` (2 Avvist), `partial` (3 OK, feil i delmelding). */
export type ReceiptStatusName = 'ok' | 'rejected' | 'partial';

/** Status codes (8258) by name. */
export const RECEIPT_STATUS_CODES: Readonly<Record<ReceiptStatusName, AppRecStatusCode['v']>> = Object.freeze({ ok: '1', rejected: '2', partial: '3' });

/** One error to report in a receipt: an 8221 code and, optionally, free text for this occurrence (`OT`). */
export interface ReceiptError {
  readonly code: AppRecErrorCode;
  readonly text?: string;
}

/** Options of {@link receiptFor}. */
export interface ReceiptOptions {
  /** `ok` / `rejected` / `partial`, or the 8258 code `1` / `2` / `3`. */
  readonly status: ReceiptStatusName | AppRecStatusCode['v'];
  /** Errors (8221). Required for `rejected` and `partial`; not allowed for `ok`. */
  readonly errors?: readonly ReceiptError[];
  /** AppRec version; default `1.1`. Set per counterparty. */
  readonly version?: AppRecVersion;
  /** How `Inst` is identified (HER-id, or organisation number with the HER-id as AdditionalId). Default `herId`. */
  readonly institutionId?: InstitutionIdentification;
  /** Source of GenDate. Default the system clock. */
  readonly clock?: () => Date;
  /** Id generator. Default `crypto.randomUUID`. */
  readonly idGenerator?: () => string;
  readonly softwareName?: string;
  readonly softwareVersion?: string;
  /** Indent the XML. Default false. */
  readonly pretty?: boolean;
}

/** A built receipt: the model (for logging and tracking) and the XML to send. */
export interface Receipt {
  readonly appRec: AppRec;
  readonly xml: string;
}

/** What {@link receiptFor} needs of a received message: its MsgHead (a plo `ParsedMessage` has it). */
export interface ReceivedMessage {
  readonly msgHead: MsgHead;
}

const systemClock = (): Date => new Date();

function statusCode(status: ReceiptOptions['status']): AppRecStatusCode['v'] {
  if (status === '1' || status === '2' || status === '3') return status;
  const code = (RECEIPT_STATUS_CODES as Record<string, AppRecStatusCode['v'] | undefined>)[status as string];
  if (code === undefined) throw new RangeError(`receipt status must be ok, rejected, partial, 1, 2 or 3, not ${String(status)}`);
  return code;
}

function isAppRec(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'originalMsgId' in value && !('msgHead' in value);
}

/**
 * The AppRec answering `received`: sender and receiver swapped from its MsgHead (the deepest
 * HER-ids address them), `OriginalMsgId` = its MsgInfo/Type, GenDate and MsgId, a new Id and
 * GenDate. Errors get their 8221 display name and the given free text (`OT`).
 *
 * @throws ApprecError `ERR_APPREC_FOR_APPREC` when `received` is an AppRec (parsed AppRec, or a
 *   MsgHead of type APPREC); `ERR_APPREC_MISSING_MSGID` without a usable MsgId;
 *   `ERR_APPREC_MISSING_SENDER` / `ERR_APPREC_MISSING_RECEIVER` when a party has no HER-id;
 *   `ERR_APPREC_REJECTED_WITHOUT_ERRORS` for status 2 without errors; `ERR_APPREC_INVALID_MODEL`
 *   for anything else the AppRec rules refuse (status 3 without errors, errors with status 1,
 *   an error code not in 8221).
 */
export function receiptFor(received: ReceivedMessage | AppRec, options: ReceiptOptions): Receipt {
  if (typeof received !== 'object' || received === null) throw new TypeError('receiptFor needs a received message');
  if (typeof options !== 'object' || options === null) throw new TypeError('receiptFor needs options with a status');
  if (isAppRec(received)) throw new ApprecError('ERR_APPREC_FOR_APPREC', 'An AppRec is never answered with an AppRec');
  const info = (received as ReceivedMessage).msgHead?.msgInfo;
  if (info === undefined) throw new TypeError('receiptFor needs a parsed MsgHead (msgHead.msgInfo)');
  if (info.type.v === 'APPREC') throw new ApprecError('ERR_APPREC_FOR_APPREC', 'An AppRec is never answered with an AppRec', { path: '/MsgHead/MsgInfo/Type/@V' });
  const msgId = typeof info.msgId === 'string' ? info.msgId.trim() : '';
  if (msgId === '') throw new ApprecError('ERR_APPREC_MISSING_MSGID', undefined, { path: '/MsgHead/MsgInfo/MsgId' });
  const senderOrg = info.sender?.organisation;
  if (senderOrg === undefined || deepestHerId(senderOrg) === undefined) {
    throw new ApprecError('ERR_APPREC_MISSING_SENDER', undefined, { path: '/MsgHead/MsgInfo/Sender/Organisation' });
  }
  const receiverOrg = info.receiver?.organisation;
  if (receiverOrg === undefined || deepestHerId(receiverOrg) === undefined) {
    throw new ApprecError('ERR_APPREC_MISSING_RECEIVER', undefined, { path: '/MsgHead/MsgInfo/Receiver/Organisation' });
  }
  const status = statusCode(options.status);
  const errors = options.errors ?? [];
  if (!Array.isArray(errors)) throw new TypeError('errors must be an array');
  if (status === '2' && errors.length === 0) throw new ApprecError('ERR_APPREC_REJECTED_WITHOUT_ERRORS');
  const version = options.version ?? DEFAULT_APPREC_VERSION;
  const identification = options.institutionId ?? 'herId';
  if (identification !== 'herId' && identification !== 'orgNumber') throw new RangeError(`institutionId must be herId or orgNumber, not ${String(identification)}`);

  const entries = errors.map((e): AppRecErrorEntry => {
    const dn = codeDisplayName(8221, e.code);
    return { v: e.code, ...(dn === undefined ? {} : { dn }), s: '2.16.578.1.12.4.1.1.8221', ...(e.text === undefined ? {} : { ot: e.text }) };
  });
  const statusDn = codeDisplayName(8258, status);
  const typeDn = info.type.dn ?? codeDisplayName(8279, info.type.v);
  const input: AppRecInput = {
    ...(options.softwareName === undefined ? {} : { softwareName: options.softwareName }),
    ...(options.softwareVersion === undefined ? {} : { softwareVersion: options.softwareVersion }),
    genDate: formatDateTime((options.clock ?? systemClock)()),
    id: (options.idGenerator ?? randomUUID)(),
    sender: appRecPartyFromOrganisation(receiverOrg, identification),
    receiver: appRecPartyFromOrganisation(senderOrg, identification),
    status: statusDn === undefined ? { v: status } : { v: status, dn: statusDn },
    errors: entries,
    originalMsgId: {
      msgType: typeDn === undefined ? { v: info.type.v } : { v: info.type.v, dn: typeDn },
      issueDate: info.genDate,
      id: msgId,
    },
  };
  const xml = buildAppRec(input, { version, pretty: options.pretty === true });
  const appRec: AppRec = {
    ...input,
    version,
    migVersion: APPREC_VERSIONS[version].migVersion,
    msgType: { v: 'APPREC', dn: 'Applikasjonskvittering' },
  };
  return Object.freeze({ appRec, xml });
}
