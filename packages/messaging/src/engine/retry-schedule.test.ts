/**
 * The engine retries a failed send on `retry.scheduleMs` with the jitter drawn from the injected
 * `deps.random`: each failure sets the next attempt to now + entry × (1 − jitter + 2 × jitter × random).
 */
import { TransportError } from '../transport/errors';
import { createSingleEngine, logInnlagt } from '../../test/single-engine';
import type { SingleEngine } from '../../test/single-engine';
import type { Actor } from './api';

const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const T0 = new Date('2024-03-04T08:00:00Z').getTime();

describe('retry schedule in the outgoing worker', () => {
  let s: SingleEngine | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  test('failed sends are retried after the schedule entries (the last repeats), spread by the injected random', async () => {
    const draws = [0, 0.75, 0.5, 0.25];
    const random = jest.fn(() => {
      const next = draws.shift();
      if (next === undefined) throw new Error('more random numbers asked for than expected');
      return next;
    });
    s = await createSingleEngine({
      now: new Date(T0),
      config: { retry: { scheduleMs: [4_000, 20_000, 60_000], jitter: 0.5, initialDelayMs: 1000, factor: 2, ttlMs: 24 * 60 * 60_000 } },
      deps: { random },
      send: async () => {
        throw new TransportError('ERR_TRANSPORT_UNAVAILABLE', 'peer down');
      },
    });
    const submitted = await s.engine.submit(logInnlagt(), EPJ);
    if (!submitted.accepted) throw new Error(JSON.stringify(submitted.issues));
    const { msgId } = submitted;
    const side = s;

    /** Runs the worker at `at` and answers the stored outgoing row. */
    const runAt = async (at: number) => {
      side.now = new Date(at);
      await side.engine.runOnce();
      return side.store.getOutgoing(msgId);
    };

    // Attempt 1 fails: entry 1 (4 s) × (0.5 + 1 × 0) = 2 s.
    let rec = await runAt(T0);
    expect(rec).toMatchObject({ state: 'failed', attempts: 1 });
    expect(rec?.nextAttemptAt?.getTime()).toBe(T0 + 2_000);
    expect(s.sent).toHaveLength(1);

    // Not claimed again before it is due.
    rec = await runAt(T0 + 1_999);
    expect(s.sent).toHaveLength(1);
    expect(rec).toMatchObject({ attempts: 1 });

    // Attempt 2: entry 2 (20 s) × (0.5 + 0.75) = 25 s.
    let at = T0 + 2_000;
    rec = await runAt(at);
    expect(rec).toMatchObject({ state: 'failed', attempts: 2 });
    expect(rec?.nextAttemptAt?.getTime()).toBe(at + 25_000);

    // Attempt 3: entry 3 (60 s) × (0.5 + 0.5) = 60 s.
    at += 25_000;
    rec = await runAt(at);
    expect(rec).toMatchObject({ state: 'failed', attempts: 3 });
    expect(rec?.nextAttemptAt?.getTime()).toBe(at + 60_000);

    // Attempt 4, past the end of the schedule: the last entry again, 60 s × (0.5 + 0.25) = 45 s.
    at += 60_000;
    rec = await runAt(at);
    expect(rec).toMatchObject({ state: 'failed', attempts: 4 });
    expect(rec?.nextAttemptAt?.getTime()).toBe(at + 45_000);

    expect(s.sent).toHaveLength(4);
    expect(random).toHaveBeenCalledTimes(4);
  });
});
