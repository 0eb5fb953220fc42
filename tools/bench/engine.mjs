// Engine benchmark: the two-party loop (tools/demo/loopback.mjs: two engines, SQLite, ebXML over
// SMTP on loopback, test PKI) beside the CMS-only throughput in the same run.
//
//   node tools/bench/engine.mjs [--messages 400] [--window 16] [--rounds 3]
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
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { clearTimeout, setTimeout } from 'node:timers';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLoopback } from '../demo/loopback.mjs';
import { patient as chainPatient, stayChain } from '../demo/stay-chain.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : Number(process.argv[i + 1]);
};
const MESSAGES = arg('messages', 400);
const WINDOW = arg('window', 16);
const ROUNDS = arg('rounds', 3);
const EPJ = { kind: 'epj-system', id: 'bench' };

// Store counters: write transactions (as the engine asks for them) and COMMITs (= fsyncs in WAL
// with synchronous=FULL; with group commit several transactions share one). Counted by wrapping
// better-sqlite3's transaction and prepared BEGIN/SAVEPOINT/COMMIT statements, which is all the
// SQLite adapter uses for writes.
const store = { writes: 0, commits: 0, reads: 0 };
{
  const Database = createRequire(new URL('../../packages/messaging/package.json', import.meta.url))('better-sqlite3');
  const transaction = Database.prototype.transaction;
  Database.prototype.transaction = function (fn) {
    const tx = transaction.call(this, fn);
    return {
      deferred: (...a) => {
        store.reads++;
        return tx.deferred(...a);
      },
      immediate: (...a) => {
        store.writes++;
        store.commits++;
        return tx.immediate(...a);
      },
    };
  };
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (sql, ...rest) {
    const stmt = prepare.call(this, sql, ...rest);
    const count = sql === 'COMMIT' ? 'commits' : sql.startsWith('SAVEPOINT') ? 'writes' : undefined;
    if (count === undefined) return stmt;
    const run = stmt.run.bind(stmt);
    return new Proxy(stmt, { get: (t, k) => (k === 'run' ? (...a) => (store[count]++, run(...a)) : Reflect.get(t, k)) });
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'samhandling-bench-engine-'));
const loop = await startLoopback({ dir, workers: { pollIntervalMs: 1000 } });
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
  side.engine.onEvent((e) => {
    if (e.type !== 'receipt') return;
    const w = waiting.get(e.msgId);
    if (w === undefined) return;
    if (e.state === 'ok') {
      waiting.delete(e.msgId);
      w.resolve();
    } else if (e.state === 'rejected' || e.state === 'partial') {
      waiting.delete(e.msgId);
      w.reject(new Error(`AppRec ${e.state} for ${e.msgId}`));
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
    const r = await side.engine.submit(
      { type: input.type, senderHerId: Number(senderHer), receiverHerId: Number(plo.deepestHerId(input.receiver)), ...(copyTo.length ? { copyTo } : {}), patient, content },
      EPJ,
    );
    if (!r.accepted) throw new Error(`${input.type} refused: ${JSON.stringify(r.issues)}`);
    // The receipt may already have settled while submit returned.
    if (r.message.receipt.state === 'ok') budget.pending.resolve();
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
  const cpu0 = process.cpuUsage();
  const s0 = { ...store };
  const lanes = Array.from({ length: WINDOW }, async () => {
    while (budget.left > 0) {
      const b = { get left() { return budget.left; }, set left(v) { budget.left = v; }, pending: undefined };
      await runStay(next++, b);
    }
  });
  await Promise.all(lanes);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return {
    rate: count / secs,
    patients: next - firstPatient,
    cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / count,
    cpuShare: (cpu.user + cpu.system) / 1e6 / secs,
    writesPerMessage: (store.writes - s0.writes) / count,
    commitsPerMessage: (store.commits - s0.commits) / count,
    readsPerMessage: (store.reads - s0.reads) / count,
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
  console.log(`node ${process.version}; ${MESSAGES} messages per round, ${WINDOW} stays at once, ${ROUNDS} rounds; chain messages ${Math.round(avg)} bytes on average`);
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
      `round ${r + 1}: loop ${res.rate.toFixed(1)} msgs/s (p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms, ${res.cpuMsPerMessage.toFixed(1)} ms CPU/msg, process on CPU ${(res.cpuShare * 100).toFixed(0)}% of the time; store: ${res.writesPerMessage.toFixed(1)} write transactions, ${res.commitsPerMessage.toFixed(1)} commits, ${res.readsPerMessage.toFixed(1)} read transactions per message); CMS only ${c.toFixed(1)} protect+unprotect/s (${cmsCpuMs.toFixed(2)} ms CPU each); ratio ${((res.rate / c) * 100).toFixed(1)}%`,
    );
  }
  const lr = median(loopRates);
  const cr = median(cmsRates);
  console.log(`\nmedian: loop ${lr.toFixed(1)} msgs/s, p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms send-to-AppRec; CMS only ${cr.toFixed(1)}/s; loop = ${((lr / cr) * 100).toFixed(1)}% of CMS only (target ≥ 50%)`);
  const m = await loop.hospital.engine.metrics();
  console.log(`hospital metrics: sent ${m.messagesSentTotal}, received ${m.messagesReceivedTotal}, send failures ${m.sendFailuresTotal}, quarantine ${m.quarantineOpen}`);
} finally {
  await loop.stop();
  rmSync(dir, { recursive: true, force: true });
}
