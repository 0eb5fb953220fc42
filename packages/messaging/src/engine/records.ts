/**
 * Small engine records. The task list and the stay index have a row each in dedicated store
 * tables (`engine_tasks`, `engine_stays`; ADR 0015), so a change writes only what it touches and
 * its cost does not grow with the number of stays. The partners' downtime state and the set of
 * overdue receipts stay in the store's versioned `procedure_state` table (keys `engine:`; stays use
 * `stay:`), changed by read-modify-write retried on a version conflict.
 */
import { StoreError, isStoreError } from '../store/errors';
import type { EngineTask, EngineTaskInput, JsonValue, MessagingStore, StayIndexEntry } from '../store/types';

/** Key of the task list before schema version 2 (now the table `engine_tasks`). */
export const TASKS_KEY = 'engine:tasks';
/**
 * Key of the stay index. Since schema version 2 the index is the table `engine_stays`:
 * {@link readRecord} and {@link updateRecord} on this key read and write its rows (a change writes
 * only the entries that differ).
 */
export const STAYS_KEY = 'engine:stays';
/** Key of the partners' downtime state. */
export const DOWNTIME_KEY = 'engine:downtime';
/** Key of the overdue-receipt set. */
export const OVERDUE_KEY = 'engine:overdue-receipts';

const MAX_TRIES = 50;

/** Reads a record's value. */
export async function readRecord<T>(store: MessagingStore, key: string): Promise<T | undefined> {
  if (key === STAYS_KEY) return (await readStayIndex(store)) as unknown as T;
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
    if (key === STAYS_KEY) {
      const current = await readStayIndex(store);
      const next = change(current as unknown as T);
      if (next === undefined) return current as unknown as T;
      try {
        await writeStayIndex(store, current, next as unknown as StayIndexDocument);
        return next;
      } catch (err) {
        if (isStoreError(err) && err.code === 'ERR_STORE_CONFLICT') continue;
        throw err;
      }
    }
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

/** The stay index as the stays module sees it (one entry per stay, opening order). */
interface StayIndexDocumentEntry {
  readonly key: string;
  readonly patientRef: string;
  readonly hospitalHerId: string;
  readonly openedAt: string;
  readonly terminal: boolean;
  readonly innlagt?: string;
  readonly nextDue?: string;
}

interface StayIndexDocument {
  readonly stays: readonly StayIndexDocumentEntry[];
}

async function readStayIndex(store: MessagingStore): Promise<StayIndexDocument> {
  const stays: StayIndexDocumentEntry[] = [];
  let afterKey: string | undefined;
  for (;;) {
    const page = await store.listStayIndex({ limit: PAGE, ...(afterKey === undefined ? {} : { afterKey }) });
    for (const e of page) {
      stays.push({
        key: e.stayKey,
        patientRef: e.patientRef,
        hospitalHerId: e.hospitalHerId,
        openedAt: e.openedAt.toISOString(),
        terminal: e.terminal,
        ...(e.innlagt === undefined ? {} : { innlagt: e.innlagt }),
        ...(e.nextDue === undefined ? {} : { nextDue: e.nextDue.toISOString() }),
      });
    }
    if (page.length < PAGE) return { stays };
    afterKey = page[page.length - 1]?.stayKey;
  }
}

const msOf = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

/**
 * Writes the entries of `next` that differ from `current`: new stays, changed flags, LOG_INNLAGT
 * and deadlines, and removes the stays `next` no longer has. A stay added meanwhile by someone
 * else is refused (ERR_STORE_CONFLICT), so the caller re-reads and decides again.
 */
async function writeStayIndex(store: MessagingStore, current: StayIndexDocument, next: StayIndexDocument): Promise<void> {
  const before = new Map(current.stays.map((e) => [e.key, e]));
  const after = new Set(next.stays.map((e) => e.key));
  for (const e of next.stays) {
    const old = before.get(e.key);
    if (old === undefined) {
      const entry: StayIndexEntry = {
        stayKey: e.key,
        patientRef: e.patientRef,
        hospitalHerId: e.hospitalHerId,
        openedAt: new Date(e.openedAt),
        terminal: e.terminal,
        ...(e.innlagt === undefined ? {} : { innlagt: e.innlagt }),
        ...(e.nextDue === undefined ? {} : { nextDue: new Date(e.nextDue) }),
      };
      await store.addStayIndex(entry);
      continue;
    }
    const due = msOf(e.nextDue);
    const change = {
      ...(old.terminal === e.terminal ? {} : { terminal: e.terminal }),
      ...(old.innlagt === e.innlagt ? {} : { innlagt: e.innlagt ?? null }),
      ...(due === msOf(old.nextDue) ? {} : { nextDue: due === undefined ? null : new Date(due) }),
    };
    if (Object.keys(change).length > 0) await store.updateStayIndex(e.key, change);
  }
  for (const e of current.stays) if (!after.has(e.key)) await store.removeStayIndex(e.key);
}

/** A task, alarm or notification for people (the API's TaskView plus when and by whom it was done). */
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

/** A task to add (deterministic id). */
export type TaskInput = Omit<TaskRecord, 'done' | 'createdAt' | 'doneAt' | 'doneBy'> & { readonly createdAt?: string };

/** Which open tasks a {@link TaskBook.reconcile} completes: by id, and/or a stay's tasks the procedure no longer asks for. */
export interface TaskCompletion {
  readonly ids?: readonly string[];
  readonly stay?: { readonly stayKey: string; readonly idPrefix: string; readonly keep: readonly string[] };
}

function toRecord(t: EngineTask): TaskRecord {
  return {
    id: t.taskId,
    kind: t.kind,
    title: t.title,
    ...(t.detail === undefined ? {} : { detail: t.detail }),
    ...(t.stayKey === undefined ? {} : { stayKey: t.stayKey }),
    ...(t.msgId === undefined ? {} : { msgId: t.msgId }),
    createdAt: t.createdAt.toISOString(),
    ...(t.due === undefined ? {} : { due: t.due }),
    done: t.done,
    ...(t.doneAt === undefined ? {} : { doneAt: t.doneAt.toISOString() }),
    ...(t.doneBy === undefined ? {} : { doneBy: t.doneBy }),
  };
}

function toInput(t: TaskInput): EngineTaskInput {
  return {
    taskId: t.id,
    kind: t.kind,
    title: t.title,
    ...(t.detail === undefined ? {} : { detail: t.detail }),
    ...(t.stayKey === undefined ? {} : { stayKey: t.stayKey }),
    ...(t.msgId === undefined ? {} : { msgId: t.msgId }),
    ...(t.createdAt === undefined ? {} : { createdAt: new Date(t.createdAt) }),
    ...(t.due === undefined ? {} : { due: t.due }),
  };
}

const PAGE = 1000;

/**
 * The task list of the engine: one row per task in the store's `engine_tasks` table (ADR 0015), so
 * a change writes only the tasks it touches. Ids are deterministic: adding the same task twice
 * changes nothing.
 */
export class TaskBook {
  constructor(
    private readonly store: MessagingStore,
    private readonly now: () => Date,
  ) {}

  /** Adds a task unless one with its id exists; resolves true when added. */
  async add(task: TaskInput): Promise<boolean> {
    const r = await this.store.changeTasks({ add: [toInput(task)], by: 'engine', now: this.now() });
    return r.added.length > 0;
  }

  /** Marks a task done; resolves false when it does not exist or was done already. */
  async complete(id: string, by: string): Promise<boolean> {
    const r = await this.store.changeTasks({ complete: [id], by, now: this.now() });
    return r.completed.length > 0;
  }

  /**
   * Adds every task in `add` that does not exist yet and completes the open tasks `complete`
   * selects, in ONE transaction. `complete` names them ({@link TaskCompletion}: one statement), or
   * is a predicate over the open tasks (they are read first). Resolves the ids of the tasks added.
   */
  async reconcile(add: readonly TaskInput[], complete: TaskCompletion | ((t: TaskRecord) => boolean), by: string): Promise<string[]> {
    let ids: readonly string[] | undefined;
    let stay: TaskCompletion['stay'];
    if (typeof complete === 'function') {
      ids = (await this.open()).filter(complete).map((t) => t.id);
    } else {
      ids = complete.ids;
      stay = complete.stay;
    }
    if (add.length === 0 && (ids === undefined || ids.length === 0) && stay === undefined) return [];
    const r = await this.store.changeTasks({
      add: add.map(toInput),
      ...(ids === undefined || ids.length === 0 ? {} : { complete: ids }),
      ...(stay === undefined ? {} : { completeStay: stay }),
      by,
      now: this.now(),
    });
    return [...r.added];
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const t = await this.store.getTask(id);
    return t === undefined ? undefined : toRecord(t);
  }

  /** Tasks about one message, in creation order. */
  async forMessage(msgId: string): Promise<readonly TaskRecord[]> {
    return this.#all({ msgId });
  }

  /** The open tasks, in creation order. */
  async open(): Promise<readonly TaskRecord[]> {
    return this.#all({ done: false });
  }

  /** Every task, in creation order. */
  async list(): Promise<readonly TaskRecord[]> {
    return this.#all({});
  }

  async #all(filter: { readonly done?: boolean; readonly msgId?: string }): Promise<TaskRecord[]> {
    const out: TaskRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.store.listTasks({ ...filter, limit: PAGE, ...(after === undefined ? {} : { after }) });
      for (const t of page) out.push(toRecord(t));
      if (page.length < PAGE) return out;
      after = page[page.length - 1]?.seq;
    }
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
