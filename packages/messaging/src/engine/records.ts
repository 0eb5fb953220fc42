/**
 * Small engine records kept in the store's versioned `procedure_state` table (optimistic
 * concurrency, so several instances can share one database): the task list, the stay index, the
 * partners' downtime state and the set of overdue receipts. Keys start with `engine:`; stays use
 * `stay:`. Every change is a read-modify-write retried on a version conflict.
 */
import { StoreError, isStoreError } from '../store/errors';
import type { JsonValue, MessagingStore } from '../store/types';

/** Key of the task list. */
export const TASKS_KEY = 'engine:tasks';
/** Key of the stay index. */
export const STAYS_KEY = 'engine:stays';
/** Key of the partners' downtime state. */
export const DOWNTIME_KEY = 'engine:downtime';
/** Key of the overdue-receipt set. */
export const OVERDUE_KEY = 'engine:overdue-receipts';

const MAX_TRIES = 50;

/** Reads a record's value. */
export async function readRecord<T>(store: MessagingStore, key: string): Promise<T | undefined> {
  const rec = await store.getProcedureState(key);
  return rec === undefined ? undefined : (rec.state as unknown as T);
}

/**
 * Changes a record: `change` gets the current value (undefined when new) and returns the new one,
 * or `undefined` to leave it unchanged. Retried on a concurrent change. Resolves the value now stored.
 */
export async function updateRecord<T>(
  store: MessagingStore,
  key: string,
  now: () => Date,
  change: (current: T | undefined) => T | undefined,
  patientRef?: string,
): Promise<T | undefined> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const rec = await store.getProcedureState(key);
    const current = rec === undefined ? undefined : (rec.state as unknown as T);
    const next = change(current);
    if (next === undefined) return current;
    try {
      await store.saveProcedureState(key, next as unknown as JsonValue, {
        expectedVersion: rec?.version ?? null,
        now: now(),
        ...(patientRef === undefined ? {} : { patientRef }),
      });
      return next;
    } catch (err) {
      if (isStoreError(err) && err.code === 'ERR_STORE_CONFLICT') continue;
      throw err;
    }
  }
  throw new StoreError('ERR_STORE_CONFLICT', `record ${key} kept changing concurrently`);
}

/** A task, alarm or notification for people (stored form of the API's TaskView). */
export interface TaskRecord {
  readonly id: string;
  readonly kind: 'task' | 'alarm' | 'notification';
  readonly title: string;
  readonly detail?: string;
  readonly stayKey?: string;
  readonly msgId?: string;
  readonly createdAt: string;
  readonly due?: string;
  readonly done: boolean;
  readonly doneAt?: string;
  readonly doneBy?: string;
}

interface TaskList {
  readonly tasks: readonly TaskRecord[];
}

/** Finished tasks kept in the list (the oldest finished ones are dropped beyond this). */
export const MAX_DONE_TASKS = 1000;

function trim(tasks: readonly TaskRecord[]): TaskRecord[] {
  const done = tasks.filter((t) => t.done);
  if (done.length <= MAX_DONE_TASKS) return [...tasks];
  const drop = new Set(done.slice(0, done.length - MAX_DONE_TASKS).map((t) => t.id));
  return tasks.filter((t) => !drop.has(t.id));
}

/** The task list of the engine. Ids are deterministic, so adding the same task twice changes nothing. */
export class TaskBook {
  constructor(
    private readonly store: MessagingStore,
    private readonly now: () => Date,
  ) {}

  /** Adds a task unless one with its id exists; resolves true when added. */
  async add(task: Omit<TaskRecord, 'done' | 'createdAt'> & { readonly createdAt?: string }): Promise<boolean> {
    let added = false;
    await updateRecord<TaskList>(this.store, TASKS_KEY, this.now, (cur) => {
      const tasks = cur?.tasks ?? [];
      if (tasks.some((t) => t.id === task.id)) return undefined;
      added = true;
      const rec: TaskRecord = { ...task, createdAt: task.createdAt ?? this.now().toISOString(), done: false };
      return { tasks: trim([...tasks, rec]) };
    });
    return added;
  }

  /** Marks a task done; resolves false when it does not exist or was done already. */
  async complete(id: string, by: string): Promise<boolean> {
    let changed = false;
    await updateRecord<TaskList>(this.store, TASKS_KEY, this.now, (cur) => {
      const tasks = cur?.tasks ?? [];
      const i = tasks.findIndex((t) => t.id === id);
      const task = tasks[i];
      if (task === undefined || task.done) return undefined;
      changed = true;
      const next = [...tasks];
      next[i] = { ...task, done: true, doneAt: this.now().toISOString(), doneBy: by };
      return { tasks: trim(next) };
    });
    return changed;
  }

  /**
   * Adds every task in `add` that does not exist yet and completes every open task that
   * `complete` selects, in ONE change of the list (one read, at most one write). Resolves the ids
   * of the tasks added.
   */
  async reconcile(
    add: readonly (Omit<TaskRecord, 'done' | 'createdAt'> & { readonly createdAt?: string })[],
    complete: (t: TaskRecord) => boolean,
    by: string,
  ): Promise<string[]> {
    let added: string[] = [];
    await updateRecord<TaskList>(this.store, TASKS_KEY, this.now, (cur) => {
      added = [];
      const tasks = [...(cur?.tasks ?? [])];
      const ids = new Set(tasks.map((t) => t.id));
      let changed = false;
      const at = this.now().toISOString();
      for (let i = 0; i < tasks.length; i++) {
        const t = tasks[i] as TaskRecord;
        if (t.done || !complete(t)) continue;
        tasks[i] = { ...t, done: true, doneAt: at, doneBy: by };
        changed = true;
      }
      for (const task of add) {
        if (ids.has(task.id)) continue;
        ids.add(task.id);
        tasks.push({ ...task, createdAt: task.createdAt ?? at, done: false });
        added.push(task.id);
        changed = true;
      }
      return changed ? { tasks: trim(tasks) } : undefined;
    });
    return added;
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    return (await this.list()).find((t) => t.id === id);
  }

  async list(): Promise<readonly TaskRecord[]> {
    return (await readRecord<TaskList>(this.store, TASKS_KEY))?.tasks ?? [];
  }
}

interface OverdueSet {
  readonly msgIds: readonly { readonly msgId: string; readonly partnerHerId: string }[];
}

/** Outgoing messages whose AppRec is overdue, per partner (for metrics and downtime detection). */
export class OverdueReceipts {
  constructor(
    private readonly store: MessagingStore,
    private readonly now: () => Date,
  ) {}

  async add(msgId: string, partnerHerId: string): Promise<void> {
    await updateRecord<OverdueSet>(this.store, OVERDUE_KEY, this.now, (cur) => {
      const ids = cur?.msgIds ?? [];
      if (ids.some((e) => e.msgId === msgId)) return undefined;
      return { msgIds: [...ids, { msgId, partnerHerId }] };
    });
  }

  /** Removes a settled message; resolves the partner it was overdue for, if it was. */
  async remove(msgId: string): Promise<string | undefined> {
    let partner: string | undefined;
    await updateRecord<OverdueSet>(this.store, OVERDUE_KEY, this.now, (cur) => {
      const ids = cur?.msgIds ?? [];
      const hit = ids.find((e) => e.msgId === msgId);
      if (hit === undefined) return undefined;
      partner = hit.partnerHerId;
      return { msgIds: ids.filter((e) => e.msgId !== msgId) };
    });
    return partner;
  }

  async list(): Promise<readonly { readonly msgId: string; readonly partnerHerId: string }[]> {
    return (await readRecord<OverdueSet>(this.store, OVERDUE_KEY))?.msgIds ?? [];
  }
}
