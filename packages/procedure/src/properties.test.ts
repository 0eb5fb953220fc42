import fc from 'fast-check';
import type { MessageEvent, StayEvent } from './events';
import { isTerminalPhase } from './definition';
import { migrateState, transition } from './state';
import { run } from '../test/helpers';

type Kind = 'INNLEGGELSESRAPPORT' | 'NOTICE' | 'UPDATE' | 'UK' | 'ANSWER' | 'AVMELDING' | 'DIALOG' | 'TICK' | 'RAPPORT' | 'CANCEL' | 'REPLACE';
const KINDS: readonly Kind[] = ['INNLEGGELSESRAPPORT', 'NOTICE', 'UPDATE', 'UK', 'UK', 'ANSWER', 'ANSWER', 'ANSWER', 'AVMELDING', 'DIALOG', 'TICK', 'RAPPORT', 'CANCEL', 'REPLACE'];
const ANSWERS = ['can-receive', 'cannot-receive', 'offer-ready'] as const;
const MIN = 60_000;

const stepArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  // 0 gives equal timestamps (ties broken by id); up to three days.
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * 24 * 60 })),
  pick: fc.nat(),
  // Declared shortly before the notice (usually the same day), sometimes a day or more before.
  lag: fc.oneof(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 30 * 60 })),
});

const storyArb = fc.record({
  // 2014-01-01 .. 2024-12-20 (years with a default rate), any minute of the day.
  start: fc.integer({ min: Date.parse('2014-01-01T00:00:00Z') / MIN, max: Date.parse('2024-12-20T00:00:00Z') / MIN }).map((m) => m * MIN),
  withInnlagt: fc.boolean(),
  /** Minutes after admission of an early § 8 notice, or none. */
  earlyNotice: fc.option(fc.integer({ min: 0, max: 30 * 60 }), { freq: 2 }),
  steps: fc.array(stepArb, { maxLength: 14 }),
  end: fc.constantFrom('UTSKREVET', 'DOD', 'NONE'),
  endGap: fc.integer({ min: 0, max: 2 * 24 * 60 }),
  reportAfter: fc.boolean(),
});

type Story = typeof storyArb extends fc.Arbitrary<infer T> ? T : never;
const iso = (ms: number): string => new Date(ms).toISOString();

/** A chronological, well-formed event list (messages may still be out of place for the protocol). */
function build(story: Story): StayEvent[] {
  const events: StayEvent[] = [];
  const messages: MessageEvent[] = [];
  let t = story.start;
  let n = 0;
  const add = (m: Omit<MessageEvent, 'id' | 'at'>, at = t): void => {
    n += 1;
    const msg = { id: `m${String(n).padStart(3, '0')}`, at: iso(at), ...m } as MessageEvent;
    messages.push(msg);
    events.push(msg);
  };
  if (story.withInnlagt) add({ type: 'LOG_INNLAGT', from: 'hospital', admittedAt: iso(t - 30 * MIN) });
  if (story.earlyNotice !== null) {
    t += story.earlyNotice * MIN;
    add({ type: 'HELSEOPPL_SOKNAD', from: 'hospital', subtype: 1, admittedAt: iso(story.start - 30 * MIN) });
  }
  for (const s of story.steps) {
    t += s.gap * MIN;
    switch (s.kind) {
      case 'INNLEGGELSESRAPPORT':
        add({ type: 'INNLEGGELSESRAPPORT', from: 'municipality' });
        break;
      case 'NOTICE':
        add({ type: 'HELSEOPPL_SOKNAD', from: 'hospital', subtype: 1, admittedAt: iso(story.start - 30 * MIN) });
        break;
      case 'UPDATE':
        add({ type: 'HELSEOPPL_SOKNAD', from: 'hospital', subtype: 2 });
        break;
      case 'UK':
        add({ type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', declaredAt: iso(t - s.lag * MIN) });
        break;
      case 'ANSWER': {
        const answer = ANSWERS[s.pick % 3] as (typeof ANSWERS)[number];
        add({ type: 'DIALOG_SVAR', from: 'municipality', answer, ...(answer === 'cannot-receive' && s.pick % 2 === 0 ? { date: iso(t + 2 * 86_400_000).slice(0, 10) } : {}) });
        break;
      }
      case 'AVMELDING':
        add({ type: 'LOG_AVMELDING', from: 'hospital' });
        break;
      case 'DIALOG':
        add({ type: 'DIALOG_FORESPORSEL', from: s.pick % 2 === 0 ? 'hospital' : 'municipality' });
        break;
      case 'TICK':
        events.push({ type: 'deadline-passed', at: iso(t) });
        break;
      case 'RAPPORT':
        add({ type: 'UTSKRIVNINGSRAPPORT', from: 'hospital' });
        break;
      case 'CANCEL': {
        const target = messages[s.pick % Math.max(1, messages.length)];
        if (target !== undefined && target.status === undefined) add({ type: target.type, from: target.from, status: 'C', refersTo: target.id });
        break;
      }
      case 'REPLACE': {
        const answers = messages.filter((m) => m.type === 'DIALOG_SVAR');
        const target = answers[s.pick % Math.max(1, answers.length)];
        if (target !== undefined) add({ type: 'DIALOG_SVAR', from: 'municipality', answer: ANSWERS[(s.pick >> 2) % 3] as (typeof ANSWERS)[number], status: s.pick % 2 === 0 ? 'O' : 'M', refersTo: target.id });
        break;
      }
    }
  }
  t += story.endGap * MIN;
  if (story.end === 'UTSKREVET') add({ type: 'LOG_UTSKREVET', from: 'hospital', dischargedAt: iso(t) });
  if (story.end === 'DOD') add({ type: 'LOG_DOD', from: 'hospital' });
  if (story.reportAfter) add({ type: 'UTSKRIVNINGSRAPPORT', from: 'hospital' }, t + 60 * MIN);
  return events;
}

/** Same instant, another offset notation. */
function withOffset(at: string, minutes: number): string {
  const local = new Date(Date.parse(at) + minutes * MIN).toISOString().slice(0, 23);
  const sign = minutes >= 0 ? '+' : '-';
  const h = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
  const m = String(Math.abs(minutes) % 60).padStart(2, '0');
  return `${local}${sign}${h}:${m}`;
}

/** One party's copy: direction from its point of view, its own offset notation, its receipt times. */
function copyFor(events: readonly StayEvent[], party: 'hospital' | 'municipality'): StayEvent[] {
  return events.map((e) => {
    if (e.type === 'deadline-passed' || e.type === 'decision') return e;
    const sent = e.from === party;
    return {
      ...e,
      at: party === 'hospital' ? withOffset(e.at, 60) : e.at,
      direction: sent ? 'sent' : 'received',
      ...(sent ? {} : { receivedAt: withOffset(new Date(Date.parse(e.at) + 5 * MIN).toISOString(), 120) }),
    };
  });
}

const storyWithOrder = storyArb.chain((story) => {
  const events = build(story);
  return fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }));
});

describe('properties over random event sequences', () => {
  it('any arrival order gives the same state', () => {
    fc.assert(
      fc.property(storyWithOrder, ([events, shuffled]) => {
        expect(run(shuffled).state).toEqual(run(events).state);
      }),
      { numRuns: 150 },
    );
  });

  it("the municipality's and the hospital's copies give the same state", () => {
    fc.assert(
      fc.property(storyWithOrder, ([events, shuffled]) => {
        const hospital = run(copyFor(events, 'hospital')).state;
        const municipality = run(copyFor(shuffled, 'municipality')).state;
        expect(municipality).toEqual(hospital);
      }),
      { numRuns: 100 },
    );
  });

  it('duplicates are idempotent', () => {
    fc.assert(
      fc.property(storyArb, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }), (story, dups) => {
        const events = build(story);
        const withDups = [...events];
        for (const [from, to] of dups) {
          if (events.length === 0) break;
          withDups.splice(to % (withDups.length + 1), 0, events[from % events.length] as StayEvent);
        }
        const { state } = run(events);
        expect(run(withDups).state).toEqual(state);
        for (const e of events) {
          const again = transition(state, e);
          if (e.type !== 'deadline-passed') expect(again.state).toBe(state);
          expect(again.effects).toEqual([]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('no payment day before its D, days sorted and unique, amounts consistent', () => {
    fc.assert(
      fc.property(storyArb, fc.constantFrom('declared-day' as const, 'day-after' as const), fc.boolean(), (story, paymentStart, paymentEndDayCounts) => {
        const { state } = run(build(story), { paymentStart, paymentEndDayCounts });
        for (const p of state.derived.periods) {
          for (const day of p.paymentDays) expect(day >= p.declaredDay).toBe(true);
          if (paymentStart === 'day-after') expect(p.paymentDays).not.toContain(p.declaredDay);
          if (!p.payable) expect(p.paymentDays).toEqual([]);
          if (p.amountNOK !== null) expect(p.amountNOK).toBeGreaterThanOrEqual(p.paymentDays.length * 4255);
        }
        const all = state.derived.paymentDays;
        expect([...new Set(all)].sort()).toEqual(all);
        expect(all.length).toBe(state.derived.periods.reduce((s, p) => s + p.paymentDays.length, 0));
      }),
      { numRuns: 150 },
    );
  });

  it('no transition out of a terminal state, in the fold or over arrivals in any order', () => {
    fc.assert(
      fc.property(storyWithOrder, ([, shuffled]) => {
        let { state } = run([]);
        let terminalSeen: string | null = null;
        for (const e of shuffled) {
          state = transition(state, e).state;
          if (terminalSeen !== null) expect(state.derived.phase).toBe(terminalSeen);
          else if (isTerminalPhase(state.derived.phase)) terminalSeen = state.derived.phase;
        }
        let inTerminal: string | null = null;
        for (const step of state.derived.steps) {
          if (inTerminal !== null) expect([step.from, step.to]).toEqual([inTerminal, inTerminal]);
          else if (isTerminalPhase(step.to)) inTerminal = step.to;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a persisted snapshot restores to the same state and continues the same way', () => {
    fc.assert(
      fc.property(storyArb, fc.nat(), (story, cut) => {
        const events = build(story);
        const k = events.length === 0 ? 0 : cut % events.length;
        const head = run(events.slice(0, k)).state;
        const restored = migrateState(JSON.parse(JSON.stringify(head)));
        expect(restored).toEqual(head);
        let a = head;
        let b = restored;
        for (const e of events.slice(k)) {
          const ra = transition(a, e);
          const rb = transition(b, e);
          expect(rb.effects).toEqual(ra.effects);
          a = ra.state;
          b = rb.state;
        }
        expect(b).toEqual(a);
      }),
      { numRuns: 80 },
    );
  });
});
