/**
 * The loopback demonstration setup shared by `npm start` (tools/demo/apps.mjs) and the apps'
 * integration and browser tests: a test PKI, an address register with both parties on loopback
 * SMTP ports, API tokens and one configuration file per app, all under one folder. Synthetic data
 * and test certificates only; never for production.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createTestPki, writeTestPki } from '@samhandling/cms';
import { createToken } from './auth';
import type { NodeRole } from './config';

/** The two demo parties: HER-ids and organisation numbers are made up but well-formed. */
export const DEMO_PARTIES = {
  sthf: { name: 'Sykehuset Telemark HF', organisation: 8142519, main: 8142520, others: [8142521], orgNumber: '983975267', slug: 'sykehuset-telemark-hf' },
  kommune: { name: 'Skien kommune', organisation: 8143100, main: 8143101, others: [8143102], orgNumber: '938583986', slug: 'skien-kommune' },
} as const;

/** The demo's tokens of one app. */
export interface DemoTokens {
  readonly operator: string;
  readonly epj: string;
  readonly readOnly: string;
  /** Health, readiness and metrics only (probes, Prometheus). */
  readonly monitor: string;
}

/** Options of {@link prepareDemo}. */
export interface PrepareDemoOptions {
  /** The folder to write into (created; existing files are overwritten). */
  readonly dir: string;
  /** Loopback address to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Use PostgreSQL through `STHF_DATABASE_URL` / `KOMMUNE_DATABASE_URL` instead of SQLite. */
  readonly postgres?: boolean;
  /** HTTP port 0 (the app binds any free port and reports it from `start`), for in-process tests. */
  readonly ephemeralHttpPorts?: boolean;
  /** "Now" for the test PKI's validity. */
  readonly clock?: () => Date;
  /** Top-level configuration entries added to (or replacing those of) each app's file. */
  readonly configPatch?: Partial<Record<NodeRole, Readonly<Record<string, unknown>>>>;
  /** Default `warn`. */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** What {@link prepareDemo} wrote. */
export interface DemoSetup {
  readonly dir: string;
  readonly host: string;
  /** The configuration file of each app. */
  readonly configFiles: Readonly<Record<NodeRole, string>>;
  readonly tokens: Readonly<Record<NodeRole, DemoTokens>>;
  /** The HTTP port each configuration names (0 with `ephemeralHttpPorts`). */
  readonly httpPorts: Readonly<Record<NodeRole, number>>;
  readonly smtpPorts: Readonly<Record<NodeRole, number>>;
}

/** A TCP port that was free a moment ago on `host`. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Writes a test PKI (`pki/`), the address register, token files and patient-reference keys
 * (`secrets/`, mode 0600) and `sthf.yaml` / `kommune.yaml` under `options.dir`.
 */
export async function prepareDemo(options: PrepareDemoOptions): Promise<DemoSetup> {
  const dir = options.dir;
  const host = options.host ?? '127.0.0.1';
  for (const sub of ['pki', 'secrets', 'data']) mkdirSync(join(dir, sub), { recursive: true });

  const pki = await createTestPki({
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    parties: [
      { name: DEMO_PARTIES.sthf.name, herId: DEMO_PARTIES.sthf.organisation, orgNumber: DEMO_PARTIES.sthf.orgNumber },
      { name: DEMO_PARTIES.kommune.name, herId: DEMO_PARTIES.kommune.organisation, orgNumber: DEMO_PARTIES.kommune.orgNumber },
    ],
  });
  await writeTestPki(pki, join(dir, 'pki'));
  const [hospitalCreds, kommuneCreds] = pki.parties;
  if (hospitalCreds === undefined || kommuneCreds === undefined) throw new Error('the test PKI has no credentials for the two parties');

  const [sthfSmtp, kommuneSmtp, sthfHttp, kommuneHttp] = await Promise.all([
    freePort(host),
    freePort(host),
    options.ephemeralHttpPorts === true ? 0 : freePort(host),
    options.ephemeralHttpPorts === true ? 0 : freePort(host),
  ]);
  const smtpPorts: Record<NodeRole, number> = { sthf: sthfSmtp, kommune: kommuneSmtp };
  const httpPorts: Record<NodeRole, number> = { sthf: sthfHttp, kommune: kommuneHttp };

  const org = (role: NodeRole, c: typeof hospitalCreds): Record<string, unknown> => ({
    herId: String(DEMO_PARTIES[role].organisation),
    name: c.name,
    kind: 'organisation',
    organisationNumber: DEMO_PARTIES[role].orgNumber,
    transport: { kind: 'smtp', host, port: smtpPorts[role], mailbox: `msh@${role}.samhandling.test` },
    signingCertificate: c.signing.certificatePem,
    encryptionCertificate: c.encryption.certificatePem,
    appRecVersion: '1.1',
    meldingsansvarlig: { email: `meldingsansvarlig@${role}.samhandling.test` },
  });
  const service = (herId: number, name: string, parent: number): Record<string, unknown> => ({ herId: String(herId), name, kind: 'service', parentHerId: String(parent) });
  writeFileSync(
    join(dir, 'address-register.json'),
    JSON.stringify(
      {
        version: 1,
        parties: [
          org('sthf', hospitalCreds),
          service(8142520, 'Somatikk plo meldingsmottak', 8142519),
          service(8142521, 'Medisinsk sengepost 3', 8142519),
          org('kommune', kommuneCreds),
          service(8143101, 'Sykepleietjeneste', 8143100),
          service(8143102, 'Saksbehandler pleie og omsorg', 8143100),
        ],
      },
      null,
      2,
    ),
  );

  const tokens = {} as Record<NodeRole, DemoTokens>;
  const configFiles = {} as Record<NodeRole, string>;
  for (const role of ['sthf', 'kommune'] as const) {
    const operator = createToken(`${role}-operator`, 'operator');
    const epj = createToken(`${role}-epj`, 'epj-system');
    const reader = createToken(`${role}-revisor`, 'read-only');
    const monitor = createToken(`${role}-prometheus`, 'monitor');
    tokens[role] = { operator: operator.token, epj: epj.token, readOnly: reader.token, monitor: monitor.token };
    writeFileSync(join(dir, 'secrets', `${role}-tokens.txt`), `# clientId role sha256-hash (samhandling-app token create)\n${[operator.line, epj.line, reader.line, monitor.line].join('\n')}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'secrets', `${role}-patient-ref-key`), `${createToken('k', 'operator').token}\n`, { mode: 0o600 });

    const p = DEMO_PARTIES[role];
    const slug = p.slug;
    const doc: Record<string, unknown> = {
      role,
      name: p.name,
      herIds: { main: p.main, organisation: p.organisation, others: [...p.others] },
      partners:
        role === 'sthf'
          ? [
              { herId: 8143101, name: 'Skien kommune – Sykepleietjeneste' },
              { herId: 8143102, name: 'Skien kommune – Saksbehandler' },
            ]
          : [{ herId: 8142520, name: 'Sykehuset Telemark HF – Somatikk plo meldingsmottak' }],
      addressRegister: { file: './address-register.json' },
      store: options.postgres === true ? { postgres: { url: { env: `${role === 'sthf' ? 'STHF' : 'KOMMUNE'}_DATABASE_URL` } } } : { sqlite: `./data/${role}.sqlite` },
      smtp: { listen: { host, port: smtpPorts[role] }, mailbox: `msh@${role}.samhandling.test` },
      credentials: {
        signing: { certificate: `./pki/${slug}-signing.pem`, privateKey: { file: `./pki/${slug}-signing.key.pem` } },
        encryption: { certificate: `./pki/${slug}-encryption.pem`, privateKey: { file: `./pki/${slug}-encryption.key.pem` } },
        trustAnchors: ['./pki/ca-bundle.pem'],
      },
      http: { host, port: httpPorts[role] },
      auth: { tokens: { file: `./secrets/${role}-tokens.txt` } },
      patientRefKey: { file: `./secrets/${role}-patient-ref-key` },
      policies: { testEnvironment: true, processingStatus: 'T' },
      engine: { workers: { pollIntervalMs: 200 } },
      logLevel: options.logLevel ?? 'warn',
      ...(options.configPatch?.[role] ?? {}),
    };
    const file = join(dir, `${role}.yaml`);
    writeFileSync(file, `# Generated for the loopback demo (npm start) and the apps' tests: test PKI, synthetic data.\n${stringify(doc)}`);
    configFiles[role] = file;
  }
  return { dir, host, configFiles, tokens, httpPorts, smtpPorts };
}
