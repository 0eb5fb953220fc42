/**
 * Calendar arithmetic in a named time zone (Europe/Oslo by default), without any dependency:
 * `Intl.DateTimeFormat` gives the local wall clock of an instant; local midnight is found by
 * trying the zone's offsets around the day, so daylight-saving changes (23- and 25-hour days)
 * and zones that skip midnight are handled. Calendar dates are `YYYY-MM-DD` strings; instants
 * are epoch milliseconds.
 */

const DAY_MS = 86_400_000;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(instant: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year'] ?? NaN,
    month: parts['month'] ?? NaN,
    day: parts['day'] ?? NaN,
    hour: parts['hour'] ?? NaN,
    minute: parts['minute'] ?? NaN,
    second: parts['second'] ?? NaN,
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The local calendar date (`YYYY-MM-DD`) of `instant` (epoch ms) in `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (local = UTC + offset). */
export function zoneOffset(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const w = wallClock(whole, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

function dateParts(date: string): [number, number, number] {
  const m = DATE_TEXT.exec(date);
  if (m === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** True when `date` is a real calendar date written `YYYY-MM-DD` (years 1000-9999). */
export function isCalendarDate(date: string): boolean {
  const m = DATE_TEXT.exec(date);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** `date` moved by `days` calendar days (negative moves back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = dateParts(date);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first instant (epoch ms) of the local calendar day `date` in `timeZone`: local midnight, or
 * when a zone skips midnight that day, the instant the day begins. Correct on daylight-saving days.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = dateParts(date);
  const wall = Date.UTC(y, m - 1, d);
  // The zone's offsets in force around this day (at most two differ within a few days).
  const offsets = new Set([zoneOffset(wall - 2 * DAY_MS, timeZone), zoneOffset(wall, timeZone), zoneOffset(wall + 2 * DAY_MS, timeZone)]);
  let best: number | undefined;
  for (const offset of offsets) {
    const candidate = wall - offset;
    if (localDate(candidate, timeZone) === date && (best === undefined || candidate < best)) best = candidate;
  }
  if (best === undefined) {
    // Not reachable for real zones; fall back to scanning by the hour for the day's first instant.
    let t = wall - 14 * 3_600_000;
    while (localDate(t, timeZone) < date) t += 60_000;
    best = t;
  }
  // A skipped midnight: step back while the previous minute is still the same date.
  while (localDate(best - 60_000, timeZone) === date) best -= 60_000;
  return best;
}

/** The first instant after the local calendar day `date` (= start of the next day). */
export function endOfLocalDay(date: string, timeZone: string): number {
  return startOfLocalDay(addDays(date, 1), timeZone);
}

/** Calendar days from `from` (inclusive) to `to` (exclusive), in order; empty when `to <= from`. */
export function daysFromTo(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day < to; day = addDays(day, 1)) out.push(day);
  return out;
}

const INSTANT_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO 8601 date-time WITH an explicit offset (`Z` or `±hh:mm`) into epoch ms, or `null`
 * when it is not one or names an impossible date or time. Local times without an offset are
 * refused: they are ambiguous on daylight-saving days.
 */
export function parseInstant(text: string): number | null {
  const m = INSTANT_TEXT.exec(text);
  if (m === null) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (!isCalendarDate(date)) return null;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const zone = m[8] ?? 'Z';
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
  }
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** `instant` (epoch ms) as canonical ISO 8601 UTC text, e.g. `2024-03-08T10:00:00.000Z`. */
export function formatInstant(instant: number): string {
  return new Date(instant).toISOString();
}
