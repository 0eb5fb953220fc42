import { access } from 'node:fs/promises';
import path from 'node:path';
import { createTestPki, writeTestPki } from '@samhandling/cms';
import type { TestPartySpec } from '@samhandling/cms';
import { EXIT_OK, EXIT_USAGE } from '../command';
import type { Command } from '../command';
import { UsageError, expectPositionals, json, parseCommandArgs, withUsage } from '../util';

const usage = `usage: samhandling pki init DIR --party NAME:HERID:ORGNR [--party ...] [--key-bits N]
                             [--crl-base-url URL] [--force] [--json]

Writes a TEST PKI to DIR: a root CA, an intermediate (enterprise) CA, per party a signing
certificate (nonRepudiation + digitalSignature) and an encryption certificate (keyEncipherment +
dataEncipherment) with Norwegian enterprise-certificate subjects (C=NO, O=NAME,
OU=HER-id HERID, serialNumber=ORGNR, CN=NAME), unencrypted PKCS#8 keys, a CRL of each CA, and
the flawed certificates tests need (bad-expired, bad-not-yet-valid, bad-revoked,
bad-wrong-key-usage, bad-untrusted under bad-untrusted-root, bad-under-ca-without-keycertsign).
index.json lists every file. For tests and demos only: never use these keys for real traffic.

options:
  --party NAME:HERID:ORGNR  a party (repeatable; NAME may contain ':', the last two fields are
                            the HER-id and the 9-digit organisation number)
  --key-bits N              RSA key size (default 2048)
  --crl-base-url URL        base URL written into CRL distribution points
                            (default http://crl.samhandling.test/)
  --force                   write into DIR even if it already holds an index.json
  --json                    print index.json's content instead of a summary
  -h, --help                show this help

exit codes: 0 written, 2 usage error or DIR not writable
`;

/** Parses `NAME:HERID:ORGNR` (NAME may itself contain ':'). */
export function parsePartySpec(spec: string): TestPartySpec {
  const parts = spec.split(':');
  if (parts.length < 3) throw new UsageError(`--party ${JSON.stringify(spec)}: expected NAME:HERID:ORGNR`);
  const orgNumber = (parts.pop() ?? '').trim();
  const herId = (parts.pop() ?? '').trim();
  const name = parts.join(':').trim();
  if (name === '') throw new UsageError(`--party ${JSON.stringify(spec)}: empty NAME`);
  if (!/^\d+$/.test(herId)) throw new UsageError(`--party ${JSON.stringify(spec)}: HERID must be digits`);
  if (!/^\d{9}$/.test(orgNumber)) throw new UsageError(`--party ${JSON.stringify(spec)}: ORGNR must be 9 digits`);
  return { name, herId, orgNumber };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** `samhandling pki init DIR --party NAME:HERID:ORGNR ...`: write a test PKI. */
export const pkiCommand: Command = {
  name: 'pki',
  summary: 'write a test PKI (CAs, enterprise certificates, keys, CRLs, flawed certificates)',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        party: { type: 'string', multiple: true },
        'key-bits': { type: 'string' },
        'crl-base-url': { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
      });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      const [sub = '', dirArg = ''] = expectPositionals(positionals, ['init', 'DIR']);
      if (sub !== 'init') throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}`);
      const parties = (values.party ?? []).map(parsePartySpec);
      if (parties.length === 0) throw new UsageError('at least one --party NAME:HERID:ORGNR is required');
      let keyBits = 2048;
      if (values['key-bits'] !== undefined) {
        keyBits = Number(values['key-bits']);
        if (!Number.isInteger(keyBits) || keyBits < 1024 || keyBits > 8192) throw new UsageError('--key-bits must be an integer 1024..8192');
      }
      const crlBaseUrl = values['crl-base-url'];
      if (crlBaseUrl !== undefined) {
        try {
          new URL(crlBaseUrl);
        } catch {
          throw new UsageError('--crl-base-url must be an absolute URL');
        }
      }
      const dir = path.resolve(io.cwd, dirArg);
      if (values.force !== true && (await exists(path.join(dir, 'index.json')))) {
        io.stderr(`samhandling pki: ${dirArg} already holds a PKI (index.json); use --force to overwrite\n`);
        return EXIT_USAGE;
      }
      const pki = await createTestPki({ parties, keyBits, ...(crlBaseUrl === undefined ? {} : { crlBaseUrl }) });
      let index;
      try {
        index = await writeTestPki(pki, dir);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException | undefined)?.code;
        io.stderr(`samhandling pki: cannot write ${dirArg}${code ? ` (${code})` : ''}\n`);
        return EXIT_USAGE;
      }
      if (values.json) {
        io.stdout(json(index));
      } else {
        io.stdout(`wrote test PKI to ${dirArg} (${String(index.entries.length)} certificates, 2 CRLs; see index.json)\n`);
        for (const e of index.entries) io.stdout(`  ${e.certificate.padEnd(40)} ${e.role}\n`);
      }
      return EXIT_OK;
    });
  },
};
