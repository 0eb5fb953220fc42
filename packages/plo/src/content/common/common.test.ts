import { PloError } from '../../errors';
import { serializeXml } from '../../xml/serialize';
import { el } from '../../xml/helpers';
import { herIdent, orgNumberIdent } from '../../parties/types';
import { Issues } from './issues';
import {
  buildInformasjonOmForsendelsen,
  buildKontaktpersonHelsepersonell,
  buildTidsfestetHendelse,
  buildTilknyttetEnhet,
  buildUtskrevetTil,
  checkInformasjonOmForsendelsen,
  checkTilknyttetEnhet,
  parseInformasjonOmForsendelsen,
  parseKontaktpersonHelsepersonell,
  parseTidsfestetHendelse,
  parseTilknyttetEnhet,
  parseUtskrevetTil,
} from './xml';
import { PO_KOMPONENT_NS_V15, PO_KOMPONENT_NS_V16 } from './types';
import type { TilknyttetEnhet } from './types';

const PO = PO_KOMPONENT_NS_V16;

function errorOf(fn: () => unknown): PloError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PloError) return e;
    throw e;
  }
  throw new Error('expected a PloError');
}

describe('poKomponent components', () => {
  it('round-trips InformasjonOmForsendelsen and writes 7309 code system and name', () => {
    const m = { forsendelsesstatus: 'M', forbeholdOmVideresending: false, svarPaaForesporsel: true } as const;
    const tree = buildInformasjonOmForsendelsen(PO, m);
    expect(serializeXml(tree, { declaration: false })).toContain('<Forsendelsesstatus V="M" S="2.16.578.1.12.4.1.1.7309" DN="Endring"/>');
    expect(parseInformasjonOmForsendelsen(tree, PO, '/x')).toEqual(m);
  });

  it('refuses an unknown Forsendelsesstatus when parsing, with the attribute path', () => {
    const tree = el(PO, 'InformasjonOmForsendelsen', {}, [el(PO, 'Forsendelsesstatus', { V: 'Q' })]);
    const e = errorOf(() => parseInformasjonOmForsendelsen(tree, PO, '/P/InformasjonOmForsendelsen'));
    expect(e.code).toBe('ERR_PLO_INVALID_VALUE');
    expect(e.path).toBe('/P/InformasjonOmForsendelsen/Forsendelsesstatus/@V');
  });

  it('reports a missing Forsendelsesstatus', () => {
    const e = errorOf(() => parseInformasjonOmForsendelsen(el(PO, 'InformasjonOmForsendelsen'), PO, '/P/I'));
    expect(e.code).toBe('ERR_PLO_MISSING_ELEMENT');
    expect(e.path).toBe('/P/I/Forsendelsesstatus');
  });

  it('checks the model and collects issues', () => {
    const issues = new Issues();
    checkInformasjonOmForsendelsen(issues, 'informasjonOmForsendelsen', { forsendelsesstatus: 'Z' as 'N' });
    expect(issues.items.map((i) => i.path)).toEqual(['informasjonOmForsendelsen.forsendelsesstatus']);
  });

  it('round-trips TidsfestetHendelse with free text untrimmed, in both versions', () => {
    const h = {
      hendelsekode: { v: '1', s: '2.16.578.1.12.4.1.1.9121', dn: 'Pasient innlagt' },
      tidspunkt: '2024-05-02T10:15:00+02:00',
      anslag: true,
      sted: 'Medisinsk avdeling',
      beskrivelse: 'Innlagt via akutten',
      merknad: ' linje 1\nlinje 2 ',
    };
    for (const ns of [PO_KOMPONENT_NS_V16, PO_KOMPONENT_NS_V15]) expect(parseTidsfestetHendelse(buildTidsfestetHendelse(ns, h), ns, '/h')).toEqual(h);
  });

  it('refuses an unreadable event time', () => {
    const tree = el(PO, 'TidsfestetHendelse', {}, [el(PO, 'Hendelsekode', { V: '1' }), el(PO, 'TidspunktForHendelse', { V: 'i går' })]);
    const e = errorOf(() => parseTidsfestetHendelse(tree, PO, '/T'));
    expect(e.code).toBe('ERR_PLO_INVALID_VALUE');
    expect(e.path).toBe('/T/TidspunktForHendelse/@V');
  });

  it('round-trips UtskrevetTil', () => {
    const u = { utTil: { v: '1', s: '2.16.578.1.12.4.1.1.8408', dn: 'Bosted/arbeidssted' }, uttilstand: { v: '1', dn: 'Levende' }, merknad: 'Hjem' };
    expect(parseUtskrevetTil(buildUtskrevetTil(PO, u), PO, '/u')).toEqual(u);
  });

  const enhet: TilknyttetEnhet = {
    kontaktenhet: {
      name: 'Sykehuset Telemark HF',
      idents: [herIdent(8142519), orgNumberIdent('983975267')],
      organisation: { name: 'Medisinsk avdeling', idents: [herIdent(8142520)] },
    },
    merknad: 'Post 3',
  };

  it('round-trips TilknyttetEnhet with felleskomponent1 children in fk1 order', () => {
    const tree = buildTilknyttetEnhet(PO, enhet);
    const xml = serializeXml(el(PO, 'R', {}, [tree], { '': PO, fk1: 'http://www.kith.no/xmlstds/felleskomponent1' }), { declaration: false });
    expect(xml).toContain('<Kontaktenhet><fk1:OrganisationName>Sykehuset Telemark HF</fk1:OrganisationName><fk1:Ident>');
    expect(parseTilknyttetEnhet(tree, PO, '/t')).toEqual(enhet);
  });

  it('checks organisation identifiers in TilknyttetEnhet', () => {
    const broken: TilknyttetEnhet = { kontaktenhet: { ...enhet.kontaktenhet, idents: [orgNumberIdent('983975268')] } };
    const issues = new Issues();
    checkTilknyttetEnhet(issues, 'tilknyttetEnhet[0]', broken);
    expect(issues.items.map((i) => i.path)).toEqual(['tilknyttetEnhet[0].kontaktenhet.idents[0].id']);
  });

  it('round-trips KontaktpersonHelsepersonell', () => {
    const k = {
      kontaktperson: {
        roleToPatient: { v: '11', s: '2.16.578.1.12.4.1.1.9034', dn: 'Utskrivende sykepleier' },
        familyName: 'Nordmann',
        givenName: 'Kari',
        idents: [{ id: '9144900', typeId: { v: 'HPR', s: '2.16.578.1.12.4.1.1.8116', dn: 'HPR-nummer' } }],
        teleCom: [{ typeTelecom: { v: 'WP', dn: 'Arbeidsplass' }, teleAddress: 'tel:+4735003500' }],
      },
    };
    expect(parseKontaktpersonHelsepersonell(buildKontaktpersonHelsepersonell(PO, k), PO, '/k')).toEqual(k);
  });
});
