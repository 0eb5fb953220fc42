/**
 * The retry schedule (`backoffDelay`) and the checks of the configuration: exponential growth and
 * its cap, the jitter's bounds with an injected random source, an explicit `scheduleMs`, and the
 * typed errors for invalid retry and audit-retention settings (also at `createMessagingNode`).
 */
import { DEFAULT_RETRY_POLICY, backoffDelay, resolveAuditRetentionMs, resolveRetryPolicy } from './config';
import type { MessagingNodeConfig, MessagingNodeDeps, RetryPolicy } from './config';
import { createMessagingNode } from './node';

/** A random source that must not be asked. */
const noRandom = (): number => {
  throw new Error('random() was called');
};
const constant =
  (value: number): (() => number) =>
  () =>
    value;
/** The largest double below 1: the top of Math.random's range [0, 1). */
const ALMOST_ONE = 1 - Number.EPSILON / 2;

/** A small seeded generator (linear congruential, 2^32), reproducible across runs. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const policy = (partial: Partial<RetryPolicy>): RetryPolicy => resolveRetryPolicy(partial);

describe('backoffDelay: exponential backoff', () => {
  const p = policy({ initialDelayMs: 1000, factor: 2, maxDelayMs: 10_000, jitter: 0 });

  test('starts at initialDelayMs and grows by factor per failed attempt up to maxDelayMs', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(p, n, noRandom))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  test('stays at the cap for very many attempts (no overflow to Infinity or NaN)', () => {
    expect(backoffDelay(p, 5000, noRandom)).toBe(10_000);
    expect(backoffDelay(p, Number.MAX_SAFE_INTEGER, noRandom)).toBe(10_000);
  });

  test('counts whole attempts, at least one', () => {
    expect(backoffDelay(p, 0, noRandom)).toBe(1000);
    expect(backoffDelay(p, -3, noRandom)).toBe(1000);
    expect(backoffDelay(p, 2.9, noRandom)).toBe(2000);
  });

  test('factor 1 keeps the delay constant', () => {
    const flat = policy({ initialDelayMs: 7000, factor: 1, maxDelayMs: 60_000, jitter: 0 });
    expect([1, 2, 10].map((n) => backoffDelay(flat, n, noRandom))).toEqual([7000, 7000, 7000]);
  });

  test('the defaults: 30 s doubling to 1 h', () => {
    const d = { ...DEFAULT_RETRY_POLICY, jitter: 0 };
    expect([1, 2, 3, 7, 8, 20].map((n) => backoffDelay(d, n, noRandom))).toEqual([30_000, 60_000, 120_000, 1_920_000, 3_600_000, 3_600_000]);
  });
});

describe('backoffDelay: jitter', () => {
  test('random 0 and random → 1 give the extremes base × (1 − jitter) and base × (1 + jitter)', () => {
    const p = policy({ initialDelayMs: 1000, factor: 2, maxDelayMs: 60_000, jitter: 0.2 });
    // Attempt 3: base 4000.
    expect(backoffDelay(p, 3, constant(0))).toBe(3200);
    expect(backoffDelay(p, 3, constant(0.5))).toBe(4000);
    expect(backoffDelay(p, 3, constant(ALMOST_ONE))).toBe(4800);
    expect(backoffDelay(p, 3, constant(0.25))).toBe(3600);
  });

  test('asks the random source once per delay, and not at all when jitter is 0', () => {
    const random = jest.fn(constant(0.5));
    backoffDelay(policy({ jitter: 0.3 }), 2, random);
    expect(random).toHaveBeenCalledTimes(1);
    expect(backoffDelay(policy({ jitter: 0 }), 2, noRandom)).toBe(60_000);
  });

  test('the delay stays within [base × (1 − jitter), base × (1 + jitter)] for a seeded random source', () => {
    const random = seeded(20240304);
    for (const jitter of [0.05, 0.2, 0.5, 0.9]) {
      const p = policy({ initialDelayMs: 1500, factor: 3, maxDelayMs: 900_000, jitter });
      let low = Number.POSITIVE_INFINITY;
      let high = 0;
      for (let n = 1; n <= 12; n++) {
        const base = Math.min(900_000, 1500 * 3 ** (n - 1));
        for (let i = 0; i < 200; i++) {
          const delay = backoffDelay(p, n, random);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(Math.round(base * (1 - jitter)));
          expect(delay).toBeLessThanOrEqual(Math.round(base * (1 + jitter)));
          low = Math.min(low, delay / base);
          high = Math.max(high, delay / base);
        }
      }
      // The spread is used, on both sides of the base.
      expect(low).toBeLessThan(1 - jitter / 2);
      expect(high).toBeGreaterThan(1 + jitter / 2);
    }
  });

  test('the jitter applies to the capped delay (maxDelayMs caps the base, not the jittered result)', () => {
    const p = policy({ initialDelayMs: 1000, factor: 2, maxDelayMs: 10_000, jitter: 0.2 });
    expect(backoffDelay(p, 20, constant(0))).toBe(8000);
    expect(backoffDelay(p, 20, constant(ALMOST_ONE))).toBe(12_000);
  });

  test('never less than 1 ms', () => {
    expect(backoffDelay(policy({ scheduleMs: [0.4], jitter: 0 }), 1, noRandom)).toBe(1);
    expect(backoffDelay(policy({ scheduleMs: [1], jitter: 0.9 }), 1, constant(0))).toBe(1);
  });
});

describe('backoffDelay: explicit scheduleMs', () => {
  const schedule = [5_000, 20_000, 120_000];

  test('attempt n uses entry n; past the end the last entry repeats', () => {
    const p = policy({ scheduleMs: schedule, jitter: 0 });
    expect([1, 2, 3, 4, 5, 100].map((n) => backoffDelay(p, n, noRandom))).toEqual([5_000, 20_000, 120_000, 120_000, 120_000, 120_000]);
    expect(backoffDelay(p, 0, noRandom)).toBe(5_000);
  });

  test('overrides initialDelayMs, factor and maxDelayMs', () => {
    const p = policy({ scheduleMs: schedule, initialDelayMs: 1000, factor: 10, maxDelayMs: 10_000, jitter: 0 });
    expect([1, 2, 3].map((n) => backoffDelay(p, n, noRandom))).toEqual(schedule);
  });

  test('a single entry is used for every attempt', () => {
    const p = policy({ scheduleMs: [45_000], jitter: 0 });
    expect([1, 2, 9].map((n) => backoffDelay(p, n, noRandom))).toEqual([45_000, 45_000, 45_000]);
  });

  test('the jitter still applies to each entry', () => {
    const p = policy({ scheduleMs: schedule, jitter: 0.5 });
    expect(backoffDelay(p, 2, constant(0))).toBe(10_000);
    expect(backoffDelay(p, 2, constant(ALMOST_ONE))).toBe(30_000);
    expect(backoffDelay(p, 7, constant(0))).toBe(60_000);
    const random = seeded(7);
    for (let i = 0; i < 500; i++) {
      const delay = backoffDelay(p, 3, random);
      expect(delay).toBeGreaterThanOrEqual(60_000);
      expect(delay).toBeLessThanOrEqual(180_000);
    }
  });
});

describe('resolveRetryPolicy', () => {
  test('completes a partial policy with the defaults and keeps valid values', () => {
    expect(resolveRetryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolveRetryPolicy({ jitter: 0, scheduleMs: [1000, 2000] })).toEqual({ ...DEFAULT_RETRY_POLICY, jitter: 0, scheduleMs: [1000, 2000] });
    expect(resolveRetryPolicy({ jitter: 0.999, factor: 1 })).toMatchObject({ jitter: 0.999, factor: 1 });
  });

  test.each<[string, Partial<RetryPolicy>, RegExp]>([
    ['negative jitter', { jitter: -0.1 }, /retry\.jitter/],
    ['jitter 1', { jitter: 1 }, /retry\.jitter/],
    ['jitter above 1', { jitter: 1.5 }, /retry\.jitter/],
    ['NaN jitter', { jitter: Number.NaN }, /retry\.jitter/],
    ['jitter as a string', { jitter: '0.2' as never }, /retry\.jitter/],
    ['jitter null', { jitter: null as never }, /retry\.jitter/],
    ['factor below 1', { factor: 0.5 }, /retry\.factor/],
    ['NaN factor', { factor: Number.NaN }, /retry\.factor/],
    ['factor as a string', { factor: '2' as never }, /retry\.factor/],
    ['an empty schedule', { scheduleMs: [] }, /retry\.scheduleMs/],
    ['a zero entry', { scheduleMs: [1000, 0] }, /retry\.scheduleMs\[1\]/],
    ['a negative entry', { scheduleMs: [-5] }, /retry\.scheduleMs\[0\]/],
    ['a NaN entry', { scheduleMs: [1000, 2000, Number.NaN] }, /retry\.scheduleMs\[2\]/],
    ['an infinite entry', { scheduleMs: [Number.POSITIVE_INFINITY] }, /retry\.scheduleMs\[0\]/],
    ['an entry as a string', { scheduleMs: ['1000'] as never }, /retry\.scheduleMs\[0\]/],
    ['a schedule that is not an array', { scheduleMs: 1000 as never }, /retry\.scheduleMs/],
    ['a schedule as a string', { scheduleMs: '1000,2000' as never }, /retry\.scheduleMs/],
    ['initialDelayMs 0', { initialDelayMs: 0 }, /retry\.initialDelayMs/],
    ['negative maxDelayMs', { maxDelayMs: -1 }, /retry\.maxDelayMs/],
    ['infinite ttlMs', { ttlMs: Number.POSITIVE_INFINITY }, /retry\.ttlMs/],
  ])('refuses %s with a RangeError', (_name, partial, message) => {
    expect(() => resolveRetryPolicy(partial)).toThrow(RangeError);
    expect(() => resolveRetryPolicy(partial)).toThrow(message);
  });
});

describe('resolveAuditRetentionMs', () => {
  test('absent keeps everything; a positive integer is kept', () => {
    expect(resolveAuditRetentionMs(undefined)).toBeUndefined();
    expect(resolveAuditRetentionMs(1)).toBe(1);
    expect(resolveAuditRetentionMs(365 * 24 * 60 * 60_000)).toBe(365 * 24 * 60 * 60_000);
  });

  test.each<[string, unknown]>([
    ['zero', 0],
    ['a negative number', -86_400_000],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['beyond the safe integers', 2 ** 53],
    ['a string', '86400000'],
    ['null', null],
  ])('refuses %s with a RangeError', (_name, value) => {
    expect(() => resolveAuditRetentionMs(value)).toThrow(RangeError);
    expect(() => resolveAuditRetentionMs(value)).toThrow(/auditRetentionMs/);
  });
});

describe('createMessagingNode checks the retry policy when it is created', () => {
  // The constructor only checks that the ports are there; it does not use them.
  const config = (retry: Partial<RetryPolicy>): MessagingNodeConfig =>
    ({
      role: 'hospital',
      herIds: { main: '8142520' },
      credentials: { signing: {}, encryption: {}, trustAnchors: [] },
      retry,
    }) as unknown as MessagingNodeConfig;
  const deps = { store: {}, transport: {}, addressRegister: {} } as unknown as MessagingNodeDeps;

  test('a valid schedule and jitter are accepted', () => {
    expect(() => createMessagingNode(config({ scheduleMs: [5000, 60_000], jitter: 0.3 }), deps)).not.toThrow();
  });

  test.each<[string, Partial<RetryPolicy>]>([
    ['jitter 1', { jitter: 1 }],
    ['jitter as a string', { jitter: '0.2' as never }],
    ['an empty schedule', { scheduleMs: [] }],
    ['a schedule with a negative entry', { scheduleMs: [5000, -1] }],
    ['a schedule that is not an array', { scheduleMs: 5000 as never }],
  ])('%s is refused with a RangeError', (_name, retry) => {
    expect(() => createMessagingNode(config(retry), deps)).toThrow(RangeError);
  });
});

describe('createMessagingNode checks the audit retention when it is created', () => {
  const config = (auditRetentionMs: unknown): MessagingNodeConfig =>
    ({ role: 'hospital', herIds: { main: '8142520' }, credentials: { signing: {}, encryption: {}, trustAnchors: [] }, auditRetentionMs }) as unknown as MessagingNodeConfig;
  const deps = { store: {}, transport: {}, addressRegister: {} } as unknown as MessagingNodeDeps;

  test('absent or a positive number of milliseconds is accepted', () => {
    expect(() => createMessagingNode(config(undefined), deps)).not.toThrow();
    expect(() => createMessagingNode(config(365 * 24 * 60 * 60_000), deps)).not.toThrow();
  });

  test.each([-1, 0, 1.5, '86400000', null])('%p is refused with a RangeError', (value) => {
    expect(() => createMessagingNode(config(value), deps)).toThrow(RangeError);
  });
});
