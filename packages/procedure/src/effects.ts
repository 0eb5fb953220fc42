/**
 * Effects are data the application carries out: tasks for a person, alarms for breached
 * deadlines, requests to be woken at a due time, notifications. They are the difference between
 * the derived results before and after a transition, so a duplicate produces none and both
 * parties get the same effects for the same messages (each app acts on its own `party`).
 */
import type { DeadlineRule, StayPhase, TaskName } from './definition';
import type { DerivedStay, StayIssue } from './derive';
import type { Party } from './events';

/** Open a task for a person at `party`. */
export interface TaskOpenEffect {
  readonly type: 'task';
  readonly action: 'open';
  readonly id: string;
  readonly task: TaskName;
  readonly party: Party;
  readonly period: number | null;
  readonly due: string | null;
  readonly expectedDate?: string;
}

/** The task is done or no longer needed. */
export interface TaskCloseEffect {
  readonly type: 'task';
  readonly action: 'close';
  readonly id: string;
  readonly task: TaskName;
  readonly party: Party;
  readonly period: number | null;
}

/** A deadline became breached (raised once per deadline). */
export interface AlarmEffect {
  readonly type: 'alarm';
  /** The deadline id. */
  readonly id: string;
  readonly rule: DeadlineRule;
  readonly party: Party;
  readonly period: number | null;
  readonly due: string;
  readonly metAt: string | null;
}

/** A deadline is pending: feed a `deadline-passed` event at `due` (persist it; no in-memory timer). */
export interface ScheduleDeadlineEffect {
  readonly type: 'schedule-deadline';
  readonly id: string;
  readonly rule: DeadlineRule;
  readonly period: number | null;
  readonly due: string;
}

/** Information for the people following the stay. */
export type NotificationEffect =
  | { readonly type: 'notification'; readonly notification: 'phase-changed'; readonly from: StayPhase; readonly to: StayPhase }
  | {
      readonly type: 'notification';
      readonly notification: 'message-superseded';
      readonly messageId: string;
      readonly by: string;
      readonly status: 'C' | 'M' | 'O';
    }
  | { readonly type: 'notification'; readonly notification: 'rate-missing'; readonly years: readonly string[] }
  | { readonly type: 'notification'; readonly notification: 'anomaly'; readonly issue: StayIssue };

/** Any effect of a transition. */
export type Effect = TaskOpenEffect | TaskCloseEffect | AlarmEffect | ScheduleDeadlineEffect | NotificationEffect;

/** The effects of going from `before` to `after`, in a fixed order (tasks closed, opened, alarms, schedules, notifications). */
export function diffEffects(before: DerivedStay, after: DerivedStay): Effect[] {
  const out: Effect[] = [];
  const afterTasks = new Map(after.tasks.map((t) => [t.id, t]));
  const beforeTasks = new Map(before.tasks.map((t) => [t.id, t]));
  for (const t of before.tasks) {
    if (!afterTasks.has(t.id)) out.push({ type: 'task', action: 'close', id: t.id, task: t.task, party: t.party, period: t.period });
  }
  for (const t of after.tasks) {
    const old = beforeTasks.get(t.id);
    if (old !== undefined && old.due === t.due && old.expectedDate === t.expectedDate) continue;
    const e: TaskOpenEffect = { type: 'task', action: 'open', id: t.id, task: t.task, party: t.party, period: t.period, due: t.due };
    out.push(t.expectedDate === undefined ? e : { ...e, expectedDate: t.expectedDate });
  }
  const beforeDeadlines = new Map(before.deadlines.map((d) => [d.id, d]));
  for (const d of after.deadlines) {
    if (d.breached && d.due !== null && beforeDeadlines.get(d.id)?.breached !== true) {
      out.push({ type: 'alarm', id: d.id, rule: d.rule, party: d.party, period: d.period, due: d.due, metAt: d.metAt });
    }
  }
  for (const d of after.deadlines) {
    const old = beforeDeadlines.get(d.id);
    if (d.status === 'pending' && d.due !== null && !(old?.status === 'pending' && old.due === d.due)) {
      out.push({ type: 'schedule-deadline', id: d.id, rule: d.rule, period: d.period, due: d.due });
    }
  }
  if (before.phase !== after.phase) out.push({ type: 'notification', notification: 'phase-changed', from: before.phase, to: after.phase });
  const beforeSuperseded = new Set(before.superseded.map((s) => `${s.id}>${s.by}`));
  for (const s of after.superseded) {
    if (!beforeSuperseded.has(`${s.id}>${s.by}`)) {
      out.push({ type: 'notification', notification: 'message-superseded', messageId: s.id, by: s.by, status: s.status });
    }
  }
  const newYears = after.missingRateYears.filter((y) => !before.missingRateYears.includes(y));
  if (newYears.length > 0) out.push({ type: 'notification', notification: 'rate-missing', years: newYears });
  const beforeIssues = new Set(before.issues.map((i) => JSON.stringify(i)));
  for (const issue of after.issues) {
    if (issue.code !== 'rate-missing' && !beforeIssues.has(JSON.stringify(issue))) out.push({ type: 'notification', notification: 'anomaly', issue });
  }
  return out;
}
