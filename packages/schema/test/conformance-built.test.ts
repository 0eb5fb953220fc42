/**
 * What the project builds, checked against the OFFICIAL schemas: every message of one hospital
 * stay (tools/demo/stay-chain.mjs, the chain `npm start` demonstrates) is built with
 * @samhandling/plo and validated with the official MsgHead, KITH, felleskomponent1 and base64
 * schemas from the shared conformance folder replacing ours by namespace; PLO 1.6 and
 * Dialogmelding 1.1 content is checked against the project's own content schemas (the official
 * ones are not available). Skips when the conformance folder is absent.
 */
import path from 'node:path';
import { buildMessage, parseMessage } from '@samhandling/plo';
import { forEachStayMessage } from '../../../tools/demo/stay-chain.mjs';
import { createValidator } from '../src';
import { findConformanceDir } from './fixtures/conformance';

interface Built {
  readonly type: string;
  readonly xml: string;
}

function buildStay(): Built[] {
  const built: Built[] = [];
  let n = 0;
  forEachStayMessage(({ at, input }) => {
    n += 1;
    const msgId = `0b6f3c1e-7d2a-4c55-9a11-${String(n).padStart(12, '0')}`;
    const xml = buildMessage(input, { idGenerator: () => msgId, clock: () => new Date(at) });
    built.push({ type: input.type, xml });
    return msgId;
  });
  return built;
}

const conformance = findConformanceDir();
if (conformance === undefined) {
  console.log('shared/conformance not found: skipping the official-schema check of built messages');
}
const describeIfData = conformance === undefined ? describe.skip : describe;

const stay = buildStay();

describe('the hospital-stay chain', () => {
  it('covers every message type of the standard chain', () => {
    expect(new Set(stay.map((m) => m.type))).toEqual(
      new Set([
        'LOG_INNLAGT',
        'INNLEGGELSESRAPPORT',
        'HELSEOPPL_SOKNAD',
        'LOG_UTSKRIVNINGSKLAR',
        'DIALOG_FORESPORSEL',
        'LOG_AVMELDING',
        'DIALOG_SVAR',
        'LOG_UTSKREVET',
        'UTSKRIVNINGSRAPPORT',
        'DIALOG_AVVIK',
      ]),
    );
  });

  it.each(stay.map((m, i) => [`${i + 1} ${m.type}`, m] as const))('%s validates with the bundled schemas and parses back', (_name, m) => {
    const report = createValidator().validate(m.xml);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.valid).toBe(true);
    expect(parseMessage(m.xml).type).toBe(m.type);
  });
});

describeIfData('built messages against the official schemas', () => {
  let validator: ReturnType<typeof createValidator>;
  beforeAll(() => {
    validator = createValidator({ schemaDirectory: path.join(conformance as string, 'xsd') });
  });

  it.each(stay.map((m, i) => [`${i + 1} ${m.type}`, m] as const))('%s is valid under the official MsgHead', (_name, m) => {
    const report = validator.validate(m.xml);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('a built message broken in its MsgHead is refused by the official schema', () => {
    const m = stay[0] as Built;
    const broken = m.xml.replace(/<MsgId>/, '<MsgIdentifier>').replace(/<\/MsgId>/, '</MsgIdentifier>');
    const report = validator.validate(broken);
    expect(report.valid).toBe(false);
    expect(report.issues.map((i) => i.appRecCode)).toContain('T02');
  });
});
