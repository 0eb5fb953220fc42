#!/usr/bin/env node
/* global fetch, setTimeout, clearTimeout */
// `npm start`: both reference apps on loopback. Generates a test PKI, an address register, API
// tokens and one configuration per app under tmp/demo/, starts apps/sthf and apps/kommune (each
// with its own SQLite database or PostgreSQL, and its own embedded SMTP server), seeds a demo stay
// (admission and utskrivningsklar) through the hospital's REST API, and prints the URLs and the
// demo credentials (also written to <dir>/demo.json, mode 0600). A failed seed is printed with its
// reason in the summary and in demo.json (`seed`); the apps keep running when they are ready, else
// the demo stops with status 1. Synthetic data only (31129956715 is the public example fødselsnummer).
//
//   node tools/demo/apps.mjs                      SQLite
//   node tools/demo/apps.mjs --postgres           PostgreSQL: a private throw-away cluster (initdb in a
//                                                 temporary folder, free loopback port, databases sthf and
//                                                 kommune), stopped and removed on exit (Ctrl-C, SIGTERM)
//   KOMMUNE_DATABASE_URL=postgresql://… STHF_DATABASE_URL=postgresql://… node tools/demo/apps.mjs --postgres
//                                                 PostgreSQL: your own server (one database per party)
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareDemo } from '@samhandling/node-app';
import { startPrivatePostgres } from './private-postgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { postgres: { type: 'boolean', default: false }, dir: { type: 'string' }, 'no-seed': { type: 'boolean', default: false } } });
const dir = values.dir ?? join(root, 'tmp', 'demo');
const HOST = '127.0.0.1';

const childEnv = { ...process.env };
let privatePg;
let pgLabel = '';
if (values.postgres) {
  const k = process.env.KOMMUNE_DATABASE_URL;
  const s = process.env.STHF_DATABASE_URL;
  if (Boolean(k) !== Boolean(s)) {
    console.error('--postgres: set both KOMMUNE_DATABASE_URL and STHF_DATABASE_URL (one database per party), or neither for a private server.');
    process.exit(2);
  }
  if (k && s) {
    pgLabel = 'PostgreSQL from KOMMUNE_DATABASE_URL / STHF_DATABASE_URL';
  } else {
    console.log('Starting a private PostgreSQL server (initdb in a temporary folder)…');
    try {
      privatePg = await startPrivatePostgres({ databases: ['sthf', 'kommune'] });
    } catch (err) {
      console.error(err.message);
      console.error('Or point the demo at your own server: KOMMUNE_DATABASE_URL=postgresql://… STHF_DATABASE_URL=postgresql://… npm start -- --postgres');
      process.exit(2);
    }
    childEnv.STHF_DATABASE_URL = privatePg.url('sthf');
    childEnv.KOMMUNE_DATABASE_URL = privatePg.url('kommune');
    pgLabel = `private PostgreSQL ${privatePg.version} on 127.0.0.1:${privatePg.port}, removed on exit`;
  }
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
  const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.cjs'), '--config', setup.configFiles[app]], { cwd: root, env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] });
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
/** Stops the apps (SIGTERM, waiting up to 10 s each), then the private PostgreSQL server, then exits. */
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => {
            c.kill('SIGKILL');
            resolve();
          }, 10_000);
          c.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
  if (privatePg !== undefined) {
    privatePg.stop();
    console.log('Private PostgreSQL server stopped and removed.');
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function ready(url, token) {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${url}/health/ready`, { headers: { authorization: `Bearer ${token}` } });
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
  await Promise.all([ready(sthfUrl, tokens.sthf.monitor), ready(kommuneUrl, tokens.kommune.monitor)]);
} catch (err) {
  console.error(err.message);
  await stop(1);
}

const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [{ id: '31129956715', typeId: { v: 'FNR', dn: 'Fødselsnummer', s: '2.16.578.1.12.4.1.1.8116' } }] };
/** Sends one message through the hospital's REST API; throws an Error naming the type, the HTTP status and the API's error code and message. */
async function submit(type, content) {
  let r;
  try {
    r = await fetch(`${sthfUrl}/api/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.sthf.epj}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type, receiverHerId: 8143101, patient, content }),
    });
  } catch (err) {
    const code = err?.cause?.code ?? err?.code;
    throw new Error(`seeding ${type} failed: ${err?.cause?.message ?? err?.message ?? String(err)}${code !== undefined ? ` (${code})` : ''}`);
  }
  const text = await r.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (r.status !== 202 || typeof body?.msgId !== 'string') {
    const issue = Array.isArray(body?.issues) && body.issues.length > 0 ? body.issues[0] : undefined;
    const detail = body?.error !== undefined ? `${body.error}: ${body.message ?? ''}` : text.slice(0, 300);
    const first = issue === undefined ? '' : `; first issue: ${[issue.code, issue.path, issue.message].filter(Boolean).join(' ')}${body.issues.length > 1 ? ` (and ${body.issues.length - 1} more)` : ''}`;
    throw new Error(`seeding ${type} failed: HTTP ${r.status} ${detail}${first}`);
  }
  return body.msgId;
}

/** Whether an app answers its readiness check now (one attempt). */
async function isReady(url, token) {
  try {
    return (await fetch(`${url}/health/ready`, { headers: { authorization: `Bearer ${token}` } })).ok;
  } catch {
    return false;
  }
}

// The demo stay. A failure is reported (here, in the summary and in demo.json) and the apps keep
// running when they are healthy: they are usable without the stay. When they are not, the demo stops
// with status 1.
/** undefined with --no-seed; otherwise `{ ok, sent: [the types the API accepted], error? }`. */
let seed;
if (!values['no-seed']) {
  const now = new Date();
  const at = (minutesAgo) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const sent = [];
  try {
    await submit('LOG_INNLAGT', { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: at(180), merknad: 'Innlagt etter fall i hjemmet' } });
    sent.push('LOG_INNLAGT');
    await submit('LOG_UTSKRIVNINGSKLAR', { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: at(5), merknad: 'Utskrivningsklar fra i dag' } });
    sent.push('LOG_UTSKRIVNINGSKLAR');
    seed = { ok: true, sent };
  } catch (err) {
    seed = { ok: false, sent, error: err instanceof Error ? err.message : String(err) };
    console.error(`Seeding the demo stay failed: ${seed.error}`);
    const healthy = await Promise.all([isReady(sthfUrl, tokens.sthf.monitor), isReady(kommuneUrl, tokens.kommune.monitor)]);
    if (!healthy.every(Boolean)) {
      console.error(`${['sthf', 'kommune'].filter((_, i) => !healthy[i]).join(' and ')} not ready either; stopping the demo.`);
      await stop(1);
    }
  }
}

let seedLines = '';
if (seed?.ok === true) {
  seedLines = 'Seeded: Kari Nordmann admitted and declared utskrivningsklar; answer it in the municipality UI (Innboks).';
} else if (seed?.ok === false) {
  seedLines = `NOT SEEDED: ${seed.sent.length === 0 ? 'the demo stay could not be sent.' : `the demo stay is incomplete (accepted before the failure: ${seed.sent.join(', ')}).`}
    ${seed.error}
  The apps are running without it: send messages from the hospital's UI or REST API.`;
}
// stop() may already be under way (an app exited): then it exits, and there is nothing to announce.
if (!stopping) {
  writeFileSync(
    join(dir, 'demo.json'),
    `${JSON.stringify({ store: values.postgres ? 'postgres' : 'sqlite', seed: seed ?? null, sthf: { url: sthfUrl, tokens: tokens.sthf }, kommune: { url: kommuneUrl, tokens: tokens.kommune } }, null, 2)}\n`,
    { mode: 0o600 },
  );
  console.log(`
Samhandling demo: both reference apps on loopback (${values.postgres ? pgLabel : 'SQLite'}, embedded SMTP, test PKI in ${join(dir, 'pki')})

  Sykehuset Telemark HF (sthf)   ${sthfUrl}
    operator token (UI login):   ${tokens.sthf.operator}
    EPJ token (REST API):        ${tokens.sthf.epj}
  Skien kommune (kommune)        ${kommuneUrl}
    operator token (UI login):   ${tokens.kommune.operator}
    EPJ token (REST API):        ${tokens.kommune.epj}

  Read-only and monitor tokens (health, readiness, metrics): ${join(dir, 'demo.json')}
  API description: <url>/openapi.json (Authorization: Bearer <token>); metrics: <url>/metrics (monitor token)
  ${seedLines}
  Configuration, tokens and data: ${dir}. Stop with Ctrl-C.
`);
}
