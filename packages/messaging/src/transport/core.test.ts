/**
 * ResendScheduler: resends until acknowledged, reports a delivery failure at the end, and stops
 * silently when the message was acknowledged elsewhere (another engine instance sharing the store).
 */
import { ResendScheduler, TransportEvents, resendPolicy } from './core';
import type { TransportDeliveryFailure } from './types';

/** Polls until `done` (no fixed sleeps: the machine may be busy). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error('timed out');
}

function setup(acknowledgedElsewhere?: (messageId: string) => Promise<boolean>): { scheduler: ResendScheduler; failures: TransportDeliveryFailure[]; resends: string[] } {
  const events = new TransportEvents();
  const failures: TransportDeliveryFailure[] = [];
  events.setDeliveryFailure((f) => void failures.push(f));
  const scheduler = new ResendScheduler(resendPolicy({ ackTimeoutMs: 20, maxResends: 2, backoffFactor: 1, maxDelayMs: 20 }), events, acknowledgedElsewhere);
  return { scheduler, failures, resends: [] };
}

test('without an acknowledgment: resends up to the policy, then one delivery failure', async () => {
  const { scheduler, failures, resends } = setup();
  scheduler.track('m1', '8143100', async () => void resends.push('m1'));
  await until(() => failures.length === 1);
  expect(resends).toEqual(['m1', 'm1']);
  expect(failures.map((f) => [f.messageId, f.error.code])).toEqual([['m1', 'ERR_TRANSPORT_NOT_ACKNOWLEDGED']]);
  expect(scheduler.waiting()).toEqual([]);
});

test('acknowledged elsewhere: no resend and no delivery failure; a failing check counts as not acknowledged', async () => {
  const asked: string[] = [];
  const { scheduler, failures, resends } = setup(async (id) => {
    asked.push(id);
    if (id === 'broken') throw new Error('store down');
    return id === 'm1';
  });
  scheduler.track('m1', '8143100', async () => void resends.push('m1'));
  scheduler.track('m2', '8143100', async () => void resends.push('m2'));
  scheduler.track('broken', '8143100', async () => void resends.push('broken'));
  // m1 was asked at its first timeout, at the same time as the others' first resend
  await until(() => failures.length === 2 && scheduler.waiting().length === 0);
  expect(resends.filter((r) => r === 'm1')).toEqual([]);
  expect(resends.filter((r) => r === 'm2')).toEqual(['m2', 'm2']);
  expect(resends.filter((r) => r === 'broken')).toEqual(['broken', 'broken']);
  expect(failures.map((f) => f.messageId).sort()).toEqual(['broken', 'm2']);
  expect(asked).toContain('m1');
  expect(scheduler.waiting()).toEqual([]);
});
