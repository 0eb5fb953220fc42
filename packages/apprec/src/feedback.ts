/**
 * Tilbakemelding om feil i mottatt melding (`DIALOG_AVVIK`, Dialogmelding 1.1 `Notat` with an
 * 8117 reason): errors found after a positive AppRec (wrong addressee, missing information) are
 * reported back to the original sender. It does not replace a negative AppRec.
 */
import { buildMessage, codeDisplayName, deepestHerId } from '@samhandling/plo';
import type { AvvikReason, BuildMessageOptions, DialogAvvik, DialogRole, MsgHead, Person } from '@samhandling/plo';
import { ApprecError } from './errors';
import type { ReceivedMessage } from './receipt';

/** Default `Tema` of a Tilbakemelding om feil. */
export const ERROR_FEEDBACK_HEADING = 'Tilbakemelding om feil i mottatt melding';

/** Input of {@link buildErrorFeedback}. */
export interface ErrorFeedbackInput {
  /** 8117: `1` feil adressat, `2` mangelfulle opplysninger, `9` annet. */
  readonly reason: AvvikReason;
  /** What is wrong, in free text. Mandatory. */
  readonly description: string;
  /** `Tema`; default {@link ERROR_FEEDBACK_HEADING}. */
  readonly heading?: string;
  readonly remark?: string;
  /** Who reports the error (for questions back). */
  readonly roles?: readonly DialogRole[];
  /** MsgId of the feedback; default from the id generator. */
  readonly msgId?: string;
}

/** Options of {@link buildErrorFeedback}: those of plo's `buildMessage`. */
export type ErrorFeedbackOptions = BuildMessageOptions;

/**
 * Build a `DIALOG_AVVIK` about a received message: addressed back to its sender, from its
 * receiver, `ConversationRef` to the original (RefToParent = its MsgId, RefToConversation = its
 * conversation's first MsgId or its own), the patient taken from the original, and the original
 * MsgId in the content (`DokIdNotat`).
 *
 * @throws ApprecError `ERR_APPREC_FOR_APPREC` for an AppRec, `ERR_APPREC_MISSING_MSGID`,
 *   `ERR_APPREC_MISSING_SENDER`, `ERR_APPREC_MISSING_PATIENT` when the original lacks them.
 * @throws PloError `ERR_PLO_INVALID_MODEL` from `buildMessage` (blank description, reason not in
 *   8117, an invalid patient identifier, ...), with every issue.
 */
export function buildErrorFeedback(received: ReceivedMessage, input: ErrorFeedbackInput, options: ErrorFeedbackOptions = {}): string {
  if (typeof received !== 'object' || received === null || received.msgHead === undefined) throw new TypeError('buildErrorFeedback needs a parsed MsgHead');
  if (typeof input !== 'object' || input === null) throw new TypeError('buildErrorFeedback needs the reason and description');
  const info = received.msgHead.msgInfo;
  if (info.type.v === 'APPREC') throw new ApprecError('ERR_APPREC_FOR_APPREC', 'An AppRec is not answered with a Tilbakemelding om feil');
  const msgId = info.msgId?.trim() ?? '';
  if (msgId === '') throw new ApprecError('ERR_APPREC_MISSING_MSGID', undefined, { path: '/MsgHead/MsgInfo/MsgId' });
  if (deepestHerId(info.sender.organisation) === undefined) throw new ApprecError('ERR_APPREC_MISSING_SENDER', undefined, { path: '/MsgHead/MsgInfo/Sender/Organisation' });
  const patient: Person | undefined = info.patient;
  if (patient === undefined) throw new ApprecError('ERR_APPREC_MISSING_PATIENT', undefined, { path: '/MsgHead/MsgInfo/Patient' });
  const content: DialogAvvik = {
    reason: input.reason,
    heading: input.heading ?? ERROR_FEEDBACK_HEADING,
    description: input.description,
    originalMsgId: msgId,
    ...(input.remark === undefined ? {} : { remark: input.remark }),
    ...(input.roles === undefined ? {} : { roles: input.roles }),
  };
  return buildMessage<DialogAvvik>(
    {
      type: 'DIALOG_AVVIK',
      ...(input.msgId === undefined ? {} : { msgId: input.msgId }),
      conversationRef: { refToParent: msgId, refToConversation: info.conversationRef?.refToConversation ?? msgId },
      sender: info.receiver.organisation,
      receiver: info.sender.organisation,
      patient,
      content,
    },
    options,
  );
}

/** A follow-up task made from a received Tilbakemelding om feil, so the sender can act without undue delay. */
export interface ErrorFeedbackTask {
  readonly kind: 'error-feedback';
  /** MsgId of our original message the feedback is about. */
  readonly originalMsgId: string;
  /** 8117 reason and its display name. */
  readonly reason: AvvikReason;
  readonly reasonName: string;
  readonly description: string;
  readonly heading?: string;
  readonly remark?: string;
  /** MsgId and GenDate of the feedback message. */
  readonly feedbackMsgId: string;
  readonly feedbackGenDate: string;
  /** Who reported it: the deepest HER-id and the top-level name of the feedback's sender. */
  readonly from: { readonly herId?: string; readonly name: string };
  readonly patient?: Person;
  readonly roles?: readonly DialogRole[];
}

/**
 * Read a received `DIALOG_AVVIK` (parsed with plo's `parseMessage`) into a follow-up task that
 * references our original message: `DokIdNotat` in the content, else `ConversationRef/RefToParent`.
 *
 * @throws ApprecError `ERR_APPREC_NOT_ERROR_FEEDBACK` for another message type;
 *   `ERR_APPREC_FEEDBACK_NO_REFERENCE` when neither names the original message.
 */
export function errorFeedbackTask(received: { readonly msgHead: MsgHead; readonly content?: unknown }): ErrorFeedbackTask {
  if (typeof received !== 'object' || received === null || received.msgHead === undefined) throw new TypeError('errorFeedbackTask needs a parsed message');
  const info = received.msgHead.msgInfo;
  const content = received.content as DialogAvvik | undefined;
  if (info.type.v !== 'DIALOG_AVVIK' || content === undefined || typeof content.reason !== 'string') {
    throw new ApprecError('ERR_APPREC_NOT_ERROR_FEEDBACK', `Message type ${info.type.v} is not DIALOG_AVVIK`, { path: '/MsgHead/MsgInfo/Type/@V' });
  }
  const originalMsgId = content.originalMsgId ?? info.conversationRef?.refToParent;
  if (originalMsgId === undefined || originalMsgId.trim() === '') {
    throw new ApprecError('ERR_APPREC_FEEDBACK_NO_REFERENCE', undefined, { path: '/MsgHead/Document/RefDoc/Content/Dialogmelding/Notat/DokIdNotat' });
  }
  const herId = deepestHerId(info.sender.organisation);
  return {
    kind: 'error-feedback',
    originalMsgId,
    reason: content.reason,
    reasonName: codeDisplayName(8117, content.reason) ?? content.reason,
    description: content.description,
    ...(content.heading === undefined ? {} : { heading: content.heading }),
    ...(content.remark === undefined ? {} : { remark: content.remark }),
    feedbackMsgId: info.msgId,
    feedbackGenDate: info.genDate,
    from: herId === undefined ? { name: info.sender.organisation.name } : { herId, name: info.sender.organisation.name },
    ...(info.patient === undefined ? {} : { patient: info.patient }),
    ...(content.roles === undefined ? {} : { roles: content.roles }),
  };
}
