import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerPartners } from './register';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'register-partners-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(parties: unknown): string {
  const f = join(dir, `${String(Math.random()).slice(2)}.json`);
  writeFileSync(f, JSON.stringify({ version: 1, parties }));
  return f;
}

test('every party that is not ours, grouped under its transport endpoint, endpoints by name', () => {
  const f = file([
    { herId: '8143100', name: 'Skien kommune', kind: 'organisation', transport: { kind: 'smtp' } },
    { herId: '8143101', name: 'Sykepleietjeneste', kind: 'service', parentHerId: '8143100' },
    { herId: '8142519', name: 'Sykehuset Telemark HF', kind: 'organisation', transport: { kind: 'smtp' } },
    { herId: '8142521', name: 'Sengepost 3', kind: 'service', parentHerId: '8142519' },
    { herId: '8142530', name: 'Barneavdeling', kind: 'service', parentHerId: '8142521' },
    { herId: '8150000', name: 'Bamble kommune', kind: 'organisation', transport: { kind: 'smtp' } },
    { herId: '8150001', name: 'Legevakt med egen adresse', kind: 'service', parentHerId: '8150000', transport: { kind: 'smtp' } },
    { herId: 'not-a-her-id', name: 'x' },
  ]);
  expect(registerPartners(f, new Set([8143100, 8143101]))?.map((p) => [p.herId, p.endpointHerId, p.endpoint])).toEqual([
    [8150000, 8150000, true],
    [8150001, 8150001, true],
    [8142519, 8142519, true],
    [8142530, 8142519, false],
    [8142521, 8142519, false],
  ]);
});

test('a service under one of ours is ours; an unreadable or malformed file gives undefined', () => {
  const f = file([
    { herId: '8143100', name: 'Skien kommune', kind: 'organisation', transport: { kind: 'smtp' } },
    { herId: '8143109', name: 'Avdeling', kind: 'service', parentHerId: '8143100' },
  ]);
  expect(registerPartners(f, new Set([8143100]))).toEqual([]);
  expect(registerPartners(join(dir, 'missing.json'), new Set())).toBeUndefined();
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"parties": 1}');
  expect(registerPartners(bad, new Set())).toBeUndefined();
});
