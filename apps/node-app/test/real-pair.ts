/**
 * Both reference apps in this process over the REAL engine (no test double): the loopback demo
 * setup of `npm start` (prepareDemo: test PKI, address register, tokens, configurations) in a
 * temporary folder, SQLite, each app's embedded SMTP server on a free loopback port, HTTP on an
 * ephemeral port. One adjustable clock drives both engines, so a test can let days pass.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessagingNode, MessagingStore } from '@samhandling/messaging';
import { loadConfig, type AppConfig, type NodeRole } from '../src/config';
import { prepareDemo, type DemoSetup, type DemoTokens } from '../src/demo';
import { createLogger } from '../src/logger';
import { openApp } from '../src/run';
import type { App } from '../src/server';

/** A clock that runs with real time from a fixed start and can be moved forward. */
export interface TestClock {
  (): Date;
  advance(ms: number): void;
}

/** 2025-03-04 09:00 in Norway (a Tuesday): dates in the tests do not depend on the day they run. */
export const TEST_START = new Date('2025-03-04T08:00:00Z');

export function testClock(start: Date = TEST_START): TestClock {
  const t0 = process.hrtime.bigint();
  let offset = 0;
  const clock = (() => new Date(start.getTime() + offset + Number((process.hrtime.bigint() - t0) / 1_000_000n))) as TestClock;
  clock.advance = (ms: number) => {
    offset += ms;
  };
  return clock;
}

/** One running app. */
export interface RunningApp {
  readonly role: NodeRole;
  readonly url: string;
  readonly app: App;
  readonly node: MessagingNode;
  readonly config: AppConfig;
  readonly tokens: DemoTokens;
  /** The app's log lines (JSON). */
  readonly logs: string[];
  /** The engine's store (for audit assertions). */
  store(): MessagingStore;
}

export interface RealPair {
  readonly sthf: RunningApp;
  readonly kommune: RunningApp;
  readonly setup: DemoSetup;
  readonly clock: TestClock;
  /** Stops both apps and removes the folder. */
  stop(): Promise<void>;
}

/** The address register file's content (the engine's local format). */
export interface Register {
  readonly parties: readonly Record<string, unknown>[];
}

/** Options of {@link startRealPair}. */
export interface RealPairOptions {
  /** Configuration entries per app (e.g. `webhooks`). */
  readonly configPatch?: Partial<Record<NodeRole, Readonly<Record<string, unknown>>>>;
  /** Changes the shared address register (the hospital's; also the municipality's unless `kommuneRegister`). */
  readonly register?: (register: Register) => Register;
  /**
   * The municipality's own copy of the address register, changed by this function (the hospital
   * keeps the shared one): e.g. to make it see a sender differently.
   */
  readonly kommuneRegister?: (register: Register) => Register;
  /** Written to `<dir>/secrets/<name>` before start (e.g. webhook secrets). */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** Prepares and starts both apps; the caller must `stop()` them. */
export async function startRealPair(options: RealPairOptions = {}): Promise<RealPair> {
  const dir = mkdtempSync(join(tmpdir(), 'samhandling-apps-'));
  const clock = testClock();
  const started: App[] = [];
  const unsubscribe: (() => void)[] = [];
  try {
    const fast = { engine: { workers: { pollIntervalMs: 50 } } };
    const setup = await prepareDemo({
      dir,
      ephemeralHttpPorts: true,
      clock: () => new Date(TEST_START.getTime() - 86_400_000),
      configPatch: { sthf: { ...fast, ...options.configPatch?.sthf }, kommune: { ...fast, ...options.configPatch?.kommune } },
    });
    const registerFile = join(dir, 'address-register.json');
    const original = JSON.parse(readFileSync(registerFile, 'utf8')) as Register;
    if (options.register !== undefined) writeFileSync(registerFile, JSON.stringify({ ...original, ...options.register(original) }, null, 2));
    if (options.kommuneRegister !== undefined) {
      writeFileSync(join(dir, 'address-register-kommune.json'), JSON.stringify({ ...original, ...options.kommuneRegister(original) }, null, 2));
      const file = setup.configFiles.kommune;
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^addressRegister:\n(\s+)file: \.\/address-register\.json$/m, 'addressRegister:\n$1file: ./address-register-kommune.json'));
      if (!readFileSync(file, 'utf8').includes('address-register-kommune.json')) throw new Error('could not point the kommune configuration at its own address register');
    }
    for (const [name, value] of Object.entries(options.secrets ?? {})) writeFileSync(join(dir, 'secrets', name), `${value}\n`, { mode: 0o600 });

    const start = async (role: NodeRole): Promise<RunningApp> => {
      const config = loadConfig(setup.configFiles[role]);
      const logs: string[] = [];
      const opened = await openApp({ config, clock, logger: createLogger({ level: 'info', base: { app: role }, write: (l) => logs.push(l) }), webhookRescanMs: 0, webhookBaseDelayMs: 10 });
      const url = await opened.app.start();
      started.push(opened.app);
      unsubscribe.push(opened.node.onEvent(() => ring()));
      const engine = opened.node as MessagingNode & { readonly store?: MessagingStore };
      return {
        role,
        url,
        app: opened.app,
        node: opened.node,
        config,
        tokens: setup.tokens[role],
        logs,
        store: () => {
          if (engine.store === undefined) throw new Error('the engine has no store (not started?)');
          return engine.store;
        },
      };
    };
    const sthf = await start('sthf');
    const kommune = await start('kommune');
    return {
      sthf,
      kommune,
      setup,
      clock,
      async stop() {
        for (const off of unsubscribe.splice(0)) off();
        for (const app of started.splice(0).reverse()) await app.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const off of unsubscribe.splice(0)) off();
    for (const app of started.reverse()) await app.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * How long {@link until} waits by default: generous, because a loaded CI machine (two cores, other
 * test processes) can slow the engines down by an order of magnitude. Nothing asserts a duration:
 * the wait only bounds how long a broken test hangs. `SAMHANDLING_TEST_WAIT_MS` overrides it.
 */
export const WAIT_MS = Number(process.env['SAMHANDLING_TEST_WAIT_MS'] ?? '') || (process.env['CI'] ? 240_000 : 90_000);

/** A Jest timeout for a test that waits a few times (several {@link WAIT_MS}). */
export const TEST_TIMEOUT_MS = WAIT_MS * 4;

/** Waiters woken by any engine event of a started pair (see {@link startRealPair}). */
const bell = new Set<() => void>();

/** Wakes every waiter: an engine did something, so a condition may hold now. */
function ring(): void {
  for (const wake of [...bell]) wake();
}

/** Sleeps up to `ms`, or until an engine event arrives. */
function nap(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      bell.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    bell.add(wake);
  });
}

/**
 * Waits until `check` returns a value (not undefined/false) and returns it; fails after
 * `timeoutMs` (default {@link WAIT_MS}). It checks again after every event of the running
 * engines (transport, receipts, stays, quarantine …) and otherwise at a slowing interval (50 ms up
 * to 1 s), so it reacts at once without flooding a loaded machine with API calls.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = process.hrtime.bigint() + BigInt(timeoutMs) * 1_000_000n;
  let last: unknown;
  let interval = 50;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (process.hrtime.bigint() > deadline) throw new Error(`timed out after ${String(timeoutMs)} ms waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await nap(interval);
    interval = Math.min(1000, interval * 2);
  }
}

/** A JSON API call. */
export async function api(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> & { items?: Record<string, unknown>[] }; text: string; headers: Headers }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}
