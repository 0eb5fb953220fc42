import packageJson from '../package.json';
import { EXIT_OK, EXIT_USAGE } from './command';
import type { CliIO, Command } from './command';
import { commands as defaultCommands } from './commands/index';

/** The package version, as `samhandling --version` prints it. */
export const VERSION: string = packageJson.version;

function topUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: samhandling <command> [options]

Tools for Norwegian PLO health messaging (MsgHead, AppRec, fødselsnummer).

commands:
${lines.join('\n')}

Run 'samhandling <command> --help' for a command's options.
options: -h, --help   show this help;  --version   print the version
`;
}

/**
 * Runs the `samhandling` command line with `argv` (the arguments after the program name) and
 * resolves to the exit code: 0 success, 1 negative answer, 2 usage error or unprocessable input.
 * Never calls `process.exit`; all output goes through `io`. An unexpected internal error is
 * reported on stderr with exit code 70.
 */
export async function runCli(argv: readonly string[], io: CliIO, commands: readonly Command[] = defaultCommands): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(topUsage(commands));
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const target = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout(target ? target.usage : topUsage(commands));
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr(`samhandling: unknown command ${JSON.stringify(first)}\n\n${topUsage(commands)}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run([...rest], io);
  } catch (err) {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    io.stderr(`samhandling ${command.name}: internal error: ${detail}\n`);
    return 70;
  }
}
