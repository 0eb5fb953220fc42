/**
 * The downtime view says which partners are in manual mode: the monitor's per-partner state over
 * a real SQLite store, and the partner entry the engine's `downtime()` view is built from.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalAddressRegister } from '../address-register/local';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import type { MessagingStore } from '../store/types';
import { resolveDowntimePolicy } from './config';
import type { Notice } from './config';
import { DowntimeMonitor, partnerView } from './downtime';
import type { PartnerState } from './downtime';
import { TaskBook } from './records';

const KOMMUNE = '8143100';
const LEGEKONTOR = '8143200';
let dir: string;
let store: MessagingStore;
let now = new Date('2024-03-08T10:00:00Z');
const clock = (): Date => now;
const notices: Notice[] = [];

function monitor(policy: Parameters<typeof resolveDowntimePolicy>[0] = {}): DowntimeMonitor {
  const ar = createLocalAddressRegister({ parties: [], clock });
  return new DowntimeMonitor(
    store,
    clock,
    ar,
    resolveDowntimePolicy({ failureThreshold: 1, downAfterMs: 1000, ...policy }),
    { send: async (n) => void notices.push(n) },
    ['8142519'],
    { name: 'Meldingsansvarlig', email: 'meldingsansvarlig@sykehus.example', phone: undefined },
    new TaskBook(store, clock),
    'engine',
    { log: () => undefined },
    { emitDowntime: () => undefined, emitAlarm: () => undefined },
  );
}

const byHer = async (m: DowntimeMonitor, her: string): Promise<PartnerState | undefined> => (await m.partners()).find((p) => p.herId === her);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samhandling-downtime-view-'));
  store = await openSqliteStore({ path: join(dir, 'store.db'), clock });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('manual mode in the downtime view', () => {
  test('a partner switched to manual mode is shown in manual mode; switched off, it is not', async () => {
    const m = monitor();
    await m.setManual(KOMMUNE, true, 'operator:kari');
    const on = await byHer(m, KOMMUNE);
    expect(on).toMatchObject({ herId: KOMMUNE, state: 'up', manual: true });
    expect(await m.isHeld(KOMMUNE)).toBe(true);
    expect(partnerView(on as PartnerState, 'Kommunen', 2)).toEqual({ herId: Number(KOMMUNE), name: 'Kommunen', state: 'up', heldMessages: 2, manualMode: true });

    await m.setManual(KOMMUNE, false, 'operator:kari');
    const off = await byHer(m, KOMMUNE);
    expect(await m.isHeld(KOMMUNE)).toBe(false);
    expect(partnerView(off as PartnerState, 'Kommunen', 0)).toMatchObject({ manualMode: false, heldMessages: 0 });
  });

  test('manual mode survives downtime and the all-clear; a failing partner not switched is not in manual mode', async () => {
    const m = monitor();
    await m.setManual(KOMMUNE, true, 'operator:kari');
    await m.recordFailure(KOMMUNE, 'ERR_TRANSPORT_UNREACHABLE');
    await m.recordFailure(LEGEKONTOR, 'ERR_TRANSPORT_UNREACHABLE');
    now = new Date(now.getTime() + 5000);
    await m.evaluate();
    const down = await byHer(m, KOMMUNE);
    expect(partnerView(down as PartnerState, 'Kommunen', 1)).toEqual({ herId: Number(KOMMUNE), name: 'Kommunen', state: 'down', since: '2024-03-08T10:00:00.000Z', heldMessages: 1, manualMode: true });
    expect(partnerView((await byHer(m, LEGEKONTOR)) as PartnerState, 'Legekontoret', 0)).toMatchObject({ state: 'down', manualMode: false });

    await m.recordSuccess(KOMMUNE, 'transport');
    const restored = await byHer(m, KOMMUNE);
    expect(partnerView(restored as PartnerState, 'Kommunen', 1)).toEqual({ herId: Number(KOMMUNE), name: 'Kommunen', state: 'up', heldMessages: 1, manualMode: true });
    // The operator decides when manual mode ends, not the all-clear.
    expect(await m.isHeld(KOMMUNE)).toBe(true);
    expect(notices.map((n) => n.subject)).toContain('Elektronisk meldingsutveksling er gjenopprettet');
  });
});

describe('overdue receipts', () => {
  const PARTNER = '8143300';
  test('a partner that acknowledges transport but never answers goes down; only its AppRecs bring it back', async () => {
    const m = monitor({ overdueReceiptThreshold: 2 });
    const before = notices.length;
    await m.noteOverdue(PARTNER);
    expect(await byHer(m, PARTNER)).toMatchObject({ state: 'suspected', overdue: 1 });
    // its transport keeps acknowledging: that does not clear the overdue receipts
    await m.recordSuccess(PARTNER, 'transport');
    expect(await byHer(m, PARTNER)).toMatchObject({ state: 'suspected', overdue: 1 });
    await m.noteOverdue(PARTNER);
    await m.evaluate();
    expect(await byHer(m, PARTNER)).toMatchObject({ state: 'down', overdue: 2 });
    expect((await store.listDowntime({ partnerHerId: PARTNER })).map((e) => [e.kind, (e.details as { reason?: string } | undefined)?.reason])).toEqual([
      ['down-detected', '2 overdue receipts'],
      ['notice-sent', undefined],
    ]);
    await m.recordSuccess(PARTNER, 'transport');
    expect((await byHer(m, PARTNER))?.state).toBe('down');
    // an AppRec arrives: up again, all-clear
    await m.recordSuccess(PARTNER, 'receipt');
    expect(await byHer(m, PARTNER)).toMatchObject({ state: 'up', overdue: 0, failures: 0 });
    expect(notices.slice(before).map((n) => n.subject)).toEqual(['Driftsavbrudd i elektronisk meldingsutveksling', 'Elektronisk meldingsutveksling er gjenopprettet']);
  });

  test('transport failures and overdue receipts together: a transport success clears the failures, not the overdue receipts', async () => {
    const HER = '8143400';
    const m = monitor({ overdueReceiptThreshold: 5 });
    await m.noteOverdue(HER);
    await m.recordFailure(HER, 'ERR_TRANSPORT_UNAVAILABLE');
    await m.recordSuccess(HER, 'transport');
    expect(await byHer(m, HER)).toMatchObject({ state: 'suspected', failures: 0, overdue: 1 });
    await m.recordSuccess(HER, 'receipt');
    expect(await byHer(m, HER)).toMatchObject({ state: 'up', failures: 0, overdue: 0 });
  });
});
