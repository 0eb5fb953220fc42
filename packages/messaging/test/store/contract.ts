/**
 * The store contract: one Jest suite that every {@link MessagingStore} adapter must pass. Run it
 * from an adapter's test file:
 *
 * ```ts
 * describeStoreContract('SQLite', { createDatabase: async () => ({ open, exec, dispose }) });
 * ```
 *
 * Each test gets a fresh, empty database; `open()` may be called several times to get several
 * store instances on the same database (= several engine instances). Not part of the published
 * API (tests only).
 */
import { ReceiptTracker, closeManually, startTracking } from '@samhandling/apprec';
import type { AppRec, TrackedMessage } from '@samhandling/apprec';
import { MANUAL_DELIVERY_REASON_PREFIX, STORE_SCHEMA_VERSION } from '../../src/store/types';
import type { IncomingClaim, IncomingResult, MessagingStore, OutgoingMessage } from '../../src/store/types';
import type { SqlMigration } from '../../src/store/sql/driver';

/** A fresh database for one test. */
export interface StoreContractDatabase {
  /** Opens (and migrates) a new store instance on this database. */
  open(): Promise<MessagingStore>;
  /** Runs raw SQL on the database outside the store (rejects with the driver's error). */
  exec(sql: string): Promise<void>;
  /** Removes the database (stores opened on it are closed by the suite first). */
  dispose(): Promise<void>;
}

/** What the suite needs from an adapter. */
export interface StoreContractTarget {
  /** Once before all tests (e.g. start a server). */
  readonly setup?: () => Promise<void>;
  /** Once after all tests. */
  readonly teardown?: () => Promise<void>;
  /** A fresh, empty database. */
  readonly createDatabase: () => Promise<StoreContractDatabase>;
  /** When set, the suite is skipped and this reason is printed. */
  readonly skip?: string;
  /** The adapter's migrations: the data-moving migrations are tested from the schema before them. */
  readonly migrations?: readonly SqlMigration[];
}

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (ms: number): Date => new Date(T0 + ms);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const US = '8142519';
const PARTNER = '8094866';
const PATIENT = 'p1-k2V8y1mG5vQ0cW3tTqkq2fX9p6o8sYbJc1e4u7r0nHd';

const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s);
const textOf = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

function outgoing(msgId: string, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    msgId,
    msgType: 'LOG_INNLAGT',
    senderHerId: US,
    receiverHerId: PARTNER,
    conversationRef: `conv-${msgId}`,
    patientRef: PATIENT,
    payload: bytesOf(`cms:${msgId}`),
    transportMeta: { cpaId: 'cpa-1', service: 'PLO', action: 'Innlagt' },
    createdAt: at(0),
    expiresAt: at(24 * HOUR),
    ...overrides,
  };
}

function expectation(msgId: string, sentAt = T0): TrackedMessage {
  return startTracking({ msgId, type: 'LOG_INNLAGT', receiverHerIds: ['8000001', PARTNER], senderHerIds: [US] }, sentAt, {
    defaultDeadlineMs: HOUR,
    escalateAfterMs: 30 * MINUTE,
  });
}

function delivered(msgId: string, sender = PARTNER, appRecId = `apprec-${msgId}`): IncomingResult {
  return {
    state: 'delivered',
    msgId,
    senderHerId: sender,
    receiverHerId: US,
    msgType: 'DIALOG_FORESPORSEL',
    conversationRef: `conv-${msgId}`,
    patientRef: PATIENT,
    inbox: { payload: bytesOf(`<MsgHead id="${msgId}"/>`) },
    contentHash: `sha256:${msgId}`,
    appRec: { msgId: appRecId, xml: bytesOf(`<AppRec id="${appRecId}"/>`) },
    reply: outgoing(appRecId, { msgType: 'APPREC', receiverHerId: sender, conversationRef: undefined, createdAt: at(0), expiresAt: at(HOUR) }),
  };
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'StoreError', code });
}

/** Registers the store contract suite for one adapter. */
export function describeStoreContract(name: string, target: StoreContractTarget): void {
  if (target.skip !== undefined) {
    describe.skip(`store contract: ${name}`, () => {
      it('is skipped', () => undefined);
    });
    console.warn(`store contract ${name} skipped: ${target.skip}`);
    return;
  }

  describe(`store contract: ${name}`, () => {
    let db: StoreContractDatabase;
    let opened: MessagingStore[] = [];
    let store: MessagingStore;

    const open = async (): Promise<MessagingStore> => {
      const s = await db.open();
      opened.push(s);
      return s;
    };

    if (target.setup !== undefined) beforeAll(target.setup, 120_000);
    if (target.teardown !== undefined) afterAll(target.teardown, 60_000);

    beforeEach(async () => {
      db = await target.createDatabase();
      opened = [];
      store = await open();
    });

    afterEach(async () => {
      for (const s of opened) await s.close();
      await db.dispose();
    });

    async function claimOne(s: MessagingStore, now: Date, leaseMs = MINUTE): Promise<IncomingClaim> {
      const [claim, ...rest] = await s.claimIncoming({ workerId: 'w', now, limit: 10, leaseMs });
      expect(rest).toHaveLength(0);
      if (claim === undefined) throw new Error('nothing claimed');
      return claim;
    }

    describe('schema and migrations', () => {
      it('is at the current schema version', async () => {
        expect(await store.schemaVersion()).toBe(STORE_SCHEMA_VERSION);
      });

      it('opening again is idempotent and keeps the data', async () => {
        await store.enqueueOutgoing(outgoing('m1'));
        const again = await open();
        expect(await again.schemaVersion()).toBe(STORE_SCHEMA_VERSION);
        expect((await again.getOutgoing('m1'))?.state).toBe('queued');
      });

      it('instances starting together migrate once', async () => {
        const fresh = await target.createDatabase();
        const stores = await Promise.all([fresh.open(), fresh.open(), fresh.open()]);
        try {
          for (const s of stores) expect(await s.schemaVersion()).toBe(STORE_SCHEMA_VERSION);
        } finally {
          for (const s of stores) await s.close();
          await fresh.dispose();
        }
      });

      it('refuses a database with a newer schema', async () => {
        await db.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${STORE_SCHEMA_VERSION + 1}, '999_future', 0)`);
        await rejectsWithCode(db.open(), 'ERR_STORE_SCHEMA_NEWER');
      });

      it('refuses a migration history that does not match', async () => {
        await db.exec(`UPDATE schema_migrations SET name = 'other' WHERE version = 1`);
        await rejectsWithCode(db.open(), 'ERR_STORE_MIGRATION');
      });

      it('a closed store refuses work', async () => {
        const s = await open();
        await s.close();
        await rejectsWithCode(s.listOutgoing(), 'ERR_STORE_CLOSED');
      });
    });

    describe('outbox', () => {
      it('stores a message and its receipt expectation together', async () => {
        const rec = await store.enqueueOutgoing(outgoing('m1'), expectation('m1'));
        expect(rec).toMatchObject({ msgId: 'm1', state: 'queued', attempts: 0, patientRef: PATIENT, nextAttemptAt: at(0) });
        const got = await store.getOutgoing('m1');
        expect(textOf(got!.payload)).toBe('cms:m1');
        expect(got!.transportMeta).toEqual({ cpaId: 'cpa-1', service: 'PLO', action: 'Innlagt' });
        expect(await store.receipts.get('m1')).toEqual(expectation('m1'));
      });

      it('enqueues an AppRec without an expectation', async () => {
        await store.enqueueOutgoing(outgoing('a1', { msgType: 'APPREC' }));
        expect(await store.receipts.get('a1')).toBeUndefined();
      });

      it('a failure in the middle of the transaction stores neither', async () => {
        expect(await store.receipts.insert(expectation('m1'))).toBe(true);
        await rejectsWithCode(store.enqueueOutgoing(outgoing('m1'), expectation('m1')), 'ERR_STORE_CONFLICT');
        expect(await store.getOutgoing('m1')).toBeUndefined();
      });

      it('refuses a msgId that is already queued', async () => {
        await store.enqueueOutgoing(outgoing('m1'));
        await rejectsWithCode(store.enqueueOutgoing(outgoing('m1'), expectation('m1')), 'ERR_STORE_CONFLICT');
        expect(await store.receipts.get('m1')).toBeUndefined();
      });

      it('rejects caller mistakes with TypeError/RangeError', async () => {
        await expect(store.enqueueOutgoing(outgoing('m1'), expectation('m2'))).rejects.toThrow(TypeError);
        await expect(store.enqueueOutgoing(outgoing('m1', { expiresAt: new Date(Number.NaN) }))).rejects.toThrow(RangeError);
        await expect(store.claimOutgoing({ workerId: 'w', now: at(0), limit: 0, leaseMs: 1 })).rejects.toThrow(RangeError);
      });

      it('claims due messages only, with a lease, and counts attempts', async () => {
        await store.enqueueOutgoing(outgoing('m1', { nextAttemptAt: at(10 * SECOND) }));
        expect(await store.claimOutgoing({ workerId: 'w1', now: at(9 * SECOND), limit: 10, leaseMs: MINUTE })).toEqual([]);
        const [claim] = await store.claimOutgoing({ workerId: 'w1', now: at(10 * SECOND), limit: 10, leaseMs: MINUTE });
        expect(claim).toMatchObject({ msgId: 'm1', state: 'sending', attempts: 1, leaseUntil: at(70 * SECOND) });
        expect(textOf(claim!.payload)).toBe('cms:m1');
        expect(claim!.lease).toMatch(/^w1\//);
        expect(await store.claimOutgoing({ workerId: 'w2', now: at(20 * SECOND), limit: 10, leaseMs: MINUTE })).toEqual([]);
      });

      it('claims in due order up to the limit', async () => {
        await store.enqueueOutgoing(outgoing('late', { nextAttemptAt: at(3 * SECOND) }));
        await store.enqueueOutgoing(outgoing('early', { nextAttemptAt: at(1 * SECOND) }));
        await store.enqueueOutgoing(outgoing('middle', { nextAttemptAt: at(2 * SECOND) }));
        const first = await store.claimOutgoing({ workerId: 'w', now: at(MINUTE), limit: 2, leaseMs: MINUTE });
        expect(first.map((c) => c.msgId)).toEqual(['early', 'middle']);
        const second = await store.claimOutgoing({ workerId: 'w', now: at(MINUTE), limit: 2, leaseMs: MINUTE });
        expect(second.map((c) => c.msgId)).toEqual(['late']);
      });

      it('an expired lease is claimed again and fences out the old holder', async () => {
        await store.enqueueOutgoing(outgoing('m1'));
        const [first] = await store.claimOutgoing({ workerId: 'crashed', now: at(0), limit: 1, leaseMs: MINUTE });
        expect(await store.claimOutgoing({ workerId: 'w2', now: at(MINUTE - 1), limit: 1, leaseMs: MINUTE })).toEqual([]);
        const [second] = await store.claimOutgoing({ workerId: 'w2', now: at(MINUTE), limit: 1, leaseMs: MINUTE });
        expect(second).toMatchObject({ msgId: 'm1', attempts: 2 });
        expect(second!.lease).not.toBe(first!.lease);
        await rejectsWithCode(store.markSent('m1', first!.lease, { now: at(MINUTE) }), 'ERR_STORE_LEASE_LOST');
        await rejectsWithCode(store.markFailed('m1', first!.lease, { now: at(MINUTE), nextAttemptAt: at(2 * MINUTE), error: 'x' }), 'ERR_STORE_LEASE_LOST');
        await rejectsWithCode(store.deadLetter('m1', first!.lease, 'ttl', at(MINUTE)), 'ERR_STORE_LEASE_LOST');
        expect((await store.markSent('m1', second!.lease, { now: at(MINUTE) })).state).toBe('sent');
        await rejectsWithCode(store.markSent('nope', second!.lease, { now: at(MINUTE) }), 'ERR_STORE_NOT_FOUND');
      });

      it('re-sends when the transport acknowledgment is overdue, stops when it arrives', async () => {
        await store.enqueueOutgoing(outgoing('m1'));
        const [c1] = await store.claimOutgoing({ workerId: 'w', now: at(0), limit: 1, leaseMs: MINUTE });
        const sent = await store.markSent('m1', c1!.lease, { now: at(SECOND), transportMessageId: 'eb-1', ackDeadline: at(10 * MINUTE) });
        expect(sent).toMatchObject({ state: 'sent', transportMessageId: 'eb-1', sentAt: at(SECOND), nextAttemptAt: at(10 * MINUTE) });
        expect(sent.leaseUntil).toBeUndefined();
        expect(await store.claimOutgoing({ workerId: 'w', now: at(10 * MINUTE - 1), limit: 1, leaseMs: MINUTE })).toEqual([]);
        const [c2] = await store.claimOutgoing({ workerId: 'w', now: at(10 * MINUTE), limit: 1, leaseMs: MINUTE });
        expect(c2).toMatchObject({ msgId: 'm1', attempts: 2, transportMessageId: 'eb-1' });
        await store.markSent('m1', c2!.lease, { now: at(10 * MINUTE), transportMessageId: 'eb-1', ackDeadline: at(20 * MINUTE) });
        expect(await store.markAcknowledged('m1', at(11 * MINUTE))).toBe(true);
        expect(await store.markAcknowledged('m1', at(12 * MINUTE))).toBe(false);
        expect(await store.claimOutgoing({ workerId: 'w', now: at(HOUR), limit: 1, leaseMs: MINUTE })).toEqual([]);
        expect(await store.getOutgoing('m1')).toMatchObject({ state: 'acknowledged', acknowledgedAt: at(11 * MINUTE) });
        await rejectsWithCode(store.markAcknowledged('nope', at(0)), 'ERR_STORE_NOT_FOUND');
      });

      it('a sent message without an acknowledgment deadline is not claimed again', async () => {
        await store.enqueueOutgoing(outgoing('m1'));
        const [c] = await store.claimOutgoing({ workerId: 'w', now: at(0), limit: 1, leaseMs: MINUTE });
        await store.markSent('m1', c!.lease, { now: at(0) });
        expect(await store.claimOutgoing({ workerId: 'w', now: at(24 * HOUR), limit: 1, leaseMs: MINUTE })).toEqual([]);
      });

      it('retries a failed attempt at its next time, dead-letters and resends on operator request', async () => {
        await store.enqueueOutgoing(outgoing('m1'));
        const [c1] = await store.claimOutgoing({ workerId: 'w', now: at(0), limit: 1, leaseMs: MINUTE });
        const failed = await store.markFailed('m1', c1!.lease, { now: at(SECOND), nextAttemptAt: at(30 * SECOND), error: 'ECONNREFUSED' });
        expect(failed).toMatchObject({ state: 'failed', lastError: 'ECONNREFUSED', nextAttemptAt: at(30 * SECOND) });
        expect(await store.claimOutgoing({ workerId: 'w', now: at(29 * SECOND), limit: 1, leaseMs: MINUTE })).toEqual([]);
        const [c2] = await store.claimOutgoing({ workerId: 'w', now: at(30 * SECOND), limit: 1, leaseMs: MINUTE });
        expect(c2!.attempts).toBe(2);
        const dead = await store.deadLetter('m1', c2!.lease, 'time-to-live passed', at(31 * SECOND));
        expect(dead).toMatchObject({ state: 'dead-letter', deadLetterReason: 'time-to-live passed' });
        expect(dead.nextAttemptAt).toBeUndefined();
        expect(await store.claimOutgoing({ workerId: 'w', now: at(48 * HOUR), limit: 1, leaseMs: MINUTE })).toEqual([]);
        expect((await store.listOutgoing({ state: 'dead-letter' })).map((m) => m.msgId)).toEqual(['m1']);

        const resent = await store.resendOutgoing('m1', { actor: 'operator:kari', now: at(HOUR), expiresAt: at(25 * HOUR) });
        expect(resent).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: at(HOUR), expiresAt: at(25 * HOUR) });
        expect(resent.deadLetterReason).toBeUndefined();
        const audit = await store.listAudit({ action: 'resend' });
        expect(audit).toEqual([expect.objectContaining({ actor: 'operator:kari', subjectType: 'outgoing', subjectId: 'm1', patientRef: PATIENT, at: at(HOUR) })]);
        await rejectsWithCode(store.resendOutgoing('m1', { actor: 'x', now: at(HOUR), expiresAt: at(2 * HOUR) }), 'ERR_STORE_INVALID_STATE');
        await rejectsWithCode(store.resendOutgoing('nope', { actor: 'x', now: at(HOUR), expiresAt: at(2 * HOUR) }), 'ERR_STORE_NOT_FOUND');
        expect((await store.claimOutgoing({ workerId: 'w', now: at(HOUR), limit: 1, leaseMs: MINUTE }))[0]).toMatchObject({ msgId: 'm1', attempts: 1 });
      });

      it('requeues a sent message (a duplicate wants its AppRec again), leaves a queued one alone', async () => {
        await store.enqueueOutgoing(outgoing('a1', { msgType: 'APPREC' }));
        expect(await store.requeueOutgoing('a1', { now: at(MINUTE), expiresAt: at(HOUR) })).toBe(false);
        const [c] = await store.claimOutgoing({ workerId: 'w', now: at(0), limit: 1, leaseMs: MINUTE });
        await store.markSent('a1', c!.lease, { now: at(0), transportMessageId: 'eb-a1' });
        await store.markAcknowledged('a1', at(SECOND));
        expect(await store.requeueOutgoing('a1', { now: at(MINUTE), expiresAt: at(HOUR) })).toBe(true);
        const again = await store.getOutgoing('a1');
        expect(again).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: at(MINUTE) });
        expect(again!.transportMessageId).toBeUndefined();
        await rejectsWithCode(store.requeueOutgoing('nope', { now: at(0), expiresAt: at(HOUR) }), 'ERR_STORE_NOT_FOUND');
      });

      it('a message delivered by hand leaves the electronic channel, with its receipt, log and audit entries in one transaction', async () => {
        await store.enqueueOutgoing(outgoing('m1'), expectation('m1'));
        await store.enqueueOutgoing(outgoing('m2'), expectation('m2'));
        const [c1] = await store.claimOutgoing({ workerId: 'w', now: at(0), limit: 1, leaseMs: MINUTE });
        await store.markFailed('m1', c1!.lease, { now: at(SECOND), nextAttemptAt: at(MINUTE), error: 'held: manual mode' });
        const tracked = (await store.receipts.get('m1'))!;
        const manual = closeManually(tracked, at(2 * SECOND).getTime(), 'telefaks');
        const done = await store.closeOutgoingManually({ msgId: 'm1', partnerHerId: PARTNER, channel: 'telefaks', note: 'kl 08:15', actor: 'operator:kari', now: at(2 * SECOND), receiptUpdate: { message: manual, expectedRevision: tracked.revision } });
        expect(done).toMatchObject({ closed: true, outgoing: { msgId: 'm1', state: 'dead-letter', deadLetterReason: `${MANUAL_DELIVERY_REASON_PREFIX} telefaks` }, event: { kind: 'manual-delivery', partnerHerId: PARTNER, msgId: 'm1', actor: 'operator:kari' } });
        expect(done.event.details).toEqual({ channel: 'telefaks', note: 'kl 08:15', direction: 'sent' });
        expect((await store.receipts.get('m1'))?.state).toBe('manual');
        expect(await store.listAudit({ action: 'manual-delivery' })).toEqual([expect.objectContaining({ actor: 'operator:kari', subjectType: 'outgoing', subjectId: 'm1', patientRef: PATIENT })]);
        // never claimed, requeued or resent again
        expect((await store.claimOutgoing({ workerId: 'w', now: at(48 * HOUR), limit: 10, leaseMs: MINUTE })).map((c) => c.msgId)).toEqual(['m2']);
        expect(await store.requeueOutgoing('m1', { now: at(HOUR), expiresAt: at(2 * HOUR) })).toBe(false);
        await rejectsWithCode(store.resendOutgoing('m1', { actor: 'x', now: at(HOUR), expiresAt: at(2 * HOUR) }), 'ERR_STORE_INVALID_STATE');
        // recorded again (a second channel): logged, nothing else changes
        const again = await store.closeOutgoingManually({ msgId: 'm1', partnerHerId: PARTNER, channel: 'post', note: '', actor: 'operator:kari', now: at(3 * SECOND) });
        expect(again).toMatchObject({ closed: false, outgoing: { state: 'dead-letter', deadLetterReason: `${MANUAL_DELIVERY_REASON_PREFIX} telefaks` } });
        expect((await store.listDowntime({ kind: 'manual-delivery' })).length).toBe(2);
        // m2 was claimed above and is being sent right now: refused, nothing written
        await rejectsWithCode(store.closeOutgoingManually({ msgId: 'm2', partnerHerId: PARTNER, channel: 'post', note: '', actor: 'x', now: at(4 * SECOND) }), 'ERR_STORE_INVALID_STATE');
        await rejectsWithCode(store.closeOutgoingManually({ msgId: 'nope', partnerHerId: PARTNER, channel: 'post', note: '', actor: 'x', now: at(4 * SECOND) }), 'ERR_STORE_NOT_FOUND');
        expect((await store.listDowntime({ kind: 'manual-delivery' })).length).toBe(2);
        await expect(store.closeOutgoingManually({ msgId: 'm1', partnerHerId: PARTNER, channel: ' ', note: '', actor: 'x', now: at(0) })).rejects.toThrow(TypeError);
      });

      it('a stale receipt revision makes a delivery by hand write nothing', async () => {
        await store.enqueueOutgoing(outgoing('m1'), expectation('m1'));
        const t = (await store.receipts.get('m1'))!;
        await rejectsWithCode(
          store.closeOutgoingManually({ msgId: 'm1', partnerHerId: PARTNER, channel: 'post', note: '', actor: 'x', now: at(MINUTE), receiptUpdate: { message: closeManually(t, at(MINUTE).getTime(), 'post'), expectedRevision: t.revision + 1 } }),
          'ERR_STORE_CONFLICT',
        );
        expect(await store.getOutgoing('m1')).toMatchObject({ state: 'queued' });
        expect(await store.listDowntime({ kind: 'manual-delivery' })).toEqual([]);
        expect(await store.listAudit({ action: 'manual-delivery' })).toEqual([]);
        expect((await store.receipts.get('m1'))?.state).toBe('awaiting');
      });

      it('a refusal by the peer dead-letters a sent message at once; one being sent is left to its sender', async () => {
        await store.enqueueOutgoing(outgoing('m1'));
        await store.enqueueOutgoing(outgoing('m2'));
        const [c1] = await store.claimOutgoing({ workerId: 'w', now: at(0), limit: 1, leaseMs: MINUTE });
        await store.markSent('m1', c1!.lease, { now: at(0), transportMessageId: 'eb-m1', ackDeadline: at(10 * MINUTE) });
        const refused = await store.refuseOutgoing('m1', 'refused by the peer: EbMS:0004', at(SECOND));
        expect(refused).toMatchObject({ msgId: 'm1', state: 'dead-letter', deadLetterReason: 'refused by the peer: EbMS:0004' });
        expect(await store.claimOutgoing({ workerId: 'w', now: at(HOUR), limit: 10, leaseMs: MINUTE }).then((cs) => cs.map((c) => c.msgId))).toEqual(['m2']);
        // m2 is now being sent: left alone
        expect(await store.refuseOutgoing('m2', 'refused', at(HOUR))).toBeUndefined();
        expect(await store.getOutgoing('m2')).toMatchObject({ state: 'sending' });
        expect(await store.refuseOutgoing('m1', 'again', at(HOUR))).toBeUndefined();
        await rejectsWithCode(store.refuseOutgoing('nope', 'x', at(0)), 'ERR_STORE_NOT_FOUND');
      });

      it('lists by state and receiver', async () => {
        await store.enqueueOutgoing(outgoing('m1'));
        await store.enqueueOutgoing(outgoing('m2', { receiverHerId: '8000009', createdAt: at(1) }));
        expect((await store.listOutgoing()).map((m) => m.msgId)).toEqual(['m1', 'm2']);
        expect((await store.listOutgoing({ receiverHerId: '8000009' })).map((m) => m.msgId)).toEqual(['m2']);
        expect(await store.listOutgoing({ state: 'sent' })).toEqual([]);
      });

      it('concurrent claimers on several instances never get the same message', async () => {
        const total = 120;
        for (let i = 0; i < total; i++) await store.enqueueOutgoing(outgoing(`c${String(i).padStart(3, '0')}`, { nextAttemptAt: at(i) }));
        const instances = [store, await open(), await open(), await open()];
        const claimed: string[] = [];
        const worker = async (s: MessagingStore, id: string): Promise<void> => {
          for (;;) {
            const batch = await s.claimOutgoing({ workerId: id, now: at(HOUR), limit: 5, leaseMs: HOUR });
            if (batch.length === 0) return;
            for (const c of batch) {
              claimed.push(c.msgId);
              await s.markSent(c.msgId, c.lease, { now: at(HOUR) });
            }
          }
        };
        await Promise.all(instances.flatMap((s, i) => [0, 1, 2].map((j) => worker(s, `i${i}w${j}`))));
        expect(claimed).toHaveLength(total);
        expect(new Set(claimed).size).toBe(total);
        expect(await store.listOutgoing({ state: 'sent', limit: 1000 })).toHaveLength(total);
      });
    });

    describe('incoming', () => {
      it('stores raw bytes idempotently on the transport message id', async () => {
        const first = await store.storeIncomingRaw({ transportMessageId: `${PARTNER}/eb-1`, payload: bytesOf('raw-1'), receivedAt: at(0), transportMeta: { ack: 'ack-1' } });
        expect(first).toMatchObject({ created: true, receivedAt: at(0), transportMeta: { ack: 'ack-1' } });
        const again = await (await open()).storeIncomingRaw({ transportMessageId: `${PARTNER}/eb-1`, payload: bytesOf('raw-2'), receivedAt: at(MINUTE), transportMeta: { ack: 'ack-2' } });
        expect(again).toEqual({ incomingId: first.incomingId, created: false, receivedAt: at(0), transportMeta: { ack: 'ack-1' } });
        const got = await store.getIncoming(first.incomingId);
        expect(textOf(got!.payload)).toBe('raw-1');
        expect(got).toMatchObject({ state: 'received', attempts: 0, transportMessageId: `${PARTNER}/eb-1` });
      });

      it('claims with a lease, releases for a retry, re-claims after lease expiry', async () => {
        const { incomingId } = await store.storeIncomingRaw({ transportMessageId: 't1', payload: bytesOf('x'), receivedAt: at(0) });
        const c1 = await claimOne(store, at(0));
        expect(c1).toMatchObject({ incomingId, state: 'processing', attempts: 1 });
        expect(textOf(c1.payload)).toBe('x');
        expect(await store.claimIncoming({ workerId: 'other', now: at(SECOND), limit: 10, leaseMs: MINUTE })).toEqual([]);
        const released = await store.releaseIncoming(incomingId, c1.lease, { now: at(SECOND), nextAttemptAt: at(5 * MINUTE), error: 'CRL unreachable' });
        expect(released).toMatchObject({ state: 'received', lastError: 'CRL unreachable', nextAttemptAt: at(5 * MINUTE) });
        expect(await store.claimIncoming({ workerId: 'w', now: at(5 * MINUTE - 1), limit: 10, leaseMs: MINUTE })).toEqual([]);
        const c2 = await claimOne(store, at(5 * MINUTE));
        const c3 = await claimOne(await open(), at(6 * MINUTE));
        expect(c3.attempts).toBe(3);
        await rejectsWithCode(store.recordIncomingResult(incomingId, c2.lease, { state: 'discarded', reason: 'x' }, at(6 * MINUTE)), 'ERR_STORE_LEASE_LOST');
        await rejectsWithCode(store.releaseIncoming(incomingId, c2.lease, { now: at(6 * MINUTE), nextAttemptAt: at(7 * MINUTE), error: 'x' }), 'ERR_STORE_LEASE_LOST');
        await rejectsWithCode(store.releaseIncoming('999999', c2.lease, { now: at(6 * MINUTE), nextAttemptAt: at(7 * MINUTE), error: 'x' }), 'ERR_STORE_NOT_FOUND');
      });

      it('records a delivery: inbox item, duplicate register with the AppRec, reply in the outbox, all at once', async () => {
        const { incomingId } = await store.storeIncomingRaw({ transportMessageId: 't1', payload: bytesOf('x'), receivedAt: at(0) });
        const c = await claimOne(store, at(0));
        const rec = await store.recordIncomingResult(incomingId, c.lease, delivered('in-1'), at(SECOND));
        expect(rec).toMatchObject({ state: 'delivered', msgId: 'in-1', senderHerId: PARTNER, patientRef: PATIENT, completedAt: at(SECOND) });
        expect(rec.leaseUntil).toBeUndefined();
        const inbox = await store.listInbox();
        expect(inbox).toHaveLength(1);
        expect(inbox[0]).toMatchObject({ incomingId, senderHerId: PARTNER, msgId: 'in-1', msgType: 'DIALOG_FORESPORSEL', contentType: 'application/xml', deliveredAt: at(SECOND) });
        expect(textOf(inbox[0]!.payload)).toBe('<MsgHead id="in-1"/>');
        const received = await store.findReceived(PARTNER, 'in-1');
        expect(received).toMatchObject({ incomingId, state: 'delivered', appRecMsgId: 'apprec-in-1', contentHash: 'sha256:in-1' });
        expect(textOf(received!.appRecXml!)).toBe('<AppRec id="apprec-in-1"/>');
        expect(await store.getOutgoing('apprec-in-1')).toMatchObject({ state: 'queued', msgType: 'APPREC', receiverHerId: PARTNER });
        expect(await store.findReceived(PARTNER, 'other')).toBeUndefined();
        expect(await store.findReceived('8000009', 'in-1')).toBeUndefined();
      });

      it('a failure in the middle of recording leaves nothing and keeps the claim', async () => {
        await store.enqueueOutgoing(outgoing('apprec-in-1'));
        const { incomingId } = await store.storeIncomingRaw({ transportMessageId: 't1', payload: bytesOf('x'), receivedAt: at(0) });
        const c = await claimOne(store, at(0));
        await rejectsWithCode(store.recordIncomingResult(incomingId, c.lease, delivered('in-1'), at(SECOND)), 'ERR_STORE_CONFLICT');
        expect(await store.listInbox()).toEqual([]);
        expect(await store.findReceived(PARTNER, 'in-1')).toBeUndefined();
        expect((await store.getIncoming(incomingId))!.state).toBe('processing');
        const ok = await store.recordIncomingResult(incomingId, c.lease, delivered('in-1', PARTNER, 'apprec-in-1b'), at(SECOND));
        expect(ok.state).toBe('delivered');
      });

      it('a second copy is refused as a duplicate by the database, then answered with the stored AppRec', async () => {
        const a = await store.storeIncomingRaw({ transportMessageId: 't1', payload: bytesOf('x'), receivedAt: at(0) });
        const ca = await claimOne(store, at(0));
        await store.recordIncomingResult(a.incomingId, ca.lease, delivered('in-1'), at(SECOND));
        const [sent] = await store.claimOutgoing({ workerId: 'w', now: at(SECOND), limit: 1, leaseMs: MINUTE });
        await store.markSent('apprec-in-1', sent!.lease, { now: at(SECOND), transportMessageId: 'eb-ar' });
        await store.markAcknowledged('apprec-in-1', at(2 * SECOND));

        const b = await store.storeIncomingRaw({ transportMessageId: 't2', payload: bytesOf('x'), receivedAt: at(HOUR) });
        const cb = await claimOne(store, at(HOUR));
        await rejectsWithCode(store.recordIncomingResult(b.incomingId, cb.lease, delivered('in-1', PARTNER, 'apprec-in-1-second'), at(HOUR)), 'ERR_STORE_DUPLICATE');
        expect(await store.getOutgoing('apprec-in-1-second')).toBeUndefined();
        expect(await store.listInbox()).toHaveLength(1);

        const dup = await store.recordIncomingResult(
          b.incomingId,
          cb.lease,
          { state: 'duplicate', msgId: 'in-1', senderHerId: PARTNER, resendAppRec: { expiresAt: at(2 * HOUR) } },
          at(HOUR),
        );
        expect(dup).toMatchObject({ state: 'duplicate', duplicateOf: a.incomingId });
        expect(await store.getOutgoing('apprec-in-1')).toMatchObject({ state: 'queued', nextAttemptAt: at(HOUR), attempts: 0 });
        expect(await store.listInbox()).toHaveLength(1);
      });

      it('a duplicate without a first copy is refused', async () => {
        const b = await store.storeIncomingRaw({ transportMessageId: 't2', payload: bytesOf('x'), receivedAt: at(0) });
        const cb = await claimOne(store, at(0));
        await rejectsWithCode(store.recordIncomingResult(b.incomingId, cb.lease, { state: 'duplicate', msgId: 'in-1', senderHerId: PARTNER }, at(0)), 'ERR_STORE_NOT_FOUND');
      });

      it('two copies processed at the same time on two instances: exactly one is delivered', async () => {
        const other = await open();
        const a = await store.storeIncomingRaw({ transportMessageId: 't1', payload: bytesOf('x'), receivedAt: at(0) });
        const b = await other.storeIncomingRaw({ transportMessageId: 't2', payload: bytesOf('x'), receivedAt: at(0) });
        const [ca] = await store.claimIncoming({ workerId: 'i1', now: at(0), limit: 1, leaseMs: MINUTE });
        const [cb] = await other.claimIncoming({ workerId: 'i2', now: at(0), limit: 1, leaseMs: MINUTE });
        expect(new Set([ca!.incomingId, cb!.incomingId])).toEqual(new Set([a.incomingId, b.incomingId]));
        const results = await Promise.allSettled([
          store.recordIncomingResult(ca!.incomingId, ca!.lease, delivered('in-1', PARTNER, 'ar-1'), at(SECOND)),
          other.recordIncomingResult(cb!.incomingId, cb!.lease, delivered('in-1', PARTNER, 'ar-2'), at(SECOND)),
        ]);
        const ok = results.filter((r) => r.status === 'fulfilled');
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(ok).toHaveLength(1);
        expect(failed).toHaveLength(1);
        expect(failed[0]!.reason).toMatchObject({ code: 'ERR_STORE_DUPLICATE' });
        expect(await store.listInbox()).toHaveLength(1);
        expect((await store.listOutgoing({ limit: 10 })).map((m) => m.msgId)).toHaveLength(1);
      });

      it('records rejected, receipt and discarded outcomes', async () => {
        const ids: string[] = [];
        for (const t of ['t1', 't2', 't3']) ids.push((await store.storeIncomingRaw({ transportMessageId: t, payload: bytesOf(t), receivedAt: at(0) })).incomingId);
        const claims = await store.claimIncoming({ workerId: 'w', now: at(0), limit: 10, leaseMs: MINUTE });
        expect(claims.map((c) => c.incomingId)).toEqual(ids);
        const [c1, c2, c3] = claims;
        await store.recordIncomingResult(c1!.incomingId, c1!.lease, { state: 'rejected', msgId: 'r1', senderHerId: PARTNER, reason: 'ERR_SCHEMA_INVALID', details: { codes: ['T02'] }, appRec: { msgId: 'ar-r1', xml: bytesOf('<AppRec/>') } }, at(1));
        await store.recordIncomingResult(c2!.incomingId, c2!.lease, { state: 'receipt', msgId: 'ar-x', senderHerId: PARTNER, msgType: 'APPREC' }, at(1));
        await store.recordIncomingResult(c3!.incomingId, c3!.lease, { state: 'discarded', reason: 'transport acknowledgment' }, at(1));
        expect((await store.listIncoming({ state: 'rejected' }))[0]).toMatchObject({ msgId: 'r1', reason: 'ERR_SCHEMA_INVALID', details: { codes: ['T02'] } });
        expect(await store.findReceived(PARTNER, 'r1')).toMatchObject({ state: 'rejected', appRecMsgId: 'ar-r1' });
        expect(await store.findReceived(PARTNER, 'ar-x')).toMatchObject({ state: 'receipt' });
        expect((await store.listIncoming({ senderHerId: PARTNER })).map((r) => r.incomingId)).toEqual([ids[0], ids[1]]);
        expect(await store.listInbox()).toEqual([]);
      });

      it('rejects inconsistent results as caller mistakes', async () => {
        const { incomingId } = await store.storeIncomingRaw({ transportMessageId: 't1', payload: bytesOf('x'), receivedAt: at(0) });
        const c = await claimOne(store, at(0));
        const bad: IncomingResult[] = [
          { state: 'delivered', msgId: 'm', senderHerId: PARTNER },
          { ...delivered('m'), state: 'rejected' },
          { state: 'quarantined', reason: 'x' },
          { state: 'rejected', msgId: 'm' },
          { state: 'duplicate', msgId: 'm', senderHerId: PARTNER, appRec: { msgId: 'a', xml: bytesOf('') } },
        ];
        for (const result of bad) await expect(store.recordIncomingResult(incomingId, c.lease, result, at(0))).rejects.toThrow(TypeError);
        await expect(store.recordIncomingResult('abc', c.lease, { state: 'discarded' }, at(0))).rejects.toThrow(TypeError);
      });

      it('concurrent claimers on several instances never process the same message', async () => {
        const total = 60;
        for (let i = 0; i < total; i++) await store.storeIncomingRaw({ transportMessageId: `t${i}`, payload: bytesOf(`p${i}`), receivedAt: at(i) });
        const instances = [store, await open(), await open()];
        const seen: string[] = [];
        const worker = async (s: MessagingStore, id: string): Promise<void> => {
          for (;;) {
            const batch = await s.claimIncoming({ workerId: id, now: at(HOUR), limit: 4, leaseMs: HOUR });
            if (batch.length === 0) return;
            for (const c of batch) {
              seen.push(c.incomingId);
              await s.recordIncomingResult(c.incomingId, c.lease, { state: 'discarded', reason: id }, at(HOUR));
            }
          }
        };
        await Promise.all(instances.flatMap((s, i) => [0, 1, 2].map((j) => worker(s, `i${i}w${j}`))));
        expect(seen).toHaveLength(total);
        expect(new Set(seen).size).toBe(total);
      });
    });

    describe('EPJ inbox', () => {
      const item = { senderHerId: PARTNER, msgId: 'in-1', msgType: 'DIALOG_FORESPORSEL', payload: bytesOf('<x/>'), deliveredAt: at(0), patientRef: PATIENT };

      it('delivers exactly once', async () => {
        const first = await store.deliverToInbox(item);
        expect(first.created).toBe(true);
        expect(await (await open()).deliverToInbox({ ...item, payload: bytesOf('<y/>'), deliveredAt: at(1) })).toEqual({ inboxId: first.inboxId, created: false });
        const items = await store.listInbox();
        expect(items).toHaveLength(1);
        expect(textOf(items[0]!.payload)).toBe('<x/>');
      });

      it('acknowledges once, pages, and lists pending only by default', async () => {
        const a = await store.deliverToInbox(item);
        const b = await store.deliverToInbox({ ...item, msgId: 'in-2', contentType: 'application/pdf' });
        expect(await store.ackInbox(a.inboxId, { actor: 'epj', now: at(MINUTE) })).toBe(true);
        expect(await store.ackInbox(a.inboxId, { actor: 'epj', now: at(2 * MINUTE) })).toBe(false);
        expect((await store.listInbox()).map((i) => i.inboxId)).toEqual([b.inboxId]);
        const everything = await store.listInbox({ pendingOnly: false });
        expect(everything[0]).toMatchObject({ inboxId: a.inboxId, ackedAt: at(MINUTE), ackedBy: 'epj' });
        expect(everything[1]).toMatchObject({ contentType: 'application/pdf' });
        expect((await store.listInbox({ pendingOnly: false, afterId: a.inboxId })).map((i) => i.inboxId)).toEqual([b.inboxId]);
        await rejectsWithCode(store.ackInbox('999999', { actor: 'epj', now: at(0) }), 'ERR_STORE_NOT_FOUND');
      });
    });

    describe('quarantine', () => {
      async function quarantined(): Promise<{ incomingId: string; quarantineId: string }> {
        const { incomingId } = await store.storeIncomingRaw({ transportMessageId: 'q1', payload: bytesOf('x'), receivedAt: at(0) });
        const c = await claimOne(store, at(0));
        await store.recordIncomingResult(
          incomingId,
          c.lease,
          { state: 'quarantined', msgId: 'in-q', senderHerId: PARTNER, patientRef: PATIENT, reason: 'ERR_RECEIVER_UNKNOWN', quarantine: { reason: 'misdirected: receiver 8000009 is not ours', details: { receiver: '8000009' } } },
          at(SECOND),
        );
        const [entry] = await store.listQuarantine();
        return { incomingId, quarantineId: entry!.quarantineId };
      }

      it('keeps the entry with its reason until handled, recording and auditing every action', async () => {
        const { incomingId, quarantineId } = await quarantined();
        expect(await store.getQuarantine(quarantineId)).toMatchObject({ incomingId, reason: 'misdirected: receiver 8000009 is not ours', details: { receiver: '8000009' }, createdAt: at(SECOND), actions: [] });
        await expect(store.recordQuarantineAction(quarantineId, { action: 'forward', actor: 'kari', at: at(MINUTE) })).rejects.toThrow(TypeError);
        await store.recordQuarantineAction(quarantineId, { action: 'forward', actor: 'kari', at: at(MINUTE), targetHerId: '8000010', msgId: 'fwd-1' });
        await store.recordQuarantineAction(quarantineId, { action: 'feedback-sent', actor: 'kari', at: at(2 * MINUTE), msgId: 'avvik-1' });
        const handled = await store.recordQuarantineAction(quarantineId, { action: 'handled', actor: 'ola', at: at(3 * MINUTE), note: 'done' });
        expect(handled).toMatchObject({ handledAt: at(3 * MINUTE), handledBy: 'ola' });
        expect(handled.actions.map((a) => a.action)).toEqual(['forward', 'feedback-sent', 'handled']);
        expect(handled.actions[0]).toMatchObject({ actor: 'kari', at: at(MINUTE), targetHerId: '8000010', msgId: 'fwd-1' });
        expect(await store.listQuarantine()).toEqual([]);
        expect(await store.listQuarantine({ openOnly: false })).toHaveLength(1);
        await rejectsWithCode(store.recordQuarantineAction(quarantineId, { action: 'note', actor: 'x', at: at(HOUR) }), 'ERR_STORE_INVALID_STATE');
        await rejectsWithCode(store.recordQuarantineAction('999999', { action: 'note', actor: 'x', at: at(HOUR) }), 'ERR_STORE_NOT_FOUND');
        const audit = await store.listAudit({ subjectType: 'quarantine', subjectId: quarantineId });
        expect(audit.map((a) => a.action)).toEqual(['quarantine-forward', 'quarantine-feedback-sent', 'quarantine-handled']);
        expect(audit[0]).toMatchObject({ actor: 'kari', patientRef: PATIENT, details: { incomingId, targetHerId: '8000010', msgId: 'fwd-1' } });
      });

      it('quarantines by operator decision, once per incoming message', async () => {
        const { incomingId } = await store.storeIncomingRaw({ transportMessageId: 'q2', payload: bytesOf('x'), receivedAt: at(0) });
        const q1 = await store.quarantine(incomingId, { reason: 'unknown message type', now: at(MINUTE) });
        const q2 = await store.quarantine(incomingId, { reason: 'again', now: at(2 * MINUTE) });
        expect(q2).toEqual(q1);
        expect(q1).toMatchObject({ incomingId, reason: 'unknown message type', createdAt: at(MINUTE) });
        await rejectsWithCode(store.quarantine('999999', { reason: 'x', now: at(0) }), 'ERR_STORE_NOT_FOUND');
      });
    });

    describe('receipt tracking', () => {
      it('persists tracked messages with optimistic revisions and due order', async () => {
        const m1 = expectation('m1', T0 + MINUTE);
        const m2 = expectation('m2', T0);
        expect(await store.receipts.insert(m1)).toBe(true);
        expect(await store.receipts.insert(m2)).toBe(true);
        expect(await store.receipts.insert({ ...m1, type: 'OTHER' })).toBe(false);
        expect(await store.receipts.get('m1')).toEqual(m1);
        expect(await store.receipts.due(at(HOUR - 1).toISOString(), 10)).toEqual([]);
        expect((await store.receipts.due(at(2 * HOUR).toISOString(), 10)).map((m) => m.msgId)).toEqual(['m2', 'm1']);
        expect((await store.receipts.due(at(2 * HOUR).toISOString(), 1)).map((m) => m.msgId)).toEqual(['m2']);
        const changed: TrackedMessage = { ...m1, state: 'ok', nextCheckAt: undefined, revision: 1 };
        expect(await store.receipts.update(changed, 0)).toBe(true);
        expect(await store.receipts.update({ ...changed, revision: 2 }, 0)).toBe(false);
        expect(await store.receipts.get('m1')).toEqual(JSON.parse(JSON.stringify(changed)));
        expect((await store.receipts.due(at(2 * HOUR).toISOString(), 10)).map((m) => m.msgId)).toEqual(['m2']);
      });

      it('keeps unmatched AppRecs in order', async () => {
        const appRec = { msgType: 'APPREC', id: 'ar-9', status: { v: '1' }, originalMsgId: { id: 'nope', msgType: { v: 'LOG_INNLAGT' }, issueDate: '2026-03-02T08:00:00Z' } } as unknown as AppRec;
        await store.receipts.keepUnmatched({ reason: 'orphan', code: 'ERR_APPREC_ORPHAN', at: at(0).toISOString(), appRec });
        await store.receipts.keepUnmatched({ reason: 'spoofed', code: 'ERR_APPREC_SPOOFED', at: at(1).toISOString(), appRec });
        const list = await store.receipts.listUnmatched();
        expect(list.map((u) => u.reason)).toEqual(['orphan', 'spoofed']);
        expect(list[0]!.appRec).toEqual(appRec);
      });

      it('drives the apprec ReceiptTracker: deadline fires once, across instances', async () => {
        await store.enqueueOutgoing(outgoing('m1'), expectation('m1'));
        const other = await open();
        const clock = (): Date => at(0);
        const t1 = new ReceiptTracker({ store: store.receipts, clock, policy: { defaultDeadlineMs: HOUR, escalateAfterMs: 30 * MINUTE } });
        const t2 = new ReceiptTracker({ store: other.receipts, clock, policy: { defaultDeadlineMs: HOUR, escalateAfterMs: 30 * MINUTE } });
        const [e1, e2] = await Promise.all([t1.tick(at(HOUR)), t2.tick(at(HOUR))]);
        expect([...e1, ...e2].map((e) => e.kind)).toEqual(['receipt-overdue']);
        expect((await t2.get('m1'))!.state).toBe('overdue');
        expect(await t1.tick(at(HOUR))).toEqual([]);
        expect((await t1.tick(at(HOUR + 30 * MINUTE))).map((e) => e.kind)).toEqual(['escalate']);
      });
    });

    describe('transport duplicate elimination', () => {
      it('keeps the first answer per (from, messageId)', async () => {
        expect(await store.seenMessages.get(PARTNER, 'eb-1')).toBeUndefined();
        await store.seenMessages.put({ from: PARTNER, messageId: 'eb-1', answeredAt: at(0), decision: 'accept', response: bytesOf('ack-1') });
        await (await open()).seenMessages.put({ from: PARTNER, messageId: 'eb-1', answeredAt: at(1), decision: 'reject', response: bytesOf('err') });
        const seen = await store.seenMessages.get(PARTNER, 'eb-1');
        expect(seen).toMatchObject({ from: PARTNER, messageId: 'eb-1', answeredAt: at(0), decision: 'accept' });
        expect(textOf(seen!.response)).toBe('ack-1');
        expect(await store.seenMessages.get('8000009', 'eb-1')).toBeUndefined();
      });
    });

    describe('procedure state', () => {
      it('creates, updates with optimistic concurrency, and refuses stale writes', async () => {
        const created = await store.saveProcedureState('stay-1', { phase: 'innlagt', n: 1 }, { expectedVersion: null, now: at(0), patientRef: PATIENT });
        expect(created).toEqual({ key: 'stay-1', state: { phase: 'innlagt', n: 1 }, version: 1, patientRef: PATIENT, updatedAt: at(0) });
        await rejectsWithCode(store.saveProcedureState('stay-1', { phase: 'x' }, { expectedVersion: null, now: at(1) }), 'ERR_STORE_CONFLICT');
        const v2 = await store.saveProcedureState('stay-1', { phase: 'utskrivningsklar' }, { expectedVersion: 1, now: at(MINUTE) });
        expect(v2).toMatchObject({ version: 2, patientRef: PATIENT, updatedAt: at(MINUTE) });
        await rejectsWithCode(store.saveProcedureState('stay-1', { phase: 'y' }, { expectedVersion: 1, now: at(2 * MINUTE) }), 'ERR_STORE_CONFLICT');
        await rejectsWithCode(store.saveProcedureState('missing', { phase: 'y' }, { expectedVersion: 1, now: at(2 * MINUTE) }), 'ERR_STORE_CONFLICT');
        expect(await store.getProcedureState('stay-1')).toMatchObject({ state: { phase: 'utskrivningsklar' }, version: 2 });
        expect(await store.getProcedureState('missing')).toBeUndefined();
      });

      it('concurrent saves from two instances: exactly one wins', async () => {
        await store.saveProcedureState('stay-1', { n: 0 }, { expectedVersion: null, now: at(0) });
        const other = await open();
        const results = await Promise.allSettled([
          store.saveProcedureState('stay-1', { n: 1 }, { expectedVersion: 1, now: at(1) }),
          other.saveProcedureState('stay-1', { n: 2 }, { expectedVersion: 1, now: at(1) }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((await store.getProcedureState('stay-1'))!.version).toBe(2);
      });
    });

    describe('engine tasks', () => {
      const task = (taskId: string, extra: Record<string, unknown> = {}) => ({ taskId, kind: 'task' as const, title: `title ${taskId}`, ...extra });

      it('adds each id once, completes by id and by stay, and lists by filter in creation order', async () => {
        const first = await store.changeTasks({ add: [task('a', { stayKey: 's1', due: '2026-03-03T08:00:00+01:00' }), task('b', { stayKey: 's1' }), task('c', { msgId: 'm1', kind: 'alarm' })], by: 'engine', now: at(0) });
        expect(first).toEqual({ added: ['a', 'b', 'c'], completed: [] });
        expect(await store.changeTasks({ add: [task('a'), task('d', { createdAt: at(5) })], by: 'engine', now: at(1) })).toEqual({ added: ['d'], completed: [] });
        const a = await store.getTask('a');
        expect(a).toMatchObject({ taskId: 'a', kind: 'task', title: 'title a', stayKey: 's1', due: '2026-03-03T08:00:00+01:00', createdAt: at(0), done: false });
        expect(a!.doneAt).toBeUndefined();
        expect((await store.getTask('d'))!.createdAt).toEqual(at(5));
        // the stay's procedure still asks for `a` only: `b` is completed; ids outside the prefix or the stay stay open
        const stay = await store.changeTasks({ completeStay: { stayKey: 's1', idPrefix: 'b', keep: ['a'] }, by: 'engine:procedure', now: at(MINUTE) });
        expect(stay).toEqual({ added: [], completed: ['b'] });
        expect(await store.getTask('b')).toMatchObject({ done: true, doneAt: at(MINUTE), doneBy: 'engine:procedure' });
        expect(await store.changeTasks({ complete: ['c', 'b', 'nope'], add: [task('b')], by: 'kari', now: at(HOUR) })).toEqual({ added: [], completed: ['c'] });
        expect((await store.listTasks()).map((t) => t.taskId)).toEqual(['a', 'b', 'c', 'd']);
        expect((await store.listTasks({ done: false })).map((t) => t.taskId)).toEqual(['a', 'd']);
        expect((await store.listTasks({ done: true })).map((t) => t.taskId)).toEqual(['b', 'c']);
        expect((await store.listTasks({ stayKey: 's1' })).map((t) => t.taskId)).toEqual(['a', 'b']);
        expect((await store.listTasks({ msgId: 'm1' })).map((t) => t.taskId)).toEqual(['c']);
        const page1 = await store.listTasks({ limit: 2 });
        expect((await store.listTasks({ after: page1[1]!.seq })).map((t) => t.taskId)).toEqual(['c', 'd']);
        expect(await store.getTask('nope')).toBeUndefined();
      });

      it('one change is one transaction: a bad task refuses the whole change', async () => {
        await store.changeTasks({ add: [task('a')], by: 'engine', now: at(0) });
        await expect(store.changeTasks({ complete: ['a'], add: [task('b'), { taskId: 'c', kind: 'other' as never, title: 'x' }], by: 'engine', now: at(1) })).rejects.toThrow(TypeError);
        expect((await store.listTasks()).map((t) => [t.taskId, t.done])).toEqual([['a', false]]);
        await expect(store.changeTasks({ by: '', now: at(0) })).rejects.toThrow(TypeError);
        await expect(store.listTasks({ limit: 0 })).rejects.toThrow(RangeError);
      });

      it('concurrent adds of the same task on two instances: it exists once', async () => {
        const other = await open();
        const results = await Promise.all([store.changeTasks({ add: [task('x')], by: 'a', now: at(0) }), other.changeTasks({ add: [task('x')], by: 'b', now: at(0) })]);
        expect(results.flatMap((r) => r.added)).toEqual(['x']);
        expect(await store.listTasks()).toHaveLength(1);
      });
    });

    describe('stay index', () => {
      const entry = (stayKey: string, extra: Record<string, unknown> = {}) => ({ stayKey, patientRef: PATIENT, hospitalHerId: US, openedAt: at(0), terminal: false, ...extra });

      it('adds each stay once, keeps opening order, filters and pages', async () => {
        await store.addStayIndex(entry('s1', { innlagt: 'm1' }));
        await rejectsWithCode(store.addStayIndex(entry('s1')), 'ERR_STORE_CONFLICT');
        await store.addStayIndex(entry('s2', { openedAt: at(HOUR) }));
        await store.addStayIndex(entry('other', { patientRef: 'p2' }));
        expect((await store.listStayIndex({ patientRef: PATIENT, hospitalHerId: US })).map((e) => e.stayKey)).toEqual(['s1', 's2']);
        expect(await store.listStayIndex({ patientRef: PATIENT, hospitalHerId: '8000009' })).toEqual([]);
        expect((await store.listStayIndex()).map((e) => e.stayKey)).toEqual(['s1', 's2', 'other']);
        expect((await store.listStayIndex({ afterKey: 's1', limit: 1 })).map((e) => e.stayKey)).toEqual(['s2']);
        const [s1] = await store.listStayIndex({ limit: 1 });
        expect(s1).toEqual({ stayKey: 's1', patientRef: PATIENT, hospitalHerId: US, openedAt: at(0), terminal: false, innlagt: 'm1' });
        expect(await store.removeStayIndex('s1')).toBe(true);
        expect(await store.removeStayIndex('s1')).toBe(false);
        expect((await store.listStayIndex()).map((e) => e.stayKey)).toEqual(['s2', 'other']);
        await expect(store.addStayIndex({ ...entry('x'), terminal: 'no' as never })).rejects.toThrow(TypeError);
      });

      it('updates an entry: LOG_INNLAGT, deadlines and the terminal flag drive the due list', async () => {
        await store.addStayIndex(entry('s1'));
        expect(await store.updateStayIndex('s1', { innlagt: 'm1' })).toMatchObject({ innlagt: 'm1' });
        expect(await store.updateStayIndex('s1', { innlagt: 'm2', nextDue: at(HOUR) })).toMatchObject({ innlagt: 'm2', nextDue: at(HOUR) });
        expect((await store.updateStayIndex('s1', { innlagt: null }))!.innlagt).toBeUndefined();
        expect((await store.listStayIndex({ dueBy: at(HOUR - 1) })).map((e) => e.stayKey)).toEqual([]);
        expect((await store.listStayIndex({ dueBy: at(HOUR) })).map((e) => e.stayKey)).toEqual(['s1']);
        await store.updateStayIndex('s1', { nextDue: null });
        expect(await store.listStayIndex({ dueBy: at(2 * HOUR) })).toEqual([]);
        await store.updateStayIndex('s1', { nextDue: at(HOUR), terminal: true });
        expect(await store.listStayIndex({ dueBy: at(2 * HOUR) })).toEqual([]);
        expect(await store.updateStayIndex('s1', {})).toMatchObject({ terminal: true, nextDue: at(HOUR) });
        expect(await store.updateStayIndex('missing', { terminal: true })).toBeUndefined();
      });

      it('two instances adding the same stay at once: it exists once', async () => {
        const other = await open();
        const results = await Promise.allSettled([store.addStayIndex(entry('a')), other.addStayIndex(entry('a'))]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await store.listStayIndex()).toHaveLength(1);
      });
    });

    describe('one transaction per state change', () => {
      it('enqueues with its audit entry, or neither', async () => {
        const audit = { actor: 'kari', action: 'submit', subjectType: 'outgoing', subjectId: 'm1', patientRef: PATIENT, at: at(0) };
        await store.enqueueOutgoing(outgoing('m1'), expectation('m1'), { audit });
        expect(await store.listAudit({ action: 'submit' })).toMatchObject([{ subjectId: 'm1', actor: 'kari' }]);
        await rejectsWithCode(store.enqueueOutgoing(outgoing('m1'), undefined, { audit: { ...audit, subjectId: 'again' } }), 'ERR_STORE_CONFLICT');
        expect(await store.listAudit({ action: 'submit' })).toHaveLength(1);
      });

      it('records a delivery with its audit entries and names the inbox item', async () => {
        const { incomingId } = await store.storeIncomingRaw({ transportMessageId: 't1', payload: bytesOf('x'), receivedAt: at(0) });
        const c = await claimOne(store, at(0));
        const audit = [
          { subject: 'inbox' as const, actor: 'engine:x', action: 'deliver', patientRef: PATIENT, at: at(SECOND), details: { msgId: 'in-1' } },
          { subject: 'incoming' as const, actor: 'engine:x', action: 'note', at: at(SECOND) },
        ];
        const rec = await store.recordIncomingResult(incomingId, c.lease, { ...delivered('in-1'), audit }, at(SECOND));
        const [item] = await store.listInbox();
        expect(rec.inboxId).toBe(item!.inboxId);
        expect(await store.listAudit({ action: 'deliver' })).toMatchObject([{ subjectType: 'inbox', subjectId: item!.inboxId, patientRef: PATIENT, details: { msgId: 'in-1' } }]);
        expect(await store.listAudit({ action: 'note' })).toMatchObject([{ subjectType: 'incoming', subjectId: incomingId }]);
        const other = await store.storeIncomingRaw({ transportMessageId: 't2', payload: bytesOf('x'), receivedAt: at(0) });
        const c2 = await claimOne(store, at(0));
        await expect(store.recordIncomingResult(other.incomingId, c2.lease, { state: 'discarded', audit: [audit[0]!] }, at(SECOND))).rejects.toThrow(TypeError);
      });

      it('records a receipt with the tracker update; a stale revision writes nothing', async () => {
        const tracked = expectation('m1');
        await store.enqueueOutgoing(outgoing('m1'), tracked);
        const settled = { ...tracked, state: 'ok' as const, revision: tracked.revision + 1 };
        const { incomingId } = await store.storeIncomingRaw({ transportMessageId: 't1', payload: bytesOf('x'), receivedAt: at(0) });
        const c = await claimOne(store, at(0));
        const result: IncomingResult = { state: 'receipt', msgId: 'ar-1', senderHerId: PARTNER, msgType: 'APPREC', receiptUpdate: { message: settled, expectedRevision: tracked.revision + 5 } };
        await rejectsWithCode(store.recordIncomingResult(incomingId, c.lease, result, at(SECOND)), 'ERR_STORE_CONFLICT');
        expect((await store.getIncoming(incomingId))!.state).toBe('processing');
        expect(await store.findReceived(PARTNER, 'ar-1')).toBeUndefined();
        const rec = await store.recordIncomingResult(incomingId, c.lease, { ...result, receiptUpdate: { message: settled, expectedRevision: tracked.revision } }, at(SECOND));
        expect(rec.state).toBe('receipt');
        expect(await store.receipts.get('m1')).toMatchObject({ state: 'ok', revision: tracked.revision + 1 });
        await expect(store.recordIncomingResult(incomingId, c.lease, { ...delivered('x'), receiptUpdate: { message: settled, expectedRevision: 1 } }, at(SECOND))).rejects.toThrow(TypeError);
      });
    });

    (target.migrations === undefined ? describe.skip : describe)('migration 002_engine_tables', () => {
      it('moves the task list and the stay index out of procedure_state, in order', async () => {
        const old = await target.createDatabase();
        try {
          const first = target.migrations![0]!;
          await old.exec(first.sql);
          await old.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
            INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, '${first.name}', 0)`);
          const tasks = {
            tasks: [
              { id: 'z', kind: 'alarm', title: 'Z', msgId: 'm1', createdAt: '2026-03-02T08:00:00.000Z', done: false },
              { id: 'a', kind: 'task', title: 'A', detail: 'd', stayKey: 's1', createdAt: '2026-03-02T09:00:00.000Z', due: '2026-03-04T08:00:00+01:00', done: true, doneAt: '2026-03-02T10:00:00.000Z', doneBy: 'kari' },
            ],
          };
          const stays = {
            stays: [
              { key: 's1', patientRef: PATIENT, hospitalHerId: US, openedAt: '2026-03-02T08:00:00.000Z', terminal: false, innlagt: 'm1', nextDue: '2026-03-03T08:00:00.000Z' },
              { key: 's0', patientRef: PATIENT, hospitalHerId: US, openedAt: '2026-03-01T08:00:00.000Z', terminal: true },
            ],
          };
          const q = (v: unknown) => `'${JSON.stringify(v).replace(/'/g, "''")}'`;
          await old.exec(`INSERT INTO procedure_state (state_key, state, version, updated_at) VALUES ('engine:tasks', ${q(tasks)}, 3, 0), ('engine:stays', ${q(stays)}, 2, 0), ('stay:s1', ${q({ n: 1 })}, 1, 0)`);
          const s = await old.open();
          try {
            expect(await s.schemaVersion()).toBe(STORE_SCHEMA_VERSION);
            expect(await s.listTasks()).toMatchObject([
              { taskId: 'z', kind: 'alarm', title: 'Z', msgId: 'm1', createdAt: new Date('2026-03-02T08:00:00.000Z'), done: false },
              { taskId: 'a', kind: 'task', detail: 'd', stayKey: 's1', due: '2026-03-04T08:00:00+01:00', done: true, doneAt: new Date('2026-03-02T10:00:00.000Z'), doneBy: 'kari' },
            ]);
            expect(await s.listStayIndex()).toEqual([
              { stayKey: 's1', patientRef: PATIENT, hospitalHerId: US, openedAt: new Date('2026-03-02T08:00:00.000Z'), terminal: false, innlagt: 'm1', nextDue: new Date('2026-03-03T08:00:00.000Z') },
              { stayKey: 's0', patientRef: PATIENT, hospitalHerId: US, openedAt: new Date('2026-03-01T08:00:00.000Z'), terminal: true },
            ]);
            expect(await s.getProcedureState('engine:tasks')).toBeUndefined();
            expect(await s.getProcedureState('engine:stays')).toBeUndefined();
            expect(await s.getProcedureState('stay:s1')).toMatchObject({ state: { n: 1 } });
            await s.changeTasks({ add: [{ taskId: 'new', kind: 'task', title: 'N' }], by: 'x', now: at(0) });
            expect((await s.listTasks()).map((t) => t.taskId)).toEqual(['z', 'a', 'new']);
          } finally {
            await s.close();
          }
        } finally {
          await old.dispose();
        }
      });
    });

    describe('audit log', () => {
      it('appends and filters', async () => {
        const a = await store.audit({ actor: 'engine:a', action: 'deliver', subjectType: 'incoming', subjectId: '1', patientRef: PATIENT, at: at(0), details: { inboxId: '1' } });
        await store.audit({ actor: 'kari', action: 'read', subjectType: 'inbox', subjectId: '1', patientRef: PATIENT, at: at(HOUR) });
        await store.audit({ actor: 'kari', action: 'read', subjectType: 'inbox', subjectId: '2', at: at(2 * HOUR) });
        expect(a).toMatchObject({ actor: 'engine:a', details: { inboxId: '1' }, at: at(0) });
        expect((await store.listAudit()).map((r) => r.subjectId)).toEqual(['1', '1', '2']);
        expect(await store.listAudit({ actor: 'kari', patientRef: PATIENT })).toHaveLength(1);
        expect((await store.listAudit({ from: at(HOUR), to: at(2 * HOUR) })).map((r) => r.action)).toEqual(['read']);
        expect((await store.listAudit({ afterId: a.auditId })).length).toBe(2);
        expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
      });

      it('refuses UPDATE and DELETE in the database itself', async () => {
        await store.audit({ actor: 'x', action: 'read', subjectType: 'inbox', subjectId: '1', at: at(0) });
        await expect(db.exec(`UPDATE audit_log SET actor = 'y'`)).rejects.toThrow(/append-only/);
        await expect(db.exec('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
        expect((await store.listAudit())[0]!.actor).toBe('x');
      });

      it('purges by the retention policy and audits the purge', async () => {
        await store.audit({ actor: 'x', action: 'read', subjectType: 'inbox', subjectId: 'old', at: at(0) });
        await store.audit({ actor: 'x', action: 'read', subjectType: 'inbox', subjectId: 'new', at: at(10 * 24 * HOUR) });
        await expect(store.purgeAudit({ retainMs: 0, actor: 'retention', now: at(0) })).rejects.toThrow(RangeError);
        const deleted = await store.purgeAudit({ retainMs: 7 * 24 * HOUR, actor: 'retention', now: at(10 * 24 * HOUR) });
        expect(deleted).toBe(1);
        const rest = await store.listAudit();
        expect(rest.map((r) => r.subjectId)).toEqual(['new', 'audit_log']);
        expect(rest[1]).toMatchObject({ action: 'audit-purge', actor: 'retention', details: { deleted: 1, retainMs: 7 * 24 * HOUR, cutoff: at(3 * 24 * HOUR).toISOString() } });
        await expect(db.exec('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      });
    });

    describe('downtime log', () => {
      it('appends, filters, and is append-only', async () => {
        await store.logDowntime({ partnerHerId: PARTNER, kind: 'down-detected', at: at(0), actor: 'engine:a', details: { failures: 12 } });
        await store.logDowntime({ partnerHerId: PARTNER, kind: 'manual-delivery', at: at(HOUR), actor: 'kari', msgId: 'm1', details: { via: 'telefaks' } });
        await store.logDowntime({ partnerHerId: '8000009', kind: 'note', at: at(HOUR), actor: 'kari' });
        await expect(store.logDowntime({ partnerHerId: PARTNER, kind: 'bogus' as 'note', at: at(0), actor: 'x' })).rejects.toThrow(TypeError);
        expect((await store.listDowntime({ partnerHerId: PARTNER })).map((e) => e.kind)).toEqual(['down-detected', 'manual-delivery']);
        expect(await store.listDowntime({ kind: 'manual-delivery' })).toEqual([expect.objectContaining({ msgId: 'm1', actor: 'kari', details: { via: 'telefaks' }, at: at(HOUR) })]);
        expect(await store.listDowntime({ from: at(1) })).toHaveLength(2);
        await expect(db.exec(`UPDATE downtime_log SET actor = 'y'`)).rejects.toThrow(/append-only/);
        await expect(db.exec('DELETE FROM downtime_log')).rejects.toThrow(/append-only/);
      });
    });
  });
}
