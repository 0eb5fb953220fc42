#!/usr/bin/env node
// The main job until the reference apps run: two messaging engines on loopback (the hospital and
// the municipality; SQLite in a temporary folder, embedded SMTP servers, ebXML over SMTP, a
// generated test PKI and address register; tools/demo/loopback.mjs) through one scripted hospital
// stay (tools/demo/stay-chain.mjs). Prints the timeline: each message with its transport
// acknowledgment and AppRec, then the procedure state as both sides see it.
//
//   node tools/demo/two-engines.mjs            (build first: npx nx run-many -t build)
//   node tools/demo/two-engines.mjs --json     the timeline as JSON
//
// Synthetic data only. The clock is simulated: each message is sent at the time the chain gives it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout } from 'node:timers';
import path from 'node:path';
import { startLoopback } from './loopback.mjs';
import { patient, stayChain } from './stay-chain.mjs';

const json = process.argv.includes('--json');
const EPJ = { kind: 'epj-system', id: 'demo-epj' };
const OPERATOR = { kind: 'operator', id: 'demo' };
let now = new Date(stayChain[0][0]);
const clock = () => new Date(now.getTime());
const dir = mkdtempSync(path.join(tmpdir(), 'samhandling-two-engines-'));
const out = (line) => {
  if (!json) console.log(line);
};

async function until(check, what, ms = 20_000) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const loop = await startLoopback({ dir, clock, workers: { pollIntervalMs: 50 } });
const { plo } = loop.packages;
const timeline = [];
try {
  out('Two engines on loopback (ebXML over SMTP, SQLite, test PKI)');
  out(`  hospital     Sykehuset Telemark HF  HER ${loop.hospital.herIds.join('/')}  SMTP ${loop.hospital.engine.transport.address().port}`);
  out(`  municipality Skien kommune          HER ${loop.kommune.herIds.join('/')}  SMTP ${loop.kommune.engine.transport.address().port}`);
  out(`  patient      ${patient.givenName} ${patient.familyName} (synthetic)\n`);
  out('time (chain)               from → to                        message                AppRec   transport');
  const ids = [];
  for (const [at, route, input] of stayChain) {
    now = new Date(at);
    const senderHer = plo.deepestHerId(input.sender);
    const [from, to] = senderHer.startsWith('81425') ? [loop.hospital, loop.kommune] : [loop.kommune, loop.hospital];
    const content = Object.fromEntries(Object.entries(input.content).map(([k, v]) => [k, typeof v === 'function' ? v(ids) : v]));
    const copyTo = (input.otherReceivers ?? []).map((o) => Number(plo.deepestHerId(o.organisation)));
    const r = await from.engine.submit(
      { type: input.type, senderHerId: Number(senderHer), receiverHerId: Number(plo.deepestHerId(input.receiver)), ...(copyTo.length ? { copyTo } : {}), patient, content },
      EPJ,
    );
    if (!r.accepted) throw new Error(`${input.type} refused: ${JSON.stringify(r.issues)}`);
    ids.push(r.msgId);
    const view = async () => (await from.engine.listOutgoing({ type: input.type }, OPERATOR)).find((o) => o.msgId === r.msgId);
    await until(async () => (await to.engine.listInbox({}, EPJ)).some((i) => i.msgId === r.msgId), `${input.type} delivered`);
    await until(async () => (await view())?.receipt.state === 'ok', `${input.type} AppRec`);
    await until(async () => (await view())?.transport.state === 'acknowledged', `${input.type} acknowledged`);
    const v = await view();
    const receipt = v.receipt.status === '1' ? 'OK' : `status ${v.receipt.status}`;
    timeline.push({ at, route, type: input.type, msgId: r.msgId, receipt: v.receipt.state, appRecStatus: v.receipt.status, transport: v.transport.state, attempts: v.transport.attempts });
    out(`${at}  ${route.padEnd(32)} ${input.type.padEnd(22)} ${receipt.padEnd(8)} ${v.transport.state} (${v.transport.attempts} attempt${v.transport.attempts === 1 ? '' : 's'})`);
  }
  // Every AppRec the engines sent was acknowledged too.
  for (const side of [loop.hospital, loop.kommune]) {
    await until(async () => (await side.engine.listOutgoing({}, OPERATOR)).every((o) => o.transport.state === 'acknowledged'), 'AppRec acknowledgments');
  }
  const [hs] = await loop.hospital.engine.listStays(OPERATOR);
  const [ks] = await loop.kommune.engine.listStays(OPERATOR);
  const same = JSON.stringify(hs?.procedure) === JSON.stringify(ks?.procedure);
  const p = hs?.procedure ?? {};
  const tasks = await loop.hospital.engine.listTasks({ open: true }, OPERATOR);
  const mTasks = await loop.kommune.engine.listTasks({ open: true }, OPERATOR);
  const summary = {
    sameProcedureStateOnBothSides: same,
    state: p.state,
    phase: p.phase,
    messages: p.messages,
    paymentDays: p.paymentDays,
    deadlines: p.deadlines,
    openTasks: { hospital: tasks.map((t) => t.title), municipality: mTasks.map((t) => t.title) },
    inbox: { hospital: (await loop.hospital.engine.listInbox({}, EPJ)).length, municipality: (await loop.kommune.engine.listInbox({}, EPJ)).length },
  };
  if (json) {
    console.log(JSON.stringify({ timeline, procedure: hs?.procedure, summary }, null, 2));
  } else {
    out(`\nProcedure state (hospital and municipality ${same ? 'agree' : 'DISAGREE'}): ${p.state}, phase ${p.phase}, ${p.messages} procedure messages`);
    if (Array.isArray(p.paymentDays)) out(`  municipal payment days: ${p.paymentDays.length === 0 ? 'none' : p.paymentDays.join(', ')}`);
    if (Array.isArray(p.deadlines)) {
      for (const d of p.deadlines) out(`  deadline ${String(d.rule ?? d.id).padEnd(28)} ${d.status ?? ''}${d.breached && d.status !== 'breached' ? ' (breached)' : ''}${d.due ? ` due ${d.due}` : ''}`);
    }
    out(`  EPJ inboxes: hospital ${summary.inbox.hospital}, municipality ${summary.inbox.municipality} (each message once)`);
    out(`  open tasks at the hospital: ${tasks.length === 0 ? 'none' : tasks.map((t) => t.title).join('; ')}`);
    out(`  open tasks in the municipality: ${mTasks.length === 0 ? 'none' : mTasks.map((t) => t.title).join('; ')}`);
  }
  if (!same) process.exitCode = 1;
} finally {
  await loop.stop();
  rmSync(dir, { recursive: true, force: true });
}
