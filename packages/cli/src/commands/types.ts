import { defaultRegistry } from '@samhandling/plo';
import { EXIT_OK } from '../command';
import type { Command } from '../command';
import { expectPositionals, json, parseCommandArgs, withUsage } from '../util';

const usage = `usage: samhandling types [--json]

Lists the message types (MsgInfo/Type, Volven 8279) this toolkit can build and parse, with their
standards and content namespaces (versions). The first namespace of a type is the one built by
default; the others are accepted when receiving.

options:
  --json       print [{ type, displayName, standards, namespaces }] as JSON
  -h, --help   show this help

exit codes: 0 listed, 2 usage error
`;

/** `samhandling types`: the registered message types and versions. */
export const typesCommand: Command = {
  name: 'types',
  summary: 'list supported message types and versions',
  usage,
  run(argv, io) {
    return withUsage(this, io, async () => {
      const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
      if (values.help) {
        io.stdout(usage);
        return EXIT_OK;
      }
      expectPositionals(positionals, []);
      const list = defaultRegistry.list();
      if (values.json) {
        io.stdout(json(list));
        return EXIT_OK;
      }
      const width = Math.max(4, ...list.map((t) => t.type.length));
      for (const t of list) {
        io.stdout(`${t.type.padEnd(width)}  ${t.displayName} (${t.standards.join(', ')})\n`);
        for (const ns of t.namespaces) io.stdout(`${''.padEnd(width)}    ${ns}\n`);
      }
      return EXIT_OK;
    });
  },
};
