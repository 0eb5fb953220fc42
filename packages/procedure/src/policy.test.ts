import { canonicalJson, contentHash } from './canonical';
import { HOSPITAL_STAY_DEFINITION, machineInfo } from './definition';
import type { ProcedureError } from './errors';
import { DEFAULT_POLICY, resolvePolicy } from './policy';

function issuePaths(input: unknown): string[] {
  try {
    resolvePolicy(input);
  } catch (err) {
    expect((err as ProcedureError).code).toBe('ERR_PROCEDURE_INVALID_POLICY');
    return (err as ProcedureError).issues.map((i) => i.path);
  }
  return [];
}

describe('policy', () => {
  it('defaults to the documented values', () => {
    expect(resolvePolicy()).toEqual({ ...DEFAULT_POLICY, answerDeadline: { ...DEFAULT_POLICY.answerDeadline }, answerMessageTypes: ['DIALOG_SVAR', 'DIALOG_FORESPORSEL'] });
  });

  it('applies overrides and merges rates year by year', () => {
    const p = resolvePolicy({ paymentStart: 'day-after', answerDeadline: { extraDays: 1 }, dailyRatesNOK: { '2025': 5900.5 } });
    expect(p.paymentStart).toBe('day-after');
    expect(p.answerDeadline).toEqual({ anchor: 'notice-day', extraDays: 1 });
    expect(p.dailyRatesNOK['2024']).toBe(5745);
    expect(p.dailyRatesNOK['2025']).toBe(5900.5);
  });

  it.each([
    [{ nope: 1 }, 'nope'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ noticeWithinHours: 0 }, 'noticeWithinHours'],
    [{ notifyExtraDays: -1 }, 'notifyExtraDays'],
    [{ answerDeadline: { anchor: 'someday' } }, 'answerDeadline.anchor'],
    [{ answerDeadline: 3 }, 'answerDeadline'],
    [{ paymentEndDayCounts: 'yes' }, 'paymentEndDayCounts'],
    [{ dailyRatesNOK: { '25': 1 } }, 'dailyRatesNOK.25'],
    [{ dailyRatesNOK: { '2025': -1 } }, 'dailyRatesNOK.2025'],
    [{ answerMessageTypes: ['APPREC'] }, 'answerMessageTypes[0]'],
    [{ replacementTiming: 'later' }, 'replacementTiming'],
  ])('refuses %j at %s', (input, p) => {
    expect(issuePaths(input)).toEqual([p]);
  });

  it('refuses a non-object', () => {
    expect(issuePaths([])).toEqual(['']);
  });
});

describe('content hash', () => {
  it('is SHA-256 over canonical JSON, independent of key order', () => {
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":null,"d":true}]}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(() => canonicalJson({ a: NaN })).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });

  it('covers the whole definition, policy defaults included', () => {
    const base = machineInfo().hash;
    expect(base).toBe(contentHash(HOSPITAL_STAY_DEFINITION));
    const changedRate = { ...HOSPITAL_STAY_DEFINITION, policyDefaults: { ...DEFAULT_POLICY, dailyRatesNOK: { ...DEFAULT_POLICY.dailyRatesNOK, '2024': 5746 } } };
    expect(contentHash(changedRate)).not.toBe(base);
    const changedTable = { ...HOSPITAL_STAY_DEFINITION, transitions: HOSPITAL_STAY_DEFINITION.transitions.slice(1) };
    expect(contentHash(changedTable)).not.toBe(base);
  });
});
