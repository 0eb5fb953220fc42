#!/usr/bin/env node
// Demonstration of the message layer (`npm start`): builds every message of one hospital stay,
// validates each with the bundled schemas and business rules, parses it back and prints a
// readable summary. Synthetic data only: 31129956715 is the public example fødselsnummer, HER-ids
// and organisation numbers are made up but well-formed.
//
//   node tools/demo/hospital-stay.mjs [--out DIR] [--json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildMessage, checkPersonId, codeDisplayName, deepestHerId, parseMessage } from '@samhandling/plo';
import { createValidator } from '@samhandling/schema';
import { forEachStayMessage } from './stay-chain.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' }, json: { type: 'boolean', default: false } } });

let n = 0;
const nextId = () => {
  n += 1;
  return `5a3e0c1d-0000-4000-8000-${String(n).padStart(12, '0')}`;
};

const validator = createValidator();
const results = [];
let failures = 0;
forEachStayMessage(({ at, route, input }) => {
  const xml = buildMessage(input, { idGenerator: nextId, clock: () => new Date(at) });
  const report = validator.validate(xml);
  const parsed = parseMessage(xml);
  const head = parsed.msgHead;
  const errors = report.issues.filter((i) => i.severity === 'error');
  if (!report.valid) failures += 1;
  results.push({
    at,
    route,
    type: parsed.type,
    displayName: codeDisplayName('8279', parsed.type) ?? parsed.type,
    msgId: head.msgInfo.msgId,
    bytes: Buffer.byteLength(xml),
    sender: deepestHerId(head.msgInfo.sender.organisation),
    receiver: deepestHerId(head.msgInfo.receiver.organisation),
    valid: report.valid,
    issues: report.issues,
    xml,
  });
  if (values.out) {
    const dir = resolve(values.out);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${String(results.length).padStart(2, '0')}-${parsed.type}.xml`), xml);
  }
  if (errors.length > 0 && !values.json) {
    for (const i of errors) console.error(`  ${parsed.type}: ${i.code} ${i.appRecCode} ${i.xpath ?? ''} ${i.message}`);
  }
  return head.msgInfo.msgId;
});

if (values.json) {
  console.log(JSON.stringify(results.map(({ xml: _xml, ...r }) => r), null, 2));
} else {
  const fnr = checkPersonId('31129956715');
  console.log('Samhandling: one hospital stay, message by message (synthetic data)\n');
  console.log(`Patient  Kari Nordmann, ${fnr.kind} 311299***** (valid: ${fnr.valid}, born ${fnr.birthDate})`);
  console.log('Parties  Sykehuset Telemark HF (HER 8142520) ⇄ Skien kommune (sykepleietjeneste HER 8143101, saksbehandler HER 8143102); copy to the GP on utskrivningsklar\n');
  const rows = results.map((r, i) => [
    String(i + 1).padStart(2),
    r.at.slice(0, 16).replace('T', ' '),
    r.route.padEnd(30),
    r.type.padEnd(21),
    `${r.bytes} B`.padStart(8),
    r.valid ? 'valid' : `INVALID (${r.issues.length})`,
  ]);
  console.log(' #  sent              route                          type                     size  validation');
  for (const row of rows) console.log(row.join('  '));
  console.log(`\n${results.length} messages built, ${results.length - failures} valid against the bundled MsgHead, PLO 1.6 and Dialogmelding 1.1 schemas and the business rules, each parsed back to its model.`);
  if (values.out) console.log(`XML written to ${resolve(values.out)}`);
  else console.log('Run `node tools/demo/hospital-stay.mjs --out DIR` to write the XML files, or `--json` for a machine-readable report.');
}
process.exit(failures === 0 ? 0 : 1);
