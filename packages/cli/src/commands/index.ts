/**
 * The subcommands of `samhandling`, in the order `samhandling --help` lists them. To add a command,
 * write a `Command` in this folder (or in another package) and add one line here.
 */
import type { Command } from '../command';
import { certCommand } from './cert';
import { cmsCommand } from './cms';
import { fnrCommand } from './fnr';
import { inspectCommand } from './inspect';
import { pkiCommand } from './pki';

export const commands: readonly Command[] = [
  inspectCommand,
  fnrCommand,
  cmsCommand,
  certCommand,
  pkiCommand,
];
