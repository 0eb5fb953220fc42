import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PLO_ERROR_CODES } from '@samhandling/plo';
import { APPREC_CODE_BY_ISSUE, SCHEMA_ERROR_CODES, SCHEMA_ISSUE_CODES, createValidator } from '@samhandling/schema';
import { CERT_ERROR_CODES, CMS_ERROR_CODES, CertError, CmsError, certErrorAppRecCode, cmsErrorAppRecCode } from '@samhandling/cms';
import type { CertErrorCode, CmsErrorCode } from '@samhandling/cms';
import { APPREC_ERROR_CODES, ApprecError, ERROR_TABLE, MESSAGING_ERROR_CODES, decideReceipt, outcomeForCode, outcomeForError, receiptFor, renderErrorCatalogue } from './index';
import type { ReceiptOutcome } from './index';
import { fixedClock, receivedUtskrivningsklar } from '../test/support/messages';

const tableCodes = new Set(Object.keys(ERROR_TABLE));

/** Every code the other packages export, by source. A new code without a table row fails here. */
const exported: Record<string, string[]> = {
  plo: Object.keys(PLO_ERROR_CODES),
  schema: Object.keys(SCHEMA_ERROR_CODES),
  'schema-issue': Object.keys(SCHEMA_ISSUE_CODES),
  cms: Object.keys(CMS_ERROR_CODES),
  cert: Object.keys(CERT_ERROR_CODES),
  messaging: Object.keys(MESSAGING_ERROR_CODES),
  apprec: Object.keys(APPREC_ERROR_CODES),
};

/** Codes where the table deliberately differs from the raising package's own AppRec code (documented in a note). */
const OVERRIDES = new Set(['ERR_SCHEMA_SENDER_MISSING', 'ERR_CMS_SIGNER_MISMATCH', 'ERR_CERT_REVOCATION_UNAVAILABLE', 'ERR_CERT_CRL_MALFORMED', 'ERR_KEY_MALFORMED', 'ERR_KEY_PASSWORD', 'ERR_KEY_UNSUPPORTED']);

function errorCodeOf(outcome: ReceiptOutcome | undefined): string | undefined {
  return outcome?.action === 'apprec' ? outcome.error : undefined;
}

describe('ERROR_TABLE', () => {
  for (const [source, codes] of Object.entries(exported)) {
    it(`has a row for every ${source} code, marked with its source`, () => {
      expect(codes.length).toBeGreaterThan(0);
      expect(codes.filter((c) => !tableCodes.has(c))).toEqual([]);
      for (const c of codes) expect(ERROR_TABLE[c]?.source).toBe(source);
    });
  }

  it('has no row for a code nobody raises', () => {
    const all = new Set(Object.values(exported).flat());
    // Rows for the engine's and the procedure's own codes are checked in @samhandling/messaging,
    // which depends on this package (test/error-table.test.ts there).
    const checkedDownstream = new Set(['store', 'transport', 'address-register', 'engine', 'procedure']);
    expect([...tableCodes].filter((c) => !all.has(c) && !checkedDownstream.has(ERROR_TABLE[c]?.source ?? ''))).toEqual([]);
  });

  it('agrees with the AppRec codes of schema issues and cms errors, except documented overrides', () => {
    for (const [code, appRecCode] of Object.entries(APPREC_CODE_BY_ISSUE)) {
      if (!OVERRIDES.has(code)) expect([code, errorCodeOf(ERROR_TABLE[code]?.outcome)]).toEqual([code, appRecCode]);
    }
    for (const code of Object.keys(CMS_ERROR_CODES)) {
      if (!OVERRIDES.has(code)) expect([code, errorCodeOf(ERROR_TABLE[code]?.outcome)]).toEqual([code, cmsErrorAppRecCode(code as CmsErrorCode)]);
    }
    for (const code of Object.keys(CERT_ERROR_CODES)) {
      if (!OVERRIDES.has(code)) expect([code, errorCodeOf(ERROR_TABLE[code]?.outcome)]).toEqual([code, certErrorAppRecCode(code as CertErrorCode)]);
    }
    for (const code of OVERRIDES) expect(ERROR_TABLE[code]?.note).toMatch(/\w/);
  });

  it('retries transient conditions and quarantines unidentifiable senders', () => {
    expect(outcomeForCode('ERR_CERT_REVOCATION_UNAVAILABLE')).toEqual({ action: 'retry' });
    expect(outcomeForCode('ERR_MSG_STORE_UNAVAILABLE')).toEqual({ action: 'retry' });
    expect(outcomeForCode('ERR_MSG_UNKNOWN_SENDER')).toEqual({ action: 'quarantine' });
    expect(outcomeForCode('ERR_MSG_SPOOFED_SENDER')).toEqual({ action: 'quarantine' });
    expect(outcomeForCode('ERR_MSG_RECEIVER_UNKNOWN')).toEqual({ action: 'apprec', status: '2', error: 'E21' });
    expect(outcomeForCode('ERR_MSG_PATIENT_NOT_FOUND')).toEqual({ action: 'apprec', status: '2', error: 'E35' });
    expect(outcomeForCode('ERR_MSG_DUPLICATE')).toEqual({ action: 'repeat' });
    expect(outcomeForCode('ERR_NOT_A_CODE')).toBeUndefined();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(ERROR_TABLE)).toBe(true);
    expect(Object.isFrozen(ERROR_TABLE['ERR_PLO_XML_NOT_WELL_FORMED']?.outcome)).toBe(true);
  });
});

describe('outcomeForError', () => {
  it('maps thrown typed errors by code; retryable errors and unknown throws are retried', () => {
    expect(outcomeForError(new CmsError('ERR_CMS_SIGNATURE_INVALID', 'bad'))).toEqual({ action: 'apprec', status: '2', error: 'S01' });
    expect(outcomeForError(new CertError('ERR_CERT_REVOKED'))).toEqual({ action: 'apprec', status: '2', error: 'S03' });
    expect(outcomeForError(new CertError('ERR_CERT_REVOCATION_UNAVAILABLE'))).toEqual({ action: 'retry' });
    expect(outcomeForError(new ApprecError('ERR_APPREC_FOR_APPREC'))).toEqual({ action: 'none' });
    expect(outcomeForError(new TypeError('bug'))).toEqual({ action: 'retry' });
    expect(outcomeForError('string')).toEqual({ action: 'retry' });
    expect(outcomeForError({ code: 'ERR_SOMETHING_NEW' })).toEqual({ action: 'retry' });
  });
});

describe('decideReceipt', () => {
  it('no failures, or only warnings: OK', () => {
    expect(decideReceipt([])).toEqual({ action: 'apprec', status: '1', errors: [] });
    expect(decideReceipt([{ code: 'ERR_SCHEMA_MSGID_NOT_GUID', severity: 'warning', message: 'x' }])).toEqual({ action: 'apprec', status: '1', errors: [] });
  });

  it('validation issues become a rejection with their messages as free text, repeats removed', () => {
    const report = createValidator().validate('<MsgHead xmlns="http://www.kith.no/xmlstds/msghead/2006-05-24"><MsgInfo/></MsgHead>');
    const decision = decideReceipt(report.issues);
    expect(decision.action).toBe('apprec');
    if (decision.action !== 'apprec') return;
    expect(decision.status).toBe('2');
    expect(decision.errors.length).toBeGreaterThan(0);
    expect(decision.errors.every((e) => e.code === 'T02' || e.code === 'E21' || e.code === 'E30' || e.code === 'E10' || e.code === 'T10')).toBe(true);
    expect(decideReceipt([{ code: 'ERR_MSG_PATIENT_NOT_FOUND', message: 'a' }, { code: 'ERR_MSG_PATIENT_NOT_FOUND', message: 'a' }])).toEqual({
      action: 'apprec',
      status: '2',
      errors: [{ code: 'E35', text: 'a' }],
    });
  });

  it('status 3 when every rejecting failure concerns only a part', () => {
    expect(decideReceipt([{ code: 'ERR_PLO_INVALID_VALUE', message: 'vedlegg 2', part: true }])).toEqual({ action: 'apprec', status: '3', errors: [{ code: 'T02', text: 'vedlegg 2' }] });
    expect(decideReceipt([{ code: 'ERR_PLO_INVALID_VALUE', part: true }, { code: 'ERR_MSG_PATIENT_NOT_FOUND' }])).toMatchObject({ status: '2' });
  });

  it('quarantine wins over retry, retry over repeat, repeat over a rejection', () => {
    expect(decideReceipt([{ code: 'ERR_MSG_PATIENT_NOT_FOUND' }, { code: 'ERR_MSG_STORE_UNAVAILABLE' }, { code: 'ERR_MSG_UNKNOWN_SENDER' }])).toEqual({ action: 'quarantine', codes: ['ERR_MSG_UNKNOWN_SENDER'] });
    expect(decideReceipt([{ code: 'ERR_MSG_PATIENT_NOT_FOUND' }, { code: 'ERR_MSG_STORE_UNAVAILABLE' }])).toEqual({ action: 'retry', codes: ['ERR_MSG_STORE_UNAVAILABLE'] });
    expect(decideReceipt([{ code: 'ERR_MSG_DUPLICATE' }, { code: 'ERR_MSG_PATIENT_NOT_FOUND' }])).toEqual({ action: 'repeat' });
    expect(decideReceipt([{ code: 'ERR_UNKNOWN_TO_THE_TABLE' }])).toEqual({ action: 'retry', codes: ['ERR_UNKNOWN_TO_THE_TABLE'] });
    expect(decideReceipt([{ code: 'ERR_APPREC_FOR_APPREC' }])).toEqual({ action: 'none', codes: ['ERR_APPREC_FOR_APPREC'] });
  });

  it('caps the number of errors and the length of free text', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ code: 'ERR_SCHEMA_XSD_INVALID', message: `problem ${i} ${'x'.repeat(600)}` }));
    const d = decideReceipt(many);
    if (d.action !== 'apprec') throw new Error('expected an AppRec');
    expect(d.errors).toHaveLength(20);
    expect(d.errors[0]?.text).toHaveLength(500);
    expect(decideReceipt(many, { maxErrors: 2 })).toMatchObject({ errors: [{}, {}] });
  });

  it('an AppRec decision can be passed to receiptFor as is', () => {
    const d = decideReceipt([{ code: 'ERR_CMS_SIGNATURE_INVALID', message: 'Signaturen stemmer ikke' }]);
    if (d.action !== 'apprec') throw new Error('expected an AppRec');
    const { appRec } = receiptFor(receivedUtskrivningsklar(), { ...d, clock: fixedClock('2024-05-02T08:21:00Z') });
    expect(appRec.status.v).toBe('2');
    expect(appRec.errors).toEqual([{ v: 'S01', dn: 'Feil på signatur', s: '2.16.578.1.12.4.1.1.8221', ot: 'Signaturen stemmer ikke' }]);
  });
});

describe('docs/errors.md', () => {
  const file = path.resolve(__dirname, '../../../docs/errors.md');
  const rendered = renderErrorCatalogue();

  it('lists every code of the table', () => {
    for (const code of tableCodes) expect(rendered).toContain(`| \`${code}\` |`);
  });

  it('is up to date (regenerate: UPDATE_ERRORS_DOC=1 npx jest src/table.test.ts, or node tools/scripts/gen-errors-doc.mjs)', () => {
    if (process.env['UPDATE_ERRORS_DOC'] === '1') writeFileSync(file, rendered);
    expect(readFileSync(file, 'utf8')).toBe(rendered);
  });
});
