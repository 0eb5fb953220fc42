/**
 * An in-memory {@link ReceiptStore} for tests and examples. Not durable: a restart forgets every
 * receipt. Production uses the engine's SQLite or PostgreSQL store.
 */
import type { ReceiptStore, TrackedMessage, UnmatchedAppRec } from './types';

function copy<T>(value: T): T {
  return structuredClone(value);
}

/** {@link ReceiptStore} held in memory (tests only: nothing survives the process). */
export class InMemoryReceiptStore implements ReceiptStore {
  readonly #messages = new Map<string, TrackedMessage>();
  readonly #unmatched: UnmatchedAppRec[] = [];

  async insert(message: TrackedMessage): Promise<boolean> {
    if (this.#messages.has(message.msgId)) return false;
    this.#messages.set(message.msgId, copy(message));
    return true;
  }

  async get(msgId: string): Promise<TrackedMessage | undefined> {
    const m = this.#messages.get(msgId);
    return m === undefined ? undefined : copy(m);
  }

  async update(message: TrackedMessage, expectedRevision: number): Promise<boolean> {
    const current = this.#messages.get(message.msgId);
    if (current === undefined || current.revision !== expectedRevision) return false;
    this.#messages.set(message.msgId, copy(message));
    return true;
  }

  async due(now: string, limit: number): Promise<TrackedMessage[]> {
    const at = Date.parse(now);
    return [...this.#messages.values()]
      .filter((m) => m.nextCheckAt !== undefined && Date.parse(m.nextCheckAt) <= at)
      .sort((a, b) => Date.parse(a.nextCheckAt ?? '') - Date.parse(b.nextCheckAt ?? ''))
      .slice(0, limit)
      .map(copy);
  }

  async keepUnmatched(record: UnmatchedAppRec): Promise<void> {
    this.#unmatched.push(copy(record));
  }

  async listUnmatched(): Promise<UnmatchedAppRec[]> {
    return this.#unmatched.map(copy);
  }
}
