import { PloError } from '../errors';
import {
  childElements,
  codeEl,
  el,
  findChild,
  formatDateTime,
  isXsdDate,
  isXsdDateTime,
  optionalAttr,
  optionalChildCode,
  optionalChildText,
  readCode,
  requireChild,
  requiredAttr,
  requiredChildText,
  textContent,
  textEl,
} from './helpers';

const N = 'urn:test';

function codeOf(fn: () => unknown): { code: string; path?: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof PloError) return e.path === undefined ? { code: e.code } : { code: e.code, path: e.path };
    throw e;
  }
  throw new Error('expected a PloError');
}

describe('xml helpers', () => {
  const tree = el(N, 'Root', { a: ' x ', skip: undefined }, [
    textEl(N, 'Name', '  Kari '),
    undefined,
    false,
    [el(N, 'Item'), el('urn:other', 'Item')],
    codeEl(N, 'Type', { v: 'LOG_INNLAGT', dn: 'Innlagt' }),
    el(N, 'Empty', {}, ['  ']),
  ]);

  it('builds elements, skipping absent attributes and children', () => {
    expect(tree.attrs).toEqual({ a: ' x ' });
    expect(childElements(tree).map((c) => c.name)).toEqual(['Name', 'Item', 'Item', 'Type', 'Empty']);
    expect(childElements(tree, N, 'Item')).toHaveLength(1);
    expect(textEl(N, 'X', undefined)).toBeUndefined();
    expect(codeEl(N, 'X', undefined)).toBeUndefined();
  });

  it('reads text and attributes', () => {
    expect(requiredChildText(tree, N, 'Name', '/Root')).toBe('Kari');
    expect(textContent(findChild(tree, N, 'Name')!)).toBe('  Kari ');
    expect(optionalChildText(tree, N, 'Empty')).toBeUndefined();
    expect(optionalChildText(tree, N, 'Nope')).toBeUndefined();
    expect(requiredAttr(tree, 'a', '/Root')).toBe('x');
    expect(optionalAttr(tree, 'b')).toBeUndefined();
    expect(readCode(findChild(tree, N, 'Type')!, '/Root/Type')).toEqual({ v: 'LOG_INNLAGT', dn: 'Innlagt' });
    expect(optionalChildCode(tree, N, 'Nope', '/Root')).toBeUndefined();
  });

  it('reports missing elements and attributes with their path', () => {
    expect(codeOf(() => requireChild(tree, N, 'Nope', '/Root'))).toEqual({ code: 'ERR_PLO_MISSING_ELEMENT', path: '/Root/Nope' });
    expect(codeOf(() => requiredChildText(tree, N, 'Empty', '/Root'))).toEqual({ code: 'ERR_PLO_MISSING_ELEMENT', path: '/Root/Empty' });
    expect(codeOf(() => requiredAttr(tree, 'b', '/Root'))).toEqual({ code: 'ERR_PLO_MISSING_ELEMENT', path: '/Root/@b' });
    expect(codeOf(() => readCode(el(N, 'T', { DN: 'x' }), '/Root/T'))).toEqual({ code: 'ERR_PLO_MISSING_ELEMENT', path: '/Root/T/@V' });
  });

  it('checks xs:dateTime and xs:date lexical forms', () => {
    for (const ok of ['2024-05-02T10:15:00', '2024-02-29T23:59:59.123Z', '2024-05-02T10:15:00+02:00']) expect(isXsdDateTime(ok)).toBe(true);
    for (const bad of ['2024-05-02', '2023-02-29T10:00:00', '2024-05-02T24:00:00', '2024-05-02T10:15', '2024-05-02T10:15:00+15:00'])
      expect(isXsdDateTime(bad)).toBe(false);
    for (const ok of ['2024-05-02', '2000-02-29', '2024-05-02Z']) expect(isXsdDate(ok)).toBe(true);
    for (const bad of ['2024-5-2', '1900-02-29', '2024-13-01', '2024-05-02T00:00:00']) expect(isXsdDate(bad)).toBe(false);
  });

  it('formats dates as UTC xs:dateTime', () => {
    expect(formatDateTime(new Date(Date.UTC(2024, 4, 2, 8, 15, 0, 500)))).toBe('2024-05-02T08:15:00Z');
    expect(() => formatDateTime(new Date(NaN))).toThrow(RangeError);
  });
});
