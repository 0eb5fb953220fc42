/**
 * The persisted state of one stay and the pure transition function. The state is plain JSON:
 * the message log (perspective-free, sorted by time then id), the party's own decisions, the
 * latest known time, the policy in force, and the derived results (recomputed on every
 * transition from the log, never edited). `schemaVersion` versions the log's shape;
 * {@link migrateState} brings an older snapshot to the current shape.
 */
import { canonicalJson } from './canonical';
import { formatInstant, parseInstant } from './calendar';
import { machineInfo } from './definition';
import type { MachineInfo } from './definition';
import { deriveStay, sortMessages } from './derive';
import type { DerivedStay } from './derive';
import { diffEffects } from './effects';
import type { Effect } from './effects';
import { ProcedureError, throwIfIssues } from './errors';
import type { ProcedureIssue } from './errors';
import { checkEvent, eventMatchesStay, normalizeEvent } from './events';
import type { LoggedDecision, LoggedMessage, StayEvent } from './events';
import { resolvePolicy } from './policy';
import type { PolicyInput, ProcedurePolicy } from './policy';
import { assertStayKey, checkStayKey } from './stay-key';
import type { StayKey, StayKeyOptions } from './stay-key';

/** The current shape version of {@link StayState}. */
export const STATE_SCHEMA_VERSION = 1;

/** The persisted state of one hospital stay. Plain JSON; store it as is. */
export interface StayState {
  readonly schemaVersion: typeof STATE_SCHEMA_VERSION;
  /** The definition that derived the results. */
  readonly machine: MachineInfo;
  readonly policy: ProcedurePolicy;
  /** The stay; `null` for an unkeyed simulation. */
  readonly key: StayKey | null;
  /** Every distinct message (also cancelled and replaced ones), sorted by time then id. */
  readonly messages: readonly LoggedMessage[];
  /** This party's decisions, sorted by time then id. */
  readonly decisions: readonly LoggedDecision[];
  /** The latest known time (from any input), ISO UTC; `null` before any input. */
  readonly clock: string | null;
  readonly derived: DerivedStay;
}

/** The result of {@link transition}. */
export interface TransitionResult {
  readonly state: StayState;
  readonly effects: readonly Effect[];
}

/** Options for {@link createStay}. */
export interface CreateStayOptions extends StayKeyOptions {
  /** The stay's key; omit only for simulations. */
  readonly key?: StayKey;
  /** Overrides of the default policy. */
  readonly policy?: PolicyInput;
}

/**
 * A new, empty stay.
 *
 * @throws ProcedureError `ERR_PROCEDURE_INVALID_STAY_KEY`, `ERR_PROCEDURE_INVALID_POLICY`.
 */
export function createStay(options: CreateStayOptions = {}): StayState {
  const key = options.key === undefined ? null : assertStayKey(options.key, options);
  const policy = resolvePolicy(options.policy ?? {});
  return build(key, policy, [], [], null);
}

function build(
  key: StayKey | null,
  policy: ProcedurePolicy,
  messages: readonly LoggedMessage[],
  decisions: readonly LoggedDecision[],
  clock: string | null,
): StayState {
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    machine: machineInfo(),
    policy,
    key,
    messages,
    decisions,
    clock,
    derived: deriveStay(messages, decisions, clock, policy),
  };
}

function later(a: string | null, b: string): string {
  return a === null || Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * Applies one event: a message (sent or received), a decision or a deadline-passed tick. Pure:
 * the input state is not changed; time comes from the event, never from the system clock.
 * A duplicate (same id, same content) returns the same state and no effects.
 *
 * @throws ProcedureError `ERR_PROCEDURE_INVALID_EVENT` (with issues), `ERR_PROCEDURE_DUPLICATE_CONFLICT`
 * (a known id with other content), `ERR_PROCEDURE_WRONG_STAY` (the event names another stay).
 */
export function transition(state: StayState, event: StayEvent): TransitionResult {
  if (typeof state !== 'object' || state === null || state.schemaVersion !== STATE_SCHEMA_VERSION) {
    throw new TypeError('transition: state must be a current StayState (use migrateState for stored snapshots)');
  }
  const ev = normalizeEvent(event);
  if (!eventMatchesStay(event, state.key)) throw new ProcedureError('ERR_PROCEDURE_WRONG_STAY');
  let { messages, decisions, clock } = state;
  switch (ev.kind) {
    case 'message': {
      const known = messages.find((m) => m.id === ev.message.id);
      if (known !== undefined) {
        if (canonicalJson(known) === canonicalJson(ev.message)) return { state, effects: [] };
        throw new ProcedureError('ERR_PROCEDURE_DUPLICATE_CONFLICT', `Message ${ev.message.id} already received with different content`);
      }
      messages = sortMessages([...messages, ev.message]);
      clock = later(clock, ev.message.at);
      break;
    }
    case 'decision': {
      const known = decisions.find((d) => d.id === ev.decision.id);
      if (known !== undefined) {
        if (canonicalJson(known) === canonicalJson(ev.decision)) return { state, effects: [] };
        throw new ProcedureError('ERR_PROCEDURE_DUPLICATE_CONFLICT', `Decision ${ev.decision.id} already recorded with different content`);
      }
      decisions = sortMessages([...decisions, ev.decision]);
      clock = later(clock, ev.decision.at);
      break;
    }
    case 'deadline-passed':
      if (clock !== null && Date.parse(ev.at) <= Date.parse(clock)) return { state, effects: [] };
      clock = ev.at;
      break;
  }
  const next = build(state.key, state.policy, messages, decisions, clock);
  return { state: next, effects: diffEffects(state.derived, next.derived) };
}

/** Applies events in order; returns the final state and all effects in order. */
export function transitionAll(state: StayState, events: readonly StayEvent[]): TransitionResult {
  let current = state;
  const effects: Effect[] = [];
  for (const event of events) {
    const r = transition(current, event);
    current = r.state;
    effects.push(...r.effects);
  }
  return { state: current, effects };
}

/** One step of a migration: takes a snapshot of version `from` and returns version `from + 1`. */
export type StateMigration = (snapshot: Record<string, unknown>) => Record<string, unknown>;

/**
 * Migrations by source version. Empty while version 1 is the only version: derived results are
 * always recomputed from the log, so only a change in the log's own shape needs an entry here.
 */
const MIGRATIONS: Readonly<Record<number, StateMigration>> = {};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** @internal Applies `table` from the snapshot's version up to `target`. Exported for tests. */
export function applyMigrations(raw: unknown, table: Readonly<Record<number, StateMigration>>, target: number): Record<string, unknown> {
  if (!isRecord(raw)) throw new ProcedureError('ERR_PROCEDURE_INVALID_STATE', 'State snapshot must be a JSON object');
  const version = raw['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ProcedureError('ERR_PROCEDURE_INVALID_STATE', 'State snapshot has no valid schemaVersion');
  }
  if (version > target) {
    throw new ProcedureError('ERR_PROCEDURE_UNSUPPORTED_STATE_VERSION', `State schemaVersion ${version} is newer than ${target}`);
  }
  let current = raw;
  for (let v = version; v < target; v++) {
    const step = table[v];
    if (step === undefined) throw new ProcedureError('ERR_PROCEDURE_UNSUPPORTED_STATE_VERSION', `No migration from schemaVersion ${v}`);
    current = { ...step(current), schemaVersion: v + 1 };
  }
  return current;
}

/**
 * Reads a stored snapshot (parsed JSON): migrates it to the current schema version, validates
 * the log, and recomputes the derived results with the current definition (so `machine` is
 * always the running definition).
 *
 * @throws ProcedureError `ERR_PROCEDURE_INVALID_STATE` (with issues), `ERR_PROCEDURE_UNSUPPORTED_STATE_VERSION`.
 */
export function migrateState(snapshot: unknown): StayState {
  const raw = applyMigrations(snapshot, MIGRATIONS, STATE_SCHEMA_VERSION);
  const issues: ProcedureIssue[] = [];
  let key: StayKey | null = null;
  if (raw['key'] !== null) {
    const keyIssues = checkStayKey(raw['key'], { allowSyntheticPersonIds: true });
    for (const i of keyIssues) issues.push({ path: i.path ? `key.${i.path}` : 'key', message: i.message });
    if (keyIssues.length === 0) key = raw['key'] as StayKey;
  }
  let policy: ProcedurePolicy | undefined;
  try {
    policy = resolvePolicy(raw['policy']);
  } catch (err) {
    if (!(err instanceof ProcedureError)) throw err;
    for (const i of err.issues) issues.push({ path: i.path ? `policy.${i.path}` : 'policy', message: i.message });
  }
  const messages: LoggedMessage[] = [];
  const decisions: LoggedDecision[] = [];
  const readList = (field: 'messages' | 'decisions'): void => {
    const list = raw[field];
    if (!Array.isArray(list)) {
      issues.push({ path: field, message: 'must be an array' });
      return;
    }
    const seen = new Set<string>();
    list.forEach((item: unknown, i) => {
      const input = field === 'decisions' && isRecord(item) ? { ...item, type: 'decision' } : item;
      const ev = checkEvent(input, `${field}[${i}]`, issues);
      if (ev === undefined) return;
      const id = ev.kind === 'message' ? ev.message.id : ev.kind === 'decision' ? ev.decision.id : '';
      if (ev.kind === 'deadline-passed' || (field === 'messages') !== (ev.kind === 'message')) {
        issues.push({ path: `${field}[${i}]`, message: `not a ${field === 'messages' ? 'message' : 'decision'}` });
      } else if (seen.has(id)) issues.push({ path: `${field}[${i}].id`, message: 'duplicate id' });
      else {
        seen.add(id);
        if (ev.kind === 'message') messages.push(ev.message);
        else if (ev.kind === 'decision') decisions.push(ev.decision);
      }
    });
  };
  readList('messages');
  readList('decisions');
  let clock: string | null = null;
  if (raw['clock'] !== null) {
    const c = typeof raw['clock'] === 'string' ? parseInstant(raw['clock']) : null;
    if (c === null) issues.push({ path: 'clock', message: 'must be null or an ISO date-time' });
    else clock = formatInstant(c);
  }
  throwIfIssues('ERR_PROCEDURE_INVALID_STATE', issues);
  for (const item of [...messages, ...decisions]) clock = later(clock, item.at);
  return build(key, policy as ProcedurePolicy, sortMessages(messages), sortMessages(decisions), clock);
}
