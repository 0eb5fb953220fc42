import { PloError, parseMessage } from '@samhandling/plo';
import type { DialogAvvik, ParsedMessage } from '@samhandling/plo';
import { ApprecError, ERROR_FEEDBACK_HEADING, buildErrorFeedback, errorFeedbackTask, receiptFor } from './index';
import { SENT_MSG_ID, fixedClock, foresporselXml, patient, receivedUtskrivningsklar, sequentialIds } from '../test/support/messages';

const opts = { clock: fixedClock('2024-05-02T09:00:00Z'), idGenerator: sequentialIds() };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApprecError || e instanceof PloError) return e.code;
    throw e;
  }
  throw new Error('expected a typed error');
}

describe('buildErrorFeedback (DIALOG_AVVIK)', () => {
  it('addresses the original sender, refers to the original and carries its patient', () => {
    const received = receivedUtskrivningsklar();
    const xml = buildErrorFeedback(received, { reason: '1', description: 'Pasienten bor ikke i Skien kommune' }, opts);
    const feedback = parseMessage<DialogAvvik>(xml);
    const info = feedback.msgHead.msgInfo;
    expect(feedback.type).toBe('DIALOG_AVVIK');
    expect(info.msgId).toBe('00000000-0000-4000-8000-000000000001');
    expect(info.sender.organisation).toEqual(received.msgHead.msgInfo.receiver.organisation);
    expect(info.receiver.organisation).toEqual(received.msgHead.msgInfo.sender.organisation);
    expect(info.conversationRef).toEqual({ refToParent: SENT_MSG_ID, refToConversation: SENT_MSG_ID });
    expect(info.patient).toEqual(patient);
    expect(feedback.content).toMatchObject({ reason: '1', heading: ERROR_FEEDBACK_HEADING, description: 'Pasienten bor ikke i Skien kommune', originalMsgId: SENT_MSG_ID });
  });

  it('keeps the conversation of a message that itself answers an earlier one', () => {
    const received = parseMessage(foresporselXml('q-msg-1'));
    const xml = buildErrorFeedback(received, { reason: '2', description: 'Spørsmålet mangler kontaktperson' }, opts);
    expect(parseMessage(xml).msgHead.msgInfo.conversationRef).toEqual({ refToParent: 'q-msg-1', refToConversation: SENT_MSG_ID });
  });

  it('the free-text reason is mandatory and the reason must be in 8117', () => {
    const received = receivedUtskrivningsklar();
    expect(codeOf(() => buildErrorFeedback(received, { reason: '9', description: '  ' }, opts))).toBe('ERR_PLO_INVALID_MODEL');
    expect(codeOf(() => buildErrorFeedback(received, { reason: '5' as never, description: 'Feil' }, opts))).toBe('ERR_PLO_INVALID_MODEL');
  });

  it('typed errors for an original without patient, MsgId or addressable sender, and for an AppRec', () => {
    const m = receivedUtskrivningsklar();
    const change = (c: object): ParsedMessage => ({ ...m, msgHead: { ...m.msgHead, msgInfo: { ...m.msgHead.msgInfo, ...c } } });
    const { patient: _p, ...withoutPatient } = m.msgHead.msgInfo;
    expect(codeOf(() => buildErrorFeedback({ msgHead: { ...m.msgHead, msgInfo: withoutPatient } }, { reason: '9', description: 'x' }))).toBe('ERR_APPREC_MISSING_PATIENT');
    expect(codeOf(() => buildErrorFeedback(change({ msgId: '' }), { reason: '9', description: 'x' }))).toBe('ERR_APPREC_MISSING_MSGID');
    expect(codeOf(() => buildErrorFeedback(change({ sender: { organisation: { name: 'X', idents: [{ id: '983975240', typeId: { v: 'ENH' } }] } } }), { reason: '9', description: 'x' }))).toBe(
      'ERR_APPREC_MISSING_SENDER',
    );
    expect(codeOf(() => buildErrorFeedback(change({ type: { v: 'APPREC' } }), { reason: '9', description: 'x' }))).toBe('ERR_APPREC_FOR_APPREC');
  });

  it('does not replace the AppRec: the feedback is itself a business message that gets one', () => {
    const feedback = parseMessage(buildErrorFeedback(receivedUtskrivningsklar(), { reason: '2', description: 'Mangler diagnose' }, opts));
    expect(receiptFor(feedback, { status: 'ok', clock: opts.clock }).appRec.originalMsgId.msgType.v).toBe('DIALOG_AVVIK');
  });
});

describe('errorFeedbackTask', () => {
  it('turns a received Tilbakemelding om feil into a follow-up task referencing our original message', () => {
    const feedback = parseMessage(buildErrorFeedback(receivedUtskrivningsklar(), { reason: '1', description: 'Feil mottaker', remark: 'Send til Porsgrunn' }, opts));
    expect(errorFeedbackTask(feedback)).toEqual({
      kind: 'error-feedback',
      originalMsgId: SENT_MSG_ID,
      reason: '1',
      reasonName: 'Feil adressat',
      description: 'Feil mottaker',
      heading: ERROR_FEEDBACK_HEADING,
      remark: 'Send til Porsgrunn',
      feedbackMsgId: feedback.msgHead.msgInfo.msgId,
      feedbackGenDate: '2024-05-02T09:00:00Z',
      from: { herId: '8143101', name: 'Skien kommune' },
      patient,
    });
  });

  it('falls back to ConversationRef when the content does not name the original', () => {
    const feedback = parseMessage<DialogAvvik>(buildErrorFeedback(receivedUtskrivningsklar(), { reason: '9', description: 'Annet' }, opts));
    const { originalMsgId: _o, ...content } = feedback.content!;
    expect(errorFeedbackTask({ ...feedback, content }).originalMsgId).toBe(SENT_MSG_ID);
    const { conversationRef: _c, ...info } = feedback.msgHead.msgInfo;
    expect(codeOf(() => errorFeedbackTask({ msgHead: { ...feedback.msgHead, msgInfo: info }, content }))).toBe('ERR_APPREC_FEEDBACK_NO_REFERENCE');
  });

  it('refuses another message type', () => {
    expect(codeOf(() => errorFeedbackTask(receivedUtskrivningsklar()))).toBe('ERR_APPREC_NOT_ERROR_FEEDBACK');
  });
});
