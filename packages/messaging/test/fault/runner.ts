/**
 * One messaging engine in its own process, for the fault tests (SIGKILL at any point). Started by
 * the harness (`harness.ts`) as `node runner.mjs <config.json>` after it bundled this file; talks to
 * the harness over the IPC channel:
 *
 * - → `{ op: 'ready' }` once the engine runs (store opened and migrated, SMTP server bound);
 * - ← `{ op: 'submit', id, input }` → `{ op: 'reply', id, msgId }` or `{ op: 'reply', id, error }`;
 * - ← `{ op: 'stop' }` → stops the engine and exits 0.
 *
 * Everything the test checks is read from the store afterwards, never from this process.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { loadPrivateKey, parseCertificate } from '@samhandling/cms';
import { createMessagingNode } from '../../src/index';
import type { EngineLogger, MessagingNodeConfig, MessagingStore, SubmitMessageInput } from '../../src/index';

/** What the harness writes to `<config.json>`. */
export interface RunnerConfig {
  readonly name: string;
  readonly role: 'hospital' | 'municipality';
  readonly herIds: { readonly main: string; readonly all: readonly string[] };
  /** PEM files of the test PKI. */
  readonly pem: {
    readonly signingCertificate: string;
    readonly signingKey: string;
    readonly encryptionCertificate: string;
    readonly encryptionKey: string;
    readonly root: string;
    readonly intermediate: string;
  };
  readonly addressRegisterFile: string;
  readonly smtp: { readonly host: string; readonly port: number; readonly mailbox: string };
  /** SQLite file, or a PostgreSQL database through a module exporting `openPostgresStore`. */
  readonly store: { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string; readonly module: string };
  readonly logFile: string;
  readonly retry?: MessagingNodeConfig['retry'];
  readonly workers?: MessagingNodeConfig['workers'];
  readonly notifications?: MessagingNodeConfig['notifications'];
}

/** Messages from the harness. */
export type RunnerRequest = { readonly op: 'submit'; readonly id: number; readonly input: SubmitMessageInput } | { readonly op: 'stop' };

/** Messages to the harness. */
export type RunnerReply = { readonly op: 'ready' } | { readonly op: 'reply'; readonly id: number; readonly msgId?: string; readonly error?: string };

const config = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as RunnerConfig;
const log = (line: Record<string, unknown>): void => {
  try {
    appendFileSync(config.logFile, `${JSON.stringify({ at: new Date().toISOString(), pid: process.pid, ...line })}\n`);
  } catch {
    // logging must never stop the engine
  }
};
const send = (m: RunnerReply): void => {
  if (process.connected) process.send?.(m);
};
process.on('uncaughtException', (err) => log({ level: 'error', event: 'uncaught', message: String(err), stack: err.stack }));
process.on('unhandledRejection', (err) => log({ level: 'error', event: 'unhandled-rejection', message: String(err) }));

async function main(): Promise<void> {
  const read = (file: string): string => readFileSync(file, 'utf8');
  let store: MessagingStore | undefined;
  if (config.store.kind === 'postgres') {
    const mod = (await import(config.store.module)) as { openPostgresStore(o: { connectionString: string }): Promise<MessagingStore> };
    store = await mod.openPostgresStore({ connectionString: config.store.url });
  }
  const logger: EngineLogger = {
    log: (level, event, fields) => {
      if (level !== 'debug') log({ level, event, ...fields });
    },
  };
  const engine = createMessagingNode(
    {
      role: config.role,
      herIds: config.herIds,
      instanceId: `${config.name}-${process.pid}`,
      credentials: {
        signing: { certificate: parseCertificate(read(config.pem.signingCertificate)), key: loadPrivateKey(read(config.pem.signingKey)) },
        encryption: { certificate: parseCertificate(read(config.pem.encryptionCertificate)), key: loadPrivateKey(read(config.pem.encryptionKey)) },
        trustAnchors: [parseCertificate(read(config.pem.root))],
        intermediates: [parseCertificate(read(config.pem.intermediate))],
      },
      patientRefKey: `${config.name}-fault-test-patient-reference-key`,
      ...(config.store.kind === 'sqlite' ? { store: { sqlitePath: config.store.path } } : {}),
      addressRegisterFile: config.addressRegisterFile,
      smtp: { listen: { host: config.smtp.host, port: config.smtp.port }, mailbox: config.smtp.mailbox, clientTimeoutMs: 5000 },
      ...(config.retry === undefined ? {} : { retry: config.retry }),
      ...(config.workers === undefined ? {} : { workers: config.workers }),
      ...(config.notifications === undefined ? {} : { notifications: config.notifications }),
    },
    { logger, ...(store === undefined ? {} : { store }) },
  );
  const actor = { kind: 'epj-system', id: 'fault-driver' } as const;
  process.on('message', (m: RunnerRequest) => {
    if (m.op === 'stop') {
      void (async () => {
        await engine.stop();
        if (store !== undefined) await store.close();
        log({ level: 'info', event: 'runner-stopped' });
        process.exit(0);
      })();
      return;
    }
    void engine.submit(m.input, actor).then(
      (r) => send(r.accepted ? { op: 'reply', id: m.id, msgId: r.msgId } : { op: 'reply', id: m.id, error: `refused: ${JSON.stringify(r.issues)}` }),
      (err: unknown) => send({ op: 'reply', id: m.id, error: `${(err as { code?: string }).code ?? 'Error'}: ${(err as Error).message}` }),
    );
  });
  await engine.start();
  log({ level: 'info', event: 'runner-started' });
  send({ op: 'ready' });
}

main().catch((err: unknown) => {
  log({ level: 'error', event: 'runner-start-failed', message: String(err), stack: (err as Error).stack });
  process.exit(1);
});
