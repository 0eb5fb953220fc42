import { ProcedureError } from './errors';
import { normalizeEvent } from './events';

const VALID: Record<string, Record<string, unknown>> = {
  innlagt: { id: 'm1', at: '2024-03-04T09:00:00+01:00', type: 'LOG_INNLAGT', from: 'hospital', admittedAt: '2024-03-04T08:30:00+01:00' },
  notice: { id: 'm2', at: '2024-03-04T15:00:00+01:00', type: 'HELSEOPPL_SOKNAD', from: 'hospital', subtype: 1 },
  answer: { id: 'm4', at: '2024-03-08T13:00:00+01:00', type: 'DIALOG_SVAR', from: 'municipality', answer: 'cannot-receive', date: '2024-03-11' },
  cancel: { id: 'm9', at: '2024-03-08T13:00:00+01:00', type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', status: 'C', refersTo: 'm3' },
};

function issuesOf(event: unknown): string[] {
  try {
    normalizeEvent(event);
  } catch (err) {
    expect(err).toBeInstanceOf(ProcedureError);
    expect((err as ProcedureError).code).toBe('ERR_PROCEDURE_INVALID_EVENT');
    return (err as ProcedureError).issues.map((i) => i.path);
  }
  return [];
}

describe('event validation', () => {
  it('accepts the valid examples and normalises times to UTC', () => {
    for (const e of Object.values(VALID)) expect(issuesOf(e)).toEqual([]);
    expect(normalizeEvent(VALID['innlagt'])).toEqual({
      kind: 'message',
      message: { id: 'm1', at: '2024-03-04T08:00:00.000Z', type: 'LOG_INNLAGT', from: 'hospital', status: 'N', admittedAt: '2024-03-04T07:30:00.000Z' },
    });
  });

  it.each([
    ['innlagt', 'at', 'at', '2024-03-04T09:00:00'],
    ['innlagt', 'id', 'id', ''],
    ['innlagt', 'type', 'type', 'LOG_UNKNOWN'],
    ['innlagt', 'from', 'from', 'municipality'],
    ['innlagt', 'from', 'from', 'gp'],
    ['innlagt', 'admittedAt', 'admittedAt', '2024-02-30T08:00:00Z'],
    ['innlagt', 'extra field', 'extra', 1],
    ['innlagt', 'field of another type', 'subtype', 1],
    ['innlagt', 'status', 'status', 'Z'],
    ['innlagt', 'refersTo without status', 'refersTo', 'm0'],
    ['notice', 'subtype', 'subtype', 3],
    ['answer', 'answer', 'answer', 'maybe'],
    ['answer', 'date', 'date', '2024-13-01'],
    ['cancel', 'refersTo', 'refersTo', undefined],
    ['cancel', 'refersTo', 'refersTo', 'm9'],
  ])('%s: a broken %s is reported at its path', (base, _what, field, value) => {
    const broken = Object.fromEntries(Object.entries({ ...VALID[base], [field]: value }).filter(([, v]) => v !== undefined));
    expect(issuesOf(broken)).toEqual([field]);
  });

  it('only the municipality answers, and a date goes only with cannot-receive', () => {
    expect(issuesOf({ ...VALID['answer'], from: 'hospital' })).toEqual(['answer']);
    expect(issuesOf({ ...VALID['answer'], answer: 'offer-ready' })).toEqual(['date']);
  });

  it('reports every issue at once', () => {
    expect(issuesOf({ ...VALID['innlagt'], at: 'x', from: 'x', extra: 1 }).sort()).toEqual(['at', 'extra', 'from']);
  });

  it('checks decisions and deadline-passed ticks', () => {
    expect(normalizeEvent({ type: 'deadline-passed', at: '2024-03-05T00:00:00+01:00', rule: 'section-8-notice' })).toEqual({
      kind: 'deadline-passed',
      at: '2024-03-04T23:00:00.000Z',
    });
    expect(issuesOf({ type: 'deadline-passed', at: 'soon' })).toEqual(['at']);
    expect(issuesOf({ type: 'decision', id: 'd', at: '2024-03-05T10:00:00Z', decision: 'discharge' })).toEqual(['decision']);
    expect(issuesOf('LOG_INNLAGT')).toEqual(['']);
  });
});
