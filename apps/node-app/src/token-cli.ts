/**
 * The `samhandling-app token create` command, as a function for tests.
 */
import { parseArgs } from 'node:util';
import { createToken, ROLES, type Role } from './auth';

const USAGE = `usage: samhandling-app token create --id CLIENT_ID --role ${ROLES.join('|')}
Prints a new API token and the line for the token file (auth.tokens in the configuration).
Give the token to the client once; only its SHA-256 hash is stored.
`;

/** Runs the command; returns the exit code. */
export function runTokenCli(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  let values: { id?: string; role?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { id: { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    out(USAGE);
    return 0;
  }
  if (positionals[0] !== 'token' || positionals[1] !== 'create' || positionals.length !== 2) {
    err(USAGE);
    return 2;
  }
  if (values.role === undefined || !ROLES.includes(values.role as Role)) {
    err(`--role must be one of ${ROLES.join(', ')}\n`);
    return 2;
  }
  try {
    const { token, line } = createToken(values.id ?? `${values.role}-client`, values.role as Role);
    out(`token: ${token}\ntoken-file line: ${line}\n`);
    return 0;
  } catch (e) {
    err(`${(e as Error).message}\n`);
    return 2;
  }
}
