/**
 * Simulation of a scenario file: the contract integrators test against (`samhandling procedure
 * simulate`). A scenario is `{ stay?, policy?, until?, events: [...] }`; events use the
 * {@link MessageEvent} / {@link DecisionEvent} / {@link DeadlinePassedEvent} shapes and are applied
 * in file order (the result does not depend on that order; the effects list does).
 */
import { parseInstant } from './calendar';
import { machineInfo } from './definition';
import type { DeadlineRule, MachineInfo, StayPhase } from './definition';
import type { DeadlineStatus, PeriodEndReason, StayIssue } from './derive';
import type { Effect } from './effects';
import { throwIfIssues } from './errors';
import type { ProcedureIssue } from './errors';
import { checkEvent } from './events';
import type { Party, StayEvent } from './events';
import type { PolicyInput } from './policy';
import { createStay, transition } from './state';
import type { StayState } from './state';
import type { StayKey } from './stay-key';

/** A scenario document. */
export interface Scenario {
  /** The stay (optional in simulations). */
  readonly stay?: StayKey;
  /** Policy overrides; a policy given to {@link simulate} is applied over these. */
  readonly policy?: PolicyInput;
  /**
   * Run the clock to this instant after the events: every deadline that falls due by then gets a
   * `deadline-passed` event at its due time, as a scheduler would feed it.
   */
  readonly until?: string;
  readonly events: readonly StayEvent[];
}

/** One deadline in the simulation output. */
export interface SimulatedDeadline {
  readonly rule: DeadlineRule;
  readonly period: number | null;
  readonly party: Party;
  readonly due: string | null;
  readonly metAt: string | null;
  readonly breached: boolean;
  readonly status: DeadlineStatus;
}

/** One period in the simulation output. */
export interface SimulatedPeriod {
  readonly index: number;
  readonly declaredDay: string;
  readonly payable: boolean;
  readonly conditions: { readonly section8: DeadlineStatus; readonly section10: DeadlineStatus; readonly canReceiveInTime: boolean };
  readonly endReason: PeriodEndReason | null;
  readonly paymentDays: readonly string[];
  readonly amountNOK: number | null;
  readonly missingRateYears: readonly string[];
}

/** The output of {@link simulate} (printed as JSON by the CLI). */
export interface SimulationResult {
  readonly machine: MachineInfo;
  /** The final state (phase) of the stay. */
  readonly state: StayPhase;
  readonly deadlines: readonly SimulatedDeadline[];
  readonly periods: readonly SimulatedPeriod[];
  /** All payment days, sorted. */
  readonly paymentDays: readonly string[];
  /** `null` when a payment day's year has no configured rate (see `missingRateYears`). */
  readonly amountNOK: number | null;
  readonly missingRateYears: readonly string[];
  /** Every effect of every step, in order. */
  readonly effects: readonly Effect[];
  readonly issues: readonly StayIssue[];
}

const SCENARIO_FIELDS = ['stay', 'policy', 'until', 'events'];

/**
 * Checks a parsed scenario document; every event is validated (paths `events[i].field`).
 *
 * @throws ProcedureError `ERR_PROCEDURE_INVALID_SCENARIO` with every issue found.
 */
export function parseScenario(value: unknown): Scenario {
  const issues: ProcedureIssue[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throwIfIssues('ERR_PROCEDURE_INVALID_SCENARIO', [{ path: '', message: 'scenario must be a JSON object with "events"' }]);
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) if (!SCENARIO_FIELDS.includes(key)) issues.push({ path: key, message: 'unknown field' });
  if (!Array.isArray(v['events'])) issues.push({ path: 'events', message: 'must be an array' });
  else v['events'].forEach((e: unknown, i) => checkEvent(e, `events[${i}]`, issues));
  if (v['until'] !== undefined && (typeof v['until'] !== 'string' || parseInstant(v['until']) === null)) {
    issues.push({ path: 'until', message: 'must be an ISO 8601 date-time with offset' });
  }
  if (v['policy'] !== undefined && (typeof v['policy'] !== 'object' || v['policy'] === null || Array.isArray(v['policy']))) {
    issues.push({ path: 'policy', message: 'must be an object' });
  }
  throwIfIssues('ERR_PROCEDURE_INVALID_SCENARIO', issues);
  return v as unknown as Scenario;
}

/** Options for {@link simulate}. */
export interface SimulateOptions {
  /** Policy overrides applied over the scenario's own `policy`. */
  readonly policy?: PolicyInput;
  /** Accept a synthetic test person id in `stay`. */
  readonly allowSyntheticPersonIds?: boolean;
}

/** Runs a scenario and returns the final state with its effects. */
export function simulateState(scenario: unknown, options: SimulateOptions = {}): { state: StayState; effects: Effect[] } {
  const s = parseScenario(scenario);
  const policy = { ...(s.policy ?? {}), ...(options.policy ?? {}) };
  const create = s.stay === undefined ? { policy } : { policy, key: s.stay };
  let state = createStay({ ...create, allowSyntheticPersonIds: options.allowSyntheticPersonIds ?? false });
  const effects: Effect[] = [];
  for (const event of s.events) {
    const r = transition(state, event);
    state = r.state;
    effects.push(...r.effects);
  }
  if (s.until !== undefined) {
    const until = parseInstant(s.until) as number;
    for (let guard = 0; guard < 10_000; guard++) {
      const next = state.derived.deadlines
        .filter((d) => d.status === 'pending' && d.due !== null && Date.parse(d.due) <= until)
        .map((d) => d.due as string)
        .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
      if (next === undefined) break;
      const r = transition(state, { type: 'deadline-passed', at: next });
      state = r.state;
      effects.push(...r.effects);
    }
    const r = transition(state, { type: 'deadline-passed', at: s.until });
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

/**
 * Runs a scenario: `{ state, deadlines, periods, paymentDays, amountNOK, effects }` plus the
 * machine identity, missing rate years and issues.
 *
 * @throws ProcedureError `ERR_PROCEDURE_INVALID_SCENARIO`, `ERR_PROCEDURE_INVALID_POLICY`,
 * `ERR_PROCEDURE_INVALID_STAY_KEY`, `ERR_PROCEDURE_DUPLICATE_CONFLICT`.
 */
export function simulate(scenario: unknown, options: SimulateOptions = {}): SimulationResult {
  const { state, effects } = simulateState(scenario, options);
  return summarize(state, effects);
}

/** The simulation output for a state (and the effects that led to it). */
export function summarize(state: StayState, effects: readonly Effect[] = []): SimulationResult {
  const d = state.derived;
  return {
    machine: machineInfo(),
    state: d.phase,
    deadlines: d.deadlines.map((x) => ({
      rule: x.rule,
      period: x.period,
      party: x.party,
      due: x.due,
      metAt: x.metAt,
      breached: x.breached,
      status: x.status,
    })),
    periods: d.periods.map((p) => ({
      index: p.index,
      declaredDay: p.declaredDay,
      payable: p.payable,
      conditions: p.conditions,
      endReason: p.endReason,
      paymentDays: p.paymentDays,
      amountNOK: p.amountNOK,
      missingRateYears: p.missingRateYears,
    })),
    paymentDays: d.paymentDays,
    amountNOK: d.amountNOK,
    missingRateYears: d.missingRateYears,
    effects,
    issues: d.issues,
  };
}
