import { parseMessage } from '@samhandling/plo';
import { buildAppRec, correlateAppRec, parseAppRec, receiptFor, sentMessageRef } from './index';
import type { AppRec } from './index';
import { fixedClock, municipality, utskrivningsklarXml } from '../test/support/messages';

const sent = parseMessage(utskrivningsklarXml());
const good = receiptFor(sent, { status: 'ok', clock: fixedClock('2024-05-02T08:21:00Z') }).appRec;

function rebuilt(change: (a: AppRec) => AppRec): AppRec {
  return parseAppRec(buildAppRec(change(good)));
}

function fields(a: AppRec): string[] {
  return correlateAppRec(a, sent).problems.map((p) => p.field);
}

describe('correlateAppRec', () => {
  it('a receipt from the receiver for our MsgId correlates, against the MsgHead or its reference', () => {
    expect(correlateAppRec(good, sent)).toEqual({ correlates: true, problems: [] });
    expect(correlateAppRec(good, sentMessageRef(sent.msgHead)).correlates).toBe(true);
  });

  it('accepts the same IssueDate written in another zone', () => {
    expect(fields(rebuilt((a) => ({ ...a, originalMsgId: { ...a.originalMsgId, issueDate: '2024-05-02T08:20:00Z' } })))).toEqual([]);
  });

  it('names every disagreement', () => {
    expect(fields(rebuilt((a) => ({ ...a, originalMsgId: { ...a.originalMsgId, id: 'other' } })))).toEqual(['id']);
    expect(fields(rebuilt((a) => ({ ...a, originalMsgId: { ...a.originalMsgId, msgType: { v: 'LOG_DOD' } } })))).toEqual(['type']);
    expect(fields(rebuilt((a) => ({ ...a, originalMsgId: { ...a.originalMsgId, issueDate: '2024-05-02T10:21:00+02:00' } })))).toEqual(['issueDate']);
    expect(fields(rebuilt((a) => ({ ...a, sender: a.receiver })))).toEqual(['sender']);
    expect(fields(rebuilt((a) => ({ ...a, receiver: a.sender })))).toEqual(['receiver']);
  });

  it('without our own HER-ids only the receiver side is checked', () => {
    const { senderHerIds: _s, ...ref } = sentMessageRef(sent.msgHead);
    expect(correlateAppRec(rebuilt((a) => ({ ...a, receiver: a.sender })), ref).correlates).toBe(true);
    expect(ref.receiverHerIds).toEqual(['8143100', String(municipality.organisation?.idents[0]?.id)]);
  });
});
