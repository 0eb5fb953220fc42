/**
 * Hostile input: every document gets a typed issue, the process neither crashes nor hangs, and
 * nothing is read from disk or network (a marker file and a local TCP server prove it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildCatalog } from './catalog';
import { XsdEngine } from './engine';
import { createValidator } from './validator';
import type { ValidationReport } from './validator';
import { MSGHEAD_NS, clock, isKnownMessageType, replaceOnce, validMsgHead } from '../test/fixtures/documents';

const MARKER = `SAMHANDLING-SECRET-${process.pid}-7f3a9c`;
let dir: string;
let markerFile: string;
let markerUrl: string;
let server: net.Server;
let connections = 0;
let port = 0;

const validator = createValidator({ clock, isKnownMessageType });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'samhandling-hostile-'));
  markerFile = path.join(dir, 'secret.txt');
  writeFileSync(markerFile, MARKER);
  writeFileSync(path.join(dir, 'evil.dtd'), `<!ENTITY leak "${MARKER}">`);
  markerUrl = `file://${markerFile}`;
  server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(connections).toBe(0);
});

function expectRefused(report: ValidationReport, code: string): void {
  expect(report.valid).toBe(false);
  expect(report.issues.map((i) => i.code)).toEqual([code]);
  expect(report.issues[0]?.appRecCode).toBe('T01');
  expect(JSON.stringify(report)).not.toContain(MARKER);
}

const remote = (p: string): string => `http://127.0.0.1:${port}/${p}`;

describe('entity and DTD attacks are refused before parsing', () => {
  it('XXE reading a local file', () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE MsgHead [<!ENTITY xxe SYSTEM "${markerUrl}">]>\n<MsgHead xmlns="${MSGHEAD_NS}">&xxe;</MsgHead>`;
    expectRefused(validator.validate(xml), 'ERR_SCHEMA_XML_DTD_FORBIDDEN');
  });

  it('XXE through a parameter entity and an external DTD over the network', () => {
    const xml = `<!DOCTYPE r [<!ENTITY % p SYSTEM "${remote('evil.dtd')}"> %p;]><r>&leak;</r>`;
    expectRefused(validator.validate(xml), 'ERR_SCHEMA_XML_DTD_FORBIDDEN');
  });

  it('XXE over the network', () => {
    expectRefused(validator.validate(`<!DOCTYPE r [<!ENTITY n SYSTEM "${remote('x')}">]><r>&n;</r>`), 'ERR_SCHEMA_XML_DTD_FORBIDDEN');
  });

  it('external DTD (local and remote)', () => {
    expectRefused(validator.validate(`<!DOCTYPE r SYSTEM "${path.join(dir, 'evil.dtd')}"><r>&leak;</r>`), 'ERR_SCHEMA_XML_DTD_FORBIDDEN');
    expectRefused(validator.validate(`<!DOCTYPE r PUBLIC "-//X//Y" "${remote('y.dtd')}"><r/>`), 'ERR_SCHEMA_XML_DTD_FORBIDDEN');
  });

  it('billion laughs', () => {
    let decl = '<!ENTITY l0 "ha">';
    for (let i = 1; i <= 10; i++) decl += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
    expectRefused(validator.validate(`<?xml version="1.0"?><!DOCTYPE r [${decl}]><r>&l10;</r>`), 'ERR_SCHEMA_XML_DTD_FORBIDDEN');
  });

  it('quadratic blowup', () => {
    const xml = `<!DOCTYPE r [<!ENTITY a "${'x'.repeat(50_000)}">]><r>${'&a;'.repeat(50_000)}</r>`;
    expectRefused(validator.validate(xml), 'ERR_SCHEMA_XML_DTD_FORBIDDEN');
  });

  it('libxml itself never resolves entities or the network (defence in depth behind the guard)', () => {
    const engine = new XsdEngine(buildCatalog());
    const xml = `<!DOCTYPE MsgHead [<!ENTITY xxe SYSTEM "${markerUrl}"><!ENTITY net SYSTEM "${remote('n')}">]>\n<MsgHead xmlns="${MSGHEAD_NS}">&xxe;&net;</MsgHead>`;
    let output = '';
    try {
      output = JSON.stringify(engine.validate(xml, [MSGHEAD_NS]));
    } catch (err) {
      output = String(err);
    }
    expect(output).not.toContain(MARKER);
  });
});

describe('resource exhaustion', () => {
  it('200 000 levels of nesting fail fast with a typed issue', () => {
    const depth = 200_000;
    const report = validator.validate(`<MsgHead xmlns="${MSGHEAD_NS}">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</MsgHead>`);
    expectRefused(report, 'ERR_SCHEMA_XML_TOO_DEEP');
  });

  it('a 60 MB document is refused by size before parsing (bytes and string)', () => {
    const padding = 'A'.repeat(60 * 1024 * 1024);
    const text = `<MsgHead xmlns="${MSGHEAD_NS}"><x>${padding}</x></MsgHead>`;
    expectRefused(validator.validate(text), 'ERR_SCHEMA_XML_TOO_LARGE');
    expectRefused(validator.validate(new Uint8Array(Buffer.from(text))), 'ERR_SCHEMA_XML_TOO_LARGE');
  });

  it('the size limit is configurable', () => {
    const small = createValidator({ clock, isKnownMessageType, limits: { maxBytes: 1000 } });
    expectRefused(small.validate(validMsgHead()), 'ERR_SCHEMA_XML_TOO_LARGE');
  });
});

describe('broken input', () => {
  it('invalid UTF-8', () => {
    const bytes = Buffer.from(validMsgHead(), 'utf8');
    const broken = Buffer.concat([bytes.subarray(0, 200), Buffer.from([0xc3, 0x28]), bytes.subarray(200)]);
    expectRefused(validator.validate(new Uint8Array(broken)), 'ERR_SCHEMA_XML_ENCODING');
  });

  it('UTF-16 is refused as an encoding problem', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(validMsgHead(), 'utf16le')]);
    expectRefused(validator.validate(new Uint8Array(utf16)), 'ERR_SCHEMA_XML_ENCODING');
  });

  it('binary', () => {
    const binary = new Uint8Array(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
    expectRefused(validator.validate(binary), 'ERR_SCHEMA_XML_NOT_WELL_FORMED');
  });

  it('characters XML does not allow (C0 controls, U+FFFE, U+FFFF), refused by libxml with their line', () => {
    for (const ch of ['\u0001', '\u001f', '\ufffe', '\uffff']) {
      const xml = replaceOnce(validMsgHead(), '<GenDate>', `<GenDate>${ch}`);
      for (const input of [xml, new Uint8Array(Buffer.from(xml, 'utf8'))]) {
        const report = validator.validate(input);
        expectRefused(report, 'ERR_SCHEMA_XML_NOT_WELL_FORMED');
        expect(report.issues[0]?.line).toBe(6);
      }
    }
  });

  it('empty', () => {
    expectRefused(validator.validate(''), 'ERR_SCHEMA_XML_NOT_WELL_FORMED');
    expectRefused(validator.validate(new Uint8Array()), 'ERR_SCHEMA_XML_NOT_WELL_FORMED');
  });

  it('truncated', () => {
    const xml = validMsgHead();
    const report = validator.validate(xml.slice(0, Math.floor(xml.length / 2)));
    expectRefused(report, 'ERR_SCHEMA_XML_NOT_WELL_FORMED');
    expect(report.issues[0]?.line).toBeGreaterThan(1);
  });
});

describe('references are never followed', () => {
  it('XInclude is refused', () => {
    const xml = replaceOnce(
      validMsgHead(),
      '<Document>',
      `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${markerUrl}" parse="text"/><Document>`,
    );
    expectRefused(validator.validate(xml), 'ERR_SCHEMA_XML_FORBIDDEN_CONSTRUCT');
  });

  it('remote and local xsi:schemaLocation are plain attributes', () => {
    const xml = replaceOnce(
      validMsgHead(),
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
      `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${MSGHEAD_NS} ${remote('MsgHead.xsd')} urn:x ${markerUrl}">`,
    );
    const report = validator.validate(xml);
    expect(report.issues).toEqual([]);
    const noNs = replaceOnce(xml, '<Base64Container xmlns=', `<Base64Container xsi:noNamespaceSchemaLocation="${remote('n.xsd')}" xmlns=`);
    expect(JSON.stringify(validator.validate(noNs))).not.toContain(MARKER);
  });
});
