import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ProcedureError } from './errors';
import { parseScenario, simulate } from './simulate';

const example = JSON.parse(readFileSync(path.resolve(__dirname, '../test/fixtures/example-scenario.json'), 'utf8')) as { events: Record<string, unknown>[] };

function codeAndPaths(fn: () => unknown): [string, string[]] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProcedureError);
    return [(err as ProcedureError).code, (err as ProcedureError).issues.map((i) => i.path)];
  }
  throw new Error('expected an error');
}

describe('simulate (the CLI contract)', () => {
  it('gives the issue example: payment days 2024-03-08, 09, 10 and NOK 17 235', () => {
    const r = simulate(example);
    expect(r.state).toBe('discharged');
    expect(r.paymentDays).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
    expect(r.amountNOK).toBe(17235);
    expect(r.periods).toEqual([
      {
        index: 1,
        declaredDay: '2024-03-08',
        payable: true,
        conditions: { section8: 'met', section10: 'met', canReceiveInTime: false },
        endReason: 'offer-ready',
        paymentDays: ['2024-03-08', '2024-03-09', '2024-03-10'],
        amountNOK: 17235,
        missingRateYears: [],
      },
    ]);
    expect(r.deadlines.map((d) => [d.rule, d.due, d.metAt, d.breached])).toEqual([
      ['section-8-notice', '2024-03-05T07:30:00.000Z', '2024-03-04T14:00:00.000Z', false],
      ['section-10-notify', '2024-03-08T23:00:00.000Z', '2024-03-08T10:00:00.000Z', false],
      ['section-11-answer', '2024-03-08T23:00:00.000Z', '2024-03-08T12:00:00.000Z', false],
      ['utskrivningsrapport', '2024-03-11T23:00:00.000Z', '2024-03-11T15:00:00.000Z', false],
    ]);
    expect(r.issues).toEqual([]);
    // Effects are data; the file order drives them.
    expect(r.effects.filter((e) => e.type === 'alarm')).toEqual([]);
    expect(r.effects.filter((e) => e.type === 'task' && e.action === 'open').map((e) => (e.type === 'task' ? e.task : ''))).toEqual([
      'answer-utskrivningsklar',
      'report-offer-ready',
      'send-utskrivningsrapport',
    ]);
  });

  it('gives the same result for any file order', () => {
    expect({ ...simulate({ events: [...example.events].reverse() }), effects: [] }).toEqual({ ...simulate(example), effects: [] });
  });

  it('with until, feeds the deadlines a scheduler would and raises their alarms', () => {
    const events = example.events.slice(0, 3); // no answer, no discharge
    const r = simulate({ events, until: '2024-03-10T12:00:00+01:00' });
    expect(r.state).toBe('utskrivningsklar');
    expect(r.deadlines.find((d) => d.rule === 'section-11-answer')).toEqual(expect.objectContaining({ breached: true, metAt: null }));
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'alarm', rule: 'section-11-answer', party: 'municipality' }));
    expect(r.paymentDays).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
  });

  it('accepts a stay key and a policy in the scenario; options override the scenario policy', () => {
    const stay = { patientId: '13116900216', hospitalHerId: '8143541', admission: 'A-1' };
    const r = simulate({ ...example, stay, policy: { paymentStart: 'day-after' } });
    expect(r.paymentDays).toEqual(['2024-03-09', '2024-03-10']);
    expect(simulate({ ...example, policy: { paymentStart: 'day-after' } }, { policy: { paymentStart: 'declared-day' } }).paymentDays).toHaveLength(3);
  });

  it('reports invalid scenarios with every issue and its path', () => {
    expect(codeAndPaths(() => parseScenario([]))).toEqual(['ERR_PROCEDURE_INVALID_SCENARIO', ['']]);
    expect(codeAndPaths(() => parseScenario({ event: [] }))).toEqual(['ERR_PROCEDURE_INVALID_SCENARIO', ['event', 'events']]);
    const broken = { events: [example.events[0], { ...example.events[1], subtype: 7 }, { ...example.events[2], from: 'municipality' }], until: 'later' };
    expect(codeAndPaths(() => simulate(broken))).toEqual(['ERR_PROCEDURE_INVALID_SCENARIO', ['events[1].subtype', 'events[2].from', 'until']]);
    expect(codeAndPaths(() => simulate({ ...example, policy: { paymentStart: 'x' } }))).toEqual(['ERR_PROCEDURE_INVALID_POLICY', ['paymentStart']]);
    expect(codeAndPaths(() => simulate({ ...example, stay: { patientId: '1', hospitalHerId: '1', admission: 'a' } }))[0]).toBe('ERR_PROCEDURE_INVALID_STAY_KEY');
  });
});
