/**
 * Validation of address register data (the JSON file format of docs/address-register.md).
 * Collects every issue with its path, then throws once.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseCertificate, type Certificate, type CmsProfileName } from '@samhandling/cms';
import { AddressRegisterError, type AddressRegisterIssue } from './errors';
import type { MessagingContact, Party, PartyKind, SupportedMessageType, TransportAddress } from './types';

/** The file format version this code reads. */
export const ADDRESS_REGISTER_FORMAT_VERSION = 1;

const PARTY_KEYS = new Set([
  'herId',
  'name',
  'kind',
  'parentHerId',
  'organisationNumber',
  'transport',
  'signingCertificate',
  'encryptionCertificate',
  'messageTypes',
  'appRecVersion',
  'cmsProfile',
  'meldingsansvarlig',
]);
const KINDS: readonly PartyKind[] = ['organisation', 'service', 'person'];
const CMS_PROFILE_NAMES: readonly CmsProfileName[] = ['default', 'oaep', 'modern'];

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Options of {@link validateAddressRegister}. */
export interface ValidateAddressRegisterOptions {
  /** Folder against which `{ "file": "…" }` certificate references resolve (the register file's folder). Without it, file references are refused. */
  readonly baseDir?: string;
}

/**
 * Validates register data (`{ version: 1, parties: [...] }`, or the bare parties array) and
 * returns the parties. Throws AddressRegisterError ERR_AR_INVALID listing every issue.
 */
export function validateAddressRegister(data: Json, options: ValidateAddressRegisterOptions = {}): Party[] {
  const issues: AddressRegisterIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  let list: Json = data;
  if (isObject(data)) {
    for (const key of Object.keys(data)) if (key !== 'version' && key !== 'parties' && key !== '$comment') issue(key, 'unknown field');
    if (data['version'] !== ADDRESS_REGISTER_FORMAT_VERSION) issue('version', `must be ${ADDRESS_REGISTER_FORMAT_VERSION}`);
    list = data['parties'];
    if (!Array.isArray(list)) {
      issue('parties', 'must be an array');
      throw new AddressRegisterError('ERR_AR_INVALID', undefined, { issues });
    }
  } else if (!Array.isArray(data)) {
    throw new AddressRegisterError('ERR_AR_INVALID', undefined, { issues: [{ path: '', message: 'must be an object with version and parties, or an array of parties' }] });
  }
  const parties: Party[] = [];
  const arr = list as Json[];
  const prefix = isObject(data) ? 'parties' : '';

  const str = (o: Record<string, Json>, key: string, path: string, required: boolean, pattern?: RegExp, hint?: string): string | undefined => {
    const v = o[key];
    if (v === undefined) {
      if (required) issue(`${path}.${key}`, 'is required');
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      issue(`${path}.${key}`, 'must be a non-empty string');
      return undefined;
    }
    if (pattern !== undefined && !pattern.test(v)) {
      issue(`${path}.${key}`, hint ?? `must match ${String(pattern)}`);
      return undefined;
    }
    return v;
  };

  const certificate = (o: Record<string, Json>, key: string, path: string, purpose: 'sign' | 'encrypt'): Certificate | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    let pem: string | undefined;
    if (typeof v === 'string') pem = v;
    else if (isObject(v) && typeof v['file'] === 'string' && Object.keys(v).length === 1) {
      if (options.baseDir === undefined && !isAbsolute(v['file'])) {
        issue(`${path}.${key}.file`, 'a relative certificate file needs a register file to resolve against');
        return undefined;
      }
      try {
        pem = readFileSync(resolve(options.baseDir ?? '/', v['file']), 'utf8');
      } catch {
        issue(`${path}.${key}.file`, 'cannot be read');
        return undefined;
      }
    } else {
      issue(`${path}.${key}`, 'must be a PEM string or { "file": "path.pem" }');
      return undefined;
    }
    let cert: Certificate;
    try {
      cert = parseCertificate(pem);
    } catch {
      issue(`${path}.${key}`, 'is not a readable X.509 certificate');
      return undefined;
    }
    const ku = cert.keyUsage ?? [];
    if (purpose === 'sign' && !ku.includes('digitalSignature') && !ku.includes('nonRepudiation')) issue(`${path}.${key}`, 'keyUsage allows no signing');
    if (purpose === 'encrypt' && !ku.includes('keyEncipherment')) issue(`${path}.${key}`, 'keyUsage lacks keyEncipherment');
    return cert;
  };

  arr.forEach((raw, i) => {
    const path = `${prefix}[${i}]`;
    if (!isObject(raw)) {
      issue(path, 'must be an object');
      return;
    }
    for (const key of Object.keys(raw)) if (!PARTY_KEYS.has(key)) issue(`${path}.${key}`, 'unknown field');
    const herId = str(raw, 'herId', path, true, /^[1-9]\d{0,11}$/, 'must be a HER-id (digits, no leading zero)');
    const name = str(raw, 'name', path, true);
    const kindRaw = str(raw, 'kind', path, true);
    const kind = kindRaw !== undefined && (KINDS as readonly string[]).includes(kindRaw) ? (kindRaw as PartyKind) : undefined;
    if (kindRaw !== undefined && kind === undefined) issue(`${path}.kind`, `must be one of ${KINDS.join(', ')}`);
    const parentHerId = str(raw, 'parentHerId', path, false, /^[1-9]\d{0,11}$/, 'must be a HER-id');
    if ((kind === 'service' || kind === 'person') && raw['parentHerId'] === undefined) issue(`${path}.parentHerId`, `is required for a ${kind}`);
    const organisationNumber = str(raw, 'organisationNumber', path, false, /^\d{9}$/, 'must be 9 digits');

    let transport: TransportAddress | undefined;
    const t = raw['transport'];
    if (t !== undefined) {
      const tp = `${path}.transport`;
      if (!isObject(t)) issue(tp, 'must be an object');
      else if (t['kind'] === 'smtp') {
        for (const key of Object.keys(t)) if (!['kind', 'host', 'port', 'mailbox'].includes(key)) issue(`${tp}.${key}`, 'unknown field');
        const host = str(t, 'host', tp, true, /^[A-Za-z0-9.:[\]-]{1,253}$/, 'must be a host name or IP address');
        const mailbox = str(t, 'mailbox', tp, true, /^[^\s@<>]+@[^\s@<>]+$/, 'must be a mailbox (local@domain)');
        const port = t['port'];
        const portOk = Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535;
        if (!portOk) issue(`${tp}.port`, 'must be an integer 1–65535');
        if (host !== undefined && mailbox !== undefined && portOk) transport = { kind: 'smtp', host, port: port as number, mailbox };
      } else if (t['kind'] === 'edi2') {
        for (const key of Object.keys(t)) if (key !== 'kind') issue(`${tp}.${key}`, 'unknown field');
        transport = { kind: 'edi2' };
      } else issue(`${tp}.kind`, 'must be "smtp" or "edi2"');
    }

    const signingCertificate = certificate(raw, 'signingCertificate', path, 'sign');
    const encryptionCertificate = certificate(raw, 'encryptionCertificate', path, 'encrypt');

    const messageTypes: SupportedMessageType[] = [];
    const mt = raw['messageTypes'];
    if (mt !== undefined) {
      if (!Array.isArray(mt)) issue(`${path}.messageTypes`, 'must be an array');
      else
        mt.forEach((m: Json, j: number) => {
          const mp = `${path}.messageTypes[${j}]`;
          if (!isObject(m)) {
            issue(mp, 'must be an object');
            return;
          }
          for (const key of Object.keys(m)) if (key !== 'type' && key !== 'versions') issue(`${mp}.${key}`, 'unknown field');
          const type = str(m, 'type', mp, true, /^[A-Z][A-Z0-9_]*$/, 'must be a kodeverk 8279 code');
          const versions = m['versions'];
          const versionsOk = Array.isArray(versions) && versions.length > 0 && versions.every((v) => typeof v === 'string' && /^\d+(\.\d+)*$/.test(v));
          if (!versionsOk) issue(`${mp}.versions`, 'must be a non-empty array of version strings like "1.6"');
          if (type !== undefined && versionsOk) messageTypes.push({ type, versions: [...(versions as string[])] });
        });
    }

    const appRec = raw['appRecVersion'];
    if (appRec !== undefined && appRec !== '1.0' && appRec !== '1.1') issue(`${path}.appRecVersion`, 'must be "1.0" or "1.1"');
    const cms = raw['cmsProfile'];
    if (cms !== undefined && !(CMS_PROFILE_NAMES as readonly unknown[]).includes(cms)) issue(`${path}.cmsProfile`, `must be one of ${CMS_PROFILE_NAMES.join(', ')}`);

    let meldingsansvarlig: MessagingContact | undefined;
    const c = raw['meldingsansvarlig'];
    if (c !== undefined) {
      const cp = `${path}.meldingsansvarlig`;
      if (!isObject(c)) issue(cp, 'must be an object');
      else {
        for (const key of Object.keys(c)) if (!['name', 'email', 'phone'].includes(key)) issue(`${cp}.${key}`, 'unknown field');
        const email = str(c, 'email', cp, true, /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'must be an e-mail address');
        const phone = str(c, 'phone', cp, false, /^\+?[0-9][0-9 ]{4,19}$/, 'must be a phone number (digits, optional +, spaces)');
        const cname = str(c, 'name', cp, false);
        if (email !== undefined) meldingsansvarlig = { name: cname, email, phone };
      }
    }

    if (herId !== undefined && name !== undefined && kind !== undefined) {
      parties.push({
        herId,
        name,
        kind,
        parentHerId,
        organisationNumber,
        transport,
        signingCertificate,
        encryptionCertificate,
        messageTypes,
        appRecVersion: appRec === '1.0' || appRec === '1.1' ? appRec : undefined,
        cmsProfile: (CMS_PROFILE_NAMES as readonly unknown[]).includes(cms) ? (cms as CmsProfileName) : undefined,
        meldingsansvarlig,
      });
    }
  });

  // Cross-party rules: unique HER-ids, parents exist, no cycles.
  const byHer = new Map<string, number>();
  arr.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw['herId'] !== 'string') return;
    const prev = byHer.get(raw['herId']);
    if (prev !== undefined) issue(`${prefix}[${i}].herId`, `duplicates ${prefix}[${prev}].herId`);
    else byHer.set(raw['herId'], i);
  });
  const parentOf = new Map<string, string | undefined>(parties.map((p) => [p.herId, p.parentHerId]));
  arr.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw['parentHerId'] !== 'string') return;
    const parent = raw['parentHerId'];
    if (parent === raw['herId']) issue(`${prefix}[${i}].parentHerId`, 'is the party itself');
    else if (!byHer.has(parent)) issue(`${prefix}[${i}].parentHerId`, 'names no party in the register');
    else {
      const seen = new Set<string>([String(raw['herId'])]);
      for (let p: string | undefined = parent; p !== undefined; p = parentOf.get(p)) {
        if (seen.has(p)) {
          issue(`${prefix}[${i}].parentHerId`, 'makes a cycle');
          break;
        }
        seen.add(p);
      }
    }
  });
  if (issues.length > 0) throw new AddressRegisterError('ERR_AR_INVALID', `address register is invalid: ${issues.length} issue(s), first at ${issues[0]?.path}: ${issues[0]?.message}`, { issues });
  return parties;
}
