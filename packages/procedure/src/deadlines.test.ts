import type { AlarmEffect } from './effects';
import { transition } from './state';
import {
  admittedWithNotice,
  answer,
  avmelding,
  deadlineOf,
  dod,
  innlagt,
  innleggelsesrapport,
  notice,
  rapport,
  run,
  tick,
  utskrevet,
  utskrivningsklar,
} from '../test/helpers';

const ADMIT = '2024-03-04T08:30:00+01:00'; // due 2024-03-05T07:30Z

describe('§ 8: Helseopplysninger 9140 = 1 within 24 hours of admission', () => {
  const admitted = () => innlagt('2024-03-04T09:00:00+01:00', { admittedAt: ADMIT });
  it.each([
    ['sent after 6 hours', [notice('2024-03-04T14:30:00+01:00')], 'met', '2024-03-04T13:30:00.000Z'],
    ['sent 1 ms before the due instant', [notice('2024-03-05T08:29:59.999+01:00')], 'met', '2024-03-05T07:29:59.999Z'],
    ['sent exactly 24 hours after', [notice('2024-03-05T08:30:00+01:00')], 'breached', '2024-03-05T07:30:00.000Z'],
    ['sent after 25 hours', [notice('2024-03-05T09:30:00+01:00')], 'breached', '2024-03-05T08:30:00.000Z'],
    ['not sent, time not yet due', [tick('2024-03-05T08:00:00+01:00')], 'pending', null],
    ['not sent, deadline passed', [tick('2024-03-05T08:30:00+01:00')], 'breached', null],
    ['not sent, discharged within the 24 hours without a period', [utskrevet('2024-03-04T18:00:00+01:00')], 'not-applicable', null],
  ])('%s → %s', (_name, events, status, metAt) => {
    const { state } = run([admitted(), ...events]);
    const d = deadlineOf(state, 'section-8-notice');
    expect(d.due).toBe('2024-03-05T07:30:00.000Z');
    expect(d.status).toBe(status);
    expect(d.breached).toBe(status === 'breached');
    expect(d.metAt).toBe(metAt);
  });

  it('is unknown while the admission time is unknown', () => {
    const { state } = run([innleggelsesrapport('2024-03-04T10:00:00+01:00')]);
    expect(deadlineOf(state, 'section-8-notice')).toEqual(expect.objectContaining({ status: 'unknown', due: null }));
  });

  it('takes the admission time from the notice when there is no LOG_INNLAGT', () => {
    const { state } = run([notice('2024-03-04T15:00:00+01:00', { admittedAt: ADMIT })]);
    expect(deadlineOf(state, 'section-8-notice')).toEqual(expect.objectContaining({ status: 'met', due: '2024-03-05T07:30:00.000Z' }));
  });

  it('counts 24 real hours across the spring change', () => {
    const { state } = run([innlagt('2024-03-30T12:00:00+01:00')]);
    // 24 hours later it is 13:00 local (+02:00).
    expect(deadlineOf(state, 'section-8-notice').due).toBe('2024-03-31T11:00:00.000Z');
  });

  it('follows policy.noticeWithinHours', () => {
    const { state } = run([admitted(), notice('2024-03-05T09:30:00+01:00')], { noticeWithinHours: 48 });
    expect(deadlineOf(state, 'section-8-notice').status).toBe('met');
  });

  it('raises one alarm when breached, and a schedule request while pending', () => {
    const { effects } = run([admitted(), tick('2024-03-05T00:00:00+01:00'), tick('2024-03-05T08:30:00+01:00'), tick('2024-03-06T00:00:00+01:00')]);
    expect(effects.filter((e) => e.type === 'schedule-deadline')).toEqual([
      { type: 'schedule-deadline', id: 'section-8-notice', rule: 'section-8-notice', period: null, due: '2024-03-05T07:30:00.000Z' },
    ]);
    expect(effects.filter((e): e is AlarmEffect => e.type === 'alarm')).toEqual([
      { type: 'alarm', id: 'section-8-notice', rule: 'section-8-notice', party: 'hospital', period: null, due: '2024-03-05T07:30:00.000Z', metAt: null },
    ]);
    // A late notice does not raise it again.
    const late = run([admitted(), tick('2024-03-05T08:30:00+01:00'), notice('2024-03-05T10:00:00+01:00')]);
    expect(late.effects.filter((e) => e.type === 'alarm')).toHaveLength(1);
  });
});

describe('§ 10: LOG_UTSKRIVNINGSKLAR the same calendar day as declared', () => {
  it.each([
    ['same day, an hour later', '2024-03-08T10:00:00+01:00', '2024-03-08T11:00:00+01:00', {}, 'met', '2024-03-08T23:00:00.000Z'],
    ['23:59:59 the same day', '2024-03-08T10:00:00+01:00', '2024-03-08T23:59:59+01:00', {}, 'met', '2024-03-08T23:00:00.000Z'],
    ['00:00 the next day', '2024-03-08T10:00:00+01:00', '2024-03-09T00:00:00+01:00', {}, 'breached', '2024-03-08T23:00:00.000Z'],
    ['the next day with notifyExtraDays 1', '2024-03-08T10:00:00+01:00', '2024-03-09T10:00:00+01:00', { notifyExtraDays: 1 }, 'met', '2024-03-09T23:00:00.000Z'],
    // DST: the day of the spring change has 23 hours; the day of the autumn change 25.
    ['declared before the spring change, sent 23:30 +02:00', '2024-03-31T01:30:00+01:00', '2024-03-31T23:30:00+02:00', {}, 'met', '2024-03-31T22:00:00.000Z'],
    ['declared before the autumn change, sent 23:30 +01:00', '2024-10-27T01:30:00+02:00', '2024-10-27T23:30:00+01:00', {}, 'met', '2024-10-27T23:00:00.000Z'],
    ['autumn change, sent 00:10 the next day', '2024-10-27T01:30:00+02:00', '2024-10-28T00:10:00+01:00', {}, 'breached', '2024-10-27T23:00:00.000Z'],
  ])('%s → %s', (_name, declaredAt, at, policy, status, due) => {
    const { state } = run([innlagt('2024-03-01T09:00:00+01:00'), utskrivningsklar(at, { declaredAt })], policy);
    expect(deadlineOf(state, 'section-10-notify:1')).toEqual(expect.objectContaining({ status, due, metAt: new Date(at).toISOString() }));
  });

  it('a decision opens the deadline and a task before the message exists', () => {
    const base = [...admittedWithNotice()];
    const decision = { type: 'decision' as const, id: 'd1', at: '2024-03-08T10:00:00+01:00', decision: 'declare-utskrivningsklar' as const };
    const r1 = run([...base, decision]);
    expect(deadlineOf(r1.state, 'section-10-notify:decision:d1')).toEqual(
      expect.objectContaining({ status: 'pending', due: '2024-03-08T23:00:00.000Z', party: 'hospital' }),
    );
    expect(r1.effects).toContainEqual(expect.objectContaining({ type: 'task', action: 'open', task: 'send-utskrivningsklar' }));
    // The day ends without the message: alarm.
    const r2 = transition(r1.state, tick('2024-03-09T00:00:00+01:00'));
    expect(r2.effects).toContainEqual(expect.objectContaining({ type: 'alarm', id: 'section-10-notify:decision:d1' }));
    // The message comes the next day: task closed, the period's § 10 deadline breached.
    const r3 = transition(r2.state, utskrivningsklar('2024-03-09T09:00:00+01:00', { declaredAt: '2024-03-08T10:00:00+01:00' }));
    expect(r3.effects).toContainEqual(expect.objectContaining({ type: 'task', action: 'close', task: 'send-utskrivningsklar' }));
    expect(deadlineOf(r3.state, 'section-10-notify:1').status).toBe('breached');
    expect(r3.state.derived.deadlines.some((d) => d.id === 'section-10-notify:decision:d1')).toBe(false);
  });
});

describe('§ 11: the municipality answers by the end of the day', () => {
  const start = () => [...admittedWithNotice(), utskrivningsklar('2024-03-08T11:00:00+01:00', { declaredAt: '2024-03-08T10:00:00+01:00' })];
  it.each([
    ['answer the same day', [answer('2024-03-08T13:00:00+01:00', 'cannot-receive')], {}, 'met'],
    ['answer the next morning', [answer('2024-03-09T08:00:00+01:00', 'cannot-receive')], {}, 'breached'],
    ['answer the next morning, extraDays 1', [answer('2024-03-09T08:00:00+01:00', 'cannot-receive')], { answerDeadline: { extraDays: 1 } }, 'met'],
    ['no answer, day not over', [tick('2024-03-08T23:00:00+01:00')], {}, 'pending'],
    ['no answer, day over', [tick('2024-03-09T00:00:00+01:00')], {}, 'breached'],
    ['avmelding before any answer, same day', [avmelding('2024-03-08T15:00:00+01:00')], {}, 'not-applicable'],
    ['discharged before any answer, same day', [utskrevet('2024-03-08T15:00:00+01:00')], {}, 'not-applicable'],
  ])('%s → %s', (_name, events, policy, status) => {
    const { state } = run([...start(), ...events], policy);
    expect(deadlineOf(state, 'section-11-answer:1').status).toBe(status);
  });

  it('is anchored on the day the notice was sent, or on D with anchor declared-day', () => {
    const late = [...admittedWithNotice(), utskrivningsklar('2024-03-09T09:00:00+01:00', { declaredAt: '2024-03-08T10:00:00+01:00' })];
    expect(deadlineOf(run(late).state, 'section-11-answer:1').due).toBe('2024-03-09T23:00:00.000Z');
    expect(deadlineOf(run(late, { answerDeadline: { anchor: 'declared-day' } }).state, 'section-11-answer:1').due).toBe('2024-03-08T23:00:00.000Z');
  });

  it('opens and closes the municipality task', () => {
    const r = run([...start(), answer('2024-03-08T13:00:00+01:00', 'cannot-receive', { date: '2024-03-11' })]);
    expect(r.effects).toContainEqual(
      expect.objectContaining({ type: 'task', action: 'open', task: 'answer-utskrivningsklar', party: 'municipality', due: '2024-03-08T23:00:00.000Z' }),
    );
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'task', action: 'close', task: 'answer-utskrivningsklar' }));
    expect(r.state.derived.tasks).toEqual([
      { id: 'report-offer-ready:1', task: 'report-offer-ready', party: 'municipality', period: 1, due: null, expectedDate: '2024-03-11' },
    ]);
  });
});

describe('Utskrivningsrapport by the end of the discharge day', () => {
  const discharged = () => [...admittedWithNotice(), utskrevet('2024-03-11T14:00:00+01:00', { dischargedAt: '2024-03-11T13:00:00+01:00' })];
  it.each([
    ['the same evening', [rapport('2024-03-11T22:00:00+01:00')], 'met'],
    ['before LOG_UTSKREVET, same day', [rapport('2024-03-11T12:00:00+01:00')], 'met'],
    ['the next day', [rapport('2024-03-12T08:00:00+01:00')], 'breached'],
    ['missing, day over', [tick('2024-03-12T00:00:00+01:00')], 'breached'],
    ['missing, day not over', [], 'pending'],
  ])('%s → %s', (_name, events, status) => {
    const { state } = run([...discharged(), ...events]);
    expect(deadlineOf(state, 'utskrivningsrapport')).toEqual(expect.objectContaining({ status, due: '2024-03-11T23:00:00.000Z' }));
  });

  it('is not required after death', () => {
    const { state } = run([...admittedWithNotice(), dod('2024-03-11T14:00:00+01:00')]);
    expect(state.derived.deadlines.map((d) => d.rule)).toEqual(['section-8-notice']);
  });

  it('opens the hospital task and closes it with the report', () => {
    const { effects } = run([...discharged(), rapport('2024-03-11T22:00:00+01:00')]);
    const tasks = effects.filter((e) => e.type === 'task');
    expect(tasks).toEqual([
      expect.objectContaining({ action: 'open', task: 'send-utskrivningsrapport', party: 'hospital' }),
      expect.objectContaining({ action: 'close', task: 'send-utskrivningsrapport' }),
    ]);
  });
});
