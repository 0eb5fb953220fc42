/**
 * Fault-test harness: two engines (the hospital and the municipality), each in its OWN process
 * (`runner.ts`, bundled from the sources with esbuild at test time), real SMTP on loopback, a test
 * PKI written as PEM files, one local address register file. A driver submits stay-chain messages
 * for many synthetic patients while a seeded random schedule SIGKILLs either process and restarts
 * it. At the end (bounded wait) the two databases are read with plain SQL (the same logical schema
 * in SQLite and PostgreSQL) and every invariant of ADR 0013 is checked: nothing lost, nothing
 * delivered twice, exactly one AppRec per message, correlated on the sender's side.
 *
 * The kill schedule: the first two kills take one process each (in random order) and fall while
 * the messages are being submitted, so that every run kills both engines mid-flow; the others pick
 * their victim at random. The report counts the messages planned, submitted and checked, and the
 * kills per process and during the flow, for the tests to assert.
 *
 * The store is a {@link FaultBackend}: SQLite files here, PostgreSQL databases in
 * packages/store-postgres/test/fault-postgres.int.test.ts.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { createTestPki, writeTestPki } from '@samhandling/cms';
import type { TestPki, TestPkiIndex } from '@samhandling/cms';
import { deepestHerId, personIdCheckDigits, personIdent } from '@samhandling/plo';
import type { Organisation } from '@samhandling/plo';
import { msgIdForKey } from '../../src/engine/outgoing';
import type { SubmitMessageInput } from '../../src/index';
import { stayChain } from '../../../../tools/demo/stay-chain.mjs';
import type { RunnerConfig, RunnerReply, RunnerRequest } from './runner';

const HOST = '127.0.0.1';
const MESSAGING = path.resolve(__dirname, '..', '..');
const REPO = path.resolve(MESSAGING, '..', '..');

/** The two parties. */
export type Party = 'sthf' | 'skien';

/** Read access to one party's database with plain SQL (no parameters). */
export interface SqlReader {
  rows(sql: string): Promise<readonly Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Where the engines keep their state. */
export interface FaultBackend {
  readonly name: string;
  /** The runner's store configuration for `party` (`bundleDir` holds the bundled store-postgres module). */
  store(party: Party, dir: string, bundleDir: string): Promise<RunnerConfig['store']>;
  /** SQL access to `party`'s database (opened once the runner created it). */
  reader(party: Party, dir: string): Promise<SqlReader>;
}

/** Scenario settings (environment variables override the defaults in the tests). */
export interface FaultOptions {
  /** Messages submitted in total (both directions). */
  readonly messages: number;
  /** SIGKILLs during the run (at least 2: each process is killed at least once). */
  readonly kills: number;
  /** Seed of the kill schedule. */
  readonly seed: number;
  /** Longest wait for everything to settle after the last submission, ms. */
  readonly settleTimeoutMs: number;
  /** Submissions in flight at once. */
  readonly concurrency: number;
  /** Progress lines on the console. */
  readonly verbose: boolean;
}

/** One SIGKILL of the run. */
export interface FaultKill {
  readonly victim: Party;
  /** Time since the start of the scenario, ms. */
  readonly atMs: number;
  /** Submissions answered at the moment of the kill. */
  readonly submitted: number;
  /** Killed while the submissions were still under way (not all of them answered yet). */
  readonly duringFlow: boolean;
}

/** What a run did and found. */
export interface FaultReport {
  readonly backend: string;
  readonly seed: number;
  /** Messages planned (the requested count). */
  readonly messages: number;
  /** Planned messages whose submission an engine accepted (answered with a MsgId). */
  readonly submitted: number;
  /** Distinct messages covered by the invariant checks on the databases. */
  readonly checked: number;
  readonly kills: { readonly sthf: number; readonly skien: number };
  /** Kills per process that fell while the submissions were under way (see {@link FaultKill}). */
  readonly killsDuringFlow: { readonly sthf: number; readonly skien: number };
  readonly killLog: readonly FaultKill[];
  readonly durationMs: number;
  /** Problems found; empty when every invariant holds. */
  readonly violations: readonly string[];
  readonly stats: Readonly<Record<string, number>>;
}

/** Small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A valid synthetic fødselsnummer (born 19xx, individual number 100–499) for patient `i`. */
export function syntheticFnr(i: number): string {
  for (let k = 0; ; k++) {
    const n = i * 37 + k;
    const day = 1 + (n % 28);
    const month = 1 + (Math.floor(n / 28) % 12);
    const year = 30 + (Math.floor(n / 336) % 60);
    const individual = 100 + (Math.floor(n / 20_160) % 400);
    const nine = `${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year)}${String(individual)}`;
    const check = personIdCheckDigits(nine);
    if (check !== null) return nine + check;
  }
}

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

/**
 * Bundles the runner (and the PostgreSQL store) from the sources into `outDir` as ESM. Our two
 * packages are bundled (one copy of the messaging code, shared by both entries); every other
 * package stays external and loads from node_modules (the built dists of plo, schema, cms ...).
 */
export async function bundleRunner(outDir: string): Promise<{ runner: string; storePostgres: string }> {
  const ours: Plugin = {
    name: 'samhandling-sources',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path === '@samhandling/messaging') return { path: path.join(MESSAGING, 'src', 'index.ts') };
        if (args.path === '@samhandling/store-postgres') return { path: path.join(REPO, 'packages', 'store-postgres', 'src', 'index.ts') };
        return { path: args.path, external: true };
      });
    },
  };
  await build({
    entryPoints: { runner: path.join(__dirname, 'runner.ts'), 'store-postgres': path.join(REPO, 'packages', 'store-postgres', 'src', 'index.ts') },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    plugins: [ours],
    logLevel: 'silent',
  });
  return { runner: path.join(outDir, 'runner.mjs'), storePostgres: path.join(outDir, 'store-postgres.mjs') };
}

function register(pki: TestPki, ports: Record<Party, number>): unknown {
  const [h, k] = pki.parties;
  if (h === undefined || k === undefined) throw new Error('the PKI needs two parties');
  const org = (c: typeof h, herId: string, orgNumber: string, port: number, mailbox: string, contact: string): Record<string, unknown> => ({
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
      org(h, '8142519', '983975267', ports.sthf, 'edi@sykehus.test', 'meldingsansvarlig@sykehus.test'),
      { herId: '8142520', name: 'Somatikk plo meldingsmottak', kind: 'service', parentHerId: '8142519' },
      org(k, '8143100', '938583986', ports.skien, 'edi@kommune.test', 'meldingsansvarlig@kommune.test'),
      { herId: '8143101', name: 'Sykepleietjeneste', kind: 'service', parentHerId: '8143100' },
      { herId: '8143102', name: 'Saksbehandler pleie og omsorg', kind: 'service', parentHerId: '8143100' },
      { herId: '8143200', name: 'Skien legesenter', kind: 'organisation' },
    ],
  };
}

interface ChainInput { readonly type: string; readonly sender: Organisation; readonly receiver: Organisation; readonly otherReceivers?: readonly { readonly organisation?: Organisation }[]; readonly content: Record<string, unknown> }

/** One planned message. */
export interface PlannedMessage {
  readonly key: string;
  readonly from: Party;
  readonly to: Party;
  readonly msgId: string;
  readonly input: SubmitMessageInput;
}

/**
 * `count` stay-chain messages: the chain of DOMAIN §4 for patient after patient, sent round by
 * round (every patient's first message, then every patient's second ...), so both parties send
 * and receive all the time. MsgIds follow from the idempotency keys (a submission repeated after a
 * kill returns the first one).
 */
export function planMessages(count: number, runId: string): PlannedMessage[] {
  const chain = stayChain as unknown as readonly (readonly [string, string, ChainInput])[];
  const patients = Math.ceil(count / chain.length);
  const ids: string[][] = Array.from({ length: patients }, () => []);
  const plan: PlannedMessage[] = [];
  for (let step = 0; step < chain.length; step++) {
    for (let p = 0; p < patients; p++) {
      if (plan.length >= count) break;
      const [, , input] = chain[step] as readonly [string, string, ChainInput];
      const sender = deepestHerId(input.sender) as string;
      const from: Party = sender.startsWith('81425') ? 'sthf' : 'skien';
      const key = `${runId}:p${p}:m${step}`;
      const msgId = msgIdForKey(sender, key);
      const prior = ids[p] as string[];
      const content = Object.fromEntries(Object.entries(input.content).map(([k, v]) => [k, typeof v === 'function' ? (v as (x: string[]) => unknown)([...prior]) : v]));
      const copyTo = (input.otherReceivers ?? []).flatMap((o) => (o.organisation === undefined ? [] : [Number(deepestHerId(o.organisation))]));
      prior.push(msgId);
      plan.push({
        key,
        from,
        to: from === 'sthf' ? 'skien' : 'sthf',
        msgId,
        input: {
          type: input.type,
          senderHerId: Number(sender),
          receiverHerId: Number(deepestHerId(input.receiver)),
          ...(copyTo.length === 0 ? {} : { copyTo }),
          patient: { familyName: 'Testesen', givenName: `Pasient ${p}`, idents: [personIdent(syntheticFnr(p), 'FNR')] },
          content,
          idempotencyKey: key,
        },
      });
    }
  }
  return plan;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class DiedError extends Error {}

/** A runner process that can be killed and started again. */
class Runner {
  #child: ChildProcess | undefined;
  #ready: Promise<void> | undefined;
  #pending = new Map<number, { resolve: (msgId: string) => void; reject: (e: Error) => void }>();
  #next = 1;
  #up = false;
  #waiters: (() => void)[] = [];
  #expectExit = false;
  starts = 0;
  kills = 0;
  /** Exits nobody asked for (crashes), with the end of the process's stderr. */
  readonly unexpectedExits: string[] = [];

  constructor(
    readonly party: Party,
    private readonly script: string,
    private readonly configFile: string,
  ) {}

  get up(): boolean {
    return this.#up;
  }

  start(): Promise<void> {
    const execArgv = (process.env['FAULT_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== ''); // e.g. --cpu-prof for profiling a runner
    const child = fork(this.script, [this.configFile], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.#child = child;
    this.#expectExit = false;
    this.starts++;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    this.#ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: RunnerReply) => {
        if (m.op === 'ready') {
          this.#up = true;
          for (const w of this.#waiters.splice(0)) w();
          resolve();
        } else if (m.op === 'reply') {
          const p = this.#pending.get(m.id);
          this.#pending.delete(m.id);
          if (p === undefined) return;
          if (m.msgId !== undefined) p.resolve(m.msgId);
          else p.reject(new Error(m.error ?? 'no answer'));
        }
      });
      child.on('exit', (code, signal) => {
        this.#up = false;
        if (this.#child === child) this.#child = undefined;
        for (const p of this.#pending.values()) p.reject(new DiedError(`${this.party} exited`));
        this.#pending.clear();
        reject(new Error(`${this.party} exited before it was ready (code ${String(code)}, signal ${String(signal)}): ${stderr}`));
        if (!this.#expectExit && this.#child === undefined) {
          // A crash: recorded (the test fails with the process's stderr) and restarted as a
          // supervisor would, so that the scenario does not wait for a process that is gone.
          this.unexpectedExits.push(`${this.party} exited unexpectedly (code ${String(code)}, signal ${String(signal)}): ${stderr.slice(-1500)}`);
          setTimeout(() => void this.start().catch(() => undefined), 500);
        }
      });
    });
    // the rejection after a kill is expected; callers that wait for readiness see it
    this.#ready.catch(() => undefined);
    return this.#ready;
  }

  /** Resolves once the process runs (waiting through restarts). */
  whenUp(): Promise<void> {
    if (this.#up) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  submit(input: SubmitMessageInput): Promise<string> {
    const child = this.#child;
    if (child === undefined || !this.#up) return Promise.reject(new DiedError(`${this.party} is down`));
    const id = this.#next++;
    return new Promise<string>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const req: RunnerRequest = { op: 'submit', id, input };
      child.send(req, (err) => {
        if (err !== null && err !== undefined) {
          this.#pending.delete(id);
          reject(new DiedError(String(err)));
        }
      });
    });
  }

  /** SIGKILL; resolves when the process is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#up = false;
    this.#expectExit = true;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await gone;
    this.kills++;
  }

  /** Stops the engine cleanly (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 20_000): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    this.#up = false;
    this.#expectExit = true;
    try {
      child.send({ op: 'stop' } satisfies RunnerRequest);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
  }
}

async function count(reader: SqlReader, sql: string): Promise<number> {
  const rows = await reader.rows(sql);
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

/**
 * Runs the scenario: start both engines, submit `messages` while killing and restarting them on a
 * seeded schedule, wait until everything settled (bounded), stop them, check the databases.
 */
export async function runFaultScenario(backend: FaultBackend, dir: string, options: FaultOptions): Promise<FaultReport> {
  if (!Number.isSafeInteger(options.kills) || options.kills < 2) throw new Error(`the fault scenario needs at least 2 kills (one per process), got ${options.kills}`);
  if (!Number.isSafeInteger(options.messages) || options.messages < 1) throw new Error(`the fault scenario needs at least 1 message, got ${options.messages}`);
  const started = process.hrtime.bigint();
  const say = (line: string): void => {
    if (options.verbose) console.log(`[fault ${backend.name}] ${line}`);
  };
  mkdirSync(dir, { recursive: true });
  const bundleDir = path.join(MESSAGING, 'tmp', `fault-${process.pid}-${backend.name}`);
  const bundle = await bundleRunner(bundleDir);
  const pki = await createTestPki({
    parties: [
      { name: 'Sykehuset Telemark HF', herId: '8142519', orgNumber: '983975267' },
      { name: 'Skien kommune', herId: '8143100', orgNumber: '938583986' },
    ],
  });
  const pkiDir = path.join(dir, 'pki');
  const index: TestPkiIndex = await writeTestPki(pki, pkiDir);
  const file = (role: string): string => {
    const e = index.entries.find((x) => x.role === role);
    if (e === undefined) throw new Error(`no ${role} in the test PKI`);
    return path.join(pkiDir, e.certificate);
  };
  const keyFile = (role: string): string => path.join(pkiDir, index.entries.find((x) => x.role === role)?.key ?? '');
  const ports: Record<Party, number> = { sthf: await freePort(), skien: await freePort() };
  const arFile = path.join(dir, 'address-register.json');
  writeFileSync(arFile, JSON.stringify(register(pki, ports), null, 2));
  const slug: Record<Party, string> = { sthf: 'sykehuset-telemark-hf', skien: 'skien-kommune' };
  const runners = {} as Record<Party, Runner>;
  for (const party of ['sthf', 'skien'] as const) {
    const config: RunnerConfig = {
      name: party,
      role: party === 'sthf' ? 'hospital' : 'municipality',
      herIds: party === 'sthf' ? { main: '8142520', all: ['8142519', '8142520'] } : { main: '8143101', all: ['8143100', '8143101', '8143102'] },
      pem: {
        signingCertificate: file(`party/${slug[party]}/signing`),
        signingKey: keyFile(`party/${slug[party]}/signing`),
        encryptionCertificate: file(`party/${slug[party]}/encryption`),
        encryptionKey: keyFile(`party/${slug[party]}/encryption`),
        root: file('root'),
        intermediate: file('intermediate'),
      },
      addressRegisterFile: arFile,
      smtp: { host: HOST, port: ports[party], mailbox: party === 'sthf' ? 'edi@sykehus.test' : 'edi@kommune.test' },
      store: await backend.store(party, dir, bundleDir),
      logFile: path.join(dir, `${party}.log`),
      // Short times so that work held by a killed process comes back quickly.
      retry: { initialDelayMs: 250, factor: 2, maxDelayMs: 2000, jitter: 0.2, ackTimeoutMs: 4000 },
      workers: { pollIntervalMs: 250, leaseMs: 4000, incomingRetryMs: 1000, batchSize: 20 },
    };
    const configFile = path.join(dir, `${party}.json`);
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    runners[party] = new Runner(party, bundle.runner, configFile);
  }
  await Promise.all([runners.sthf.start(), runners.skien.start()]);
  const readers: Record<Party, SqlReader> = { sthf: await backend.reader('sthf', dir), skien: await backend.reader('skien', dir) };
  const random = seededRandom(options.seed);
  const plan = planMessages(options.messages, `run${options.seed}`);
  const violations: string[] = [];
  let accepted = 0; // submissions answered with a MsgId
  const killLog: FaultKill[] = [];
  try {
    // --- the kill schedule, alongside the submissions ---
    // The first two kills take one process each, in random order (so each engine is killed at
    // least once), and fall while the submissions are under way: each waits for its random timer
    // as the others do, but no longer than until a random 10–40 % (first kill) or 50–80 % (second)
    // of the messages were submitted; and the last 10 % of the submissions start only after both
    // kills, so even submissions that outrun the timers cannot finish first. The other kills pick
    // their victim at random.
    let submitted = 0; // submissions answered (accepted or not)
    let allSubmitted = false;
    let progress: (() => void)[] = [];
    const wakeProgress = (): void => {
      const waiting = progress;
      progress = [];
      for (const w of waiting) w();
    };
    /** Resolves once `n` submissions were answered (or all of them). */
    const afterSubmissions = (n: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (submitted >= n || allSubmitted) resolve();
          else progress.push(check);
        };
        check();
      });
    let openGate = (): void => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const gateAt = Math.floor(plan.length * 0.9);
    const firstVictim: Party = random() < 0.5 ? 'sthf' : 'skien';
    const killLoop = (async () => {
      for (let k = 0; k < options.kills; k++) {
        const timer = sleep(800 + random() * 4000);
        if (k < 2) await Promise.race([timer, afterSubmissions(Math.ceil(plan.length * (k === 0 ? 0.1 + random() * 0.3 : 0.5 + random() * 0.3)))]);
        else await timer;
        const victim: Party = k === 0 ? firstVictim : k === 1 ? (firstVictim === 'sthf' ? 'skien' : 'sthf') : random() < 0.5 ? 'sthf' : 'skien';
        const runner = runners[victim];
        await runner.whenUp();
        const kill: FaultKill = { victim, atMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6), submitted, duringFlow: !allSubmitted };
        const before = runner.kills;
        const gone = runner.kill(); // sends the SIGKILL synchronously, resolves once the process is gone
        if (k === 1) openGate();
        await gone;
        if (runner.kills > before) killLog.push(kill);
        say(`SIGKILL ${victim} (${k + 1}/${options.kills}) after ${submitted} submissions${allSubmitted ? ' (all submitted)' : ''}`);
        await sleep(random() * 1500);
        await runner.start().catch((err: unknown) => violations.push(`restart of ${victim} failed: ${String(err)}`));
      }
    })().finally(openGate);
    killLoop.catch(() => undefined); // awaited (and rethrown) below, after the submissions

    // --- the submissions ---
    let next = 0;
    const submitters = Array.from({ length: options.concurrency }, async () => {
      for (;;) {
        const i = next++;
        const m = plan[i];
        if (m === undefined) return;
        if (i >= gateAt) await gate;
        for (let attempt = 0; ; attempt++) {
          const runner = runners[m.from];
          await runner.whenUp();
          try {
            const msgId = await runner.submit(m.input);
            accepted++;
            if (msgId !== m.msgId) violations.push(`${m.key}: submit answered MsgId ${msgId}, expected ${m.msgId}`);
            break;
          } catch (err) {
            if (err instanceof DiedError && attempt < 50) continue; // killed mid-submit: the same idempotency key again
            violations.push(`${m.key} (${m.input.type}): ${String(err)}`);
            break;
          }
        }
        submitted++;
        wakeProgress();
        if (submitted % 100 === 0) say(`${submitted} submitted`);
      }
    });
    await Promise.all(submitters);
    allSubmitted = true;
    wakeProgress();
    say(`all ${plan.length} submitted after ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
    await killLoop;

    // --- wait until everything settled ---
    const expected: Record<Party, number> = { sthf: plan.filter((m) => m.from === 'sthf').length, skien: plan.filter((m) => m.from === 'skien').length };
    const deadline = Number(process.hrtime.bigint() / 1_000_000n) + options.settleTimeoutMs;
    let last = '';
    for (;;) {
      const state: string[] = [];
      let settled = true;
      for (const party of ['sthf', 'skien'] as const) {
        const r = readers[party];
        const ok = await count(r, "SELECT count(*) AS n FROM receipt_tracking WHERE state = 'ok'");
        const open = await count(r, "SELECT count(*) AS n FROM outgoing WHERE state <> 'acknowledged'");
        const waiting = await count(r, "SELECT count(*) AS n FROM incoming WHERE state IN ('received', 'processing')");
        state.push(`${party}: ${ok}/${expected[party]} AppRec ok, ${open} outgoing open, ${waiting} incoming waiting`);
        if (ok < expected[party] || open > 0 || waiting > 0) settled = false;
      }
      const line = state.join('; ');
      if (settled) {
        say(`settled: ${line}`);
        break;
      }
      if (line !== last) say(line);
      last = line;
      if (Number(process.hrtime.bigint() / 1_000_000n) > deadline) {
        violations.push(`not settled within ${options.settleTimeoutMs} ms: ${line}`);
        break;
      }
      await sleep(500);
    }
  } finally {
    await Promise.all([runners.sthf.stop(), runners.skien.stop()]);
  }

  // --- the invariants, read from the databases ---
  const stats: Record<string, number> = {};
  const byParty = (p: Party): PlannedMessage[] => plan.filter((m) => m.from === p);
  // The checks below cover each party's sent messages as received by the other party.
  const checked = new Set([...byParty('sthf'), ...byParty('skien')].map((m) => m.msgId)).size;
  for (const receiver of ['sthf', 'skien'] as const) {
    const sender: Party = receiver === 'sthf' ? 'skien' : 'sthf';
    const r = readers[receiver];
    const s = readers[sender];
    const sent = byParty(sender);
    const sentIds = new Set(sent.map((m) => m.msgId));
    // Receiver: every message in the EPJ inbox exactly once, nothing else.
    const inbox = new Map<string, number>();
    for (const row of await r.rows('SELECT msg_id, count(*) AS n FROM inbox GROUP BY sender_her_id, msg_id')) inbox.set(String(row['msg_id']), Number(row['n']));
    for (const m of sent) {
      const n = inbox.get(m.msgId) ?? 0;
      if (n !== 1) violations.push(`${receiver} inbox holds ${m.key} (${m.msgId}) ${n} times`);
    }
    for (const id of inbox.keys()) if (!sentIds.has(id)) violations.push(`${receiver} inbox holds an unexpected message ${id}`);
    const delivered = new Map<string, number>();
    for (const row of await r.rows("SELECT msg_id, count(*) AS n FROM incoming WHERE state = 'delivered' GROUP BY msg_id")) delivered.set(String(row['msg_id']), Number(row['n']));
    for (const m of sent) if ((delivered.get(m.msgId) ?? 0) !== 1) violations.push(`${receiver} delivered ${m.key} ${delivered.get(m.msgId) ?? 0} times`);
    // Receiver: one AppRec produced per message (duplicate register), each one in its outbox once.
    const produced = new Map<string, string>();
    for (const row of await r.rows("SELECT msg_id, apprec_msg_id FROM received_messages WHERE msg_type <> 'APPREC' OR msg_type IS NULL")) produced.set(String(row['msg_id']), String(row['apprec_msg_id']));
    const appRecRows = new Set((await r.rows("SELECT msg_id FROM outgoing WHERE msg_type = 'APPREC'")).map((row) => String(row['msg_id'])));
    for (const m of sent) {
      const a = produced.get(m.msgId);
      if (a === undefined || a === 'null') violations.push(`${receiver} has no AppRec for ${m.key}`);
      else if (!appRecRows.has(a)) violations.push(`${receiver} never queued AppRec ${a} for ${m.key}`);
    }
    if (appRecRows.size !== sent.length) violations.push(`${receiver} queued ${appRecRows.size} AppRecs for ${sent.length} messages`);
    // Sender: every message acknowledged and its AppRec correlated exactly once, state ok.
    const receipts = new Map<string, string>();
    for (const row of await s.rows('SELECT msg_id, state FROM receipt_tracking')) receipts.set(String(row['msg_id']), String(row['state']));
    const correlated = new Map<string, string[]>();
    for (const row of await s.rows("SELECT msg_id, conversation_ref FROM incoming WHERE state = 'receipt'")) {
      const k = String(row['conversation_ref']);
      correlated.set(k, [...(correlated.get(k) ?? []), String(row['msg_id'])]);
    }
    for (const m of sent) {
      if (receipts.get(m.msgId) !== 'ok') violations.push(`${sender}: receipt state of ${m.key} is ${receipts.get(m.msgId) ?? 'missing'}`);
      const c = correlated.get(m.msgId) ?? [];
      if (c.length !== 1) violations.push(`${sender}: ${c.length} AppRecs correlated with ${m.key}`);
      else if (c[0] !== produced.get(m.msgId)) violations.push(`${sender}: AppRec ${c[0]} correlated with ${m.key}, the receiver produced ${produced.get(m.msgId) ?? 'none'}`);
    }
    if (receipts.size !== sent.length) violations.push(`${sender} tracks ${receipts.size} receipts for ${sent.length} messages`);
  }
  for (const party of ['sthf', 'skien'] as const) {
    const r = readers[party];
    const bad = await r.rows("SELECT state, reason, count(*) AS n FROM incoming WHERE state IN ('rejected', 'quarantined', 'discarded', 'received', 'processing') GROUP BY state, reason");
    for (const row of bad) violations.push(`${party}: ${String(row['n'])} incoming ${String(row['state'])} (${String(row['reason'])})`);
    const open = await r.rows("SELECT state, count(*) AS n FROM outgoing WHERE state <> 'acknowledged' GROUP BY state");
    for (const row of open) violations.push(`${party}: ${String(row['n'])} outgoing ${String(row['state'])}`);
    const q = await count(r, 'SELECT count(*) AS n FROM quarantine');
    if (q > 0) violations.push(`${party}: ${q} quarantine entries`);
    stats[`${party}.incomingDuplicates`] = await count(r, "SELECT count(*) AS n FROM incoming WHERE state = 'duplicate'");
    stats[`${party}.incomingRows`] = await count(r, 'SELECT count(*) AS n FROM incoming');
    stats[`${party}.sendAttempts`] = await count(r, 'SELECT sum(attempts) AS n FROM outgoing');
    stats[`${party}.outgoingRows`] = await count(r, 'SELECT count(*) AS n FROM outgoing');
  }
  for (const party of ['sthf', 'skien'] as const) violations.push(...runners[party].unexpectedExits);
  await Promise.all([readers.sthf.close(), readers.skien.close()]);
  rmSync(bundleDir, { recursive: true, force: true });
  const duringFlow = (p: Party): number => killLog.filter((k) => k.victim === p && k.duringFlow).length;
  return {
    backend: backend.name,
    seed: options.seed,
    messages: plan.length,
    submitted: accepted,
    checked,
    kills: { sthf: runners.sthf.kills, skien: runners.skien.kills },
    killsDuringFlow: { sthf: duringFlow('sthf'), skien: duringFlow('skien') },
    killLog,
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    violations,
    stats,
  };
}

/** The full-strength scenario: what the tests run unless the environment says otherwise. */
export const FAULT_DEFAULTS = { messages: 1000, kills: 8, settleTimeoutMs: 150_000, concurrency: 8 } as const;

/** Whether `env` describes a CI run: `CI` set to anything but '', '0' or 'false'. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env['CI'] ?? '').trim().toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}

/**
 * Options from the environment: FAULT_MESSAGES (default 1000), FAULT_KILLS (8, at least 2),
 * FAULT_SEED (random, printed in the report), FAULT_SETTLE_MS (150 000), FAULT_CONCURRENCY (8),
 * FAULT_VERBOSE (0 = quiet). FAULT_NODE_ARGS passes node flags to the runners (e.g. `--cpu-prof`);
 * FAULT_KEEP=1 keeps the folder.
 *
 * A value that is not a whole number (or below its minimum) throws. In CI (see {@link isCi})
 * FAULT_MESSAGES, FAULT_KILLS and FAULT_CONCURRENCY may raise the load but never lower it below the
 * defaults: a lower value THROWS instead of being ignored, so a CI job cannot pass on a weakened
 * run, and whoever set the variable reads why at once instead of wondering why it had no effect.
 * Locally (no CI) smaller runs stay possible for debugging; the tests still assert that the report
 * covers exactly the requested number of messages and kills.
 */
export function faultOptionsFromEnv(defaults: Partial<FaultOptions> = {}, env: NodeJS.ProcessEnv = process.env): FaultOptions {
  const ci = isCi(env);
  const int = (name: string, def: number, min: number, floorInCi: boolean): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return def;
    const v = Number(raw);
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`${name}=${JSON.stringify(raw)}: expected a whole number >= ${min}`);
    if (floorInCi && ci && v < def) {
      throw new Error(`${name}=${v} is below the default ${def}; in CI (CI=${JSON.stringify(env['CI'])}) the fault test does not run weakened: unset ${name} or raise it`);
    }
    return v;
  };
  return {
    messages: int('FAULT_MESSAGES', defaults.messages ?? FAULT_DEFAULTS.messages, 1, true),
    kills: int('FAULT_KILLS', defaults.kills ?? FAULT_DEFAULTS.kills, 2, true),
    seed: int('FAULT_SEED', defaults.seed ?? Math.floor(Math.random() * 2 ** 31), 0, false),
    settleTimeoutMs: int('FAULT_SETTLE_MS', defaults.settleTimeoutMs ?? FAULT_DEFAULTS.settleTimeoutMs, 1, false),
    concurrency: int('FAULT_CONCURRENCY', defaults.concurrency ?? FAULT_DEFAULTS.concurrency, 1, true),
    verbose: env['FAULT_VERBOSE'] !== '0',
  };
}
