import { PloError } from '../errors';
import { el } from './helpers';
import { serializeXml } from './serialize';

const A = 'urn:test:a';
const B = 'urn:test:b';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

describe('serializeXml', () => {
  it('writes a declaration, the default namespace and escaped text', () => {
    const xml = serializeXml(el(A, 'Root', { V: 'a"b<&>' }, [el(A, 'Child', {}, ['x < y & z > w ]]> æøå'])], { '': A }));
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>' +
        '<Root xmlns="urn:test:a" V="a&quot;b&lt;&amp;&gt;"><Child>x &lt; y &amp; z &gt; w ]]&gt; æøå</Child></Root>',
    );
  });

  it('omits the declaration on request and pretty prints text-only elements inline', () => {
    const xml = serializeXml(el(A, 'Root', {}, [el(A, 'C', {}, ['t'])], { '': A }), { declaration: false, pretty: true });
    expect(xml).toBe('<Root xmlns="urn:test:a">\n  <C>t</C>\n</Root>');
  });

  it('uses declared prefixes and declares an unbound namespace as default on the element', () => {
    const tree = el(A, 'Root', {}, [el(B, 'Other', {}, [el(A, 'Back'), el('urn:test:c', 'Dflt', {}, [el('urn:test:c', 'In')])])], {
      '': A,
      b: B,
    });
    expect(serializeXml(tree, { declaration: false })).toBe(
      '<Root xmlns="urn:test:a" xmlns:b="urn:test:b"><b:Other><Back/><Dflt xmlns="urn:test:c"><In/></Dflt></b:Other></Root>',
    );
  });

  it('writes an element in no namespace below a default namespace with xmlns=""', () => {
    expect(serializeXml(el(A, 'Root', {}, [el('', 'Plain')]), { declaration: false })).toBe(
      '<Root xmlns="urn:test:a"><Plain xmlns=""/></Root>',
    );
  });

  it('gives namespaced attributes a prefix, xsi when free', () => {
    const tree = el(A, 'Root', { [`{${XSI}}type`]: 'x', [`{${B}}id`]: '1' });
    expect(serializeXml(tree, { declaration: false })).toBe(
      '<Root xmlns="urn:test:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns0="urn:test:b" xsi:type="x" ns0:id="1"/>',
    );
  });

  it('refuses characters that XML 1.0 does not allow, with the path', () => {
    const tree = el(A, 'Root', {}, [el(A, 'Note', {}, ['bad \u0001'])]);
    expect(() => serializeXml(tree)).toThrow(PloError);
    try {
      serializeXml(tree);
    } catch (e) {
      expect((e as PloError).code).toBe('ERR_PLO_INVALID_MODEL');
      expect((e as PloError).path).toBe('/Root/Note');
    }
  });

  it('refuses invalid element names as a caller mistake', () => {
    expect(() => serializeXml(el(A, '1bad'))).toThrow(TypeError);
  });

  it('keeps characters outside the BMP', () => {
    expect(serializeXml(el('', 'R', {}, ['😀']), { declaration: false })).toBe('<R>😀</R>');
  });
});
