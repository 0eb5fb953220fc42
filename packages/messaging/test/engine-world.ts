/**
 * Engines over the in-memory transport for unit tests: the hospital (8142519 / 8142520), the
 * municipality (8143100 / 8143101) and, optionally, the patient's GP (8143200) as a third engine,
 * each with its own SQLite store in a temporary folder, one in-memory address register and a test
 * PKI. Time is an injected clock; timers are replaced, the tests drive the workers with `settle`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTestPki } from '@samhandling/cms';
import type { TestPartyCredentials, TestPki } from '@samhandling/cms';
import { personIdent } from '@samhandling/plo';
import { createLocalAddressRegister } from '../src/address-register/local';
import type { AddressRegister } from '../src/address-register/types';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import type { MessagingStore } from '../src/store/types';
import { createInMemoryNetwork } from '../src/transport/in-memory';
import type { InMemoryNetwork } from '../src/transport/in-memory';
import type { EngineEvent } from '../src/engine/api';
import type { MessagingNodeConfig } from '../src/engine/config';
import { createMessagingNode } from '../src/engine/node';
import type { MessagingEngine } from '../src/engine/node';

export const HOSPITAL = '8142519';
export const HOSPITAL_SERVICE = '8142520';
export const KOMMUNE = '8143100';
export const SYKEPLEIE = '8143101';
export const GP = '8143200';
export const FNR = '31129956715';
export const patient = { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent(FNR, 'FNR')] };

/** One engine with its store and what it emitted. */
export interface WorldSide {
  readonly engine: MessagingEngine;
  readonly store: MessagingStore;
  readonly events: EngineEvent[];
}

/** The engines of one test. */
export interface World {
  readonly net: InMemoryNetwork;
  readonly hospital: WorldSide;
  readonly kommune: WorldSide;
  /** The GP's engine, when `withGp`. */
  readonly gp?: WorldSide;
  now: Date;
  close(): Promise<void>;
}

/** Options of {@link createWorld}. */
export interface WorldOptions {
  /** Run the GP as a third engine (else the GP is in the register without endpoint and certificates). */
  readonly withGp?: boolean;
  readonly config?: (side: 'hospital' | 'kommune' | 'gp') => Partial<MessagingNodeConfig>;
  /** More entries for the address register. */
  readonly extraParties?: readonly unknown[];
  /** Wraps the (real, in-memory) address register, e.g. to inject a fault. */
  readonly addressRegister?: (ar: AddressRegister) => AddressRegister;
}

let shared: { pki: TestPki; dir: string } | undefined;

/** The test PKI and folder, made once per test file. */
async function base(): Promise<{ pki: TestPki; dir: string }> {
  shared ??= {
    pki: await createTestPki({
      clock: () => new Date('2024-03-01T00:00:00Z'),
      parties: [
        { name: 'Sykehuset Telemark HF', herId: HOSPITAL, orgNumber: '983975267' },
        { name: 'Skien kommune', herId: KOMMUNE, orgNumber: '938583986' },
        { name: 'Skien legesenter', herId: GP, orgNumber: '987654325' },
      ],
    }),
    dir: mkdtempSync(join(tmpdir(), 'samhandling-world-')),
  };
  return shared;
}

/** Removes the shared folder (call in afterAll). */
export function disposeWorlds(): void {
  if (shared !== undefined) rmSync(shared.dir, { recursive: true, force: true });
  shared = undefined;
}

/** An organisation entry of the test address register (a dummy SMTP address: in-memory transports). */
export function localOrganisation(c: TestPartyCredentials, herId: string, orgNumber: string, mail: string): Record<string, unknown> {
  return {
    herId,
    name: c.name,
    kind: 'organisation',
    organisationNumber: orgNumber,
    transport: { kind: 'smtp', host: '127.0.0.1', port: 25, mailbox: `edi@${mail}.test` },
    signingCertificate: c.signing.certificatePem,
    encryptionCertificate: c.encryption.certificatePem,
    appRecVersion: '1.1',
    meldingsansvarlig: { email: `meldingsansvarlig@${mail}.test` },
  };
}

/** The test address register: the hospital and the municipality with one service each, then `extra`. */
export function pairRegisterDocument(hospital: TestPartyCredentials, kommune: TestPartyCredentials, extra: readonly unknown[] = []): { readonly version: 1; readonly parties: readonly unknown[] } {
  return {
    version: 1,
    parties: [
      localOrganisation(hospital, HOSPITAL, '983975267', 'sykehus'),
      { herId: HOSPITAL_SERVICE, name: 'Somatikk plo meldingsmottak', kind: 'service', parentHerId: HOSPITAL },
      localOrganisation(kommune, KOMMUNE, '938583986', 'kommune'),
      { herId: SYKEPLEIE, name: 'Sykepleietjeneste', kind: 'service', parentHerId: KOMMUNE },
      ...extra,
    ],
  };
}

/** Creates and starts the engines. */
export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const { pki, dir } = await base();
  const [hc, kc, gc] = pki.parties as [TestPartyCredentials, TestPartyCredentials, TestPartyCredentials];
  const world = { now: new Date('2024-03-04T08:00:00Z') } as World;
  const clock = (): Date => new Date(world.now.getTime());
  const parties = pairRegisterDocument(hc, kc, [
    options.withGp === true ? localOrganisation(gc, GP, '987654325', 'legesenter') : { herId: GP, name: 'Skien legesenter', kind: 'organisation' },
    ...(options.extraParties ?? []),
  ]);
  const net = createInMemoryNetwork();
  const noTimers = { setTimeout: () => 0, clearTimeout: () => undefined };
  const make = async (name: 'hospital' | 'kommune' | 'gp', role: 'hospital' | 'municipality', creds: TestPartyCredentials, main: string, herIds: string[]): Promise<WorldSide> => {
    const store = await openSqliteStore({ path: join(dir, `${name}-${randomUUID()}.db`), clock });
    const transport = net.endpoint({ herIds, clock, seenMessages: store.seenMessages, resend: { ackTimeoutMs: 3_600_000, maxDelayMs: 3_600_000 } });
    const events: EngineEvent[] = [];
    const engine = createMessagingNode(
      {
        role,
        herIds: { main, all: herIds },
        instanceId: name,
        credentials: { signing: creds.signing, encryption: creds.encryption, trustAnchors: [pki.root.certificate], intermediates: [pki.intermediate.certificate] },
        patientRefKey: `${name}-unit-test-patient-reference-key`,
        retry: { jitter: 0, initialDelayMs: 1000, factor: 2, ttlMs: 60 * 60_000 },
        ...(options.config?.(name) ?? {}),
      },
      { store, transport, addressRegister: (options.addressRegister ?? ((ar) => ar))(createLocalAddressRegister({ parties, clock })), clock, timers: noTimers, notifier: { send: async () => undefined } },
    );
    engine.onEvent((e) => events.push(e));
    await engine.start();
    return { engine, store, events };
  };
  const hospital = await make('hospital', 'hospital', hc, HOSPITAL_SERVICE, [HOSPITAL, HOSPITAL_SERVICE]);
  const kommune = await make('kommune', 'municipality', kc, SYKEPLEIE, [KOMMUNE, SYKEPLEIE]);
  const gp = options.withGp === true ? await make('gp', 'municipality', gc, GP, [GP]) : undefined;
  return Object.assign(world, {
    net,
    hospital,
    kommune,
    ...(gp === undefined ? {} : { gp }),
    close: async () => {
      for (const s of [hospital, kommune, gp]) {
        if (s === undefined) continue;
        await s.engine.stop();
        await s.store.close();
      }
    },
  });
}

/** Runs the engines until nothing moves (acknowledgments and receipts included). */
export async function settle(w: World): Promise<void> {
  for (let i = 0; i < 8; i++) {
    for (const s of [w.hospital, w.kommune, w.gp]) if (s !== undefined) await s.engine.runOnce();
    await new Promise((r) => setImmediate(r));
  }
}
