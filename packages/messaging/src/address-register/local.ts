/**
 * The local address register: parties from a validated JSON file (reloaded when its mtime
 * changes, or on `reload()`) or from an in-memory list.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Certificate } from '@samhandling/cms';
import { AddressRegisterError } from './errors';
import type { AddressRegister, Party, ResolvedParty } from './types';
import { validateAddressRegister } from './validate';

/** Options of {@link createLocalAddressRegister}. Give exactly one of `file` and `parties`. */
export interface LocalAddressRegisterOptions {
  /** Path of the JSON register file (docs/address-register.md). */
  readonly file?: string;
  /** Register data as it would be in the file (`{ version: 1, parties }` or the parties array). */
  readonly parties?: unknown;
  /** Clock, for throttling the file mtime check. Default: system clock. */
  readonly clock?: () => Date;
  /** Check the file's mtime at most this often (ms). Default 1000; 0 checks on every lookup. */
  readonly checkIntervalMs?: number;
  /** Called when an automatic reload finds the changed file invalid; the last valid data stays in use. */
  readonly onReloadError?: (error: AddressRegisterError) => void;
}

/** The local adapter: the port plus `reload()` and `parties()`. */
export interface LocalAddressRegister extends AddressRegister {
  /** Re-reads the file now (or re-validates the list); throws ERR_AR_UNREADABLE / ERR_AR_INVALID and keeps the old data then. */
  reload(): void;
  /** Every registered party (as registered). */
  parties(): readonly Party[];
}

/** Walks from `herId` up through the parents; yields each party (the party first). */
async function* lineage(lookup: (herId: string) => Promise<Party | undefined>, herId: string): AsyncGenerator<Party> {
  const seen = new Set<string>();
  let current = await lookup(herId);
  if (current === undefined) throw new AddressRegisterError('ERR_AR_UNKNOWN_PARTY', `unknown HER-id ${herId}`, { herId });
  while (current !== undefined && !seen.has(current.herId)) {
    seen.add(current.herId);
    yield current;
    current = current.parentHerId === undefined ? undefined : await lookup(current.parentHerId);
  }
}

/**
 * Resolves a party with inheritance over any lookup function (for adapters other than the local
 * one): the nearest transport address, certificates, message types, AppRec version, CMS profile
 * and meldingsansvarlig. Throws ERR_AR_UNKNOWN_PARTY or ERR_AR_NO_TRANSPORT.
 */
export async function resolvePartyWith(lookup: (herId: string) => Promise<Party | undefined>, herId: string): Promise<ResolvedParty> {
  let party: Party | undefined;
  let endpoint: Party | undefined;
  let signingCertificate: Certificate | undefined;
  let encryptionCertificate: Certificate | undefined;
  let messageTypes: Party['messageTypes'] | undefined;
  let appRecVersion: Party['appRecVersion'];
  let cmsProfile: Party['cmsProfile'];
  let meldingsansvarlig: Party['meldingsansvarlig'];
  for await (const p of lineage(lookup, herId)) {
    party ??= p;
    if (endpoint === undefined && p.transport !== undefined) endpoint = p;
    signingCertificate ??= p.signingCertificate;
    encryptionCertificate ??= p.encryptionCertificate;
    if (messageTypes === undefined && p.messageTypes.length > 0) messageTypes = p.messageTypes;
    appRecVersion ??= p.appRecVersion;
    cmsProfile ??= p.cmsProfile;
    meldingsansvarlig ??= p.meldingsansvarlig;
  }
  if (party === undefined) throw new AddressRegisterError('ERR_AR_UNKNOWN_PARTY', `unknown HER-id ${herId}`, { herId });
  if (endpoint?.transport === undefined) throw new AddressRegisterError('ERR_AR_NO_TRANSPORT', `no transport address for HER-id ${herId}`, { herId });
  return {
    party,
    endpoint,
    transport: endpoint.transport,
    signingCertificate,
    encryptionCertificate,
    messageTypes: messageTypes ?? [],
    appRecVersion: appRecVersion ?? '1.0',
    cmsProfile: cmsProfile ?? 'default',
    meldingsansvarlig,
  };
}

/** The nearest certificate of a kind over any lookup function. Throws ERR_AR_UNKNOWN_PARTY or ERR_AR_NO_CERTIFICATE. */
export async function certificateWith(
  lookup: (herId: string) => Promise<Party | undefined>,
  herId: string,
  which: 'signingCertificate' | 'encryptionCertificate',
): Promise<Certificate> {
  for await (const p of lineage(lookup, herId)) {
    const cert = p[which];
    if (cert !== undefined) return cert;
  }
  throw new AddressRegisterError('ERR_AR_NO_CERTIFICATE', `no ${which === 'signingCertificate' ? 'signing' : 'encryption'} certificate for HER-id ${herId}`, { herId });
}

function readRegisterFile(file: string): Party[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AddressRegisterError('ERR_AR_UNREADABLE', `cannot read address register file ${file}`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AddressRegisterError('ERR_AR_UNREADABLE', `address register file ${file} is not JSON`, { cause: err });
  }
  return validateAddressRegister(data, { baseDir: dirname(file) });
}

function fileMtime(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Creates the local address register. The data is validated at once (throws ERR_AR_INVALID /
 * ERR_AR_UNREADABLE). With `file`, lookups re-read it when its mtime changed (checked at most
 * every `checkIntervalMs`).
 */
export function createLocalAddressRegister(options: LocalAddressRegisterOptions): LocalAddressRegister {
  const { file } = options;
  if ((file === undefined) === (options.parties === undefined)) throw new TypeError('give exactly one of file and parties');
  const clock = options.clock ?? (() => new Date());
  const interval = options.checkIntervalMs ?? 1000;
  if (!(interval >= 0)) throw new RangeError('checkIntervalMs must be >= 0');

  let byHer = new Map<string, Party>();
  let mtime: number | undefined;
  let lastCheck = -Infinity;

  const load = (): void => {
    const before = file === undefined ? undefined : fileMtime(file);
    const list = file === undefined ? validateAddressRegister(options.parties) : readRegisterFile(file);
    byHer = new Map(list.map((p) => [p.herId, p]));
    mtime = before;
    lastCheck = clock().getTime();
  };
  load();

  const refresh = (): void => {
    if (file === undefined) return;
    const now = clock().getTime();
    if (now - lastCheck < interval) return;
    lastCheck = now;
    const current = fileMtime(file);
    if (current === mtime) return;
    try {
      load();
    } catch (err) {
      mtime = current; // do not retry the same broken version on every lookup
      if (err instanceof AddressRegisterError) options.onReloadError?.(err);
      else throw err;
    }
  };

  const lookup = (herId: string): Promise<Party | undefined> => {
    if (typeof herId !== 'string') return Promise.reject(new TypeError('herId must be a string'));
    refresh();
    return Promise.resolve(byHer.get(herId));
  };

  return {
    lookup,
    resolveReceiver: (herId) => resolvePartyWith(lookup, herId),
    signingCertificateFor: (herId) => certificateWith(lookup, herId, 'signingCertificate'),
    encryptionCertificateFor: (herId) => certificateWith(lookup, herId, 'encryptionCertificate'),
    reload: load,
    parties: () => [...byHer.values()],
  };
}
