import {
  CrlCache,
  certErrorAppRecCode,
  isCertError,
  parseCertificates,
  staticCrlSource,
  validateCertificate,
} from '@samhandling/cms';
import type { Certificate, CertificatePurpose, RevocationChecker } from '@samhandling/cms';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../command';
import type { CliIO, Command } from '../command';
import { InputError, UsageError, expectPositionals, json, parseCommandArgs, readInput, withUsage } from '../util';

const usage = `usage: samhandling cert check --cert PEM --ca PEM [--ca PEM]... [--intermediate PEM]...
                              [--crl FILE]... --purpose sign|encrypt [--at ISO-TIME]
                              [--soft-fail] [--json]

Validates a certificate: a chain to a trust anchor (self-signed certificates given with --ca are
anchors, the others intermediates, as are the certificates after the first in --cert and those
given with --intermediate, in any order), validity, key usage for the purpose (sign:
nonRepudiation or digitalSignature; encrypt: keyEncipherment) and, when --crl is given,
revocation of every certificate below the anchor by the CRLs (PEM or DER). Without --crl
revocation is not checked.

options:
  --purpose sign|encrypt  what the certificate is to be used for (required)
  --at ISO-TIME           check validity and CRL freshness at this time instead of now
  --soft-fail             accept when revocation status is unavailable (reported as a warning)
  --json                  print { valid, code, appRecCode, retryable, ... }
  -h, --help              show this help

exit codes: 0 valid, 1 rejected (error code and AppRec code printed), 2 usage error or unreadable input
`;

async function readCerts(io: CliIO, file: string): Promise<Certificate[]> {
  const bytes = await readInput(io, file);
  try {
    return parseCertificates(bytes);
  } catch (cause) {
    throw new InputError(`cannot read certificate ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

function selfSigned(c: Certificate): boolean {
  return c.subject === c.issuer;
}

/** `samhandling cert check`: validate a certificate for signing or encryption. */
export const certCommand: Command = {
  name: 'cert',
  summary: 'check a certificate: chain, validity, key usage and revocation',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        cert: { type: 'string' },
        ca: { type: 'string', multiple: true },
        intermediate: { type: 'string', multiple: true },
        crl: { type: 'string', multiple: true },
        purpose: { type: 'string' },
        at: { type: 'string' },
        'soft-fail': { type: 'boolean' },
        json: { type: 'boolean' },
      });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      const [sub = ''] = expectPositionals(positionals, ['check']);
      if (sub !== 'check') throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}`);
      if (values.cert === undefined) throw new UsageError('--cert is required');
      if (values.ca === undefined || values.ca.length === 0) throw new UsageError('at least one --ca is required');
      const purpose = values.purpose;
      if (purpose !== 'sign' && purpose !== 'encrypt') throw new UsageError('--purpose must be sign or encrypt');
      const at = values.at === undefined ? undefined : new Date(values.at);
      if (values.at !== undefined && (at === undefined || Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(values.at))) {
        throw new UsageError('--at must be an ISO 8601 time');
      }
      const clock = (): Date => at ?? new Date();

      let leaf: Certificate;
      const anchors: Certificate[] = [];
      const intermediates: Certificate[] = [];
      let revocation: RevocationChecker | undefined;
      try {
        const [first, ...rest] = await readCerts(io, values.cert);
        if (first === undefined) throw new InputError(`no certificate in ${values.cert}`);
        leaf = first;
        intermediates.push(...rest);
        for (const f of values.ca) for (const c of await readCerts(io, f)) (selfSigned(c) ? anchors : intermediates).push(c);
        for (const f of values.intermediate ?? []) intermediates.push(...(await readCerts(io, f)));
        if (anchors.length === 0) throw new InputError('no self-signed certificate among --ca (no trust anchor)');
        if (values.crl !== undefined && values.crl.length > 0) {
          const crls: Uint8Array[] = [];
          for (const f of values.crl) crls.push(await readInput(io, f));
          try {
            revocation = new CrlCache({ source: staticCrlSource(crls), clock });
          } catch (cause) {
            throw new InputError(`cannot read CRL: ${cause instanceof Error ? cause.message : String(cause)}`);
          }
        }
      } catch (err) {
        if (err instanceof InputError) {
          io.stderr(`samhandling cert: ${err.message}\n`);
          return EXIT_USAGE;
        }
        throw err;
      }

      try {
        const result = await validateCertificate(leaf, {
          purpose: purpose satisfies CertificatePurpose,
          trustAnchors: anchors,
          intermediates,
          clock,
          ...(revocation === undefined ? {} : { revocation }),
          policy: { revocationSoftFail: values['soft-fail'] === true },
        });
        const warnings = result.softFailures.map((e) => `${e.code}: ${e.message}`);
        if (values.json) {
          io.stdout(
            json({
              valid: true,
              subject: leaf.subject,
              organisationNumber: leaf.organisationNumber,
              chain: result.chain.map((c) => c.subject),
              revocationChecked: result.revocationChecked,
              warnings,
            }),
          );
        } else {
          io.stdout(`valid for ${purpose}: ${leaf.subject}\n`);
          for (const c of result.chain.slice(1)) io.stdout(`  issued by ${c.subject}\n`);
          io.stdout(result.revocationChecked ? '  revocation checked\n' : '  revocation NOT checked\n');
          for (const w of warnings) io.stdout(`  warning: ${w}\n`);
        }
        return EXIT_OK;
      } catch (err) {
        if (!isCertError(err)) throw err;
        const appRecCode = certErrorAppRecCode(err.code);
        if (values.json) {
          io.stdout(
            json({
              valid: false,
              code: err.code,
              appRecCode,
              retryable: err.retryable,
              message: err.message,
              subject: err.subject ?? leaf.subject,
            }),
          );
        } else {
          io.stdout(`rejected: ${err.code} (AppRec ${appRecCode}): ${err.message}${err.subject === undefined ? '' : ` [${err.subject}]`}\n`);
          if (err.retryable) io.stdout('  retryable: revocation status could not be established\n');
        }
        return EXIT_FAILURE;
      }
    });
  },
};
