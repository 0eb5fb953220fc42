import { PloError } from '../../errors';
import { readXml } from '../../xml/reader';
import { serializeXml } from '../../xml/serialize';
import type { XmlElement } from '../../xml/tree';
import { herIdent, personIdent } from '../../parties/types';
import type { Helseopplysninger } from '../helseopplysninger/helseopplysninger';
import {
  HELSEOPPLYSNINGER_NS_V15,
  HELSEOPPLYSNINGER_NS_V16,
  buildHelseopplysningerContent,
  helseopplysningerDefinition,
  parseHelseopplysningerContent,
} from '../helseopplysninger/helseopplysninger';
import type { Innleggelsesrapport, Utskrivningsrapport } from './rapporter';
import {
  INNLEGGELSESRAPPORT_NS_V15,
  TVERRFAGLIG_EPIKRISE_NS_V15,
  TVERRFAGLIG_EPIKRISE_NS_V16,
  buildInnleggelsesrapportContent,
  buildUtskrivningsrapportContent,
  innleggelsesrapportDefinition,
  parseInnleggelsesrapportContent,
  parseUtskrivningsrapportContent,
  utskrivningsrapportDefinition,
} from './rapporter';

const OID = (n: number): string => `2.16.578.1.12.4.1.1.${n}`;
const PO16 = 'http://www.kith.no/xmlstds/po/poKomponent/2012-04-01';

const sykepleier = {
  kontaktperson: { typeHealthcareProfessional: { v: 'SP', dn: 'Sykepleier' }, familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('9144900', 'HPR')] },
  merknad: 'Treffes på vakttelefon',
};
const avdeling = { kontaktenhet: { name: 'Sykehuset Telemark HF', idents: [herIdent(12345)], organisation: { name: 'Medisinsk sengepost', idents: [herIdent(67890)] } } };

const helseopplysninger: Helseopplysninger = {
  informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
  typeInnhold: '1',
  medisinskeDiagnoser: [{ diagnosekode: { v: 'S72.0', s: OID(7110), dn: 'Lårhalsbrudd' }, hoveddiagnose: true }, { diagnoseBeskrivelse: 'Lett kognitiv svikt' }],
  opplysninger: [
    { typeOpplysning: { v: 'AAI', s: OID(9142), dn: 'Årsak til innleggelse' }, tekst: 'Fall i hjemmet.' },
    { typeOpplysning: { v: 'VU', s: OID(9142) }, tekst: 'Forventet å trenge hjemmesykepleie to ganger daglig.' },
  ],
  opphold: [
    { hendelsekode: { v: '1', s: OID(9121), dn: 'Pasient innlagt' }, tidspunkt: '2024-05-02T10:15:00+02:00' },
    { hendelsekode: { v: '2', s: OID(9121) }, tidspunkt: '2024-05-09', anslag: true },
  ],
  tjenestebehov: [{ iplosTjenestetype: { v: '15', s: OID(9151), dn: 'Helsetjenester i hjemmet' }, beskrivelseAvTjeneste: 'Sårstell og medisiner' }],
  egensoknadSendt: false,
  tilknyttetEnhet: [avdeling],
  kontaktpersoner: [sykepleier],
};

const innleggelsesrapport: Innleggelsesrapport = {
  informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
  eksisterendeTjenester: [{ iplosTjenestetype: { v: '6', s: OID(9151) }, startdato: '2023-01-01', merknad: 'Trygghetsalarm' }],
  sykepleieopplysninger: [
    { typeOpplysning: { v: '1', s: OID(9141), dn: 'Innkomststatus' }, tekst: 'Klar og orientert, går med rullator.' },
    { typeOpplysning: { v: '14', s: OID(9141) }, tekst: 'Nøkkel i nøkkelboks.' },
  ],
  kontaktpersoner: [sykepleier],
};

const utskrivningsrapport: Utskrivningsrapport = {
  informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
  medisinskeDiagnoser: [{ diagnosekode: { v: 'S72.0', s: OID(7110) }, diagnoseBeskrivelse: 'Operert 03.05.', hoveddiagnose: true }],
  sykepleieopplysninger: [{ typeOpplysning: { v: '12', s: OID(9141) }, tekst: 'Mobiliseres med gåstol, sår tørt.' }],
  tjenestebehov: [{ iplosTjenestetype: { v: '15', s: OID(9151) } }],
  opphold: [{ hendelsekode: { v: '2', s: OID(9121) }, tidspunkt: '2024-05-09T12:00:00+02:00' }],
  utskrevetTil: { utTil: { v: '1', s: OID(8408), dn: 'Bosted/arbeidssted' } },
  tilknyttetEnhet: [avdeling],
};

function viaText(root: XmlElement): XmlElement {
  return readXml(serializeXml(root)).root;
}

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PloError);
    expect((e as PloError).code).toBe('ERR_PLO_INVALID_MODEL');
    return ((e as PloError).issues ?? []).map((i) => i.path);
  }
  throw new Error('expected ERR_PLO_INVALID_MODEL');
}

describe('HELSEOPPL_SOKNAD (HelseopplysningerVedSoknad)', () => {
  it('builds v1.6 content and reads it back', () => {
    const root = buildHelseopplysningerContent(helseopplysninger);
    expect(root).toMatchObject({ ns: HELSEOPPLYSNINGER_NS_V16, name: 'HelseopplysningerVedSoknad' });
    const xml = serializeXml(root);
    expect(xml).toContain('<po:Forsendelsesstatus V="N"');
    expect(xml).toContain('<TypeInnhold V="1" S="2.16.578.1.12.4.1.1.9140" DN="Varsel om innlagt pasient"/>');
    expect(parseHelseopplysningerContent(readXml(xml).root)).toEqual(helseopplysninger);
  });

  it('reads v1.5 and accepts components in the poKomponent namespace', () => {
    const v15 = viaText(buildHelseopplysningerContent(helseopplysninger, HELSEOPPLYSNINGER_NS_V15));
    expect(parseHelseopplysningerContent(v15)).toEqual(helseopplysninger);
    const xml = `<HelseopplysningerVedSoknad xmlns="${HELSEOPPLYSNINGER_NS_V16}" xmlns:po="${PO16}"><po:InformasjonOmForsendelsen><po:Forsendelsesstatus V="M"/></po:InformasjonOmForsendelsen><po:TypeInnholdIMelding><po:TypeInnhold V="2"/></po:TypeInnholdIMelding><po:TjenesteBehov><po:BetegnelseTjeneste>Korttidsopphold</po:BetegnelseTjeneste></po:TjenesteBehov></HelseopplysningerVedSoknad>`;
    expect(parseHelseopplysningerContent(readXml(xml).root)).toEqual({
      informasjonOmForsendelsen: { forsendelsesstatus: 'M' },
      typeInnhold: '2',
      tjenestebehov: [{ betegnelseTjeneste: 'Korttidsopphold' }],
    });
  });

  it.each([
    ['typeInnhold outside 9140', { typeInnhold: '3' }, ['typeInnhold']],
    ['forsendelsesstatus outside 7309', { informasjonOmForsendelsen: { forsendelsesstatus: 'Z' } }, ['informasjonOmForsendelsen.forsendelsesstatus']],
    ['blank free text', { opplysninger: [{ typeOpplysning: { v: 'FO' }, tekst: ' ' }] }, ['opplysninger[0].tekst']],
    ['a 9142 code that does not exist', { opplysninger: [{ typeOpplysning: { v: 'XX' }, tekst: 'x' }] }, ['opplysninger[0].typeOpplysning.v']],
    ['a 9151 code with another OID', { tjenestebehov: [{ iplosTjenestetype: { v: '15', s: OID(9140) } }] }, ['tjenestebehov[0].iplosTjenestetype.s']],
    ['an event without time', { opphold: [{ hendelsekode: { v: '2' } }] }, ['opphold[0].tidspunkt']],
    ['two main diagnoses', { medisinskeDiagnoser: [{ diagnoseBeskrivelse: 'a', hoveddiagnose: true }, { diagnoseBeskrivelse: 'b', hoveddiagnose: true }] }, ['medisinskeDiagnoser']],
    ['a bad HPR-nummer of the contact', { kontaktpersoner: [{ kontaktperson: { idents: [personIdent('12x', 'HPR')] } }] }, ['kontaktpersoner[0].kontaktperson.idents[0].id']],
    ['a notice without information', { medisinskeDiagnoser: undefined, opplysninger: undefined, tjenestebehov: undefined }, ['opplysninger']],
  ])('refuses %s', (_name, patch, paths) => {
    expect(issues(() => buildHelseopplysningerContent({ ...helseopplysninger, ...patch } as Helseopplysninger))).toEqual(paths);
  });

  it('refuses to read a TypeInnhold outside 9140 and a missing TypeInnholdIMelding', () => {
    const root = viaText(buildHelseopplysningerContent(helseopplysninger));
    const xml = serializeXml(root).replace('<TypeInnhold V="1"', '<TypeInnhold V="7"');
    expect(() => parseHelseopplysningerContent(readXml(xml).root)).toThrow(
      expect.objectContaining({ code: 'ERR_PLO_INVALID_VALUE', path: '/HelseopplysningerVedSoknad/TypeInnholdIMelding/TypeInnhold/@V' }),
    );
    const without = serializeXml(root).replace(/<TypeInnholdIMelding>.*?<\/TypeInnholdIMelding>/s, '');
    expect(() => parseHelseopplysningerContent(readXml(without).root)).toThrow(
      expect.objectContaining({ code: 'ERR_PLO_MISSING_ELEMENT', path: '/HelseopplysningerVedSoknad/TypeInnholdIMelding' }),
    );
  });

  it('is registered with both namespaces', () => {
    expect(helseopplysningerDefinition).toMatchObject({ type: 'HELSEOPPL_SOKNAD', rootElement: 'HelseopplysningerVedSoknad', namespaces: [HELSEOPPLYSNINGER_NS_V16, HELSEOPPLYSNINGER_NS_V15] });
  });
});

describe('INNLEGGELSESRAPPORT', () => {
  it('builds and reads back (v1.6 and v1.5)', () => {
    expect(parseInnleggelsesrapportContent(viaText(buildInnleggelsesrapportContent(innleggelsesrapport)))).toEqual(innleggelsesrapport);
    expect(parseInnleggelsesrapportContent(viaText(buildInnleggelsesrapportContent(innleggelsesrapport, INNLEGGELSESRAPPORT_NS_V15)))).toEqual(innleggelsesrapport);
  });

  it.each([
    ['no nursing information', { sykepleieopplysninger: [] }, ['sykepleieopplysninger']],
    ['a 9141 code that does not exist', { sykepleieopplysninger: [{ typeOpplysning: { v: '99' }, tekst: 'x' }] }, ['sykepleieopplysninger[0].typeOpplysning.v']],
    ['an existing service ending before it starts', { eksisterendeTjenester: [{ betegnelseTjeneste: 'x', startdato: '2024-02-01', sluttdato: '2024-01-01' }] }, ['eksisterendeTjenester[0].sluttdato']],
    ['an existing service without type or name', { eksisterendeTjenester: [{ merknad: 'x' }] }, ['eksisterendeTjenester[0]']],
  ])('refuses %s', (_name, patch, paths) => {
    expect(issues(() => buildInnleggelsesrapportContent({ ...innleggelsesrapport, ...patch } as Innleggelsesrapport))).toEqual(paths);
  });

  it('refuses to read a report without Sykepleierdokumentasjon', () => {
    const xml = serializeXml(buildInnleggelsesrapportContent(innleggelsesrapport)).replace(/<Sykepleierdokumentasjon>.*<\/Sykepleierdokumentasjon>/s, '');
    expect(() => parseInnleggelsesrapportContent(readXml(xml).root)).toThrow(expect.objectContaining({ code: 'ERR_PLO_MISSING_ELEMENT', path: '/Innleggelsesrapport/Sykepleierdokumentasjon' }));
  });

  it('is registered', () => {
    expect(innleggelsesrapportDefinition).toMatchObject({ type: 'INNLEGGELSESRAPPORT', rootElement: 'Innleggelsesrapport' });
  });
});

describe('UTSKRIVNINGSRAPPORT (TverrfagligEpikrise)', () => {
  it('builds TverrfagligEpikrise with 9139 = 11 and reads it back (v1.6 and v1.5)', () => {
    const root = buildUtskrivningsrapportContent(utskrivningsrapport);
    expect(root).toMatchObject({ ns: TVERRFAGLIG_EPIKRISE_NS_V16, name: 'TverrfagligEpikrise' });
    expect(serializeXml(root)).toContain('<TypeInnhold V="11" S="2.16.578.1.12.4.1.1.9139" DN="Utskrivningsrapport"/>');
    expect(parseUtskrivningsrapportContent(viaText(root))).toEqual(utskrivningsrapport);
    expect(parseUtskrivningsrapportContent(viaText(buildUtskrivningsrapportContent(utskrivningsrapport, TVERRFAGLIG_EPIKRISE_NS_V15)))).toEqual(utskrivningsrapport);
  });

  it('refuses to read a TverrfagligEpikrise of another kind (9139 = 12 Fødselsepikrise)', () => {
    const xml = serializeXml(buildUtskrivningsrapportContent(utskrivningsrapport)).replace('<TypeInnhold V="11"', '<TypeInnhold V="12"');
    expect(() => parseUtskrivningsrapportContent(readXml(xml).root)).toThrow(expect.objectContaining({ code: 'ERR_PLO_INVALID_VALUE' }));
  });

  it.each([
    ['a blank nursing text', { sykepleieopplysninger: [{ typeOpplysning: { v: '12' }, tekst: '' }] }, ['sykepleieopplysninger[0].tekst']],
    ['an event code outside 9121', { opphold: [{ hendelsekode: { v: '77' }, tidspunkt: '2024-05-09' }] }, ['opphold[0].hendelsekode.v']],
    ['a service need with nothing in it', { tjenestebehov: [{}] }, ['tjenestebehov[0]']],
  ])('refuses %s', (_name, patch, paths) => {
    expect(issues(() => buildUtskrivningsrapportContent({ ...utskrivningsrapport, ...patch } as Utskrivningsrapport))).toEqual(paths);
  });

  it('refuses an unsupported namespace when reading', () => {
    const root = { ...viaText(buildUtskrivningsrapportContent(utskrivningsrapport)), ns: 'urn:x' };
    expect(() => utskrivningsrapportDefinition.parseContent(root, { namespace: 'urn:x' })).toThrow(expect.objectContaining({ code: 'ERR_PLO_UNSUPPORTED_VERSION' }));
  });
});
