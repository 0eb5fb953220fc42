import type { SeenMessage, SeenMessageStore } from './types';

/** An in-memory {@link SeenMessageStore} (tests and demos; forgets everything on restart). */
export function createInMemorySeenMessages(): SeenMessageStore {
  const records = new Map<string, SeenMessage>();
  const key = (from: string, messageId: string): string => `${from}\u0000${messageId}`;
  return {
    get(from, messageId) {
      return Promise.resolve(records.get(key(from, messageId)));
    },
    put(record) {
      const k = key(record.from, record.messageId);
      if (!records.has(k)) records.set(k, record);
      return Promise.resolve();
    },
  };
}
