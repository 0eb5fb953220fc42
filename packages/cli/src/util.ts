/** Helpers shared by the commands (internal). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { EXIT_USAGE } from './command';
import type { CliIO, Command } from './command';

/** A mistake in how the command was called: reported with the usage text, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

// Type aliases, not interfaces: node's ParsedResults inference needs them to be assignable both ways
// to ParseArgsConfig, which interfaces (no implicit index signature) are not.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
type HelpOption = { help: { type: 'boolean'; short: 'h' } };
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
type CommandArgsConfig<O extends Options> = { args: string[]; options: O & HelpOption; allowPositionals: true; strict: true };

/** `parseArgs` in strict mode with `--help`/`-h` added; parse failures become {@link UsageError}. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O): ReturnType<typeof parseArgs<CommandArgsConfig<O>>> {
  const config: CommandArgsConfig<O> = {
    args: argv,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  };
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Runs a command body, turning {@link UsageError} into the usage text on stderr and exit code 2. */
export async function withUsage(command: Command, io: CliIO, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`samhandling ${command.name}: ${err.message}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

/** Exactly `count` positional arguments, or a {@link UsageError} naming what is missing or extra. */
export function expectPositionals(positionals: string[], names: readonly string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).join(' ')}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`);
  return positionals;
}

/** A file that could not be read; the command reports it and exits 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Reads a command's input file (`-` = standard input), relative to `io.cwd`. */
export async function readInput(io: CliIO, file: string): Promise<Uint8Array> {
  if (file === '-') {
    if (!io.readStdin) throw new UsageError('reading standard input is not available here');
    return io.readStdin();
  }
  const absolute = path.resolve(io.cwd, file);
  try {
    return await (io.readFile ? io.readFile(absolute) : readFile(absolute));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    throw new InputError(`cannot read ${file}${code ? ` (${code})` : ''}`);
  }
}

/** JSON output: two-space indentation and a final newline. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
