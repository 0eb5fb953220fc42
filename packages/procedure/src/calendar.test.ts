import fc from 'fast-check';
import { addDays, daysFromTo, endOfLocalDay, isCalendarDate, localDate, parseInstant, startOfLocalDay, zoneOffset } from './calendar';

const OSLO = 'Europe/Oslo';
const iso = (ms: number): string => new Date(ms).toISOString();

describe('calendar in Europe/Oslo', () => {
  it.each([
    // [date, start (UTC), end (UTC), hours in the day]
    ['2024-03-30', '2024-03-29T23:00:00.000Z', '2024-03-30T23:00:00.000Z', 24],
    ['2024-03-31', '2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z', 23], // spring forward 02:00 → 03:00
    ['2024-04-01', '2024-03-31T22:00:00.000Z', '2024-04-01T22:00:00.000Z', 24],
    ['2024-10-27', '2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z', 25], // fall back 03:00 → 02:00
    ['2024-10-28', '2024-10-27T23:00:00.000Z', '2024-10-28T23:00:00.000Z', 24],
    ['2023-03-26', '2023-03-25T23:00:00.000Z', '2023-03-26T22:00:00.000Z', 23],
    ['2023-10-29', '2023-10-28T22:00:00.000Z', '2023-10-29T23:00:00.000Z', 25],
  ])('%s starts at %s and ends at %s (%d hours)', (date, start, end, hours) => {
    expect(iso(startOfLocalDay(date, OSLO))).toBe(start);
    expect(iso(endOfLocalDay(date, OSLO))).toBe(end);
    expect((endOfLocalDay(date, OSLO) - startOfLocalDay(date, OSLO)) / 3_600_000).toBe(hours);
  });

  it.each([
    ['2024-03-31T00:59:59.999Z', '2024-03-31'], // 01:59:59 +01:00
    ['2024-03-31T01:00:00.000Z', '2024-03-31'], // 03:00 +02:00
    ['2024-03-31T21:59:59.999Z', '2024-03-31'], // 23:59:59 +02:00
    ['2024-03-31T22:00:00.000Z', '2024-04-01'],
    ['2024-10-27T00:30:00.000Z', '2024-10-27'], // 02:30 +02:00 (first)
    ['2024-10-27T01:30:00.000Z', '2024-10-27'], // 02:30 +01:00 (second)
    ['2024-10-27T22:59:59.999Z', '2024-10-27'], // 23:59:59 +01:00
    ['2024-10-27T23:00:00.000Z', '2024-10-28'],
    ['2024-12-31T23:00:00.000Z', '2025-01-01'],
  ])('local date of %s is %s', (instant, date) => {
    expect(localDate(Date.parse(instant), OSLO)).toBe(date);
  });

  it('knows the offsets on both sides of each change', () => {
    expect(zoneOffset(Date.parse('2024-03-31T00:59:00Z'), OSLO)).toBe(3_600_000);
    expect(zoneOffset(Date.parse('2024-03-31T01:00:00Z'), OSLO)).toBe(7_200_000);
    expect(zoneOffset(Date.parse('2024-10-27T00:59:00Z'), OSLO)).toBe(7_200_000);
    expect(zoneOffset(Date.parse('2024-10-27T01:00:00Z'), OSLO)).toBe(3_600_000);
  });

  it('finds the start of a day whose midnight does not exist (America/Santiago, 2024-09-08)', () => {
    // Chile moves 24:00 → 01:00 on 2024-09-08: the day starts at 01:00 local (-03:00) = 04:00Z.
    const start = startOfLocalDay('2024-09-08', 'America/Santiago');
    expect(iso(start)).toBe('2024-09-08T04:00:00.000Z');
    expect(localDate(start - 1, 'America/Santiago')).toBe('2024-09-07');
  });

  it('property: every instant lies inside its local day, and days tile the timeline', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2014-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') }), (t) => {
        const day = localDate(t, OSLO);
        const start = startOfLocalDay(day, OSLO);
        const end = endOfLocalDay(day, OSLO);
        expect(start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(end);
        expect(localDate(start, OSLO)).toBe(day);
        expect(localDate(start - 1, OSLO)).toBe(addDays(day, -1));
        expect([23, 24, 25]).toContain((end - start) / 3_600_000);
      }),
      { numRuns: 300 },
    );
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysFromTo('2024-03-30', '2024-04-02')).toEqual(['2024-03-30', '2024-03-31', '2024-04-01']);
    expect(daysFromTo('2024-03-08', '2024-03-08')).toEqual([]);
    expect(() => addDays('2024-3-1', 1)).toThrow(RangeError);
  });

  it('checks calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(isCalendarDate('2024-00-10')).toBe(false);
    expect(isCalendarDate('24-01-01')).toBe(false);
  });

  it('parses only date-times with an explicit offset and real fields', () => {
    expect(parseInstant('2024-03-08T10:00:00+01:00')).toBe(Date.parse('2024-03-08T09:00:00Z'));
    expect(parseInstant('2024-03-08T10:00Z')).toBe(Date.parse('2024-03-08T10:00:00Z'));
    expect(parseInstant('2024-03-08T10:00:00.123456Z')).toBe(Date.parse('2024-03-08T10:00:00.123Z'));
    for (const bad of ['2024-03-08T10:00:00', '2024-03-08', '2024-02-30T10:00:00Z', '2024-03-08T24:00:00Z', '2024-03-08T10:60:00Z', '2024-03-08 10:00:00Z', '2024-03-08T10:00:00+25:00', 'x']) {
      expect(parseInstant(bad)).toBeNull();
    }
  });
});
