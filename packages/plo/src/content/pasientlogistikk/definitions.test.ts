import { PloError } from '../../errors';
import { el } from '../../xml/helpers';
import type { Pasientlogistikk } from './model';
import { PASIENTLOGISTIKK_NS_V16 } from './model';
import { logDodDefinition, logInnlagtDefinition, logUtskrevetDefinition } from './definitions';
import { utskrivningsklar } from '../../../test/support/samples';

const ctx = { namespace: PASIENTLOGISTIKK_NS_V16 };

function issuesOf(fn: () => unknown): { code: string; paths: string[] } {
  try {
    fn();
  } catch (e) {
    if (e instanceof PloError) return { code: e.code, paths: (e.issues ?? []).map((i) => i.path) };
    throw e;
  }
  throw new Error('expected a PloError');
}

const utskrevet: Pasientlogistikk = {
  ...utskrivningsklar,
  utskrevetTil: { utTil: { v: '11', s: '2.16.578.1.12.4.1.1.8408', dn: 'Sykehjem/aldershjem/helsehus' } },
};

describe('Pasientlogistikk definitions', () => {
  it('build LOG_UTSKREVET with UtskrevetTil before the event and parse it back', () => {
    const tree = logUtskrevetDefinition.buildContent(utskrevet, ctx);
    const event = tree.children[0] as unknown as { name: string; children: { name: string }[] };
    expect(event.name).toBe('MeldingOmUtskrevetPasient');
    expect(event.children.map((c) => c.name)).toEqual(['UtskrevetTil', 'TidsfestetHendelse']);
    expect(logUtskrevetDefinition.parseContent(tree, ctx)).toEqual(utskrevet);
  });

  it.each<[string, (m: Pasientlogistikk) => Pasientlogistikk, string[]]>([
    ['missing event time', (m) => ({ ...m, hendelse: { ...m.hendelse, tidspunkt: undefined as unknown as string } }), ['hendelse.tidspunkt']],
    ['bad event time', (m) => ({ ...m, hendelse: { ...m.hendelse, tidspunkt: '02.05.2024' } }), ['hendelse.tidspunkt']],
    ['blank note', (m) => ({ ...m, hendelse: { ...m.hendelse, merknad: '  ' } }), ['hendelse.merknad']],
    ['unknown status', (m) => ({ ...m, informasjonOmForsendelsen: { forsendelsesstatus: 'Q' as 'N' } }), ['informasjonOmForsendelsen.forsendelsesstatus']],
    ['missing utskrevetTil', ({ utskrevetTil: _u, ...m }) => m, ['utskrevetTil']],
    ['unknown 8408 code', (m) => ({ ...m, utskrevetTil: { utTil: { v: '999', s: '2.16.578.1.12.4.1.1.8408' } } }), ['utskrevetTil.utTil.v']],
    ['wrong code system', (m) => ({ ...m, utskrevetTil: { utTil: { v: '1', s: '2.16.578.1.12.4.1.1.9999' } } }), ['utskrevetTil.utTil.s']],
  ])('LOG_UTSKREVET refuses %s', (_name, breakIt, paths) => {
    const r = issuesOf(() => logUtskrevetDefinition.buildContent(breakIt(structuredClone(utskrevet)), ctx));
    expect(r).toEqual({ code: 'ERR_PLO_INVALID_MODEL', paths });
  });

  it('refuses utskrevetTil outside LOG_UTSKREVET', () => {
    expect(issuesOf(() => logDodDefinition.buildContent(utskrevet, ctx))).toEqual({ code: 'ERR_PLO_INVALID_MODEL', paths: ['utskrevetTil'] });
  });

  it('refuses content whose event element does not match the type', () => {
    const tree = logDodDefinition.buildContent(utskrivningsklar, ctx);
    try {
      logInnlagtDefinition.parseContent(tree, ctx);
      throw new Error('expected a PloError');
    } catch (e) {
      expect(e).toMatchObject({ code: 'ERR_PLO_MISSING_ELEMENT', path: '/Pasientlogistikk/MeldingInnlagtPasient' });
    }
  });

  it('refuses a content root of another name', () => {
    expect(() => logInnlagtDefinition.parseContent(el(PASIENTLOGISTIKK_NS_V16, 'Annet'), ctx)).toThrow(expect.objectContaining({ code: 'ERR_PLO_INVALID_VALUE' }));
  });
});
