import { TRANSITIONS } from './definition';
import type { StayPhase } from './definition';
import { ProcedureError } from './errors';
import type { MessageEvent, StayEvent } from './events';
import { createStay, transition } from './state';
import {
  answer,
  avmelding,
  dialog,
  dod,
  innlagt,
  innleggelsesrapport,
  notice,
  rapport,
  run,
  update,
  utskrevet,
  utskrivningsklar,
} from '../test/helpers';

const PHASES: readonly StayPhase[] = ['initial', 'admitted', 'utskrivningsklar', 'waiting', 'receivable', 'discharged', 'deceased'];

/** Events that bring a new stay into each state (all on 2024-03-04/05). */
function prefix(phase: StayPhase): MessageEvent[] {
  const admit = innlagt('2024-03-04T09:00:00+01:00');
  const uk = [admit, notice('2024-03-04T10:00:00+01:00'), utskrivningsklar('2024-03-05T10:00:00+01:00')];
  switch (phase) {
    case 'initial':
      return [];
    case 'admitted':
      return [admit];
    case 'utskrivningsklar':
      return uk;
    case 'waiting':
      return [...uk, answer('2024-03-05T11:00:00+01:00', 'cannot-receive')];
    case 'receivable':
      return [...uk, answer('2024-03-05T11:00:00+01:00', 'offer-ready')];
    case 'discharged':
      return [admit, utskrevet('2024-03-05T10:00:00+01:00')];
    case 'deceased':
      return [admit, dod('2024-03-05T10:00:00+01:00')];
  }
}

const AT = '2024-03-05T12:00:00+01:00';
/** One trigger per event variant (event name + guard). */
const TRIGGERS: Record<string, () => MessageEvent> = {
  LOG_INNLAGT: () => innlagt(AT),
  INNLEGGELSESRAPPORT: () => innleggelsesrapport(AT),
  'HELSEOPPL_SOKNAD [isNotice]': () => notice(AT),
  'HELSEOPPL_SOKNAD [isUpdate]': () => update(AT),
  LOG_UTSKRIVNINGSKLAR: () => utskrivningsklar(AT),
  'ANSWER [canReceive]': () => answer(AT, 'can-receive'),
  'ANSWER [offerReady]': () => answer(AT, 'offer-ready'),
  'ANSWER [cannotReceive]': () => answer(AT, 'cannot-receive', { date: '2024-03-09' }),
  LOG_AVMELDING: () => avmelding(AT),
  LOG_UTSKREVET: () => utskrevet(AT),
  LOG_DOD: () => dod(AT),
  UTSKRIVNINGSRAPPORT: () => rapport(AT),
  DIALOG: () => dialog(AT),
};

// Hand-written expectations, independent of the definition's table.
// Columns: initial, admitted, utskrivningsklar, waiting, receivable, discharged, deceased; '-' = ignored.
const I = 'initial', A = 'admitted', U = 'utskrivningsklar', W = 'waiting', R = 'receivable', D = 'discharged', X = 'deceased', _ = '-';
const EXPECTED: Record<string, readonly string[]> = {
  LOG_INNLAGT: [A, A, U, W, R, _, _],
  INNLEGGELSESRAPPORT: [A, A, U, W, R, _, _],
  'HELSEOPPL_SOKNAD [isNotice]': [A, A, U, W, R, _, _],
  'HELSEOPPL_SOKNAD [isUpdate]': [A, A, U, W, R, _, _],
  LOG_UTSKRIVNINGSKLAR: [U, U, _, _, _, _, _],
  'ANSWER [canReceive]': [_, _, R, R, R, _, _],
  'ANSWER [offerReady]': [_, _, R, R, R, _, _],
  'ANSWER [cannotReceive]': [_, _, W, W, R, _, _],
  LOG_AVMELDING: [_, _, A, A, A, _, _],
  LOG_UTSKREVET: [D, D, D, D, D, _, _],
  LOG_DOD: [X, X, X, X, X, _, _],
  UTSKRIVNINGSRAPPORT: [I, A, U, W, R, D, _],
  DIALOG: [I, A, U, W, R, D, X],
};

describe('transition table', () => {
  const cases = Object.entries(EXPECTED).flatMap(([variant, row]) => PHASES.map((phase, i) => [variant, phase, row[i] as string] as const));

  it.each(cases)('%s in state %s → %s', (variant, phase, expected) => {
    const { state: before } = run(prefix(phase));
    expect(before.derived.phase).toBe(phase);
    const trigger = (TRIGGERS[variant] as () => MessageEvent)();
    const { state } = transition(before, trigger);
    const lastIssue = state.derived.issues.at(-1);
    if (expected === '-') {
      expect(state.derived.phase).toBe(phase);
      expect(lastIssue).toEqual(expect.objectContaining({ code: 'ignored-event', messageId: trigger.id }));
      expect(state.derived.steps.some((s) => s.messageId === trigger.id)).toBe(false);
    } else {
      expect(state.derived.phase).toBe(expected);
      const step = state.derived.steps.at(-1);
      const [on, variantGuard] = variant.replace(']', '').split(' [');
      // In `receivable` every answer takes the one guardless row.
      const guard = phase === 'receivable' && on === 'ANSWER' ? undefined : variantGuard;
      expect(step).toEqual({ messageId: trigger.id, on, from: phase, to: expected, ...(guard === undefined ? {} : { guard }) });
    }
  });

  it('the table above covers every row of the definition and agrees with it', () => {
    for (const row of TRANSITIONS) {
      const variant = row.guard === undefined ? row.on : `${row.on} [${row.guard}]`;
      for (const from of row.from) {
        const key = variant in EXPECTED ? variant : `${row.on} [cannotReceive]`; // the guardless receivable row
        const col = PHASES.indexOf(from);
        expect(EXPECTED[key]?.[col]).toBe(row.to ?? from);
      }
    }
  });

  it('never leaves a terminal state, whatever comes later', () => {
    for (const phase of ['discharged', 'deceased'] as const) {
      let { state } = run(prefix(phase));
      for (const make of Object.values(TRIGGERS)) state = transition(state, make()).state;
      expect(state.derived.phase).toBe(phase);
      expect(state.derived.terminal).toBe(true);
    }
  });
});

describe('transition mechanics', () => {
  it('is pure: the input state is not changed', () => {
    const { state } = run(prefix('utskrivningsklar'));
    const before = JSON.stringify(state);
    transition(state, answer(AT, 'offer-ready'));
    expect(JSON.stringify(state)).toBe(before);
  });

  it('a duplicate returns the same state and no effects', () => {
    const events = prefix('waiting');
    const { state } = run(events);
    const again = transition(state, events[2] as StayEvent);
    expect(again.state).toBe(state);
    expect(again.effects).toEqual([]);
    // The same message written with another offset is the same message.
    const copy = { ...(events[0] as MessageEvent), at: '2024-03-04T08:00:00Z' };
    expect(transition(state, copy).state).toBe(state);
  });

  it('a known id with other content is a conflict', () => {
    const events = prefix('admitted');
    const { state } = run(events);
    const changed = { ...(events[0] as MessageEvent), admittedAt: '2024-03-04T07:00:00+01:00' };
    expect(() => transition(state, changed)).toThrow(expect.objectContaining({ code: 'ERR_PROCEDURE_DUPLICATE_CONFLICT' }));
  });

  it('ignores the copy perspective (direction, receivedAt)', () => {
    const e = innlagt('2024-03-04T09:00:00+01:00');
    const a = transition(createStay(), { ...e, direction: 'sent' }).state;
    const b = transition(createStay(), { ...e, direction: 'received', receivedAt: '2024-03-04T09:05:00+01:00' }).state;
    expect(b).toEqual(a);
  });

  it('refuses an event for another stay', () => {
    const key = { patientId: '13116900216', hospitalHerId: '111111', admission: 'A-1' };
    const state = createStay({ key });
    expect(transition(state, { ...innlagt(AT), stay: key }).state.derived.phase).toBe('admitted');
    try {
      transition(state, { ...innlagt(AT), stay: { ...key, admission: 'A-2' } });
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(ProcedureError);
      expect((err as ProcedureError).code).toBe('ERR_PROCEDURE_WRONG_STAY');
    }
  });

  it('refuses an invalid stay key', () => {
    expect(() => createStay({ key: { patientId: '13116900217', hospitalHerId: '111111', admission: 'A' } })).toThrow(
      expect.objectContaining({ code: 'ERR_PROCEDURE_INVALID_STAY_KEY', issues: [expect.objectContaining({ path: 'patientId' })] }),
    );
    expect(() => createStay({ key: { patientId: '13116900216', hospitalHerId: '0', admission: 'A' } })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'hospitalHerId' })] }),
    );
    // Synthetic test ids only when allowed.
    const synthetic = { patientId: '13916900281', hospitalHerId: '111111', admission: 'A' };
    expect(() => createStay({ key: synthetic })).toThrow(expect.objectContaining({ code: 'ERR_PROCEDURE_INVALID_STAY_KEY' }));
    expect(createStay({ key: synthetic, allowSyntheticPersonIds: true }).key).toEqual(synthetic);
  });

  it('a caller mistake (no state) is a TypeError', () => {
    expect(() => transition(undefined as never, innlagt(AT))).toThrow(TypeError);
  });

  it('a second LOG_UTSKRIVNINGSKLAR without avmelding is ignored and reported', () => {
    const { state } = run([...prefix('waiting'), utskrivningsklar('2024-03-06T10:00:00+01:00')]);
    expect(state.derived.periods).toHaveLength(1);
    expect(state.derived.issues).toEqual([expect.objectContaining({ code: 'ignored-event' })]);
  });

  it('LOG_AVMELDING then a new LOG_UTSKRIVNINGSKLAR opens a second period', () => {
    const { state } = run([
      ...prefix('waiting'),
      avmelding('2024-03-07T10:00:00+01:00'),
      utskrivningsklar('2024-03-10T10:00:00+01:00'),
      answer('2024-03-10T12:00:00+01:00', 'cannot-receive'),
    ]);
    expect(state.derived.phase).toBe('waiting');
    expect(state.derived.periods.map((p) => [p.index, p.declaredDay, p.closedBy])).toEqual([
      [1, '2024-03-05', 'avmelding'],
      [2, '2024-03-10', null],
    ]);
  });
});
