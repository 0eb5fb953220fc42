import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, readSecret, validateConfig } from './config';
import { AppError } from './errors';
import { CONFIG_DOC } from '../test/helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests break arbitrary fields
type Doc = Record<string, any>;
const clone = (): Record<string, unknown> => JSON.parse(JSON.stringify(CONFIG_DOC)) as Record<string, unknown>;
function issuesOf(doc: unknown): { path: string; message: string }[] {
  try {
    validateConfig(doc, '/etc/x.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('ERR_APP_CONFIG_INVALID');
    return [...(e as AppError).issues];
  }
  throw new Error('expected the configuration to be refused');
}

test('a valid configuration resolves paths against its folder and defaults the policies', () => {
  const c = validateConfig(clone(), '/etc/samhandling/k.yaml');
  expect(c.addressRegisterFile).toBe('/etc/samhandling/ar.json');
  expect(c.credentials.signing.privateKey).toEqual({ file: '/etc/samhandling/pki/s.key.pem' });
  expect(c.herIds.all).toEqual([8143101, 8143100, 8143102]);
  expect(c.policies).toMatchObject({ receiptDeadlineMinutes: 60, downtimeThresholdHours: 4, answerMessageType: 'DIALOG_FORESPORSEL' });
});

test.each([
  ['role', (d: Doc) => (d['role'] = 'hospital')],
  ['herIds.main', (d: Doc) => (d['herIds'].main = -1)],
  ['partners[0].herId', (d: Doc) => (d['partners'][0].herId = 8143101)],
  ['store', (d: Doc) => (d['store'] = { sqlite: 'a', postgres: { url: { env: 'X' } } })],
  ['credentials.signing.privateKey', (d: Doc) => (d['credentials'].signing.privateKey = '-----BEGIN PRIVATE KEY-----')],
  ['credentials.encryption.privateKey', (d: Doc) => (d['credentials'].encryption.privateKey = { file: 'a', env: 'B' })],
  ['http.port', (d: Doc) => (d['http'].port = 70000)],
  ['auth.tokens', (d: Doc) => (d['auth'].tokens = 'sha256:abc')],
  ['smtp.mailbox', (d: Doc) => (d['smtp'].mailbox = 'not-an-address')],
  ['policies.answerMessageType', (d: Doc) => (d['policies'] = { answerMessageType: 'SVAR' })],
  ['webhooks[0].url', (d: Doc) => (d['webhooks'] = [{ url: 'ftp://x', secret: { env: 'S' } }])],
  ['epj.patientLookup.url', (d: Doc) => (d['epj'] = { patientLookup: { url: 'file:///etc/passwd', secret: { env: 'S' } } })],
  ['epj.patientLookup.secret', (d: Doc) => (d['epj'] = { patientLookup: { url: 'http://epj.local/lookup', secret: 'inline-secret' } })],
  ['epj.patientLookup.timeoutMs', (d: Doc) => (d['epj'] = { patientLookup: { url: 'http://epj.local/lookup', secret: { env: 'S' }, timeoutMs: 0 } })],
  ['epj.colour', (d: Doc) => (d['epj'] = { colour: 'blue', patientLookup: { url: 'http://epj.local/lookup', secret: { env: 'S' } } })],
  ['colour', (d: Doc) => (d['colour'] = 'blue')],
])('an invalid %s is reported with its field', (path, breakIt) => {
  const d = clone();
  breakIt(d);
  expect(issuesOf(d).map((i) => i.path)).toContain(path);
});

test('the EPJ patient lookup is optional; configured, it has its URL, secret reference and a default timeout', () => {
  expect(validateConfig(clone(), '/etc/samhandling/k.yaml').epj).toBeUndefined();
  const d = clone();
  d['epj'] = { patientLookup: { url: 'https://epj.skien.kommune.no/samhandling/pasient', secret: { env: 'EPJ_LOOKUP_SECRET' } } };
  expect(validateConfig(d, '/etc/samhandling/k.yaml').epj).toEqual({ patientLookup: { url: 'https://epj.skien.kommune.no/samhandling/pasient', secret: { env: 'EPJ_LOOKUP_SECRET' }, timeoutMs: 5000 } });
});

test('every issue is reported at once', () => {
  const d = clone();
  delete d['name'];
  delete d['store'];
  expect(issuesOf(d).map((i) => i.path)).toEqual(expect.arrayContaining(['name', 'store']));
});

test('loadConfig reads YAML and JSON; unreadable or malformed files have their own code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  writeFileSync(join(dir, 'a.json'), JSON.stringify(CONFIG_DOC));
  expect(loadConfig(join(dir, 'a.json')).role).toBe('kommune');
  writeFileSync(join(dir, 'b.yaml'), 'role: [unclosed');
  expect(() => loadConfig(join(dir, 'b.yaml'))).toThrow(expect.objectContaining({ code: 'ERR_APP_CONFIG_UNREADABLE' }));
  expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(expect.objectContaining({ code: 'ERR_APP_CONFIG_UNREADABLE' }));
});

test('secrets come from files or the environment; a missing one names the field, not the value', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sec-'));
  writeFileSync(join(dir, 'k'), 'secret-value\n');
  expect(readSecret({ file: join(dir, 'k') }, 'x')).toBe('secret-value');
  expect(readSecret({ env: 'S1' }, 'x', { S1: 'v' })).toBe('v');
  expect(() => readSecret({ env: 'S2' }, 'store.postgres.url', {})).toThrow('store.postgres.url: the environment variable S2 is not set');
});
