/**
 * The reference apps' engine configuration (apps/node-app `EngineConfig`: PEM texts, role names
 * `kommune`/`sthf`, policies in minutes and hours) mapped to {@link MessagingNodeConfig} and
 * {@link MessagingNodeDeps}. `createMessagingNode` accepts either shape.
 * @internal
 */
import { loadPrivateKey, parseCertificate, parseCertificates } from '@samhandling/cms';
import type { Certificate } from '@samhandling/cms';
import type { EngineLogger, MessagingNodeConfig, MessagingNodeDeps } from './config';

interface AppCredential {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly passphrase?: string;
}

/** The shape the reference apps pass (a structural copy of apps/node-app's `EngineConfig`). */
export interface AppEngineConfig {
  readonly role: 'kommune' | 'sthf';
  readonly name?: string;
  readonly herIds: { readonly main: number; readonly organisation?: number; readonly all: readonly number[] };
  readonly addressRegisterFile: string;
  readonly store: { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly smtp: { readonly listen: { readonly host: string; readonly port: number }; readonly mailbox: string };
  readonly credentials: {
    readonly signing: AppCredential;
    readonly encryption: AppCredential;
    readonly previousEncryption: readonly AppCredential[];
    readonly trustAnchorsPem: readonly string[];
  };
  readonly policies?: {
    readonly receiptDeadlineMinutes?: number;
    readonly downtimeThresholdHours?: number;
    readonly processingStatus?: 'P' | 'D' | 'T';
    readonly testEnvironment?: boolean;
    readonly procedure?: Readonly<Record<string, unknown>>;
  };
  /** Passed through: `retry`, `downtime`, `workers`, `receipts`, `instanceId`, `patientRefKey`, `auditRetentionMs`, `notifications`. */
  readonly engine?: Readonly<Record<string, unknown>>;
  readonly logger?: {
    debug(msg: string, fields?: Record<string, unknown>): void;
    info(msg: string, fields?: Record<string, unknown>): void;
    warn(msg: string, fields?: Record<string, unknown>): void;
    error(msg: string, fields?: Record<string, unknown>): void;
  };
  readonly clock?: () => Date;
}

/** True when `value` has the apps' shape (PEM credentials, role `kommune`/`sthf`). */
export function isAppEngineConfig(value: unknown): value is AppEngineConfig {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { role?: unknown; credentials?: { signing?: { certificatePem?: unknown } } };
  return (v.role === 'kommune' || v.role === 'sthf') && typeof v.credentials?.signing?.certificatePem === 'string';
}

function credential(c: AppCredential): { certificate: Certificate; key: ReturnType<typeof loadPrivateKey> } {
  return { certificate: parseCertificate(c.certificatePem), key: loadPrivateKey(c.privateKeyPem, c.passphrase === undefined ? {} : { passphrase: c.passphrase }) };
}

/**
 * Maps the apps' configuration. A PostgreSQL store must come as `deps.store`
 * (`@samhandling/store-postgres` depends on this package, not the other way round).
 *
 * @throws TypeError for a PostgreSQL configuration without `deps.store`.
 */
export function fromAppEngineConfig(app: AppEngineConfig, deps: MessagingNodeDeps): { config: MessagingNodeConfig; deps: MessagingNodeDeps } {
  if (app.store.kind === 'postgres' && deps.store === undefined) {
    throw new TypeError('a PostgreSQL store is passed as deps.store (open it with @samhandling/store-postgres)');
  }
  const engine = (app.engine ?? {}) as Partial<MessagingNodeConfig>;
  const policies = app.policies ?? {};
  const anchors = app.credentials.trustAnchorsPem.flatMap((pem) => parseCertificates(pem));
  const logger: EngineLogger | undefined =
    app.logger === undefined ? undefined : { log: (level, event, fields) => app.logger?.[level](event, fields === undefined ? undefined : { ...fields }) };
  const config: MessagingNodeConfig = {
    ...engine,
    role: app.role === 'sthf' ? 'hospital' : 'municipality',
    herIds: { main: app.herIds.main, all: app.herIds.all },
    credentials: {
      signing: credential(app.credentials.signing),
      encryption: credential(app.credentials.encryption),
      previousEncryption: app.credentials.previousEncryption.map(credential),
      trustAnchors: anchors,
    },
    ...(policies.testEnvironment === undefined ? {} : { testEnvironment: policies.testEnvironment }),
    ...(policies.processingStatus === undefined ? {} : { processingStatus: policies.processingStatus }),
    ...(policies.receiptDeadlineMinutes === undefined ? {} : { receipts: { ...(engine.receipts ?? {}), defaultDeadlineMs: policies.receiptDeadlineMinutes * 60_000 } }),
    ...(policies.downtimeThresholdHours === undefined ? {} : { downtime: { ...(engine.downtime ?? {}), downAfterMs: policies.downtimeThresholdHours * 3_600_000 } }),
    ...(policies.procedure === undefined ? {} : { procedurePolicy: policies.procedure }),
    ...(app.store.kind === 'sqlite' ? { store: { sqlitePath: app.store.path } } : {}),
    addressRegisterFile: app.addressRegisterFile,
    smtp: { listen: app.smtp.listen, mailbox: app.smtp.mailbox },
  };
  return {
    config,
    deps: { ...deps, ...(deps.clock === undefined && app.clock !== undefined ? { clock: app.clock } : {}), ...(deps.logger === undefined && logger !== undefined ? { logger } : {}) },
  };
}
