/**
 * The operator's side of unclassified answers to LOG_UTSKRIVNINGSKLAR (ADR 0014): the engine's
 * `classifyAnswer` feeds the procedure the event the answer rule could not derive.
 * @internal
 */
import type { StayView } from './api';
import { checkClassification } from './answers';
import type { AnswerClassification } from './answers';
import type { EngineContext } from './context';
import { EngineError } from './errors';
import { staySummary } from './stays';

/** The engine's `classifyAnswer` (see `StayOperations`). */
export async function classifyAnswer(ctx: EngineContext, msgId: string, classification: AnswerClassification, who: string): Promise<StayView> {
  if (typeof msgId !== 'string' || msgId === '') throw new TypeError('msgId is required');
  const c = checkClassification(classification);
  const result = await ctx.stays.classify(msgId, c, who);
  if (result.status !== 'ok') {
    if (result.status === 'not-found') throw new EngineError('ERR_MSG_NOT_FOUND', `no stay lists message ${msgId}`);
    throw new EngineError('ERR_MSG_INVALID_STATE', `message ${msgId} is not an answer the rule left unclassified`);
  }
  const rec = await ctx.stays.get(result.stayKey);
  if (rec === undefined) throw new EngineError('ERR_MSG_NOT_FOUND', `stay ${result.stayKey} is gone`);
  await ctx.audit(who, 'classify-answer', 'procedure', rec.key, rec.patientRef, { msgId, answer: c.answer, ...(c.date === undefined ? {} : { date: c.date }) });
  ctx.emit({ type: 'stay-changed', stayKey: rec.key });
  return { key: rec.key, procedure: staySummary(rec), messages: rec.messages };
}
