/**
 * Copy receivers (MsgHead OtherReceiver): the GP as a third engine over the in-memory transport
 * gets its own message (own MsgId, the GP as Receiver, the original receiver listed) with its own
 * AppRec; a copy receiver without certificate raises an alarm; an unknown one refuses the
 * submission.
 */
import { deepestHerId, parseMessage } from '@samhandling/plo';
import type { Actor, SubmitMessageInput } from './api';
import { AddressRegisterError } from '../address-register/errors';
import type { AddressRegister } from '../address-register/types';
import { copyMsgId } from './copies';
import { FNR, GP, HOSPITAL_SERVICE, SYKEPLEIE, createWorld, disposeWorlds, patient, settle } from '../../test/engine-world';
import type { World } from '../../test/engine-world';

const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const OPERATOR: Actor = { kind: 'operator', id: 'kari' };

afterAll(() => disposeWorlds());

const utskrivningsklar = (copyTo: number[]): SubmitMessageInput => ({
  type: 'LOG_UTSKRIVNINGSKLAR',
  receiverHerId: Number(SYKEPLEIE),
  copyTo,
  patient,
  content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-04T07:30:00+01:00', merknad: 'Utskrivningsklar' } },
});

describe('copy receivers', () => {
  let w: World;
  afterEach(async () => {
    await w.close();
  });

  test('each copy receiver gets its own message with its own MsgId and its own AppRec; the original receiver is listed', async () => {
    w = await createWorld({ withGp: true });
    const sent = await w.hospital.engine.submit(utskrivningsklar([Number(GP)]), EPJ);
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    const copyId = copyMsgId(HOSPITAL_SERVICE, sent.msgId, GP);
    await settle(w);
    const outgoing = await w.hospital.engine.listOutgoing({ type: 'LOG_UTSKRIVNINGSKLAR' }, OPERATOR);
    expect(outgoing.map((o) => [o.msgId, o.receiverHerId, o.transport.state, o.receipt.state]).sort()).toEqual(
      [
        [sent.msgId, Number(SYKEPLEIE), 'acknowledged', 'ok'],
        [copyId, Number(GP), 'acknowledged', 'ok'],
      ].sort(),
    );
    // The original goes to its receiver only and names the GP as copy receiver (COP).
    const [main] = await w.kommune.engine.listInbox({}, EPJ);
    const mainHead = parseMessage(main!.xml).msgHead.msgInfo;
    expect(mainHead.msgId).toBe(sent.msgId);
    expect(mainHead.otherReceivers.map((o) => [o.roleReceiver.v, deepestHerId(o.organisation!)])).toEqual([['COP', GP]]);
    // The copy: own MsgId, the GP as Receiver, the original receiver listed as PRIM, the same GenDate, patient and content.
    const gpInbox = await w.gp!.engine.listInbox({}, EPJ);
    expect(gpInbox).toHaveLength(1);
    const copy = parseMessage(gpInbox[0]!.xml);
    const info = copy.msgHead.msgInfo;
    expect(info.msgId).toBe(copyId);
    expect(deepestHerId(info.receiver.organisation)).toBe(GP);
    expect(info.otherReceivers.map((o) => [o.roleReceiver.v, deepestHerId(o.organisation!)])).toEqual([['PRIM', SYKEPLEIE]]);
    expect(info.genDate).toBe(mainHead.genDate);
    expect(info.patient?.idents[0]?.id).toBe(FNR);
    expect(copy.content).toEqual(parseMessage(main!.xml).content);
    // Exactly one AppRec from each receiver; the GP answered the copy.
    const gpReplies = await w.gp!.store.listOutgoing({});
    expect(gpReplies.map((r) => [r.msgType, r.receiverHerId])).toEqual([['APPREC', HOSPITAL_SERVICE]]);
    // The copy does not feed the stay procedure, on either end.
    const [stay] = await w.hospital.engine.listStays(OPERATOR);
    expect(stay!.messages.map((m) => m.msgId)).toEqual([sent.msgId]);
    expect(await w.gp!.engine.listStays(OPERATOR)).toEqual([]);
    expect(await w.gp!.engine.listTasks({ open: true }, OPERATOR)).toEqual([]);
    // The step runs again when the original is claimed for sending and for a repeated submission: nothing is added.
    const again = await w.hospital.engine.submit({ ...utskrivningsklar([Number(GP)]), idempotencyKey: 'epj-1' }, EPJ);
    const twice = await w.hospital.engine.submit({ ...utskrivningsklar([Number(GP)]), idempotencyKey: 'epj-1' }, EPJ);
    expect(again.accepted && twice.accepted && again.msgId === twice.msgId).toBe(true);
    await settle(w);
    expect((await w.hospital.store.listOutgoing({})).filter((o) => o.msgType === 'LOG_UTSKRIVNINGSKLAR')).toHaveLength(4);
  }, 60_000);

  test('a copy receiver without a certificate gets no copy: an alarm with the address register code; the original is sent', async () => {
    w = await createWorld();
    const sent = await w.hospital.engine.submit(utskrivningsklar([Number(GP)]), EPJ);
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    await settle(w);
    expect((await w.hospital.store.listOutgoing({})).map((o) => o.msgId)).toEqual([sent.msgId]);
    expect(await w.hospital.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'acknowledged' });
    const alarms = (await w.hospital.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.id === `copy-failed:${sent.msgId}:${GP}`);
    expect(alarms).toEqual([expect.objectContaining({ kind: 'alarm', msgId: sent.msgId, detail: expect.stringMatching(/^ERR_AR_NO_(CERTIFICATE|TRANSPORT): /) })]);
    expect(w.hospital.events).toContainEqual({ type: 'alarm', taskId: `copy-failed:${sent.msgId}:${GP}`, title: `copy of LOG_UTSKRIVNINGSKLAR to ${GP} not sent` });
  }, 60_000);

  test('the address register down for the copy receiver: the submission is accepted, the original waits for its copy', async () => {
    let down = true;
    const faulty = (ar: AddressRegister): AddressRegister =>
      new Proxy(ar, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            // Down when the copy is protected (after the submission was checked).
            if (down && args[0] === GP && (prop === 'resolveReceiver' || prop === 'encryptionCertificateFor')) throw new AddressRegisterError('ERR_AR_UNAVAILABLE');
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    w = await createWorld({ withGp: true, config: () => ({ retry: { jitter: 0, initialDelayMs: 1000, factor: 2, ttlMs: 60 * 60_000 } }), addressRegister: faulty });
    const sent = await w.hospital.engine.submit(utskrivningsklar([Number(GP)]), EPJ);
    if (!sent.accepted) throw new Error(JSON.stringify(sent.issues));
    await w.hospital.engine.runOnce();
    expect(await w.hospital.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'failed', lastError: 'copies: ERR_AR_UNAVAILABLE' });
    expect(await w.hospital.store.getOutgoing(copyMsgId(HOSPITAL_SERVICE, sent.msgId, GP))).toBeUndefined();
    down = false;
    w.now = new Date(w.now.getTime() + 1000);
    await settle(w);
    expect(await w.hospital.store.getOutgoing(sent.msgId)).toMatchObject({ state: 'acknowledged' });
    expect(await w.hospital.store.getOutgoing(copyMsgId(HOSPITAL_SERVICE, sent.msgId, GP))).toMatchObject({ state: 'acknowledged' });
    expect((await w.gp!.engine.listInbox({}, EPJ)).map((i) => i.msgId)).toEqual([copyMsgId(HOSPITAL_SERVICE, sent.msgId, GP)]);
  }, 60_000);

  test('a copy receiver missing from the address register refuses the submission with a typed issue', async () => {
    w = await createWorld();
    const refused = await w.hospital.engine.submit(utskrivningsklar([8199999]), EPJ);
    expect(refused).toMatchObject({ accepted: false, issues: [{ code: 'ERR_MSG_RECEIVER_UNKNOWN', path: 'copyTo[0]' }] });
    expect(await w.hospital.store.listOutgoing({})).toEqual([]);
  }, 60_000);
});
