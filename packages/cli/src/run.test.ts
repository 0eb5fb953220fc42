import { EXIT_OK } from './command';
import type { Command } from './command';
import { VERSION, runCli } from './run';
import { commands } from './commands/index';
import { captureIO } from '../test/capture-io';

describe('runCli', () => {
  it('lists every command with --help and exits 0', async () => {
    const io = captureIO();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const c of commands) expect(io.stdoutText()).toContain(`  ${c.name}`);
  });

  it('prints a command usage with "help <command>"', async () => {
    const io = captureIO();
    expect(await runCli(['help', 'fnr'], io)).toBe(0);
    expect(io.stdoutText()).toContain('usage: samhandling fnr');
  });

  it('exits 2 without a command, and for an unknown command', async () => {
    const none = captureIO();
    expect(await runCli([], none)).toBe(2);
    expect(none.stderrText()).toContain('usage: samhandling <command>');
    const unknown = captureIO();
    expect(await runCli(['frobnicate'], unknown)).toBe(2);
    expect(unknown.stderrText()).toContain('unknown command "frobnicate"');
  });

  it('prints the version', async () => {
    const io = captureIO();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdoutText()).toBe(`${VERSION}\n`);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('has unique command names, each with summary and usage', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of commands) {
      expect(c.summary.length).toBeGreaterThan(0);
      expect(c.usage).toContain(`samhandling ${c.name}`);
    }
  });

  it('reports an unexpected error of a command as an internal error, exit 70', async () => {
    const broken: Command = {
      name: 'broken',
      summary: 'throws',
      usage: 'usage: samhandling broken\n',
      run: async () => {
        throw new Error('boom');
      },
    };
    const io = captureIO();
    expect(await runCli(['broken'], io, [broken])).toBe(70);
    expect(io.stderrText()).toContain('internal error: Error: boom');
  });

  it('passes the remaining arguments to the command', async () => {
    const seen: string[][] = [];
    const echo: Command = {
      name: 'echo',
      summary: 'records',
      usage: 'usage: samhandling echo\n',
      run: async (argv) => {
        seen.push(argv);
        return EXIT_OK;
      },
    };
    expect(await runCli(['echo', 'a', '--b'], captureIO(), [echo])).toBe(0);
    expect(seen).toEqual([['a', '--b']]);
  });
});
