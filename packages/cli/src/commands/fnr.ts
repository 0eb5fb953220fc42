import { checkPersonId } from '@samhandling/plo';
import { EXIT_FAILURE, EXIT_OK } from '../command';
import type { Command } from '../command';
import { expectPositionals, json, parseCommandArgs, withUsage } from '../util';

const usage = `usage: samhandling fnr NUMBER [--json] [--allow-synthetic]

Checks a Norwegian person identifier: fødselsnummer (FNR), D-nummer (DNR), H-nummer (HNR) or
FH-nummer (FHN). Synthetic test numbers (Test Norge / Tenor, month + 80) are refused unless
--allow-synthetic is given. The number itself is never printed.

options:
  --json              print { valid, kind, synthetic, birthDate } (and reason when invalid)
  --allow-synthetic   accept synthetic test numbers
  -h, --help          show this help

exit codes: 0 valid, 1 invalid, 2 usage error
`;

/** `samhandling fnr NUMBER`: check a number of the fødselsnummer family. */
export const fnrCommand: Command = {
  name: 'fnr',
  summary: 'check a fødselsnummer, D-, H- or FH-nummer',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        json: { type: 'boolean' },
        'allow-synthetic': { type: 'boolean' },
      });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      const [value = ''] = expectPositionals(positionals, ['NUMBER']);
      const result = checkPersonId(value, { allowSynthetic: values['allow-synthetic'] === true });
      if (values.json) {
        io.stdout(
          json({
            valid: result.valid,
            kind: result.kind,
            synthetic: result.synthetic,
            birthDate: result.birthDate,
            ...(result.reason === undefined ? {} : { reason: result.reason }),
          }),
        );
      } else if (result.valid) {
        const born = result.birthDate ? `, birth date ${result.birthDate}` : result.kind === 'FHN' ? '' : ', birth date not derivable';
        io.stdout(`valid ${result.kind}${result.synthetic ? ' (synthetic)' : ''}${born}\n`);
      } else {
        const what = result.kind ? ` ${result.kind}${result.synthetic ? ' (synthetic)' : ''}` : '';
        io.stdout(`invalid${what}: ${result.reason}\n`);
      }
      return result.valid ? EXIT_OK : EXIT_FAILURE;
    });
  },
};
