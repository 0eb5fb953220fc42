/**
 * Several engine instances on ONE PostgreSQL database (issue 6: "PostgreSQL for several engine
 * instances sharing one database; work claimed with FOR UPDATE SKIP LOCKED; no message processed
 * twice"): two hospital instances share a database, the municipality has its own; real SMTP on
 * loopback, test PKI. The address register names one hospital instance's SMTP listener, so every
 * incoming message and acknowledgment arrives there, while both instances claim outgoing and
 * incoming work from the shared tables. Stay-chain messages for several synthetic patients flow
 * both ways; every one arrives exactly once, gets exactly one AppRec, and both hospital instances
 * did part of the sending.
 */
import type { MessagingStore } from '@samhandling/messaging';
import { planMessages } from '../../messaging/test/fault/harness';
import { createPair, until } from '../../messaging/test/loopback-pair';
import type { Pair, PairSide } from '../../messaging/test/loopback-pair';
import { openPostgresStore } from '../src/index';
import { privatePgServer } from './pg-harness';

const { skip, server } = privatePgServer('PostgreSQL shared-database test');

const EPJ = { kind: 'epj-system', id: 'epj' } as const;
const OPERATOR = { kind: 'operator', id: 'ops' } as const;
const MESSAGES = 45; // three patients through the whole stay chain

(skip === undefined ? test : test.skip)(
  'two hospital instances on one database: every message delivered once with one AppRec; both instances share the work',
  async () => {
    const s = server();
    const hospitalDb = s.url(await s.createDatabase());
    const stores: MessagingStore[] = [];
    const open = async (url: string): Promise<MessagingStore> => {
      const store = await openPostgresStore({ connectionString: url, pool: { max: 4 } });
      stores.push(store);
      return store;
    };
    const [h1Store, h2Store, kStore] = [await open(hospitalDb), await open(hospitalDb), await open(s.url(await s.createDatabase()))];
    let pair: Pair | undefined;
    try {
      // the test PKI and the chain's dates are of March 2024: a clock that starts there and runs
      const start = Date.now();
      const clock = (): Date => new Date(Date.parse('2024-03-04T07:00:00Z') + (Date.now() - start));
      pair = await createPair({ clock, stores: { hospital: h1Store, kommune: kStore }, config: () => ({ testEnvironment: true }) });
      const h2 = await pair.instance('hospital', { store: h2Store, instanceId: 'sthf-2' });
      const { hospital: h1, kommune } = pair;
      await Promise.all([h1.engine.start(), h2.engine.start(), kommune.engine.start()]);

      // Hospital messages alternate between the two instances; all messages of one chain step at once.
      const plan = planMessages(MESSAGES, 'shared-db');
      let turn = 0;
      const hospitalSide = (): PairSide => (turn++ % 2 === 0 ? h1 : h2);
      const fromOf = (p: (typeof plan)[number]): PairSide => (p.from === 'sthf' ? hospitalSide() : kommune);
      const steps = new Map<string, (typeof plan)[number][]>();
      for (const p of plan) {
        const step = p.key.replace(/^.*:m/, '');
        steps.set(step, [...(steps.get(step) ?? []), p]);
      }
      for (const batch of steps.values()) {
        await Promise.all(
          batch.map(async (p) => {
            const r = await fromOf(p).engine.submit(p.input, EPJ);
            if (!r.accepted) throw new Error(`${p.key} refused: ${JSON.stringify(r.issues)}`);
            expect(r.msgId).toBe(p.msgId);
          }),
        );
        // the next step of a chain refers to this one: wait until it is delivered
        await until(`step ${batch[0]?.key ?? ''} delivered`, async () => {
          const [hIn, kIn] = [await h1.engine.listInbox({ limit: 1000 }, EPJ), await kommune.engine.listInbox({ limit: 1000 }, EPJ)];
          const got = new Set([...hIn, ...kIn].map((i) => i.msgId));
          return batch.every((p) => got.has(p.msgId));
        }, 2000);
      }

      const settled = async (): Promise<boolean> => {
        const outs = [...(await h1.engine.listOutgoing({ limit: 1000 }, OPERATOR)), ...(await kommune.engine.listOutgoing({ limit: 1000 }, OPERATOR))];
        return plan.every((p) => outs.find((o) => o.msgId === p.msgId)?.receipt.state === 'ok');
      };
      await until('every AppRec', settled, 2000);

      // Exactly once: each message in the receiver's inbox once; one AppRec each in the receiver's outbox.
      const inboxes = { sthf: await h2.engine.listInbox({ limit: 1000 }, EPJ), skien: await kommune.engine.listInbox({ limit: 1000 }, EPJ) };
      for (const side of ['sthf', 'skien'] as const) {
        const expected = plan.filter((p) => p.to === side).map((p) => p.msgId).sort();
        expect(inboxes[side].map((i) => i.msgId).sort()).toEqual(expected);
      }
      const appRecs = async (store: MessagingStore): Promise<number> => (await store.listOutgoing({ limit: 1000 })).filter((o) => o.msgType === 'APPREC').length;
      expect(await appRecs(h1Store)).toBe(plan.filter((p) => p.to === 'sthf').length);
      expect(await appRecs(kStore)).toBe(plan.filter((p) => p.to === 'skien').length);
      // Every incoming message of the hospital processed once: delivered or an AppRec applied, no duplicates, nothing left.
      const incoming = await h1Store.listIncoming({ limit: 1000 });
      expect(incoming.filter((i) => i.state === 'delivered').length).toBe(plan.filter((p) => p.to === 'sthf').length);
      expect(incoming.filter((i) => i.state === 'receipt').length).toBe(plan.filter((p) => p.from === 'sthf').length);
      expect(incoming.filter((i) => !['delivered', 'receipt'].includes(i.state))).toEqual([]);
      // Both hospital instances sent: their sends add up to the hospital's messages and AppRecs, none twice.
      const [m1, m2] = [await h1.engine.metrics(), await h2.engine.metrics()];
      expect(m1.messagesSentTotal).toBeGreaterThan(0);
      expect(m2.messagesSentTotal).toBeGreaterThan(0);
      expect(m1.messagesSentTotal + m2.messagesSentTotal).toBe((await h1Store.listOutgoing({ limit: 1000 })).length);
      // Only the instance the register names received over SMTP.
      expect(m2.messagesReceivedTotal).toBe(0);
      expect(m1.messagesReceivedTotal).toBe(incoming.length);
    } catch (err) {
      const dump = async (name: string, st: MessagingStore): Promise<void> => {
        console.log(name, JSON.stringify((await st.listIncoming({ limit: 1000 })).map((i) => [i.state, i.msgType, i.msgId, i.lastError])));
        console.log(name, 'out', JSON.stringify((await st.listOutgoing({ limit: 1000 })).map((o) => [o.state, o.msgType, o.msgId, o.lastError, o.deadLetterReason])));
        console.log(name, 'q', JSON.stringify((await st.listQuarantine({ limit: 100 })).map((q) => [q.reason])));
      };
      await dump('H', h1Store);
      await dump('K', kStore);
      throw err;
    } finally {
      await pair?.dispose();
      for (const store of stores) await store.close();
    }
  },
  300_000,
);
