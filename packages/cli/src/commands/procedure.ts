import { isProcedureError, machineInfo, simulate } from '@samhandling/procedure';
import type { PolicyInput } from '@samhandling/procedure';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../command';
import type { CliIO, Command } from '../command';
import { InputError, UsageError, expectPositionals, json, parseCommandArgs, readInput, withUsage } from '../util';

const usage = `usage: samhandling procedure hash [--json]
       samhandling procedure simulate SCENARIO.json [--policy FILE.json] [--allow-synthetic]

The standard procedure for a hospital stay (@samhandling/procedure).

  hash       print the procedure definition's id, version and content hash (SHA-256 of its
             canonical JSON, policy defaults included); both parties compare it
  simulate   run a scenario { stay?, policy?, until?, events: [...] } and print JSON
             { machine, state, deadlines: [{ rule, period, party, due, metAt, breached, status }],
               periods: [{ index, declaredDay, payable, conditions, endReason, paymentDays,
               amountNOK, missingRateYears }], paymentDays, amountNOK, missingRateYears,
               effects, issues }

options:
  --policy FILE.json   policy overrides (applied over the scenario's own "policy")
  --allow-synthetic    accept a synthetic test person id in the scenario's "stay"
  --json               (hash) print { id, version, hash }
  -h, --help           show this help

exit codes: 0 ok, 1 invalid scenario or policy content (error code printed),
            2 usage error, unreadable file or malformed JSON
`;

async function readJson(io: CliIO, file: string): Promise<unknown> {
  const bytes = await readInput(io, file);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new InputError(`${file} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** `samhandling procedure hash | simulate`: the hospital-stay procedure's identity and a scenario runner. */
export const procedureCommand: Command = {
  name: 'procedure',
  summary: 'the hospital-stay procedure: definition hash, scenario simulation',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, {
        policy: { type: 'string' },
        json: { type: 'boolean' },
        'allow-synthetic': { type: 'boolean' },
      });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      const sub = positionals[0];
      if (sub === 'hash') {
        expectPositionals(positionals, ['hash']);
        if (values.policy !== undefined || values['allow-synthetic'] === true) throw new UsageError('hash takes no --policy or --allow-synthetic');
        const info = machineInfo();
        io.stdout(values.json ? json(info) : `${info.id} ${info.version} sha256:${info.hash}\n`);
        return EXIT_OK;
      }
      if (sub !== 'simulate') throw new UsageError(sub === undefined ? 'missing subcommand (hash or simulate)' : `unknown subcommand ${JSON.stringify(sub)}`);
      const [, file = ''] = expectPositionals(positionals, ['simulate', 'SCENARIO.json']);
      if (values.json === true) throw new UsageError('simulate always prints JSON; --json is for hash');
      try {
        const scenario = await readJson(io, file);
        const policy = values.policy === undefined ? undefined : await readJson(io, values.policy);
        if (policy !== undefined && (typeof policy !== 'object' || policy === null || Array.isArray(policy))) {
          io.stdout(json({ error: { code: 'ERR_PROCEDURE_INVALID_POLICY', message: 'policy file must hold a JSON object', issues: [] } }));
          io.stderr(`samhandling procedure: ERR_PROCEDURE_INVALID_POLICY: policy file must hold a JSON object\n`);
          return EXIT_FAILURE;
        }
        const result = simulate(scenario, {
          ...(policy === undefined ? {} : { policy: policy as PolicyInput }),
          allowSyntheticPersonIds: values['allow-synthetic'] === true,
        });
        io.stdout(json(result));
        return EXIT_OK;
      } catch (err) {
        if (err instanceof InputError) {
          io.stderr(`samhandling procedure: ${err.message}\n`);
          return EXIT_USAGE;
        }
        if (isProcedureError(err)) {
          io.stdout(json({ error: { code: err.code, message: err.message, issues: err.issues } }));
          const lines = err.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}\n`).join('');
          io.stderr(`samhandling procedure: ${err.code}: ${err.message}\n${lines}`);
          return EXIT_FAILURE;
        }
        throw err;
      }
    });
  },
};
