import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const bin = path.resolve(__dirname, '../dist/cli.cjs');
const built = existsSync(bin);
if (!built) console.log('bin.test: dist/cli.cjs not built (run npx tsup); skipping the bin checks');
const maybe = built ? describe : describe.skip;

function run(args: string[], input?: string) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input, timeout: 60000 });
}

maybe('the built samhandling bin', () => {
  it('starts with a node shebang', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('is declared as the samhandling bin in package.json', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(path.resolve(__dirname, '..', pkg.bin['samhandling']!)).toBe(bin);
  });

  it('runs fnr with the contract exit codes', () => {
    const ok = run(['fnr', '13116900216', '--json']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, kind: 'FNR', synthetic: false, birthDate: '1969-11-13' });
    expect(run(['fnr', '13116900217']).status).toBe(1);
    const usage = run(['fnr']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: samhandling fnr');
  });

  it('validates and inspects with the built dependencies (bundled schemas found at run time)', () => {
    const fixtures = path.resolve(__dirname, 'fixtures');
    const valid = run(['validate', path.join(fixtures, 'apprec-rejected.xml'), '--json']);
    expect(valid.stderr).toBe('');
    expect(valid.status).toBe(0);
    expect(JSON.parse(valid.stdout).valid).toBe(true);
    const inspected = run(['inspect', '-', '--json'], readFileSync(path.join(fixtures, 'log-innlagt.xml'), 'utf8'));
    expect(inspected.status).toBe(0);
    expect(JSON.parse(inspected.stdout).receiver).toEqual({ herId: '444444', name: 'Sykepleietjeneste' });
    expect(run(['validate', '-'], '<not-xml').status).toBe(2);
  });

  it('builds a message that validates', () => {
    const fixtures = path.resolve(__dirname, 'fixtures');
    const built = run(['build', 'LOG_UTSKRIVNINGSKLAR', '--input', path.join(fixtures, 'utskrivningsklar.json')]);
    expect(built.status).toBe(0);
    expect(built.stdout).toMatch(/^<\?xml/);
    expect(run(['validate', '-'], built.stdout).status).toBe(0);
  });

  it('prints help and exits 2 for an unknown command', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('commands:');
    expect(run(['nope']).status).toBe(2);
  });
});
