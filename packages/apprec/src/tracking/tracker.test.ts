import { parseMessage } from '@samhandling/plo';
import { ApprecError, InMemoryReceiptStore, ReceiptTracker, advance, applyAppRec, buildAppRec, closeManually, parseAppRec, receiptFor, sentMessageRef, startTracking } from '../index';
import type { AppRec, AppRecParty, ReceiptEffect, ReceiptPolicy, TrackedMessage } from '../index';
import { SENT_MSG_ID, fixedClock, utskrivningsklarXml } from '../../test/support/messages';

const SENT_AT = Date.parse('2024-05-02T08:20:00Z');
const HOUR = 60 * 60 * 1000;

/** A clock the test moves by hand. */
function testClock(start = SENT_AT): { clock: () => Date; set(ms: number): void } {
  let now = start;
  return { clock: () => new Date(now), set: (ms) => void (now = ms) };
}

const sent = parseMessage(utskrivningsklarXml());

/** The AppRec the municipality (original receiver) sends back for our LOG_UTSKRIVNINGSKLAR. */
function appRecFromReceiver(status: 'ok' | 'rejected' | 'partial' = 'ok', id = 'ar-1'): AppRec {
  // Build the receipt as the receiver would: receiptFor on the message as they received it.
  const errors = status === 'ok' ? [] : [{ code: 'E35' as const, text: 'Ukjent pasient' }];
  return receiptFor(sent, { status, errors, clock: fixedClock('2024-05-02T08:25:00Z'), idGenerator: () => id }).appRec;
}

function withSender(appRec: AppRec, sender: AppRecParty): AppRec {
  return parseAppRec(buildAppRec({ ...appRec, sender }));
}

async function setup(policy: ReceiptPolicy = {}): Promise<{ tracker: ReceiptTracker; store: InMemoryReceiptStore; time: ReturnType<typeof testClock> }> {
  const store = new InMemoryReceiptStore();
  const time = testClock();
  const tracker = new ReceiptTracker({ store, clock: time.clock, policy });
  await tracker.register(sentMessageRef(sent.msgHead));
  return { tracker, store, time };
}

describe('ReceiptTracker', () => {
  it('registers a sent message as awaiting with the default 1 hour deadline', async () => {
    const { tracker } = await setup();
    const m = await tracker.get(SENT_MSG_ID);
    expect(m).toMatchObject({
      msgId: SENT_MSG_ID,
      type: 'LOG_UTSKRIVNINGSKLAR',
      receiverHerIds: ['8143100', '8143101'],
      senderHerIds: ['8142519', '8142520'],
      sentAt: '2024-05-02T08:20:00.000Z',
      deadline: '2024-05-02T09:20:00.000Z',
      state: 'awaiting',
      history: [{ at: '2024-05-02T08:20:00.000Z', state: 'awaiting' }],
    });
  });

  it('takes the deadline per message type from the policy', async () => {
    const { tracker } = await setup({ deadlineMsByType: { LOG_UTSKRIVNINGSKLAR: 15 * 60 * 1000 } });
    expect((await tracker.get(SENT_MSG_ID))?.deadline).toBe('2024-05-02T08:35:00.000Z');
  });

  it('registering the same message again is a no-op; other data under the same MsgId is refused', async () => {
    const { tracker, time } = await setup();
    time.set(SENT_AT + 1000);
    expect((await tracker.register(sentMessageRef(sent.msgHead))).sentAt).toBe('2024-05-02T08:20:00.000Z');
    await expect(tracker.register({ ...sentMessageRef(sent.msgHead), type: 'LOG_DOD' })).rejects.toMatchObject({ code: 'ERR_APPREC_ALREADY_TRACKED' });
    await expect(tracker.register({ ...sentMessageRef(sent.msgHead), type: 'LOG_DOD' })).rejects.toBeInstanceOf(ApprecError);
  });

  it('an AppRec from the receiver settles the message: ok, rejected with codes, partial', async () => {
    for (const [status, state] of [
      ['ok', 'ok'],
      ['rejected', 'rejected'],
      ['partial', 'partial'],
    ] as const) {
      const { tracker, time } = await setup();
      time.set(SENT_AT + 5 * 60 * 1000);
      const result = await tracker.receive(appRecFromReceiver(status));
      expect(result.kind).toBe('settled');
      const m = (await tracker.get(SENT_MSG_ID))!;
      expect(m.state).toBe(state);
      expect(m.history.map((h) => h.state)).toEqual(['awaiting', state]);
      expect(m.history[1]).toMatchObject({ at: '2024-05-02T08:25:00.000Z', appRecId: 'ar-1', late: false, errors: status === 'ok' ? [] : [{ code: 'E35', text: 'Ukjent pasient' }] });
      expect(m.nextCheckAt).toBeUndefined();
      if (result.kind === 'settled') expect(result.effects).toEqual([{ kind: 'receipt-settled', msgId: SENT_MSG_ID, state, errors: m.history[1]?.errors, late: false, wasEscalated: false }]);
    }
  });

  it('overdue → escalated by tick, addressed to both meldingsansvarlige; a late AppRec still settles it and the history shows both', async () => {
    const { tracker, time } = await setup({ escalateAfterMs: 30 * 60 * 1000 });
    expect(await tracker.tick(new Date(SENT_AT + HOUR - 1))).toEqual([]);
    const overdue = await tracker.tick(new Date(SENT_AT + HOUR));
    expect(overdue).toEqual<ReceiptEffect[]>([{ kind: 'receipt-overdue', msgId: SENT_MSG_ID, type: 'LOG_UTSKRIVNINGSKLAR', receiverHerId: '8143101', deadline: '2024-05-02T09:20:00.000Z' }]);
    expect(await tracker.tick(new Date(SENT_AT + HOUR + 1000))).toEqual([]);
    const escalated = await tracker.tick(new Date(SENT_AT + HOUR + 30 * 60 * 1000));
    expect(escalated).toEqual<ReceiptEffect[]>([
      {
        kind: 'escalate',
        msgId: SENT_MSG_ID,
        type: 'LOG_UTSKRIVNINGSKLAR',
        receiverHerId: '8143101',
        sentAt: '2024-05-02T08:20:00.000Z',
        deadline: '2024-05-02T09:20:00.000Z',
        to: [{ party: 'own' }, { party: 'partner', herId: '8143101' }],
      },
    ]);
    expect(await tracker.tick(new Date(SENT_AT + 5 * HOUR))).toEqual([]);
    time.set(SENT_AT + 3 * HOUR);
    const late = await tracker.receive(appRecFromReceiver('ok'));
    expect(late).toMatchObject({ kind: 'settled', late: true, effects: [{ kind: 'receipt-settled', late: true, wasEscalated: true }] });
    const m = (await tracker.get(SENT_MSG_ID))!;
    expect(m.history).toEqual([
      { at: '2024-05-02T08:20:00.000Z', state: 'awaiting' },
      { at: '2024-05-02T09:20:00.000Z', state: 'overdue' },
      { at: '2024-05-02T09:50:00.000Z', state: 'escalated' },
      { at: '2024-05-02T11:20:00.000Z', state: 'ok', appRecId: 'ar-1', errors: [], late: true },
    ]);
  });

  it('with no escalation delay, one tick makes the message overdue and escalated', async () => {
    const { tracker } = await setup();
    const effects = await tracker.tick(new Date(SENT_AT + 2 * HOUR));
    expect(effects.map((e) => e.kind)).toEqual(['receipt-overdue', 'escalate']);
    expect((await tracker.get(SENT_MSG_ID))?.history.map((h) => h.state)).toEqual(['awaiting', 'overdue', 'escalated']);
  });

  it('tick uses the clock when no time is given', async () => {
    const { tracker, time } = await setup();
    time.set(SENT_AT + 2 * HOUR);
    expect((await tracker.tick()).length).toBe(2);
  });

  it('a duplicate AppRec changes nothing (same Id, or the same outcome under a new Id)', async () => {
    const { tracker } = await setup();
    await tracker.receive(appRecFromReceiver('ok'));
    const before = await tracker.get(SENT_MSG_ID);
    expect((await tracker.receive(appRecFromReceiver('ok'))).kind).toBe('duplicate');
    expect((await tracker.receive(appRecFromReceiver('ok', 'ar-2'))).kind).toBe('duplicate');
    expect(await tracker.get(SENT_MSG_ID)).toEqual(before);
    expect(await tracker.unmatched()).toEqual([]);
  });

  it('a second, different AppRec is a conflict: the first stands, the second is kept', async () => {
    const { tracker } = await setup();
    await tracker.receive(appRecFromReceiver('ok'));
    const before = await tracker.get(SENT_MSG_ID);
    expect(await tracker.receive(appRecFromReceiver('rejected', 'ar-2'))).toMatchObject({ kind: 'conflict', code: 'ERR_APPREC_CONFLICT' });
    expect(await tracker.get(SENT_MSG_ID)).toEqual(before);
    expect((await tracker.unmatched()).map((u) => [u.reason, u.appRec.id])).toEqual([['conflict', 'ar-2']]);
  });

  it('an AppRec for an unknown MsgId is an orphan, logged and kept', async () => {
    const { tracker } = await setup();
    const other = appRecFromReceiver('ok');
    const orphan = { ...other, originalMsgId: { ...other.originalMsgId, id: 'never-sent' } };
    expect(await tracker.receive(orphan)).toEqual({ kind: 'orphan', code: 'ERR_APPREC_ORPHAN' });
    expect(await tracker.unmatched()).toEqual([{ reason: 'orphan', code: 'ERR_APPREC_ORPHAN', at: '2024-05-02T08:20:00.000Z', appRec: orphan }]);
  });

  it('an AppRec from a party that was not the receiver is refused as spoofing and leaves the message awaiting', async () => {
    const { tracker } = await setup();
    const spoofed = withSender(appRecFromReceiver('ok'), { hcp: { inst: { name: 'Porsgrunn kommune', id: '8150000', typeId: { v: 'HER' }, depts: [{ name: 'Sykepleie', id: '8150001', typeId: { v: 'HER' } }] } } });
    expect(await tracker.receive(spoofed)).toMatchObject({ kind: 'refused', code: 'ERR_APPREC_SPOOFED' });
    expect((await tracker.get(SENT_MSG_ID))?.state).toBe('awaiting');
    expect((await tracker.unmatched()).map((u) => u.reason)).toEqual(['spoofed']);
    // Another service of the same municipality is not the receiver either.
    const sibling = withSender(appRecFromReceiver('ok'), { hcp: { inst: { name: 'Skien kommune', id: '8143100', typeId: { v: 'HER' }, depts: [{ name: 'Legetjeneste', id: '8143109', typeId: { v: 'HER' } }] } } });
    expect((await tracker.receive(sibling)).kind).toBe('refused');
  });

  it('accepts a receipt from the receiver institution level unless the policy says otherwise', async () => {
    const institution = withSender(appRecFromReceiver('ok'), { hcp: { inst: { name: 'Skien kommune', id: '8143100', typeId: { v: 'HER' } } } });
    expect((await (await setup()).tracker.receive(institution)).kind).toBe('settled');
    expect((await (await setup({ acceptInstitutionLevel: false })).tracker.receive(institution)).kind).toBe('refused');
  });

  it('the history is append-only: every state change keeps earlier entries unchanged', async () => {
    const { tracker, time } = await setup();
    const snapshots: TrackedMessage[] = [(await tracker.get(SENT_MSG_ID))!];
    await tracker.tick(new Date(SENT_AT + 2 * HOUR));
    snapshots.push((await tracker.get(SENT_MSG_ID))!);
    time.set(SENT_AT + 3 * HOUR);
    await tracker.receive(appRecFromReceiver('rejected'));
    snapshots.push((await tracker.get(SENT_MSG_ID))!);
    for (let i = 1; i < snapshots.length; i++) {
      const prev = snapshots[i - 1]!.history;
      expect(snapshots[i]!.history.slice(0, prev.length)).toEqual(prev);
      expect(snapshots[i]!.history.length).toBeGreaterThan(prev.length);
      expect(snapshots[i]!.revision).toBeGreaterThan(snapshots[i - 1]!.revision);
    }
  });

  it('refuses invalid policies, clocks and options as caller mistakes', () => {
    const store = new InMemoryReceiptStore();
    expect(() => new ReceiptTracker({ store, clock: () => new Date(), policy: { defaultDeadlineMs: -1 } })).toThrow(RangeError);
    expect(() => new ReceiptTracker({ store, clock: undefined as never })).toThrow(TypeError);
    expect(() => new ReceiptTracker({ store, clock: () => new Date(), batchSize: 0 })).toThrow(RangeError);
  });
});

describe('pure transitions', () => {
  it('advance leaves a settled message alone and is idempotent at the same time', () => {
    const m = startTracking(sentMessageRef(sent.msgHead), SENT_AT);
    const once = advance(m, SENT_AT + 2 * HOUR);
    expect(advance(once.message, SENT_AT + 2 * HOUR)).toEqual({ message: once.message, effects: [] });
    expect(once.message.revision).toBe(1);
  });

  it('closeManually: an overdue message delivered by telefaks is no longer checked; a late AppRec still settles it', () => {
    const tracked = startTracking(sentMessageRef(sent.msgHead), SENT_AT, { escalateAfterMs: HOUR });
    const overdue = advance(tracked, Date.parse(tracked.deadline)).message;
    expect(overdue.state).toBe('overdue');
    const manual = closeManually(overdue, SENT_AT + 3 * HOUR, 'telefaks');
    expect(manual).toMatchObject({ state: 'manual', revision: overdue.revision + 1 });
    expect(manual.nextCheckAt).toBeUndefined();
    expect(manual.history.map((h) => h.state)).toEqual(['awaiting', 'overdue', 'manual']);
    expect(manual.history[2]).toEqual({ at: new Date(SENT_AT + 3 * HOUR).toISOString(), state: 'manual', channel: 'telefaks' });
    // nothing more is due, ever
    expect(advance(manual, SENT_AT + 100 * HOUR)).toEqual({ message: manual, effects: [] });
    // closing again, or closing a settled message, changes nothing
    expect(closeManually(manual, SENT_AT + 4 * HOUR, 'post')).toBe(manual);
    const settled = applyAppRec(manual, appRecFromReceiver('ok'), SENT_AT + 5 * HOUR);
    expect(settled).toMatchObject({ kind: 'settled', late: true, message: { state: 'ok' } });
    if (settled.kind === 'settled') expect(closeManually(settled.message, SENT_AT + 6 * HOUR, 'post')).toBe(settled.message);
    expect(() => closeManually(overdue, SENT_AT, ' ')).toThrow(TypeError);
  });
});
