/**
 * Starting an app: load and validate the configuration, read the secrets, build the engine
 * through a {@link NodeFactory}, start the HTTP server, stop cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import type { MessagingNode } from '@samhandling/messaging';
import { parseTokenFile, type TokenEntry } from './auth';
import { loadConfig, readSecret, type AppConfig, type CredentialConfig, type NodeRole, type PartnerConfig, type PolicyConfig } from './config';
import { createHttpPatientLookup } from './epj';
import { AppError } from './errors';
import { createLogger, type Logger } from './logger';
import { createApp, type App } from './server';

/** A credential with its files read. */
export interface LoadedCredential {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly passphrase?: string;
}

/**
 * What the app hands to the engine's factory: the configuration with every secret read. The
 * engine's `createMessagingNode` takes this (or maps it to its own options).
 */
export interface EngineConfig {
  readonly role: NodeRole;
  readonly name: string;
  readonly herIds: AppConfig['herIds'];
  readonly partners: readonly PartnerConfig[];
  /** The address register JSON file for the engine's local adapter. */
  readonly addressRegisterFile: string;
  readonly store: { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly smtp: {
    readonly listen: { readonly host: string; readonly port: number };
    readonly mailbox: string;
    readonly relay?: { readonly host: string; readonly port: number; readonly secure: boolean; readonly user?: string; readonly password?: string };
  };
  readonly credentials: {
    readonly signing: LoadedCredential;
    readonly encryption: LoadedCredential;
    readonly previousEncryption: readonly LoadedCredential[];
    readonly trustAnchorsPem: readonly string[];
  };
  readonly policies: PolicyConfig;
  /** Further engine options from the configuration's `engine` section. */
  readonly engine: Readonly<Record<string, unknown>>;
  /** The EPJ's patient lookup endpoint, its secret read (see `epj.ts`). */
  readonly epj?: { readonly patientLookup: { readonly url: string; readonly secret: string; readonly timeoutMs: number } };
  readonly logger: Logger;
  readonly clock: () => Date;
}

/** Builds the engine for a configuration. */
export type NodeFactory = (config: EngineConfig) => MessagingNode | Promise<MessagingNode>;

function readPublic(file: string, field: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError('ERR_APP_SECRET_UNAVAILABLE', `${field}: cannot read ${file}`, { cause });
  }
}

function loadCredential(c: CredentialConfig, field: string, env: NodeJS.ProcessEnv): LoadedCredential {
  const passphrase = c.passphrase === undefined ? undefined : readSecret(c.passphrase, `${field}.passphrase`, env);
  return {
    certificatePem: readPublic(c.certificateFile, `${field}.certificate`),
    privateKeyPem: readSecret(c.privateKey, `${field}.privateKey`, env),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

/** Reads every secret the configuration names and returns the engine's configuration. */
export function engineConfigOf(config: AppConfig, logger: Logger, clock: () => Date, env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const relay = config.smtp.relay;
  const relayPassword = relay?.password === undefined ? undefined : readSecret(relay.password, 'smtp.relay.password', env);
  return {
    role: config.role,
    name: config.name,
    herIds: config.herIds,
    partners: config.partners,
    addressRegisterFile: config.addressRegisterFile,
    store: config.store.kind === 'sqlite' ? config.store : { kind: 'postgres', url: readSecret(config.store.url, 'store.postgres.url', env) },
    smtp: {
      listen: config.smtp.listen,
      mailbox: config.smtp.mailbox,
      ...(relay === undefined
        ? {}
        : { relay: { host: relay.host, port: relay.port, secure: relay.secure, ...(relay.user === undefined ? {} : { user: relay.user }), ...(relayPassword === undefined ? {} : { password: relayPassword }) } }),
    },
    credentials: {
      signing: loadCredential(config.credentials.signing, 'credentials.signing', env),
      encryption: loadCredential(config.credentials.encryption, 'credentials.encryption', env),
      previousEncryption: config.credentials.previousEncryption.map((c, i) => loadCredential(c, `credentials.previousEncryption[${String(i)}]`, env)),
      trustAnchorsPem: config.credentials.trustAnchorFiles.map((f, i) => readPublic(f, `credentials.trustAnchors[${String(i)}]`)),
    },
    policies: config.policies,
    engine: config.patientRefKey === undefined ? config.engine : { ...config.engine, patientRefKey: readSecret(config.patientRefKey, 'patientRefKey', env) },
    ...(config.epj === undefined
      ? {}
      : { epj: { patientLookup: { url: config.epj.patientLookup.url, timeoutMs: config.epj.patientLookup.timeoutMs, secret: readSecret(config.epj.patientLookup.secret, 'epj.patientLookup.secret', env) } } }),
    logger,
    clock,
  };
}

/**
 * The engine's factory from `@samhandling/messaging` (`createMessagingNode`), looked up at run
 * time so the apps build before the engine exports it.
 *
 * @throws AppError `ERR_APP_ENGINE_UNAVAILABLE` when the engine does not export it.
 */
export async function engineFactory(): Promise<NodeFactory> {
  const messaging = (await import('@samhandling/messaging')) as unknown as Record<string, unknown>;
  const create = messaging['createMessagingNode'];
  if (typeof create !== 'function') {
    throw new AppError('ERR_APP_ENGINE_UNAVAILABLE', '@samhandling/messaging does not export createMessagingNode: the engine is not built into this checkout');
  }
  return async (config) => {
    const deps: Record<string, unknown> = {};
    if (config.store.kind === 'postgres') {
      // The PostgreSQL adapter is its own package (it depends on the engine, not the reverse).
      const { openPostgresStore } = await import('@samhandling/store-postgres');
      deps['store'] = await openPostgresStore({ connectionString: config.store.url, clock: config.clock });
    }
    if (config.epj !== undefined) deps['epj'] = createHttpPatientLookup({ ...config.epj.patientLookup, clock: config.clock });
    return (create as (c: EngineConfig, d: Record<string, unknown>) => MessagingNode)(config, deps);
  };
}

/** Options of {@link openApp}. */
export interface OpenAppOptions {
  /** The validated configuration ({@link loadConfig}). */
  readonly config: AppConfig;
  /** Builds the engine; default {@link engineFactory}. */
  readonly factory?: NodeFactory;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: () => Date;
  /** Default: JSON lines on stdout at the configuration's `logLevel`. */
  readonly logger?: Logger;
  /** Passed to {@link createApp}. */
  readonly webhookRescanMs?: number;
  /** Passed to {@link createApp}. */
  readonly webhookBaseDelayMs?: number;
}

/** An app built from its configuration, not yet started. */
export interface OpenedApp {
  readonly app: App;
  /** The engine behind the app. */
  readonly node: MessagingNode;
  readonly logger: Logger;
  /** Reads the token file again (for a reload). */
  readTokens(): TokenEntry[];
}

/**
 * Reads the secrets, builds the engine and the app for a configuration, without listening and
 * without signal handlers (that is {@link runApp}); tests and embedding hosts use it directly.
 */
export async function openApp(options: OpenAppOptions): Promise<OpenedApp> {
  const { config } = options;
  const env = options.env ?? process.env;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? createLogger({ level: config.logLevel, base: { app: config.role } });
  const readTokens = (): TokenEntry[] => parseTokenFile(readSecret(config.auth.tokens, 'auth.tokens', env));
  const tokens = readTokens();
  const webhooks = config.webhooks.map((w, n) => ({ url: w.url, maxAttempts: w.maxAttempts, secret: readSecret(w.secret, `webhooks[${String(n)}].secret`, env) }));
  const factory = options.factory ?? (await engineFactory());
  const node = await factory(engineConfigOf(config, logger, clock, env));
  const app = createApp({
    config,
    node,
    tokens,
    webhooks,
    logger,
    clock,
    ...(options.webhookRescanMs === undefined ? {} : { webhookRescanMs: options.webhookRescanMs }),
    ...(options.webhookBaseDelayMs === undefined ? {} : { webhookBaseDelayMs: options.webhookBaseDelayMs }),
  });
  return { app, node, logger, readTokens };
}

/** Options of {@link runApp}. */
export interface RunAppOptions {
  /** Command-line arguments (without node and script). */
  readonly argv: readonly string[];
  /** The role this binary runs (the configuration must say the same). */
  readonly role: NodeRole;
  /** Builds the engine; default {@link engineFactory}. */
  readonly factory?: NodeFactory;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: () => Date;
}

/** Loads everything, starts, and returns the running app (signals stop it). */
export async function runApp(options: RunAppOptions): Promise<{ app: App; url: string; config: AppConfig }> {
  const argv = [...options.argv];
  const i = argv.indexOf('--config');
  const env = options.env ?? process.env;
  const file = i >= 0 ? argv[i + 1] : env['SAMHANDLING_CONFIG'];
  if (file === undefined || file === '') throw new TypeError('usage: main --config FILE (or set SAMHANDLING_CONFIG)');
  const config = loadConfig(file);
  if (config.role !== options.role) {
    throw new AppError('ERR_APP_CONFIG_INVALID', `${config.source}: role is ${config.role}, but this is the ${options.role} app`, { issues: [{ path: 'role', message: `must be ${options.role} for this app` }] });
  }
  const { app, logger, readTokens } = await openApp({
    config,
    env,
    ...(options.factory === undefined ? {} : { factory: options.factory }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const url = await app.start();
  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => {
    try {
      app.setTokens(readTokens());
      logger.info('token file reloaded');
    } catch (err) {
      logger.error('token file reload failed', { code: err instanceof AppError ? err.code : 'unknown' });
    }
  });
  return { app, url, config };
}

/** `main` for an app binary: runs, and prints configuration errors plainly. */
export function main(role: NodeRole, factory?: NodeFactory): void {
  runApp({ argv: process.argv.slice(2), role, ...(factory === undefined ? {} : { factory }) }).catch((err: unknown) => {
    if (err instanceof AppError || err instanceof TypeError) console.error(err.message);
    else console.error('failed to start:', err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
