import fc from 'fast-check';
import { readXml } from '../../xml/reader';
import { serializeXml } from '../../xml/serialize';
import { personIdent } from '../../parties/types';
import type { TidsfestetHendelse } from '../common/types';
import { HELSEOPPLYSNINGER_NS_V15, HELSEOPPLYSNINGER_NS_V16, buildHelseopplysningerContent, parseHelseopplysningerContent } from '../helseopplysninger/helseopplysninger';
import type { Helseopplysninger } from '../helseopplysninger/helseopplysninger';
import {
  INNLEGGELSESRAPPORT_NS_V15,
  INNLEGGELSESRAPPORT_NS_V16,
  TVERRFAGLIG_EPIKRISE_NS_V15,
  TVERRFAGLIG_EPIKRISE_NS_V16,
  buildInnleggelsesrapportContent,
  buildUtskrivningsrapportContent,
  parseInnleggelsesrapportContent,
  parseUtskrivningsrapportContent,
} from './rapporter';
import type { Innleggelsesrapport, Utskrivningsrapport } from './rapporter';

const OID = (n: number): string => `2.16.578.1.12.4.1.1.${n}`;
/** Free text without CR (XML normalizes line ends); PLO free text is read untrimmed. */
const text = fc.string({ unit: fc.constantFrom('a', 'Å', 'ø', ' ', '\n', '<', '&', '"', '7'), minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

const forsendelse = fc.record({ forsendelsesstatus: fc.constantFrom('N' as const, 'M' as const, 'A' as const, 'C' as const, 'O' as const), forbeholdOmVideresending: opt(fc.boolean()) }).map(compact);
const diagnoser = opt(fc.array(fc.record({ diagnosekode: opt(fc.constantFrom('S72.0', 'J18.9').map((v) => ({ v, s: OID(7110) }))), diagnoseBeskrivelse: text }).map(compact), { minLength: 1, maxLength: 3 }));
const kontakter = opt(fc.array(fc.record({ kontaktperson: fc.record({ familyName: fc.constantFrom('Nordmann', 'Hansen'), idents: fc.constant([personIdent('9144900', 'HPR')]) }), merknad: opt(text) }).map(compact), { minLength: 1, maxLength: 2 }));
const opplysning = (codes: readonly string[], system: number) => fc.record({ typeOpplysning: fc.constantFrom(...codes).map((v) => ({ v, s: OID(system) })), tekst: text });
const hendelse: fc.Arbitrary<TidsfestetHendelse> = fc
  .record({ hendelsekode: fc.constantFrom('1', '2', '3').map((v) => ({ v, s: OID(9121) })), tidspunkt: date, anslag: opt(fc.boolean()), merknad: opt(text) })
  .map(compact);
const tjenestebehov = opt(fc.array(fc.record({ iplosTjenestetype: fc.constantFrom('6', '15', '21').map((v) => ({ v, s: OID(9151) })), beskrivelseAvTjeneste: opt(text) }).map(compact), { minLength: 1, maxLength: 2 }));

const helseopplysninger: fc.Arbitrary<Helseopplysninger> = fc
  .record({
    informasjonOmForsendelsen: forsendelse,
    typeInnhold: fc.constantFrom('1' as const, '2' as const),
    merknadTilInnhold: opt(text),
    medisinskeDiagnoser: diagnoser,
    opplysninger: fc.array(opplysning(['AAI', 'FO', 'VU', 'OP', 'HJ'], 9142), { minLength: 1, maxLength: 4 }),
    opphold: opt(fc.array(hendelse, { minLength: 1, maxLength: 2 })),
    tjenestebehov,
    egensoknadSendt: opt(fc.boolean()),
    kontaktpersoner: kontakter,
  })
  .map(compact);

const innleggelsesrapport: fc.Arbitrary<Innleggelsesrapport> = fc
  .record({
    informasjonOmForsendelsen: forsendelse,
    medisinskeDiagnoser: diagnoser,
    eksisterendeTjenester: opt(fc.array(fc.record({ betegnelseTjeneste: text, startdato: opt(date), merknad: opt(text) }).map(compact), { minLength: 1, maxLength: 2 })),
    sykepleieopplysninger: fc.array(opplysning(['1', '7', '8', '13', '14', '88'], 9141), { minLength: 1, maxLength: 4 }),
    kontaktpersoner: kontakter,
  })
  .map(compact);

const utskrivningsrapport: fc.Arbitrary<Utskrivningsrapport> = fc
  .record({
    informasjonOmForsendelsen: forsendelse,
    medisinskeDiagnoser: diagnoser,
    sykepleieopplysninger: fc.array(opplysning(['7', '8', '12'], 9141), { minLength: 1, maxLength: 3 }),
    tjenestebehov,
    opphold: opt(fc.array(hendelse, { minLength: 1, maxLength: 2 })),
    utskrevetTil: opt(fc.constantFrom('1', '11').map((v) => ({ utTil: { v, s: OID(8408) } }))),
    kontaktpersoner: kontakter,
  })
  .map(compact);

const roundTrip = <T>(build: (m: T, ns: string) => ReturnType<typeof buildHelseopplysningerContent>, parse: (r: ReturnType<typeof readXml>['root']) => T) =>
  (m: T, ns: string): T => parse(readXml(serializeXml(build(m, ns))).root);

describe('PLO report content round trips (model → XML → model, v1.6 and v1.5)', () => {
  it('Helseopplysninger', () => {
    const rt = roundTrip(buildHelseopplysningerContent, parseHelseopplysningerContent);
    fc.assert(fc.property(helseopplysninger, fc.constantFrom(HELSEOPPLYSNINGER_NS_V16, HELSEOPPLYSNINGER_NS_V15), (m, ns) => expect(rt(m, ns)).toEqual(m)), { numRuns: 60 });
  });
  it('Innleggelsesrapport', () => {
    const rt = roundTrip(buildInnleggelsesrapportContent, parseInnleggelsesrapportContent);
    fc.assert(fc.property(innleggelsesrapport, fc.constantFrom(INNLEGGELSESRAPPORT_NS_V16, INNLEGGELSESRAPPORT_NS_V15), (m, ns) => expect(rt(m, ns)).toEqual(m)), { numRuns: 60 });
  });
  it('Utskrivningsrapport', () => {
    const rt = roundTrip(buildUtskrivningsrapportContent, parseUtskrivningsrapportContent);
    fc.assert(fc.property(utskrivningsrapport, fc.constantFrom(TVERRFAGLIG_EPIKRISE_NS_V16, TVERRFAGLIG_EPIKRISE_NS_V15), (m, ns) => expect(rt(m, ns)).toEqual(m)), { numRuns: 60 });
  });
});
