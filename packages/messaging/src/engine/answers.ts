/**
 * The municipality's answer to LOG_UTSKRIVNINGSKLAR (DOMAIN §3, §4 step 4): a dialogue message with
 * topic 7322 = 7 whose free text says whether the municipality can receive the patient. Which
 * message type carries it (Svar or Forespørsel) is UNVERIFIED (DOMAIN §3), and the free text has no
 * coded answer, so the reading is an explicit, configurable rule ({@link AnswerRule}); both parties
 * must configure the same rule. A topic-7 message the rule cannot classify is never ignored: the
 * engine raises an "unclassified answer" alarm, and an operator classifies it through
 * `classifyAnswer` (ADR 0014).
 */
import { UTSKRIVNINGSKLAR_FEEDBACK_TOPIC } from '@samhandling/plo';
import type { DialogForesporsel, DialogSvar, ParsedMessage } from '@samhandling/plo';
import type { MunicipalityAnswer } from '@samhandling/procedure';
import type { AnswerClassifier } from './config';

/** The rule that reads the municipality's answer out of a topic-7 dialogue message. */
export interface AnswerRule {
  /** Message types that may carry the answer. Default both `DIALOG_FORESPORSEL` and `DIALOG_SVAR` (unverified which one). */
  readonly messageTypes: readonly ('DIALOG_FORESPORSEL' | 'DIALOG_SVAR')[];
  /** The topic (kodeverk 7322) that marks the answer. Default `{ v: '7', s: '2.16.578.1.12.4.1.1.7322' }`; `s` may be left out by the sender. */
  readonly topic: { readonly v: string; readonly s: string };
  /**
   * Patterns (JavaScript regular expressions, matched case-insensitively against the lower-cased
   * text) per answer, tried in this order: `cannotReceive`, `offerReady`, `canReceive`. The first
   * answer with a matching pattern wins.
   */
  readonly cannotReceive: readonly string[];
  readonly offerReady: readonly string[];
  readonly canReceive: readonly string[];
  /** Pattern whose first capture group is the expected date (YYYY-MM-DD) of a cannot-receive answer. */
  readonly datePattern: string;
}

/**
 * The default {@link AnswerRule}: Norwegian keywords. "kan ikke" → cannot-receive (the first
 * YYYY-MM-DD is the expected date); "klar"/"klart" → offer-ready; "kan ta imot"/"kan motta" →
 * can-receive. Anything else is unclassified and goes to an operator.
 */
export const DEFAULT_ANSWER_RULE: AnswerRule = {
  messageTypes: ['DIALOG_FORESPORSEL', 'DIALOG_SVAR'],
  topic: { v: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC.v, s: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC.s ?? '2.16.578.1.12.4.1.1.7322' },
  cannotReceive: ['\\bkan ikke\\b'],
  offerReady: ['\\bklart?\\b'],
  canReceive: ['\\bkan (ta imot|motta)\\b'],
  datePattern: '\\b(\\d{4}-\\d{2}-\\d{2})\\b',
};

/** Completes and checks a partial rule (every pattern must compile). @throws RangeError */
export function resolveAnswerRule(partial: Partial<AnswerRule> = {}): AnswerRule {
  const rule: AnswerRule = { ...DEFAULT_ANSWER_RULE, ...partial };
  if (!Array.isArray(rule.messageTypes) || rule.messageTypes.length === 0 || rule.messageTypes.some((t) => t !== 'DIALOG_FORESPORSEL' && t !== 'DIALOG_SVAR')) {
    throw new RangeError('answerRule.messageTypes must list DIALOG_FORESPORSEL and/or DIALOG_SVAR');
  }
  if (typeof rule.topic?.v !== 'string' || typeof rule.topic.s !== 'string') throw new RangeError('answerRule.topic needs v and s');
  for (const field of ['cannotReceive', 'offerReady', 'canReceive'] as const) {
    if (!Array.isArray(rule[field])) throw new RangeError(`answerRule.${field} must be an array of patterns`);
    rule[field].forEach((p, i) => compile(p, `answerRule.${field}[${i}]`));
  }
  compile(rule.datePattern, 'answerRule.datePattern');
  return rule;
}

function compile(pattern: unknown, path: string): RegExp {
  if (typeof pattern !== 'string' || pattern === '') throw new RangeError(`${path} must be a non-empty pattern`);
  try {
    return new RegExp(pattern, 'i');
  } catch (err) {
    throw new RangeError(`${path} is not a valid regular expression`, { cause: err });
  }
}

/**
 * The free text of a topic-7 answer in `message` under `rule` (the question texts of a
 * Forespørsel with that topic, or the answer of a Svar to such a question), or undefined when the
 * message is not such an answer.
 */
export function answerTextOf(message: ParsedMessage, rule: AnswerRule = DEFAULT_ANSWER_RULE): string | undefined {
  if (!(rule.messageTypes as readonly string[]).includes(message.type)) return undefined;
  const isTopic = (topic: { readonly v?: string; readonly s?: string } | undefined): boolean =>
    topic?.v === rule.topic.v && (topic.s === undefined || topic.s === rule.topic.s);
  const texts: string[] = [];
  if (message.type === 'DIALOG_FORESPORSEL') {
    const c = message.content as DialogForesporsel | undefined;
    for (const q of c?.questions ?? []) if (isTopic(q.topic)) texts.push(q.question ?? '');
  } else if (message.type === 'DIALOG_SVAR') {
    const c = message.content as DialogSvar | undefined;
    if (c !== undefined && isTopic(c.question?.topic)) texts.push(c.answer ?? '');
  }
  return texts.length === 0 ? undefined : texts.join('\n');
}

/** An {@link AnswerClassifier} from a rule. */
export function classifierFromRule(partial: Partial<AnswerRule> = {}): AnswerClassifier {
  const rule = resolveAnswerRule(partial);
  const patterns: readonly (readonly [MunicipalityAnswer, readonly RegExp[]])[] = [
    ['cannot-receive', rule.cannotReceive.map((p, i) => compile(p, `cannotReceive[${i}]`))],
    ['offer-ready', rule.offerReady.map((p, i) => compile(p, `offerReady[${i}]`))],
    ['can-receive', rule.canReceive.map((p, i) => compile(p, `canReceive[${i}]`))],
  ];
  const datePattern = compile(rule.datePattern, 'datePattern');
  const classify: AnswerClassifier = (message) => {
    const raw = answerTextOf(message, rule);
    if (raw === undefined) return undefined;
    const text = raw.toLowerCase();
    const hit = patterns.find(([, list]) => list.some((re) => re.test(text)));
    if (hit === undefined) return undefined;
    const answer = hit[0];
    const date = datePattern.exec(text)?.[1];
    return answer === 'cannot-receive' && date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { answer, date } : { answer };
  };
  return Object.assign(classify, { rule });
}

/** The rule behind a classifier made by {@link classifierFromRule}, else the default rule (for detecting topic-7 answers). */
export function ruleOf(classifier: AnswerClassifier): AnswerRule {
  const rule = (classifier as { rule?: AnswerRule }).rule;
  return rule ?? DEFAULT_ANSWER_RULE;
}

/** An operator's classification of an answer the rule could not read. */
export interface AnswerClassification {
  readonly answer: MunicipalityAnswer;
  /** With `cannot-receive`: the date (YYYY-MM-DD) the municipality expects to be ready. */
  readonly date?: string;
}

/** Checks an operator's classification. @throws TypeError */
export function checkClassification(c: AnswerClassification): AnswerClassification {
  if (typeof c !== 'object' || c === null) throw new TypeError('classification { answer, date? } is required');
  if (c.answer !== 'can-receive' && c.answer !== 'cannot-receive' && c.answer !== 'offer-ready') {
    throw new TypeError("classification.answer must be 'can-receive', 'cannot-receive' or 'offer-ready'");
  }
  if (c.date !== undefined) {
    if (c.answer !== 'cannot-receive') throw new TypeError('classification.date only with cannot-receive');
    if (typeof c.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.date) || Number.isNaN(Date.parse(`${c.date}T00:00:00Z`))) {
      throw new TypeError('classification.date must be a date YYYY-MM-DD');
    }
  }
  return c.date === undefined ? { answer: c.answer } : { answer: c.answer, date: c.date };
}
