/**
 * fast-check arbitraries for valid Pasientlogistikk messages (every type), used by the plo round
 * trip property test and by the schema package's build → validate → parse test.
 */
import fc from 'fast-check';
import type { BuildMessageInput, Organisation, Pasientlogistikk, PasientlogistikkType, Person } from '../../src/index';
import { herIdent, personIdCheckDigits, personIdent } from '../../src/index';

/** The five Pasientlogistikk types. */
export const PASIENTLOGISTIKK_TYPES: readonly PasientlogistikkType[] = ['LOG_INNLAGT', 'LOG_UTSKREVET', 'LOG_UTSKRIVNINGSKLAR', 'LOG_AVMELDING', 'LOG_DOD'];

const letters = 'abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéü';

/** A trimmed name: words of letters and hyphens separated by single spaces. */
export const nameArb: fc.Arbitrary<string> = fc
  .array(fc.string({ unit: fc.constantFrom(...letters.split('')), minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 })
  .map((w) => w.join(' '));

/** Free text: any XML-safe characters (no CR), not blank; may start or end with spaces and contain line breaks. */
export const freeTextArb: fc.Arbitrary<string> = fc
  .string({ unit: fc.oneof(fc.constantFrom(' ', '\n', '\t', '<', '&', '>', '"', "'", ']]>', 'ø', '😀'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 40 })
  .filter((s) => s.trim() !== '' && [...s].every((ch) => xmlSafe(ch.codePointAt(0) ?? 0)));

function xmlSafe(c: number): boolean {
  return c === 0x9 || c === 0xa || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
}

/** A HER-id. */
export const herIdArb: fc.Arbitrary<number> = fc.integer({ min: 1, max: 2_147_483_647 });

/** A valid classic fødselsnummer (born 1900-1999, individual number 000-499). */
export const fnrArb: fc.Arbitrary<string> = fc
  .record({ date: fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(1999, 11, 31)), noInvalidDate: true }), ind: fc.integer({ min: 0, max: 499 }) })
  .map(({ date, ind }) => {
    const d = String(date.getUTCDate()).padStart(2, '0');
    const m = String(date.getUTCMonth() + 1).padStart(2, '0');
    const y = String(date.getUTCFullYear() % 100).padStart(2, '0');
    const nine = `${d}${m}${y}${String(ind).padStart(3, '0')}`;
    const k = personIdCheckDigits(nine);
    return k === null ? null : `${nine}${k}`;
  })
  .filter((x): x is string => x !== null);

/** xs:dateTime with seconds, UTC or a +01:00/+02:00 offset. */
export const dateTimeArb: fc.Arbitrary<string> = fc
  .record({ d: fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }), z: fc.constantFrom('Z', '+01:00', '+02:00', '') })
  .map(({ d, z }) => `${d.toISOString().slice(0, 19)}${z}`);

function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined });
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** An organisation chain of 1-3 levels, each with a HER-id. */
export const organisationArb: fc.Arbitrary<Organisation> = fc.letrec<{ org: Organisation }>((tie) => ({
  org: fc
    .record({ name: nameArb, her: herIdArb, sub: fc.option(tie('org'), { nil: undefined, depthSize: 'small' }) })
    .map(({ name, her, sub }) => strip({ name, idents: [herIdent(her)], organisation: sub })),
})).org;

/** A patient with a fødselsnummer. */
export const patientArb: fc.Arbitrary<Person> = fc
  .record({ familyName: nameArb, givenName: nameArb, middleName: optional(nameArb), fnr: fnrArb })
  .map(({ fnr, ...names }) => strip({ ...names, idents: [personIdent(fnr, 'FNR')] }));

/** Content for `type`. Statuses that refer back are paired with a conversationRef by {@link inputArb}. */
export function contentArb(type: PasientlogistikkType): fc.Arbitrary<Pasientlogistikk> {
  return fc
    .record({
      status: fc.constantFrom('N', 'M', 'A', 'H', 'C', 'O', 'X' as const),
      forbehold: optional(fc.boolean()),
      svar: optional(fc.boolean()),
      tidspunkt: dateTimeArb,
      anslag: optional(fc.boolean()),
      sted: optional(freeTextArb),
      beskrivelse: optional(freeTextArb),
      merknad: optional(freeTextArb),
      utTil: fc.constantFrom('1', '3', '10', '11', '21', '88'),
      uttilstand: optional(fc.constantFrom('1', '2')),
      utMerknad: optional(freeTextArb),
      enheter: fc.array(fc.record({ kontaktenhet: organisationArb, merknad: optional(freeTextArb) }).map(strip), { maxLength: 2 }),
      kontakter: fc.array(
        fc.record({ familyName: nameArb, givenName: nameArb, her: herIdArb, merknad: optional(freeTextArb) }).map(({ her, merknad, ...n }) =>
          strip({ kontaktperson: { ...n, idents: [herIdent(her)] }, merknad }),
        ),
        { maxLength: 2 },
      ),
    })
    .map((r) =>
      strip({
        informasjonOmForsendelsen: strip({ forsendelsesstatus: r.status, forbeholdOmVideresending: r.forbehold, svarPaaForesporsel: r.svar }),
        hendelse: strip({ tidspunkt: r.tidspunkt, anslag: r.anslag, sted: r.sted, beskrivelse: r.beskrivelse, merknad: r.merknad }),
        utskrevetTil:
          type === 'LOG_UTSKREVET'
            ? strip({
                utTil: { v: r.utTil, s: '2.16.578.1.12.4.1.1.8408' },
                uttilstand: r.uttilstand === undefined ? undefined : { v: r.uttilstand, s: '2.16.578.1.12.4.1.1.8431' },
                merknad: r.utMerknad,
              })
            : undefined,
        tilknyttetEnhet: r.enheter.length > 0 ? r.enheter : undefined,
        kontaktpersoner: r.kontakter.length > 0 ? r.kontakter : undefined,
      }),
    );
}

/** A complete valid build input of a random Pasientlogistikk type. */
export const inputArb: fc.Arbitrary<BuildMessageInput<Pasientlogistikk>> = fc
  .constantFrom(...PASIENTLOGISTIKK_TYPES)
  .chain((type) =>
    fc.record({
      type: fc.constant(type),
      msgId: fc.uuid(),
      genDate: dateTimeArb,
      sender: organisationArb,
      receiver: organisationArb,
      patient: patientArb,
      content: contentArb(type),
      conversationRef: fc.record({ refToParent: fc.uuid(), refToConversation: fc.uuid() }),
      v15: fc.boolean(),
    }),
  )
  .map(({ conversationRef, v15, ...r }) => {
    const refers = ['M', 'A', 'C', 'O'].includes(r.content.informasjonOmForsendelsen.forsendelsesstatus);
    return strip({
      ...r,
      conversationRef: refers ? conversationRef : undefined,
      namespace: v15 ? 'http://www.kith.no/xmlstds/po/Pasientlogistikk/2009-06-30' : undefined,
    });
  });
