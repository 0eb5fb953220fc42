/**
 * Cross-package property test for the Helseopplysninger, Innleggelsesrapport, Utskrivningsrapport
 * and dialogue message types: a generated valid model is built into a whole MsgHead message
 * (plo `buildMessage`), validated against the bundled schemas and business rules (this package),
 * and read back (plo `parseMessage`) to the same model.
 */
import fc from 'fast-check';
import { buildMessage, herIdent, parseMessage, personIdent } from '@samhandling/plo';
import type { DialogAvvik, DialogForesporsel, DialogSvar, Helseopplysninger, Innleggelsesrapport, Utskrivningsrapport } from '@samhandling/plo';
import { createValidator } from '../src/validator';

const NOW = new Date('2024-05-02T08:00:00Z');
const clock = (): Date => NOW;
const validator = createValidator({ clock });
const OID = (n: number): string => `2.16.578.1.12.4.1.1.${n}`;

const kommune = { name: 'Skien kommune', idents: [herIdent(80001)], organisation: { name: 'Sykepleietjeneste', idents: [herIdent(80002)] } };
const sykehus = { name: 'Sykehuset Telemark HF', idents: [herIdent(90001)], organisation: { name: 'Somatikk plo meldingsmottak', idents: [herIdent(90002)] } };
const patient = { familyName: 'Nordmann', givenName: 'Ola', idents: [personIdent('31129956715')] };

const text = fc
  .string({ unit: fc.constantFrom('a', 'Z', 'æ', 'ø', 'å', ' ', '<', '&', '1', '.'), minLength: 1, maxLength: 30 })
  .map((s) => s.trim())
  .filter((s) => s !== '');
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const forsendelse = fc.constantFrom('N', 'H', 'X').map((s) => ({ forsendelsesstatus: s as 'N' | 'H' | 'X' }));
const diagnoser = opt(fc.array(fc.record({ diagnosekode: fc.constant({ v: 'S72.0', s: OID(7110) }), diagnoseBeskrivelse: text }), { minLength: 1, maxLength: 2 }));
const kontakt = opt(fc.constant([{ kontaktperson: { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('9144900', 'HPR')] } }]));
const opplysning = (codes: readonly string[], system: number) =>
  fc.record({ typeOpplysning: fc.constantFrom(...codes).map((v) => ({ v, s: OID(system) })), tekst: text });

const helseopplysninger: fc.Arbitrary<Helseopplysninger> = fc
  .record({
    informasjonOmForsendelsen: forsendelse,
    typeInnhold: fc.constantFrom('1' as const, '2' as const),
    medisinskeDiagnoser: diagnoser,
    opplysninger: fc.array(opplysning(['AAI', 'FO', 'VU', 'OP', 'HJ'], 9142), { minLength: 1, maxLength: 3 }),
    opphold: opt(fc.constant([{ hendelsekode: { v: '2', s: OID(9121) }, tidspunkt: '2024-05-09', anslag: true }])),
    tjenestebehov: opt(fc.array(fc.record({ iplosTjenestetype: fc.constantFrom('6', '15', '21').map((v) => ({ v, s: OID(9151) })) }), { minLength: 1, maxLength: 2 })),
    egensoknadSendt: opt(fc.boolean()),
    kontaktpersoner: kontakt,
  })
  .map(compact);

const innleggelsesrapport: fc.Arbitrary<Innleggelsesrapport> = fc
  .record({
    informasjonOmForsendelsen: forsendelse,
    medisinskeDiagnoser: diagnoser,
    eksisterendeTjenester: opt(fc.constant([{ iplosTjenestetype: { v: '15', s: OID(9151) }, startdato: '2023-01-01' }])),
    sykepleieopplysninger: fc.array(opplysning(['1', '7', '8', '14'], 9141), { minLength: 1, maxLength: 3 }),
    kontaktpersoner: kontakt,
  })
  .map(compact);

const utskrivningsrapport: fc.Arbitrary<Utskrivningsrapport> = fc
  .record({
    informasjonOmForsendelsen: forsendelse,
    medisinskeDiagnoser: diagnoser,
    sykepleieopplysninger: fc.array(opplysning(['8', '12'], 9141), { minLength: 1, maxLength: 2 }),
    opphold: opt(fc.constant([{ hendelsekode: { v: '2', s: OID(9121) }, tidspunkt: '2024-05-09T12:00:00+02:00' }])),
    utskrevetTil: opt(fc.constant({ utTil: { v: '1', s: OID(8408) } })),
    kontaktpersoner: kontakt,
  })
  .map(compact);

const question = fc
  .record({ topic: fc.constantFrom('6', '7', '8').map((v) => ({ v, s: OID(7322) })), subject: opt(text), question: text, documentId: fc.uuid() })
  .map(compact);
const foresporsel: fc.Arbitrary<DialogForesporsel> = fc.record({ questions: fc.array(question, { minLength: 1, maxLength: 1 }) });
const svar: fc.Arbitrary<DialogSvar> = fc
  .record({ status: fc.constantFrom('1', '5', '9').map((v) => ({ v, s: OID(9069) })), answer: text, question })
  .map(compact);
const avvik: fc.Arbitrary<DialogAvvik> = fc.record({ reason: fc.constantFrom('1' as const, '2' as const, '9' as const), description: text, originalMsgId: fc.uuid() });

const cases: readonly [string, fc.Arbitrary<unknown>, boolean][] = [
  ['HELSEOPPL_SOKNAD', helseopplysninger, false],
  ['INNLEGGELSESRAPPORT', innleggelsesrapport, true],
  ['UTSKRIVNINGSRAPPORT', utskrivningsrapport, false],
  ['DIALOG_FORESPORSEL', foresporsel, true],
  ['DIALOG_SVAR', svar, false],
  ['DIALOG_AVVIK', avvik, false],
];

describe('content round trip: model → MsgHead → validate → parse', () => {
  it.each(cases)('%s', (type, arbitrary, fromKommune) => {
    let n = 0;
    fc.assert(
      fc.property(arbitrary, (content) => {
        const xml = buildMessage(
          { type, sender: fromKommune ? kommune : sykehus, receiver: fromKommune ? sykehus : kommune, patient, content },
          { clock, idGenerator: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` },
        );
        const report = validator.validate(xml);
        expect(report.issues).toEqual([]);
        const parsed = parseMessage(xml);
        expect(parsed.type).toBe(type);
        expect(parsed.content).toEqual(content);
      }),
      { numRuns: 15 },
    );
  });
});
