import type { MessageEvent } from './events';
import { admittedWithNotice, answer, innlagt, run, utskrevet, utskrivningsklar } from '../test/helpers';

describe('Forsendelsesstatus: cancel (C) and replace (M, O)', () => {
  const uk = () => utskrivningsklar('2024-03-08T11:00:00+01:00', { declaredAt: '2024-03-08T10:00:00+01:00' });

  it('C cancels a LOG_UTSKRIVNINGSKLAR: no period, back to admitted', () => {
    const first = uk();
    const cancel: MessageEvent = { id: 'c1', at: '2024-03-08T12:00:00+01:00', type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', status: 'C', refersTo: first.id };
    const { state, effects } = run([...admittedWithNotice(), first, cancel]);
    expect(state.derived.phase).toBe('admitted');
    expect(state.derived.periods).toEqual([]);
    expect(state.derived.superseded).toEqual([{ id: first.id, by: 'c1', status: 'C' }]);
    expect(effects).toContainEqual({ type: 'notification', notification: 'message-superseded', messageId: first.id, by: 'c1', status: 'C' });
    expect(effects).toContainEqual(expect.objectContaining({ type: 'task', action: 'close', task: 'answer-utskrivningsklar' }));
  });

  it('a cancel that arrives before the message it cancels gives the same result', () => {
    const first = uk();
    const cancel: MessageEvent = { id: 'c1', at: '2024-03-08T12:00:00+01:00', type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', status: 'C', refersTo: first.id };
    const opening = admittedWithNotice();
    const inOrder = run([...opening, first, cancel]).state;
    const reversed = run([...opening, cancel, first]).state;
    expect(reversed).toEqual(inOrder);
  });

  it('C of a C revives the first message', () => {
    const first = uk();
    const c1: MessageEvent = { id: 'c1', at: '2024-03-08T12:00:00+01:00', type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', status: 'C', refersTo: first.id };
    const c2: MessageEvent = { id: 'c2', at: '2024-03-08T12:30:00+01:00', type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', status: 'C', refersTo: 'c1' };
    const { state } = run([...admittedWithNotice(), first, c1, c2]);
    expect(state.derived.phase).toBe('utskrivningsklar');
    expect(state.derived.periods).toHaveLength(1);
  });

  it('O replaces an answer: the replacement counts, at the original time', () => {
    const a1 = answer('2024-03-08T13:00:00+01:00', 'cannot-receive', { date: '2024-03-12' });
    const a2: MessageEvent = { ...answer('2024-03-09T09:00:00+01:00', 'cannot-receive', { date: '2024-03-11' }), status: 'O', refersTo: a1.id };
    const { state } = run([...admittedWithNotice(), uk(), a1, a2]);
    const p = state.derived.periods[0];
    expect(p?.answers).toEqual([{ messageId: a2.id, at: '2024-03-08T12:00:00.000Z', answer: 'cannot-receive', date: '2024-03-11' }]);
    expect(p?.expectedReadyDate).toBe('2024-03-11');
  });

  it('M corrects LOG_UTSKRIVNINGSKLAR: timing original keeps the notice in time; timing own does not', () => {
    const first = uk();
    const fix: MessageEvent = {
      ...utskrivningsklar('2024-03-09T09:00:00+01:00', { declaredAt: '2024-03-08T09:00:00+01:00' }),
      status: 'M',
      refersTo: first.id,
    };
    const events = [...admittedWithNotice(), first, fix, utskrevet('2024-03-11T12:00:00+01:00')];
    const original = run(events).state.derived;
    expect(original.periods[0]).toEqual(expect.objectContaining({ messageId: fix.id, declaredAt: '2024-03-08T08:00:00.000Z', notifiedAt: '2024-03-08T10:00:00.000Z' }));
    expect(original.paymentDays).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
    const own = run(events, { replacementTiming: 'own' }).state.derived;
    expect(own.periods[0]?.conditions.section10).toBe('breached');
    expect(own.paymentDays).toEqual([]);
  });

  it('C of LOG_UTSKREVET is a correction: the stay is open again', () => {
    const out = utskrevet('2024-03-10T12:00:00+01:00');
    const cancel: MessageEvent = { id: 'c9', at: '2024-03-10T13:00:00+01:00', type: 'LOG_UTSKREVET', from: 'hospital', status: 'C', refersTo: out.id };
    expect(run([...admittedWithNotice(), out]).state.derived.phase).toBe('discharged');
    expect(run([...admittedWithNotice(), out, cancel]).state.derived.phase).toBe('admitted');
  });

  it('reports references it cannot apply', () => {
    const a = innlagt('2024-03-04T09:00:00+01:00');
    const unknownRef: MessageEvent = { id: 'x1', at: '2024-03-05T09:00:00+01:00', type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', status: 'C', refersTo: 'nope' };
    const mismatch: MessageEvent = { id: 'x2', at: '2024-03-05T10:00:00+01:00', type: 'LOG_AVMELDING', from: 'hospital', status: 'C', refersTo: a.id };
    const { state } = run([a, unknownRef, mismatch]);
    expect(state.derived.issues.map((i) => [i.code, i.messageId])).toEqual([
      ['reference-type-mismatch', 'x2'],
      ['unresolved-reference', 'x1'],
    ]);
    expect(state.derived.phase).toBe('admitted');
  });

  it('ignores a reference to a later message', () => {
    const later = utskrivningsklar('2024-03-09T09:00:00+01:00');
    const early: MessageEvent = { id: 'e1', at: '2024-03-08T09:00:00+01:00', type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', status: 'C', refersTo: later.id };
    const { state } = run([...admittedWithNotice(), later, early]);
    expect(state.derived.issues).toEqual([expect.objectContaining({ code: 'forward-reference', messageId: 'e1' })]);
    expect(state.derived.periods).toHaveLength(1);
  });
});
