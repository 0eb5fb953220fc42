/**
 * Which stay a message belongs to, on both sides (ADR 0014): the hospital's and the
 * municipality's engine records the same messages, each in its own arrival order, in its own
 * SQLite store, and must end with the same stays (admission, messages, procedure state).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { MessageEvent, Party } from '@samhandling/procedure';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import type { MessagingStore } from '../store/types';
import { TaskBook } from './records';
import { Stays, staySummary } from './stays';
import type { ChainEntry, ChainInput } from './stays';

const FNR = '31129956715';
const HOSPITAL = '8142519';
const KOMMUNE = '8143100';
let dir: string;
const clock = (): Date => new Date('2024-04-01T00:00:00Z');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samhandling-stays-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Msg {
  readonly event: MessageEvent;
  readonly extra?: Partial<ChainEntry>;
}

const h = (id: string, at: string, type: MessageEvent['type'], more: Partial<MessageEvent> = {}): Msg => ({ event: { id, at, type, from: 'hospital', ...more } });
const k = (id: string, at: string, type: MessageEvent['type'], more: Partial<MessageEvent> = {}): Msg => ({ event: { id, at, type, from: 'municipality', ...more } });

/** Two stays of one patient: a stay whose Innleggelsesrapport is processed late, then a readmission. */
const MESSAGES: readonly Msg[] = [
  h('a-innlagt', '2024-03-04T09:00:00+01:00', 'LOG_INNLAGT', { admittedAt: '2024-03-04T08:30:00+01:00' }),
  k('a-rapport', '2024-03-04T11:00:00+01:00', 'INNLEGGELSESRAPPORT'),
  h('a-varsel', '2024-03-04T15:00:00+01:00', 'HELSEOPPL_SOKNAD', { subtype: 1 }),
  h('a-klar', '2024-03-08T11:00:00+01:00', 'LOG_UTSKRIVNINGSKLAR', { declaredAt: '2024-03-08T10:00:00+01:00' }),
  k('a-svar', '2024-03-08T13:00:00+01:00', 'DIALOG_FORESPORSEL', { answer: 'cannot-receive', date: '2024-03-11' }),
  k('a-klart', '2024-03-11T09:00:00+01:00', 'DIALOG_FORESPORSEL', { answer: 'offer-ready' }),
  h('a-ut', '2024-03-11T14:00:00+01:00', 'LOG_UTSKREVET', { dischargedAt: '2024-03-11T13:00:00+01:00' }),
  h('a-rapport-ut', '2024-03-11T16:00:00+01:00', 'UTSKRIVNINGSRAPPORT'),
  h('b-innlagt', '2024-03-13T09:00:00+01:00', 'LOG_INNLAGT'),
  k('b-rapport', '2024-03-13T10:00:00+01:00', 'INNLEGGELSESRAPPORT'),
  h('b-ut', '2024-03-15T12:00:00+01:00', 'LOG_UTSKREVET'),
];

interface Side {
  readonly role: Party;
  readonly store: MessagingStore;
  readonly stays: Stays;
  readonly tasks: TaskBook;
}

async function side(role: Party): Promise<Side> {
  const store = await openSqliteStore({ path: join(dir, `${role}-${randomUUID()}.db`), clock });
  const tasks = new TaskBook(store, clock);
  const stays = new Stays(store, clock, tasks, role, undefined, false, { emitStayChanged: () => undefined, emitAlarm: () => undefined });
  return { role, store, stays, tasks };
}

function chainInput(s: Side, m: Msg): ChainInput {
  const { event } = m;
  return {
    patientId: FNR,
    patientRef: `ref-${s.role}`,
    hospitalHerId: HOSPITAL,
    partnerHerId: s.role === 'hospital' ? KOMMUNE : HOSPITAL,
    entry: { msgId: event.id, msgType: event.type, at: event.at, ...(m.extra ?? {}) },
  };
}

async function feed(s: Side, m: Msg): Promise<string | undefined> {
  const chain = chainInput(s, m);
  const stayKey = await s.stays.resolve(chain);
  await s.stays.apply({ stayKey: stayKey ?? '', event: m.event, direction: m.event.from === s.role ? 'outgoing' : 'incoming', chain }, m.event.type);
  return stayKey;
}

/** What must be equal on both sides: per stay, its admission, its messages and its procedure summary. */
async function view(s: Side): Promise<unknown[]> {
  return (await s.stays.list()).map((r) => ({ admission: r.admission, messages: r.messages.map((m) => m.msgId), procedure: staySummary(r) }));
}

describe('stays on both sides', () => {
  test('an Innleggelsesrapport processed after LOG_UTSKREVET joins the stay it was written in; a readmission opens a second stay', async () => {
    const hospital = await side('hospital');
    const order = MESSAGES.filter((m) => m.event.id !== 'a-rapport');
    for (const m of order) await feed(hospital, m);
    // Processed after the discharge (and after the readmission): still the first stay.
    expect(await feed(hospital, MESSAGES[1]!)).toBe(`stay:ref-hospital|${HOSPITAL}|a-innlagt`);
    const stays = await hospital.stays.list();
    expect(stays.map((r) => r.admission)).toEqual(['a-innlagt', 'b-innlagt']);
    expect(stays[0]!.messages.map((m) => m.msgId)).toEqual(['a-innlagt', 'a-rapport', 'a-varsel', 'a-klar', 'a-svar', 'a-klart', 'a-ut', 'a-rapport-ut']);
    expect((staySummary(stays[0]!) as { state: string }).state).toBe('discharged');
    expect(stays[1]!.messages.map((m) => m.msgId)).toEqual(['b-innlagt', 'b-rapport', 'b-ut']);
    await hospital.store.close();
  });

  test('a report that opened a stay before its LOG_INNLAGT arrived: the stay moves to the LOG_INNLAGT key, the old key leads there', async () => {
    const kommune = await side('municipality');
    const first = await feed(kommune, MESSAGES[1]!);
    expect(first).toBe(`stay:ref-municipality|${HOSPITAL}|a-rapport`);
    expect(await feed(kommune, MESSAGES[0]!)).toBe(`stay:ref-municipality|${HOSPITAL}|a-innlagt`);
    const list = await kommune.stays.list();
    expect(list.map((r) => [r.admission, r.messages.map((m) => m.msgId)])).toEqual([['a-innlagt', ['a-innlagt', 'a-rapport']]]);
    expect((await kommune.stays.get(first!))?.key).toBe(`stay:ref-municipality|${HOSPITAL}|a-innlagt`);
    // The old stay's tasks were closed; the current stay's are open.
    const open = (await kommune.tasks.list()).filter((t) => !t.done);
    expect(open.every((t) => t.stayKey !== first)).toBe(true);
    await kommune.store.close();
  });

  test('an answer written in the same second as the notice, or seconds "before" it by a skewed clock, is folded after the notice it refers to', async () => {
    const base = MESSAGES.slice(0, 4);
    for (const [answerId, at, refs] of [
      ['0-same-second', '2024-03-08T11:00:00+01:00', []],
      ['1-skewed', '2024-03-08T10:59:55+01:00', ['a-klar']],
    ] as const) {
      const hospital = await side('hospital');
      const answer: Msg = { ...k(answerId, at, 'DIALOG_FORESPORSEL', { answer: 'cannot-receive', date: '2024-03-11' }), extra: { refs: [...refs] } };
      for (const m of [...base, answer]) await feed(hospital, m);
      const [stay] = await hospital.stays.list();
      const summary = staySummary(stay!) as { phase: string; issues: { code: string }[] };
      expect(summary.issues.filter((i) => i.code === 'ignored-event')).toEqual([]);
      expect(summary.phase).toBe('waiting');
      await hospital.store.close();
    }
  });

  test('property: any arrival order on either side gives identical stays', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...MESSAGES], { minLength: MESSAGES.length, maxLength: MESSAGES.length }),
        fc.shuffledSubarray([...MESSAGES], { minLength: MESSAGES.length, maxLength: MESSAGES.length }),
        async (hospitalOrder, kommuneOrder) => {
          const hospital = await side('hospital');
          const kommune = await side('municipality');
          try {
            for (const m of hospitalOrder) await feed(hospital, m);
            for (const m of kommuneOrder) await feed(kommune, m);
            const hv = await view(hospital);
            expect(hv).toEqual(await view(kommune));
            expect(hv.map((s) => (s as { admission: string }).admission)).toEqual(['a-innlagt', 'b-innlagt']);
          } finally {
            await hospital.store.close();
            await kommune.store.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
