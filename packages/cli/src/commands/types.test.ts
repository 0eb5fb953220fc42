import { defaultRegistry } from '@samhandling/plo';
import { runCli } from '../run';
import { captureIO } from '../../test/capture-io';

describe('samhandling types', () => {
  it('lists the registered types as JSON', async () => {
    const io = captureIO();
    expect(await runCli(['types', '--json'], io)).toBe(0);
    const list = JSON.parse(io.stdoutText()) as { type: string; displayName: string; standards: string[]; namespaces: string[] }[];
    expect(list.map((t) => t.type)).toEqual(defaultRegistry.list().map((t) => t.type));
    expect(list.map((t) => t.type)).toEqual(expect.arrayContaining(['LOG_INNLAGT', 'LOG_UTSKRIVNINGSKLAR', 'LOG_AVMELDING', 'LOG_UTSKREVET', 'LOG_DOD']));
    for (const t of list) {
      expect(t.namespaces.length).toBeGreaterThan(0);
      expect(t.standards.length).toBeGreaterThan(0);
    }
  });

  it('prints one line per type with its namespaces', async () => {
    const io = captureIO();
    expect(await runCli(['types'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^LOG_UTSKRIVNINGSKLAR +Melding om utskrivningsklar pasient \(/m);
    expect(io.stdoutText()).toMatch(/^ +http:\/\/www\.kith\.no\/xmlstds\/po\/Pasientlogistikk\/2012-04-01$/m);
  });

  it('exits 2 for unexpected arguments and prints help', async () => {
    expect(await runCli(['types', 'extra'], captureIO())).toBe(2);
    expect(await runCli(['types', '--bogus'], captureIO())).toBe(2);
    const help = captureIO();
    expect(await runCli(['types', '--help'], help)).toBe(0);
    expect(help.stdoutText()).toContain('usage: samhandling types');
  });
});
