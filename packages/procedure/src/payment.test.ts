import type { MessageEvent, StayEvent } from './events';
import type { PolicyInput } from './policy';
import { admittedWithNotice, answer, avmelding, dod, innlagt, notice, run, tick, utskrevet, utskrivningsklar } from '../test/helpers';

const D = '2024-03-08';
const declared = (day = D, at = '11:00', declaredTime = '10:00'): MessageEvent =>
  utskrivningsklar(`${day}T${at}:00+01:00`, { declaredAt: `${day}T${declaredTime}:00+01:00` });

interface Case {
  readonly name: string;
  readonly events: () => StayEvent[];
  readonly policy?: PolicyInput;
  readonly days: string[];
  readonly amount: number | null;
}

const CASES: Case[] = [
  {
    name: 'the issue example: cannot-receive, offer ready D+3',
    events: () => [
      ...admittedWithNotice(),
      declared(),
      answer('2024-03-08T13:00:00+01:00', 'cannot-receive', { date: '2024-03-11' }),
      answer('2024-03-11T09:00:00+01:00', 'offer-ready'),
      utskrevet('2024-03-11T14:00:00+01:00', { dischargedAt: '2024-03-11T13:00:00+01:00' }),
    ],
    days: ['2024-03-08', '2024-03-09', '2024-03-10'],
    amount: 17235,
  },
  {
    name: 'no answer at all, discharged D+4',
    events: () => [...admittedWithNotice(), declared(), utskrevet('2024-03-12T12:00:00+01:00')],
    days: ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11'],
    amount: 4 * 5745,
  },
  {
    name: 'can-receive on D: nothing payable',
    events: () => [...admittedWithNotice(), declared(), answer('2024-03-08T20:00:00+01:00', 'can-receive'), utskrevet('2024-03-10T12:00:00+01:00')],
    days: [],
    amount: 0,
  },
  {
    name: 'can-receive only on D+2 (no answer before): D and D+1',
    events: () => [...admittedWithNotice(), declared(), answer('2024-03-10T09:00:00+01:00', 'can-receive')],
    days: ['2024-03-08', '2024-03-09'],
    amount: 2 * 5745,
  },
  {
    name: 'offer-ready on D: nothing payable',
    events: () => [...admittedWithNotice(), declared(), answer('2024-03-08T20:00:00+01:00', 'offer-ready')],
    days: [],
    amount: 0,
  },
  {
    name: '§ 8 breached (notice after 25 hours): nothing payable',
    events: () => [innlagt('2024-03-04T08:30:00+01:00'), notice('2024-03-05T09:30:00+01:00'), declared(), utskrevet('2024-03-12T12:00:00+01:00')],
    days: [],
    amount: 0,
  },
  {
    name: '§ 8 never met: nothing payable',
    events: () => [innlagt('2024-03-04T08:30:00+01:00'), declared(), utskrevet('2024-03-12T12:00:00+01:00')],
    days: [],
    amount: 0,
  },
  {
    name: '§ 10 breached (notified the next day): nothing payable',
    events: () => [...admittedWithNotice(), utskrivningsklar('2024-03-09T08:00:00+01:00', { declaredAt: '2024-03-08T10:00:00+01:00' }), utskrevet('2024-03-12T12:00:00+01:00')],
    days: [],
    amount: 0,
  },
  {
    name: 'paymentStart day-after',
    events: () => [...admittedWithNotice(), declared(), utskrevet('2024-03-11T12:00:00+01:00')],
    policy: { paymentStart: 'day-after' },
    days: ['2024-03-09', '2024-03-10'],
    amount: 2 * 5745,
  },
  {
    name: 'paymentEndDayCounts',
    events: () => [...admittedWithNotice(), declared(), utskrevet('2024-03-11T12:00:00+01:00')],
    policy: { paymentEndDayCounts: true },
    days: ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11'],
    amount: 4 * 5745,
  },
  {
    name: 'avmelding stops payment; a new period pays again',
    events: () => [
      ...admittedWithNotice(),
      declared(),
      answer('2024-03-08T13:00:00+01:00', 'cannot-receive'),
      avmelding('2024-03-10T08:00:00+01:00'),
      declared('2024-03-14'),
      utskrevet('2024-03-16T12:00:00+01:00'),
    ],
    days: ['2024-03-08', '2024-03-09', '2024-03-14', '2024-03-15'],
    amount: 4 * 5745,
  },
  {
    name: 'a day shared by two periods (end day counts, new period declared the same day) is paid once',
    events: () => [
      ...admittedWithNotice(),
      declared(),
      avmelding('2024-03-09T08:00:00+01:00'),
      declared('2024-03-09', '12:00', '11:00'),
      utskrevet('2024-03-10T12:00:00+01:00'),
    ],
    policy: { paymentEndDayCounts: true },
    days: ['2024-03-08', '2024-03-09', '2024-03-10'],
    amount: 3 * 5745,
  },
  {
    name: 'death stops payment',
    events: () => [...admittedWithNotice(), declared(), dod('2024-03-09T18:00:00+01:00')],
    days: ['2024-03-08'],
    amount: 5745,
  },
  {
    name: 'an open period accrues up to the latest known day',
    events: () => [...admittedWithNotice(), declared(), answer('2024-03-08T13:00:00+01:00', 'cannot-receive'), tick('2024-03-10T00:00:00+01:00')],
    days: ['2024-03-08', '2024-03-09', '2024-03-10'],
    amount: 3 * 5745,
  },
  {
    name: 'across the spring DST change',
    events: () => [
      innlagt('2024-03-28T08:00:00+01:00'),
      notice('2024-03-28T12:00:00+01:00'),
      utskrivningsklar('2024-03-30T23:30:00+01:00', { declaredAt: '2024-03-30T22:00:00+01:00' }),
      utskrevet('2024-04-02T00:30:00+02:00'),
    ],
    days: ['2024-03-30', '2024-03-31', '2024-04-01'],
    amount: 3 * 5745,
  },
  {
    name: 'across the autumn DST change, discharged 00:30 local',
    events: () => [
      innlagt('2024-10-24T08:00:00+02:00'),
      notice('2024-10-24T12:00:00+02:00'),
      utskrivningsklar('2024-10-26T10:00:00+02:00'),
      utskrevet('2024-10-28T00:30:00+01:00'),
    ],
    days: ['2024-10-26', '2024-10-27'],
    amount: 2 * 5745,
  },
  {
    name: 'across a year boundary: each day at its year’s rate',
    events: () => [
      innlagt('2023-12-28T08:00:00+01:00'),
      notice('2023-12-28T12:00:00+01:00'),
      utskrivningsklar('2023-12-30T10:00:00+01:00'),
      utskrevet('2024-01-02T10:00:00+01:00'),
    ],
    days: ['2023-12-30', '2023-12-31', '2024-01-01'],
    amount: 2 * 5508 + 5745,
  },
  {
    name: 'a configured later year',
    events: () => [innlagt('2025-01-10T08:00:00+01:00'), notice('2025-01-10T12:00:00+01:00'), utskrivningsklar('2025-01-12T10:00:00+01:00'), utskrevet('2025-01-14T10:00:00+01:00')],
    policy: { dailyRatesNOK: { '2025': 5900 } },
    days: ['2025-01-12', '2025-01-13'],
    amount: 11800,
  },
  {
    name: 'a year without a rate: amount null, never guessed',
    events: () => [innlagt('2025-01-10T08:00:00+01:00'), notice('2025-01-10T12:00:00+01:00'), utskrivningsklar('2025-01-12T10:00:00+01:00'), utskrevet('2025-01-14T10:00:00+01:00')],
    days: ['2025-01-12', '2025-01-13'],
    amount: null,
  },
];

describe('payment days (§ 13)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { state } = run(c.events(), c.policy);
    expect(state.derived.paymentDays).toEqual(c.days);
    expect(state.derived.amountNOK).toBe(c.amount);
    for (const p of state.derived.periods) for (const day of p.paymentDays) expect(day >= p.declaredDay).toBe(true);
  });

  it('reports the missing year as an issue and a notification', () => {
    const c = CASES.at(-1) as Case;
    const { state, effects } = run(c.events());
    expect(state.derived.missingRateYears).toEqual(['2025']);
    expect(state.derived.periods[0]).toEqual(expect.objectContaining({ amountNOK: null, missingRateYears: ['2025'] }));
    expect(state.derived.issues).toContainEqual(expect.objectContaining({ code: 'rate-missing' }));
    expect(effects).toContainEqual({ type: 'notification', notification: 'rate-missing', years: ['2025'] });
  });

  it('has the daily rates 2014-2024 by default', () => {
    const { state } = run([]);
    expect(state.policy.dailyRatesNOK).toEqual({
      '2014': 4255, '2015': 4387, '2016': 4505, '2017': 4622, '2018': 4747, '2019': 4885,
      '2020': 5036, '2021': 5167, '2022': 5306, '2023': 5508, '2024': 5745,
    });
  });

  it('explains why a period is not payable', () => {
    const { state } = run([...admittedWithNotice(), declared(), answer('2024-03-08T20:00:00+01:00', 'can-receive')]);
    expect(state.derived.periods[0]).toEqual(
      expect.objectContaining({ payable: false, conditions: { section8: 'met', section10: 'met', canReceiveInTime: true }, endReason: 'can-receive' }),
    );
  });
});
