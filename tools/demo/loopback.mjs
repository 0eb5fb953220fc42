// Two messaging engines on loopback: the hospital (Sykehuset Telemark HF) and the municipality
// (Skien kommune), each with its own SQLite database, its own embedded SMTP server (ebXML over
// SMTP), a generated test PKI and a local address register file. Shared by the two-engine
// demonstration (tools/demo/two-engines.mjs) and the engine benchmark (tools/bench/engine.mjs).
// Uses the built packages (packages/*/dist). Synthetic data only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = (name) => path.join(here, '..', '..', 'packages', name, 'dist', 'index.mjs');

export const HOST = '127.0.0.1';
/** HER-ids of the stay chain (tools/demo/stay-chain.mjs). */
export const HER = { hospital: '8142519', hospitalService: '8142520', kommune: '8143100', nursing: '8143101', caseOffice: '8143102', gp: '8143200' };

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The address register of the two parties (both on loopback). */
export function addressRegister(pki, hospitalPort, kommunePort) {
  const [h, k] = pki.parties;
  const org = (c, herId, orgNumber, port, mailbox, contact) => ({
    herId,
    name: c.name,
    kind: 'organisation',
    organisationNumber: orgNumber,
    transport: { kind: 'smtp', host: HOST, port, mailbox },
    signingCertificate: c.signing.certificatePem,
    encryptionCertificate: c.encryption.certificatePem,
    appRecVersion: '1.1',
    meldingsansvarlig: { email: contact },
  });
  return {
    version: 1,
    parties: [
      org(h, HER.hospital, '983975267', hospitalPort, 'edi@sykehus.test', 'meldingsansvarlig@sykehus.test'),
      { herId: HER.hospitalService, name: 'Somatikk plo meldingsmottak', kind: 'service', parentHerId: HER.hospital },
      org(k, HER.kommune, '938583986', kommunePort, 'edi@kommune.test', 'meldingsansvarlig@kommune.test'),
      { herId: HER.nursing, name: 'Sykepleietjeneste', kind: 'service', parentHerId: HER.kommune },
      { herId: HER.caseOffice, name: 'Saksbehandler pleie og omsorg', kind: 'service', parentHerId: HER.kommune },
      { herId: HER.gp, name: 'Skien legesenter', kind: 'organisation' },
    ],
  };
}

/**
 * Starts both engines. `options`: `dir` (databases and the register go there), `clock`,
 * `workers` (engine worker settings), `retry`, `notifier` (per side: `(side) => Notifier`).
 * Resolves `{ hospital, kommune, pki, packages, stop() }`; each side is `{ engine, name, herIds }`.
 */
export async function startLoopback(options) {
  const [messaging, cms] = await Promise.all([import(dist('messaging')), import(dist('cms'))]);
  const plo = await import(dist('plo'));
  const clock = options.clock ?? (() => new Date());
  mkdirSync(options.dir, { recursive: true });
  const pki = await cms.createTestPki({
    clock: () => new Date(clock().getTime() - 24 * 3600_000),
    parties: [
      { name: 'Sykehuset Telemark HF', herId: HER.hospital, orgNumber: '983975267' },
      { name: 'Skien kommune', herId: HER.kommune, orgNumber: '938583986' },
    ],
  });
  const [hospitalPort, kommunePort] = [await freePort(), await freePort()];
  const arFile = path.join(options.dir, 'address-register.json');
  writeFileSync(arFile, JSON.stringify(addressRegister(pki, hospitalPort, kommunePort), null, 2));
  const [hc, kc] = pki.parties;
  const side = (name, role, creds, main, all, port, mailbox) => {
    const engine = messaging.createMessagingNode(
      {
        role,
        herIds: { main, all },
        instanceId: name,
        credentials: { signing: creds.signing, encryption: creds.encryption, trustAnchors: [pki.root.certificate], intermediates: [pki.intermediate.certificate] },
        patientRefKey: `${name}-patient-reference-key`,
        store: { sqlitePath: path.join(options.dir, `${name}.db`) },
        addressRegisterFile: arFile,
        smtp: { listen: { host: HOST, port }, mailbox, clientTimeoutMs: 5000 },
        ...(options.workers === undefined ? {} : { workers: options.workers }),
        ...(options.retry === undefined ? {} : { retry: options.retry }),
      },
      { clock, ...(options.notifier === undefined ? {} : { notifier: options.notifier(name) }) },
    );
    return { engine, name, herIds: all };
  };
  const hospital = side('sthf', 'hospital', hc, HER.hospitalService, [HER.hospital, HER.hospitalService], hospitalPort, 'edi@sykehus.test');
  const kommune = side('skien', 'municipality', kc, HER.nursing, [HER.kommune, HER.nursing, HER.caseOffice], kommunePort, 'edi@kommune.test');
  await hospital.engine.start();
  await kommune.engine.start();
  return {
    hospital,
    kommune,
    pki,
    packages: { messaging, cms, plo },
    async stop() {
      await hospital.engine.stop();
      await kommune.engine.stop();
    },
  };
}
