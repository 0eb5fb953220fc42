import { runCli } from '../run';
import { captureIO } from '../../test/capture-io';

describe('samhandling fnr', () => {
  it('exits 0 for a valid fødselsnummer and prints kind and birth date, not the number', async () => {
    const io = captureIO();
    expect(await runCli(['fnr', '13116900216'], io)).toBe(0);
    expect(io.stdoutText()).toBe('valid FNR, birth date 1969-11-13\n');
    expect(io.stdoutText()).not.toContain('13116900216');
  });

  it('prints the JSON contract with --json', async () => {
    const io = captureIO();
    expect(await runCli(['fnr', '31129956715', '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdoutText())).toEqual({ valid: true, kind: 'FNR', synthetic: false, birthDate: '1899-12-31' });
  });

  it.each([
    ['53116900048', 'DNR'],
    ['13516900037', 'HNR'],
    ['81234500090', 'FHN'],
  ])('recognises %s as %s', async (value, kind) => {
    const io = captureIO();
    expect(await runCli(['fnr', value, '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdoutText()).kind).toBe(kind);
  });

  it('exits 1 for an invalid number, with the reason', async () => {
    const io = captureIO();
    expect(await runCli(['fnr', '13116900217', '--json'], io)).toBe(1);
    expect(JSON.parse(io.stdoutText())).toEqual({ valid: false, kind: null, synthetic: false, birthDate: null, reason: 'check-digit' });
    const text = captureIO();
    expect(await runCli(['fnr', '1234'], text)).toBe(1);
    expect(text.stdoutText()).toBe('invalid: format\n');
  });

  it('refuses synthetic numbers unless --allow-synthetic', async () => {
    const io = captureIO();
    expect(await runCli(['fnr', '13916900281'], io)).toBe(1);
    expect(io.stdoutText()).toBe('invalid FNR (synthetic): synthetic-not-allowed\n');
    const allowed = captureIO();
    expect(await runCli(['fnr', '13916900281', '--allow-synthetic', '--json'], allowed)).toBe(0);
    expect(JSON.parse(allowed.stdoutText())).toEqual({ valid: true, kind: 'FNR', synthetic: true, birthDate: '1969-11-13' });
  });

  it('says when a valid number carries no birth date', async () => {
    const io = captureIO();
    expect(await runCli(['fnr', '13116900224'], io)).toBe(0);
    expect(io.stdoutText()).toBe('valid FNR, birth date not derivable\n');
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [['fnr'], ['fnr', '1', '2'], ['fnr', '13116900216', '--nope']]) {
      const io = captureIO();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.stderrText()).toContain('usage: samhandling fnr');
      expect(io.stdoutText()).toBe('');
    }
  });

  it('prints help with --help and exits 0', async () => {
    const io = captureIO();
    expect(await runCli(['fnr', '--help'], io)).toBe(0);
    expect(io.stdoutText()).toContain('usage: samhandling fnr NUMBER');
  });
});
