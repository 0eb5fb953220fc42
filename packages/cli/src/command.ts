/**
 * The plug-in interface of the `samhandling` command. Each subcommand is a {@link Command} listed in
 * `commands/index.ts`; it receives its own arguments (without the command name) and a {@link CliIO},
 * and resolves to the process exit code.
 */

/** Exit code: success (valid, found, built). */
export const EXIT_OK = 0;
/** Exit code: the command ran and the answer is negative (invalid document, invalid number, build issues). */
export const EXIT_FAILURE = 1;
/**
 * Exit code: usage error (unknown command or option, missing argument), or input that could not be
 * processed at all (unreadable file, not well-formed XML, refused by the hardening).
 */
export const EXIT_USAGE = 2;

/** Everything a command may touch outside itself; tests pass a captured implementation. */
export interface CliIO {
  /** Writes `s` to standard output as is (commands add their own newlines). */
  stdout(s: string): void;
  /** Writes `s` to standard error as is. */
  stderr(s: string): void;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
  /** Reads a file (absolute path). Defaults to `fs.promises.readFile`. */
  readFile?(path: string): Promise<Uint8Array>;
  /** Reads all of standard input, for the file name `-`. When absent, `-` is a usage error. */
  readStdin?(): Promise<Uint8Array>;
}

/** One subcommand of `samhandling`. */
export interface Command {
  /** The word after `samhandling`, e.g. `validate`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text printed by `--help` (and on usage errors). */
  readonly usage: string;
  /** Runs the command with its own arguments; resolves to the exit code. Must not throw for user errors. */
  run(argv: string[], io: CliIO): Promise<number>;
}
