/**
 * Cross-package property test: every generated valid Pasientlogistikk message (all five types,
 * PLO 1.6 and 1.5) built by @samhandling/plo validates against the bundled schemas and business
 * rules, and parses back to the same content.
 */
import fc from 'fast-check';
import { buildMessage, parseMessage } from '@samhandling/plo';
import type { Pasientlogistikk } from '@samhandling/plo';
import { createValidator } from '../src/index';
import { inputArb } from '../../plo/test/support/arbitraries';

describe('Pasientlogistikk build → validate → parse (property)', () => {
  const validator = createValidator({ environment: 'test' });

  it('every built message is schema-valid and round-trips', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const xml = buildMessage(input);
        const report = validator.validate(xml);
        expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(report.valid).toBe(true);
        expect(parseMessage<Pasientlogistikk>(xml).content).toEqual(input.content);
      }),
      { numRuns: 60 },
    );
  });

  it('a content error is caught by the authored schema', () => {
    const [input] = fc.sample(inputArb, { numRuns: 1, seed: 42 });
    const xml = buildMessage(input!).replace(/Forsendelsesstatus V="[A-Z]"/, 'Forsendelsesstatus V="Q"');
    expect(validator.validate(xml).valid).toBe(false);
  });
});
