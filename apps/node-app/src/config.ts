/**
 * The app's configuration: one YAML (or JSON, which is YAML) file, validated at start. Every
 * problem is reported with the field's dotted path. Secrets (private keys, passphrases, passwords,
 * database URLs with passwords, webhook secrets, the API token hashes) are never written in the
 * file itself: the file names a `{ file: PATH }` or `{ env: NAME }` reference and the app reads
 * it at start. Relative paths resolve against the configuration file's folder.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppError, type ConfigIssue } from './errors';

/** Which reference app this is. */
export type NodeRole = 'kommune' | 'sthf';

/** Where a secret comes from: a file (trailing newline trimmed) or an environment variable. */
export type SecretRef = { readonly file: string } | { readonly env: string };

/** One partner we exchange messages with. */
export interface PartnerConfig {
  readonly herId: number;
  readonly name: string;
}

/** One certificate with its private key (PEM files) and an optional key passphrase. */
export interface CredentialConfig {
  /** Absolute path of the PEM certificate (public: may be a plain path). */
  readonly certificateFile: string;
  readonly privateKey: SecretRef;
  readonly passphrase?: SecretRef;
}

/** Store: SQLite file or PostgreSQL URL (the URL is a secret). */
export type StoreConfig = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: SecretRef };

/** ebXML over SMTP: where we receive, and where we send through (default: directly to the receiver's host from the address register). */
export interface SmtpConfig {
  readonly listen: { readonly host: string; readonly port: number };
  /** Our mailbox (the RCPT TO partners use; also in the address register). */
  readonly mailbox: string;
  /** Optional relay for sending; otherwise each receiver's host from the address register. */
  readonly relay?: { readonly host: string; readonly port: number; readonly user?: string; readonly password?: SecretRef; readonly secure: boolean };
}

/** One webhook that receives incoming messages for the EPJ. */
export interface WebhookConfig {
  readonly url: string;
  /** HMAC-SHA256 key for the `X-Samhandling-Signature` header. */
  readonly secret: SecretRef;
  /** Attempts before the delivery waits for the next rescan. */
  readonly maxAttempts: number;
}

/** The EPJ's patient lookup endpoint (see `epj.ts`). */
export interface EpjConfig {
  readonly patientLookup: {
    readonly url: string;
    /** HMAC-SHA256 key of the `X-Samhandling-Signature` header. */
    readonly secret: SecretRef;
    readonly timeoutMs: number;
  };
}

/** Deadlines and policies (DOMAIN: unverified facts are configurable here). */
export interface PolicyConfig {
  /** Alarm when an AppRec has not arrived after this many minutes (DOMAIN §5: default 60). */
  readonly receiptDeadlineMinutes: number;
  /** Notify the meldingsansvarlig when exchange with a partner is down this long (DOMAIN §8: default 4). */
  readonly downtimeThresholdHours: number;
  /** The municipality's answer to LOG_UTSKRIVNINGSKLAR (DOMAIN §3, unverified): default DIALOG_FORESPORSEL. */
  readonly answerMessageType: 'DIALOG_FORESPORSEL' | 'DIALOG_SVAR';
  /** MsgInfo/ProcessingStatus: P production, D debugging, T training. */
  readonly processingStatus: 'P' | 'D' | 'T';
  /** Synthetic test persons (month + 80) are accepted only when true. */
  readonly testEnvironment: boolean;
  /** Passed to the procedure (payment start rule, daily rates, …) unchanged. */
  readonly procedure: Readonly<Record<string, unknown>>;
}

/** The validated configuration. Paths are absolute; secrets are still references. */
export interface AppConfig {
  /** The configuration file's absolute path. */
  readonly source: string;
  readonly role: NodeRole;
  /** Our organisation's name, shown in the UI. */
  readonly name: string;
  readonly herIds: {
    /** The default sending HER-id (the service address). */
    readonly main: number;
    /** The organisation's HER-id (the parent). */
    readonly organisation: number;
    /** Every HER-id we receive for (main and organisation included). */
    readonly all: readonly number[];
  };
  readonly partners: readonly PartnerConfig[];
  /** Absolute path of the address register JSON file (the engine's local adapter reads it). */
  readonly addressRegisterFile: string;
  readonly store: StoreConfig;
  readonly smtp: SmtpConfig;
  readonly credentials: {
    readonly signing: CredentialConfig;
    readonly encryption: CredentialConfig;
    /** Older decryption keys kept during a certificate rollover. */
    readonly previousEncryption: readonly CredentialConfig[];
    /** PEM files of the trust anchors for partner certificates. */
    readonly trustAnchorFiles: readonly string[];
  };
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Maximum request body in bytes. */
    readonly bodyLimitBytes: number;
    /** Maximum nesting depth of a JSON body. */
    readonly maxJsonDepth: number;
    /** Set the cookie's Secure flag (behind TLS). */
    readonly secureCookies: boolean;
  };
  readonly auth: {
    /** The token file: one `clientId role sha256:HEX` line per client (see `samhandling-app token create`). */
    readonly tokens: SecretRef;
    readonly sessionTtlMinutes: number;
  };
  readonly webhooks: readonly WebhookConfig[];
  /** The receiving EPJ's patient lookup (absent: every patient counts as known). */
  readonly epj?: EpjConfig;
  readonly policies: PolicyConfig;
  /** Further engine options, passed through unchanged. */
  readonly engine: Readonly<Record<string, unknown>>;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Key of the pseudonymous patient references in the engine's tables and audit log (a secret). */
  readonly patientRefKey?: SecretRef;
}

const TOP_KEYS = [
  '$comment',
  'role',
  'name',
  'herIds',
  'partners',
  'addressRegister',
  'store',
  'smtp',
  'credentials',
  'http',
  'auth',
  'webhooks',
  'epj',
  'policies',
  'engine',
  'logLevel',
  'patientRefKey',
];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly issues: ConfigIssue[] = [];
  constructor(readonly baseDir: string) {}

  issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  obj(o: Obj, key: string, path: string, required = true): Obj | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.issue(path, 'is required');
      return undefined;
    }
    if (!isObj(v)) {
      this.issue(path, 'must be a mapping (object)');
      return undefined;
    }
    return v;
  }

  known(o: Obj, keys: readonly string[], path: string): void {
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.issue(path === '' ? k : `${path}.${k}`, 'unknown field');
  }

  str(o: Obj, key: string, path: string, required = true): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.issue(path, 'is required');
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      this.issue(path, 'must be a non-empty string');
      return undefined;
    }
    return v;
  }

  int(o: Obj, key: string, path: string, min: number, max: number, fallback?: number): number {
    const v = o[key];
    if (v === undefined) {
      if (fallback === undefined) this.issue(path, 'is required');
      return fallback ?? min;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.issue(path, `must be an integer from ${String(min)} to ${String(max)}`);
      return fallback ?? min;
    }
    return v;
  }

  bool(o: Obj, key: string, path: string, fallback: boolean): boolean {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.issue(path, 'must be true or false');
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[], fallback?: T): T {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.issue(path, v === undefined ? `is required (one of ${values.join(', ')})` : `must be one of ${values.join(', ')}`);
      return fallback ?? (values[0] as T);
    }
    return v as T;
  }

  herId(v: unknown, path: string): number {
    if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 2147483647) return v;
    if (typeof v === 'string' && /^[1-9][0-9]{0,9}$/.test(v)) return Number(v);
    this.issue(path, 'must be a HER-id (a positive whole number)');
    return 0;
  }

  file(o: Obj, key: string, path: string, required = true): string | undefined {
    const v = this.str(o, key, path, required);
    return v === undefined ? undefined : this.abs(v);
  }

  abs(p: string): string {
    return isAbsolute(p) ? p : resolve(this.baseDir, p);
  }

  /** A secret reference: `{ file }` or `{ env }`; an inline string is refused. */
  secret(o: Obj, key: string, path: string, required = true): SecretRef | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.issue(path, 'is required: { file: PATH } or { env: NAME }');
      return undefined;
    }
    if (typeof v === 'string') {
      this.issue(path, 'secrets are never written in the configuration: use { file: PATH } or { env: NAME }');
      return undefined;
    }
    if (!isObj(v) || Object.keys(v).length !== 1 || !(typeof v['file'] === 'string' || typeof v['env'] === 'string')) {
      this.issue(path, 'must be { file: PATH } or { env: NAME }');
      return undefined;
    }
    if (typeof v['file'] === 'string') return { file: this.abs(v['file']) };
    const env = v['env'] as string;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) {
      this.issue(`${path}.env`, 'must be an environment variable name');
      return undefined;
    }
    return { env };
  }

  credential(o: Obj | undefined, path: string): CredentialConfig | undefined {
    if (o === undefined) return undefined;
    this.known(o, ['certificate', 'privateKey', 'passphrase'], path);
    const certificateFile = this.file(o, 'certificate', `${path}.certificate`);
    const privateKey = this.secret(o, 'privateKey', `${path}.privateKey`);
    const passphrase = this.secret(o, 'passphrase', `${path}.passphrase`, false);
    if (certificateFile === undefined || privateKey === undefined) return undefined;
    return { certificateFile, privateKey, ...(passphrase === undefined ? {} : { passphrase }) };
  }
}

const PLACEHOLDER_CREDENTIAL: CredentialConfig = { certificateFile: '', privateKey: { env: 'UNSET' } };

/**
 * Validates a parsed configuration document. Relative paths resolve against `baseDir`.
 *
 * @throws AppError `ERR_APP_CONFIG_INVALID` listing every issue with its field.
 */
export function validateConfig(doc: unknown, source: string): AppConfig {
  const c = new Checker(dirname(source));
  if (!isObj(doc)) {
    throw new AppError('ERR_APP_CONFIG_INVALID', `${source}: the configuration must be a mapping (object)`, { issues: [{ path: '', message: 'must be a mapping (object)' }] });
  }
  c.known(doc, TOP_KEYS, '');
  const role = c.oneOf<NodeRole>(doc, 'role', 'role', ['kommune', 'sthf']);
  const name = c.str(doc, 'name', 'name') ?? '';

  const h = c.obj(doc, 'herIds', 'herIds');
  let herIds: AppConfig['herIds'] = { main: 0, organisation: 0, all: [] };
  if (h !== undefined) {
    c.known(h, ['main', 'organisation', 'others'], 'herIds');
    const main = h['main'] === undefined ? (c.issue('herIds.main', 'is required'), 0) : c.herId(h['main'], 'herIds.main');
    const organisation = h['organisation'] === undefined ? (c.issue('herIds.organisation', 'is required'), 0) : c.herId(h['organisation'], 'herIds.organisation');
    const others: number[] = [];
    if (h['others'] !== undefined) {
      if (!Array.isArray(h['others'])) c.issue('herIds.others', 'must be a list of HER-ids');
      else h['others'].forEach((v: unknown, i) => others.push(c.herId(v, `herIds.others[${String(i)}]`)));
    }
    herIds = { main, organisation, all: [...new Set([main, organisation, ...others])] };
  }

  const partners: PartnerConfig[] = [];
  if (!Array.isArray(doc['partners']) || doc['partners'].length === 0) c.issue('partners', 'must be a non-empty list of { herId, name }');
  else {
    doc['partners'].forEach((p: unknown, i) => {
      const path = `partners[${String(i)}]`;
      if (!isObj(p)) return c.issue(path, 'must be a mapping { herId, name }');
      c.known(p, ['herId', 'name'], path);
      const herId = p['herId'] === undefined ? (c.issue(`${path}.herId`, 'is required'), 0) : c.herId(p['herId'], `${path}.herId`);
      const pname = c.str(p, 'name', `${path}.name`) ?? '';
      if (herIds.all.includes(herId)) c.issue(`${path}.herId`, 'is one of our own HER-ids');
      partners.push({ herId, name: pname });
      return undefined;
    });
  }

  const ar = c.obj(doc, 'addressRegister', 'addressRegister');
  let addressRegisterFile = '';
  if (ar !== undefined) {
    c.known(ar, ['file'], 'addressRegister');
    addressRegisterFile = c.file(ar, 'file', 'addressRegister.file') ?? '';
  }

  const s = c.obj(doc, 'store', 'store');
  let store: StoreConfig = { kind: 'sqlite', path: '' };
  if (s !== undefined) {
    c.known(s, ['sqlite', 'postgres'], 'store');
    if ((s['sqlite'] === undefined) === (s['postgres'] === undefined)) c.issue('store', 'must name exactly one of sqlite (a file path) or postgres ({ url: { env | file } })');
    else if (s['sqlite'] !== undefined) {
      const p = c.file(s, 'sqlite', 'store.sqlite');
      if (p !== undefined) store = { kind: 'sqlite', path: p };
    } else {
      const pg = c.obj(s, 'postgres', 'store.postgres');
      if (pg !== undefined) {
        c.known(pg, ['url'], 'store.postgres');
        const url = c.secret(pg, 'url', 'store.postgres.url');
        if (url !== undefined) store = { kind: 'postgres', url };
      }
    }
  }

  const sm = c.obj(doc, 'smtp', 'smtp');
  let smtp: SmtpConfig = { listen: { host: '127.0.0.1', port: 0 }, mailbox: '' };
  if (sm !== undefined) {
    c.known(sm, ['listen', 'mailbox', 'relay'], 'smtp');
    const l = c.obj(sm, 'listen', 'smtp.listen');
    const listen = l === undefined ? smtp.listen : (c.known(l, ['host', 'port'], 'smtp.listen'), { host: c.str(l, 'host', 'smtp.listen.host', false) ?? '127.0.0.1', port: c.int(l, 'port', 'smtp.listen.port', 0, 65535) });
    const mailbox = c.str(sm, 'mailbox', 'smtp.mailbox') ?? '';
    if (mailbox !== '' && !/^[^@\s]+@[^@\s]+$/.test(mailbox)) c.issue('smtp.mailbox', 'must be an e-mail address');
    const r = c.obj(sm, 'relay', 'smtp.relay', false);
    let relay: SmtpConfig['relay'];
    if (r !== undefined) {
      c.known(r, ['host', 'port', 'user', 'password', 'secure'], 'smtp.relay');
      const user = c.str(r, 'user', 'smtp.relay.user', false);
      const password = c.secret(r, 'password', 'smtp.relay.password', false);
      relay = {
        host: c.str(r, 'host', 'smtp.relay.host') ?? '',
        port: c.int(r, 'port', 'smtp.relay.port', 1, 65535),
        secure: c.bool(r, 'secure', 'smtp.relay.secure', false),
        ...(user === undefined ? {} : { user }),
        ...(password === undefined ? {} : { password }),
      };
    }
    smtp = { listen, mailbox, ...(relay === undefined ? {} : { relay }) };
  }

  const cr = c.obj(doc, 'credentials', 'credentials');
  let credentials: AppConfig['credentials'] = { signing: PLACEHOLDER_CREDENTIAL, encryption: PLACEHOLDER_CREDENTIAL, previousEncryption: [], trustAnchorFiles: [] };
  if (cr !== undefined) {
    c.known(cr, ['signing', 'encryption', 'previousEncryption', 'trustAnchors'], 'credentials');
    const signing = c.credential(c.obj(cr, 'signing', 'credentials.signing'), 'credentials.signing');
    const encryption = c.credential(c.obj(cr, 'encryption', 'credentials.encryption'), 'credentials.encryption');
    const previousEncryption: CredentialConfig[] = [];
    if (cr['previousEncryption'] !== undefined) {
      if (!Array.isArray(cr['previousEncryption'])) c.issue('credentials.previousEncryption', 'must be a list');
      else
        cr['previousEncryption'].forEach((e: unknown, i) => {
          const path = `credentials.previousEncryption[${String(i)}]`;
          const got = c.credential(isObj(e) ? e : (c.issue(path, 'must be a mapping'), undefined), path);
          if (got !== undefined) previousEncryption.push(got);
        });
    }
    const trustAnchorFiles: string[] = [];
    if (!Array.isArray(cr['trustAnchors']) || cr['trustAnchors'].length === 0) c.issue('credentials.trustAnchors', 'must be a non-empty list of PEM files');
    else
      cr['trustAnchors'].forEach((t: unknown, i) => {
        if (typeof t !== 'string' || t === '') c.issue(`credentials.trustAnchors[${String(i)}]`, 'must be a file path');
        else trustAnchorFiles.push(c.abs(t));
      });
    credentials = { signing: signing ?? PLACEHOLDER_CREDENTIAL, encryption: encryption ?? PLACEHOLDER_CREDENTIAL, previousEncryption, trustAnchorFiles };
  }

  const ht = c.obj(doc, 'http', 'http');
  let http: AppConfig['http'] = { host: '127.0.0.1', port: 0, bodyLimitBytes: 1_048_576, maxJsonDepth: 32, secureCookies: false };
  if (ht !== undefined) {
    c.known(ht, ['host', 'port', 'bodyLimitBytes', 'maxJsonDepth', 'secureCookies'], 'http');
    http = {
      host: c.str(ht, 'host', 'http.host', false) ?? '127.0.0.1',
      port: c.int(ht, 'port', 'http.port', 0, 65535),
      bodyLimitBytes: c.int(ht, 'bodyLimitBytes', 'http.bodyLimitBytes', 1024, 50 * 1024 * 1024, 1_048_576),
      maxJsonDepth: c.int(ht, 'maxJsonDepth', 'http.maxJsonDepth', 2, 256, 32),
      secureCookies: c.bool(ht, 'secureCookies', 'http.secureCookies', false),
    };
  }

  const au = c.obj(doc, 'auth', 'auth');
  let auth: AppConfig['auth'] = { tokens: { env: 'UNSET' }, sessionTtlMinutes: 480 };
  if (au !== undefined) {
    c.known(au, ['tokens', 'sessionTtlMinutes'], 'auth');
    const tokens = c.secret(au, 'tokens', 'auth.tokens');
    auth = { tokens: tokens ?? auth.tokens, sessionTtlMinutes: c.int(au, 'sessionTtlMinutes', 'auth.sessionTtlMinutes', 1, 7 * 24 * 60, 480) };
  }

  const webhooks: WebhookConfig[] = [];
  if (doc['webhooks'] !== undefined) {
    if (!Array.isArray(doc['webhooks'])) c.issue('webhooks', 'must be a list');
    else
      doc['webhooks'].forEach((w: unknown, i) => {
        const path = `webhooks[${String(i)}]`;
        if (!isObj(w)) return c.issue(path, 'must be a mapping { url, secret }');
        c.known(w, ['url', 'secret', 'maxAttempts'], path);
        const url = c.str(w, 'url', `${path}.url`);
        if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) c.issue(`${path}.url`, 'must be an http(s) URL');
        const secret = c.secret(w, 'secret', `${path}.secret`);
        const maxAttempts = c.int(w, 'maxAttempts', `${path}.maxAttempts`, 1, 100, 8);
        if (url !== undefined && secret !== undefined) webhooks.push({ url, secret, maxAttempts });
        return undefined;
      });
  }

  let epj: EpjConfig | undefined;
  const ep = c.obj(doc, 'epj', 'epj', false);
  if (ep !== undefined) {
    c.known(ep, ['patientLookup'], 'epj');
    const pl = c.obj(ep, 'patientLookup', 'epj.patientLookup');
    if (pl !== undefined) {
      c.known(pl, ['url', 'secret', 'timeoutMs'], 'epj.patientLookup');
      const url = c.str(pl, 'url', 'epj.patientLookup.url');
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) c.issue('epj.patientLookup.url', 'must be an http(s) URL');
      const secret = c.secret(pl, 'secret', 'epj.patientLookup.secret');
      const timeoutMs = c.int(pl, 'timeoutMs', 'epj.patientLookup.timeoutMs', 100, 60_000, 5000);
      if (url !== undefined && secret !== undefined) epj = { patientLookup: { url, secret, timeoutMs } };
    }
  }

  const po = c.obj(doc, 'policies', 'policies', false) ?? {};
  c.known(po, ['receiptDeadlineMinutes', 'downtimeThresholdHours', 'answerMessageType', 'processingStatus', 'testEnvironment', 'procedure'], 'policies');
  const procedure = po['procedure'] === undefined ? {} : isObj(po['procedure']) ? po['procedure'] : (c.issue('policies.procedure', 'must be a mapping'), {});
  const policies: PolicyConfig = {
    receiptDeadlineMinutes: c.int(po, 'receiptDeadlineMinutes', 'policies.receiptDeadlineMinutes', 1, 7 * 24 * 60, 60),
    downtimeThresholdHours: c.int(po, 'downtimeThresholdHours', 'policies.downtimeThresholdHours', 1, 14 * 24, 4),
    answerMessageType: c.oneOf(po, 'answerMessageType', 'policies.answerMessageType', ['DIALOG_FORESPORSEL', 'DIALOG_SVAR'], 'DIALOG_FORESPORSEL'),
    processingStatus: c.oneOf(po, 'processingStatus', 'policies.processingStatus', ['P', 'D', 'T'], 'P'),
    testEnvironment: c.bool(po, 'testEnvironment', 'policies.testEnvironment', false),
    procedure,
  };
  const engine = doc['engine'] === undefined ? {} : isObj(doc['engine']) ? doc['engine'] : (c.issue('engine', 'must be a mapping'), {});
  const logLevel = c.oneOf(doc, 'logLevel', 'logLevel', ['debug', 'info', 'warn', 'error'], 'info');
  const patientRefKey = c.secret(doc, 'patientRefKey', 'patientRefKey', false);

  if (c.issues.length > 0) {
    const lines = c.issues.map((i) => `  ${i.path === '' ? '(root)' : i.path}: ${i.message}`);
    throw new AppError('ERR_APP_CONFIG_INVALID', `${source}: ${String(c.issues.length)} problem(s) in the configuration:\n${lines.join('\n')}`, { issues: c.issues });
  }
  return {
    source,
    role,
    name,
    herIds,
    partners,
    addressRegisterFile,
    store,
    smtp,
    credentials,
    http,
    auth,
    webhooks,
    ...(epj === undefined ? {} : { epj }),
    policies,
    engine,
    logLevel,
    ...(patientRefKey === undefined ? {} : { patientRefKey }),
  };
}

/**
 * Reads, parses (YAML 1.2; JSON is accepted as YAML) and validates a configuration file.
 *
 * @throws AppError `ERR_APP_CONFIG_UNREADABLE` or `ERR_APP_CONFIG_INVALID`.
 */
export function loadConfig(file: string): AppConfig {
  const source = resolve(file);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (cause) {
    throw new AppError('ERR_APP_CONFIG_UNREADABLE', `${source}: cannot read the configuration file`, { cause });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 50, prettyErrors: true });
  } catch (cause) {
    throw new AppError('ERR_APP_CONFIG_UNREADABLE', `${source}: not valid YAML/JSON: ${(cause as Error).message}`, { cause });
  }
  return validateConfig(doc, source);
}

/**
 * Reads a secret from its file (one trailing newline removed) or environment variable.
 *
 * @param field the configuration field, named in the error.
 * @throws AppError `ERR_APP_SECRET_UNAVAILABLE` naming the field (never the secret).
 */
export function readSecret(ref: SecretRef, field: string, env: NodeJS.ProcessEnv = process.env): string {
  if ('file' in ref) {
    try {
      return readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
    } catch (cause) {
      throw new AppError('ERR_APP_SECRET_UNAVAILABLE', `${field}: cannot read the secret file ${ref.file}`, { cause });
    }
  }
  const v = env[ref.env];
  if (v === undefined || v === '') throw new AppError('ERR_APP_SECRET_UNAVAILABLE', `${field}: the environment variable ${ref.env} is not set`);
  return v;
}
