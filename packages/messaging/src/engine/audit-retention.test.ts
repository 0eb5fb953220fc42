/**
 * Audit retention (`config.auditRetentionMs`): the engine's time-based steps purge audit entries
 * older than the retention, at most once an hour by the injected clock, and record each purge as
 * an `audit-purge` entry of the engine. Without the option nothing is deleted.
 */
import { createSingleEngine } from '../../test/single-engine';
import type { SingleEngine } from '../../test/single-engine';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const T0 = new Date('2024-03-04T08:00:00Z').getTime();

describe('audit retention', () => {
  let s: SingleEngine | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  /** Writes an entry about `subjectId` dated `at`. */
  const entry = (side: SingleEngine, subjectId: string, at: number) =>
    side.store.audit({ actor: 'operator:kari', action: 'read', subjectType: 'incoming', subjectId, at: new Date(at) });
  /** The subjects of the test's own entries that are still there. */
  const kept = async (side: SingleEngine): Promise<string[]> =>
    (await side.store.listAudit({ actor: 'operator:kari' })).map((a) => a.subjectId).sort();
  const purges = async (side: SingleEngine) => side.store.listAudit({ action: 'audit-purge' });
  const runAt = async (side: SingleEngine, at: number): Promise<void> => {
    side.now = new Date(at);
    await side.engine.runOnce();
  };

  test('entries older than auditRetentionMs are purged, at most once an hour, and each purge is audited', async () => {
    s = await createSingleEngine({ now: new Date(T0), config: { auditRetentionMs: DAY } });
    await entry(s, 'three-days-old', T0 - 3 * DAY);
    await entry(s, 'one-day-old', T0 - DAY); // exactly at the cut-off: kept
    await entry(s, 'one-hour-old', T0 - HOUR);

    await runAt(s, T0);
    expect(await kept(s)).toEqual(['one-day-old', 'one-hour-old']);
    const first = await purges(s);
    expect(first).toEqual([
      expect.objectContaining({
        actor: 'engine:hospital',
        subjectType: 'audit',
        at: new Date(T0),
        details: expect.objectContaining({ retainMs: DAY, deleted: 1, cutoff: new Date(T0 - DAY).toISOString() }),
      }),
    ]);

    // Within the hour the purge does not run again, however often the time-based steps run.
    await entry(s, 'another-old-one', T0 - 2 * DAY);
    await runAt(s, T0 + 30 * 60_000);
    await runAt(s, T0 + 59 * 60_000);
    expect(await kept(s)).toEqual(['another-old-one', 'one-day-old', 'one-hour-old']);
    expect(await purges(s)).toHaveLength(1);

    // More than an hour later it runs with the new cut-off.
    await runAt(s, T0 + 61 * 60_000);
    expect(await kept(s)).toEqual(['one-hour-old']);
    const second = await purges(s);
    expect(second).toHaveLength(2);
    expect(second[1]).toMatchObject({ actor: 'engine:hospital', details: expect.objectContaining({ deleted: 2, retainMs: DAY }) });

    expect(s.logs.filter((l) => l.event === 'worker-failed')).toEqual([]);
  });

  test('without auditRetentionMs nothing is purged', async () => {
    s = await createSingleEngine({ now: new Date(T0) });
    await entry(s, 'a-year-old', T0 - 365 * DAY);
    await runAt(s, T0);
    await runAt(s, T0 + 2 * HOUR);
    await runAt(s, T0 + 400 * DAY);
    expect(await kept(s)).toEqual(['a-year-old']);
    expect(await purges(s)).toEqual([]);
    expect(s.logs.filter((l) => l.event === 'worker-failed')).toEqual([]);
  });
});
