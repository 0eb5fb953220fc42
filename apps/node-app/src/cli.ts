#!/usr/bin/env node
/**
 * `samhandling-app token create --id CLIENT --role ROLE`: prints a new API token (give it to the
 * client once) and the line to append to the token file (only the hash is stored).
 */
import { runTokenCli } from './token-cli';

process.exitCode = runTokenCli(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
