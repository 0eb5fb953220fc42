// CMS benchmark: protect/unprotect of @samhandling/cms (built package, packages/cms/dist) beside a
// native node:crypto lower bound doing the same cryptographic work in the same run.
//
//   node tools/bench/cms.mjs            throughput for 20 KB and 1 MB payloads
//   node tools/bench/cms.mjs --memory   peak memory for one 35 MB protect + unprotect
//
// Build first: (cd packages/cms && npx tsup).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cms = await import(path.join(here, '../../packages/cms/dist/index.mjs'));

const clock = () => new Date();
const pki = await cms.createTestPki({
  parties: [
    { name: 'Skien kommune', herId: 1001, orgNumber: '964963738' },
    { name: 'Sykehuset Telemark', herId: 2002, orgNumber: '983975267' },
  ],
});
const [a, b] = pki.parties;
const trust = {
  anchors: [pki.root.certificate],
  intermediates: [pki.intermediate.certificate],
  revocation: new cms.CrlCache({ source: cms.staticCrlSource([pki.crl.pem, pki.rootCrl.pem]), clock }),
};
const protectOptions = { signer: { certificate: a.signing.certificate, key: a.signing.key, chain: [pki.intermediate.certificate] }, recipient: b.encryption.certificate, clock };
const unprotectOptions = { decryptionKeys: [{ certificate: b.encryption.certificate, key: b.encryption.key }], trust, expectedSigner: { organisationNumber: '964963738' }, clock };

const signKey = a.signing.key.keyObject;
const signPub = a.signing.certificate.publicKey;
const encPub = b.encryption.certificate.publicKey;
const encKey = b.encryption.key.keyObject;

/** Native lower bound for protect: sign, encrypt content, wrap the key. */
function nativeProtect(content) {
  const signature = crypto.sign('sha256', content, signKey);
  const key = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16);
  const c = crypto.createCipheriv('aes-256-cbc', key, iv);
  const ct = Buffer.concat([c.update(content), c.final()]);
  const wrapped = crypto.publicEncrypt({ key: encPub, padding: crypto.constants.RSA_PKCS1_PADDING }, key);
  return { signature, iv, ct, wrapped, key };
}

/** A message for the native unprotect: the key wrapped with OAEP, since node refuses PKCS#1 v1.5 private decryption. */
function nativeMessage(content) {
  const m = nativeProtect(content);
  return { ...m, wrapped: crypto.publicEncrypt({ key: encPub, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, m.key) };
}

/** Native lower bound for unprotect: unwrap (OAEP: node refuses PKCS#1 v1.5 private decryption), decrypt, verify. */
function nativeUnprotect(m) {
  const key = crypto.privateDecrypt({ key: encKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, m.wrapped);
  const d = crypto.createDecipheriv('aes-256-cbc', key, m.iv);
  const content = Buffer.concat([d.update(m.ct), d.final()]);
  if (!crypto.verify('sha256', content, signPub, m.signature)) throw new Error('native verify failed');
  return content;
}

async function timed(fn, ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    await fn();
    n++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (n * 1000) / elapsed;
}

/**
 * Measures two functions in alternating rounds (the machine is shared, so load drifts) and
 * returns the median throughput of each.
 */
async function compare(native, ours, rounds = 7, ms = 400) {
  for (let i = 0; i < 5; i++) {
    await native();
    await ours();
  }
  const n = [];
  const o = [];
  for (let r = 0; r < rounds; r++) {
    n.push(await timed(native, ms));
    o.push(await timed(ours, ms));
  }
  const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const wrap = (ops) => ({ opsPerSec: ops, msPerOp: 1000 / ops });
  return [wrap(median(n)), wrap(median(o))];
}

function fmt(r, size) {
  return `${r.opsPerSec.toFixed(0).padStart(6)} ops/s ${r.msPerOp.toFixed(3).padStart(8)} ms/op ${((r.opsPerSec * size) / 1e6).toFixed(1).padStart(7)} MB/s`;
}

async function throughput() {
  console.log(`node ${process.version}, ${crypto.getHashes().length > 0 ? 'OpenSSL ' + process.versions.openssl : ''}, RSA 2048, AES-256-CBC, SHA-256`);
  const rows = [];
  for (const [label, size] of [['20 KB', 20 * 1024], ['1 MB', 1024 * 1024]]) {
    const content = crypto.randomBytes(size);
    const der = cms.protect(content, protectOptions);
    const check = await cms.unprotect(der, unprotectOptions);
    if (Buffer.compare(check.content, content) !== 0) throw new Error('round trip failed');
    const native = nativeMessage(content);
    const [np, op] = await compare(() => nativeProtect(content), () => cms.protect(content, protectOptions));
    const [nu, ou] = await compare(() => nativeUnprotect(native), () => cms.unprotect(der, unprotectOptions));
    console.log(`\n${label}`);
    console.log(`  native protect    ${fmt(np, size)}`);
    console.log(`  ours   protect    ${fmt(op, size)}   ratio ${(op.opsPerSec / np.opsPerSec * 100).toFixed(0)}% of native`);
    console.log(`  native unprotect  ${fmt(nu, size)}`);
    console.log(`  ours   unprotect  ${fmt(ou, size)}   ratio ${(ou.opsPerSec / nu.opsPerSec * 100).toFixed(0)}% of native`);
    rows.push({ label, protect: op.opsPerSec / np.opsPerSec, unprotect: ou.opsPerSec / nu.opsPerSec });
  }
  return rows;
}

async function memory() {
  const size = 35 * 1024 * 1024;
  const content = crypto.randomBytes(size);
  globalThis.gc?.();
  const base = process.resourceUsage().maxRSS * 1024;
  const rssBefore = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const der = cms.protect(content, protectOptions);
  const t1 = process.hrtime.bigint();
  const peakProtect = process.resourceUsage().maxRSS * 1024;
  const result = await cms.unprotect(der, unprotectOptions);
  const t2 = process.hrtime.bigint();
  const peak = process.resourceUsage().maxRSS * 1024;
  if (Buffer.compare(result.content, content) !== 0) throw new Error('round trip failed');
  const mb = (n) => (n / 1024 / 1024).toFixed(1);
  console.log(`35 MB payload: protect ${(Number(t1 - t0) / 1e6).toFixed(0)} ms, unprotect ${(Number(t2 - t1) / 1e6).toFixed(0)} ms`);
  console.log(`  RSS before ${mb(rssBefore)} MB (payload allocated), peak-RSS delta after protect ${mb(peakProtect - Math.max(base, rssBefore))} MB, after unprotect ${mb(peak - Math.max(base, rssBefore))} MB`);
  console.log(`  peak delta = ${((peak - Math.max(base, rssBefore)) / size).toFixed(2)}× the payload (target < 5×)`);
}

if (process.argv.includes('--memory')) {
  await memory();
} else {
  await throughput();
  console.log('\n-- memory (separate process) --');
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory'], { stdio: 'inherit' });
  if (child.status !== 0) process.exitCode = 1;
}
