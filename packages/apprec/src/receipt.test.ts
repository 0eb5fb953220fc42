import { parseMessage } from '@samhandling/plo';
import type { ParsedMessage } from '@samhandling/plo';
import { ApprecError, correlateAppRec, parseAppRec, receiptFor } from './index';
import { SENT_GEN_DATE, SENT_MSG_ID, fixedClock, receivedUtskrivningsklar, sequentialIds, utskrivningsklarXml } from '../test/support/messages';

const clock = fixedClock('2024-05-02T08:21:00Z');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApprecError);
    return (e as ApprecError).code;
  }
  throw new Error('expected an ApprecError');
}

/** The received message with its MsgInfo changed. */
function withInfo(change: (info: ParsedMessage['msgHead']['msgInfo']) => object): ParsedMessage {
  const m = receivedUtskrivningsklar();
  return { ...m, msgHead: { ...m.msgHead, msgInfo: { ...m.msgHead.msgInfo, ...change(m.msgHead.msgInfo) } } };
}

describe('receiptFor', () => {
  it('swaps the parties, addresses them by their deepest HER-ids and refers to the original', () => {
    const { appRec, xml } = receiptFor(receivedUtskrivningsklar(), { status: 'ok', clock, idGenerator: sequentialIds() });
    expect(appRec.sender.hcp.inst).toEqual({
      name: 'Skien kommune',
      id: '8143100',
      typeId: { v: 'HER', dn: 'HER-id' },
      depts: [{ name: 'Sykepleietjeneste', id: '8143101', typeId: { v: 'HER', dn: 'HER-id' } }],
    });
    expect(appRec.receiver.hcp.inst?.depts?.[0]?.id).toBe('8142520');
    expect(appRec.originalMsgId).toEqual({ msgType: { v: 'LOG_UTSKRIVNINGSKLAR', dn: 'Melding om utskrivningsklar pasient' }, issueDate: SENT_GEN_DATE, id: SENT_MSG_ID });
    expect(appRec.id).toBe('00000000-0000-4000-8000-000000000001');
    expect(appRec.genDate).toBe('2024-05-02T08:21:00Z');
    expect(appRec.status).toEqual({ v: '1', dn: 'OK' });
    expect(appRec.errors).toEqual([]);
    expect(parseAppRec(xml)).toEqual(appRec);
  });

  it('the receipt correlates with the message it answers', () => {
    const sent = parseMessage(utskrivningsklarXml());
    const { xml } = receiptFor(sent, { status: 'ok', clock });
    expect(correlateAppRec(parseAppRec(xml), sent)).toEqual({ correlates: true, problems: [] });
  });

  it('rejects with 8221 errors, their display names and free text', () => {
    const { appRec } = receiptFor(receivedUtskrivningsklar(), { status: 'rejected', errors: [{ code: 'E35', text: 'Ukjent pasient' }, { code: 'E21' }], clock });
    expect(appRec.status).toEqual({ v: '2', dn: 'Avvist' });
    expect(appRec.errors).toEqual([
      { v: 'E35', dn: 'Pasienten finnes ikke i mottakersystemet', s: '2.16.578.1.12.4.1.1.8221', ot: 'Ukjent pasient' },
      { v: 'E21', dn: 'Mottaker finnes ikke', s: '2.16.578.1.12.4.1.1.8221' },
    ]);
  });

  it('accepts status codes as well as names, and status 3 with errors', () => {
    expect(receiptFor(receivedUtskrivningsklar(), { status: '3', errors: [{ code: 'T99', text: 'Vedlegg 1 kan ikke leses' }], clock }).appRec.status.v).toBe('3');
    expect(receiptFor(receivedUtskrivningsklar(), { status: 'partial', errors: [{ code: 'T99' }], clock }).appRec.status.dn).toBe('OK, feil i delmelding');
  });

  it('builds version 1.0 on request (per counterparty)', () => {
    const { appRec, xml } = receiptFor(receivedUtskrivningsklar(), { status: 'ok', version: '1.0', clock });
    expect(appRec.version).toBe('1.0');
    expect(xml).toContain('xmlns="http://www.kith.no/xmlstds/apprec/2004-11-21"');
    expect(parseAppRec(xml)).toEqual(appRec);
  });

  it('identifies the institution by organisation number with the HER-id as AdditionalId on request', () => {
    const { appRec } = receiptFor(receivedUtskrivningsklar(), { status: 'ok', institutionId: 'orgNumber', clock });
    expect(appRec.sender.hcp.inst).toMatchObject({ id: '983975267', typeId: { v: 'ENH' }, additionalIds: [{ id: '8143100', type: { v: 'HER' } }] });
  });

  it('uses the deepest HER-id when an intermediate level has none', () => {
    const received = withInfo((info) => ({
      receiver: { organisation: { ...info.receiver.organisation, organisation: { name: 'Helse og omsorg', idents: [{ id: '983975267', typeId: { v: 'ENH' } }], organisation: { name: 'Hjemmetjenesten', idents: [{ id: '8143102', typeId: { v: 'HER' } }] } } } },
    }));
    const { appRec } = receiptFor(received, { status: 'ok', clock });
    expect(appRec.sender.hcp.inst?.depts).toEqual([{ name: 'Hjemmetjenesten', id: '8143102', typeId: { v: 'HER', dn: 'HER-id' } }]);
  });

  describe('typed errors', () => {
    it('a receipt for an AppRec (parsed AppRec)', () => {
      const { appRec } = receiptFor(receivedUtskrivningsklar(), { status: 'ok', clock });
      expect(codeOf(() => receiptFor(appRec, { status: 'ok' }))).toBe('ERR_APPREC_FOR_APPREC');
    });
    it('a receipt for a MsgHead of type APPREC', () => {
      expect(codeOf(() => receiptFor(withInfo(() => ({ type: { v: 'APPREC' } })), { status: 'ok' }))).toBe('ERR_APPREC_FOR_APPREC');
    });
    it('no usable MsgId', () => expect(codeOf(() => receiptFor(withInfo(() => ({ msgId: '  ' })), { status: 'ok' }))).toBe('ERR_APPREC_MISSING_MSGID'));
    it('a sender without HER-id', () => {
      const received = withInfo(() => ({ sender: { organisation: { name: 'Ukjent', idents: [{ id: '983975240', typeId: { v: 'ENH' } }] } } }));
      expect(codeOf(() => receiptFor(received, { status: 'ok' }))).toBe('ERR_APPREC_MISSING_SENDER');
    });
    it('a receiver without HER-id', () => {
      const received = withInfo(() => ({ receiver: { organisation: { name: 'Ukjent', idents: [{ id: '983975267', typeId: { v: 'ENH' } }] } } }));
      expect(codeOf(() => receiptFor(received, { status: 'ok' }))).toBe('ERR_APPREC_MISSING_RECEIVER');
    });
    it('rejected without errors', () => expect(codeOf(() => receiptFor(receivedUtskrivningsklar(), { status: 'rejected' }))).toBe('ERR_APPREC_REJECTED_WITHOUT_ERRORS'));
    it('partial without errors and ok with errors are invalid models', () => {
      expect(codeOf(() => receiptFor(receivedUtskrivningsklar(), { status: 'partial', clock }))).toBe('ERR_APPREC_INVALID_MODEL');
      expect(codeOf(() => receiptFor(receivedUtskrivningsklar(), { status: 'ok', errors: [{ code: 'E35' }], clock }))).toBe('ERR_APPREC_INVALID_MODEL');
    });
    it('an error code outside 8221', () => expect(codeOf(() => receiptFor(receivedUtskrivningsklar(), { status: 'rejected', errors: [{ code: 'E77' as never }], clock }))).toBe('ERR_APPREC_INVALID_MODEL'));
  });

  it('an unknown status name is a caller mistake', () => {
    expect(() => receiptFor(receivedUtskrivningsklar(), { status: 'fine' as never })).toThrow(RangeError);
  });
});
