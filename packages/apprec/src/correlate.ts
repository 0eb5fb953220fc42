/**
 * Does an AppRec answer a message we sent? Checks the parties and `OriginalMsgId`, the way a
 * sender correlates receipts: on (its sender = our original receiver, OriginalMsgId/Id).
 */
import type { MsgHead } from '@samhandling/plo';
import type { AppRec } from './model';
import { organisationHerIds, partyHerId, partyHerIds } from './parties';
import { instantOf } from './xml';

/** The facts about a sent message that a receipt is checked against. */
export interface SentMessageRef {
  /** Our MsgInfo/MsgId. */
  readonly msgId: string;
  /** MsgInfo/Type V. */
  readonly type: string;
  /** MsgInfo/GenDate, when known (then the receipt's IssueDate must be the same instant). */
  readonly genDate?: string;
  /** HER-ids of the receiver's organisation chain, top level first; the last is the addressee. */
  readonly receiverHerIds: readonly string[];
  /** HER-ids of our own (sender) organisation chain, when known (then the receipt must be addressed to one of them). */
  readonly senderHerIds?: readonly string[];
}

/** One reason why a receipt does not correlate. */
export interface CorrelationProblem {
  /** `id`: another MsgId; `sender`: not from the original receiver (spoofing); `receiver`: not addressed to us; `type`, `issueDate`: OriginalMsgId disagrees. */
  readonly field: 'id' | 'sender' | 'receiver' | 'type' | 'issueDate';
  readonly message: string;
}

/** Result of {@link correlateAppRec}. */
export interface Correlation {
  /** True when there is no problem. */
  readonly correlates: boolean;
  readonly problems: readonly CorrelationProblem[];
}

/** Options of {@link correlateAppRec}. */
export interface CorrelateOptions {
  /**
   * Accept a receipt whose sender has only the institution level, when that institution's HER-id
   * is on an upper level of the original receiver (a hospital answering for its service). Default true.
   */
  readonly acceptInstitutionLevel?: boolean;
}

/** The {@link SentMessageRef} of a MsgHead we sent. */
export function sentMessageRef(msgHead: MsgHead): SentMessageRef {
  const info = msgHead.msgInfo;
  return {
    msgId: info.msgId,
    type: info.type.v,
    genDate: info.genDate,
    receiverHerIds: organisationHerIds(info.receiver.organisation),
    senderHerIds: organisationHerIds(info.sender.organisation),
  };
}

/** True when `appRec`'s sender is the receiver named by `receiverHerIds` (see {@link CorrelateOptions}). */
export function isFromReceiver(appRec: AppRec, receiverHerIds: readonly string[], options: CorrelateOptions = {}): boolean {
  const addressee = receiverHerIds[receiverHerIds.length - 1];
  const herId = partyHerId(appRec.sender);
  if (herId === undefined || addressee === undefined) return false;
  if (herId === addressee) return true;
  const institutionOnly = partyHerIds(appRec.sender).length === 1;
  return options.acceptInstitutionLevel !== false && institutionOnly && receiverHerIds.includes(herId);
}

/**
 * Check that `appRec` answers the message `original` (a sent MsgHead or its {@link SentMessageRef}):
 * OriginalMsgId/Id is its MsgId, the receipt comes from its receiver (deepest HER-id), is
 * addressed to its sender (when known), and OriginalMsgId's MsgType and IssueDate agree.
 */
export function correlateAppRec(appRec: AppRec, original: SentMessageRef | { readonly msgHead: MsgHead }, options: CorrelateOptions = {}): Correlation {
  const ref = 'msgHead' in original ? sentMessageRef(original.msgHead) : original;
  const problems: CorrelationProblem[] = [];
  if (appRec.originalMsgId.id !== ref.msgId) {
    problems.push({ field: 'id', message: `OriginalMsgId/Id is ${appRec.originalMsgId.id}, the message has MsgId ${ref.msgId}` });
  }
  if (!isFromReceiver(appRec, ref.receiverHerIds, options)) {
    problems.push({
      field: 'sender',
      message: `the receipt comes from HER-id ${partyHerId(appRec.sender) ?? '(none)'}, the message was sent to HER-id ${ref.receiverHerIds[ref.receiverHerIds.length - 1] ?? '(none)'}`,
    });
  }
  if (ref.senderHerIds !== undefined && ref.senderHerIds.length > 0) {
    const to = partyHerId(appRec.receiver);
    if (to === undefined || !ref.senderHerIds.includes(to)) {
      problems.push({ field: 'receiver', message: `the receipt is addressed to HER-id ${to ?? '(none)'}, not to the sender of the message` });
    }
  }
  if (appRec.originalMsgId.msgType.v !== ref.type) {
    problems.push({ field: 'type', message: `OriginalMsgId/MsgType is ${appRec.originalMsgId.msgType.v}, the message is ${ref.type}` });
  }
  if (ref.genDate !== undefined && appRec.originalMsgId.issueDate !== ref.genDate && instantOf(appRec.originalMsgId.issueDate) !== instantOf(ref.genDate)) {
    problems.push({ field: 'issueDate', message: `OriginalMsgId/IssueDate is ${appRec.originalMsgId.issueDate}, the message's GenDate is ${ref.genDate}` });
  }
  return { correlates: problems.length === 0, problems };
}
