/**
 * @samhandling/cli: the `samhandling` command. The bin is `dist/cli.cjs`; this module exposes the
 * same command line programmatically (`runCli`) and the plug-in interface for commands.
 */
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './command';
export type { CliIO, Command } from './command';
export { commands } from './commands/index';
export { VERSION, runCli } from './run';
