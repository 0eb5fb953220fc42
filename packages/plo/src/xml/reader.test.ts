import { PloError } from '../errors';
import { readXml } from './reader';
import { isElement } from './tree';
import type { XmlElement } from './tree';

function errorOf(fn: () => unknown): PloError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PloError) return err;
    throw err;
  }
  throw new Error('expected a PloError');
}

const MH = 'http://www.kith.no/xmlstds/msghead/2006-05-24';

describe('readXml', () => {
  it('builds a namespace-aware tree with lines, merged text and dropped comments', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<MsgHead xmlns="${MH}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`,
      '   xsi:schemaLocation="http://example.invalid/remote.xsd">',
      '  <MsgInfo><Type V="LOG_INNLAGT" DN="Melding om innlagt pasient"/>',
      '    <MsgId>a<!-- c -->b<![CDATA[<c>]]>&amp;&#x41;</MsgId><?pi x?>',
      '  </MsgInfo>',
      '</MsgHead>',
    ].join('\n');
    const { root, encoding, text } = readXml(xml);
    expect(encoding).toBe('UTF-8');
    expect(text).toBe(xml);
    expect(root.ns).toBe(MH);
    expect(root.name).toBe('MsgHead');
    expect(root.line).toBe(2);
    expect(root.attrs).toEqual({ '{http://www.w3.org/2001/XMLSchema-instance}schemaLocation': 'http://example.invalid/remote.xsd' });
    const msgInfo = root.children.filter(isElement)[0]!;
    expect(msgInfo.line).toBe(4);
    const [type, msgId] = msgInfo.children.filter(isElement) as [XmlElement, XmlElement];
    expect(type.attrs).toEqual({ V: 'LOG_INNLAGT', DN: 'Melding om innlagt pasient' });
    expect(type.ns).toBe(MH);
    expect(msgId.line).toBe(5);
    expect(msgId.children).toEqual([{ text: 'ab<c>&A' }]);
  });

  it('gives each element the line of its `<`, whatever the line breaks inside and before its start tag', () => {
    const xml = '<a>\r\n<b\r\n x="1"\r y="2"\n/>\r<c\n>t\r\nu</c><d/>\n<e\r\n\r\n/></a>';
    const { root } = readXml(xml);
    const [b, c, d, e] = root.children.filter(isElement) as [XmlElement, XmlElement, XmlElement, XmlElement];
    expect([root.line, b.line, c.line, d.line, e.line]).toEqual([1, 2, 6, 8, 9]);
    expect(c.children).toEqual([{ text: 't\nu' }]);
    const err = errorOf(() => readXml('<a>\n<b\nx="1"\ny="2"/></a>', { maxAttributes: 1 }));
    expect(err.code).toBe('ERR_PLO_XML_TOO_LARGE');
    expect(err.line).toBe(2);
  });

  it('handles prefixed elements, unprefixed attributes and no-namespace elements', () => {
    const { root } = readXml('<p:a xmlns:p="urn:p" x="1" p:y="2"><b/></p:a>');
    expect(root).toMatchObject({ ns: 'urn:p', name: 'a', attrs: { x: '1', '{urn:p}y': '2' } });
    expect(root.children[0]).toMatchObject({ ns: '', name: 'b', attrs: {}, children: [] });
  });

  it('reads ISO-8859-1 bytes', () => {
    const bytes = new Uint8Array(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<a n="Bjørg">Ærø</a>', 'latin1'));
    const doc = readXml(bytes);
    expect(doc.encoding).toBe('ISO-8859-1');
    expect(doc.root.attrs['n']).toBe('Bjørg');
    expect(doc.root.children).toEqual([{ text: 'Ærø' }]);
  });

  it('reports not well-formed input with a line', () => {
    const err = errorOf(() => readXml('<a>\n<b>\n</a>'));
    expect(err.code).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(err.line).toBe(3);
    expect(errorOf(() => readXml('<a><b></b>')).code).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(errorOf(() => readXml('<a>&unknown;</a>')).code).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(errorOf(() => readXml('<a/><b/>')).code).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(errorOf(() => readXml('just text')).code).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
    expect(errorOf(() => readXml('<p:a/>')).code).toBe('ERR_PLO_XML_NOT_WELL_FORMED');
  });

  it('refuses DOCTYPE before parsing', () => {
    expect(errorOf(() => readXml('<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>')).code).toBe('ERR_PLO_XML_DTD_FORBIDDEN');
  });

  it('refuses XInclude elements', () => {
    const err = errorOf(() => readXml('<a xmlns:xi="http://www.w3.org/2001/XInclude">\n<xi:include href="file:///etc/passwd"/></a>'));
    expect(err.code).toBe('ERR_PLO_XML_FORBIDDEN_CONSTRUCT');
    expect(err.line).toBe(2);
  });

  it('enforces depth, element and attribute limits', () => {
    expect(errorOf(() => readXml('<a><a><a/></a></a>', { maxDepth: 2 })).code).toBe('ERR_PLO_XML_TOO_DEEP');
    expect(readXml('<a><a><a/></a></a>', { maxDepth: 3 }).root.name).toBe('a');
    expect(errorOf(() => readXml('<a><b/><b/><b/></a>', { maxElements: 3 })).code).toBe('ERR_PLO_XML_TOO_LARGE');
    expect(errorOf(() => readXml('<a x="1" y="2" z="3"/>', { maxAttributes: 2 })).code).toBe('ERR_PLO_XML_TOO_LARGE');
  });

  it('fails fast on 200 000 levels of nesting without overflowing the stack', () => {
    const depth = 200_000;
    const xml = '<a>'.repeat(depth) + '</a>'.repeat(depth);
    const err = errorOf(() => readXml(xml));
    expect(err.code).toBe('ERR_PLO_XML_TOO_DEEP');
    expect(err.line).toBe(1);
  });
});
