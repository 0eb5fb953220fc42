/**
 * The subcommands of `samhandling`, in the order `samhandling --help` lists them. To add a command,
 * write a `Command` in this folder (or in another package) and add one line here.
 */
import type { Command } from '../command';
import { apprecCommand } from './apprec';
import { certCommand } from './cert';
import { buildCommand } from './build';
import { cmsCommand } from './cms';
import { fnrCommand } from './fnr';
import { inspectCommand } from './inspect';
import { pkiCommand } from './pki';
import { procedureCommand } from './procedure';
import { typesCommand } from './types';
import { validateCommand } from './validate';

export const commands: readonly Command[] = [
  validateCommand,
  inspectCommand,
  apprecCommand,
  buildCommand,
  typesCommand,
  fnrCommand,
  cmsCommand,
  certCommand,
  pkiCommand,
  procedureCommand,
];
