/**
 * One engine (the hospital, 8142519 / 8142520) for unit tests that inject its ports: a fake
 * transport that records what it is handed (or fails as told), a `:memory:` SQLite store, an
 * in-memory address register with the municipality (8143100 / 8143101) as partner, a test PKI
 * (made once per test file), an injected clock and no timers (tests drive it with `runOnce()`).
 */
import { createTestPki } from '@samhandling/cms';
import type { TestPartyCredentials, TestPki } from '@samhandling/cms';
import { personIdent } from '@samhandling/plo';
import { createLocalAddressRegister } from '../src/address-register/local';
import { FNR, HOSPITAL, HOSPITAL_SERVICE, KOMMUNE, SYKEPLEIE, pairRegisterDocument } from './engine-world';
import type { SubmitMessageInput } from '../src/engine/api';
import type { EngineLogger, MessagingNodeConfig, MessagingNodeDeps } from '../src/engine/config';
import { createMessagingNode } from '../src/engine/node';
import type { MessagingEngine } from '../src/engine/node';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import type { MessagingStore } from '../src/store/types';
import type { OutgoingEnvelope, SendResult, Transport } from '../src/transport/types';

export { FNR, HOSPITAL, HOSPITAL_SERVICE, KOMMUNE, SYKEPLEIE } from './engine-world';

/** A LOG_INNLAGT from the hospital to the municipality's nursing service. */
export function logInnlagt(overrides: Partial<SubmitMessageInput> = {}): SubmitMessageInput {
  return {
    type: 'LOG_INNLAGT',
    receiverHerId: Number(SYKEPLEIE),
    patient: { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent(FNR, 'FNR')] },
    content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-04T08:30:00+01:00', merknad: 'Innlagt etter fall' } },
    ...overrides,
  };
}

/** One logged line. */
export interface LogLine {
  readonly level: string;
  readonly event: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** The engine and what it did. */
export interface SingleEngine {
  readonly engine: MessagingEngine;
  readonly store: MessagingStore;
  /** Every envelope handed to the transport (also the ones `send` failed). */
  readonly sent: OutgoingEnvelope[];
  readonly logs: LogLine[];
  /** The injected clock reads this. */
  now: Date;
  close(): Promise<void>;
}

/** Options of {@link createSingleEngine}. */
export interface SingleEngineOptions {
  readonly config?: Partial<MessagingNodeConfig>;
  readonly deps?: Partial<MessagingNodeDeps>;
  /** The transport's answer to `send` (default: accepted). */
  readonly send?: (envelope: OutgoingEnvelope) => Promise<SendResult>;
  /** Start of the clock. Default 2024-03-04T08:00:00Z. */
  readonly now?: Date;
}

let pki: TestPki | undefined;

async function testPki(): Promise<TestPki> {
  pki ??= await createTestPki({
    clock: () => new Date('2024-03-01T00:00:00Z'),
    parties: [
      { name: 'Sykehuset Telemark HF', herId: HOSPITAL, orgNumber: '983975267' },
      { name: 'Skien kommune', herId: KOMMUNE, orgNumber: '938583986' },
    ],
  });
  return pki;
}

/** Creates and starts the engine. */
export async function createSingleEngine(options: SingleEngineOptions = {}): Promise<SingleEngine> {
  const { root, intermediate, parties } = await testPki();
  const [hc, kc] = parties as [TestPartyCredentials, TestPartyCredentials];
  const side = { now: options.now ?? new Date('2024-03-04T08:00:00Z') } as SingleEngine;
  const clock = (): Date => new Date(side.now.getTime());
  const register = pairRegisterDocument(hc, kc);
  const sent: OutgoingEnvelope[] = [];
  const send = options.send ?? (async (e: OutgoingEnvelope): Promise<SendResult> => ({ transportId: e.messageId }));
  const transport: Transport = {
    name: 'fake',
    capabilities: { payload: 'cms', resendsUntilAcknowledged: true, maxPayloadBytes: 35_000_000 },
    send: (envelope) => {
      sent.push(envelope);
      return send(envelope);
    },
    onMessage: () => undefined,
    onAcknowledgment: () => undefined,
    onMessageError: () => undefined,
    onDeliveryFailure: () => undefined,
    onError: () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
  };
  const logs: LogLine[] = [];
  const logger: EngineLogger = { log: (level, event, fields) => void logs.push({ level, event, ...(fields === undefined ? {} : { fields }) }) };
  const store = await openSqliteStore({ path: ':memory:', clock });
  const engine = createMessagingNode(
    {
      role: 'hospital',
      herIds: { main: HOSPITAL_SERVICE, all: [HOSPITAL, HOSPITAL_SERVICE] },
      instanceId: 'hospital',
      credentials: { signing: hc.signing, encryption: hc.encryption, trustAnchors: [root.certificate], intermediates: [intermediate.certificate] },
      patientRefKey: 'single-engine-patient-reference-key',
      retry: { jitter: 0, initialDelayMs: 1000, factor: 2, ttlMs: 60 * 60_000 },
      ...options.config,
    },
    {
      store,
      transport,
      addressRegister: createLocalAddressRegister({ parties: register, clock }),
      clock,
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
      notifier: { send: async () => undefined },
      logger,
      ...options.deps,
    },
  );
  await engine.start();
  return Object.assign(side, {
    engine,
    store,
    sent,
    logs,
    close: async () => {
      await engine.stop();
      await store.close();
    },
  });
}
