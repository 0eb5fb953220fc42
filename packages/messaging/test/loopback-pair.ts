/**
 * Two engines on loopback for the integration tests: the hospital (Sykehuset Telemark HF,
 * 8142519 / service 8142520) and the municipality (Skien kommune, 8143100 / 8143101 / 8143102),
 * each with its own store (SQLite file by default), its own embedded SMTP server (ebXML over SMTP)
 * and one shared local address register file; a test PKI. The HER-ids are those of
 * tools/demo/stay-chain.mjs. Engines are created, not started.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki } from '@samhandling/cms';
import type { TestPartyCredentials, TestPki } from '@samhandling/cms';
import { createMessagingNode } from '../src/engine/node';
import type { MessagingEngine } from '../src/engine/node';
import type { EngineEvent } from '../src/engine/api';
import type { MessagingNodeConfig, MessagingNodeDeps, Notice } from '../src/engine/config';
import type { MessagingStore } from '../src/store/types';

export const HOST = '127.0.0.1';
export const HOSPITAL = '8142519';
export const KOMMUNE = '8143100';
export const GP = '8143200';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The two parties' test PKI (valid from 2024-03-01 by default); `extra` parties come after them. */
export function pairPki(at = new Date('2024-03-01T00:00:00Z'), extra: readonly { readonly name: string; readonly herId: string; readonly orgNumber: string }[] = []): Promise<TestPki> {
  return createTestPki({
    clock: () => at,
    parties: [{ name: 'Sykehuset Telemark HF', herId: HOSPITAL, orgNumber: '983975267' }, { name: 'Skien kommune', herId: KOMMUNE, orgNumber: '938583986' }, ...extra],
  });
}

/** The address register: both organisations on loopback SMTP, their services, the GP (no endpoint unless `extraParties` has an entry for it). */
export function pairRegister(pki: TestPki, hospitalPort: number, kommunePort: number, extraParties: readonly unknown[] = []): unknown {
  const [h, k] = pki.parties as [TestPartyCredentials, TestPartyCredentials];
  const org = (c: TestPartyCredentials, herId: string, orgNumber: string, port: number, mailbox: string, contact: string): Record<string, unknown> => ({
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
      org(h, HOSPITAL, '983975267', hospitalPort, 'edi@sykehus.test', 'meldingsansvarlig@sykehus.test'),
      { herId: '8142520', name: 'Somatikk plo meldingsmottak', kind: 'service', parentHerId: HOSPITAL },
      org(k, KOMMUNE, '938583986', kommunePort, 'edi@kommune.test', 'meldingsansvarlig@kommune.test'),
      { herId: '8143101', name: 'Sykepleietjeneste', kind: 'service', parentHerId: KOMMUNE },
      { herId: '8143102', name: 'Saksbehandler pleie og omsorg', kind: 'service', parentHerId: KOMMUNE },
      // The GP has no endpoint unless a test gives its own entry for it.
      ...(extraParties.some((p) => (p as { herId?: unknown }).herId === GP) ? [] : [{ herId: GP, name: 'Skien legesenter', kind: 'organisation' }]),
      ...extraParties,
    ],
  };
}

/** One engine of the pair with what it emitted. */
export interface PairSide {
  readonly engine: MessagingEngine;
  readonly events: EngineEvent[];
  /** Notices, when the side uses the capturing notifier (no `notifications` configured). */
  readonly notices: Notice[];
  readonly port: number;
}

/** The pair. */
export interface Pair {
  readonly dir: string;
  readonly pki: TestPki;
  readonly arFile: string;
  readonly hospital: PairSide;
  readonly kommune: PairSide;
  /**
   * Another engine instance of one side (same party, credentials and register; its own SMTP
   * listener, which the register does not name, so it receives nothing directly), on `store`:
   * several instances sharing one database. Stopped by {@link dispose}.
   */
  instance(side: 'hospital' | 'kommune', options: { readonly store: MessagingStore; readonly instanceId: string }): Promise<PairSide>;
  /** Stops both engines (when running) and removes the folder. */
  dispose(): Promise<void>;
}

/** Options of {@link createPair}. */
export interface PairOptions {
  readonly clock: () => Date;
  readonly pki?: TestPki;
  readonly stores?: { readonly hospital?: MessagingStore; readonly kommune?: MessagingStore };
  /** Extra configuration per side (merged over the defaults). */
  readonly config?: (side: 'hospital' | 'kommune') => Partial<MessagingNodeConfig>;
  readonly deps?: (side: 'hospital' | 'kommune') => Partial<MessagingNodeDeps>;
  /** More entries for the address register file. */
  readonly extraParties?: readonly unknown[];
}

/** Creates both engines (not started). */
export async function createPair(options: PairOptions): Promise<Pair> {
  const pki = options.pki ?? (await pairPki());
  const dir = mkdtempSync(join(tmpdir(), 'samhandling-pair-'));
  const [hospitalPort, kommunePort] = [await freePort(), await freePort()];
  const arFile = join(dir, 'address-register.json');
  writeFileSync(arFile, JSON.stringify(pairRegister(pki, hospitalPort, kommunePort, options.extraParties), null, 2));
  const [hc, kc] = pki.parties as [TestPartyCredentials, TestPartyCredentials];
  const make = (side: 'hospital' | 'kommune', more?: { readonly store: MessagingStore; readonly instanceId: string; readonly port: number }): PairSide => {
    const name = more?.instanceId ?? (side === 'hospital' ? 'sthf' : 'skien');
    const creds = side === 'hospital' ? hc : kc;
    const port = more?.port ?? (side === 'hospital' ? hospitalPort : kommunePort);
    const store = more?.store ?? options.stores?.[side];
    const extra = options.config?.(side) ?? {};
    const events: EngineEvent[] = [];
    const notices: Notice[] = [];
    const engine = createMessagingNode(
      {
        role: side === 'hospital' ? 'hospital' : 'municipality',
        herIds: side === 'hospital' ? { main: '8142520', all: [HOSPITAL, '8142520'] } : { main: '8143101', all: [KOMMUNE, '8143101', '8143102'] },
        instanceId: name,
        credentials: { signing: creds.signing, encryption: creds.encryption, trustAnchors: [pki.root.certificate], intermediates: [pki.intermediate.certificate] },
        patientRefKey: `${side === 'hospital' ? 'sthf' : 'skien'}-patient-reference-key`,
        ...(store === undefined ? { store: { sqlitePath: join(dir, `${name}.db`) } } : {}),
        addressRegisterFile: arFile,
        smtp: { listen: { host: HOST, port }, mailbox: side === 'hospital' ? 'edi@sykehus.test' : 'edi@kommune.test', clientTimeoutMs: 5000 },
        workers: { pollIntervalMs: 50 },
        ...extra,
      },
      {
        clock: options.clock,
        ...(extra.notifications === undefined ? { notifier: { send: async (n: Notice) => void notices.push(n) } } : {}),
        ...(store === undefined ? {} : { store }),
        ...(options.deps?.(side) ?? {}),
      },
    );
    engine.onEvent((e) => events.push(e));
    return { engine, events, notices, port };
  };
  const hospital = make('hospital');
  const kommune = make('kommune');
  const more: PairSide[] = [];
  return {
    dir,
    pki,
    arFile,
    hospital,
    kommune,
    async instance(side, o) {
      const extra = make(side, { ...o, port: await freePort() });
      more.push(extra);
      return extra;
    },
    async dispose() {
      for (const m of more) await m.engine.stop();
      await hospital.engine.stop();
      await kommune.engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` (every 25 ms, at most `tries` times). */
export async function until(what: string, check: () => Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
