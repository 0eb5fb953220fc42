import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readXml } from '@samhandling/plo';
import { runCli } from '../run';
import { captureIO } from '../../test/capture-io';
import { fixtures } from '../../test/conformance';

const input = JSON.parse(readFileSync(path.join(fixtures, 'utskrivningsklar.json'), 'utf8')) as Record<string, unknown>;

async function build(args: string[], json?: unknown) {
  const files = json === undefined ? {} : { [path.join(fixtures, 'in.json')]: typeof json === 'string' ? json : JSON.stringify(json) };
  const io = captureIO({ cwd: fixtures, files });
  const code = await runCli(['build', ...args], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('samhandling build', () => {
  it('builds, validates and prints a LOG_UTSKRIVNINGSKLAR message', async () => {
    const { code, out, err } = await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'utskrivningsklar.json']);
    expect(err).not.toMatch(/^ +error /m);
    expect(code).toBe(0);
    const root = readXml(out).root;
    expect(root.name).toBe('MsgHead');
    expect(out).toContain('0c7a2b1e-5d4f-4e3a-9b2c-1a2b3c4d5e6f');
    expect(out).toContain('LOG_UTSKRIVNINGSKLAR');
  });

  it('prints a message that validate accepts and inspect summarises', async () => {
    const built = await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'utskrivningsklar.json', '--pretty']);
    expect(built.code).toBe(0);
    const file = path.join(fixtures, 'built.xml');
    const v = captureIO({ cwd: fixtures, files: { [file]: built.out } });
    expect(await runCli(['validate', 'built.xml'], v)).toBe(0);
    const i = captureIO({ cwd: fixtures, files: { [file]: built.out } });
    expect(await runCli(['inspect', 'built.xml', '--json'], i)).toBe(0);
    expect(JSON.parse(i.stdoutText())).toMatchObject({
      type: 'LOG_UTSKRIVNINGSKLAR',
      sender: { herId: '222222' },
      receiver: { herId: '444444' },
      patient: { idType: 'FNR', valid: true },
      documents: [{ msgType: 'XML' }, { msgType: 'A', mimeType: 'text/plain' }],
    });
  });

  it('exits 1 and lists every model issue with its path', async () => {
    const broken = {
      ...input,
      patient: { ...(input['patient'] as object), idents: [{ id: '13116900217', typeId: { v: 'FNR', s: '2.16.578.1.12.4.1.1.8116' } }] },
      receiver: { name: 'Testkommune', idents: [] },
    };
    const { code, out, err } = await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'in.json'], broken);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('ERR_PLO_INVALID_MODEL');
    expect(err).toMatch(/^ +patient[^:]*: /m);
    expect(err).toMatch(/^ +receiver[^:]*: /m);
  });

  it('exits 1 for a synthetic patient unless --allow-synthetic', async () => {
    const synthetic = {
      ...input,
      patient: { ...(input['patient'] as object), idents: [{ id: '13916900281', typeId: { v: 'FNR', s: '2.16.578.1.12.4.1.1.8116' } }] },
    };
    expect((await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'in.json'], synthetic)).code).toBe(1);
    const allowed = await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'in.json', '--allow-synthetic'], synthetic);
    expect(allowed.err).not.toMatch(/^ +error /m);
    expect(allowed.code).toBe(0);
  });

  it('exits 2 for an unknown type, a TYPE that contradicts the input, and malformed JSON', async () => {
    const unknown = await build(['NO_SUCH_TYPE', '--input', 'utskrivningsklar.json']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('ERR_PLO_UNKNOWN_MESSAGE_TYPE');
    expect((await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'in.json'], { ...input, type: 'LOG_DOD' })).code).toBe(2);
    const malformed = await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'in.json'], '{ "sender": ');
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain('is not valid JSON');
    expect((await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'in.json'], '[1]')).code).toBe(2);
  });

  it('exits 2 for an unsupported namespace', async () => {
    const { code, err } = await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'utskrivningsklar.json', '--namespace', 'urn:nope']);
    expect(code).toBe(2);
    expect(err).toContain('ERR_PLO_UNSUPPORTED_VERSION');
  });

  it('exits 2 on usage errors', async () => {
    expect((await build(['LOG_UTSKRIVNINGSKLAR'])).code).toBe(2);
    expect((await build(['--input', 'utskrivningsklar.json'])).code).toBe(2);
    expect((await build(['LOG_UTSKRIVNINGSKLAR', '--input', 'missing.json'])).code).toBe(2);
    const help = await build(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage: samhandling build TYPE');
  });
});
