import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CrlCache,
  appRecCodeForError,
  isCertError,
  isCmsError,
  loadPrivateKey,
  parseCertificates,
  protect,
  staticCrlSource,
  unprotect,
} from '@samhandling/cms';
import type { Certificate, KeyPair, SendKeyTransport } from '@samhandling/cms';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../command';
import type { CliIO, Command } from '../command';
import { InputError, UsageError, json, parseCommandArgs, readInput, withUsage } from '../util';

const usage = `usage: samhandling cms protect --in FILE --out FILE --sign-cert PEM --sign-key PEM --recipient-cert PEM
                                  [--key-transport rsa-pkcs1|rsa-oaep-sha256] [--json]
       samhandling cms unprotect --in FILE --out FILE --key PEM --cert PEM [--key PEM --cert PEM]...
                                  --ca PEM [--ca PEM]... [--crl FILE]... [--signer-cert PEM]
                                  [--signer-orgnr ORGNR] [--allow-legacy-ciphers] [--json]

protect    signs FILE (SHA-256, RSA) with the signing certificate and key, then encrypts it for the
           recipient's encryption certificate (AES-256-CBC); writes DER CMS (EnvelopedData holding
           SignedData), the body of an application/pkcs7-mime signed-and-enveloped-data part.
unprotect  decrypts with the key whose certificate the message names (give one --key/--cert pair
           per key, in the same order, e.g. old and new during rollover), verifies the signature and
           the signer's certificate chain to a --ca (self-signed ones are trust anchors, others
           intermediates), checks revocation with the given CRLs, and writes the content.
           Without --crl revocation is not checked.

options:
  --key-transport       rsa-pkcs1 (default, accepted by every counterparty) or rsa-oaep-sha256
  --signer-cert PEM     the message must be signed with exactly this certificate
  --signer-orgnr ORGNR  the signer's enterprise certificate must carry this organisation number
  --allow-legacy-ciphers  accept DES/3DES content encryption (refused by default)
  --json                print the outcome as JSON
  -h, --help            show this help

exit codes: 0 success, 1 rejected (error code and AppRec code printed), 2 usage error or unreadable input
`;

const systemClock = (): Date => new Date();

async function readText(io: CliIO, file: string): Promise<Uint8Array> {
  return readInput(io, file);
}

async function loadCerts(io: CliIO, file: string): Promise<Certificate[]> {
  const bytes = await readText(io, file);
  try {
    return parseCertificates(bytes.length > 0 && bytes[0] === 0x30 ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new InputError(`cannot read certificate ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

async function loadCert(io: CliIO, file: string): Promise<Certificate> {
  const [first] = await loadCerts(io, file);
  if (!first) throw new InputError(`no certificate in ${file}`);
  return first;
}

async function loadKey(io: CliIO, file: string): Promise<ReturnType<typeof loadPrivateKey>> {
  const bytes = await readText(io, file);
  try {
    const passphrase = io.env.SAMHANDLING_KEY_PASSPHRASE;
    return loadPrivateKey(bytes, passphrase === undefined ? {} : { passphrase });
  } catch (cause) {
    throw new InputError(`cannot read private key ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

async function writeOutput(io: CliIO, file: string, data: Uint8Array): Promise<void> {
  try {
    await writeFile(path.resolve(io.cwd, file), data);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    throw new InputError(`cannot write ${file}${code ? ` (${code})` : ''}`);
  }
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

async function runProtect(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    in: { type: 'string' },
    out: { type: 'string' },
    'sign-cert': { type: 'string' },
    'sign-key': { type: 'string' },
    'recipient-cert': { type: 'string' },
    'key-transport': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(usage);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const keyTransport = (values['key-transport'] ?? 'rsa-pkcs1') as SendKeyTransport;
  if (keyTransport !== 'rsa-pkcs1' && keyTransport !== 'rsa-oaep-sha256') throw new UsageError('--key-transport must be rsa-pkcs1 or rsa-oaep-sha256');
  const input = required(values.in, 'in');
  const output = required(values.out, 'out');
  const content = await readInput(io, input);
  const certificate = await loadCert(io, required(values['sign-cert'], 'sign-cert'));
  const key = await loadKey(io, required(values['sign-key'], 'sign-key'));
  const recipient = await loadCert(io, required(values['recipient-cert'], 'recipient-cert'));
  const der = protect(content, { signer: { certificate, key }, recipient, profile: { keyTransport }, clock: systemClock });
  await writeOutput(io, output, der);
  if (values.json) io.stdout(json({ ok: true, bytes: der.length, keyTransport, contentEncryption: 'aes-256-cbc' }));
  else io.stdout(`protected ${content.length} bytes → ${output} (${der.length} bytes, ${keyTransport}, aes-256-cbc)\n`);
  return EXIT_OK;
}

async function runUnprotect(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    in: { type: 'string' },
    out: { type: 'string' },
    key: { type: 'string', multiple: true },
    cert: { type: 'string', multiple: true },
    ca: { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    'signer-cert': { type: 'string' },
    'signer-orgnr': { type: 'string' },
    'allow-legacy-ciphers': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(usage);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const input = required(values.in, 'in');
  const output = required(values.out, 'out');
  const keys = values.key ?? [];
  const certs = values.cert ?? [];
  if (keys.length === 0) throw new UsageError('missing --key');
  if (keys.length !== certs.length) throw new UsageError('give one --cert per --key, in the same order');
  if (!values.ca || values.ca.length === 0) throw new UsageError('missing --ca');
  const der = await readInput(io, input);
  const decryptionKeys: KeyPair[] = [];
  for (let i = 0; i < keys.length; i++) {
    decryptionKeys.push({ certificate: await loadCert(io, certs[i] as string), key: await loadKey(io, keys[i] as string) });
  }
  const cas: Certificate[] = [];
  for (const file of values.ca) cas.push(...(await loadCerts(io, file)));
  const selfSigned = cas.filter((c) => c.subject === c.issuer);
  const anchors = selfSigned.length > 0 ? selfSigned : cas;
  const intermediates = cas.filter((c) => !anchors.includes(c));
  const crls: Uint8Array[] = [];
  for (const file of values.crl ?? []) crls.push(await readInput(io, file));
  const revocation = crls.length > 0 ? new CrlCache({ source: staticCrlSource(crls), clock: systemClock }) : undefined;
  const signerCert = values['signer-cert'] === undefined ? undefined : await loadCert(io, values['signer-cert']);
  const orgnr = values['signer-orgnr'];
  const expectedSigner = signerCert || orgnr ? { ...(signerCert ? { certificate: signerCert } : {}), ...(orgnr ? { organisationNumber: orgnr } : {}) } : undefined;
  try {
    const result = await unprotect(der, {
      decryptionKeys,
      trust: { anchors, intermediates, ...(revocation ? { revocation } : {}) },
      ...(expectedSigner ? { expectedSigner } : {}),
      policy: { allowLegacyCiphers: values['allow-legacy-ciphers'] === true },
      clock: systemClock,
    });
    await writeOutput(io, output, result.content);
    const summary = {
      ok: true,
      bytes: result.content.length,
      signer: { subject: result.signer.subject, organisationNumber: result.signer.organisationNumber, serialNumberHex: result.signer.serialNumberHex },
      signingTime: result.signingTime?.toISOString() ?? null,
      revocationChecked: revocation !== undefined,
      algorithms: result.algorithms,
    };
    if (values.json) io.stdout(json(summary));
    else {
      io.stdout(`verified: signed by ${summary.signer.subject}${summary.signingTime ? ` at ${summary.signingTime}` : ''}; ${result.content.length} bytes → ${output}\n`);
      if (!revocation) io.stderr('warning: revocation not checked (no --crl)\n');
    }
    return EXIT_OK;
  } catch (err) {
    if (!isCmsError(err) && !isCertError(err)) throw err;
    const appRec = appRecCodeForError(err);
    if (values.json) io.stdout(json({ ok: false, code: err.code, appRecCode: appRec, message: err.message }));
    else io.stdout(`rejected: ${err.code} (AppRec ${appRec ?? '-'}): ${err.message}\n`);
    return EXIT_FAILURE;
  }
}

/** `samhandling cms protect|unprotect`: sign-then-encrypt and decrypt-then-verify files. */
export const cmsCommand: Command = {
  name: 'cms',
  summary: 'sign and encrypt (protect) or decrypt and verify (unprotect) a CMS message',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const [sub, ...rest] = argv;
      try {
        if (sub === 'protect') return await runProtect(rest, io);
        if (sub === 'unprotect') return await runUnprotect(rest, io);
        if (sub === '--help' || sub === '-h') {
          io.stdout(usage);
          return EXIT_OK;
        }
        throw new UsageError(sub === undefined ? 'missing subcommand protect|unprotect' : `unknown subcommand ${JSON.stringify(sub)}`);
      } catch (err) {
        if (err instanceof InputError) {
          io.stderr(`samhandling cms: ${err.message}\n`);
          return EXIT_USAGE;
        }
        if (sub === 'protect' && (isCmsError(err) || isCertError(err))) {
          io.stdout(`rejected: ${err.code}: ${err.message}\n`);
          return EXIT_FAILURE;
        }
        throw err;
      }
    });
  },
};
