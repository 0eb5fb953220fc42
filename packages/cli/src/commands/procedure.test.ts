import path from 'node:path';
import { HOSPITAL_STAY_DEFINITION, machineInfo } from '@samhandling/procedure';
import { runCli } from '../run';
import { captureIO } from '../../test/capture-io';

const cwd = '/virtual';
const at = (p: string): string => path.join(cwd, p);

const example = {
  events: [
    { id: 'm1', at: '2024-03-04T09:00:00+01:00', type: 'LOG_INNLAGT', from: 'hospital', admittedAt: '2024-03-04T08:30:00+01:00' },
    { id: 'm2', at: '2024-03-04T15:00:00+01:00', type: 'HELSEOPPL_SOKNAD', from: 'hospital', subtype: 1 },
    { id: 'm3', at: '2024-03-08T11:00:00+01:00', type: 'LOG_UTSKRIVNINGSKLAR', from: 'hospital', declaredAt: '2024-03-08T10:00:00+01:00' },
    { id: 'm4', at: '2024-03-08T13:00:00+01:00', type: 'DIALOG_SVAR', from: 'municipality', answer: 'cannot-receive', date: '2024-03-11' },
    { id: 'm5', at: '2024-03-11T09:00:00+01:00', type: 'DIALOG_SVAR', from: 'municipality', answer: 'offer-ready' },
    { id: 'm6', at: '2024-03-11T14:00:00+01:00', type: 'LOG_UTSKREVET', from: 'hospital', dischargedAt: '2024-03-11T13:00:00+01:00' },
    { id: 'm7', at: '2024-03-11T16:00:00+01:00', type: 'UTSKRIVNINGSRAPPORT', from: 'hospital' },
  ],
};

describe('samhandling procedure', () => {
  it('hash prints id, version and content hash', async () => {
    const io = captureIO();
    expect(await runCli(['procedure', 'hash'], io)).toBe(0);
    const info = machineInfo();
    expect(io.stdoutText()).toBe(`hospital-stay ${HOSPITAL_STAY_DEFINITION.version} sha256:${info.hash}\n`);
    const j = captureIO();
    expect(await runCli(['procedure', 'hash', '--json'], j)).toBe(0);
    expect(JSON.parse(j.stdoutText())).toEqual({ id: 'hospital-stay', version: HOSPITAL_STAY_DEFINITION.version, hash: info.hash });
    expect(info.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('simulate prints the contract JSON for the issue example (3 days, NOK 17 235)', async () => {
    const io = captureIO({ cwd, files: { [at('s.json')]: JSON.stringify(example) } });
    expect(await runCli(['procedure', 'simulate', 's.json'], io)).toBe(0);
    const out = JSON.parse(io.stdoutText());
    expect(out.state).toBe('discharged');
    expect(out.paymentDays).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
    expect(out.amountNOK).toBe(17235);
    expect(out.periods).toEqual([expect.objectContaining({ declaredDay: '2024-03-08', paymentDays: out.paymentDays, amountNOK: 17235 })]);
    for (const d of out.deadlines) expect(Object.keys(d)).toEqual(expect.arrayContaining(['rule', 'due', 'metAt', 'breached']));
    expect(out.deadlines.map((d: { rule: string }) => d.rule)).toEqual([
      'section-8-notice',
      'section-10-notify',
      'section-11-answer',
      'utskrivningsrapport',
    ]);
    expect(Array.isArray(out.effects)).toBe(true);
  });

  it('simulate applies --policy over the scenario', async () => {
    const files = {
      [at('s.json')]: JSON.stringify(example),
      [at('p.json')]: JSON.stringify({ paymentStart: 'day-after', dailyRatesNOK: { '2024': 6000 } }),
    };
    const io = captureIO({ cwd, files });
    expect(await runCli(['procedure', 'simulate', 's.json', '--policy', 'p.json'], io)).toBe(0);
    const out = JSON.parse(io.stdoutText());
    expect(out.paymentDays).toEqual(['2024-03-09', '2024-03-10']);
    expect(out.amountNOK).toBe(12000);
  });

  it('exits 1 with the typed error code for invalid scenario content', async () => {
    const broken = { events: [{ ...example.events[0], at: '2024-03-04 09:00' }] };
    const io = captureIO({ cwd, files: { [at('s.json')]: JSON.stringify(broken) } });
    expect(await runCli(['procedure', 'simulate', 's.json'], io)).toBe(1);
    const out = JSON.parse(io.stdoutText());
    expect(out.error.code).toBe('ERR_PROCEDURE_INVALID_SCENARIO');
    expect(out.error.issues).toEqual([expect.objectContaining({ path: 'events[0].at' })]);
    expect(io.stderrText()).toContain('ERR_PROCEDURE_INVALID_SCENARIO');
  });

  it('exits 1 for an invalid policy and for a conflicting duplicate', async () => {
    const p = captureIO({ cwd, files: { [at('s.json')]: JSON.stringify(example), [at('p.json')]: '{"paymentStart":"tomorrow"}' } });
    expect(await runCli(['procedure', 'simulate', 's.json', '--policy', 'p.json'], p)).toBe(1);
    expect(JSON.parse(p.stdoutText()).error.code).toBe('ERR_PROCEDURE_INVALID_POLICY');
    const dup = { events: [...example.events, { ...example.events[1], subtype: 2 }] };
    const d = captureIO({ cwd, files: { [at('s.json')]: JSON.stringify(dup) } });
    expect(await runCli(['procedure', 'simulate', 's.json'], d)).toBe(1);
    expect(JSON.parse(d.stdoutText()).error.code).toBe('ERR_PROCEDURE_DUPLICATE_CONFLICT');
  });

  it('exits 2 for usage errors, unreadable files and malformed JSON', async () => {
    for (const argv of [['procedure'], ['procedure', 'nope'], ['procedure', 'simulate'], ['procedure', 'hash', 'x'], ['procedure', 'simulate', 'a', 'b']]) {
      const io = captureIO({ cwd });
      expect(await runCli(argv, io)).toBe(2);
      expect(io.stderrText()).toContain('usage: samhandling procedure');
    }
    const missing = captureIO({ cwd: '/nonexistent-dir-for-test' });
    expect(await runCli(['procedure', 'simulate', 'missing.json'], missing)).toBe(2);
    const bad = captureIO({ cwd, files: { [at('s.json')]: '{ not json' } });
    expect(await runCli(['procedure', 'simulate', 's.json'], bad)).toBe(2);
    expect(bad.stdoutText()).toBe('');
  });

  it('--help prints the usage', async () => {
    const io = captureIO();
    expect(await runCli(['procedure', '--help'], io)).toBe(0);
    expect(io.stdoutText()).toContain('samhandling procedure simulate SCENARIO.json');
  });
});
