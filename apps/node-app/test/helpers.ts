/** Shared setup of the app's unit tests: a validated configuration, three tokens, a started app. */
import { validateConfig, type AppConfig } from '../src/config';
import { createToken, parseTokenFile } from '../src/auth';
import { createApp, type App } from '../src/server';
import { createLogger } from '../src/logger';
import type { ResolvedWebhook } from '../src/webhooks';
import { FakeNode } from './fake-node';

export const CONFIG_DOC = {
  role: 'kommune',
  name: 'Skien kommune',
  herIds: { main: 8143101, organisation: 8143100, others: [8143102] },
  partners: [{ herId: 8142520, name: 'Sykehuset Telemark HF' }],
  addressRegister: { file: 'ar.json' },
  store: { sqlite: 'data/kommune.sqlite' },
  smtp: { listen: { host: '127.0.0.1', port: 2525 }, mailbox: 'msh@kommune.test' },
  credentials: {
    signing: { certificate: 'pki/s.pem', privateKey: { file: 'pki/s.key.pem' } },
    encryption: { certificate: 'pki/e.pem', privateKey: { env: 'ENC_KEY' } },
    trustAnchors: ['pki/root.pem'],
  },
  http: { host: '127.0.0.1', port: 0, bodyLimitBytes: 4096, maxJsonDepth: 8 },
  auth: { tokens: { file: 'tokens.txt' } },
  policies: { testEnvironment: true },
};

export function testConfig(patch: Record<string, unknown> = {}): AppConfig {
  return validateConfig({ ...CONFIG_DOC, ...patch }, '/etc/samhandling/kommune.yaml');
}

export interface Harness {
  readonly app: App;
  readonly node: FakeNode;
  readonly url: string;
  readonly tokens: { readonly epj: string; readonly operator: string; readonly readOnly: string; readonly monitor: string };
  readonly logs: string[];
  stop(): Promise<void>;
}

export async function startHarness(options: { webhooks?: readonly ResolvedWebhook[]; patch?: Record<string, unknown> } = {}): Promise<Harness> {
  const epj = createToken('epj', 'epj-system');
  const op = createToken('ola', 'operator');
  const ro = createToken('revisor', 'read-only');
  const mon = createToken('prometheus', 'monitor');
  const node = new FakeNode();
  const logs: string[] = [];
  const app = createApp({
    config: testConfig(options.patch),
    node,
    tokens: parseTokenFile([epj.line, op.line, ro.line, mon.line].join('\n')),
    webhooks: options.webhooks ?? [],
    logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
    webhookRescanMs: 0,
    webhookBaseDelayMs: 1,
  });
  const url = await app.start();
  return { app, node, url, tokens: { epj: epj.token, operator: op.token, readOnly: ro.token, monitor: mon.token }, logs, stop: () => app.stop() };
}
