import fc from 'fast-check';
import { partitionStays } from './stay-partition';
import type { PartitionMessage } from './stay-partition';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('partitionStays', () => {
  const t0 = Date.parse('2024-03-04T08:00:00Z');
  const m = (id: string, hours: number, type: string, extra: Partial<PartitionMessage> = {}): PartitionMessage => ({ id, at: iso(t0 + hours * HOUR), type, ...extra });

  test('an Innleggelsesrapport processed after the discharge stays in the stay it was written in', () => {
    const chain = [m('innlagt', 0, 'LOG_INNLAGT'), m('rapport', 2, 'INNLEGGELSESRAPPORT'), m('uk', 48, 'LOG_UTSKRIVNINGSKLAR'), m('ut', 72, 'LOG_UTSKREVET')];
    const p = partitionStays(chain);
    expect(p.stays).toEqual([{ admission: 'innlagt', innlagt: 'innlagt', messageIds: ['innlagt', 'rapport', 'uk', 'ut'], closedAt: iso(t0 + 72 * HOUR) }]);
    // The same set, the report listed last (processed last): the same partition.
    expect(partitionStays([chain[0]!, chain[2]!, chain[3]!, chain[1]!])).toEqual(p);
  });

  test('a report sent before LOG_INNLAGT is part of the stay, whose admission is the LOG_INNLAGT', () => {
    const p = partitionStays([m('rapport', 0, 'INNLEGGELSESRAPPORT'), m('innlagt', 1, 'LOG_INNLAGT')]);
    expect(p.stays).toEqual([{ admission: 'innlagt', innlagt: 'innlagt', messageIds: ['rapport', 'innlagt'], closedAt: null }]);
  });

  test('messages after discharge join within the window; a readmission (LOG_INNLAGT) opens a new stay', () => {
    const p = partitionStays([
      m('i1', 0, 'LOG_INNLAGT'),
      m('ut1', 24, 'LOG_UTSKREVET'),
      m('rapport1', 26, 'UTSKRIVNINGSRAPPORT'),
      m('i2', 30, 'LOG_INNLAGT'),
      m('rapport2', 31, 'INNLEGGELSESRAPPORT'),
      m('ut2', 60, 'LOG_UTSKREVET'),
      m('late', 60 + 200, 'DIALOG_FORESPORSEL'),
      m('new', 60 + 300, 'HELSEOPPL_SOKNAD'),
    ]);
    expect(p.stays.map((s) => [s.admission, s.messageIds])).toEqual([
      ['i1', ['i1', 'ut1', 'rapport1']],
      ['i2', ['i2', 'rapport2', 'ut2']],
      ['new', ['new']],
    ]);
    expect(p.unassigned).toEqual(['late']);
    expect(partitionStays([m('i', 0, 'LOG_INNLAGT'), m('ut', 1, 'LOG_UTSKREVET'), m('x', 30, 'DIALOG_SVAR')], { attachAfterDischargeHours: 24 }).unassigned).toEqual(['x']);
  });

  test('a reference wins over time; a cancelled discharge does not close the stay', () => {
    const p = partitionStays([
      m('i1', 0, 'LOG_INNLAGT'),
      m('ut1', 10, 'LOG_UTSKREVET'),
      m('i2', 500, 'LOG_INNLAGT'),
      m('fix', 501, 'LOG_UTSKREVET', { status: 'M', refs: ['ut1'] }),
      m('cancel', 502, 'LOG_UTSKREVET', { status: 'C', refs: ['fix'] }),
    ]);
    expect(p.stays.map((s) => s.messageIds)).toEqual([['i1', 'ut1', 'fix', 'cancel'], ['i2']]);
    const reopened = partitionStays([m('i', 0, 'LOG_INNLAGT'), m('ut', 1, 'LOG_UTSKREVET'), m('c', 2, 'LOG_UTSKREVET', { status: 'C', refs: ['ut'] }), m('later', 1000, 'DIALOG_SVAR')]);
    expect(reopened.stays).toHaveLength(1);
    expect(reopened.stays[0]).toMatchObject({ closedAt: null, messageIds: ['i', 'ut', 'c', 'later'] });
  });

  test('invalid input', () => {
    expect(() => partitionStays([{ id: 'a', at: 'soon', type: 'LOG_INNLAGT' }])).toThrow(RangeError);
    expect(() => partitionStays([], { attachAfterDischargeHours: -1 })).toThrow(RangeError);
  });

  // Stories of one patient: several stays, each with its messages; stays further apart than the
  // window unless the next stay starts with its LOG_INNLAGT (a readmission).
  const stayArb = fc.record({
    innlagt: fc.boolean(),
    reportFirst: fc.boolean(),
    middle: fc.array(fc.constantFrom('HELSEOPPL_SOKNAD', 'LOG_UTSKRIVNINGSKLAR', 'DIALOG_FORESPORSEL', 'DIALOG_SVAR', 'LOG_AVMELDING'), { maxLength: 5 }),
    end: fc.constantFrom('LOG_UTSKREVET', 'LOG_DOD'),
    after: fc.array(fc.constantFrom('UTSKRIVNINGSRAPPORT', 'DIALOG_AVVIK', 'INNLEGGELSESRAPPORT'), { maxLength: 2 }),
    gapHours: fc.integer({ min: 1, max: 400 }),
  });

  function story(stays: readonly (typeof stayArb extends fc.Arbitrary<infer T> ? T : never)[]): { messages: PartitionMessage[]; expected: string[][] } {
    const messages: PartitionMessage[] = [];
    const expected: string[][] = [];
    let t = t0;
    stays.forEach((s, i) => {
      const ids: string[] = [];
      const add = (type: string): void => {
        const id = `s${i}-${ids.length}-${type}`;
        messages.push({ id, at: iso(t), type });
        ids.push(id);
        t += HOUR;
      };
      // A stay without LOG_INNLAGT, or with a report first, needs the previous stay's window to have passed.
      const readmission = s.innlagt && !s.reportFirst;
      t += (readmission ? s.gapHours : 168 + s.gapHours) * HOUR;
      if (s.reportFirst || !s.innlagt) add('INNLEGGELSESRAPPORT');
      if (s.innlagt) add('LOG_INNLAGT');
      for (const type of s.middle) add(type);
      add(s.end);
      for (const type of s.after) add(type);
      expected.push(ids);
    });
    return { messages, expected };
  }

  test('property: any arrival order gives the same stays, and every generated stay is found whole', () => {
    fc.assert(
      fc.property(fc.array(stayArb, { minLength: 1, maxLength: 4 }), fc.integer(), (stays, seed) => {
        const { messages, expected } = story(stays);
        const reference = partitionStays(messages);
        const shuffled = fc.sample(fc.shuffledSubarray(messages, { minLength: messages.length, maxLength: messages.length }), { numRuns: 3, seed });
        for (const order of shuffled) expect(partitionStays(order)).toEqual(reference);
        expect(reference.unassigned).toEqual([]);
        expect(reference.stays.map((s) => [...s.messageIds])).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
