import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestPki, type TestPki } from '@samhandling/cms';
import { AddressRegisterError } from './errors';
import { createLocalAddressRegister } from './local';
import { validateAddressRegister } from './validate';

const EXAMPLE = resolve(__dirname, '../../test/fixtures/address-register.example.json');

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki({ parties: [{ name: 'Eksempel kommune', herId: '9000001', orgNumber: '900000002' }] });
}, 120_000);

function example(): { version: number; parties: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { version: number; parties: Record<string, unknown>[] };
}

function issuesOf(fn: () => unknown): { code: string; paths: string[] } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AddressRegisterError) return { code: err.code, paths: err.issues.map((i) => i.path) };
    throw err;
  }
  throw new Error('expected an AddressRegisterError');
}

describe('validateAddressRegister', () => {
  it('accepts the example file', () => {
    const parties = validateAddressRegister(example());
    expect(parties.map((p) => p.herId)).toEqual(['8000001', '8000002', '9000001', '9000002', '9000003', '9000004']);
    expect(parties[1]?.parentHerId).toBe('8000001');
  });

  const broken: [string, (d: ReturnType<typeof example>) => void, string][] = [
    ['herId not digits', (d) => (d.parties[0]!['herId'] = 'abc'), 'parties[0].herId'],
    ['missing name', (d) => delete d.parties[0]!['name'], 'parties[0].name'],
    ['unknown kind', (d) => (d.parties[0]!['kind'] = 'department'), 'parties[0].kind'],
    ['service without parent', (d) => delete d.parties[1]!['parentHerId'], 'parties[1].parentHerId'],
    ['parent not in register', (d) => (d.parties[1]!['parentHerId'] = '1234'), 'parties[1].parentHerId'],
    ['parent cycle', (d) => (d.parties[0]!['parentHerId'] = '8000002'), 'parties[0].parentHerId'],
    ['duplicate HER-id', (d) => (d.parties[3]!['herId'] = '9000001'), 'parties[3].herId'],
    ['port out of range', (d) => ((d.parties[0]!['transport'] as Record<string, unknown>)['port'] = 70000), 'parties[0].transport.port'],
    ['mailbox without @', (d) => ((d.parties[0]!['transport'] as Record<string, unknown>)['mailbox'] = 'edi'), 'parties[0].transport.mailbox'],
    ['transport kind', (d) => ((d.parties[0]!['transport'] as Record<string, unknown>)['kind'] = 'x400'), 'parties[0].transport.kind'],
    ['message type code', (d) => ((d.parties[1]!['messageTypes'] as Record<string, unknown>[])[0]!['type'] = 'innleggelse'), 'parties[1].messageTypes[0].type'],
    ['empty versions', (d) => ((d.parties[1]!['messageTypes'] as Record<string, unknown>[])[0]!['versions'] = []), 'parties[1].messageTypes[0].versions'],
    ['AppRec version', (d) => (d.parties[0]!['appRecVersion'] = '2.0'), 'parties[0].appRecVersion'],
    ['CMS profile', (d) => (d.parties[0]!['cmsProfile'] = 'rsa-pkcs1'), 'parties[0].cmsProfile'],
    ['contact e-mail', (d) => ((d.parties[0]!['meldingsansvarlig'] as Record<string, unknown>)['email'] = 'nobody'), 'parties[0].meldingsansvarlig.email'],
    ['contact phone', (d) => ((d.parties[0]!['meldingsansvarlig'] as Record<string, unknown>)['phone'] = 'call me'), 'parties[0].meldingsansvarlig.phone'],
    ['organisation number', (d) => (d.parties[0]!['organisationNumber'] = '12345'), 'parties[0].organisationNumber'],
    ['unknown field', (d) => (d.parties[0]!['herID'] = '1'), 'parties[0].herID'],
    ['certificate not PEM', (d) => (d.parties[0]!['signingCertificate'] = 'not a certificate'), 'parties[0].signingCertificate'],
    ['wrong version', (d) => (d.version = 2), 'version'],
  ];
  it.each(broken)('names the field: %s', (_name, breakIt, path) => {
    const data = structuredClone(example());
    breakIt(data);
    const { code, paths } = issuesOf(() => validateAddressRegister(data));
    expect(code).toBe('ERR_AR_INVALID');
    expect(paths).toContain(path);
  });

  it('reports every issue, not only the first', () => {
    const data = structuredClone(example());
    data.parties[0]!['kind'] = 'x';
    data.parties[2]!['appRecVersion'] = 'x';
    expect(issuesOf(() => validateAddressRegister(data)).paths).toEqual(['parties[0].kind', 'parties[2].appRecVersion']);
  });

  it('checks certificate key usage for its purpose', () => {
    const data = structuredClone(example());
    data.parties[2]!['signingCertificate'] = pki.parties[0]!.encryption.certificatePem;
    data.parties[2]!['encryptionCertificate'] = pki.parties[0]!.signing.certificatePem;
    expect(issuesOf(() => validateAddressRegister(data)).paths).toEqual(['parties[2].signingCertificate', 'parties[2].encryptionCertificate']);
  });
});

describe('createLocalAddressRegister', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samhandling-ar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeRegister(data: unknown, mtime?: Date): string {
    const file = join(dir, 'register.json');
    writeFileSync(file, JSON.stringify(data));
    if (mtime !== undefined) utimesSync(file, mtime, mtime);
    return file;
  }

  function withCertificates(): ReturnType<typeof example> {
    const data = example();
    writeFileSync(join(dir, 'sign.pem'), pki.parties[0]!.signing.certificatePem);
    data.parties[2]!['signingCertificate'] = { file: 'sign.pem' };
    data.parties[2]!['encryptionCertificate'] = pki.parties[0]!.encryption.certificatePem;
    return data;
  }

  it('resolves a service to its parent organisation endpoint with inherited settings', async () => {
    const ar = createLocalAddressRegister({ file: writeRegister(withCertificates()), checkIntervalMs: 0 });
    const r = await ar.resolveReceiver('9000002');
    expect(r.party.name).toBe('Sykepleietjeneste');
    expect(r.endpoint.herId).toBe('9000001');
    expect(r.transport).toEqual({ kind: 'smtp', host: 'msh.kommune.example', port: 25, mailbox: 'edi@kommune.example' });
    expect(r.messageTypes.map((m) => m.type)).toContain('LOG_INNLAGT');
    expect(r.appRecVersion).toBe('1.0');
    expect(r.cmsProfile).toBe('oaep');
    expect(r.meldingsansvarlig?.email).toBe('meldingsansvarlig@kommune.example');
    expect(r.encryptionCertificate?.fingerprintSha256).toBe(pki.parties[0]!.encryption.certificate.fingerprintSha256);
    // a person two levels down inherits the messageTypes of its service and the endpoint of the organisation
    const person = await ar.resolveReceiver('9000004');
    expect(person.endpoint.herId).toBe('9000001');
    expect(person.messageTypes.map((m) => m.type)).toContain('UTSKRIVNINGSRAPPORT');
  });

  it('finds the signing certificate up the parent chain (certificate read from a file next to the register)', async () => {
    const ar = createLocalAddressRegister({ file: writeRegister(withCertificates()) });
    const cert = await ar.signingCertificateFor('9000003');
    expect(cert.fingerprintSha256).toBe(pki.parties[0]!.signing.certificate.fingerprintSha256);
  });

  it('fails with typed errors for unknown parties and missing certificates', async () => {
    const ar = createLocalAddressRegister({ parties: example() });
    await expect(ar.resolveReceiver('1')).rejects.toMatchObject({ code: 'ERR_AR_UNKNOWN_PARTY', herId: '1' });
    await expect(ar.signingCertificateFor('8000002')).rejects.toMatchObject({ code: 'ERR_AR_NO_CERTIFICATE' });
    expect(await ar.lookup('1')).toBeUndefined();
  });

  it('fails with ERR_AR_NO_TRANSPORT when no ancestor has an address', async () => {
    const data = example();
    delete data.parties[0]!['transport'];
    const ar = createLocalAddressRegister({ parties: data });
    await expect(ar.resolveReceiver('8000002')).rejects.toMatchObject({ code: 'ERR_AR_NO_TRANSPORT' });
  });

  it('re-reads the file when its mtime changes, and keeps the last valid data when the new file is invalid', async () => {
    const errors: AddressRegisterError[] = [];
    const file = writeRegister(example(), new Date('2026-01-01T00:00:00Z'));
    const ar = createLocalAddressRegister({ file, checkIntervalMs: 0, onReloadError: (e) => errors.push(e) });
    expect((await ar.lookup('9000001'))?.name).toBe('Eksempel kommune');

    const renamed = example();
    renamed.parties[2]!['name'] = 'Nytt navn kommune';
    writeRegister(renamed, new Date('2026-01-02T00:00:00Z'));
    expect((await ar.lookup('9000001'))?.name).toBe('Nytt navn kommune');

    writeFileSync(file, '{ not json');
    utimesSync(file, new Date('2026-01-03T00:00:00Z'), new Date('2026-01-03T00:00:00Z'));
    expect((await ar.lookup('9000001'))?.name).toBe('Nytt navn kommune');
    expect(errors.map((e) => e.code)).toEqual(['ERR_AR_UNREADABLE']);
    expect(() => ar.reload()).toThrow(AddressRegisterError);
  });

  it('throttles the mtime check with the injected clock', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const file = writeRegister(example(), new Date('2026-01-01T00:00:00Z'));
    const ar = createLocalAddressRegister({ file, clock: () => now, checkIntervalMs: 60_000 });
    const renamed = example();
    renamed.parties[2]!['name'] = 'Etter endring';
    writeRegister(renamed, new Date('2026-01-02T00:00:00Z'));
    expect((await ar.lookup('9000001'))?.name).toBe('Eksempel kommune');
    now = new Date('2026-01-01T00:01:01Z');
    expect((await ar.lookup('9000001'))?.name).toBe('Etter endring');
  });

  it('refuses an unreadable file at creation and misuse with TypeError', () => {
    expect(() => createLocalAddressRegister({ file: join(dir, 'missing.json') })).toThrow(expect.objectContaining({ code: 'ERR_AR_UNREADABLE' }));
    expect(() => createLocalAddressRegister({})).toThrow(TypeError);
    expect(() => createLocalAddressRegister({ parties: [], file: 'x' })).toThrow(TypeError);
  });
});
