#!/usr/bin/env node
// Generates packages/plo/src/codelists/volven.generated.ts from the Volven code-list extract
// (TSV with columns oid, codesystem, code, displayname). Node built-ins only.
//
// Usage:
//   node tools/scripts/gen-codelists.mjs                 write the generated file
//   node tools/scripts/gen-codelists.mjs --stdout        print it instead of writing
//   node tools/scripts/gen-codelists.mjs --check         exit 1 when the committed file is stale
//   options: --source PATH (default: ../shared/reference/volven-codes-selected.tsv beside the repo)
//            --date YYYY-MM-DD (default: today, UTC; only written into the header)
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = join(root, 'packages', 'plo', 'src', 'codelists', 'volven.generated.ts');
const defaultSource = resolve(root, '..', 'shared', 'reference', 'volven-codes-selected.tsv');
const OID_PREFIX = '2.16.578.1.12.4.1.1.';

/**
 * Descriptive English names for the code systems, written for this project from how each list is
 * used in the messages; they are not Volven's official titles.
 */
const NAMES = {
  7300: 'Discharged to (destination at discharge)',
  7304: 'Yes / no / only on error',
  7309: 'Forsendelsesstatus (dispatch status: new, change, addition, history, cancellation)',
  7318: 'Health professional role in a report',
  7321: 'Dialogue note type (Notat)',
  7322: 'Dialogue request topic (Forespørsel)',
  8112: 'Receiver role (primary, copy, original, forwarded)',
  8113: 'Processing status (MsgInfo/ProcessingStatus)',
  8115: 'Priority',
  8116: 'Person identifier type (Ident/TypeId for persons)',
  8117: 'Error feedback type (Tilbakemelding om feil, DIALOG_AVVIK)',
  8221: 'AppRec error code',
  8222: 'Error code in feedback on received forms',
  8241: 'Health professional identifier type',
  8254: 'Health professional role',
  8258: 'AppRec status',
  8268: 'Identifier type for persons and organisations',
  8270: 'Dispatch status (status of the message)',
  8279: 'Message type (MsgInfo/Type)',
  8331: 'Request type',
  8408: 'Place category',
  8663: 'Municipal service type',
  8666: 'Service type',
  9032: 'Person identifier type (numeric)',
  9033: 'Relation to the patient',
  9034: 'Role in relation to the patient',
  9040: 'Organisation category',
  9050: 'Role of a guardian or representative',
  9051: 'Organisation identifier type (Ident/TypeId for organisations)',
  9060: 'Health personnel category',
  9065: 'Journal transfer request type',
  9067: 'Urgency',
  9068: 'Purpose of a journal transfer',
  9069: 'Answer status (Svar på forespørsel)',
  9121: 'Patient logistics event (Pasientlogistikk)',
  9137: 'Type of Helseopplysninger til lege',
  9138: 'Type of Medisinske opplysninger',
  9139: 'Type of discharge summary',
  9140: 'Type of Helseopplysninger (notice or update)',
  9141: 'Nursing report section type',
  9142: 'Nursing information category',
  9151: 'Municipal health and care service',
  9152: 'Topic of a request to the GP',
  9153: 'Topic of a request to the municipality',
  9154: 'Topic of a request to the hospital',
};

function fail(message) {
  console.error(`gen-codelists: ${message}`);
  process.exit(2);
}

/** Digit strings compare numerically; anything else compares by code units (locale-independent). */
function compareCodes(a, b) {
  const da = /^[0-9]+$/.test(a);
  const db = /^[0-9]+$/.test(b);
  if (da && db) return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parses the TSV into a sorted list of systems; exits on malformed input. */
export function parseTsv(text) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines.shift() ?? '').split('\t');
  const expected = ['oid', 'codesystem', 'code', 'displayname'];
  if (header.join('\t') !== expected.join('\t')) fail(`unexpected header: ${header.join(', ')}`);
  const systems = new Map();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cols = line.split('\t');
    if (cols.length !== 4) fail(`line ${i + 2}: expected 4 columns, found ${cols.length}`);
    const [oid, system, code, displayName] = cols.map((c) => c.trim());
    if (!/^[0-9]+$/.test(system)) fail(`line ${i + 2}: code system is not a number: ${system}`);
    if (oid !== OID_PREFIX + system) fail(`line ${i + 2}: OID ${oid} does not match system ${system}`);
    if (code === '') fail(`line ${i + 2}: empty code`);
    let list = systems.get(system);
    if (!list) {
      list = { system, oid, codes: new Map() };
      systems.set(system, list);
    }
    if (list.codes.has(code)) fail(`line ${i + 2}: duplicate code ${code} in ${system}`);
    list.codes.set(code, displayName);
  });
  return [...systems.values()].sort((a, b) => Number(a.system) - Number(b.system));
}

/** Renders the TypeScript module. */
export function render(systems, { sourceLabel, sourceSha256, date }) {
  const q = (s) => JSON.stringify(s);
  const out = [];
  out.push('/**');
  out.push(' * Volven code lists (kodeverk) used by PLO, MsgHead, AppRec and dialogue messages.');
  out.push(' *');
  out.push(' * GENERATED — DO NOT EDIT. Changes belong in the source data or in the generator.');
  out.push(` * Source: ${sourceLabel} (SHA-256 ${sourceSha256})`);
  out.push(` * Generated on: ${date}`);
  out.push(' * Regenerate: node tools/scripts/gen-codelists.mjs   (check: --check)');
  out.push(' *');
  out.push(' * Codes and display names are data from Volven (Helsedirektoratet), OID 2.16.578.1.12.4.1.1.<system>.');
  out.push(" * Lists or codes missing from the extract are added by hand in './volven.supplement.ts'.");
  out.push(' */');
  out.push("import type { CodeListData } from './types';");
  out.push('');
  out.push('/** Code lists from the Volven extract, ordered by system number. */');
  out.push('export const VOLVEN_GENERATED = [');
  for (const s of systems) {
    out.push('  {');
    out.push(`    system: ${q(s.system)},`);
    out.push(`    oid: ${q(s.oid)},`);
    const name = NAMES[s.system];
    if (name) out.push(`    name: ${q(name)},`);
    out.push('    codes: [');
    const codes = [...s.codes.entries()].sort(([a], [b]) => compareCodes(a, b));
    for (const [code, displayName] of codes) out.push(`      { code: ${q(code)}, displayName: ${q(displayName)} },`);
    out.push('    ],');
    out.push('  },');
  }
  out.push('] as const satisfies readonly CodeListData[];');
  out.push('');
  for (const s of systems) {
    const codes = [...s.codes.keys()].sort(compareCodes);
    out.push(`/** Codes of Volven ${s.system}${NAMES[s.system] ? ` (${NAMES[s.system]})` : ''} in the extract. */`);
    if (codes.length <= 12) {
      out.push(`export type Volven${s.system}Code = ${codes.map(q).join(' | ')};`);
    } else {
      out.push(`export type Volven${s.system}Code =`);
      codes.forEach((c, i) => out.push(`  | ${q(c)}${i === codes.length - 1 ? ';' : ''}`));
    }
  }
  out.push('');
  return out.join('\n');
}

/** Drops the generation date line so two renderings of the same data compare equal. */
export function withoutDate(text) {
  return text.replace(/^ \* Generated on: .*$/m, ' * Generated on: <date>');
}

function main() {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      date: { type: 'string' },
      stdout: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node tools/scripts/gen-codelists.mjs [--source TSV] [--date YYYY-MM-DD] [--stdout | --check]');
    return;
  }
  const source = resolve(values.source ?? defaultSource);
  if (!existsSync(source)) fail(`source not found: ${source}`);
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail('--date must be YYYY-MM-DD');
  const bytes = readFileSync(source);
  const sourceSha256 = createHash('sha256').update(bytes).digest('hex');
  const rel = relative(root, source).split('\\').join('/');
  const sourceLabel = rel.startsWith('../shared/') ? `shared/${rel.slice('../shared/'.length)}` : rel;
  const text = render(parseTsv(bytes.toString('utf8')), { sourceLabel, sourceSha256, date });

  if (values.stdout) {
    process.stdout.write(text);
  } else if (values.check) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (withoutDate(current) !== withoutDate(text)) {
      console.error(`gen-codelists: ${relative(root, target)} is stale; run node tools/scripts/gen-codelists.mjs`);
      process.exit(1);
    }
    console.log('gen-codelists: up to date');
  } else {
    writeFileSync(target, text);
    console.log(`gen-codelists: wrote ${relative(root, target)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
