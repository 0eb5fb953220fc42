// One party of the engine benchmark in its own process (`node tools/bench/engine.mjs --processes 2`):
// started by engine.mjs with the path of a JSON config (party, PEM files, address register, port,
// database), it runs one messaging engine (built packages, SQLite, ebXML over SMTP) and answers
// over IPC:
//   { op: 'submit', id, input }  -> { op: 'reply', id, accepted, msgId, receiptState, issues }
//   { op: 'stats', id }          -> { op: 'reply', id, cpu: { user, system }, store: { writes, commits, reads }, metrics }
//   { op: 'stop' }               -> the engine stops, the process exits
// and reports every receipt state change: { op: 'receipt', msgId, state }.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countStoreWork } from './store-counters.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const packages = path.join(here, '..', '..', 'packages');
const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const EPJ = { kind: 'epj-system', id: 'bench' };

const store = countStoreWork();

const messaging = await import(path.join(packages, 'messaging', 'dist', 'index.mjs'));
const cms = await import(path.join(packages, 'cms', 'dist', 'index.mjs'));
const read = (file) => readFileSync(file, 'utf8');
const engine = messaging.createMessagingNode({
  role: config.role,
  herIds: config.herIds,
  instanceId: config.name,
  credentials: {
    signing: { certificate: cms.parseCertificate(read(config.pem.signingCertificate)), key: cms.loadPrivateKey(read(config.pem.signingKey)) },
    encryption: { certificate: cms.parseCertificate(read(config.pem.encryptionCertificate)), key: cms.loadPrivateKey(read(config.pem.encryptionKey)) },
    trustAnchors: [cms.parseCertificate(read(config.pem.root))],
    intermediates: [cms.parseCertificate(read(config.pem.intermediate))],
  },
  patientRefKey: `${config.name}-patient-reference-key`,
  store: { sqlitePath: config.sqlitePath },
  addressRegisterFile: config.addressRegisterFile,
  smtp: { listen: { host: config.host, port: config.port }, mailbox: config.mailbox, clientTimeoutMs: 5000 },
  workers: config.workers,
});
const send = (m) => {
  if (process.connected) process.send(m);
};
engine.onEvent((e) => {
  if (e.type === 'receipt') send({ op: 'receipt', msgId: e.msgId, state: e.state });
});
process.on('message', (m) => {
  if (m.op === 'stop') {
    void engine.stop().finally(() => process.exit(0));
  } else if (m.op === 'stats') {
    void engine.metrics().then((metrics) => send({ op: 'reply', id: m.id, cpu: process.cpuUsage(), store: { ...store }, metrics }));
  } else if (m.op === 'submit') {
    engine.submit(m.input, EPJ).then(
      (r) => send({ op: 'reply', id: m.id, accepted: r.accepted, msgId: r.msgId, receiptState: r.message?.receipt.state, issues: r.accepted ? undefined : r.issues }),
      (err) => send({ op: 'reply', id: m.id, accepted: false, issues: [{ message: String(err) }] }),
    );
  }
});
process.on('disconnect', () => void engine.stop().finally(() => process.exit(0)));
await engine.start();
send({ op: 'ready' });
