import { readFileSync } from 'node:fs';
import path from 'node:path';
import { machineInfo } from './definition';
import { ProcedureError } from './errors';
import { simulateState } from './simulate';
import { STATE_SCHEMA_VERSION, applyMigrations, createStay, migrateState, transition } from './state';
import type { StayState } from './state';
import { answer, tick } from '../test/helpers';

const fixtures = path.resolve(__dirname, '../test/fixtures');
const readJson = (name: string): unknown => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));
const KEY = { patientId: '13116900216', hospitalHerId: '8143541', admission: 'STHF-2024-000123' };

function example(): StayState {
  const scenario = readJson('example-scenario.json') as Record<string, unknown>;
  return simulateState({ ...scenario, stay: KEY }).state;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProcedureError) return err.code;
    throw err;
  }
  return undefined;
}

describe('persisted state', () => {
  it('is plain JSON: a stringify/parse round trip restores an equal state', () => {
    const state = example();
    const restored = migrateState(JSON.parse(JSON.stringify(state)));
    expect(restored).toEqual(state);
    // And it goes on exactly as the original would.
    const next = answer('2024-03-12T09:00:00+01:00', 'offer-ready');
    expect(transition(restored, next)).toEqual(transition(state, next));
  });

  it('reads the committed version-1 snapshot (test/fixtures/stay-state-v1.json)', () => {
    const stored = readJson('stay-state-v1.json') as StayState;
    const restored = migrateState(stored);
    expect(restored.schemaVersion).toBe(1);
    expect(restored.machine).toEqual(machineInfo());
    expect(restored.key).toEqual(KEY);
    expect(restored.messages).toEqual(stored.messages);
    expect(restored.clock).toBe(stored.clock);
    expect(restored.derived.phase).toBe('discharged');
    expect(restored.derived.paymentDays).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
    expect(restored.derived.amountNOK).toBe(17235);
  });

  it('recomputes derived results instead of trusting them', () => {
    const tampered = JSON.parse(JSON.stringify(example()));
    tampered.derived.amountNOK = 1;
    tampered.derived.phase = 'initial';
    expect(migrateState(tampered)).toEqual(example());
  });

  it('refuses snapshots from a newer version, and older ones without a migration', () => {
    const raw = JSON.parse(JSON.stringify(example()));
    expect(codeOf(() => migrateState({ ...raw, schemaVersion: STATE_SCHEMA_VERSION + 1 }))).toBe('ERR_PROCEDURE_UNSUPPORTED_STATE_VERSION');
    expect(codeOf(() => applyMigrations({ ...raw, schemaVersion: 1 }, {}, 3))).toBe('ERR_PROCEDURE_UNSUPPORTED_STATE_VERSION');
  });

  it('applies a chain of migrations in order', () => {
    const table = {
      1: (s: Record<string, unknown>) => ({ ...s, renamed: s['old'], old: undefined }),
      2: (s: Record<string, unknown>) => ({ ...s, steps: [...((s['steps'] as string[] | undefined) ?? []), 'two'] }),
    };
    const out = applyMigrations({ schemaVersion: 1, old: 'x' }, table, 3);
    expect(out).toEqual({ schemaVersion: 3, renamed: 'x', old: undefined, steps: ['two'] });
  });

  it.each([
    ['not an object', () => 'x', 'ERR_PROCEDURE_INVALID_STATE', undefined],
    ['no schemaVersion', (s: Record<string, unknown>) => ({ ...s, schemaVersion: undefined }), 'ERR_PROCEDURE_INVALID_STATE', undefined],
    ['bad message time', (s: Record<string, unknown>) => ({ ...s, messages: [{ ...(s['messages'] as object[])[0], at: 'yesterday' }] }), 'ERR_PROCEDURE_INVALID_STATE', 'messages[0].at'],
    ['duplicate message id', (s: Record<string, unknown>) => ({ ...s, messages: [(s['messages'] as object[])[0], (s['messages'] as object[])[0]] }), 'ERR_PROCEDURE_INVALID_STATE', 'messages[1].id'],
    ['bad policy', (s: Record<string, unknown>) => ({ ...s, policy: { ...(s['policy'] as object), paymentStart: 'never' } }), 'ERR_PROCEDURE_INVALID_STATE', 'policy.paymentStart'],
    ['bad key', (s: Record<string, unknown>) => ({ ...s, key: { ...KEY, hospitalHerId: 'x' } }), 'ERR_PROCEDURE_INVALID_STATE', 'key.hospitalHerId'],
    ['bad clock', (s: Record<string, unknown>) => ({ ...s, clock: 5 }), 'ERR_PROCEDURE_INVALID_STATE', 'clock'],
    ['messages not a list', (s: Record<string, unknown>) => ({ ...s, messages: {} }), 'ERR_PROCEDURE_INVALID_STATE', 'messages'],
  ])('refuses a broken snapshot: %s', (_name, breakIt, code, issuePath) => {
    const raw = JSON.parse(JSON.stringify(example())) as Record<string, unknown>;
    try {
      migrateState((breakIt as (s: Record<string, unknown>) => unknown)(raw));
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(ProcedureError);
      expect((err as ProcedureError).code).toBe(code);
      if (issuePath !== undefined) expect((err as ProcedureError).issues.map((i) => i.path)).toContain(issuePath);
    }
  });

  it('keeps time only from events: a deadline-passed tick moves the clock forward, never back', () => {
    const s0 = createStay();
    const s1 = transition(s0, tick('2024-03-05T10:00:00+01:00')).state;
    expect(s1.clock).toBe('2024-03-05T09:00:00.000Z');
    const s2 = transition(s1, tick('2024-03-04T10:00:00+01:00'));
    expect(s2.state).toBe(s1);
  });
});
