import { makeIssue } from '../issues';
import type { Issue } from '../issues';
import { childNamed, textOf } from '../locate';
import type { Rule } from './context';
import { headerElement } from './msghead-paths';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

const osloFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Oslo',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function osloOffsetMs(instant: number): number {
  const parts: Record<string, number> = {};
  for (const p of osloFormat.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts['year'] ?? 0, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * Parses an xs:dateTime to epoch milliseconds. A value without a time zone is read as Norwegian
 * local time (Europe/Oslo), as Norwegian systems commonly send it. Undefined when not a dateTime.
 */
export function parseDateTime(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const fraction = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), fraction);
  if (Number.isNaN(local)) return undefined;
  if (zone === 'Z') return local;
  if (zone !== undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    return local - sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  let guess = local - osloOffsetMs(local);
  const second = local - osloOffsetMs(guess);
  if (second !== guess) guess = second;
  return guess;
}

/** GenDate must not lie in the future beyond the clock skew, and should not be implausibly old. */
export const genDateRule: Rule = (ctx) => {
  const issues: Issue[] = [];
  const element = childNamed(headerElement(ctx), 'GenDate');
  const value = textOf(element);
  if (element === undefined || value === undefined) return issues;
  const instant = parseDateTime(value);
  if (instant === undefined) return issues; // not a dateTime: the XSD reports it
  // The path is looked up only for an issue (it indexes the whole tree).
  const location = (): { line: number | undefined; xpath: string | undefined } => ({ line: element.line, xpath: ctx.locator.pathOf(element) });
  const now = ctx.now.getTime();
  if (instant > now + ctx.clockSkewMs) {
    issues.push(makeIssue('ERR_SCHEMA_GENDATE_FUTURE', `GenDate ${value} lies in the future (now ${ctx.now.toISOString()})`, location()));
  } else if (now - instant > ctx.maxMessageAgeMs) {
    issues.push(makeIssue('ERR_SCHEMA_GENDATE_TOO_OLD', `GenDate ${value} is older than the plausible maximum age`, location()));
  }
  return issues;
};
