// Parse + validate benchmark (message layer): @samhandling/schema's validator (guard, native
// compile-once XSD engine, business rules) beside `xmllint --schema` validating the same files in
// ONE process, in the same run. Also times plo's pure-JS reader (readXml) beside bare saxes.
//
//   node tools/bench/validate.mjs [--files 500] [--count 2000] [--rounds 5] [--kb 20] [--ascii]
//
// The free text is Norwegian (æ, ø, å in most sentences); `--ascii` writes it without them.
//
// Build first: (cd packages/plo && npx tsup) && (cd packages/schema && npx tsup) — the native addon
// is built by `npm install` (node-gyp). A report, not a test: it always exits 0.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildMessage, herIdent, orgNumberIdent, personIdent, readXml } from '@samhandling/plo';
import { buildCatalog, createValidator } from '@samhandling/schema';
import { SaxesParser } from 'saxes';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '500' },
    count: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    kb: { type: 'string', default: '20' },
    ascii: { type: 'boolean', default: false },
  },
});
const FILES = Number(values.files);
const COUNT = Number(values.count);
const ROUNDS = Number(values.rounds);
const TARGET_BYTES = Number(values.kb) * 1024;

// --- Messages: UTSKRIVNINGSRAPPORT (PLO 1.6) with free text up to ~TARGET_BYTES ----------------
const OID = (n) => `2.16.578.1.12.4.1.1.${n}`;
const hospital = {
  name: 'Sykehuset Telemark HF',
  idents: [herIdent(8142519), orgNumberIdent('983975267')],
  organisation: { name: 'Somatikk plo meldingsmottak', idents: [herIdent(8142520)] },
};
const nursingService = {
  name: 'Skien kommune',
  idents: [herIdent(8143100), orgNumberIdent('938583986')],
  organisation: { name: 'Sykepleietjeneste', idents: [herIdent(8143101)] },
};
const ward = { kontaktenhet: { name: 'Sykehuset Telemark HF', idents: [herIdent(8142519)], organisation: { name: 'Medisinsk sengepost 3', idents: [herIdent(8142521)] } } };
const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('31129956715', 'FNR')] };
const norwegian = 'Pasienten mobiliseres med gåstol, sår tørt og rent, spiser og drikker selv, trenger tilsyn om natten. ';
const sentence = values.ascii ? norwegian.replace(/å/g, 'aa').replace(/ø/g, 'oe').replace(/æ/g, 'ae') : norwegian;

function message(i, notes) {
  let id = 0;
  return buildMessage(
    {
      type: 'UTSKRIVNINGSRAPPORT',
      sender: hospital,
      receiver: nursingService,
      patient,
      genDate: '2024-03-11T16:00:00+01:00',
      content: {
        informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
        medisinskeDiagnoser: [{ diagnosekode: { v: 'S72.0', s: OID(7110) }, diagnoseBeskrivelse: 'Operert 05.03.', hoveddiagnose: true }],
        sykepleieopplysninger: Array.from({ length: notes }, (_, k) => ({ typeOpplysning: { v: '12', s: OID(9141) }, tekst: `${k + 1}. ${sentence.repeat(6)}` })),
        opphold: [{ hendelsekode: { v: '2', s: OID(9121) }, tidspunkt: '2024-03-11T13:00:00+01:00' }],
        utskrevetTil: { utTil: { v: '11', s: OID(8408) } },
        tilknyttetEnhet: [ward],
      },
    },
    { idGenerator: () => `5a3e0c1d-0000-4000-8000-${String(i * 10 + ++id).padStart(12, '0')}`, clock: () => new Date('2024-03-11T16:00:00+01:00') },
  );
}
let notes = 1;
while (Buffer.byteLength(message(0, notes + 1)) <= TARGET_BYTES) notes++;

const dir = mkdtempSync(path.join(os.tmpdir(), 'samhandling-bench-validate-'));
const files = [];
const buffers = [];
for (let i = 0; i < FILES; i++) {
  const file = path.join(dir, `msg-${String(i).padStart(4, '0')}.xml`);
  const bytes = Buffer.from(message(i, notes), 'utf8');
  writeFileSync(file, bytes);
  files.push(file);
  buffers.push(new Uint8Array(bytes));
}
const avgBytes = Math.round(buffers.reduce((n, b) => n + b.length, 0) / buffers.length);

/** Wall-clock and CPU (user + system, all threads) rates of `fn` over `count` messages. */
function timeLoop(fn, count) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) fn(buffers[i % buffers.length]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { perSecond: count / seconds, cpuPerSecond: count / ((used.user + used.system) / 1e6) };
}

// --- (a) ours: guard, native parse + validate + tree, business rules -------------------------------
const validator = createValidator({ clock: () => new Date('2024-03-11T16:05:00+01:00') });
const probe = validator.validate(buffers[0]);
if (!probe.valid) console.error('warning: the generated message does not validate:', probe.issues.slice(0, 3));
const ours = (bytes) => validator.validate(bytes);

// --- (a') the native core alone: the addon's parse + XSD validation, no facts, no rules, no guard.
// Not a public API: shown so the cost of the layers above libxml can be read off beside xmllint.
const addon = { exports: {} };
process.dlopen(addon, path.join(path.dirname(createRequire(import.meta.url).resolve('@samhandling/schema/package.json')), 'build', 'Release', 'samhandling_xml.node'));

// --- (b) xmllint, one process over all files ---------------------------------------------------------
const version = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
const haveXmllint = version.error === undefined;
const driver = path.join(dir, 'driver.xsd');
const imports = [...buildCatalog().values()].map((e) => `  <xs:import namespace="${e.namespace}" schemaLocation="${pathToFileURL(e.file).href}"/>`);
writeFileSync(driver, `<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:samhandling:bench:driver">\n${imports.join('\n')}\n</xs:schema>\n`);
const coreHandle = addon.exports.compileSchema(readFileSync(driver, 'utf8'), pathToFileURL(driver).href, [path.dirname(driver), ...new Set([...buildCatalog().values()].map((e) => path.dirname(e.file)))]);
const core = (bytes) => addon.exports.validate(coreHandle, bytes, false, 128, 2000000, 256);
if (!core(buffers[0]).valid) console.error('warning: the native core does not accept the generated message');
/** One xmllint process over `list`; `times` (POSIX shell builtin) prints its children's CPU time. */
function xmllint(list) {
  const start = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', 'xmllint --noout --nonet --schema "$@" 2>&1; times', 'sh', driver, ...list], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const times = r.stdout.trim().split('\n').at(-1)?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  const cpuSeconds = times ? Number(times[1]) * 60 + Number(times[2]) + Number(times[3]) * 60 + Number(times[4]) : Number.NaN;
  const validates = (r.stdout.match(/ validates$/gm) ?? []).length;
  if (validates !== list.length) console.error(`warning: xmllint validated ${validates}/${list.length} files:\n${r.stdout.split('\n').slice(0, 5).join('\n')}`);
  return { perSecond: list.length / seconds, cpuPerSecond: list.length / cpuSeconds };
}

// --- (c) plo readXml beside bare saxes ---------------------------------------------------------------
let events = 0;
const count = () => {
  events++;
};
const bareSaxes = (bytes) => {
  const p = new SaxesParser({ xmlns: true, position: true });
  p.on('opentag', count);
  p.on('text', count);
  p.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')).close();
};

// The machine is shared: ours and xmllint alternate in ROUNDS rounds, medians are compared.
for (let i = 0; i < 500; i++) ours(buffers[i % buffers.length]);
for (let i = 0; i < 500; i++) core(buffers[i % buffers.length]);
for (let i = 0; i < 200; i++) readXml(buffers[i % buffers.length]);
for (let i = 0; i < 200; i++) bareSaxes(buffers[i % buffers.length]);
if (haveXmllint) xmllint(files.slice(0, 20));
const samples = { ours: [], core: [], xmllint: [], readXml: [], saxes: [] };
const loads = [];
for (let round = 0; round < ROUNDS; round++) {
  loads.push(os.loadavg()[0]);
  samples.ours.push(timeLoop(ours, COUNT));
  samples.core.push(timeLoop(core, COUNT));
  if (haveXmllint) samples.xmllint.push(xmllint(files));
  samples.readXml.push(timeLoop((bytes) => readXml(bytes), Math.ceil(COUNT / 4)));
  samples.saxes.push(timeLoop(bareSaxes, Math.ceil(COUNT / 4)));
}
rmSync(dir, { recursive: true, force: true });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const summary = (list, key) => ({ median: median(list.map((r) => r[key])), min: Math.min(...list.map((r) => r[key])), max: Math.max(...list.map((r) => r[key])) });
const f = (n) => n.toFixed(0).padStart(5);
const row = (label, list) => {
  const wall = summary(list, 'perSecond');
  const cpu = summary(list, 'cpuPerSecond');
  console.log(`  ${label.padEnd(44)} ${f(wall.median)} msgs/s wall (${f(wall.min)}-${f(wall.max)})  ${f(cpu.median)} msgs/s CPU  ${(1000 / wall.median).toFixed(3)} ms/msg`);
  return { wall: wall.median, cpu: cpu.median };
};
console.log(`Parse + validate: ${FILES} UTSKRIVNINGSRAPPORT messages of ~${(avgBytes / 1024).toFixed(1)} KB (${notes} free-text notes${values.ascii ? ", ASCII only" : ", Norwegian"}), ${ROUNDS} alternating rounds of ${COUNT} validations`);
console.log(`Node ${process.versions.node}, ${os.cpus().length} cores, load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} during the rounds; medians (min-max)`);
const o = row('@samhandling/schema validate(bytes)', samples.ours);
const c = row('native core only (parse + XSD, no facts/rules)', samples.core);
if (haveXmllint) {
  const x = row(`xmllint --schema, one process (${FILES} files)`, samples.xmllint);
  console.log(`  ratio ours / xmllint: ${(o.wall / x.wall).toFixed(2)}x wall, ${(o.cpu / x.cpu).toFixed(2)}x CPU   (${version.stderr.split('\n')[0]})`);
  console.log(`  ratio native core / xmllint: ${(c.wall / x.wall).toFixed(2)}x wall, ${(c.cpu / x.cpu).toFixed(2)}x CPU`);
} else {
  console.log('  xmllint: not installed (apt-get install libxml2-utils)');
}
row('plo readXml(bytes)', samples.readXml);
row('bare saxes (decode + parse, no tree)', samples.saxes);
if (events === 0) console.error('warning: saxes reported no events');
process.exitCode = 0;
