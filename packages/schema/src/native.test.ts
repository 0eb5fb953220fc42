/**
 * The native engine (build/Release/samhandling_xml.node) on its own: the tree it returns is the
 * tree plo's readXml builds, limits and DOCTYPE stop the parser with a typed result, errors carry
 * lines and paths, and schema files are read only from the allowed directories while compiling.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { DEFAULT_XML_LIMITS, readXml, resolveXmlLimits } from '@samhandling/plo';
import type { XmlLimits } from '@samhandling/plo';
import { buildCatalog } from './catalog';
import { DOMAIN_SCHEMAS_VALIDITY, XsdEngine, treeOf as parseTree } from './engine';
import { loadNative } from './native';
import type { NativeResult } from './native';
import { MSGHEAD_NS, replaceOnce, validAppRec, validMsgHead } from '../test/fixtures/documents';

const engine = new XsdEngine(buildCatalog());
const all = [...buildCatalog().keys()];

function run(xml: string, limits: Partial<XmlLimits> = {}): NativeResult {
  return engine.run(Buffer.from(xml, 'utf8'), all, true, resolveXmlLimits(limits));
}

function treeOf(xml: string): unknown {
  const result = run(xml);
  expect(result.fatal).toBeUndefined();
  expect(result.wellFormed).toBe(true);
  return parseTree(result);
}

describe('tree', () => {
  const documents: Record<string, string> = {
    'valid MsgHead': validMsgHead(),
    'AppRec 1.0': validAppRec('1.0'),
    'AppRec 1.1': validAppRec('1.1'),
    'text, CDATA, comments and PIs merged or dropped': '<a>x<!-- c -->y<![CDATA[<z> & "q" \\ ]]>&amp;&#x41;<?pi d?>w<b/>  <c> </c></a>',
    'namespaces and attributes': '<p:a xmlns:p="urn:p" xmlns="urn:d" x="1" p:y="2" xml:lang="nb"><b q="&lt;&quot;&#10;"/><p:c/></p:a>',
    'escapes in names, values and text': '<a v="tab\tquote&quot;back\\slash">\u00e6\u00f8\u00e5 \u{1F600} \u2028 \u0085 "\\/</a>',
    'line breaks before and inside start tags': '<a>\r\n<b\r\n x="1"\n y="2"\n/>\n<c\n>t\r\nu</c><d/>\n<e\r\n\r\n/></a>',
    'empty CDATA and text only in the root': '<a><![CDATA[]]></a>',
  };
  it.each(Object.entries(documents))('is the tree readXml builds: %s', (_name, xml) => {
    expect(treeOf(xml)).toEqual(readXml(xml).root);
  });

  it('refers to namespaces by index, and past 64 of them by URI', () => {
    const many = Array.from({ length: 70 }, (_, i) => `<e${i} xmlns="urn:n${i}"/>`).join('');
    const xml = `<r xmlns="urn:r">${many}<e xmlns="urn:n3"/></r>`;
    const result = run(xml);
    expect(result.namespaces).toHaveLength(64);
    expect(treeOf(xml)).toEqual(readXml(xml).root);
  });

  it('is the tree readXml builds for any text content (property)', () => {
    // Characters allowed in XML 1.0 text, markup characters escaped.
    const char = fc.oneof(
      fc.constantFrom('a', ' ', '\n', '\t', '\r\n', 'æ', 'Ø', '\u00a0', '\u2028', '\ud83d\ude00', '"', "'", '\\', '/', '\u007f', '\u0085', '\ufffd'),
      fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&#13;', '&#x10FFFF;', '<![CDATA[x]]>', '<!--c-->', '<?p?>', '<e/>', '<f a="&#9;"/>'),
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 30 }), fc.array(char, { maxLength: 10 }), (content, attr) => {
        const value = attr.filter((c) => !c.includes('<') && c !== '"').join('');
        const xml = `<r xmlns="urn:r" v="${value}">${content.join('')}</r>`;
        expect(treeOf(xml)).toEqual(readXml(xml).root);
      }),
      { numRuns: 300 },
    );
  });
});

describe('limits and refusals', () => {
  it('stops at the depth limit, also 200 000 levels deep, with the line', () => {
    expect(run('<a>\n<a><a/></a></a>', { maxDepth: 2 }).fatal).toEqual({ kind: 'TOO_DEEP', message: 'XML document exceeds the depth limit of 2', line: 2 });
    expect(run('<a><a><a/></a></a>', { maxDepth: 3 }).wellFormed).toBe(true);
    const depth = 200_000;
    expect(run(`${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`).fatal?.kind).toBe('TOO_DEEP');
    // Deeper than libxml's own default guard (256) when configured so.
    const deep = 1000;
    expect(run(`${'<a>'.repeat(deep)}${'</a>'.repeat(deep)}`, { maxDepth: deep }).wellFormed).toBe(true);
  });

  it('stops at the element and attribute limits', () => {
    expect(run('<a><b/><b/><b/></a>', { maxElements: 3 }).fatal?.kind).toBe('TOO_LARGE');
    expect(run('<a><b/><b/></a>', { maxElements: 3 }).wellFormed).toBe(true);
    const attrs = run('<a>\n<b x="1" xmlns:p="urn:p" y="2"/></a>', { maxAttributes: 2 });
    expect(attrs.fatal).toEqual({ kind: 'TOO_LARGE', message: 'Element b exceeds the limit of 2 attributes', line: 2 });
  });

  it('refuses XInclude elements and any DOCTYPE', () => {
    expect(run('<a xmlns:xi="http://www.w3.org/2001/XInclude">\n<xi:include href="x"/></a>').fatal).toMatchObject({ kind: 'FORBIDDEN_CONSTRUCT', line: 2 });
    expect(run('<a xmlns:xi="http://www.w3.org/2003/XInclude"><xi:include href="x"/></a>').fatal?.kind).toBe('FORBIDDEN_CONSTRUCT');
    expect(run('<!DOCTYPE a><a/>').fatal?.kind).toBe('DTD_FORBIDDEN');
    expect(run('<!DOCTYPE a SYSTEM "/etc/passwd"><a/>').fatal?.kind).toBe('DTD_FORBIDDEN');
  });

  it('reports not well-formed documents, undeclared prefixes included, with a line', () => {
    const broken = run('<a>\n<b>\n</a>');
    expect(broken).toMatchObject({ wellFormed: false, valid: false });
    expect(broken.tree).toBeUndefined();
    expect(broken.errors[0]?.line).toBe(3);
    expect(run('<a><p:b/></a>').wellFormed).toBe(false);
    expect(run('<a>&unknown;</a>').wellFormed).toBe(false);
    expect(run('<a/><b/>').wellFormed).toBe(false);
  });

  it('never lets a document see namespace bindings left by an earlier, stopped one', () => {
    expect(run('<a xmlns:p="urn:p"><p:b x="1" y="2"/></a>', { maxAttributes: 1 }).fatal?.kind).toBe('TOO_LARGE');
    expect(run('<a><p:b/></a>').wellFormed).toBe(false);
  });

  it('accepts only handles made by compileSchema', () => {
    const native = loadNative();
    expect(() => native.validate({} as never, Buffer.from('<a/>'), false, 1, 1, 1)).toThrow(/handle expected/);
    expect(() => native.validate(Buffer.alloc(8) as never, Buffer.from('<a/>'), false, 1, 1, 1)).toThrow(/handle expected/);
  });

  it('uses the default limits when none are given', () => {
    const native = loadNative();
    const handle = (engine as unknown as { handleFor(ns: readonly string[]): Parameters<typeof native.validate>[0] }).handleFor(all);
    const deep = DEFAULT_XML_LIMITS.maxDepth + 1;
    expect(native.validate(handle, Buffer.from(`${'<a>'.repeat(deep)}${'</a>'.repeat(deep)}`), false, Number.NaN, Number.NaN, Number.NaN).fatal?.kind).toBe('TOO_DEEP');
  });
});

describe('validation errors', () => {
  it('carry the start-tag line and a namespace-free path with positions', () => {
    let xml = replaceOnce(validMsgHead(), '<GenDate>2024-03-01T11:58:00+01:00</GenDate>', '<GenDate\n>yesterday</GenDate>');
    xml = replaceOnce(xml, '<Ack V="J" DN="Ja"/>', '<Ack V="J" DN="Ja"/><Bogus/><Bogus/>');
    const result = run(xml);
    expect(result).toMatchObject({ wellFormed: true, valid: false });
    const xsd = result.errors.filter((e) => e.domain === DOMAIN_SCHEMAS_VALIDITY);
    expect(xsd.find((e) => e.message.includes('GenDate'))).toMatchObject({ line: 6, path: '/MsgHead/MsgInfo/GenDate', level: 'error' });
    expect(xsd.find((e) => e.message.includes('Bogus'))).toMatchObject({ path: '/MsgHead/MsgInfo/Bogus[1]' });
  });

  it('found at an end tag name the element that ends, with its start-tag line (streaming validation)', () => {
    // Sender's first Ident loses its TypeId: libxml reports the missing child when </Ident> is read.
    const xml = replaceOnce(validMsgHead(), '<Id>80001</Id>\n          <TypeId V="HER" DN="HER-id" S="2.16.578.1.12.4.1.1.9051"/>', '<Id>80001</Id>');
    const result = run(xml);
    const missing = result.errors.find((e) => e.domain === DOMAIN_SCHEMAS_VALIDITY && e.message.includes('Missing child'));
    expect(missing).toMatchObject({ line: 12, path: '/MsgHead/MsgInfo/Sender/Organisation/Ident' });
  });

  it('name the element of a start tag that spans lines by the line of its "<"', () => {
    const xml = replaceOnce(validMsgHead(), '<Ack V="J" DN="Ja"/>', '<Ack V="J"\n  DN="Ja"\n  Bogus="1"/>');
    const result = run(xml);
    expect(result.errors.find((e) => e.message.includes('Bogus'))).toMatchObject({ line: 8, path: '/MsgHead/MsgInfo/Ack' });
  });

  it('are capped at 1000 and counted beyond', () => {
    const attributes = Array.from({ length: 1500 }, (_, i) => `a${i}="1"`).join(' ');
    const result = run(`<MsgHead xmlns="${MSGHEAD_NS}" ${attributes}/>`, { maxAttributes: 2000 });
    expect(result.valid).toBe(false);
    expect(result.errors).toHaveLength(1000);
    expect(result.droppedErrors).toBeGreaterThan(500);
  });
});

describe('schema compilation', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'samhandling-native-'));
    writeFileSync(path.join(dir, 'outside.xsd'), '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:outside"><xs:element name="o"/></xs:schema>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const driver = (location: string): string =>
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:driver"><xs:import namespace="urn:outside" schemaLocation="${location}"/></xs:schema>`;

  it('reads schema files only from below the allowed directories', () => {
    const native = loadNative();
    const file = pathToFileURL(path.join(dir, 'outside.xsd')).href;
    const handle = native.compileSchema(driver(file), pathToFileURL(`${dir}/`).href, [dir]);
    expect(native.validate(handle, Buffer.from('<o xmlns="urn:outside"/>'), false, 10, 10, 10)).toMatchObject({ wellFormed: true, valid: true });
    expect(() => native.compileSchema(driver(file), pathToFileURL(`${dir}/`).href, [path.join(dir, 'sub')])).toThrow(/refused to load/);
    expect(() => native.compileSchema(driver('/etc/passwd'), pathToFileURL(`${dir}/`).href, [dir])).toThrow(/does not compile/);
    expect(() => native.compileSchema(driver('http://127.0.0.1:9/x.xsd'), pathToFileURL(`${dir}/`).href, [dir])).toThrow(/refused to load/);
  });
});

describe('coded values of a scoped tree', () => {
  const native = loadNative();
  const scoped = (handleEngine: XsdEngine, xml: string): unknown =>
    JSON.parse(
      handleEngine.runner(all, { namespace: MSGHEAD_NS, child: 'MsgInfo' })(Buffer.from(xml, 'utf8'), true, DEFAULT_XML_LIMITS).codes ?? 'null',
    );

  it('lists every V+S element in document order without code lists', () => {
    const codes = scoped(engine, validMsgHead()) as [string, string, number, string][];
    expect(codes.length).toBeGreaterThan(4);
    expect(codes[0]).toEqual(['HER', '2.16.578.1.12.4.1.1.9051', 14, '/MsgHead/MsgInfo/Sender/Organisation/Ident/TypeId']);
    const lines = codes.map((c) => c[2]);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('with code lists, keeps only values that may be outside their list (decoded, trimmed as JavaScript does)', () => {
    const filtered = new XsdEngine(buildCatalog(), undefined, [['2.16.578.1.12.4.1.1.9051', ['HER', 'A&B']]]);
    const xml = replaceOnce(
      replaceOnce(validMsgHead(), '<Id>80001</Id>\n          <TypeId V="HER"', '<Id>80001</Id>\n          <TypeId V=" A&amp;B "'),
      '<Id>80002</Id>\n            <TypeId V="HER"',
      '<Id>80002</Id>\n            <TypeId V="XYZ"',
    );
    const codes = scoped(filtered, xml) as [string, string, number, string][];
    expect(codes).toEqual([['XYZ', '2.16.578.1.12.4.1.1.9051', 20, '/MsgHead/MsgInfo/Sender/Organisation/Organisation/Ident/TypeId']]);
    // Non-ASCII values always go to the rule, which trims Unicode white space.
    const nbsp = replaceOnce(validMsgHead(), '<Id>80001</Id>\n          <TypeId V="HER"', '<Id>80001</Id>\n          <TypeId V="HER\u00a0"');
    expect((scoped(filtered, nbsp) as unknown[]).length).toBe(1);
  });

  it('refuses code lists that are not strings', () => {
    const handle = native.compileSchema('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>', 'file:///tmp/driver.xsd', []);
    // (errors made by the addon belong to another realm than Jest's TypeError: match the message)
    expect(() => native.setCodeLists(handle, ['1'], [[1 as unknown as string]])).toThrow(/must be strings/);
    expect(() => native.setCodeLists(handle, ['1'], [])).toThrow(/one code array per OID/);
  });
});
