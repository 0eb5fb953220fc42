// Test helpers: compact builders for events and a runner. Times are written with explicit offsets.
import { createStay, transition } from '../src/state';
import type { StayState } from '../src/state';
import type { Effect } from '../src/effects';
import type { MessageEvent, StayEvent } from '../src/events';
import type { PolicyInput } from '../src/policy';

let counter = 0;
/** A fresh message id. */
export function nextId(): string {
  counter += 1;
  return `id-${String(counter).padStart(4, '0')}`;
}

type Extra = Partial<Omit<MessageEvent, 'type' | 'at' | 'from'>>;

const m = (type: MessageEvent['type'], from: MessageEvent['from']) => (at: string, extra: Extra = {}): MessageEvent => ({
  id: nextId(),
  at,
  type,
  from,
  ...extra,
});

export const innlagt = m('LOG_INNLAGT', 'hospital');
export const innleggelsesrapport = m('INNLEGGELSESRAPPORT', 'municipality');
export const notice = (at: string, extra: Extra = {}): MessageEvent => m('HELSEOPPL_SOKNAD', 'hospital')(at, { subtype: 1, ...extra });
export const update = (at: string, extra: Extra = {}): MessageEvent => m('HELSEOPPL_SOKNAD', 'hospital')(at, { subtype: 2, ...extra });
export const utskrivningsklar = m('LOG_UTSKRIVNINGSKLAR', 'hospital');
export const answer = (at: string, a: 'can-receive' | 'cannot-receive' | 'offer-ready', extra: Extra = {}): MessageEvent =>
  m('DIALOG_SVAR', 'municipality')(at, { answer: a, ...extra });
export const dialog = m('DIALOG_FORESPORSEL', 'hospital');
export const avmelding = m('LOG_AVMELDING', 'hospital');
export const utskrevet = m('LOG_UTSKREVET', 'hospital');
export const rapport = m('UTSKRIVNINGSRAPPORT', 'hospital');
export const dod = m('LOG_DOD', 'hospital');
export const tick = (at: string): StayEvent => ({ type: 'deadline-passed', at });

/** Applies events in order to a new stay; returns the final state and every effect. */
export function run(events: readonly StayEvent[], policy: PolicyInput = {}): { state: StayState; effects: Effect[] } {
  let state = createStay({ policy });
  const effects: Effect[] = [];
  for (const e of events) {
    const r = transition(state, e);
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

/** A deadline of the final state by id. */
export function deadlineOf(state: StayState, id: string) {
  const d = state.derived.deadlines.find((x) => x.id === id);
  if (d === undefined) throw new Error(`no deadline ${id}; have ${state.derived.deadlines.map((x) => x.id).join(', ')}`);
  return d;
}

/** The standard opening: admitted 2024-03-04 08:30, notice the same afternoon. */
export function admittedWithNotice(): MessageEvent[] {
  return [
    innlagt('2024-03-04T09:00:00+01:00', { admittedAt: '2024-03-04T08:30:00+01:00' }),
    notice('2024-03-04T15:00:00+01:00'),
  ];
}
