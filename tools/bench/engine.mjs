// Engine benchmark: the two-party loop (tools/demo/loopback.mjs: two engines, SQLite, ebXML over
// SMTP on loopback, test PKI) beside the CMS-only throughput in the same run.
//
//   node tools/bench/engine.mjs [--messages 400] [--window 16] [--rounds 3] [--processes 1|2]
//
// `--processes 2` runs each party in its own process (tools/bench/engine-party.mjs), as two
// organisations do: the loop may then use both cores; CPU per message counts both parties and
// this driver.
//
// Loop: `window` stays run at once; each stay sends the chain of tools/demo/stay-chain.mjs (both
// directions, for its own synthetic patient), one message after the other, the next one when the
// previous one's AppRec has come back. A message counts from `submit` (build, validate, protect,
// outbox) to its AppRec settling `ok` on the sender's side (the receiver opened, checked,
// delivered it and sent the AppRec, which the sender opened and correlated). Throughput =
// messages with their AppRec per second of wall time.
//
// CMS only: protect + unprotect of the same payload (the chain's messages as built XML, signer
// chain validated against the same PKI), one after the other in this process, as tools/bench/cms.mjs
// measures. The loop does at least two of those per message (the message and its AppRec) plus
// validation, the XML-DSig envelope, SMTP and the store, on the same two cores.
//
// Build first: npx nx run-many -t build --projects=@samhandling/messaging (and its dependencies).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HER, HOST, addressRegister, freePort, startLoopback } from '../demo/loopback.mjs';
import { patient as chainPatient, stayChain } from '../demo/stay-chain.mjs';
import { countStoreWork } from './store-counters.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : Number(process.argv[i + 1]);
};
const MESSAGES = arg('messages', 400);
const WINDOW = arg('window', 16);
const ROUNDS = arg('rounds', 3);
const PROCESSES = arg('processes', 1);
if (PROCESSES !== 1 && PROCESSES !== 2) throw new Error('--processes is 1 or 2');
const EPJ = { kind: 'epj-system', id: 'bench' };

// Store counters of the engines in this process (--processes 1); engine-party.mjs counts its own.
const store = countStoreWork();

const dir = mkdtempSync(path.join(tmpdir(), 'samhandling-bench-engine-'));
const WORKERS = { pollIntervalMs: 1000 };

/**
 * The two parties, in this process (startLoopback) or each in its own (engine-party.mjs). A side
 * is `{ submit(input) -> { accepted, msgId, receiptState, issues }, onReceipt(cb) }`; `stats()`
 * sums CPU time and store counters over the processes that run engines (and this one).
 */
async function startParties() {
  if (PROCESSES === 1) {
    const loop = await startLoopback({ dir, workers: WORKERS });
    const side = (engine) => ({
      submit: async (input) => {
        const r = await engine.submit(input, EPJ);
        return { accepted: r.accepted, msgId: r.msgId, receiptState: r.message?.receipt.state, issues: r.accepted ? undefined : r.issues };
      },
      onReceipt: (cb) => engine.onEvent((e) => e.type === 'receipt' && cb(e.msgId, e.state)),
    });
    return {
      hospital: side(loop.hospital.engine),
      kommune: side(loop.kommune.engine),
      pki: loop.pki,
      packages: loop.packages,
      stats: async () => ({ cpu: process.cpuUsage(), store: { ...store } }),
      metrics: () => loop.hospital.engine.metrics(),
      stop: () => loop.stop(),
    };
  }
  const dist = (name) => path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', name, 'dist', 'index.mjs');
  const [cmsPkg, ploPkg] = await Promise.all([import(dist('cms')), import(dist('plo'))]);
  const pki = await cmsPkg.createTestPki({
    clock: () => new Date(Date.now() - 24 * 3600_000),
    parties: [
      { name: 'Sykehuset Telemark HF', herId: HER.hospital, orgNumber: '983975267' },
      { name: 'Skien kommune', herId: HER.kommune, orgNumber: '938583986' },
    ],
  });
  const pkiDir = path.join(dir, 'pki');
  const index = await cmsPkg.writeTestPki(pki, pkiDir);
  const entry = (role) => {
    const e = index.entries.find((x) => x.role === role);
    if (e === undefined) throw new Error(`no ${role} in the test PKI`);
    return e;
  };
  const ports = { sthf: await freePort(), skien: await freePort() };
  const arFile = path.join(dir, 'address-register.json');
  writeFileSync(arFile, JSON.stringify(addressRegister(pki, ports.sthf, ports.skien), null, 2));
  const party = async (name, role, slug, herIds, mailbox) => {
    const configFile = path.join(dir, `${name}.json`);
    writeFileSync(
      configFile,
      JSON.stringify({
        name,
        role,
        herIds,
        pem: {
          signingCertificate: path.join(pkiDir, entry(`party/${slug}/signing`).certificate),
          signingKey: path.join(pkiDir, entry(`party/${slug}/signing`).key),
          encryptionCertificate: path.join(pkiDir, entry(`party/${slug}/encryption`).certificate),
          encryptionKey: path.join(pkiDir, entry(`party/${slug}/encryption`).key),
          root: path.join(pkiDir, entry('root').certificate),
          intermediate: path.join(pkiDir, entry('intermediate').certificate),
        },
        addressRegisterFile: arFile,
        host: HOST,
        port: ports[name],
        mailbox,
        sqlitePath: path.join(dir, `${name}.db`),
        workers: WORKERS,
      }),
    );
    const child = fork(fileURLToPath(new URL('./engine-party.mjs', import.meta.url)), [configFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const calls = new Map();
    const receipts = [];
    let nextId = 0;
    child.on('message', (m) => {
      if (m.op === 'receipt') for (const cb of receipts) cb(m.msgId, m.state);
      else if (m.op === 'reply') {
        calls.get(m.id)?.(m);
        calls.delete(m.id);
      }
    });
    const call = (m) =>
      new Promise((resolve) => {
        const id = nextId++;
        calls.set(id, resolve);
        child.send({ ...m, id });
      });
    await new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
      child.on('message', (m) => m.op === 'ready' && resolve());
    });
    return {
      child,
      submit: (input) => call({ op: 'submit', input }),
      onReceipt: (cb) => receipts.push(cb),
      stats: () => call({ op: 'stats' }),
    };
  };
  const hospital = await party('sthf', 'hospital', 'sykehuset-telemark-hf', { main: HER.hospitalService, all: [HER.hospital, HER.hospitalService] }, 'edi@sykehus.test');
  const kommune = await party('skien', 'municipality', 'skien-kommune', { main: HER.nursing, all: [HER.kommune, HER.nursing, HER.caseOffice] }, 'edi@kommune.test');
  return {
    hospital,
    kommune,
    pki,
    packages: { cms: cmsPkg, plo: ploPkg },
    stats: async () => {
      const [h, k] = await Promise.all([hospital.stats(), kommune.stats()]);
      const own = process.cpuUsage();
      const sum = (key) => h.store[key] + k.store[key];
      return { cpu: { user: h.cpu.user + k.cpu.user + own.user, system: h.cpu.system + k.cpu.system + own.system }, store: { writes: sum('writes'), commits: sum('commits'), reads: sum('reads') } };
    },
    metrics: async () => (await hospital.stats()).metrics,
    stop: async () => {
      for (const p of [hospital, kommune]) {
        const exited = new Promise((resolve) => p.child.once('exit', resolve));
        p.child.send({ op: 'stop' });
        await exited;
      }
    },
  };
}

const loop = await startParties();
const { plo, cms } = loop.packages;

/** A valid synthetic fødselsnummer per index (born 19xx, individual number 100–499). */
function fnr(i) {
  for (let k = 0; ; k++) {
    const n = i * 37 + k;
    const nine = `${String(1 + (n % 28)).padStart(2, '0')}${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}${30 + (Math.floor(n / 336) % 60)}${100 + (Math.floor(n / 20160) % 400)}`;
    const cd = plo.personIdCheckDigits(nine);
    if (cd !== null) return nine + cd;
  }
}

function patientOf(i) {
  return { ...chainPatient, givenName: `Kari ${i}`, idents: [plo.personIdent(fnr(i), 'FNR')] };
}

/** Resolves when `msgId`'s receipt settles on `side`. */
const waiting = new Map();
for (const side of [loop.hospital, loop.kommune]) {
  side.onReceipt((msgId, state) => {
    const w = waiting.get(msgId);
    if (w === undefined) return;
    if (state === 'ok') {
      waiting.delete(msgId);
      w.resolve();
    } else if (state === 'rejected' || state === 'partial') {
      waiting.delete(msgId);
      w.reject(new Error(`AppRec ${state} for ${msgId}`));
    }
  });
}

const latencies = [];
async function runStay(i, budget) {
  const patient = patientOf(i);
  const ids = [];
  for (const [, , input] of stayChain) {
    if (budget.left <= 0) return;
    budget.left--;
    const senderHer = plo.deepestHerId(input.sender);
    const fromHospital = senderHer.startsWith('81425');
    const side = fromHospital ? loop.hospital : loop.kommune;
    const content = Object.fromEntries(Object.entries(input.content).map(([k, v]) => [k, typeof v === 'function' ? v(ids) : v]));
    const copyTo = (input.otherReceivers ?? []).map((o) => Number(plo.deepestHerId(o.organisation)));
    const t0 = process.hrtime.bigint();
    const settled = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no AppRec within 60 s')), 60_000);
      timer.unref();
      const done = { resolve: () => (clearTimeout(timer), resolve()), reject: (e) => (clearTimeout(timer), reject(e)) };
      budget.pending = done;
    });
    const r = await side.submit({
      type: input.type,
      senderHerId: Number(senderHer),
      receiverHerId: Number(plo.deepestHerId(input.receiver)),
      ...(copyTo.length ? { copyTo } : {}),
      patient,
      content,
    });
    if (!r.accepted) throw new Error(`${input.type} refused: ${JSON.stringify(r.issues)}`);
    // The receipt may already have settled while submit returned.
    if (r.receiptState === 'ok') budget.pending.resolve();
    else waiting.set(r.msgId, budget.pending);
    await settled;
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    ids.push(r.msgId);
  }
}

async function loopRound(count, firstPatient) {
  const budget = { left: count };
  let next = firstPatient;
  const start = process.hrtime.bigint();
  const { cpu: cpu0, store: s0 } = await loop.stats();
  const lanes = Array.from({ length: WINDOW }, async () => {
    while (budget.left > 0) {
      const b = { get left() { return budget.left; }, set left(v) { budget.left = v; }, pending: undefined };
      await runStay(next++, b);
    }
  });
  await Promise.all(lanes);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const { cpu: cpu1, store: s1 } = await loop.stats();
  const cpu = { user: cpu1.user - cpu0.user, system: cpu1.system - cpu0.system };
  return {
    rate: count / secs,
    patients: next - firstPatient,
    cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / count,
    cpuShare: (cpu.user + cpu.system) / 1e6 / secs,
    writesPerMessage: (s1.writes - s0.writes) / count,
    commitsPerMessage: (s1.commits - s0.commits) / count,
    readsPerMessage: (s1.reads - s0.reads) / count,
  };
}

// --- CMS only: protect + unprotect of the chain's messages, same PKI ---
const [hc, kc] = loop.pki.parties;
const payloads = [];
{
  const ids = [];
  for (const [at, , input] of stayChain) {
    const content = Object.fromEntries(Object.entries(input.content).map(([k, v]) => [k, typeof v === 'function' ? v(ids) : v]));
    const msgId = `00000000-0000-4000-8000-${String(payloads.length).padStart(12, '0')}`;
    ids.push(msgId);
    payloads.push(Buffer.from(plo.buildMessage({ ...input, msgId, content, patient: chainPatient, genDate: at })));
  }
}
const trust = { anchors: [loop.pki.root.certificate], intermediates: [loop.pki.intermediate.certificate] };
async function cmsRound(ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    const p = payloads[n % payloads.length];
    const der = cms.protect(p, { signer: { certificate: hc.signing.certificate, key: hc.signing.key }, recipient: kc.encryption.certificate });
    await cms.unprotect(der, { decryptionKeys: [{ certificate: kc.encryption.certificate, key: kc.encryption.key }], trust });
    n++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (n * 1000) / elapsed;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

try {
  const avg = payloads.reduce((a, p) => a + p.length, 0) / payloads.length;
  console.log(
    `node ${process.version}; ${MESSAGES} messages per round, ${WINDOW} stays at once, ${ROUNDS} rounds; chain messages ${Math.round(avg)} bytes on average; ${PROCESSES === 1 ? 'both parties in this process' : 'each party in its own process'}`,
  );
  // warm-up: one stay's chain plus a short CMS round
  await loopRound(stayChain.length, 0);
  await cmsRound(300);
  latencies.length = 0;
  const loopRates = [];
  const cmsRates = [];
  let patient = 1000;
  for (let r = 0; r < ROUNDS; r++) {
    const before = latencies.length;
    const res = await loopRound(MESSAGES, patient);
    patient += res.patients + 1;
    loopRates.push(res.rate);
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const c = await cmsRound(3000);
    const cmsCpu = process.cpuUsage(cpu0);
    const cmsCpuMs = (cmsCpu.user + cmsCpu.system) / 1000 / ((c * Number(process.hrtime.bigint() - t0)) / 1e9);
    cmsRates.push(c);
    const lat = latencies.slice(before);
    console.log(
      `round ${r + 1}: loop ${res.rate.toFixed(1)} msgs/s (p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms, ${res.cpuMsPerMessage.toFixed(1)} ms CPU/msg, ${PROCESSES === 1 ? "process" : "processes"} on CPU ${(res.cpuShare * 100).toFixed(0)}% of the time; store: ${res.writesPerMessage.toFixed(1)} write transactions, ${res.commitsPerMessage.toFixed(1)} commits, ${res.readsPerMessage.toFixed(1)} read transactions per message); CMS only ${c.toFixed(1)} protect+unprotect/s (${cmsCpuMs.toFixed(2)} ms CPU each); ratio ${((res.rate / c) * 100).toFixed(1)}%`,
    );
  }
  const lr = median(loopRates);
  const cr = median(cmsRates);
  console.log(`\nmedian: loop ${lr.toFixed(1)} msgs/s, p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms send-to-AppRec; CMS only ${cr.toFixed(1)}/s; loop = ${((lr / cr) * 100).toFixed(1)}% of CMS only (target ≥ 50%)`);
  const m = await loop.metrics();
  console.log(`hospital metrics: sent ${m.messagesSentTotal}, received ${m.messagesReceivedTotal}, send failures ${m.sendFailuresTotal}, quarantine ${m.quarantineOpen}`);
} finally {
  await loop.stop();
  rmSync(dir, { recursive: true, force: true });
}
