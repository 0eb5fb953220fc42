/**
 * The validation gate of the outgoing pipeline (`prepareSubmission`): XML that the plo builder
 * produced without complaint but the validator refuses never leaves. It is refused with the
 * validator's issues, and neither an outbox row nor a receipt expectation is written.
 */
import { personIdent } from '@samhandling/plo';
import { createValidator } from '@samhandling/schema';
import type { Validator } from '@samhandling/schema';
import { createSingleEngine, logInnlagt } from '../../test/single-engine';
import type { SingleEngine } from '../../test/single-engine';
import type { Actor, SubmissionIssue } from './api';

const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const MSG_ID = '6f1c1d2e-0b7a-4c52-9d3e-2a4b5c6d7e8f';
/** A synthetic (month + 80) fødselsnummer with correct check digits: valid only in a test environment. */
const SYNTHETIC_FNR = '13916900281';
const NOW = new Date('2024-03-04T08:00:00Z');
const validatorClock = (): Date => new Date(NOW.getTime());

/** A validator that remembers every document it was asked about. */
function recording(inner: Validator): { readonly validator: Validator; readonly seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    validator: {
      namespaces: inner.namespaces,
      validate: (input) => {
        seen.push(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
        return inner.validate(input);
      },
    },
  };
}

/** The issues a refused submission must answer with: the validator's errors, as SubmissionIssues. */
function expectedIssues(validator: Validator, xml: string): SubmissionIssue[] {
  return validator
    .validate(xml)
    .issues.filter((i) => i.severity === 'error')
    .map((i) => ({
      code: i.code,
      message: i.message,
      ...(i.xpath === undefined ? {} : { path: i.xpath }),
      ...(i.appRecCode === undefined ? {} : { appRecCode: i.appRecCode }),
    }));
}

/** Nothing of `msgId` is stored but the refusal's audit entry, and nothing reaches the transport. */
async function expectNothingLeft(s: SingleEngine): Promise<void> {
  expect(await s.store.listOutgoing()).toEqual([]);
  expect(await s.store.getOutgoing(MSG_ID)).toBeUndefined();
  expect(await s.store.receipts.get(MSG_ID)).toBeUndefined();
  expect(await s.store.receipts.due('9999-12-31T23:59:59.999Z', 1000)).toEqual([]);
  await s.engine.runOnce();
  expect(s.sent).toEqual([]);
  expect((await s.store.listAudit({ subjectId: MSG_ID })).map((a) => a.action)).toEqual(['submit-refused']);
}

let production: Validator;
let testEnvironment: Validator;
let withoutLogInnlagt: Validator;

beforeAll(() => {
  production = createValidator({ environment: 'production', clock: validatorClock });
  testEnvironment = createValidator({ environment: 'test', clock: validatorClock });
  // A deployment whose validator does not support LOG_INNLAGT (the builder does).
  withoutLogInnlagt = createValidator({ environment: 'production', clock: validatorClock, isKnownMessageType: (type) => type !== 'LOG_INNLAGT' });
}, 120_000);

describe('outgoing validation gate', () => {
  let s: SingleEngine | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  test('control: the same submission with an accepting validator is enqueued with its receipt expectation and sent', async () => {
    const v = recording(production);
    s = await createSingleEngine({ now: NOW, deps: { validator: v.validator, idGenerator: () => MSG_ID } });
    const result = await s.engine.submit(logInnlagt(), EPJ);
    expect(result).toMatchObject({ accepted: true, msgId: MSG_ID });
    expect(v.seen).toHaveLength(1);
    expect((await s.store.listOutgoing()).map((r) => r.msgId)).toEqual([MSG_ID]);
    expect(await s.store.receipts.get(MSG_ID)).toMatchObject({ state: 'awaiting' });
    await s.engine.runOnce();
    expect(s.sent.map((e) => e.messageId)).toEqual([MSG_ID]);
  });

  test('built XML that a business rule of the validator refuses never leaves', async () => {
    const v = recording(withoutLogInnlagt);
    s = await createSingleEngine({ now: NOW, deps: { validator: v.validator, idGenerator: () => MSG_ID } });
    const result = await s.engine.submit(logInnlagt(), EPJ);

    // The builder accepted the submission: the gate got the built XML, and only the rule refuses it.
    expect(v.seen).toHaveLength(1);
    const xml = v.seen[0]!;
    expect(production.validate(xml).valid).toBe(true);
    const issues = expectedIssues(withoutLogInnlagt, xml);
    expect(issues).toEqual([expect.objectContaining({ code: 'ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE', path: expect.stringContaining('Type') })]);

    expect(result).toEqual({ accepted: false, issues });
    await expectNothingLeft(s);
  });

  test('a synthetic fødselsnummer passes the builder of a test engine but not a production validator, and never leaves', async () => {
    const v = recording(production);
    s = await createSingleEngine({ now: NOW, config: { testEnvironment: true }, deps: { validator: v.validator, idGenerator: () => MSG_ID } });
    const submission = logInnlagt({ patient: { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent(SYNTHETIC_FNR, 'FNR')] } });
    const result = await s.engine.submit(submission, EPJ);

    expect(v.seen).toHaveLength(1);
    const xml = v.seen[0]!;
    expect(testEnvironment.validate(xml).valid).toBe(true);
    const issues = expectedIssues(production, xml);
    expect(issues).toEqual([expect.objectContaining({ code: 'ERR_SCHEMA_PATIENT_ID_SYNTHETIC' })]);

    expect(result).toEqual({ accepted: false, issues });
    await expectNothingLeft(s);
  });

  test('warnings alone do not stop a message', async () => {
    // The refusing rule turned down to a warning: the gate stops errors only.
    const lenient = createValidator({
      environment: 'production',
      clock: validatorClock,
      isKnownMessageType: (type) => type !== 'LOG_INNLAGT',
      rules: { messageType: 'warning' },
    });
    const v = recording(lenient);
    s = await createSingleEngine({ now: NOW, deps: { validator: v.validator, idGenerator: () => MSG_ID } });
    const result = await s.engine.submit(logInnlagt(), EPJ);
    expect(lenient.validate(v.seen[0]!).issues).toEqual([expect.objectContaining({ code: 'ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE', severity: 'warning' })]);
    expect(result).toMatchObject({ accepted: true, msgId: MSG_ID });
    expect((await s.store.listOutgoing()).map((r) => r.msgId)).toEqual([MSG_ID]);
  });
});
