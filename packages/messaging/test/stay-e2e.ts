/**
 * The complete-stay scenario between two engines (the hospital and the municipality), each with
 * its own store, its own embedded SMTP server on loopback (ebXML over SMTP, real SMTP client and
 * server), one local address register file and a test PKI (loopback-pair.ts). One complete
 * hospital stay (DOMAIN §4, the chain of tools/demo/stay-chain.mjs): every message arrives exactly
 * once, gets its AppRec, and the procedure state is the same on both sides. Run against SQLite
 * (engine-e2e.int.test.ts) and PostgreSQL (packages/store-postgres).
 */
import { deepestHerId } from '@samhandling/plo';
import type { Organisation } from '@samhandling/plo';
import type { Actor } from '../src/engine/api';
import type { MessagingStore } from '../src/store/types';
import { patient as chainPatient, stayChain } from '../../../tools/demo/stay-chain.mjs';
import { createPair, until } from './loopback-pair';

const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const OPERATOR: Actor = { kind: 'operator', id: 'ops' };

type ChainEntry = readonly [string, string, { readonly type: string; readonly sender: Organisation; readonly receiver: Organisation; readonly otherReceivers?: readonly { readonly organisation?: Organisation }[]; readonly content: Record<string, unknown> }];

/** Stores for the two engines (default: SQLite files in a temporary folder, opened by the engines). */
export interface StayStores {
  readonly hospital: MessagingStore;
  readonly kommune: MessagingStore;
}

/**
 * Runs one complete stay between two engines and asserts every invariant (jest `expect`). Resolves
 * the procedure summary both sides agree on.
 */
export async function runCompleteStay(stores?: StayStores): Promise<unknown> {
  let now = new Date('2024-03-04T07:00:00Z');
  const pair = await createPair({ clock: () => new Date(now.getTime()), ...(stores === undefined ? {} : { stores }) });
  const { hospital, kommune } = pair;
  await hospital.engine.start();
  await kommune.engine.start();
  try {
    const sentIds: string[] = [];
    for (const [at, route, input] of stayChain as unknown as readonly ChainEntry[]) {
      now = new Date(at);
      const fromHospital = deepestHerId(input.sender)?.startsWith('81425') === true;
      const [from, to] = fromHospital ? [hospital, kommune] : [kommune, hospital];
      const content = Object.fromEntries(Object.entries(input.content).map(([k, v]) => [k, typeof v === 'function' ? (v as (ids: string[]) => unknown)(sentIds) : v]));
      const copyTo = (input.otherReceivers ?? []).map((o) => Number(o.organisation === undefined ? 0 : deepestHerId(o.organisation)));
      const result = await from.engine.submit(
        {
          type: input.type,
          senderHerId: Number(deepestHerId(input.sender)),
          receiverHerId: Number(deepestHerId(input.receiver)),
          ...(copyTo.length === 0 ? {} : { copyTo }),
          patient: chainPatient as unknown as Record<string, unknown>,
          content,
        },
        EPJ,
      );
      if (!result.accepted) throw new Error(`${route} ${input.type} refused: ${JSON.stringify(result.issues)}`);
      const msgId = result.msgId;
      sentIds.push(msgId);
      await until(`${input.type} delivered`, async () => (await to.engine.listInbox({}, EPJ)).some((i) => i.msgId === msgId));
      await until(`${input.type} AppRec`, async () => (await from.engine.listOutgoing({ type: input.type }, OPERATOR)).find((o) => o.msgId === msgId)?.receipt.state === 'ok');
    }
    for (const side of [hospital, kommune]) {
      await until('transport acknowledgments', async () => (await side.engine.listOutgoing({}, OPERATOR)).every((o) => o.transport.state === 'acknowledged'));
    }
    // Every business message arrived exactly once and was acknowledged with exactly one AppRec.
    const hospitalInbox = await hospital.engine.listInbox({}, EPJ);
    const kommuneInbox = await kommune.engine.listInbox({}, EPJ);
    expect(hospitalInbox.length + kommuneInbox.length).toBe(stayChain.length);
    expect(new Set([...hospitalInbox, ...kommuneInbox].map((i) => i.msgId))).toEqual(new Set(sentIds));
    for (const side of [hospital, kommune]) {
      const outgoing = await side.engine.listOutgoing({}, OPERATOR);
      const business = outgoing.filter((o) => o.type !== 'APPREC');
      const apprecs = outgoing.filter((o) => o.type === 'APPREC');
      expect(business.every((o) => o.receipt.state === 'ok' && o.transport.state === 'acknowledged')).toBe(true);
      expect(apprecs.every((o) => o.receipt.state === 'not-expected')).toBe(true);
      const incoming = await side.engine.listIncoming({}, OPERATOR);
      expect(incoming.filter((i) => i.state === 'delivered')).toHaveLength(side === hospital ? hospitalInbox.length : kommuneInbox.length);
      expect(incoming.filter((i) => i.state === 'receipt')).toHaveLength(business.length);
      expect(incoming.filter((i) => i.state === 'quarantined' || i.state === 'rejected' || i.state === 'duplicate')).toEqual([]);
      expect(apprecs).toHaveLength(incoming.filter((i) => i.state === 'delivered').length);
    }
    // The procedure state is identical on both sides.
    const [hs] = await hospital.engine.listStays(OPERATOR);
    const [ks] = await kommune.engine.listStays(OPERATOR);
    expect(hs).toBeDefined();
    expect(ks).toBeDefined();
    expect(hs!.procedure).toEqual(ks!.procedure);
    const summary = hs!.procedure as { state: string; paymentDays: string[]; messages: number };
    expect(summary.state).toBe('discharged');
    expect(summary.messages).toBe(stayChain.length - 1); // every chain message but the DIALOG_AVVIK
    expect(new Set(hs!.messages.map((m) => m.msgId))).toEqual(new Set(sentIds));
    expect(new Set(ks!.messages.map((m) => m.msgId))).toEqual(new Set(sentIds));
    expect(summary.paymentDays.length).toBeGreaterThan(0);
    // The DIALOG_AVVIK became a follow-up task at the hospital.
    expect((await hospital.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.title.startsWith('Tilbakemelding om feil'))).toBe(true);
    expect(hospital.events.some((e) => e.type === 'stay-changed')).toBe(true);
    expect(kommune.events.filter((e) => e.type === 'incoming-delivered')).toHaveLength(kommuneInbox.length);
    expect((await hospital.engine.health()).ready).toBe(true);
    return hs!.procedure;
  } finally {
    await pair.dispose();
  }
}
