/**
 * The municipality's answer to LOG_UTSKRIVNINGSKLAR: the configured answer rule, and the
 * operator's classification of an answer the rule cannot read (alarm, `classifyAnswer`, the same
 * procedure event on that side, recorded as manual).
 */
import { UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, herIdent, parseMessage, buildMessage } from '@samhandling/plo';
import type { Actor, SubmitMessageInput } from './api';
import { DEFAULT_ANSWER_RULE, answerTextOf, checkClassification, classifierFromRule, resolveAnswerRule } from './answers';
import { HOSPITAL_SERVICE, SYKEPLEIE, createWorld, disposeWorlds, patient, settle } from '../../test/engine-world';
import type { World } from '../../test/engine-world';

const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const OPERATOR: Actor = { kind: 'operator', id: 'kari' };

afterAll(() => disposeWorlds());

function answer(text: string, type: 'DIALOG_FORESPORSEL' | 'DIALOG_SVAR' = 'DIALOG_FORESPORSEL'): SubmitMessageInput {
  const content =
    type === 'DIALOG_FORESPORSEL'
      ? { questions: [{ topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: text, documentId: `SVAR-${text.length}` }] }
      : { status: { v: '5', s: '2.16.578.1.12.4.1.1.9069', dn: 'Svar på forespørsel' }, answer: text, documentId: 'A-1', question: { topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: 'Kan kommunen ta imot?', documentId: 'Q-1' } };
  return { type, receiverHerId: Number(HOSPITAL_SERVICE), patient, content };
}

function parsed(input: SubmitMessageInput): ReturnType<typeof parseMessage> {
  const org = (her: string) => ({ name: 'X', idents: [herIdent(her)] });
  return parseMessage(buildMessage({ type: input.type, sender: org(SYKEPLEIE), receiver: org(HOSPITAL_SERVICE), patient: patient as never, content: input.content }, { clock: () => new Date('2024-03-08T12:00:00Z') }));
}

describe('the answer rule', () => {
  test('the default rule reads the Norwegian keywords; other topics are not answers', () => {
    const classify = classifierFromRule();
    expect(classify(parsed(answer('Kommunen kan ikke ta imot pasienten. Forventet klar 2024-03-11.')))).toEqual({ answer: 'cannot-receive', date: '2024-03-11' });
    expect(classify(parsed(answer('Tilbudet er klart fra i dag.')))).toEqual({ answer: 'offer-ready' });
    expect(classify(parsed(answer('Vi kan ta imot pasienten i dag.', 'DIALOG_SVAR')))).toEqual({ answer: 'can-receive' });
    expect(classify(parsed(answer('Vi kommer tilbake til dette.')))).toBeUndefined();
    expect(answerTextOf(parsed(answer('Vi kommer tilbake til dette.')))).toBe('Vi kommer tilbake til dette.');
    const other = answer('Kan ikke.');
    const q = { ...other, content: { questions: [{ topic: { v: '8', s: '2.16.578.1.12.4.1.1.7322' }, question: 'Kan ikke.', documentId: 'Q' }] } };
    expect(answerTextOf(parsed(q))).toBeUndefined();
  });

  test('a configured rule: only Svar carries the answer, other words', () => {
    const classify = classifierFromRule({ messageTypes: ['DIALOG_SVAR'], canReceive: ['\\bja\\b'], cannotReceive: ['\\bnei\\b'], offerReady: ['\\bplass klar\\b'] });
    expect(classify(parsed(answer('Ja', 'DIALOG_SVAR')))).toEqual({ answer: 'can-receive' });
    expect(classify(parsed(answer('Nei, tidligst 2024-03-12', 'DIALOG_SVAR')))).toEqual({ answer: 'cannot-receive', date: '2024-03-12' });
    expect(classify(parsed(answer('Ja', 'DIALOG_FORESPORSEL')))).toBeUndefined();
    expect(answerTextOf(parsed(answer('Ja', 'DIALOG_FORESPORSEL')), resolveAnswerRule({ messageTypes: ['DIALOG_SVAR'] }))).toBeUndefined();
  });

  test('an invalid rule or classification is refused', () => {
    expect(() => resolveAnswerRule({ canReceive: ['('] })).toThrow(RangeError);
    expect(() => resolveAnswerRule({ messageTypes: [] })).toThrow(RangeError);
    expect(() => resolveAnswerRule({ datePattern: '' })).toThrow(RangeError);
    expect(resolveAnswerRule()).toEqual(DEFAULT_ANSWER_RULE);
    expect(() => checkClassification({ answer: 'maybe' as never })).toThrow(TypeError);
    expect(() => checkClassification({ answer: 'can-receive', date: '2024-03-11' })).toThrow(TypeError);
    expect(() => checkClassification({ answer: 'cannot-receive', date: '11.03.2024' })).toThrow(TypeError);
    expect(checkClassification({ answer: 'cannot-receive', date: '2024-03-11' })).toEqual({ answer: 'cannot-receive', date: '2024-03-11' });
  });
});

describe('an answer the rule cannot classify', () => {
  let w: World;
  afterEach(async () => {
    await w.close();
  });

  const utskrivningsklar: SubmitMessageInput = {
    type: 'LOG_UTSKRIVNINGSKLAR',
    receiverHerId: Number(SYKEPLEIE),
    patient,
    content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-08T10:00:00+01:00' } },
  };

  async function submit(side: World['hospital'], input: SubmitMessageInput): Promise<string> {
    const r = await side.engine.submit(input, EPJ);
    if (!r.accepted) throw new Error(JSON.stringify(r.issues));
    return r.msgId;
  }

  test('raises an alarm on both sides; the operators classify it; both procedures get the same answer, recorded as manual', async () => {
    w = await createWorld();
    await submit(w.hospital, { ...utskrivningsklar, type: 'LOG_INNLAGT', content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-04T08:30:00+01:00' } } });
    await settle(w);
    w.now = new Date('2024-03-08T09:00:00Z');
    await submit(w.hospital, utskrivningsklar);
    await settle(w);
    w.now = new Date('2024-03-08T12:00:00Z');
    const msgId = await submit(w.kommune, answer('Vi må avklare dette med tildelingskontoret, tidligst 2024-03-11.'));
    await settle(w);
    for (const side of [w.hospital, w.kommune]) {
      const alarms = (await side.engine.listTasks({ open: true }, OPERATOR)).filter((t) => t.id === `unclassified-answer:${msgId}`);
      expect(alarms).toEqual([expect.objectContaining({ kind: 'alarm', title: 'unclassified answer to LOG_UTSKRIVNINGSKLAR', msgId })]);
      expect(side.events).toContainEqual({ type: 'alarm', taskId: `unclassified-answer:${msgId}`, title: 'unclassified answer to LOG_UTSKRIVNINGSKLAR' });
      const [stay] = await side.engine.listStays(OPERATOR);
      expect((stay!.procedure as { answers: unknown[] }).answers).toEqual([]);
    }
    // Wrong calls.
    await expect(w.kommune.engine.classifyAnswer('no-such-message', { answer: 'can-receive' }, OPERATOR)).rejects.toMatchObject({ code: 'ERR_MSG_NOT_FOUND' });
    const [stay] = await w.kommune.engine.listStays(OPERATOR);
    const klar = stay!.messages.find((m) => m.type === 'LOG_UTSKRIVNINGSKLAR')!.msgId;
    await expect(w.kommune.engine.classifyAnswer(klar, { answer: 'can-receive' }, OPERATOR)).rejects.toMatchObject({ code: 'ERR_MSG_INVALID_STATE' });
    await expect(w.kommune.engine.classifyAnswer(msgId, { answer: 'offer-ready', date: '2024-03-11' }, OPERATOR)).rejects.toThrow(TypeError);
    // Both operators read it as cannot-receive until 2024-03-11.
    const views = [];
    for (const side of [w.hospital, w.kommune]) {
      const view = await side.engine.classifyAnswer(msgId, { answer: 'cannot-receive', date: '2024-03-11' }, OPERATOR);
      const proc = view.procedure as { answers: unknown[]; periods: unknown[] };
      expect(proc.answers).toEqual([{ msgId, answer: 'cannot-receive', date: '2024-03-11', classifiedBy: 'manual', by: 'operator:kari', at: '2024-03-08T12:00:00.000Z' }]);
      expect(proc.periods[0]).toMatchObject({ conditions: { canReceiveInTime: false } });
      if (side === w.kommune) {
        // The procedure now waits for the municipality's offer-ready report, expected on the date given.
        expect(await side.engine.listTasks({ open: true }, OPERATOR)).toContainEqual(expect.objectContaining({ title: 'report-offer-ready', detail: 'expected 2024-03-11' }));
      }
      expect((await side.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.id === `unclassified-answer:${msgId}`)).toBe(false);
      expect(await side.store.listAudit({ action: 'classify-answer' })).toEqual([expect.objectContaining({ actor: 'operator:kari', subjectType: 'procedure' })]);
      const { answers: _a, ...rest } = proc;
      views.push(rest);
    }
    expect(views[0]).toEqual(views[1]);
    // A rule-classified answer needs no operator and cannot be reclassified.
    w.now = new Date('2024-03-11T08:00:00Z');
    const ready = await submit(w.kommune, answer('Tilbudet er klart: korttidsplass fra i dag.'));
    await settle(w);
    const [after] = await w.hospital.engine.listStays(OPERATOR);
    expect((after!.procedure as { answers: { msgId: string; classifiedBy: string }[] }).answers.map((a) => [a.msgId, a.classifiedBy])).toEqual([
      [msgId, 'manual'],
      [ready, 'rule'],
    ]);
    await expect(w.hospital.engine.classifyAnswer(ready, { answer: 'can-receive' }, OPERATOR)).rejects.toMatchObject({ code: 'ERR_MSG_INVALID_STATE' });
  }, 60_000);

  test('a configured rule reads what the default rule cannot', async () => {
    w = await createWorld({ config: () => ({ answerRule: { canReceive: ['\\bja\\b'] } }) });
    await submit(w.hospital, utskrivningsklar);
    await settle(w);
    w.now = new Date('2024-03-04T09:00:00Z');
    const msgId = await submit(w.kommune, answer('Ja.'));
    await settle(w);
    for (const side of [w.hospital, w.kommune]) {
      const [stay] = await side.engine.listStays(OPERATOR);
      expect((stay!.procedure as { answers: unknown[] }).answers).toEqual([{ msgId, answer: 'can-receive', classifiedBy: 'rule' }]);
      expect((await side.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.id.startsWith('unclassified-answer:'))).toBe(false);
    }
  }, 60_000);
});
