#!/usr/bin/env node
/* global fetch, setTimeout */
// `npm start`: both reference apps on loopback. Generates a test PKI, an address register, API
// tokens and one configuration per app under tmp/demo/, starts apps/sthf and apps/kommune (each
// with its own SQLite database or PostgreSQL, and its own embedded SMTP server), seeds a demo stay
// (admission and utskrivningsklar) through the hospital's REST API, and prints the URLs and the
// demo credentials. Synthetic data only (31129956715 is the public example fødselsnummer).
//
//   node tools/demo/apps.mjs                      SQLite
//   KOMMUNE_DATABASE_URL=postgresql://… STHF_DATABASE_URL=postgresql://… node tools/demo/apps.mjs --postgres
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareDemo } from '@samhandling/node-app';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { postgres: { type: 'boolean', default: false }, dir: { type: 'string' }, 'no-seed': { type: 'boolean', default: false } } });
const dir = values.dir ?? join(root, 'tmp', 'demo');
const HOST = '127.0.0.1';

if (values.postgres && (!process.env.KOMMUNE_DATABASE_URL || !process.env.STHF_DATABASE_URL)) {
  console.error('--postgres needs KOMMUNE_DATABASE_URL and STHF_DATABASE_URL (one database per party).');
  process.exit(2);
}

rmSync(dir, { recursive: true, force: true });
console.log('Generating a test PKI (RSA keys take a few seconds)…');
// The PKI, address register, tokens and both configurations (shared with the apps' tests).
const setup = await prepareDemo({ dir, host: HOST, postgres: values.postgres });
const { tokens } = setup;
const sthfHttp = setup.httpPorts.sthf;
const kommuneHttp = setup.httpPorts.kommune;

const children = [];
function startApp(app) {
  const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.cjs'), '--config', setup.configFiles[app]], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${app} stopped (${signal ?? code}); stopping the demo.`);
      stop(1);
    }
  });
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function ready(url) {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${url}/health/ready`);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

const sthfUrl = `http://${HOST}:${sthfHttp}`;
const kommuneUrl = `http://${HOST}:${kommuneHttp}`;
startApp('sthf');
startApp('kommune');
try {
  await Promise.all([ready(sthfUrl), ready(kommuneUrl)]);
} catch (err) {
  console.error(err.message);
  stop(1);
}

const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [{ id: '31129956715', typeId: { v: 'FNR', dn: 'Fødselsnummer', s: '2.16.578.1.12.4.1.1.8116' } }] };
async function submit(type, content) {
  const r = await fetch(`${sthfUrl}/api/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.sthf.epj}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type, receiverHerId: 8143101, patient, content }),
  });
  const body = await r.json();
  if (r.status !== 202) throw new Error(`seeding ${type} failed: ${r.status} ${JSON.stringify(body)}`);
  return body.msgId;
}
if (!values['no-seed']) {
  const now = new Date();
  const at = (minutesAgo) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  try {
    await submit('LOG_INNLAGT', { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: at(180), merknad: 'Innlagt etter fall i hjemmet' } });
    await submit('LOG_UTSKRIVNINGSKLAR', { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: at(5), merknad: 'Utskrivningsklar fra i dag' } });
  } catch (err) {
    console.error(err.message);
  }
}

console.log(`
Samhandling demo: both reference apps on loopback (${values.postgres ? 'PostgreSQL' : 'SQLite'}, embedded SMTP, test PKI in ${join(dir, 'pki')})

  Sykehuset Telemark HF (sthf)   ${sthfUrl}
    operator token (UI login):   ${tokens.sthf.operator}
    EPJ token (REST API):        ${tokens.sthf.epj}
  Skien kommune (kommune)        ${kommuneUrl}
    operator token (UI login):   ${tokens.kommune.operator}
    EPJ token (REST API):        ${tokens.kommune.epj}

  API description: <url>/openapi.json (Authorization: Bearer <token>); metrics: <url>/metrics
  ${values['no-seed'] ? '' : 'Seeded: Kari Nordmann admitted and declared utskrivningsklar; answer it in the municipality UI (Innboks).'}
  Configuration, tokens and data: ${dir}. Stop with Ctrl-C.
`);
