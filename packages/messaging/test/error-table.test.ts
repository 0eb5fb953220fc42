/**
 * apprec's ERROR_TABLE is the one place that decides what a failure means for a receipt. This test
 * lives here (not in apprec) because the messaging and procedure packages depend on apprec: it
 * fails when the engine or the procedure gains an error code without a row in the table.
 */
import { ERROR_TABLE, outcomeForCode } from '@samhandling/apprec';
import { PROCEDURE_ERROR_CODES } from '@samhandling/procedure';
import { ADDRESS_REGISTER_ERROR_CODES, ENGINE_ERROR_CODES, STORE_ERROR_CODES, TRANSPORT_ERROR_CODES } from '../src';

const sources: Record<string, Readonly<Record<string, string>>> = {
  store: STORE_ERROR_CODES,
  transport: TRANSPORT_ERROR_CODES,
  'address-register': ADDRESS_REGISTER_ERROR_CODES,
  engine: ENGINE_ERROR_CODES,
  procedure: PROCEDURE_ERROR_CODES,
};

describe('every code the engine and the procedure raise is in the receipt table', () => {
  it.each(Object.entries(sources))('%s', (_source, codes) => {
    const missing = Object.keys(codes).filter((code) => ERROR_TABLE[code] === undefined);
    expect(missing).toEqual([]);
  });

  it('has no row for one of these sources that nobody raises', () => {
    for (const [source, codes] of Object.entries(sources)) {
      const rows = Object.entries(ERROR_TABLE).filter(([, m]) => m.source === source).map(([code]) => code);
      expect(rows.filter((code) => !(code in codes))).toEqual([]);
    }
  });

  it('retryable store and transport conditions never reject a message', () => {
    for (const code of ['ERR_STORE_UNAVAILABLE', 'ERR_TRANSPORT_UNAVAILABLE', 'ERR_AR_UNAVAILABLE', 'ERR_MSG_STORE_UNAVAILABLE']) {
      expect(outcomeForCode(code)).toEqual({ action: 'retry' });
    }
  });

});
